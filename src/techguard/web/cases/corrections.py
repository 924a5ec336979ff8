"""Fact corrections: the pre-check answers of a case corrected after the fact, by its researcher before a decision
or by an officer who reviews it at any time. A decided case stays as it was decided: the correction opens a new
revision (workflow.open_revision) and is made there. Every correction keeps the answers with the case, records
the before/after of each changed field with the reason in the audit trail, and re-runs the checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techguard.rules.activity import INTAKE_KEY
from techguard.rules.intake import Intake, IntakeError, flatten, parse_intake, rebase_facts
from techguard.web.accounts.roles import can_review_case, visible_cases
from techguard.web.audit.chain import record
from techguard.web.cases import workflow
from techguard.web.cases.forms import IntakeForm, initial_from_intake
from techguard.web.cases.models import Case, CaseStatus

# Before a decision the researcher may still correct what they answered (also after 差戻し).
OWNER_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED})


def who_may_correct(user: Any, case: Case) -> str | None:
    """``"officer"``, ``"owner"`` or ``None``: a withdrawn case is corrected by no one."""
    if case.status == CaseStatus.WITHDRAWN:
        return None
    if can_review_case(user, case):
        return "officer"
    if case.owner_id == user.pk and case.status in OWNER_STATUSES:
        return "owner"
    return None


def _derived(kind: str, stored: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers kept with a case and the facts they gave ({} when none were kept or they no longer parse)."""
    if not stored:
        return {}, {}
    try:
        return stored, parse_intake(kind, stored).to_activity(settings.TECHGUARD_HOME_COUNTRY)[0]
    except IntakeError:
        return stored, {}


def apply_correction(case: Case, user: Any, intake: Intake, reason: str, title: str | None = None) -> Case:
    """Correct ``case`` (or, when decided, a new revision of it) to ``intake``; returns the case corrected.
    Raises :class:`workflow.WorkflowError` when nothing changed."""
    if not reason.strip():
        raise workflow.WorkflowError("a correction needs a reason")
    old_answers, old_derived = _derived(case.kind, case.facts.get(INTAKE_KEY))
    new_derived, parties = intake.to_activity(settings.TECHGUARD_HOME_COUNTRY)
    new_answers = intake.to_json()
    facts = {**rebase_facts(case.facts, old_derived, new_derived), INTAKE_KEY: new_answers}
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(old_answers) | set(new_answers)):
        if old_answers.get(name) != new_answers.get(name):
            changes[f"intake.{name}"] = [old_answers.get(name), new_answers.get(name)]
    before, after = (flatten({k: v for k, v in f.items() if k != INTAKE_KEY}) for f in (case.facts, facts))
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            changes[f"facts.{path}"] = [before.get(path), after.get(path)]
    if case.parties != parties:
        changes["parties"] = [case.parties, parties]
    new_title = title if title and title != case.title else None
    if new_title:
        changes["title"] = [case.title, new_title]
    if not changes:
        raise workflow.WorkflowError("nothing was changed")
    # the revision holds the decided case's facts and parties, so the changes above are its changes too
    target = workflow.open_revision(case, user) if case.is_decided else case
    if new_title:
        target.title = new_title
    target.facts = facts
    target.parties = parties
    with transaction.atomic():
        target.save(update_fields=["facts", "parties", "title", "updated"])
        record("case.facts_corrected", user=user, obj=target, changes=changes, reason=reason.strip())
    return workflow.run_checks(target, user)


class CorrectionForm(IntakeForm):
    """The pre-check form of the case's kind, filled with its answers, plus the reason for the correction."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(kind, *args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=gettext_lazy("Reason for the correction"), max_length=2000,
            help_text=gettext_lazy("Kept in the audit trail with the values before and after."),
            widget=forms.Textarea(attrs={"rows": 2}),
        )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_cases(request.user, Case.objects.select_related("owner")).filter(pk=pk).first()
    if case is None:
        raise Http404(_("No such case."))
    if who_may_correct(request.user, case) is None:
        raise PermissionDenied(_("This case cannot be corrected by you in its current state."))
    stored = case.facts.get(INTAKE_KEY)
    context: dict[str, Any] = {"case": case, "revision": case.is_decided, "form": None}
    if not isinstance(stored, dict):
        # created from raw facts (API) before answers were kept: there is nothing to correct here
        return render(request, "cases/edit.html", context)
    initial = {"title": case.title, **initial_from_intake(stored)}
    form = CorrectionForm(case.kind, data=request.POST if request.method == "POST" else None, initial=initial)
    context["form"] = form
    if request.method == "POST" and form.is_valid() and form.intake is not None:
        try:
            target = apply_correction(case, request.user, form.intake, form.cleaned_data["reason"],
                                      form.cleaned_data["title"])
        except workflow.WorkflowError as exc:
            form.add_error(None, _("Nothing was changed.") if "nothing" in str(exc) else str(exc))
        else:
            if target.pk != case.pk:
                messages.success(request, _("The case was decided: the correction opened revision %(ref)s.")
                                 % {"ref": target.reference})
            else:
                messages.success(request, _("Facts corrected; the checks were run again."))
            return redirect("case_detail", pk=target.pk)
    return render(request, "cases/edit.html", context)


__all__ = ["OWNER_STATUSES", "CorrectionForm", "apply_correction", "case_edit", "who_may_correct"]
