"""A person's training status, and the approval check the case workflow asks before an approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.lookups import Exact
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
    if policy is None:
        read = _with_policy(person, today)
        if read is not None:
            return read
        policy = TrainingPolicy.current()  # the first read creates the organisation's policy row
    records = TrainingRecord.objects.filter(person=person)
    if policy.required_course:
        records = records.filter(course__iexact=policy.required_course)
    newest_first = list(records.order_by("-completed_on", "-pk"))  # one query: a person has few records
    current = any(r.is_current(today) for r in newest_first)
    latest = newest_first[0] if newest_first else None
    return TrainingStatus(current, latest, policy.require_current_training, policy.required_course)


def _with_policy(person: User, today: date) -> TrainingStatus | None:
    """The status and the policy it follows in one query (the case page shows it on every view): the policy row
    with the person's newest counting record and whether any is current as subqueries. None before the policy
    row exists. ``latest`` then holds the fields the status shows (course, completed, expires)."""
    required = OuterRef("required_course")
    counting = (TrainingRecord.objects.filter(person=person)
                .filter(Q(Exact(required, Value(""))) | Q(course__iexact=required))
                .order_by("-completed_on", "-pk"))

    def newest(field: str) -> Subquery:
        return Subquery(counting.values(field)[:1])

    row = (TrainingPolicy.objects.filter(pk=1)
           .annotate(latest_pk=newest("pk"), latest_course=newest("course"),
                     latest_completed=newest("completed_on"), latest_expires=newest("expires_on"),
                     has_current=Exists(counting.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))))
           .first())
    if row is None:
        return None
    extra: Any = row  # the annotations
    latest = (TrainingRecord(pk=extra.latest_pk, person=person, course=extra.latest_course,
                             completed_on=extra.latest_completed, expires_on=extra.latest_expires)
              if extra.latest_pk is not None else None)
    return TrainingStatus(bool(extra.has_current), latest, row.require_current_training, row.required_course)


__all__ = ["TrainingStatus", "training_status"]
