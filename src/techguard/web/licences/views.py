"""Licence pages: a case's licences with the add/edit forms (officers who may review the case), and the list of
what expires for officers. The case is looked up as every case page does (``cases.views._case_for``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from techguard.web.accounts.roles import can_review_case, is_officer
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.cases.views import _case_for
from techguard.web.licences import reminders, services
from techguard.web.licences.forms import LicenceForm
from techguard.web.licences.models import Licence
from techguard.web.licences.validation import exception_choices

if TYPE_CHECKING:
    from techguard.web.cases.models import Case


def _page(request: HttpRequest, case: Case, form: LicenceForm | None, editing: Licence | None = None,
          status: int = 200) -> HttpResponse:
    can_review = can_review_case(request.user, case)
    return render(request, "licences/case.html", {
        "case": case, "licences": services.licences_for_case(case), "can_review": can_review,
        "form": form if can_review else None, "editing": editing, "exception_choices": exception_choices(),
    }, status=status)


@login_required
def case_licences(request: SignedInRequest, case_pk: int) -> HttpResponse:
    """GET: the case's licences (anyone who can see the case) and, for its reviewers, the add form.
    POST: add a licence."""
    case = _case_for(request, case_pk)
    if request.method != "POST":
        return _page(request, case, LicenceForm())
    if not can_review_case(request.user, case):
        raise PermissionDenied
    form = LicenceForm(request.POST, instance=Licence(case=case))
    if not form.is_valid():
        return _page(request, case, form, status=400)
    services.add_licence(case, request.user, {k: form.cleaned_data[k] for k in services.EDITABLE})
    messages.success(request, _("Licence recorded."))
    return redirect("case_licences", case_pk=case.pk)


@login_required
def licence_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    licence = Licence.objects.filter(pk=pk).only("case_id").first()
    if licence is None:
        raise Http404(_("No such licence."))
    case = _case_for(request, licence.case_id)  # 404 for a case outside the user's remit, as on the case page
    if not can_review_case(request.user, case):
        raise PermissionDenied
    licence = Licence.objects.select_related("case").get(pk=pk)
    if request.method != "POST":
        return _page(request, case, LicenceForm(instance=licence), editing=licence)
    form = LicenceForm(request.POST, instance=Licence.objects.get(pk=pk))  # the form mutates its instance
    if not form.is_valid():
        return _page(request, case, form, editing=licence, status=400)
    services.change_licence(licence, request.user, {k: form.cleaned_data[k] for k in services.EDITABLE})
    messages.success(request, _("Licence updated."))
    return redirect("case_licences", case_pk=case.pk)


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """Granted licences expiring within ``?days=`` (default 90), and those past their date still marked granted."""
    if not is_officer(request.user):
        raise PermissionDenied
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 730))
    except ValueError:
        days = 90
    rows = reminders.expiring_rows(user=request.user, within_days=days)
    return render(request, "licences/expiring.html", {"rows": rows, "days": days})


__all__ = ["case_licences", "expiring", "licence_edit"]
