"""Licence expiry: what expires soon, flipping granted licences past their date to "expired" (with an audit
event), and the nightly reminders (90/30/7 days before) to the case's officers and researcher — each reminder
sent once per licence, expiry date and threshold (``LicenceReminder``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from techguard.web.accounts.models import Role
from techguard.web.accounts.roles import can_review_case, visible_cases
from techguard.web.audit.chain import diff, record
from techguard.web.licences.models import Licence, LicenceReminder, LicenceStatus
from techguard.web.mail import send_in_language

log = logging.getLogger("techguard.web.licences")

THRESHOLDS = (90, 30, 7)  # days before "valid until" at which the case's people are reminded


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def flip_expired(today: dt.date | None = None) -> list[Licence]:
    """Granted licences whose "valid until" has passed become "expired"; one audit event each (by the system)."""
    day = _today(today)
    flipped = []
    for licence in Licence.objects.select_related("case").filter(status=LicenceStatus.GRANTED,
                                                                 valid_until__lt=day):
        before = licence.snapshot()
        licence.status = LicenceStatus.EXPIRED
        with transaction.atomic():
            licence.save(update_fields=["status", "updated"])
            record("licence.expired", obj=licence.case,
                   changes={"licence": licence.pk, **diff(before, licence.snapshot())},
                   reason=f"valid until {licence.valid_until:%Y-%m-%d}")
        flipped.append(licence)
    return flipped


def expiring(within_days: int = 60, today: dt.date | None = None) -> list[Licence]:
    """Granted licences valid until a day within the next ``within_days`` days (after flipping those already
    past their date to "expired"), soonest first."""
    day = _today(today)
    flip_expired(day)
    return list(Licence.objects.select_related("case", "case__owner")
                .filter(status=LicenceStatus.GRANTED, valid_until__gte=day,
                        valid_until__lte=day + dt.timedelta(days=within_days))
                .order_by("valid_until", "pk"))


def expiring_rows(user: Any = None, within_days: int = 90, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Read-only rows for the expiring page and the dashboard: granted licences valid until within the window,
    including those past their date not yet flipped by the nightly run (``overdue``). With ``user``, only the
    cases they may see."""
    from techguard.web.cases.models import Case

    day = _today(today)
    licences = Licence.objects.select_related("case", "case__owner").filter(
        status=LicenceStatus.GRANTED, valid_until__lte=day + dt.timedelta(days=within_days))
    if user is not None:
        licences = licences.filter(case__in=visible_cases(user, Case.objects.all()))
    rows = []
    for licence in licences.order_by("valid_until", "pk"):
        assert licence.valid_until is not None  # filtered on it
        rows.append({
            "licence": licence, "case": licence.case, "reference": licence.case.reference,
            "title": licence.case.title, "case_url": reverse("case_detail", args=[licence.case_id]),
            "jurisdiction": licence.get_jurisdiction_display(), "kind": licence.get_kind_display(),
            "number": licence.exception_code if licence.is_exception else licence.number,
            "valid_until": licence.valid_until, "days_left": (licence.valid_until - day).days,
            "overdue": licence.valid_until < day,
        })
    return rows


def recipients(licence: Licence) -> list[Any]:
    """The case's officers — who decided it, who signed its approval steps, who recorded the licence; when none
    of them, every officer who may review it — and the researcher. Active users with an address, once each."""
    case = licence.case
    User = get_user_model()
    officer_ids = {case.decided_by_id, licence.created_by_id, licence.updated_by_id,
                   *case.approvals.values_list("user_id", flat=True)} - {None}
    officers = [u for u in User.objects.filter(pk__in=officer_ids, is_active=True) if can_review_case(u, case)]
    if not officers:
        candidates = User.objects.filter(is_active=True).filter(
            Q(profile__role__in=[Role.OFFICER, Role.ADMINISTRATOR]) | Q(is_superuser=True)).distinct()
        officers = [u for u in candidates if can_review_case(u, case)]
    people = {u.pk: u for u in [*officers, case.owner] if u.is_active and u.email}
    return list(people.values())


@dataclass
class ReminderRun:
    flipped: list[Licence] = field(default_factory=list)
    sent: list[LicenceReminder] = field(default_factory=list)  # one per licence reminded
    emails: int = 0


def due_threshold(days_left: int) -> int | None:
    """The tightest threshold crossed (7 when 5 days are left), or None when none is reached yet."""
    crossed = [t for t in THRESHOLDS if days_left <= t]
    return min(crossed) if crossed else None


def send_reminders(today: dt.date | None = None) -> ReminderRun:
    """The nightly job: flip what has expired, then remind about each granted licence whose tightest crossed
    threshold (90/30/7 days) has not been reminded for its current expiry date. A first run 5 days before expiry
    sends one reminder (7 days), not three."""
    day = _today(today)
    run = ReminderRun(flipped=flip_expired(day))
    for licence in expiring(max(THRESHOLDS), day):
        assert licence.valid_until is not None
        days_left = (licence.valid_until - day).days
        threshold = due_threshold(days_left)
        if threshold is None or licence.reminders.filter(valid_until=licence.valid_until,
                                                         threshold_days__lte=threshold).exists():
            continue
        people = recipients(licence)
        context = {"licence": licence, "case": licence.case, "days_left": days_left,
                   "case_url": settings.SITE_URL + reverse("case_detail", args=[licence.case_id])}
        sent_to = [u.email for u in people
                   if send_in_language(u, "licences/email/reminder", context, about=f"licence {licence.pk}")]
        if not sent_to:
            continue  # nobody told: try again tomorrow
        try:
            with transaction.atomic():
                reminder = LicenceReminder.objects.create(licence=licence, valid_until=licence.valid_until,
                                                          threshold_days=threshold, recipients=sent_to)
                record("licence.reminder_sent", obj=licence.case,
                       changes={"licence": licence.pk, "threshold_days": threshold, "recipients": sent_to})
        except IntegrityError:  # a concurrent run recorded it first
            continue
        run.sent.append(reminder)
        run.emails += len(sent_to)
    return run


__all__ = ["THRESHOLDS", "ReminderRun", "due_threshold", "expiring", "expiring_rows", "flip_expired",
           "recipients", "send_reminders"]
