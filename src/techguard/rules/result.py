"""What the engine answers: an outcome per jurisdiction, each step cited, missing facts as questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class UsOutcome(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_SUBJECT = "not_subject"
    NOT_AN_EXPORT = "not_an_export"
    NOT_A_DEEMED_REEXPORT = "not_a_deemed_reexport"
    NO_LICENCE_REQUIRED = "no_licence_required"
    LICENCE_REQUIRED = "licence_required"
    LICENCE_REQUIRED_UNLESS_EXCEPTION = "licence_required_unless_exception"
    INCOMPLETE = "incomplete"


class JpOutcome(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    EXEMPT_PUBLIC = "exempt_public"
    EXEMPT_BASIC_SCIENCE = "exempt_basic_science"
    NOT_A_CONTROLLED_PROVISION = "not_a_controlled_provision"
    NO_LICENCE_REQUIRED = "no_licence_required"
    LICENCE_REQUIRED = "licence_required"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Step:
    rule: str  # short machine name of the test applied, e.g. "fundamental_research"
    citation: str  # "15 CFR 734.8(a)", "外為法25条1項", "輸出令別表第一 16項"
    finding: str  # what the engine found, in English
    finding_ja: str | None = None  # the same in Japanese

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "citation": self.citation, "finding": self.finding}
        if self.finding_ja:
            out["finding_ja"] = self.finding_ja
        return out


@dataclass(frozen=True, slots=True)
class MissingFact:
    field: str  # dotted path in the activity model, e.g. "recipient.citizenships"
    question_en: str
    question_ja: str
    why: str  # which rule needs it, with its citation

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "question_en": self.question_en, "question_ja": self.question_ja, "why": self.why}


@dataclass(frozen=True, slots=True)
class LicenceException:
    code: str  # "LVS", "GBS", "TSR", "STA", ...
    citation: str  # "15 CFR 740.3"
    note: str  # why it is worth reviewing (never silently granted)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "citation": self.citation, "note": self.note}


@dataclass(frozen=True, slots=True)
class JurisdictionResult:
    outcome: str  # a UsOutcome or JpOutcome value
    steps: tuple[Step, ...] = ()
    licence_exceptions_to_review: tuple[LicenceException, ...] = ()
    missing_facts: tuple[MissingFact, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)  # e.g. {"deemed_destination": "CN", "reasons": [...]}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": str(self.outcome),
            "steps": [s.to_json() for s in self.steps],
            "licence_exceptions_to_review": [e.to_json() for e in self.licence_exceptions_to_review],
            "missing_facts": [m.to_json() for m in self.missing_facts],
        }
        if self.details:
            out["details"] = self.details
        return out


@dataclass(frozen=True, slots=True)
class Assessment:
    us_ear: JurisdictionResult
    jp_fefta: JurisdictionResult
    as_of: str  # ISO date of the rules applied
    tables_as_of: dict[str, str] = field(default_factory=dict)  # table name -> date of the text it came from

    def to_json(self) -> dict[str, Any]:
        return {
            "us_ear": self.us_ear.to_json(),
            "jp_fefta": self.jp_fefta.to_json(),
            "as_of": self.as_of,
            "tables_as_of": self.tables_as_of,
        }


__all__ = ["Assessment", "JpOutcome", "JurisdictionResult", "LicenceException", "MissingFact", "Step", "UsOutcome"]
