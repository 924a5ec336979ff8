"""Writing and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from techguard.web.audit.models import AuditEvent

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


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    action: str,
    *,
    user: Any = None,
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
        authenticated = user is not None and getattr(user, "is_authenticated", False)
        event = AuditEvent(
            at=timezone.now().replace(microsecond=0),
            actor=user.get_username() if authenticated else "system",
            actor_id=user.pk if authenticated else None,
            role=role_of(user) if authenticated else "system",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            changes=clean_changes,
            reason=reason,
            prev_hash=last or GENESIS,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""


def verify() -> ChainReport:
    """Recompute every hash in order; the first break (edited row, removed row, reordering) is reported."""
    previous = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != previous:
            return ChainReport(count, False, event.pk, "prev_hash does not match the previous event's hash")
        if compute_hash(event) != event.hash:
            return ChainReport(count, False, event.pk, "hash does not match the event's content")
        previous = event.hash
    return ChainReport(count, True)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """field -> [old, new] for the fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


__all__ = ["GENESIS", "ChainReport", "compute_hash", "diff", "record", "verify"]
