"""A researcher's disclosures: appointments, current and pending support, in-kind support, talent programmes,
foreign activities (Japan's notification cases) and certifications — with validation and JSON import/export.

Fields follow the NSPM-33 implementation guidance / NSF-NIH Common Forms (Biosketch, Current & Pending (Other)
Support) and the Japanese 研究インテグリティ notification cases. Nothing here looks at a person's nationality:
the country that matters is the *sponsor's or counterparty's* (CHIPS Act §10638(4)(B)).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from techguard.research.registry import normalise_ror_id

# Countries of concern named in CHIPS Act §10638(4)(B) (42 U.S.C. 19237): China, North Korea, Russia, Iran.
# Hong Kong and Macao are treated as China for this prong.
COUNTRIES_OF_CONCERN = frozenset({"CN", "KP", "RU", "IR", "HK", "MO"})


class DisclosureError(ValueError):
    """A disclosure document is malformed; names the file and the JSON path."""

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source, self.path, self.message = source, path, message
        super().__init__(f"{source}: {path}: {message}")


class SupportStatus(StrEnum):
    CURRENT = "current"
    PENDING = "pending"
    PROPOSED = "proposed"
    TRANSFER = "transfer"


class AppointmentKind(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"  # 兼業 / outside employment
    HONORARY = "honorary"
    EMERITUS = "emeritus"
    VISITING = "visiting"
    ADJUNCT = "adjunct"


class ActivityKind(StrEnum):
    """Japan's 留意すべきケース (cases universities ask researchers to notify)."""

    JOINT_RESEARCH = "joint_research"
    FUNDS_OR_EQUIPMENT_RECEIVED = "funds_or_equipment_received"
    PERSONNEL_HOSTED = "personnel_hosted"
    SUBSIDY_OR_GRANT = "subsidy_or_grant"
    REMUNERATION = "remuneration"
    SIDE_JOB = "side_job"  # 兼業
    CONTRACT_OR_MOU = "contract_or_mou"
    TRAVEL = "travel"


class CertificationKind(StrEnum):
    ACCURATE_COMPLETE = "accurate_complete"
    NOT_MFTRP_PARTY = "not_mftrp_party"  # CHIPS §10632: at proposal and annually
    SECURITY_TRAINING = "security_training"


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    country: str | None = None  # ISO alpha-2
    ror_id: str | None = None


@dataclass(frozen=True, slots=True)
class Appointment:
    organisation: Organisation
    title: str
    start: str  # ISO date or YYYY-MM
    end: str | None = None
    kind: AppointmentKind = AppointmentKind.PRIMARY
    paid: bool = True
    person_months: float | None = None  # per year


@dataclass(frozen=True, slots=True)
class SupportItem:
    title: str
    status: SupportStatus
    source: Organisation
    start: str
    end: str | None = None
    award_number: str | None = None
    place_of_performance: str | None = None
    total_amount: float | None = None
    currency: str | None = None
    person_months: dict[str, float] = field(default_factory=dict)  # year -> months
    objectives: str = ""
    overlap: str = ""  # statement of potential overlap


@dataclass(frozen=True, slots=True)
class InKindSupport:
    source: Organisation
    description: str  # lab space, equipment, staff, materials
    status: SupportStatus = SupportStatus.CURRENT
    estimated_value: float | None = None
    currency: str | None = None
    related_project: str | None = None


@dataclass(frozen=True, slots=True)
class MftrpAnswers:
    """§10638(4)(A): does the arrangement require or involve any of these, in exchange for compensation?"""

    unauthorised_transfer: bool | None = None  # of IP, materials, data or other non-public information
    recruit_trainees: bool | None = None
    establish_lab_or_appointment_violating_terms: bool | None = None
    cannot_terminate: bool | None = None
    overlap_with_federal_award: bool | None = None
    obtain_foreign_funding: bool | None = None
    omit_acknowledgement: bool | None = None
    not_disclose: bool | None = None
    conflict_of_interest_or_commitment: bool | None = None
    # Exceptions the guidelines recognise (publishing / open conferences / reciprocal open collaboration /
    # advising foreign students) — when the whole arrangement is one of these.
    exception: str | None = None


@dataclass(frozen=True, slots=True)
class TalentProgram:
    name: str
    sponsor: Organisation
    compensation: tuple[str, ...] = ()  # "cash", "in_kind", "title", "travel", ...
    start: str | None = None
    end: str | None = None
    answers: MftrpAnswers = field(default_factory=MftrpAnswers)
    documents: tuple[str, ...] = ()  # contract and translation file names


@dataclass(frozen=True, slots=True)
class ForeignActivity:
    kind: ActivityKind
    counterparty: Organisation
    start: str
    end: str | None = None
    stay_days: int | None = None  # longest continuous stay (travel)
    trips_per_year: int | None = None
    notified_on: str | None = None  # ISO date the institution was notified


@dataclass(frozen=True, slots=True)
class Certification:
    kind: CertificationKind
    signed_on: str  # ISO date
    form_version: str = ""


@dataclass(frozen=True, slots=True)
class Disclosure:
    person_id: str
    names: tuple[str, ...]
    orcid: str | None = None
    covered: bool = True  # contributes in a substantive, meaningful way (CHIPS §10638(1))
    appointments: tuple[Appointment, ...] = ()
    support: tuple[SupportItem, ...] = ()
    in_kind: tuple[InKindSupport, ...] = ()
    talent_programs: tuple[TalentProgram, ...] = ()
    foreign_activities: tuple[ForeignActivity, ...] = ()
    certifications: tuple[Certification, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    path: str
    message: str
    severity: str = "error"  # "error" | "warning" | "notify"

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class MftrpAssessment:
    program: str
    prong_a: tuple[str, ...]  # criteria answered yes
    prong_a_unanswered: tuple[str, ...]
    prong_b: tuple[str, ...]  # why (B) holds: sponsor country / §1286 listing
    outcome: str  # "malign" | "not_malign" | "incomplete" | "excepted"

    def to_json(self) -> dict[str, str | list[str]]:
        return {"program": self.program, "prong_a": list(self.prong_a),
                "prong_a_unanswered": list(self.prong_a_unanswered), "prong_b": list(self.prong_b),
                "outcome": self.outcome}


_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_ORCID = re.compile(r"^(https://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def assess_mftrp(program: TalentProgram, section_1286_programs: frozenset[str] = frozenset()) -> MftrpAssessment:
    """Both prongs of §10638(4): (A) any of nine behaviours, and (B) a country of concern or a §1286 listing.

    (B) looks at the *sponsor*, never at the researcher. ``section_1286_programs`` are folded names of §1286
    Table 1/2 entries in force (institutions and talent programmes).
    """
    from techguard.research.normalise import fold

    answers = program.answers
    criteria = [f.name for f in fields(MftrpAnswers) if f.name != "exception"]
    yes = tuple(c for c in criteria if getattr(answers, c) is True)
    unanswered = tuple(c for c in criteria if getattr(answers, c) is None)
    prong_b: list[str] = []
    if program.sponsor.country in COUNTRIES_OF_CONCERN:
        prong_b.append(f"sponsor country {program.sponsor.country} is a foreign country of concern")
    for name in (program.name, program.sponsor.name):
        if fold(name) in section_1286_programs:
            prong_b.append(f"{name!r} is on the §1286 list")
    if answers.exception:
        outcome = "excepted"
    elif yes and prong_b:
        outcome = "malign"
    elif unanswered and prong_b:
        outcome = "incomplete"
    else:
        outcome = "not_malign"
    return MftrpAssessment(program.name, yes, unanswered, tuple(prong_b), outcome)


def _days(start: str, end: str | None) -> int | None:
    if end is None or len(start) != 10 or len(end) != 10:
        return None
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def japan_notification_needed(activity: ForeignActivity) -> bool:
    """Japan's cases: every listed foreign activity is notified; travel when a stay exceeds one month or
    there are more than five trips a year to the country."""
    if activity.kind is not ActivityKind.TRAVEL:
        return True
    stay = activity.stay_days if activity.stay_days is not None else _days(activity.start, activity.end)
    return (stay is not None and stay > 31) or (activity.trips_per_year or 0) > 5


def validate(
    disclosure: Disclosure,
    *,
    as_of: str | None = None,
    home_country: str = "JP",
    section_1286: frozenset[str] = frozenset(),
) -> list[Issue]:
    """Structural checks plus the completeness checks of the research-security notes (§1.5 items 1, 7, 8).

    ``section_1286``: folded §1286 names in force (``DesignationBook.section_1286_names``) for MFTRP prong (B).
    """
    today = as_of or dt.date.today().isoformat()
    issues: list[Issue] = []
    if disclosure.orcid and not _ORCID.match(disclosure.orcid):
        issues.append(Issue("orcid", f"not an ORCID iD: {disclosure.orcid!r}"))

    def dates(path: str, start: str | None, end: str | None) -> None:
        for label, value in (("start", start), ("end", end)):
            if value is not None and not _DATE.match(value):
                issues.append(Issue(f"{path}.{label}", f"expected YYYY-MM or YYYY-MM-DD, got {value!r}"))
        if start and end and _DATE.match(start) and _DATE.match(end) and end < start:
            issues.append(Issue(f"{path}.end", f"ends ({end}) before it starts ({start})"))

    def organisation(path: str, org: Organisation) -> None:
        if not org.name.strip():
            issues.append(Issue(f"{path}.name", "organisation name is empty"))
        if org.country is not None and not re.fullmatch(r"[A-Z]{2}", org.country):
            issues.append(Issue(f"{path}.country", f"expected an ISO alpha-2 code, got {org.country!r}"))
        if org.ror_id is not None and not re.fullmatch(r"https://ror\.org/0[a-z0-9]{8}", org.ror_id):
            issues.append(Issue(f"{path}.ror_id", f"not a ROR id: {org.ror_id!r}"))

    for i, item in enumerate(disclosure.appointments):
        dates(f"appointments[{i}]", item.start, item.end)
        organisation(f"appointments[{i}].organisation", item.organisation)
    months_by_year: dict[str, float] = {}
    for i, support in enumerate(disclosure.support):
        dates(f"support[{i}]", support.start, support.end)
        organisation(f"support[{i}].source", support.source)
        if support.status in (SupportStatus.CURRENT, SupportStatus.PENDING) and not support.overlap.strip():
            issues.append(Issue(f"support[{i}].overlap", "statement of potential overlap is missing", "warning"))
        for year, months in support.person_months.items():
            if months < 0 or months > 12:
                issues.append(Issue(f"support[{i}].person_months.{year}", f"{months} is not within 0–12"))
            if support.status is SupportStatus.CURRENT:
                months_by_year[year] = months_by_year.get(year, 0.0) + months
    for year, total in sorted(months_by_year.items()):
        if total > 12:
            issues.append(Issue(f"support.person_months.{year}",
                                f"current support commits {total:g} person-months in {year} (over 12)", "warning"))
    for i, in_kind in enumerate(disclosure.in_kind):
        organisation(f"in_kind[{i}].source", in_kind.source)
    for i, program in enumerate(disclosure.talent_programs):
        organisation(f"talent_programs[{i}].sponsor", program.sponsor)
        dates(f"talent_programs[{i}]", program.start, program.end)
        assessment = assess_mftrp(program, section_1286)
        if assessment.outcome in ("malign", "incomplete"):
            issues.append(Issue(f"talent_programs[{i}]", f"MFTRP questionnaire outcome: {assessment.outcome} "
                                f"(A: {', '.join(assessment.prong_a) or 'none yes'}; B: {'; '.join(assessment.prong_b)})",
                                "error" if assessment.outcome == "malign" else "warning"))
    for i, activity in enumerate(disclosure.foreign_activities):
        dates(f"foreign_activities[{i}]", activity.start, activity.end)
        organisation(f"foreign_activities[{i}].counterparty", activity.counterparty)
        foreign = activity.counterparty.country not in (None, home_country)
        if foreign and japan_notification_needed(activity) and not activity.notified_on:
            issues.append(Issue(f"foreign_activities[{i}]", f"{activity.kind.value} with "
                                f"{activity.counterparty.name!r} needs notification to the institution "
                                "(所属機関への届出が必要)", "notify"))
    if disclosure.covered:
        latest = {kind: max((c.signed_on for c in disclosure.certifications if c.kind is kind), default=None)
                  for kind in CertificationKind}
        for kind, signed in latest.items():
            if signed is None:
                issues.append(Issue("certifications", f"no {kind.value} certification"))
            elif (dt.date.fromisoformat(today) - dt.date.fromisoformat(signed)).days > 365:
                issues.append(Issue("certifications", f"{kind.value} certification of {signed} is over a year old "
                                    "(annual re-certification)"))
    return issues


# -- JSON ----------------------------------------------------------------------------------------------------

T = TypeVar("T")


def _build(cls: type[T], data: Any, source: str, path: str) -> T:
    if not isinstance(data, dict):
        raise DisclosureError(source, path, f"expected an object, got {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - set(known)
    if unknown:
        raise DisclosureError(source, path, f"unknown field(s): {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    nested: dict[str, type] = {
        "organisation": Organisation, "source": Organisation, "sponsor": Organisation,
        "counterparty": Organisation, "answers": MftrpAnswers,
    }
    lists: dict[str, type] = {
        "appointments": Appointment, "support": SupportItem, "in_kind": InKindSupport,
        "talent_programs": TalentProgram, "foreign_activities": ForeignActivity, "certifications": Certification,
    }
    enums: dict[str, type[StrEnum]] = {"status": SupportStatus, "kind": _kind_enum(cls)} if cls is not Disclosure \
        else {}
    for name, value in data.items():
        where = f"{path}.{name}"
        if name in nested and isinstance(value, dict):
            kwargs[name] = _build(nested[name], value, source, where)
        elif name in lists:
            if not isinstance(value, list):
                raise DisclosureError(source, where, "expected a list")
            kwargs[name] = tuple(_build(lists[name], v, source, f"{where}[{i}]") for i, v in enumerate(value))
        elif name in enums and enums[name] is not None and cls is not Organisation:
            try:
                kwargs[name] = enums[name](value)
            except ValueError:
                allowed = ", ".join(e.value for e in enums[name])
                raise DisclosureError(source, where, f"{value!r} is not one of {allowed}") from None
        elif name in ("names", "compensation", "documents"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DisclosureError(source, where, "expected a list of strings")
            kwargs[name] = tuple(value)
        elif name == "ror_id" and isinstance(value, str):
            kwargs[name] = normalise_ror_id(value)
        else:
            kwargs[name] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise DisclosureError(source, path, str(exc)) from None


def _kind_enum(cls: type) -> type[StrEnum]:
    return {Appointment: AppointmentKind, ForeignActivity: ActivityKind,
            Certification: CertificationKind}.get(cls, SupportStatus)


def disclosure_from_json(data: Any, source: str = "<json>") -> Disclosure:
    return _build(Disclosure, data, source, "$")


def load_disclosure(path: Path) -> Disclosure:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DisclosureError(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from exc
    return disclosure_from_json(data, str(path))


def disclosure_to_json(disclosure: Disclosure) -> dict[str, Any]:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value.value if isinstance(value, StrEnum) else value

    result: dict[str, Any] = clean(asdict(disclosure))
    return result


__all__ = [
    "COUNTRIES_OF_CONCERN",
    "ActivityKind",
    "Appointment",
    "AppointmentKind",
    "Certification",
    "CertificationKind",
    "Disclosure",
    "DisclosureError",
    "ForeignActivity",
    "InKindSupport",
    "Issue",
    "MftrpAnswers",
    "MftrpAssessment",
    "Organisation",
    "SupportItem",
    "SupportStatus",
    "TalentProgram",
    "assess_mftrp",
    "disclosure_from_json",
    "disclosure_to_json",
    "japan_notification_needed",
    "load_disclosure",
    "validate",
]
