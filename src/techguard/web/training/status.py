"""A person's training status, and the approval check the case workflow asks before an approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone

from techguard.web.training.models import TrainingPolicy, TrainingRecord


@dataclass(frozen=True)
class TrainingStatus:
    current: bool
    latest: TrainingRecord | None  # the newest record that counts (current or not)
    required: bool  # the organisation requires current training before approval
    required_course: str


def training_status(person: User, on: date | None = None, policy: TrainingPolicy | None = None) -> TrainingStatus:
    today = on or timezone.localdate()
    policy = policy or TrainingPolicy.current()
    records = TrainingRecord.objects.filter(person=person)
    if policy.required_course:
        records = records.filter(course__iexact=policy.required_course)
    newest_first = list(records.order_by("-completed_on", "-pk"))  # one query: a person has few records
    current = any(r.is_current(today) for r in newest_first)
    latest = newest_first[0] if newest_first else None
    return TrainingStatus(current, latest, policy.require_current_training, policy.required_course)


__all__ = ["TrainingStatus", "training_status"]
