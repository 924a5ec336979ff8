"""Export-control training per person (course, date, expiry) and the organisation's training policy."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class TrainingPolicy(models.Model):
    """The organisation's setting (one row, pk=1): whether current training is required before approval."""

    require_current_training = models.BooleanField(
        _("require current training before approval"), default=False,
        help_text=_("An officer cannot approve a case while its researcher has no current training on record."))
    required_course = models.CharField(
        _("required course"), max_length=200, blank=True,
        help_text=_("Only records of this course count; blank: any recorded course."))
    validity_months = models.PositiveIntegerField(
        _("validity (months)"), default=12,
        help_text=_("Expiry given to a record that has none (0: such records never expire)."))

    class Meta:
        verbose_name = _("training policy")
        verbose_name_plural = _("training policy")

    @classmethod
    def current(cls) -> TrainingPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    def __str__(self) -> str:
        return str(_("training policy"))


class TrainingRecord(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records",
                               verbose_name=_("person"))
    course = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)  # None: does not expire
    source = models.CharField(_("source"), max_length=300, blank=True)  # "entered by …" or "file.csv, line 3"
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]  # noqa: RUF012 (Django reads these class attributes)
        constraints = [  # noqa: RUF012
            # the same LMS export imported twice does not duplicate records
            models.UniqueConstraint(fields=["person", "course", "completed_on"], name="training_once_per_day"),
        ]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def is_current(self, on: date) -> bool:
        return self.expires_on is None or self.expires_on >= on

    def __str__(self) -> str:
        return f"{self.person} — {self.course} ({self.completed_on:%Y-%m-%d})"
