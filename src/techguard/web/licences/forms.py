"""The licence form. Its rules are the model's (``Licence.clean``), so it refuses what the API refuses, with
the same messages."""

from __future__ import annotations

from typing import Any

from django import forms

from techguard.web.licences.models import Jurisdiction, Licence, LicenceKind

_DATE = {"type": "date"}


class LicenceForm(forms.ModelForm):  # type: ignore[type-arg]  # generic in the stubs only
    class Meta:
        model = Licence
        fields = ("jurisdiction", "kind", "exception_code", "status", "number", "conditions", "valid_from",
                  "valid_until", "applied_on", "granted_on", "notes")
        widgets = {  # noqa: RUF012 (Django reads these class attributes)
            "exception_code": forms.TextInput(attrs={"list": "licence-exception-codes", "size": 6}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            **{name: forms.DateInput(attrs=_DATE) for name in ("valid_from", "valid_until", "applied_on",
                                                               "granted_on")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "not recorded" exists only for rows copied from the old single field; a new choice must be JP or US
        jurisdiction, kind = self.fields["jurisdiction"], self.fields["kind"]
        assert isinstance(jurisdiction, forms.ChoiceField) and isinstance(kind, forms.ChoiceField)  # model choices
        jurisdiction.choices = [(c.value, c.label) for c in Jurisdiction if c is not Jurisdiction.UNSPECIFIED]
        kind.choices = [(c.value, c.label) for c in LicenceKind if c is not LicenceKind.UNSPECIFIED]


__all__ = ["LicenceForm"]
