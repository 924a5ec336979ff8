"""The case workflow: automatic checks (screening + determination), submission, review. Each step audited."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from techguard.matching.hits import Hit
from techguard.web.accounts.models import Profile, Role
from techguard.web.accounts.roles import can_review_case
from techguard.web.audit.chain import diff, record
from techguard.web.cases.models import DECISIONS, Case, CaseStatus, Comment
from techguard.web.screening.decisions import annotate, needs_review
from techguard.web.screening.review import sync_case_tasks
from techguard.web.screening.services import ScreeningUnavailable, screen_name

log = logging.getLogger("techguard.web")

_HIT_PARTY = {"recipient": "recipient", "employer": "recipient", "end_user": "end_user"}
# Outcomes under which the activity is outside control because the science is open.
OPEN_SCIENCE_US = {"not_subject"}
OPEN_SCIENCE_JP = {"exempt_public", "exempt_basic_science"}


class WorkflowError(Exception):
    """A step that is not allowed in the case's current state or for this user."""


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "status": case.status, "title": case.title, "facts": case.facts, "parties": case.parties,
        "conditions": case.conditions, "licence_status": case.licence_status,
        "licence_number": case.licence_number,
        "licence_expiry": case.licence_expiry.isoformat() if case.licence_expiry else None,
    }


def create_case(user: Any, kind: str, title: str, facts: dict[str, Any], parties: list[dict[str, Any]]) -> Case:
    profile = Profile.objects.filter(user=user).first()
    with transaction.atomic():
        case = Case.objects.create(owner=user, kind=kind, title=title, facts=facts, parties=parties,
                                   department=profile.department if profile else None)
        record("case.created", user=user, obj=case, changes=diff({}, _snapshot(case)))
    return case


def update_facts(case: Case, user: Any, answers: dict[str, Any]) -> Case:
    """Merge interview answers (dotted path -> value) into the case's facts and re-run the checks."""
    from techguard.web.cases.interview import set_path

    if not case.is_editable:
        raise WorkflowError("only a draft can be changed")
    before = _snapshot(case)
    facts = dict(case.facts)
    for path, value in answers.items():
        set_path(facts, path, value)
    case.facts = facts
    with transaction.atomic():
        case.save(update_fields=["facts", "updated"])
        record("case.facts_answered", user=user, obj=case, changes=diff(before, _snapshot(case)))
    return run_checks(case, user)


def open_revision(case: Case, user: Any) -> Case:
    """A decided case is frozen (its decision rests on the assessment it holds): re-checking it opens a new
    draft revision with the same owner, department, facts and parties, checked afresh."""
    title = f"{case.title} (rev. {case.reference})"[: Case._meta.get_field("title").max_length]
    with transaction.atomic():
        revision = Case.objects.create(owner=case.owner, kind=case.kind, title=title, facts=case.facts,
                                       parties=case.parties, department=case.department)
        record("case.created", user=user, obj=revision, changes={"revision_of": case.reference})
        record("case.revision_opened", user=user, obj=case, changes={"revision": revision.reference})
    return run_checks(revision, user)


def run_checks(case: Case, user: Any) -> Case:
    """Screen every named party, then ask the engine, with the screening hits as facts."""
    if case.is_decided:
        raise WorkflowError("a decided case is frozen; re-checking opens a new revision")
    from techguard.rules.activity import activity_from_mapping

    screening: list[dict[str, Any]] = []
    errors: list[str] = []
    hits: list[dict[str, Any]] = []
    for party in case.parties:
        try:
            matches = screen_name(party["name"], kind=party.get("kind"), country=party.get("country"))
        except ScreeningUnavailable as exc:
            errors.append(f"screening: {exc}")
            break
        # kept decisions apply: a ruled-out hit leaves the determination, a confirmed one stays as confirmed
        matches = annotate(matches)
        live = [m for m in matches if m["alert"] and m["status"] != "ruled_out"]
        screening.append({**party, "matches": matches, "alert": bool(live),
                          "review": any(needs_review(m) for m in matches)})
        for match in live:
            role = _HIT_PARTY.get(party.get("role", ""), "intermediate")
            hits.extend({"party": role, **fields, "status": match["status"]}
                        for fields in Hit.from_json(match).rules_hits())
    errors.extend(_research_checks(screening))
    assessment = None
    try:
        from techguard.rules.engine import assess

        facts = {**case.facts, "screening": hits} if hits else case.facts
        assessment = assess(activity_from_mapping(facts, source=case.reference)).to_json()
    except ImportError as exc:
        errors.append(f"determination: the rules engine is not installed ({exc})")
    except ValueError as exc:  # ActivityError: the facts do not fit the model
        errors.append(f"determination: {exc}")
    before = {"assessment": case.assessment, "screening": case.screening}
    case.screening = screening
    case.assessment = assessment
    case.checks_error = "\n".join(errors)
    with transaction.atomic():
        case.save(update_fields=["screening", "assessment", "checks_error", "updated"])
        sync_case_tasks(case, screening)
        record("case.checked", user=user, obj=case, changes={
            "us_outcome": [_outcome(before["assessment"], "us_ear"), _outcome(assessment, "us_ear")],
            "jp_outcome": [_outcome(before["assessment"], "jp_fefta"), _outcome(assessment, "jp_fefta")],
            "screening_alerts": sum(1 for s in screening if s["alert"]),
            "errors": errors,
        })
    return case


def _research_checks(screening: list[dict[str, Any]]) -> list[str]:
    """Resolve each named organisation to an institution and attach its designations (research security)."""
    organisations = [p for p in screening if p.get("kind") == "organisation" or p.get("role") == "employer"]
    if not organisations:
        return []
    from techguard.research import RegistryMissing
    from techguard.web.research_views import get_resolver

    try:
        resolver = get_resolver()
    except RegistryMissing:
        return ["research security: no institution registry is imported, so institutions were not checked "
                "against the research-security lists (techguard research registry import)"]
    for party in organisations:
        resolution = resolver.resolve(party["name"], country_hint=party.get("country"))
        party["research"] = {**resolution.as_dict(), "explanation": list(resolution.explanation)}
        if resolution.designations:
            party["alert"] = True
    return []


def _outcome(assessment: dict[str, Any] | None, jurisdiction: str) -> str | None:
    return assessment[jurisdiction]["outcome"] if assessment else None


def missing_facts(case: Case) -> list[dict[str, Any]]:
    if not case.assessment:
        return []
    return [*case.assessment["us_ear"]["missing_facts"], *case.assessment["jp_fefta"]["missing_facts"]]


def open_science(case: Case) -> dict[str, list[dict[str, Any]]]:
    """The steps that make the activity free to share, per jurisdiction (empty when none apply)."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not case.assessment:
        return out
    for key, outcomes in (("us_ear", OPEN_SCIENCE_US), ("jp_fefta", OPEN_SCIENCE_JP)):
        result = case.assessment[key]
        if result["outcome"] in outcomes:
            out[key] = result["steps"]
    return out


def submit(case: Case, user: Any) -> Case:
    if case.owner_id != user.pk:
        raise WorkflowError("only the researcher who wrote the case can submit it")
    if not case.is_editable:
        raise WorkflowError("the case was already submitted")
    if case.assessment is None and not case.checks_error:
        run_checks(case, user)
    before = _snapshot(case)
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = timezone.now()
    with transaction.atomic():
        case.save(update_fields=["status", "submitted_at", "updated"])
        record("case.submitted", user=user, obj=case, changes=diff(before, _snapshot(case)))
    case.officers_notified = _notify_officers(case)  # for the page's message: only what was really sent
    return case


def decide(case: Case, user: Any, decision: str, comment: str, *, conditions: str = "",
           licence_status: str = "", licence_number: str = "", licence_expiry: Any = None) -> Case:
    if not can_review_case(user, case):
        raise WorkflowError("you may not review this case")
    if case.status != CaseStatus.SUBMITTED and not case.is_decided:
        raise WorkflowError("only a submitted case can be decided")
    if decision not in {d.value for d in DECISIONS}:
        raise WorkflowError(f"unknown decision {decision!r}")
    if not comment.strip():
        raise WorkflowError("a decision needs a reason")
    from techguard.web.training.policy import approval_blocker  # organisations may require current training

    if (blocked := approval_blocker(case.owner, decision)) is not None:
        raise WorkflowError(blocked)
    before = _snapshot(case)
    case.status = decision
    case.conditions = conditions
    case.licence_status = licence_status
    case.licence_number = licence_number
    case.licence_expiry = licence_expiry
    case.decided_at = timezone.now()
    case.decided_by = user
    with transaction.atomic():
        case.save()
        Comment.objects.create(case=case, author=user, text=comment)
        record("case.decided", user=user, obj=case, changes=diff(before, _snapshot(case)), reason=comment)
    case.owner_notified = _notify_owner(case, comment)
    return case


def update_licence(case: Case, user: Any, comment: str, *, licence_status: str, licence_number: str,
                   licence_expiry: Any) -> Case:
    if not can_review_case(user, case):
        raise WorkflowError("you may not review this case")
    before = _snapshot(case)
    case.licence_status, case.licence_number, case.licence_expiry = licence_status, licence_number, licence_expiry
    with transaction.atomic():
        case.save()
        record("case.licence_updated", user=user, obj=case, changes=diff(before, _snapshot(case)), reason=comment)
    return case


def add_comment(case: Case, user: Any, text: str) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.create(case=case, author=user, text=text)
        record("case.commented", user=user, obj=case, changes={"comment": text})
    return comment


def _language(user: Any) -> str:
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or settings.LANGUAGE_CODE


def _send(user: Any, template: str, context: dict[str, Any]) -> bool:
    """E-mail one user in their language, with an absolute link to the case (or, for a notice about several
    parties, to the review queue); True only when it was sent."""
    if not user.email:
        return False
    case = context.get("case")
    link = reverse("case_detail", args=[case.pk]) if case is not None else reverse("review_queue")
    context = {**context, "case_url": settings.SITE_URL + link}
    with translation.override(_language(user)):
        subject = render_to_string(f"cases/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"cases/email/{template}.txt", context)
    try:
        return send_mail(subject, body, None, [user.email]) > 0
    except (smtplib.SMTPException, OSError) as exc:  # the decision stands; the page says nobody was told
        log.warning("e-mail to %s about %s not sent: %s", user.email, case.reference if case else template, exc)
        return False


def _notify_officers(case: Case) -> int:
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(profile__role__in=[Role.OFFICER, Role.ADMINISTRATOR]) | Q(is_superuser=True)
    ).distinct()
    return sum(_send(officer, "submitted", {"case": case}) for officer in users
               if officer.pk != case.owner_id and can_review_case(officer, case))


def _notify_owner(case: Case, comment: str) -> bool:
    return _send(case.owner, "decided", {"case": case, "comment": comment})


__all__ = [
    "WorkflowError", "add_comment", "create_case", "decide", "missing_facts", "open_science", "run_checks",
    "submit", "update_facts", "update_licence",
]
