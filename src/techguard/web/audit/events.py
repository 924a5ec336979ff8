"""How audit events read on the audit page and in its CSV: a translated name per event type, and the stored
``changes`` as "field: before → after" lines instead of a raw mapping.

The event codes stay what is hashed and stored; only their display goes through gettext. A code without a
label (an event added later) is shown as the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Any] = {
    "admin.added": _("Added in the administration"),
    "admin.changed": _("Changed in the administration"),
    "admin.deleted": _("Deleted in the administration"),
    "assessment.requested": _("Determination requested (API)"),
    "case.attachment_added": _("Document attached"),
    "case.attachment_downloaded": _("Document downloaded"),
    "case.attachment_refused": _("Document refused"),
    "case.checked": _("Automatic checks run"),
    "case.classification_confirmed": _("Classification confirmed"),
    "case.classification_proposed": _("Classification proposed"),
    "case.commented": _("Comment added"),
    "case.created": _("Case created"),
    "case.decided": _("Case decided"),
    "case.facts_answered": _("Facts answered"),
    "case.facts_corrected": _("Facts corrected"),
    "case.licence_updated": _("Licence updated"),
    "case.purged": _("Case deleted after the retention period"),
    "case.resubmitted": _("Case resubmitted"),
    "case.returned": _("Returned for correction"),
    "case.revision_opened": _("Revision opened"),
    "case.step_signed": _("Approval step signed"),
    "case.submitted": _("Case submitted"),
    "case.withdrawn": _("Case withdrawn"),
    "classification.confirm": _("Item classification confirmed"),
    "department.created": _("Department created"),
    "disclosure.flag_reviewed": _("Disclosure flag reviewed"),
    "disclosure.reviewed": _("Disclosure reviewed"),
    "licence.added": _("Licence added"),
    "licence.changed": _("Licence changed"),
    "licence.expired": _("Licence expired"),
    "licence.reminder_sent": _("Licence expiry reminder sent"),
    "lists.import_refused": _("List import refused"),
    "lists.imported": _("List imported"),
    "lists.update_queued": _("List update queued"),
    "lists.updated": _("Lists updated"),
    "login.failed": _("Failed log-in"),
    "research.resolved": _("Affiliations resolved"),
    "screening.allow_listed": _("Added to the allow list"),
    "screening.batch_done": _("Batch screening finished"),
    "screening.batch_failed": _("Batch screening failed"),
    "screening.batch_parsed": _("Batch file read"),
    "screening.batch_queued": _("Batch screening queued"),
    "screening.batch_refused": _("Batch file refused"),
    "screening.batch_resumed": _("Batch screening resumed"),
    "screening.counterparty_active": _("Counterparty activated or deactivated"),
    "screening.counterparty_created": _("Counterparty created"),
    "screening.hit_decided": _("Screening hit decided"),
    "screening.record_printed": _("Screening record printed"),
    "screening.rescreen_failed": _("Re-screening failed"),
    "screening.rescreened": _("Parties re-screened"),
    "screening.searched": _("Name screened"),
    "token.issued": _("API token issued"),
    "token.revoked": _("API token revoked"),
    "training.imported": _("Training records imported"),
    "training.policy_changed": _("Training policy changed"),
    "training.recorded": _("Training recorded"),
    "user.created": _("User created"),
    "user.department_changed": _("User's department changed"),
    "user.imported": _("User imported"),
    "user.invited": _("User invited"),
    "user.password_set": _("Password set"),
    "audit.exported": _("Audit trail exported"),
    "audit.verified": _("Audit trail fully verified"),
}

# The first part of an event code, for filtering a whole area at once.
AREA_LABELS: dict[str, Any] = {
    "case": _("Cases"),
    "screening": _("Screening"),
    "lists": _("Lists"),
    "user": _("Users"),
    "login": _("Log-in"),
    "token": _("API tokens"),
    "training": _("Training"),
    "classification": _("Classification"),
    "disclosure": _("Disclosures"),
    "research": _("Research security"),
    "admin": _("Administration"),
    "audit": _("Audit trail"),
}

# Keys whose two-element list is a list of things, not a [before, after] pair.
_LIST_KEYS = frozenset({"errors", "problems", "names", "rows_refused"})


def role_label(role: str) -> str:
    """The actor's role as recorded ("system" for events no one's request caused), translated."""
    from techguard.web.accounts.models import Role

    if role == "system":
        return str(_("system"))
    return str(dict(Role.choices).get(role, role))


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str | None  # None: not a change, ``after`` is the recorded value
    after: str

    @property
    def is_change(self) -> bool:
        return self.before is not None

    def text(self) -> str:
        return f"{self.field}: {self.before} → {self.after}" if self.is_change else f"{self.field}: {self.after}"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def change_lines(changes: Any, prefix: str = "") -> list[ChangeLine]:
    """The stored changes as lines: ``{field: [old, new]}`` (``audit.chain.diff``) as "field: old → new", nested
    before/after mappings (facts) down to the leaves that differ, anything else as "field: value"."""
    if not isinstance(changes, dict):
        return [] if changes in (None, "", {}) else [ChangeLine(prefix or "value", None, _value(changes))]
    lines: list[ChangeLine] = []
    for key, value in changes.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, list) and len(value) == 2 and key not in _LIST_KEYS:
            before, after = value
            if isinstance(before, dict) or isinstance(after, dict):
                lines.extend(_nested(before or {}, after or {}, path))
            else:
                lines.append(ChangeLine(path, _value(before), _value(after)))
        elif isinstance(value, dict):
            lines.extend(change_lines(value, path))
        else:
            lines.append(ChangeLine(path, None, _value(value)))
    return lines


def _nested(before: Any, after: Any, path: str) -> list[ChangeLine]:
    if isinstance(before, dict) and isinstance(after, dict):
        lines: list[ChangeLine] = []
        for key in sorted(set(before) | set(after), key=str):
            lines.extend(_nested(before.get(key), after.get(key), f"{path}.{key}"))
        return lines
    return [] if before == after else [ChangeLine(path, _value(before), _value(after))]


def change_summary(changes: Any) -> str:
    """The changes as one text (the CSV column)."""
    return "; ".join(line.text() for line in change_lines(changes))


__all__ = ["AREA_LABELS", "EVENT_LABELS", "ChangeLine", "change_lines", "change_summary", "event_label",
           "role_label"]
