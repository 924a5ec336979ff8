"""Case attachments: what a file really is (its first bytes, not its name), its hash, and the check on download.

A file is accepted only when its content is one of the kinds an office exchanges (PDF, PNG, JPEG, Word/Excel
documents, plain text) AND its extension says the same kind: an ``.pdf`` that is a Windows program is refused.
The SHA-256 taken at upload is recomputed on every download; a stored file whose hash changed is refused.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from techguard import limits
from techguard.web.accounts.roles import can_review_case
from techguard.web.audit.chain import record
from techguard.web.cases.models import Attachment, AttachmentKind, Case, CaseStatus
from techguard.web.cases.workflow import WorkflowError

# extension -> the content type it must sniff as
EXTENSIONS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}
# an Office Open XML package is a zip archive; the member that says which kind it is
_OOXML_MEMBER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, among the accepted ones; None for anything else (programs, archives...)."""
    if data.startswith(b"%PDF-"):
        return EXTENSIONS["pdf"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return EXTENSIONS["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return EXTENSIONS["jpg"]
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        for extension, member in _OOXML_MEMBER.items():
            if member in names:
                return EXTENSIONS[extension]
        return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return EXTENSIONS["txt"]


def check_size(size: int) -> None:
    if size > limits.MAX_ATTACHMENT_BYTES:
        raise WorkflowError(_("The file is %(size)s bytes, over the limit of %(limit)s bytes.")
                            % {"size": f"{size:,}", "limit": f"{limits.MAX_ATTACHMENT_BYTES:,}"})


def check_file(name: str, data: bytes) -> str:
    """The content type of an upload, or a WorkflowError naming what is wrong with it."""
    check_size(len(data))
    if not data:
        raise WorkflowError(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise WorkflowError(_("Files of type “.%(extension)s” are not accepted; accepted: %(accepted)s.")
                            % {"extension": extension, "accepted": ", ".join(f".{e}" for e in EXTENSIONS)})
    actual = sniff(data)
    if actual != expected:
        raise WorkflowError(_("“%(name)s” is not a %(extension)s file: its content does not match its name.")
                            % {"name": name, "extension": extension.upper()})
    return expected


def may_upload(user: Any, case: Case) -> bool:
    """The researcher until the decision; reviewers at any time (a licence comes after it); nobody once the
    case is withdrawn."""
    if case.status == CaseStatus.WITHDRAWN:
        return False
    if case.owner_id == user.pk:
        return not case.is_decided
    return can_review_case(user, case)


def upload(case: Case, user: Any, kind: str, name: str, data: bytes) -> Attachment:
    if not may_upload(user, case):
        raise WorkflowError(_("You may not add documents to this case now."))
    if kind not in AttachmentKind.values:
        raise WorkflowError(_("Choose the kind of document."))
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
    content_type = check_file(name, data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        attachment = Attachment(case=case, kind=kind, original_name=name, content_type=content_type,
                                size=len(data), sha256=digest, uploaded_by=user)
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
        record("case.attachment_added", user=user, obj=case, changes={
            "attachment": attachment.pk, "kind": kind, "name": name, "content_type": content_type,
            "size": len(data), "sha256": digest})
    return attachment


def read_verified(attachment: Attachment, user: Any) -> bytes:
    """The stored bytes, after checking they still have the hash taken at upload (audited either way)."""
    with attachment.file.open("rb") as handle:
        data: bytes = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != attachment.sha256:
        record("case.attachment_refused", user=user, obj=attachment.case, changes={
            "attachment": attachment.pk, "name": attachment.original_name,
            "sha256": [attachment.sha256, digest]}, reason="stored file changed")
        raise WorkflowError(_("The stored file “%(name)s” has changed since it was uploaded (its SHA-256 differs); "
                              "it is not served. Tell the administrator.") % {"name": attachment.original_name})
    record("case.attachment_downloaded", user=user, obj=attachment.case, changes={
        "attachment": attachment.pk, "name": attachment.original_name, "sha256": digest})
    return data


__all__ = ["EXTENSIONS", "check_file", "check_size", "may_upload", "read_verified", "sniff", "upload"]
