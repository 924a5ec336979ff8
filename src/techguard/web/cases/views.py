"""Pages of the case workflow. Every case lookup goes through ``_case_for`` (object-level permission)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.roles import (
    can_edit_case,
    can_review_case,
    is_officer,
    visible_case,
    visible_cases,
)
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.cases import attachments, case_record, classify, corrections, routes, workflow
from techguard.web.cases.forms import CommentForm, precheck_form
from techguard.web.cases.intake_fields import intake_rows
from techguard.web.cases.interview import MissingFactsForm
from techguard.web.cases.models import IN_REVIEW, WITHDRAWABLE, Case, CaseKind, CaseStatus
from techguard.web.cases.review_forms import AttachmentForm, DecisionForm, ReturnForm, StepForm, WithdrawForm
from techguard.web.classification import services
from techguard.web.licences.services import licences_for_case


def _case_for(request: HttpRequest, pk: int) -> Case:
    # the route is chosen in the same query: the page and every step of the workflow ask for it
    case = visible_case(request.user, routes.with_route(Case.objects.select_related("owner", "department")), pk)
    if not isinstance(case, Case):
        raise Http404(_("No such case."))  # the same answer whether it exists or is someone else's
    return case


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    mine = Case.objects.filter(owner=request.user)[:20]
    to_review = (
        visible_cases(request.user, Case.objects.filter(status__in=IN_REVIEW).select_related("owner"))
        .exclude(owner=request.user)[:50]
        if is_officer(request.user) else []
    )
    return render(request, "cases/home.html", {"mine": mine, "to_review": to_review, "kinds": CaseKind.choices})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user, Case.objects.select_related("owner"))
    status = request.GET.get("status")
    if status:
        cases = cases.filter(status=status)
    return render(request, "cases/list.html", {"cases": cases[:500], "statuses": CaseStatus.choices,
                                               "status": status})


@login_required
def case_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CaseKind.values:
        raise Http404(_("No such form."))
    form = precheck_form(kind, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.intake is not None:
        facts, parties = form.intake.to_case(settings.TECHGUARD_HOME_COUNTRY)
        case = workflow.create_case(request.user, kind, form.cleaned_data["title"], facts, parties)
        workflow.run_checks(case, request.user)
        return redirect("case_detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form, "kind": kind, "kind_label": CaseKind(kind).label})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    missing = workflow.missing_facts(case)
    events = case_record.case_events(case)
    context: dict[str, Any] = {
        "case": case,
        "us": case.assessment["us_ear"] if case.assessment else None,
        "jp": case.assessment["jp_fefta"] if case.assessment else None,
        "open_science": workflow.open_science(case),
        "can_edit": can_edit_case(request.user, case),
        "can_review": can_review_case(request.user, case),
        "interview": MissingFactsForm(missing) if can_edit_case(request.user, case) and missing else None,
        "comment_form": CommentForm(),
        "can_correct": corrections.who_may_correct(request.user, case) is not None,
        "answers": intake_rows(case.kind, case.facts.get("intake") or {}, request.LANGUAGE_CODE),
        "engine_facts": {key: value for key, value in case.facts.items() if key != "intake"},
        "licences": licences_for_case(case),
        **_lifecycle_context(request, case),
        "events": events,
        "comments": case_record.comments_in(events),  # from the record: one query for both sections
        **_classification_context(request, case),
    }
    return render(request, "cases/detail.html", context)


def _lifecycle_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The 決裁欄, the officer's forms for the current step, withdrawal, attachments."""
    is_owner = case.owner_id == request.user.pk
    can_review = can_review_case(request.user, case)
    board = routes.board(case)
    refusal = (workflow.signing_refusal(case, request.user, board["steps"], board["approvals"])
               if can_review else None)
    may_sign = can_review and refusal is None
    return {
        "board": board,
        "signing_refusal": refusal,
        "review_form": DecisionForm() if may_sign and (board["is_final"] or case.is_decided) else None,
        "step_form": StepForm() if may_sign and board["pending"] and not board["is_final"] else None,
        "return_form": ReturnForm() if can_review and case.status in IN_REVIEW else None,
        "withdraw_form": WithdrawForm() if is_owner and case.status in WITHDRAWABLE else None,
        "attachment_form": AttachmentForm() if attachments.may_upload(request.user, case) else None,
        "attachments": case.attachments.select_related("uploaded_by"),
    }


def _classification_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The 該非判定 section: the researcher's search (``?classify_q=``), the latest proposal, the officer form."""
    if not classify.has_item(case):
        return {}
    out: dict[str, Any] = {"classify": True, "proposal": classify.latest_proposal(case),
                           "can_confirm": can_review_case(request.user, case) and not case.is_decided}
    query = request.GET.get("classify_q")
    # the researcher's own description of the item is the first thing to search for
    out["classify_query"] = query if query is not None else str(case.facts.get("item", {}).get("description", ""))
    if query is not None and can_edit_case(request.user, case):
        out["classify_lang"] = request.GET.get("classify_lang") or ""
        try:
            out["classify_answer"] = classify.candidates_for(query, lang=out["classify_lang"] or None)
        except services.CatalogueError as exc:
            out["classify_error"] = str(exc)
    return out


@login_required
@require_POST
def case_classify_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    choice = request.POST.get("choice", "")
    try:
        index = None if choice == "none" else int(choice)
    except ValueError:
        messages.error(request, _("Pick a candidate or “none fits”."))
        return redirect("case_detail", pk=case.pk)
    try:
        classify.propose(case, request.user, request.POST.get("query", ""), choice=index,
                         lang=request.POST.get("lang") or None)
    except workflow.WorkflowError as exc:
        raise PermissionDenied(str(exc)) from exc
    except (services.CatalogueError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your proposed classification was recorded; the officer confirms it."))
    return redirect(reverse("case_detail", args=[case.pk]) + "#classify")


@login_required
@require_POST
def case_classify_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    if not can_review_case(request.user, case):
        raise PermissionDenied
    post = request.POST
    try:
        classify.confirm(case, request.user, eccn=post.get("eccn", ""), jp_item=post.get("jp_item", ""),
                         jp_article=post.get("jp_article", ""), reasons=post.get("reasons", ""),
                         item_name=post.get("item_name", ""))
    except (workflow.WorkflowError, services.CatalogueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Classification confirmed and the checks re-run."))
    return redirect(reverse("case_detail", args=[case.pk]) + "#classify")


@login_required
@require_POST
def case_answer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    if not can_edit_case(request.user, case):
        raise PermissionDenied
    form = MissingFactsForm(workflow.missing_facts(case), request.POST)
    if form.is_valid():
        answers = form.facts()
        if answers:
            workflow.update_facts(case, request.user, answers)
        else:
            messages.info(request, _("No new answers were given."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    if not (can_edit_case(request.user, case) or can_review_case(request.user, case)):
        raise PermissionDenied
    if case.is_decided:  # frozen: the decision keeps the assessment it rested on
        revision = workflow.open_revision(case, request.user)
        return redirect("case_detail", pk=revision.pk)
    workflow.run_checks(case, request.user)
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    try:
        workflow.submit(case, request.user)
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc)
    messages.success(request, _("Submitted for review. An export-control officer has been notified.")
                     if case.officers_notified else _("Submitted for review."))
    return redirect("case_detail", pk=case.pk)


def _refuse(request: HttpRequest, case: Case, exc: workflow.WorkflowError, anchor: str = "") -> HttpResponse:
    """A refused step: a permission refusal is a 403 (with the reason), a state refusal goes back to the case
    with the reason shown. The words are the workflow's, as the API gives them."""
    if isinstance(exc, workflow.NotAllowed):
        return render(request, "cases/refused.html", {"case": case, "reason": str(exc)}, status=403)
    messages.error(request, str(exc))
    return redirect(reverse("case_detail", args=[case.pk]) + anchor)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")


@login_required
@require_POST
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The last step of the approval route: the decision."""
    case = _case_for(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("case_detail", args=[case.pk]) + "#review")
    data = form.cleaned_data
    try:
        workflow.decide(case, request.user, data["decision"], data["comment"], conditions=data["conditions"])
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc, "#review")
    messages.success(request, _("Decision recorded and the researcher notified.")
                     if case.owner_notified else
                     _("Decision recorded. No e-mail could be sent to the researcher; tell them directly."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a step before the last: approve it or reject the case."""
    case = _case_for(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("case_detail", args=[case.pk]) + "#review")
    data = form.cleaned_data
    try:
        workflow.sign(case, request.user, data["outcome"], data["comment"])
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc, "#review")
    messages.success(request, _("Step signed; the officers for the next step were notified.")
                     if case.officers_notified else _("Step signed."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    """差戻し: back to the researcher with a reason."""
    case = _case_for(request, pk)
    form = ReturnForm(request.POST)
    try:
        workflow.return_case(case, request.user, form.data.get("return-reason", ""))
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc, "#review")
    messages.success(request, _("Returned to the researcher for correction, who was notified by e-mail.")
                     if case.owner_notified else
                     _("Returned to the researcher for correction. No e-mail could be sent; tell them directly."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = WithdrawForm(request.POST)
    try:
        workflow.withdraw(case, request.user, form.data.get("withdraw-reason", ""))
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc, "#lifecycle")
    messages.success(request, _("The case was withdrawn."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("case_detail", args=[case.pk]) + "#attachments")
    uploaded = form.cleaned_data["file"]
    try:
        attachments.check_size(uploaded.size)  # before reading it into memory
        attachments.upload(case, request.user, form.cleaned_data["kind"], uploaded.name, uploaded.read())
    except workflow.WorkflowError as exc:
        return _refuse(request, case, exc, "#attachments")
    messages.success(request, _("Document added."))
    return redirect(reverse("case_detail", args=[case.pk]) + "#attachments")


@login_required
def case_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse | FileResponse:
    case = _case_for(request, pk)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("No such document."))
    try:
        data = attachments.read_verified(attachment, request.user)
    except workflow.WorkflowError as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@login_required
@require_POST
def case_comment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        workflow.add_comment(case, request.user, form.cleaned_data["text"])
    return redirect("case_detail", pk=case.pk)


@login_required
def case_memo(request: HttpRequest, pk: int) -> HttpResponse:
    from techguard.web.cases.memo import memo_pdf

    case = _case_for(request, pk)
    pdf = memo_pdf(case, language=request.GET.get("lang") or request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-memo.pdf"'
    return response
