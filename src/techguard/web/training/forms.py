from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from techguard.web.training.models import TrainingPolicy


class TrainingRecordForm(forms.Form):
    person = forms.CharField(label=_("Person (user name or e-mail)"), max_length=254)
    course = forms.CharField(label=_("Course"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Blank: the policy's validity from the completion date."))

    def clean_person(self) -> Any:
        who = self.cleaned_data["person"].strip()
        found = list(get_user_model().objects.filter(Q(username__iexact=who) | Q(email__iexact=who))[:2])
        if len(found) != 1:
            raise forms.ValidationError(_("No single user has this user name or e-mail address."))
        return found[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expires_on") and data.get("completed_on") and data["expires_on"] < data["completed_on"]:
            self.add_error("expires_on", _("The expiry is before the completion date."))
        return data


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]  # generic in the stubs only
    class Meta:
        model = TrainingPolicy
        fields = ("require_current_training", "required_course", "validity_months")
