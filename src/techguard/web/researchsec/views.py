"""Disclosure reviews: upload a disclosure (JSON) and publication records (OpenAlex / Crossref / ORCID JSON),
see validation issues, malign-programme assessments and reconciliation flags; officers review each flag."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.models import Profile
from techguard.web.accounts.roles import can_review_case, visible_cases
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.audit.chain import record
from techguard.web.researchsec.models import DisclosureReview

MAX_BYTES = 10 * 1024 * 1024
STATES = ("unreviewed", "confirmed", "dismissed")


def _analyse(upload: UploadedFile, publications: list[UploadedFile], as_of: str) -> dict[str, Any]:
    """Validate the disclosure and reconcile it with the publication records (raises ValueError with the file)."""
    from techguard.research import (
        RegistryMissing,
        disclosure_from_json,
        read_observations,
        reconcile,
        validate,
    )
    from techguard.research.disclosures import assess_mftrp, disclosure_to_json
    from techguard.web.research_views import get_resolver

    name = upload.name or "disclosure.json"  # a browser always names the file
    try:
        data = json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{name}: not UTF-8 JSON: {exc}") from exc
    if "\\u0000" in json.dumps(data):
        raise ValueError(f"{name}: text must not contain NUL (\\x00) characters")
    disclosure = disclosure_from_json(data, name)
    issues = [i.to_json() for i in validate(disclosure, as_of=as_of)]
    programs = [assess_mftrp(p).to_json() for p in disclosure.talent_programs]
    observed = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, file in enumerate(publications):
            path = Path(tmp) / f"{number}-{Path(file.name or 'publications').name}"
            path.write_bytes(file.read())
            observed.extend(read_observations(path, disclosure.orcid or ""))
    flags: list[dict[str, Any]] = []
    if observed:
        try:
            resolver = get_resolver()
        except RegistryMissing as exc:
            raise ValueError(str(exc)) from exc
        flags = [f.as_dict() for f in reconcile(disclosure, observed, as_of, resolver=resolver)]
    return {"disclosure": disclosure_to_json(disclosure), "issues": issues, "programs": programs, "flags": flags,
            "person": (disclosure.names[0] if disclosure.names else disclosure.person_id) or "?",
            "orcid": disclosure.orcid or "", "sources": [f.name for f in publications]}


@login_required
def disclosures(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        upload = request.FILES.get("disclosure")
        publications = request.FILES.getlist("publications")
        as_of = request.POST.get("as_of") or dt.date.today().isoformat()
        if upload is None or (upload.size or 0) > MAX_BYTES or any((p.size or 0) > MAX_BYTES for p in publications):
            messages.error(request, _("Upload a disclosure JSON file (and publication records) of at most 10 MB each."))
            return redirect("disclosures")
        try:
            dt.date.fromisoformat(as_of)
            result = _analyse(upload, publications, as_of)
        except ValueError as exc:  # DisclosureError / PublicationFormatError name the file and the field
            messages.error(request, str(exc))
            return redirect("disclosures")
        profile = Profile.objects.filter(user=request.user).first()
        with transaction.atomic():
            review = DisclosureReview.objects.create(owner=request.user, as_of=as_of,
                                                     department=profile.department if profile else None, **result)
            record("disclosure.reviewed", user=request.user, obj=review, changes={
                "person": review.person, "issues": len(review.issues), "flags": len(review.flags),
                "sources": review.sources,
            })
        return redirect("disclosure_detail", pk=review.pk)
    reviews = visible_cases(request.user, DisclosureReview.objects.select_related("owner"))
    return render(request, "researchsec/list.html", {"reviews": reviews[:200],
                                                     "today": dt.date.today().isoformat()})


def _review_for(request: HttpRequest, pk: int) -> DisclosureReview:
    review: DisclosureReview | None = (
        visible_cases(request.user, DisclosureReview.objects.select_related("owner")).filter(pk=pk).first())
    if review is None:
        raise Http404(_("No such disclosure."))
    return review


@login_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    return render(request, "researchsec/detail.html", {
        "review": review, "can_review": can_review_case(request.user, review), "states": STATES,
    })


@login_required
@require_POST
def flag_review(request: HttpRequest, pk: int, flag_id: str) -> HttpResponse:
    """An officer confirms or dismisses one flag; the state change is kept in the flag and the audit trail."""
    with transaction.atomic():
        review = _review_for(request, pk)
        if not can_review_case(request.user, review):
            raise PermissionDenied
        state = request.POST.get("state", "")
        note = request.POST.get("note", "").strip()
        if state not in STATES or not note:
            messages.error(request, _("Choose a state and give a note."))
            return redirect("disclosure_detail", pk=pk)
        flags = list(review.flags)
        index = next((i for i, f in enumerate(flags) if f["id"] == flag_id), None)
        if index is None:
            raise Http404(_("No such flag."))
        before = flags[index]["state"]
        entry = {"state": state, "reviewer": request.user.get_username(), "on": dt.date.today().isoformat(),
                 "note": note}
        flags[index] = {**flags[index], "state": state, "history": [*flags[index]["history"], entry]}
        review.flags = flags
        review.save(update_fields=["flags"])
        record("disclosure.flag_reviewed", user=request.user, obj=review,
               changes={"flag": flag_id, "state": [before, state]}, reason=note)
    return redirect("disclosure_detail", pk=pk)
