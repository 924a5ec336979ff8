"""The audit page's filters: period, user, event type (one event or a whole area), object or case reference."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from techguard.web.audit.events import AREA_LABELS, EVENT_LABELS

_REFERENCE = re.compile(r"^TG-\d{4}-0*(\d+)$", re.IGNORECASE)
_TYPED = re.compile(r"^([a-z_]+\.[a-z_]+):(.+)$")


def _event_choices() -> list[tuple[str, Any]]:
    areas = [(f"{area}.", _("All: %(area)s") % {"area": label}) for area, label in AREA_LABELS.items()]
    events = sorted(EVENT_LABELS.items(), key=lambda item: item[0])
    return [("", _("All events")), *areas, *[(code, f"{label} ({code})") for code, label in events]]


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    # a select of the known events and areas; any event code is accepted (events added later have no label yet)
    event = forms.RegexField(label=_("Event"), required=False, regex=r"^[a-z_]+\.([a-z_.]*)$", max_length=64,
                             # a callable, read at each render (labels in the page's language): Django 5 takes
                             # one, its stubs do not
                             widget=forms.Select(choices=_event_choices))  # type: ignore[arg-type]
    target = forms.CharField(label=_("Object or case reference"), required=False, max_length=100,
                             help_text=_("A case reference (TG-2026-00012), type:id (cases.case:12) or an id"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def apply(self, events: QuerySet[Any]) -> QuerySet[Any]:
        """``events`` narrowed by the valid filters (an invalid form filters nothing; its errors are shown)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        if data.get("user", "").strip():
            events = events.filter(actor__iexact=data["user"].strip())
        event = data.get("event") or ""
        if event.endswith("."):
            events = events.filter(action__startswith=event)
        elif event:
            events = events.filter(action=event)
        target = data.get("target", "").strip()
        if target:
            events = events.filter(**_target_filter(target))
        return events


def _target_filter(target: str) -> dict[str, str]:
    if match := _REFERENCE.match(target):
        return {"object_type": "cases.case", "object_id": str(int(match.group(1)))}
    if match := _TYPED.match(target):
        return {"object_type": match.group(1), "object_id": match.group(2)}
    return {"object_id": target}


__all__ = ["AuditFilterForm"]
