"""The case workflow: automatic checks (screening + determination), submission, review. Each step audited."""

from __future__ import annotations

import copy
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techguard.matching.hits import Hit
from techguard.rules.activity import activity_from_mapping
from techguard.rules.engine import assess
from techguard.web.accounts.models import Profile, Role
from techguard.web.accounts.roles import can_review_case, role_of
from techguard.web.audit.chain import diff, record
from techguard.web.cases.models import (
    DECISIONS,
    IN_REVIEW,
    WITHDRAWABLE,
    ApprovalOutcome,
    Case,
    CaseApproval,
    CaseStatus,
    Comment,
)
from techguard.web.cases.provenance import current_provenance
from techguard.web.mail import send_in_language
from techguard.web.screening.decisions import annotate, needs_review
from techguard.web.screening.review import sync_case_tasks
from techguard.web.screening.services import ScreeningUnavailable, screen_name

log = logging.getLogger("techguard.web")

_HIT_PARTY = {"recipient": "recipient", "employer": "recipient", "end_user": "end_user"}
# Outcomes under which the activity is outside control because the science is open.
OPEN_SCIENCE_US = {"not_subject"}
OPEN_SCIENCE_JP = {"exempt_public", "exempt_basic_science"}


class WorkflowError(Exception):
    """A step that is not allowed in the case's current state. The message is shown as it is by the pages and
    the API (translated into the user's language), so both refuse with the same words."""


class NotAllowed(WorkflowError):
    """A step this user may not take on this case (the API answers 403, the pages refuse the same way)."""


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "status": case.status, "title": case.title, "facts": copy.deepcopy(case.facts),
        "parties": copy.deepcopy(case.parties), "conditions": case.conditions, "review_round": case.review_round,
        "withdrawn_reason": case.withdrawn_reason,
        "decided_by": case.decided_by.get_username() if case.decided_by_id and case.decided_by else None,
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
    from techguard.web.cases.interview import get_path, set_path

    if not case.is_editable:
        raise WorkflowError(_("Only a draft or a case returned for correction can be changed."))
    # a deep copy: set_path writes into nested mappings, which a shallow copy would share with "before"
    facts = copy.deepcopy(case.facts)
    changes: dict[str, list[Any]] = {}
    for path, value in answers.items():
        old = get_path(facts, path)
        set_path(facts, path, value)
        if old != value:
            changes[f"facts.{path}"] = [old, value]
    case.facts = facts
    with transaction.atomic():
        case.save(update_fields=["facts", "updated"])
        record("case.facts_answered", user=user, obj=case, changes=changes)
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
        raise WorkflowError(_("A decided case is frozen; re-checking opens a new revision."))

    screening: list[dict[str, Any]] = []
    errors: list[str] = []
    hits: list[dict[str, Any]] = []
    for party in case.parties:
        try:
            matches = screen_name(party["name"], kind=party.get("kind"), country=party.get("country"))
        except ScreeningUnavailable as exc:
            errors.append(_("Screening: %(problem)s") % {"problem": exc})
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
        facts = {**case.facts, "screening": hits} if hits else case.facts
        assessment = assess(activity_from_mapping(facts, source=case.reference)).to_json()
        assessment["provenance"] = current_provenance()  # the list snapshots and rule tables this rests on
    except ValueError as exc:  # ActivityError: the facts do not fit the model
        errors.append(_("Determination: %(problem)s") % {"problem": exc})
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
        return [str(_("Research security: no institution registry is imported, so institutions were not checked "
                      "against the research-security lists (techguard research registry import)."))]
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
    """Send a draft, or a case returned for correction (resubmission), to the officers. Each submission starts
    the approval route afresh (a new review round)."""
    if case.owner_id != user.pk:
        raise NotAllowed(_("Only the researcher who wrote the case can submit it."))
    if case.status == CaseStatus.WITHDRAWN:
        raise WorkflowError(_("The case was withdrawn; it cannot be submitted."))
    if not case.is_editable:
        raise WorkflowError(_("The case was already submitted."))
    if case.assessment is None and not case.checks_error:
        run_checks(case, user)
    resubmission = case.status == CaseStatus.RETURNED
    before = _snapshot(case)
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = timezone.now()
    case.review_round += 1
    with transaction.atomic():
        case.save(update_fields=["status", "submitted_at", "review_round", "updated"])
        record("case.resubmitted" if resubmission else "case.submitted", user=user, obj=case,
               changes=diff(before, _snapshot(case)))
    case.officers_notified = _notify_officers(case)  # for the page's message: only what was really sent
    return case


def withdraw(case: Case, user: Any, reason: str) -> Case:
    """The researcher takes the case back for good (a draft, a submitted or a returned case); the reason stays."""
    if case.owner_id != user.pk:
        raise NotAllowed(_("Only the researcher who wrote the case can withdraw it."))
    if case.status not in WITHDRAWABLE:
        raise WorkflowError(_("Only a draft, a submitted case or a case returned for correction can be "
                              "withdrawn."))
    if not reason.strip():
        raise WorkflowError(_("A withdrawal needs a reason."))
    before = _snapshot(case)
    case.status = CaseStatus.WITHDRAWN
    case.withdrawn_reason = reason.strip()
    with transaction.atomic():
        case.save(update_fields=["status", "withdrawn_reason", "updated"])
        Comment.objects.create(case=case, author=user, text=reason.strip())
        record("case.withdrawn", user=user, obj=case, changes=diff(before, _snapshot(case)), reason=reason.strip())
    return case


def _require_reviewer(case: Case, user: Any) -> None:
    if not can_review_case(user, case):
        raise NotAllowed(_("You may not review this case."))


def _require_in_review(case: Case) -> None:
    if case.status not in IN_REVIEW:
        raise WorkflowError(_("Only a submitted case under review can be signed or returned."))


def _check_signer(case: Case, user: Any, step: Any, approvals: list[CaseApproval]) -> None:
    """The step's role fits, and nobody but an administrator signs two steps of one round (the 決裁 is a
    check by several people; an administrator may stand in for a missing signer, and is recorded as such)."""
    role = role_of(user)
    if step.role == "administrator" and role != "administrator":
        raise NotAllowed(_("The step “%(step)s” is signed by an administrator.") % {"step": step.label})
    if role != "administrator" and any(
        a.user_id == user.pk and a.outcome == ApprovalOutcome.APPROVED and a.order != step.order
        for a in approvals
    ):
        raise NotAllowed(_("You already signed another step of this case; the step “%(step)s” needs another "
                           "officer.") % {"step": step.label})


def signing_refusal(case: Case, user: Any, steps: list[Any], approvals: list[CaseApproval]) -> str | None:
    """Why this user may not sign the case's current step (None when they may): for the page, which then shows
    no form it would refuse. ``steps`` and ``approvals`` are the route's and this round's (``routes.board``)."""
    from techguard.web.cases.routes import next_step

    if case.status not in IN_REVIEW:
        return None
    step = next_step(case, steps, approvals)
    if step is None:
        return None
    try:
        _check_signer(case, user, step, approvals)
    except NotAllowed as exc:
        return str(exc)
    return None


def _sign(case: Case, user: Any, step: Any, outcome: str, comment: str, decision: str = "") -> CaseApproval:
    return CaseApproval.objects.create(case=case, step_id=step.pk, order=step.order, step_label=step.label,
                                       user=user, outcome=outcome, comment=comment, round=case.review_round,
                                       decision=decision)


def approve_step(case: Case, user: Any, comment: str = "") -> Case:
    """Sign the current (not the last) step of the route as approved; the first signature starts the review."""
    from techguard.web.cases.routes import next_step, round_approvals, route_of

    _require_reviewer(case, user)
    _require_in_review(case)
    steps = route_of(case)[1]
    approvals = round_approvals(case)
    step = next_step(case, steps, approvals)
    if step is None or step.order == steps[-1].order:
        raise WorkflowError(_("The last step of the route records the decision: choose one."))
    _check_signer(case, user, step, approvals)
    before = _snapshot(case)
    case.status = CaseStatus.UNDER_REVIEW
    with transaction.atomic():
        case.save(update_fields=["status", "updated"])
        _sign(case, user, step, ApprovalOutcome.APPROVED, comment.strip())
        record("case.step_signed", user=user, obj=case, reason=comment.strip(), changes={
            **diff(before, _snapshot(case)), "step": [None, f"{step.order}. {step.label}"],
            "outcome": [None, ApprovalOutcome.APPROVED.value]})
    following = next_step(case, steps, round_approvals(case))
    # the officers who may sign next are told (not the one who just signed: they may not sign two steps)
    case.officers_notified = (_notify_officers(case, "step", {"step": following}, exclude=user,
                                             only_administrators=following.role == Role.ADMINISTRATOR)
                              if following else 0)
    return case


def return_case(case: Case, user: Any, reason: str) -> Case:
    """差戻し: send the case back to the researcher to correct and resubmit; the reason is required and kept."""
    from techguard.web.cases.routes import next_step, round_approvals, route_of

    _require_reviewer(case, user)
    _require_in_review(case)
    if not reason.strip():
        raise WorkflowError(_("A return for correction needs a reason."))
    steps = route_of(case)[1]
    step = next_step(case, steps, round_approvals(case)) or steps[-1]
    before = _snapshot(case)
    case.status = CaseStatus.RETURNED
    with transaction.atomic():
        case.save(update_fields=["status", "updated"])
        _sign(case, user, step, ApprovalOutcome.RETURNED, reason.strip())
        Comment.objects.create(case=case, author=user, text=reason.strip())
        record("case.returned", user=user, obj=case, reason=reason.strip(), changes={
            **diff(before, _snapshot(case)), "step": [None, f"{step.order}. {step.label}"]})
    case.owner_notified = _send(case.owner, "returned", {"case": case, "comment": reason.strip()})
    return case


def decide(case: Case, user: Any, decision: str, comment: str, *, conditions: str = "") -> Case:
    """The last step of the route: the decision (approved / with conditions / licence needed / rejected).
    A rejection may come at any step. An officer may re-decide a decided case; licences are not touched
    (they are recorded apart, and outlive a re-decision)."""
    from techguard.web.cases.routes import next_step, round_approvals, route_of

    _require_reviewer(case, user)
    if case.status not in IN_REVIEW and not case.is_decided:
        raise WorkflowError(_("Only a submitted case can be decided."))
    if decision not in {d.value for d in DECISIONS}:
        raise WorkflowError(_("Choose a decision."))
    if not comment.strip():
        raise WorkflowError(_("A decision needs a reason."))
    if decision == CaseStatus.APPROVED_WITH_CONDITIONS and not conditions.strip():
        raise WorkflowError(_("Give the conditions of the approval."))
    steps = route_of(case)[1]
    approvals = round_approvals(case)
    step = steps[-1] if case.is_decided else next_step(case, steps, approvals)
    if step is None:  # every step approved and yet not decided: only a route edited under way does this
        step = steps[-1]
    if step.order != steps[-1].order and decision != CaseStatus.REJECTED:
        remaining = ", ".join(s.label for s in steps if s.order >= step.order and s.order != steps[-1].order)
        raise WorkflowError(_("Earlier steps of the approval route are not signed yet: %(steps)s.")
                            % {"steps": remaining})
    _check_signer(case, user, step, approvals)
    from techguard.web.training.policy import approval_blocker  # organisations may require current training

    if (blocked := approval_blocker(case.owner, decision)) is not None:
        raise WorkflowError(blocked)
    before = _snapshot(case)
    case.status = decision
    case.conditions = conditions.strip() if decision == CaseStatus.APPROVED_WITH_CONDITIONS else ""
    case.decided_at = timezone.now()
    case.decided_by = user
    outcome = ApprovalOutcome.REJECTED if decision == CaseStatus.REJECTED else ApprovalOutcome.APPROVED
    with transaction.atomic():
        case.save(update_fields=["status", "conditions", "decided_at", "decided_by", "updated"])
        _sign(case, user, step, outcome, comment.strip(), decision=decision)
        Comment.objects.create(case=case, author=user, text=comment)
        record("case.decided", user=user, obj=case, reason=comment, changes={
            **diff(before, _snapshot(case)), "step": [None, f"{step.order}. {step.label}"]})
    case.owner_notified = _notify_owner(case, comment)
    return case


def sign(case: Case, user: Any, outcome: str, comment: str, *, decision: str = "", conditions: str = "") -> Case:
    """Sign the current step with an outcome (the API's one entry to the 決裁欄): approved moves to the next
    step, or on the last step records ``decision``; returned is a 差戻し; rejected decides the case as rejected."""
    if outcome == ApprovalOutcome.RETURNED:
        return return_case(case, user, comment)
    if outcome == ApprovalOutcome.REJECTED:
        return decide(case, user, CaseStatus.REJECTED, comment)
    if outcome != ApprovalOutcome.APPROVED:
        raise WorkflowError(_("Choose an outcome."))
    from techguard.web.cases.routes import next_step, round_approvals, route_of

    _require_reviewer(case, user)
    _require_in_review(case)
    steps = route_of(case)[1]
    step = next_step(case, steps, round_approvals(case))
    if step is not None and step.order != steps[-1].order:
        return approve_step(case, user, comment)
    if not decision:
        raise WorkflowError(_("The last step of the route records the decision: choose one."))
    return decide(case, user, decision, comment, conditions=conditions)


def add_comment(case: Case, user: Any, text: str) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.create(case=case, author=user, text=text)
        record("case.commented", user=user, obj=case, changes={"comment": text})
    return comment


def _send(user: Any, template: str, context: dict[str, Any]) -> bool:
    """E-mail one user in their language, with an absolute link to the case (or, for a notice about several
    parties, to the review queue); True only when it was sent (the decision stands either way; the page says
    who was told)."""
    case = context.get("case")
    link = reverse("case_detail", args=[case.pk]) if case is not None else reverse("review_queue")
    return send_in_language(user, f"cases/email/{template}", {**context, "case_url": settings.SITE_URL + link},
                            about=case.reference if case is not None else template)


def _notify_officers(case: Case, template: str = "submitted", context: dict[str, Any] | None = None,
                     exclude: Any = None, only_administrators: bool = False) -> int:
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(profile__role__in=[Role.OFFICER, Role.ADMINISTRATOR]) | Q(is_superuser=True)
    ).distinct()
    return sum(_send(officer, template, {"case": case, **(context or {})}) for officer in users
               if officer.pk != case.owner_id and (exclude is None or officer.pk != exclude.pk)
               and (not only_administrators or role_of(officer) == Role.ADMINISTRATOR)
               and can_review_case(officer, case))


def _notify_owner(case: Case, comment: str) -> bool:
    return _send(case.owner, "decided", {"case": case, "comment": comment})


__all__ = [
    "NotAllowed", "WorkflowError", "add_comment", "approve_step", "create_case", "decide", "missing_facts",
    "open_science", "return_case", "run_checks", "sign", "signing_refusal", "submit", "update_facts", "withdraw",
]
