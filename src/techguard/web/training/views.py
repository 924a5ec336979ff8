"""Training records: everyone sees their own; officers see everyone's, record training and import LMS exports;
administrators set the organisation's policy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.roles import is_admin, is_officer
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.audit.chain import record
from techguard.web.training import importer
from techguard.web.training.forms import PolicyForm, TrainingRecordForm
from techguard.web.training.models import TrainingPolicy, TrainingRecord, add_months

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@login_required
def training_list(request: SignedInRequest, *, form: TrainingRecordForm | None = None,
                  import_errors: list[Any] | None = None) -> HttpResponse:
    officer = is_officer(request.user)
    records = TrainingRecord.objects.select_related("person")
    if not officer:
        records = records.filter(person=request.user)
    query = request.GET.get("q", "").strip()
    if officer and query:
        records = records.filter(person__username__icontains=query) | records.filter(person__email__icontains=query)
    policy = TrainingPolicy.current()
    return render(request, "training/list.html", {
        "records": records[:500], "officer": officer, "query": query, "policy": policy,
        "form": form or TrainingRecordForm(), "policy_form": PolicyForm(instance=policy) if is_admin(request.user)
        else None, "import_errors": import_errors or [],
    })


@login_required
@require_POST
def training_add(request: SignedInRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    form = TrainingRecordForm(request.POST)
    if not form.is_valid():
        return training_list(request, form=form)
    data = form.cleaned_data
    expires = data["expires_on"]
    validity = TrainingPolicy.current().validity_months
    if expires is None and validity:
        expires = add_months(data["completed_on"], validity)
    with transaction.atomic():
        row, _created = TrainingRecord.objects.update_or_create(
            person=data["person"], course=data["course"], completed_on=data["completed_on"],
            defaults={"expires_on": expires, "recorded_by": request.user,
                      "source": f"entered by {request.user.get_username()}"})
        record("training.recorded", user=request.user, obj=row, changes={
            "person": data["person"].get_username(), "course": row.course,
            "completed_on": row.completed_on.isoformat(),
            "expires_on": row.expires_on.isoformat() if row.expires_on else None})
    messages.success(request, _("Training recorded for %(person)s.") % {"person": data["person"].get_username()})
    return redirect(request.POST.get("next") or "training_list")


@login_required
@require_POST
def training_import(request: SignedInRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > MAX_IMPORT_BYTES:
        return training_list(request, import_errors=[_("Choose a CSV file (at most 5 MB).")])
    checked = importer.check(upload.read(), upload.name or "upload.csv")
    if checked.errors:
        return training_list(request, import_errors=checked.errors)
    importer.store(checked, request.user)
    messages.success(request, _("%(file)s: %(created)d records added, %(updated)d updated.") % {
        "file": checked.filename, "created": checked.created, "updated": checked.updated})
    return redirect("training_list")


@login_required
@require_POST
def training_policy(request: SignedInRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    policy = TrainingPolicy.current()
    before = {"require_current_training": policy.require_current_training,
              "required_course": policy.required_course, "validity_months": policy.validity_months}
    form = PolicyForm(request.POST, instance=policy)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            after = {key: form.cleaned_data[key] for key in before}
            record("training.policy_changed", user=request.user, obj=policy,
                   changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
        messages.success(request, _("Training policy saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("training_list")


__all__ = ["training_add", "training_import", "training_list", "training_policy"]
