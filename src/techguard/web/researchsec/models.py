"""A disclosure review: a researcher's disclosure, its validation, and the reconciliation of declared against
published affiliations, with each flag's human review state (the history of states is kept in the flag)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from techguard.web.accounts.models import Department


class DisclosureReview(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosures")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL)
    person = models.CharField(max_length=300)
    orcid = models.CharField(max_length=40, blank=True)
    as_of = models.DateField()
    disclosure = models.JSONField()  # disclosure_to_json(...)
    issues = models.JSONField(default=list)  # validation issues: [{"path", "message", "severity"}]
    programs = models.JSONField(default=list)  # MFTRP assessment per talent programme
    flags = models.JSONField(default=list)  # Flag.as_dict() per flag, with "state" and "history"
    sources = models.JSONField(default=list)  # the publication files read
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created",)

    @property
    def open_flags(self) -> int:
        return sum(1 for f in self.flags if f["state"] == "unreviewed" and f["kind"] == "undeclared_affiliation")
