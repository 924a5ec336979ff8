"""The pre-check forms: one per kind of activity. Each field is a widget over the core intake model
(:mod:`techguard.rules.intake`): the form cleans through it, so the web and the API accept and refuse the same
answers with the same messages. Anything else the engine needs is asked afterwards from its missing facts
(see interview.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from techguard.rules.intake import Intake, IntakeError, parse_intake
from techguard.web.cases.intake_fields import FIELD_SPECS, KIND_FIELDS, initial_from_intake

__all__ = ["KIND_FIELDS", "CommentForm", "IntakeForm", "initial_from_intake", "precheck_form"]


class IntakeForm(forms.Form):
    """The title plus the intake fields of one kind. ``self.intake`` is the typed intake once valid."""

    intake: Intake | None = None

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        language = (get_language() or "en").split("-")[0]
        self.fields = {"title": forms.CharField(label=_("Short title"), max_length=200)}
        for name in KIND_FIELDS[kind]:
            self.fields[name] = FIELD_SPECS[name].field(name, language)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = {name: data.get(name) for name in KIND_FIELDS[self.kind]}
        try:
            self.intake = parse_intake(self.kind, raw)
        except IntakeError as exc:
            language = get_language() or "en"  # the request's (LocaleMiddleware, then the user's profile)
            for field, message in exc.errors:
                self.add_error(field if field in self.fields else None, message.localized(language))
            return data
        data.update({name: getattr(self.intake, name) for name in KIND_FIELDS[self.kind]})
        return data


def precheck_form(kind: str, data: Any = None, initial: dict[str, Any] | None = None) -> IntakeForm:
    """The pre-check form of ``kind``."""
    if kind not in KIND_FIELDS:
        raise ValueError(f"unknown case kind {kind!r}")
    return IntakeForm(kind, data=data, initial=initial)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
