"""Pages of the case workflow. Every case lookup goes through ``_case_for`` (object-level permission)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.roles import can_edit_case, can_review_case, is_officer, visible_cases
from techguard.web.audit.models import AuditEvent
from techguard.web.cases import classify, workflow
from techguard.web.cases.forms import CommentForm, LicenceForm, ReviewForm, precheck_form
from techguard.web.cases.interview import MissingFactsForm
from techguard.web.cases.models import Case, CaseKind, CaseStatus
from techguard.web.classification import services


def _case_for(request: HttpRequest, pk: int) -> Case:
    case = visible_cases(request.user, Case.objects.select_related("owner", "department")).filter(pk=pk).first()
    if case is None:
        raise Http404(_("No such case."))  # the same answer whether it exists or is someone else's
    return case


@login_required
def home(request: HttpRequest) -> HttpResponse:
    mine = Case.objects.filter(owner=request.user)[:20]
    to_review = (
        visible_cases(request.user, Case.objects.filter(status=CaseStatus.SUBMITTED).select_related("owner"))
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
    context: dict[str, Any] = {
        "case": case,
        "us": case.assessment["us_ear"] if case.assessment else None,
        "jp": case.assessment["jp_fefta"] if case.assessment else None,
        "open_science": workflow.open_science(case),
        "can_edit": can_edit_case(request.user, case),
        "can_review": can_review_case(request.user, case),
        "interview": MissingFactsForm(missing) if can_edit_case(request.user, case) and missing else None,
        "review_form": ReviewForm(),
        "licence_form": LicenceForm(initial={"licence_status": case.licence_status,
                                             "licence_number": case.licence_number,
                                             "licence_expiry": case.licence_expiry}),
        "comment_form": CommentForm(),
        "events": AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)),
        "comments": case.comments.select_related("author"),
        **_classification_context(request, case),
    }
    return render(request, "cases/detail.html", context)


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
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("Submitted for review. An export-control officer has been notified.")
                     if getattr(case, "officers_notified", 0) else _("Submitted for review."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    if not can_review_case(request.user, case):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect("case_detail", pk=case.pk)
    data = form.cleaned_data
    try:
        workflow.decide(case, request.user, data["decision"], data["comment"], conditions=data["conditions"],
                        licence_status=data.get("licence_status") or "",
                        licence_number=data.get("licence_number") or "",
                        licence_expiry=data.get("licence_expiry"))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded and the researcher notified.")
                         if getattr(case, "owner_notified", False) else
                         _("Decision recorded. No e-mail could be sent to the researcher; tell them directly."))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_licence(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    if not can_review_case(request.user, case):
        raise PermissionDenied
    form = LicenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        workflow.update_licence(case, request.user, data["comment"], licence_status=data["licence_status"] or "",
                                licence_number=data["licence_number"], licence_expiry=data["licence_expiry"])
    return redirect("case_detail", pk=case.pk)


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
    pdf = memo_pdf(case, language=request.GET.get("lang") or getattr(request, "LANGUAGE_CODE", "en"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-memo.pdf"'
    return response
