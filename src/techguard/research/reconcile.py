"""Declared vs observed affiliations: every observed institution that no declaration covers becomes a flag
with its evidence, the designations in force on the publication date, and a human review state.

A flag is a candidate for review, never a verdict. Nothing here reads a person's nationality or ethnicity:
the inputs are the person's own declarations and the affiliations printed on their works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from techguard.research.disclosures import Disclosure, Organisation
from techguard.research.publications import ObservedAffiliation
from techguard.research.resolver import Membership, Resolver

# Works keep printing an affiliation for a while after someone leaves (submission and publication lag).
GRACE_DAYS = 365


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Triage(StrEnum):
    NONE = "none"  # coverage note: an affiliation string the registry could not resolve
    NOTIFY = "notify"  # undeclared, no list membership
    REVIEW = "review"  # undeclared, with an assessment (ASPI) only
    ESCALATE = "escalate"  # undeclared, institution designated on the publication date


@dataclass(frozen=True, slots=True)
class DeclaredAffiliation:
    organisation: Organisation
    start: str | None = None
    end: str | None = None
    declared_as: str = ""  # "appointment", "support", "in_kind", "talent_program", "foreign_activity"


@dataclass(frozen=True, slots=True)
class Review:
    state: ReviewState
    reviewer: str
    on: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    kind: str  # "undeclared_affiliation" | "unresolved_affiliation"
    triage: Triage
    source: str
    work_id: str
    date: str | None
    raw: str
    ror_id: str | None
    institution: str | None
    country: str | None
    score: float
    designations: tuple[Membership, ...] = ()
    assessments: tuple[Membership, ...] = ()
    explanation: tuple[str, ...] = ()
    state: ReviewState = ReviewState.UNREVIEWED
    history: tuple[Review, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "triage": self.triage.value, "state": self.state.value,
            "evidence": {"source": self.source, "work_id": self.work_id, "date": self.date, "raw": self.raw},
            "institution": {"ror_id": self.ror_id, "name": self.institution, "country": self.country,
                            "score": self.score},
            "designations": [m.as_dict() for m in self.designations],
            "assessments": [m.as_dict() for m in self.assessments],
            "explanation": list(self.explanation),
            "history": [{"state": r.state.value, "reviewer": r.reviewer, "on": r.on, "note": r.note}
                        for r in self.history],
        }


def review(flag: Flag, state: ReviewState, reviewer: str, note: str = "", on: str | None = None) -> Flag:
    """A new flag in ``state``; the previous states stay in ``history`` (the audit trail)."""
    if not reviewer.strip():
        raise ValueError("a review needs the reviewer's name")
    entry = Review(state, reviewer, on or dt.date.today().isoformat(), note)
    return replace(flag, state=state, history=(*flag.history, entry))


def declared_from_disclosure(disclosure: Disclosure) -> list[DeclaredAffiliation]:
    declared = [DeclaredAffiliation(a.organisation, a.start, a.end, "appointment") for a in disclosure.appointments]
    declared += [DeclaredAffiliation(s.source, s.start, s.end, "support") for s in disclosure.support]
    declared += [DeclaredAffiliation(k.source, None, None, "in_kind") for k in disclosure.in_kind]
    declared += [DeclaredAffiliation(t.sponsor, t.start, t.end, "talent_program") for t in disclosure.talent_programs]
    declared += [DeclaredAffiliation(f.counterparty, f.start, f.end, "foreign_activity")
                 for f in disclosure.foreign_activities]
    return declared


def _as_date(value: str, *, last: bool) -> dt.date:
    """"2021" / "2021-04" / "2021-04-09" -> a date (the first or the last day of the period)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        if not last:
            return dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31) if last else dt.date(parts[0], 1, 1)


def _covers(item: DeclaredAffiliation, date: str | None) -> bool:
    if date is None:
        return True
    day = _as_date(date, last=False)
    if item.start and day < _as_date(item.start, last=False):
        return False
    return not item.end or day <= _as_date(item.end, last=True) + dt.timedelta(days=GRACE_DAYS)


def _flag_id(observation: ObservedAffiliation, ror_id: str = "") -> str:
    key = "\x1f".join((observation.source, observation.work_id, observation.raw, ror_id))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def reconcile(
    declared: Disclosure | Sequence[DeclaredAffiliation],
    observed: Sequence[ObservedAffiliation],
    as_of: str | None = None,
    *,
    resolver: Resolver,
) -> list[Flag]:
    """Flags for observed affiliations (dated on or before ``as_of``) that no declaration covers.

    An observation is covered by a declaration of the same institution or of one of its ROR ancestors (a
    declared university covers its institutes) whose period, plus a year's grace, includes the work's date.
    """
    items = declared_from_disclosure(declared) if isinstance(declared, Disclosure) else list(declared)
    declared_ids: list[tuple[DeclaredAffiliation, str]] = []
    for item in items:
        ror_id = item.organisation.ror_id
        if ror_id is None:
            ror_id = resolver.resolve(item.organisation.name, country_hint=item.organisation.country).ror_id
        if ror_id is not None:
            declared_ids.append((item, ror_id))
    cutoff = as_of or dt.date.today().isoformat()
    flags: list[Flag] = []
    for observation in observed:
        if observation.date and observation.date[:10] > cutoff:
            continue
        resolution = resolver.resolve(observation.raw, as_of=observation.date)
        notes = list(resolution.explanation)
        ror_id = resolution.ror_id
        institution = resolver.institution(observation.asserted_ror_id) if observation.asserted_ror_id else None
        if institution is not None and institution.ror_id != ror_id:
            notes.insert(0, f"{observation.source} asserts {institution.ror_id}; the source's assertion is used")
            ror_id = institution.ror_id
        if ror_id is None and not resolution.others:
            flags.append(Flag(_flag_id(observation), "unresolved_affiliation", Triage.NONE, observation.source,
                              observation.work_id, observation.date, observation.raw, None, None, None, 0.0,
                              explanation=tuple(notes)))
            continue
        # Every institution the string names is checked, not only the one returned as "the" affiliation.
        # Ambiguous between institutions the string names: each of them is checked the same way.
        for named in dict.fromkeys(x for x in (ror_id, *resolution.others) if x is not None):
            lineage = resolver.lineage(named)
            if any(declared_id in lineage and _covers(item, observation.date) for item, declared_id in declared_ids):
                continue
            chosen = resolver.institution(named)
            if chosen is None:
                continue
            designations, assessments = resolver.memberships_of(chosen, observation.date)
            triage = Triage.ESCALATE if designations else Triage.REVIEW if assessments else Triage.NOTIFY
            # A source-asserted ROR id the resolver did not reach is taken as given (score 1).
            score = 1.0 if named == ror_id != resolution.ror_id else resolution.score
            reasons = [*notes] if named == ror_id else [f"also named in the same string: {chosen.name}", *notes]
            reasons.append("no declaration covers this institution on the work's date")
            flags.append(Flag(
                _flag_id(observation, named), "undeclared_affiliation", triage, observation.source,
                observation.work_id, observation.date, observation.raw, named, chosen.name, chosen.country, score,
                designations, assessments, tuple(reasons)))
    return flags


__all__ = [
    "GRACE_DAYS",
    "DeclaredAffiliation",
    "Flag",
    "Review",
    "ReviewState",
    "Triage",
    "declared_from_disclosure",
    "reconcile",
    "review",
]
