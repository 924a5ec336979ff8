"""Writing and verifying the audit trail: a keyed hash chain plus signed checkpoints kept outside the database.

Each event's ``hash`` is HMAC-SHA256, under a key that is not in the database, over the event and its
predecessor's hash. Whoever can write the table but not read the key cannot recompute a valid chain after
editing, deleting or inserting a row. Deleting the newest rows leaves a valid shorter chain, so after each
committed event the chain head (id + hash) is appended, signed with the same key, to a checkpoint file outside
the database; verification refuses a chain whose head is behind the newest checkpoint.
Events written before the key existed (``keyed`` false) carry plain SHA-256 and are accepted only before the
first keyed event. What is and is not detected: docs/admin-guide.md, "Audit trail".
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from techguard import config
from techguard.web.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

log = logging.getLogger("techguard.web.audit")

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7EC46A4D  # any constant: serialises chain appends across PostgreSQL sessions


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "actor_id": event.actor_id,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def key_path() -> Path:
    configured = getattr(settings, "TECHGUARD_AUDIT_KEY_FILE", "") or os.environ.get("TECHGUARD_AUDIT_KEY_FILE", "")
    return Path(configured) if configured else config.data_dir() / "audit-key"


def audit_key() -> bytes:
    """``TECHGUARD_AUDIT_KEY`` (env), else the key file (created with 32 random bytes on first use, mode 0600)."""
    given = os.environ.get("TECHGUARD_AUDIT_KEY", "").strip()
    if given:
        if len(given) < 32:
            raise RuntimeError("TECHGUARD_AUDIT_KEY must be at least 32 characters")
        return given.encode()
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        try:  # several processes may start at once: the first link wins, the others read its key
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < 32:
        raise RuntimeError(f"the audit key file {path.name} holds fewer than 32 characters")
    return text.encode()


def compute_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """HMAC-SHA256 under the audit key for keyed events; plain SHA-256 for events written before the key."""
    if not event.keyed:
        return hashlib.sha256(_canonical(event)).hexdigest()
    return hmac.new(key if key is not None else audit_key(), _canonical(event), hashlib.sha256).hexdigest()


def checkpoint_path() -> Path:
    configured = (getattr(settings, "TECHGUARD_AUDIT_CHECKPOINT_FILE", "")
                  or os.environ.get("TECHGUARD_AUDIT_CHECKPOINT_FILE", ""))
    return Path(configured) if configured else config.data_dir() / "audit-checkpoints.jsonl"


def _checkpoint_signature(event_id: int, event_hash: str, key: bytes) -> str:
    return hmac.new(key, f"checkpoint|{event_id}|{event_hash}".encode(), hashlib.sha256).hexdigest()


def write_checkpoint(event_id: int, event_hash: str) -> None:
    """Append the signed chain head to the checkpoint file (one JSON line; an exclusive lock per append)."""
    line = json.dumps({"id": event_id, "hash": event_hash, "at": timezone.now().isoformat(timespec="seconds"),
                       "sig": _checkpoint_signature(event_id, event_hash, audit_key())}) + "\n"
    path = checkpoint_path()
    try:
        with path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:  # the event is committed; verification will show it as not yet anchored
        log.exception("could not write the audit checkpoint for event %s", event_id)


@dataclass(frozen=True)
class Checkpoint:
    id: int
    hash: str


def read_checkpoints(
    path: Path | None = None, *, tail_bytes: int | None = None
) -> tuple[Checkpoint | None, list[str]]:
    """The newest validly signed checkpoint, and a problem per line that is not one (edited or forged).
    ``tail_bytes`` reads only the end of the file (the audit page), where the newest checkpoints are."""
    path = path or checkpoint_path()
    if not path.exists():
        return None, []
    key = audit_key()
    newest: Checkpoint | None = None
    problems = []
    with path.open("rb") as binary:
        skip_first = False
        if tail_bytes is not None and binary.seek(0, os.SEEK_END) > tail_bytes:
            binary.seek(-tail_bytes, os.SEEK_END)
            skip_first = True  # starts inside a line
        else:
            binary.seek(0)
        lines = binary.read().decode("utf-8", errors="replace").splitlines()
    if skip_first:
        lines = lines[1:]

    def where(index: int) -> str:  # in a tail the absolute line number is unknown
        return f"line {len(lines) - index} from the end" if skip_first else f"line {index + 1}"

    for index, raw in enumerate(lines):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            point = Checkpoint(int(entry["id"]), str(entry["hash"]))
            valid = hmac.compare_digest(str(entry["sig"]), _checkpoint_signature(point.id, point.hash, key))
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint file {where(index)} is not a checkpoint")
            continue
        if not valid:
            problems.append(f"checkpoint file {where(index)} has a wrong signature (edited, or another key)")
        elif newest is None or point.id > newest.id:
            newest = point
    return newest, problems


def record(
    action: str,
    *,
    user: User | AnonymousUser | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction when there is one)."""
    from techguard.web.accounts.roles import role_of

    # Round-trip through JSON now, so the hash is computed over exactly what the database will give back.
    # NUL characters are shown escaped: PostgreSQL's jsonb cannot hold them.
    clean_changes = json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str).replace("\\u0000", "\\\\u0000"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        # On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE), so no one appends between
        # reading the last hash and writing the next row.
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        actor = user if user is not None and user.is_authenticated else None  # anyone else is "system"
        event = AuditEvent(
            at=timezone.now().replace(microsecond=0),
            actor=actor.get_username() if actor is not None else "system",
            actor_id=actor.pk if actor is not None else None,
            role=role_of(actor) if actor is not None else "system",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            changes=clean_changes,
            reason=reason,
            prev_hash=last or GENESIS,
            keyed=True,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        # anchored outside the database once (and only if) the event is committed
        transaction.on_commit(lambda: write_checkpoint(event.pk, event.hash))
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""
    last_id: int | None = None
    last_hash: str = GENESIS
    warnings: tuple[str, ...] = field(default=())


def verify(*, since: tuple[int, str] | None = None) -> ChainReport:
    """Recompute the chain and compare its head with the newest signed checkpoint.

    Reported as broken: an edited row (its keyed hash no longer matches), a removed or inserted row (the next
    row's ``prev_hash`` no longer links), any of these redone with recomputed hashes by someone without the key,
    an unkeyed row after the first keyed one, rows removed from the end or the whole table emptied (the newest
    checkpoint's event is missing or differs), and an altered checkpoint file.
    ``since=(id, hash)`` continues from an event verified before (the audit page): that event must still have
    that hash; rows before it are not re-read (``techguard audit verify`` re-reads everything).
    """
    key = audit_key()
    checkpoint, problems = read_checkpoints(tail_bytes=64 * 1024 if since is not None else None)
    previous, count, seen_keyed = GENESIS, 0, False
    rows = AuditEvent.objects.order_by("id")
    if since is not None:
        anchor = AuditEvent.objects.filter(pk=since[0]).values_list("hash", "keyed").first()
        if anchor is None or anchor[0] != since[1]:
            return ChainReport(0, False, since[0], "an event verified before is missing or has changed")
        previous, seen_keyed = since[1], anchor[1]
        rows = rows.filter(pk__gt=since[0])
    last_id = since[0] if since else None
    checkpoint_seen = checkpoint is None or (since is not None and checkpoint.id <= since[0])
    for event in rows.iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != previous:
            return ChainReport(count, False, event.pk, "prev_hash does not match the previous event's hash "
                               "(an event was removed, inserted or reordered)")
        if event.keyed:
            seen_keyed = True
        elif seen_keyed:
            return ChainReport(count, False, event.pk, "unkeyed event after keyed ones (rewritten without the key)")
        if not hmac.compare_digest(compute_hash(event, key), event.hash):
            return ChainReport(count, False, event.pk, "hash does not match the event's content "
                               "(edited, or re-hashed without the audit key)")
        if checkpoint is not None and event.pk == checkpoint.id:
            if event.hash != checkpoint.hash:
                return ChainReport(count, False, event.pk, "event differs from the signed checkpoint of it")
            checkpoint_seen = True
        previous, last_id = event.hash, event.pk
    if not checkpoint_seen and checkpoint is not None:
        return ChainReport(count, False, checkpoint.id, f"event {checkpoint.id} of the newest signed checkpoint is "
                           "missing: events were removed from the end of the trail (or the table emptied)")
    if problems:
        return ChainReport(count, False, None, "; ".join(problems))
    warnings = []
    if checkpoint is None and count:
        warnings.append("no checkpoint file: removal of the newest events cannot be detected")
    elif checkpoint is not None and last_id is not None and last_id > checkpoint.id:
        warnings.append(f"events after {checkpoint.id} are not yet anchored in the checkpoint file")
    return ChainReport(count, True, last_id=last_id, last_hash=previous, warnings=tuple(warnings))


def _state_path(state_file: Path | None) -> Path:
    return state_file or config.data_dir() / "audit-verified.json"


def verification_state(state_file: Path | None = None) -> dict[str, Any]:
    """What was verified last, kept in the data directory: ``id`` and ``hash`` of the newest verified event,
    ``at`` (when), ``full_at`` (when the whole chain was last re-read); empty when never verified."""
    try:
        state = json.loads(_state_path(state_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _store_state(report: ChainReport, state_file: Path | None, *, full: bool) -> None:
    if not report.ok or report.last_id is None:
        return
    path = _state_path(state_file)
    now = timezone.now().isoformat(timespec="seconds")
    previous = verification_state(path)
    state = {"id": report.last_id, "hash": report.last_hash, "at": now,
             "full_at": now if full else previous.get("full_at")}
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(path)


def verify_incremental(state_file: Path | None = None) -> ChainReport:
    """For the audit page: verify only the events added since the last verified one (kept in a file of the
    data directory, with the time), plus the checkpoint comparison. A full verification re-reads everything."""
    state = verification_state(state_file)
    since = None
    try:
        since = (int(state["id"]), str(state["hash"]))
    except (ValueError, KeyError, TypeError):
        since = None
    report = verify(since=since)
    if not report.ok and since is not None and "verified before" in report.problem:
        report = verify()  # state from another database (restored backup, tests): start over
        _store_state(report, state_file, full=True)
    else:
        _store_state(report, state_file, full=since is None)
    if report.ok and since is not None:
        total = AuditEvent.objects.count()
        report = ChainReport(total, True, last_id=report.last_id, last_hash=report.last_hash,
                             warnings=report.warnings)
    return report


def verify_full(state_file: Path | None = None) -> ChainReport:
    """Re-read and re-hash the whole chain (the audit page's button, ``techguard audit verify``) and, when it
    is intact, make its head the starting point of the next incremental verification."""
    report = verify()
    _store_state(report, state_file, full=True)
    return report


def deep_diff(before: Any, after: Any, prefix: str = "") -> dict[str, list[Any]]:
    """Dotted path -> [old, new] for every leaf that changed, nested mappings (facts) followed: the audit
    record of a correction names ``facts.recipient.citizenships: ["CN"] → ["KR"]``, not two whole dicts.
    The caller must pass copies taken before the change (a shallow ``dict(case.facts)`` shares its inner
    mappings, and the diff of a mapping with itself is empty)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: dict[str, list[Any]] = {}
        for key in sorted(set(before) | set(after), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(deep_diff(before.get(key), after.get(key), path))
        return out
    return {} if before == after else {prefix: [before, after]}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """field -> [old, new] for the fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


__all__ = ["GENESIS", "ChainReport", "Checkpoint", "audit_key", "checkpoint_path", "compute_hash", "deep_diff", "diff",
           "read_checkpoints", "record", "verification_state", "verify", "verify_full", "verify_incremental",
           "write_checkpoint"]
