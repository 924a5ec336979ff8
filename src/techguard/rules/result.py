"""What the engine answers: an outcome per jurisdiction, each step cited, missing facts as questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from techguard.i18n import Localizable, Message, available_languages, gettext


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
    # 外為法48条3項 / 輸出令2条1項: an approval (承認) under a country measure, refused in principle — not a 48条1項
    # licence (許可).
    APPROVAL_REQUIRED = "approval_required"
    INCOMPLETE = "incomplete"


# The three verdicts an officer acts on; every outcome of either side maps to one.
VERDICT_REQUIRED = "required"
VERDICT_NOT_REQUIRED = "not_required"
VERDICT_INCOMPLETE = "incomplete"
_REQUIRED = frozenset({"licence_required", "licence_required_unless_exception", "approval_required"})

# Strictness for the overall answer: the stricter side governs.
STRICTNESS = {
    "approval_required": 5,
    "licence_required": 4,
    "licence_required_unless_exception": 3,
    "incomplete": 2,
}


def verdict(outcome: str) -> str:
    """``required`` / ``not_required`` / ``incomplete`` for any US or JP outcome."""
    if outcome in _REQUIRED:
        return VERDICT_REQUIRED
    if outcome == "incomplete":
        return VERDICT_INCOMPLETE
    return VERDICT_NOT_REQUIRED


@dataclass(frozen=True, slots=True)
class Step:
    """One test the engine applied. Its finding is a gettext message (:meth:`of`: an English msgid of
    ``techguard.po`` and its values): ``finding`` / ``finding_ja`` are it in English and Japanese (the JSON
    contract and stored assessments), :meth:`localized` and the JSON's ``findings`` give every language."""

    rule: str  # short machine name of the test applied, e.g. "fundamental_research"
    citation: str  # "15 CFR 734.8(a)", "外為法25条1項", "輸出令別表第一 16項"
    finding: str  # what the engine found, in English
    finding_ja: str | None = None  # the same in Japanese
    message: Message | None = field(default=None, compare=False)  # the finding as msgid + values, when it is one

    @classmethod
    def of(cls, rule: str, citation: str, msgid: str, /, **values: Any) -> Step:
        """The step whose finding is the message ``msgid`` (English, ``{placeholders}``) with ``values``."""
        message = Message(msgid, values)
        return cls(rule, citation, message.localized("en"), message.localized("ja"), message)

    def localized(self, lang: str) -> str:
        """The finding in ``lang`` (English when a finding is not a message: see docs/determinations.md)."""
        if self.message is not None:
            return self.message.localized(lang)
        return self.finding_ja if lang == "ja" and self.finding_ja else self.finding

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "citation": self.citation, "finding": self.finding}
        if self.finding_ja:
            out["finding_ja"] = self.finding_ja
        out["findings"] = {lang: self.localized(lang) for lang in available_languages()}
        return out


@dataclass(frozen=True, slots=True)
class MissingFact:
    field: str  # dotted path in the activity model, e.g. "recipient.citizenships"
    question_en: str
    question_ja: str
    why: str  # which rule needs it, with its citation
    # What each value tried would give: (value, outcome) pairs, e.g. (("CN", "licence_required"), ("DE",
    # "no_licence_required")); empty when the fact's values cannot be enumerated (then it is asked as is).
    outcomes: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "question_en": self.question_en,
            "question_ja": self.question_ja,
            "why": self.why,
        }
        if self.outcomes:
            out["outcomes"] = dict(self.outcomes)
            out["outcomes_text"] = outcomes_text(self.outcomes)
        return out


def outcomes_text(outcomes: tuple[tuple[str, str], ...]) -> str:
    """ "licence_required if CN, RU; no_licence_required if DE" — values grouped by the outcome they give."""
    grouped: dict[str, list[str]] = {}
    for value, outcome in outcomes:
        grouped.setdefault(outcome, []).append(value)
    return "; ".join(f"{outcome} if {', '.join(values)}" for outcome, values in grouped.items())


@dataclass(frozen=True, slots=True)
class LicenceException:
    """A licence exception worth reviewing (never silently granted). ``note`` says why, in English (the JSON
    contract and stored assessments); built with :meth:`of` from a message, the JSON's ``notes`` give it in every
    language."""

    code: str  # "LVS", "GBS", "TSR", "STA", ...
    citation: str  # "15 CFR 740.3"
    note: str  # why it is worth reviewing, in English
    message: Localizable | None = field(default=None, compare=False)  # the note as a message, when it is one

    @classmethod
    def of(cls, code: str, citation: str, message: Localizable) -> LicenceException:
        return cls(code, citation, message.localized("en"), message)

    def localized(self, lang: str) -> str:
        """The note in ``lang`` (English when it is not a message)."""
        return self.message.localized(lang) if self.message is not None else self.note

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "citation": self.citation, "note": self.note,
                "notes": {lang: self.localized(lang) for lang in available_languages()}}


@dataclass(frozen=True, slots=True)
class JurisdictionResult:
    outcome: str  # a UsOutcome or JpOutcome value
    steps: tuple[Step, ...] = ()
    licence_exceptions_to_review: tuple[LicenceException, ...] = ()
    missing_facts: tuple[MissingFact, ...] = ()
    details: dict[str, Any] = field(
        default_factory=dict
    )  # e.g. {"deemed_destination": "CN", "reasons": [...]}

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
class Overall:
    """The answer for the activity as a whole: the stricter of the US and Japanese answers (both still shown).

    Its sentence is a gettext message (``techguard.i18n``), rendered in any language with :meth:`localized`.
    The JSON keeps ``text_en`` and ``text_ja`` (a contract of the API and of stored cases) and adds ``text``:
    ``{language: sentence}`` for every language with a catalogue at the time of the assessment, so a third
    language appears there without a code change.
    """

    outcome: str  # required | not_required | incomplete
    governed_by: tuple[str, ...]  # "us_ear" / "jp_fefta": the side(s) giving the stricter answer
    approval: bool = False  # the requirement is a Japanese approval (承認) under a country measure, not a licence

    def localized(self, lang: str) -> str:
        """The sentence in ``lang`` (:class:`techguard.i18n.UnknownLanguage` if it has no catalogue)."""
        names = {"us_ear": gettext("US (EAR)", lang), "jp_fefta": gettext("Japan (外為法)", lang)}
        who = names[self.governed_by[0]]
        for side in self.governed_by[1:]:
            who = gettext("{first} and {second}", lang).format(first=who, second=names[side])
        if self.outcome == VERDICT_REQUIRED:
            if self.approval:
                message = gettext(
                    "Authorisation needed: {who} — an approval (承認) under a Japanese country measure,"
                    " refused in principle.", lang)
            else:
                message = gettext(
                    "Authorisation needed: {who} — a licence (see each side for exceptions to review).", lang)
        elif self.outcome == VERDICT_INCOMPLETE:
            message = gettext(
                "Cannot decide yet: {who} need(s) the facts asked below; neither side requires a licence so far.",
                lang)
        else:
            message = gettext("No licence or approval needed under either the EAR or 外為法 on the facts given.", lang)
        return message.format(who=who)

    @property
    def text_en(self) -> str:
        return self.localized("en")

    @property
    def text_ja(self) -> str:
        return self.localized("ja")

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "governed_by": list(self.governed_by),
            "text_en": self.text_en,
            "text_ja": self.text_ja,
            "text": {lang: self.localized(lang) for lang in available_languages()},
        }


def overall_of(us: JurisdictionResult, jp: JurisdictionResult) -> Overall:
    sides = {"us_ear": str(us.outcome), "jp_fefta": str(jp.outcome)}
    rank = {k: STRICTNESS.get(v, 0) for k, v in sides.items()}
    top = max(rank.values())
    governed = tuple(k for k, r in rank.items() if r == top)
    result = verdict(sides[governed[0]])
    approval = result == VERDICT_REQUIRED and any(sides[k] == "approval_required" for k in governed)
    return Overall(result, governed, approval)


@dataclass(frozen=True, slots=True)
class Assessment:
    us_ear: JurisdictionResult
    jp_fefta: JurisdictionResult
    as_of: str  # ISO date of the rules applied
    tables_as_of: dict[str, str] = field(default_factory=dict)  # table name -> date of the text it came from
    # Facts that contradict each other (reported, never resolved silently) and other notes for the officer.
    warnings: tuple[Step, ...] = ()
    # Rule-table versions applied: name -> {"version", "valid_from", "valid_to", "citation"}.
    rules_applied: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Shown beside the answer, not part of it: e.g. an MOF asset-freeze hit (a payments matter).
    beside: tuple[Step, ...] = ()

    @property
    def overall(self) -> Overall:
        return overall_of(self.us_ear, self.jp_fefta)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "overall": self.overall.to_json(),
            "us_ear": self.us_ear.to_json(),
            "jp_fefta": self.jp_fefta.to_json(),
            "as_of": self.as_of,
            "tables_as_of": self.tables_as_of,
        }
        if self.warnings:
            out["warnings"] = [w.to_json() for w in self.warnings]
        if self.rules_applied:
            out["rules_applied"] = self.rules_applied
        if self.beside:
            out["beside"] = [b.to_json() for b in self.beside]
        return out


__all__ = [
    "STRICTNESS",
    "VERDICT_INCOMPLETE",
    "VERDICT_NOT_REQUIRED",
    "VERDICT_REQUIRED",
    "Assessment",
    "JpOutcome",
    "JurisdictionResult",
    "LicenceException",
    "MissingFact",
    "Overall",
    "Step",
    "UsOutcome",
    "outcomes_text",
    "overall_of",
    "verdict",
]
