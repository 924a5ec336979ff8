"""Record retention: decided cases older than the retention period (EAR 15 CFR 762.6: five years from the
decision) may be deleted. The audit trail itself is never deleted; each deletion is an audit event that keeps
the case's reference and a SHA-256 of what was deleted."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from techguard.web.audit.chain import record

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def purge_expired(user: User | None = None, *, years: int | None = None, dry_run: bool = False) -> list[str]:
    """Delete decided cases whose decision is older than ``years``; returns the references."""
    from techguard.web.cases.models import DECISIONS, Case

    years = settings.TECHGUARD_RETENTION_YEARS if years is None else years
    cutoff = timezone.now() - timedelta(days=365 * years + years // 4)
    expired = Case.objects.filter(status__in=[d.value for d in DECISIONS], decided_at__lt=cutoff)
    references = []
    for case in expired:
        references.append(case.reference)
        if dry_run:
            continue
        content = json.dumps({"facts": case.facts, "assessment": case.assessment, "screening": case.screening,
                              "status": case.status}, sort_keys=True, default=str).encode()
        with transaction.atomic():
            record("case.purged", user=user, obj=case,
                   changes={"reference": case.reference, "sha256": hashlib.sha256(content).hexdigest(),
                            "decided_at": case.decided_at.isoformat() if case.decided_at else None},
                   reason=f"retention period of {years} years passed")
            case.history.all().delete()
            case.comments.all().delete()
            case.delete()
    return references


__all__ = ["purge_expired"]
