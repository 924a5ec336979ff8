"""The officer's screening workbench: decide hits, the review queue (with bulk false positives), the party
master with its allow-list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.matching.hits import Hit
from techguard.web.accounts.roles import can_review_case, is_officer, visible_cases
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.audit.chain import record
from techguard.web.screening import decisions
from techguard.web.screening.models import (
    AllowListEntry,
    Counterparty,
    PartyScreening,
    ReviewTask,
    TaskStatus,
    Verdict,
)
from techguard.web.screening.review import close_covered, open_task
from techguard.web.screening.services import ScreeningUnavailable, screen_name

if TYPE_CHECKING:
    from techguard.web.cases.models import Case


def _officer(request: HttpRequest) -> None:
    if not is_officer(request.user):
        raise PermissionDenied


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _index(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404(_("No such hit.")) from None


def _resolve(request: HttpRequest, task_pk: str | None = None) -> tuple[Hit, Any, Counterparty | None, ReviewTask | None]:
    """The hit a decision form refers to, by server-side reference (never a hit posted by the browser)."""
    from techguard.web.cases.models import Case

    post = request.POST
    task_ref = task_pk or post.get("task")
    try:
        if task_ref:
            task = ReviewTask.objects.select_related("case", "counterparty").filter(pk=_index(task_ref)).first()
            if task is None:
                raise Http404(_("No such hit."))
            if task.case is not None and not can_review_case(request.user, task.case):
                raise PermissionDenied
            return Hit.from_json(task.hit), task.case, task.counterparty, task
        if post.get("case"):
            case = visible_cases(request.user, Case.objects.all()).filter(pk=_index(post.get("case"))).first()
            if case is None:
                raise Http404(_("No such case."))
            if not can_review_case(request.user, case):
                raise PermissionDenied
            match = case.screening[_index(post.get("party"))]["matches"][_index(post.get("match"))]
            return Hit.from_json(match), case, None, None
        if post.get("screening"):
            screening = PartyScreening.objects.select_related("counterparty").filter(
                pk=_index(post.get("screening"))).first()
            if screening is None:
                raise Http404(_("No such hit."))
            return Hit.from_json(screening.hits[_index(post.get("match"))]), None, screening.counterparty, None
    except (IndexError, KeyError, TypeError):
        raise Http404(_("No such hit.")) from None
    raise Http404(_("No such hit."))


def _apply(request: SignedInRequest, hit: Hit, case: Case | None, counterparty: Counterparty | None, verdict: str,
           reason: str, evidence: dict[str, str]) -> None:
    decisions.decide(request.user, hit, verdict, reason, evidence, case=case, counterparty=counterparty)
    close_covered(hit)
    if case is not None:
        from techguard.web.cases import workflow

        if not case.is_decided:
            workflow.run_checks(case, request.user)  # the determination re-runs with the decided status
        elif verdict == "true_match":
            # a decided case is frozen: a confirmed match found later opens a new revision to decide again
            workflow.open_revision(case, request.user)


@login_required
@require_POST
def hit_decide(request: SignedInRequest) -> HttpResponse:
    _officer(request)
    hit, case, counterparty, _task = _resolve(request)
    default = f"/cases/{case.pk}/" if case is not None else "/screening/review/"
    evidence = {k: request.POST.get(k, "") for k in decisions.EVIDENCE_FIELDS}
    try:
        _apply(request, hit, case, counterparty, request.POST.get("verdict", ""), request.POST.get("reason", ""),
               evidence)
    except decisions.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded; the checks were re-run."))
    return redirect(_next(request, default))


def _queue(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    from techguard.web.cases.models import Case

    tasks = ReviewTask.objects.filter(status=TaskStatus.OPEN).select_related("case", "counterparty")
    tasks = tasks.filter(case__isnull=True) | tasks.filter(case__in=visible_cases(request.user, Case.objects.all()))
    filters = {k: request.GET.get(k, "").strip() for k in ("list", "min_score", "max_score", "age")}
    if filters["list"]:
        tasks = tasks.filter(list_code=filters["list"])
    for key, lookup in (("min_score", "score__gte"), ("max_score", "score__lte")):
        if filters[key]:
            try:
                tasks = tasks.filter(**{lookup: float(filters[key])})
            except ValueError:
                filters[key] = ""
    if filters["age"]:
        try:
            tasks = tasks.filter(created__gte=timezone.now() - dt.timedelta(days=int(filters["age"])))
        except ValueError:
            filters["age"] = ""
    return tasks.order_by("-score", "created"), filters


@login_required
def review_queue(request: SignedInRequest) -> HttpResponse:
    """Open review tasks, filterable by list, score and age; obvious false positives decided in bulk, each
    with its own reason."""
    _officer(request)
    if request.method == "POST":
        chosen = request.POST.getlist("task")
        done, missing = 0, []
        for pk in chosen:
            reason = request.POST.get(f"reason-{pk}", "").strip()
            if not reason:
                missing.append(pk)
                continue
            hit, case, counterparty, _task = _resolve(request, pk)
            _apply(request, hit, case, counterparty, Verdict.FALSE_POSITIVE, reason, {})
            done += 1
        if done:
            messages.success(request, _("%(n)d hits ruled out as false positives.") % {"n": done})
        if missing:
            messages.error(request, _("No reason given for %(n)d selected hits; they were not decided.")
                           % {"n": len(missing)})
        return redirect(request.get_full_path())
    tasks, filters = _queue(request)
    lists = sorted(set(ReviewTask.objects.filter(status=TaskStatus.OPEN).values_list("list_code", flat=True)))
    return render(request, "screening/review.html", {"tasks": tasks[:500], "filters": filters, "lists": lists})


@login_required
def counterparties(request: SignedInRequest) -> HttpResponse:
    _officer(request)
    if request.method == "POST":
        name = request.POST.get("name", "").replace("\x00", "").strip()[:500]
        if not name:
            messages.error(request, _("A counterparty needs a name."))
            return redirect("counterparties")
        country = _country(request.POST.get("country", ""))
        if country is None:
            messages.error(request, _("Unknown country: %(c)s") % {"c": request.POST.get("country", "")})
            return redirect("counterparties")
        identifiers = [{"type": t, "value": request.POST.get(t, "").strip()}
                       for t in ("registration_no", "passport", "dob") if request.POST.get(t, "").strip()]
        party = Counterparty.objects.create(name=name, kind=request.POST.get("kind", ""), country=country,
                                            identifiers=identifiers, notes=request.POST.get("notes", ""),
                                            created_by=request.user)
        record("screening.counterparty_created", user=request.user, obj=party,
               changes={"name": name, "country": country, "identifiers": identifiers})
        screen_counterparty(party, request.user, trigger="manual")
        return redirect("counterparty_detail", pk=party.pk)
    return render(request, "screening/counterparties.html",
                  {"parties": Counterparty.objects.all()[:1000]})


def _country(text: str) -> str | None:
    """'' for none given, the ISO code, or None when the text is not a country."""
    from techguard.text.countries import to_iso2

    text = text.strip()
    if not text:
        return ""
    return to_iso2(text)


def screen_counterparty(party: Counterparty, user: User, *, trigger: str) -> PartyScreening | None:
    identifier = next((i["value"] for i in party.identifiers if i["type"] in ("registration_no", "passport")), None)
    dob = next((i["value"] for i in party.identifiers if i["type"] == "dob"), None)
    try:
        hits = screen_name(party.name, kind=party.kind or None, country=party.country or None, dob=dob,
                           identifier=identifier)
    except ScreeningUnavailable:
        return None
    hits = decisions.annotate(hits, party)
    screening = PartyScreening.objects.create(counterparty=party, trigger=trigger, hits=hits, by=user,
                                              alerts=sum(1 for h in hits if h["alert"] and h["status"] != "ruled_out"))
    for hit in hits:
        if decisions.needs_review(hit):
            open_task(hit, counterparty=party, trigger=trigger)
    return screening


@login_required
def counterparty_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    _officer(request)
    party = Counterparty.objects.filter(pk=pk).first()
    if party is None:
        raise Http404(_("No such counterparty."))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "screen":
            screen_counterparty(party, request.user, trigger="manual")
        elif action == "allow":
            _allow(request, party)
        elif action == "deactivate":
            party.active = not party.active
            party.save(update_fields=["active"])
            record("screening.counterparty_active", user=request.user, obj=party, changes={"active": party.active})
        return redirect("counterparty_detail", pk=party.pk)
    latest = party.screenings.first()
    return render(request, "screening/counterparty.html", {
        "party": party, "latest": latest, "screenings": party.screenings.all()[:50],
        "decisions": party.decisions.select_related("decided_by")[:100],
        "allowed": party.allowed.select_related("created_by"), "today": timezone.localdate(),
    })


def _allow(request: SignedInRequest, party: Counterparty) -> None:
    reason = request.POST.get("reason", "").strip()
    try:
        expires = dt.date.fromisoformat(request.POST.get("expires", ""))
    except ValueError:
        messages.error(request, _("Give an expiry date (YYYY-MM-DD)."))
        return
    if not reason:
        messages.error(request, _("An allow-list entry needs a reason."))
        return
    latest = party.screenings.first()
    index = _index(request.POST.get("match"))
    if latest is None or index >= len(latest.hits):
        raise Http404(_("No such hit."))
    hit = Hit.from_json(latest.hits[index])
    for listing in hit.listings:
        entry = AllowListEntry.objects.create(counterparty=party, source=listing.source, entry_id=listing.entry_id,
                                              list_code=listing.list, listed_name=listing.listed_name, reason=reason,
                                              expires=expires, created_by=request.user)
        record("screening.allow_listed", user=request.user, obj=entry, reason=reason, changes={
            "counterparty": party.name, "source": listing.source, "entry_id": listing.entry_id,
            "expires": expires.isoformat()})
    close_covered(hit)
    screen_counterparty(party, request.user, trigger="manual")


__all__ = ["counterparties", "counterparty_detail", "hit_decide", "review_queue", "screen_counterparty"]
