"""Licences of a case: several per case (JP 役務取引許可 / 輸出許可 / 包括許可, US BIS licence or licence exception),
each with number, conditions, validity and status; and the expiry reminders already sent (no duplicates)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Jurisdiction(models.TextChoices):
    JP = "jp", _("Japan (外為法 FEFTA)")
    US = "us", _("United States (EAR)")
    # Only rows copied from the single licence a case had before licences were itemised, when neither
    # determination said a licence was needed (so which law it was under is unknown); an officer sets it on edit.
    UNSPECIFIED = "unspecified", _("Not recorded (copied from the earlier single licence field)")


class LicenceKind(models.TextChoices):
    JP_SERVICE = "jp_service", _("役務取引許可 (technology provision licence, FEFTA Art. 25(1))")
    JP_EXPORT = "jp_export", _("輸出許可（個別） (individual export licence, FEFTA Art. 48(1))")
    JP_BULK = "jp_bulk", _("包括許可 used (bulk licence)")
    JP_APPROVAL = "jp_approval", _("輸出承認 (export approval, FEFTA Art. 48(3))")
    US_LICENCE = "us_licence", _("BIS licence (15 CFR Part 750)")
    US_EXCEPTION = "us_exception", _("Licence exception used (15 CFR Part 740)")
    UNSPECIFIED = "unspecified", _("Not recorded (copied from the earlier single licence field)")


KINDS_OF: dict[str, frozenset[str]] = {
    Jurisdiction.JP: frozenset({LicenceKind.JP_SERVICE, LicenceKind.JP_EXPORT, LicenceKind.JP_BULK,
                                LicenceKind.JP_APPROVAL}),
    Jurisdiction.US: frozenset({LicenceKind.US_LICENCE, LicenceKind.US_EXCEPTION}),
    Jurisdiction.UNSPECIFIED: frozenset({LicenceKind.UNSPECIFIED}),
}
EXCEPTION_KINDS = frozenset({LicenceKind.US_EXCEPTION})


class LicenceStatus(models.TextChoices):
    PREPARING = "preparing", _("Application being prepared")
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned or cancelled")


class Licence(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="licences",
                             verbose_name=_("case"))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=16, choices=Jurisdiction.choices)
    kind = models.CharField(_("kind of licence"), max_length=16, choices=LicenceKind.choices)
    # a licence exception's code (TSU, ENC, TMP, BAG …) and its Part 740 section, copied from the rule table in
    # force when it was recorded so the record stands after the table changes
    exception_code = models.CharField(_("licence exception code"), max_length=8, blank=True)
    exception_citation = models.CharField(_("citation"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LicenceStatus.choices,
                              default=LicenceStatus.PREPARING)
    number = models.CharField(_("licence number"), max_length=100, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("updated by"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "jurisdiction", "pk"]  # noqa: RUF012 (Django reads these class attributes)
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def clean(self) -> None:
        """The one set of rules for the web form, the API and the admin (messages in ja/en)."""
        from django.core.exceptions import ValidationError

        from techguard.web.licences.validation import normalise, problems

        normalise(self)
        found = problems(self)
        if found:
            raise ValidationError(found)

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit event records, before and after a change."""
        return {
            "licence": self.pk, "jurisdiction": self.jurisdiction, "kind": self.kind,
            "exception_code": self.exception_code, "exception_citation": self.exception_citation,
            "status": self.status, "number": self.number, "conditions": self.conditions,
            "valid_from": _iso(self.valid_from), "valid_until": _iso(self.valid_until),
            "applied_on": _iso(self.applied_on), "granted_on": _iso(self.granted_on), "notes": self.notes,
        }

    @property
    def is_exception(self) -> bool:
        return self.kind in EXCEPTION_KINDS

    def __str__(self) -> str:
        label = self.exception_code if self.is_exception else self.number
        return f"{self.get_kind_display()} {label}".strip()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


class LicenceReminder(models.Model):
    """One expiry reminder sent: per licence, per expiry date (a renewed licence is reminded again) and per
    threshold (90/30/7 days), so the nightly run never sends the same reminder twice."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField()
    threshold_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)  # the addresses it went to

    class Meta:
        constraints = [  # noqa: RUF012 (Django reads these class attributes)
            models.UniqueConstraint(fields=["licence", "valid_until", "threshold_days"],
                                    name="licence_reminder_once"),
        ]
