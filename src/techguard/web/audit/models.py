"""The audit trail: one append-only row per action, each row hashing its predecessor.

The database refuses UPDATE and DELETE on this table (triggers created in migration 0002), so the chain can
only grow; :func:`techguard.web.audit.chain.verify` recomputes every (keyed) hash and compares the head with
the signed checkpoints kept outside the database.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, blank=True)  # the username at the time (users may be renamed)
    actor_id = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=64, db_index=True)  # "case.submitted", "case.reviewed", ...
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)  # field -> [old, new] or other structured detail
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # True: ``hash`` is HMAC-SHA256 under the audit key (every event since the key was introduced);
    # False: plain SHA-256, only for events written before (accepted only before the first keyed event).
    keyed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]  # noqa: RUF012 (Django reads these class attributes)

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"
