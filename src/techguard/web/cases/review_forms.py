"""The officer's and researcher's life-cycle forms: decision (last step), step signature, 差戻し, withdrawal,
attachment upload. No choice is preselected; the rules (conditions required, reasons required ...) live in
``workflow`` so that the pages and the API refuse with the same message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techguard.web.cases.models import DECISIONS, AttachmentKind

_EMPTY = [("", "---------")]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[*_EMPTY, *((d.value, d.label) for d in DECISIONS)])
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # required by the workflow (with the words the API gives too), so not by the form
    comment = forms.CharField(label=_("Reason / comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(forms.Form):
    """A step before the last: approve it (the next step follows) or reject the case."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        *_EMPTY, ("approved", _("Approve this step")), ("rejected", _("Reject the case"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "step")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning (差戻し理由)"),
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=[*_EMPTY, *AttachmentKind.choices])
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


__all__ = ["AttachmentForm", "DecisionForm", "ReturnForm", "StepForm", "WithdrawForm"]
