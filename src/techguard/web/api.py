"""The REST API (django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs).

Authentication: ``Authorization: Bearer <token>`` with a token from the Tokens page, or the browser session.
The same object-level rules as the pages apply: a case outside the caller's remit is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth
from pydantic import Field, WithJsonSchema, model_validator

from techguard import __version__, limits
from techguard.web.accounts.models import ApiToken
from techguard.web.accounts.roles import visible_cases
from techguard.web.audit.chain import record
from techguard.web.cases import workflow
from techguard.web.cases.models import DECISIONS, Case, CaseKind
from techguard.web.licences.schemas import LicenceOut, licence_out
from techguard.web.screening.services import ScreeningUnavailable, screen_name


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (ApiToken.objects.select_related("user")
               .filter(digest=ApiToken.digest_of(token), revoked=False, user__is_active=True)
               .filter(Q(expires__isnull=True) | Q(expires__gt=timezone.now())).first())
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
        request.user = row.user
        return row.user


def _signed_in(view: Any) -> Any:
    """A browser session or a valid API token; anyone else is sent to the login page."""
    from functools import wraps

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and TokenAuth().authenticate(request, header[7:].strip()) is not None:
            return view(request, *args, **kwargs)
        return login_required(view)(request, *args, **kwargs)

    return wrapper


class BoundedJsonParser(Parser):
    """Request bodies nested deeper than ``limits.MAX_NESTING`` are refused before parsing: a 400 ("Cannot
    parse request body", as for any body that is not JSON) instead of a RecursionError and a 500."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            limits.check_json_nesting(request.body)
        except limits.InputLimitError as exc:
            raise HttpError(400, str(exc)) from None
        return super().parse_body(request)


api = NinjaAPI(
    title="techguard API", version=__version__, auth=[TokenAuth(), django_auth], urls_namespace="api",
    parser=BoundedJsonParser(),
    docs_decorator=_signed_in,  # the schema and the docs page are for signed-in users (or API tokens) only
    description="Restricted-party screening, EAR/FEFTA determinations and export-control cases.",
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    inner = getattr(value, "_obj", None)  # ninja hands validators its DjangoGetter wrapper
    return inner is not None and _has_nul(inner)


class Input(Schema):
    """Request bodies: NUL characters are refused up front (PostgreSQL cannot store them in text or JSON)."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text must not contain NUL (\\x00) characters")
        return data


class ScreenIn(Input):
    name: str = Field(min_length=1, max_length=limits.MAX_NAME_CHARS)
    kind: Literal["person", "organisation", "vessel", "aircraft"] | None = None
    # an ISO code or a name in en/ja/zh/ko (中国, Korea, North …), read by the one resolver (techguard.text) as in
    # the web search and the CLI; an unknown or ambiguous one adds no evidence and is named in the explanation
    country: str | None = Field(default=None, min_length=2, max_length=100)
    dob: str | None = Field(default=None, max_length=10)
    top: int = Field(default=5, ge=1, le=50)


class MatchOut(Schema):
    score: float
    alert: bool
    matched_name: str
    explanation: dict[str, Any]
    party: dict[str, Any]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """422: the body, query or path did not match the schema (one entry per problem, with its location)."""

    detail: list[dict[str, Any]]


# Every operation may answer these: a body that is not JSON or is nested too deep (400), no or a bad token or
# session (401), and input that does not match the schema (422). Operations on one case add 404.
COMMON: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 422: ValidationErrorOut}
ON_CASE: dict[int, Any] = {**COMMON, 404: ErrorOut}


@api.post("/screening/search", response={**COMMON, 200: list[MatchOut], 503: ErrorOut}, tags=["screening"])
def screening_search(request: HttpRequest, body: ScreenIn) -> Any:
    try:
        matches = screen_name(body.name, kind=body.kind, country=body.country, dob=body.dob, top=body.top)
    except ScreeningUnavailable as exc:
        return Status(503, {"detail": str(exc)})
    record("screening.searched", user=request.user, changes={
        "name": body.name, "country": body.country, "alerts": sum(m["alert"] for m in matches), "via": "api"})
    return matches


def _activity_schema() -> dict[str, Any]:
    from techguard.rules.activity import activity_json_schema

    return activity_json_schema(inline=True)


class AssessIn(Input):
    # The schema is the activity model's own (rules.activity_json_schema); validation stays with
    # activity_from_mapping so the API and the CLI give the same messages with the field's dotted path.
    activity: Annotated[dict[str, Any], WithJsonSchema(_activity_schema())] = Field(
        description="An activity document (docs/determinations.md, 'The activity model')"
    )


@api.post("/assess", response={**COMMON, 200: dict[str, Any], 503: ErrorOut}, tags=["assessment"])
def assess_activity(request: HttpRequest, body: AssessIn) -> Any:
    from techguard.rules.activity import activity_from_mapping

    try:
        activity = activity_from_mapping(body.activity, source="request")
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    from techguard.rules.engine import assess

    result = assess(activity).to_json()
    record("assessment.requested", user=request.user, changes={
        "activity": body.activity, "us_outcome": result["us_ear"]["outcome"],
        "jp_outcome": result["jp_fefta"]["outcome"], "overall": result["overall"]["outcome"], "via": "api"})
    return result


class PartyIn(Input):
    name: str = Field(min_length=1, max_length=limits.MAX_NAME_CHARS)
    role: Literal["recipient", "end_user", "employer", "intermediate"] = "intermediate"
    kind: Literal["person", "organisation"] | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")


class CaseIn(Input):
    """A new case: ``intake`` — the pre-check answers of the kind, the same model and messages as the web form
    (techguard.rules.intake) — or, as before, raw activity ``facts`` with their ``parties``; exactly one."""

    kind: CaseKind
    title: str = Field(min_length=1, max_length=200)
    intake: dict[str, Any] | None = Field(default=None, description=(
        "The pre-check answers of the kind, named as the web form's fields (techguard.rules.intake): countries as"
        " ISO codes or names, yes/no/unknown, dates YYYY-MM-DD, percentages 0-100."))
    facts: dict[str, Any] | None = Field(default=None, description="Raw activity facts (the /assess body).")
    parties: list[PartyIn] = []  # noqa: RUF012 (Django reads these class attributes)

    @model_validator(mode="after")
    def _intake_or_facts(self) -> CaseIn:
        if (self.intake is None) == (self.facts is None):
            raise ValueError("give either 'intake' (the pre-check answers) or 'facts' (an activity), not both")
        return self


class CaseOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    status: str
    owner: str
    facts: dict[str, Any]
    parties: list[dict[str, Any]]
    assessment: dict[str, Any] | None
    screening: list[dict[str, Any]] | None
    checks_error: str
    conditions: str
    licences: list[LicenceOut]  # 許可・承認 and licence exceptions, per law (the licences app)
    review_round: int  # each (re)submission starts the approval route afresh
    withdrawn_reason: str
    created: dt.datetime


def _out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk, "reference": case.reference, "kind": case.kind, "title": case.title, "status": case.status,
        "owner": case.owner.get_username(), "facts": case.facts, "parties": case.parties,
        "assessment": case.assessment, "screening": case.screening, "checks_error": case.checks_error,
        "conditions": case.conditions, "created": case.created,
        # prefetched by the list (one query for all its cases); in the licences page's order
        "licences": [licence_out(licence) for licence in sorted(case.licences.all(),
                                                                key=lambda lic: (lic.jurisdiction, lic.pk))],
        "review_round": case.review_round, "withdrawn_reason": case.withdrawn_reason,
    }


def _case(request: HttpRequest, case_id: int) -> Case:
    case: Case | None = visible_cases(request.user, Case.objects.select_related("owner")).filter(pk=case_id).first()
    if case is None:
        raise HttpError(404, "no such case")
    return case


@api.get("/cases", response={**COMMON, 200: list[CaseOut]}, tags=["cases"])
def list_cases(request: HttpRequest, status: str | None = None, limit: int = 100) -> Any:
    cases = visible_cases(request.user, Case.objects.select_related("owner").prefetch_related("licences"))
    if status:
        cases = cases.filter(status=status)
    return [_out(c) for c in cases[: max(1, min(limit, 500))]]


@api.post("/cases", response={**COMMON, 201: CaseOut}, tags=["cases"])
def create_case(request: HttpRequest, body: CaseIn) -> Any:
    from django.conf import settings
    from django.utils.translation import get_language

    from techguard.rules.activity import activity_from_mapping
    from techguard.rules.intake import IntakeError, parse_intake
    from techguard.web.accounts.roles import read_profile

    parties = [p.dict(exclude_none=True) for p in body.parties]
    if body.intake is not None:
        try:
            facts, derived = parse_intake(str(body.kind), body.intake).to_case(settings.TECHGUARD_HOME_COUNTRY)
        except IntakeError as exc:
            # "field: message; …", the web form's messages in the same language: the user's profile language,
            # else the request's (Accept-Language; a token-authenticated call skips UserLanguageMiddleware)
            profile = read_profile(request.user)
            language = (profile.language if profile is not None else "") or get_language() or "en"
            return Status(400, {"detail": exc.localized(language)})
        parties = derived + parties
    else:
        facts = body.facts or {}
        try:
            activity_from_mapping(facts, source="facts")
        except ValueError as exc:
            return Status(400, {"detail": str(exc)})
    case = workflow.create_case(request.user, str(body.kind), body.title, facts, parties)
    workflow.run_checks(case, request.user)
    return Status(201, _out(case))


@api.get("/cases/{case_id}", response={**ON_CASE, 200: CaseOut}, tags=["cases"])
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _out(_case(request, case_id))


def _refused(exc: workflow.WorkflowError) -> Any:
    """The workflow's own words, as the pages show them: 403 for who may not, 409 for what may not be now."""
    return Status(403 if isinstance(exc, workflow.NotAllowed) else 409, {"detail": str(exc)})


ON_STEP: dict[int, Any] = {**ON_CASE, 200: CaseOut, 403: ErrorOut, 409: ErrorOut}


@api.post("/cases/{case_id}/submit", response=ON_STEP, tags=["cases"])
def submit_case(request: HttpRequest, case_id: int) -> Any:
    """Submit a draft, or resubmit a case returned for correction (the approval route starts again)."""
    case = _case(request, case_id)
    try:
        workflow.submit(case, request.user)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _out(case)


class DecisionIn(Input):
    # built from the model's choices at run time (one list of decisions): mypy cannot see a computed Literal
    decision: Literal[tuple(d.value for d in DECISIONS)]  # type: ignore[valid-type]
    # an empty reason or missing conditions are refused by the workflow, with the words the page uses
    comment: str = Field(max_length=5000)
    conditions: str = Field(default="", max_length=5000)


@api.post("/cases/{case_id}/decision", response=ON_STEP, tags=["cases"])
def decide_case(request: HttpRequest, case_id: int, body: DecisionIn) -> Any:
    """The last step of the approval route (or a change of a decision). Licences are recorded apart."""
    case = _case(request, case_id)
    try:
        workflow.decide(case, request.user, body.decision, body.comment, conditions=body.conditions)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _out(case)


class ReasonIn(Input):
    reason: str = Field(max_length=5000)  # required; an empty one is refused by the workflow as on the page


@api.post("/cases/{case_id}/return", response=ON_STEP, tags=["cases"])
def return_case(request: HttpRequest, case_id: int, body: ReasonIn) -> Any:
    """差戻し: send the case back to the researcher for correction, with the reason."""
    case = _case(request, case_id)
    try:
        workflow.return_case(case, request.user, body.reason)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _out(case)


@api.post("/cases/{case_id}/withdraw", response=ON_STEP, tags=["cases"])
def withdraw_case(request: HttpRequest, case_id: int, body: ReasonIn) -> Any:
    """The researcher withdraws a draft, submitted or returned case; the reason is kept."""
    case = _case(request, case_id)
    try:
        workflow.withdraw(case, request.user, body.reason)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _out(case)


class ApprovalIn(Input):
    outcome: Literal["approved", "returned", "rejected"]
    comment: str = Field(default="", max_length=5000)
    decision: Literal[("", *(d.value for d in DECISIONS))] = ""  # type: ignore[valid-type]
    conditions: str = Field(default="", max_length=5000)


class ApprovalOut(Schema):
    order: int
    step: str
    user: str
    outcome: str
    decision: str
    comment: str
    round: int
    signed_at: dt.datetime


@api.post("/cases/{case_id}/approvals", response=ON_STEP, tags=["cases"])
def sign_step(request: HttpRequest, case_id: int, body: ApprovalIn) -> Any:
    """Sign the current step of the approval route: approved (on the last step with ``decision``), returned
    (差戻し; ``comment`` is the reason) or rejected."""
    case = _case(request, case_id)
    try:
        workflow.sign(case, request.user, body.outcome, body.comment, decision=body.decision,
                      conditions=body.conditions)
    except workflow.WorkflowError as exc:
        return _refused(exc)
    return _out(case)


@api.get("/cases/{case_id}/approvals", response={**ON_CASE, 200: list[ApprovalOut]}, tags=["cases"])
def list_approvals(request: HttpRequest, case_id: int) -> Any:
    """The 決裁欄: every signed box of every round, in signing order."""
    case = _case(request, case_id)
    return [{"order": a.order, "step": a.step_label, "user": a.user.get_username(), "outcome": a.outcome,
             "decision": a.decision, "comment": a.comment, "round": a.round, "signed_at": a.signed_at}
            for a in case.approvals.select_related("user").order_by("signed_at", "pk")]


api.add_router("/classification/", "techguard.web.classification.api.router")  # search + item master
api.add_router("/", "techguard.web.licences.api.router")  # /cases/{id}/licences, /licences/{id}
