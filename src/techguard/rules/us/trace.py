"""Collects the steps, missing facts and licence exceptions of one US determination as it is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from techguard.i18n import N_, Localizable, gettext
from techguard.rules.result import JurisdictionResult, LicenceException, MissingFact, Step, UsOutcome

# field path -> the question, an English msgid (Japanese and other languages: techguard.po)
QUESTIONS: dict[str, str] = {
    "item.eccn": N_("What is the item's ECCN (e.g. 3E001, 3A001.a.2) or is it EAR99?"),
    "item.eccn_control": N_(
        "Which Reasons for Control (Country Chart columns, e.g. NS1, AT1) apply to this item's "
        "ECCN paragraph?"
    ),
    "item.origin_country": N_("Where was the item made or the technology developed (country of origin)?"),
    "item.us_content_percent": N_(
        "What share (%) of the item's value is controlled US-origin content (US items that would "
        "need a licence to the destination)?"
    ),
    "item.type": N_("Is the item a commodity, software or technology?"),
    "item.software_form": N_(
        "Is the software released as source code or only as object code (compiled, executable)?"
    ),
    "item.catalog_course": N_(
        "Is the teaching a course listed in the institution's catalog (or its associated teaching"
        " laboratory)?"
    ),
    "item.fundamental_research": N_(
        "Does the technology/software arise during or result from fundamental research (research "
        "whose results are ordinarily published, with no proprietary or national-security "
        "restrictions accepted)?"
    ),
    "to_country": N_("To which country is the item sent (or where is it stored)?"),
    "recipient": N_(
        "Who receives the technology or source code (citizenship, permanent residence, where the "
        "release happens)?"
    ),
    "recipient.citizenships": N_("Of which countries is the recipient a citizen (most recent first)?"),
    "recipient.location_country": N_(
        "In which country will the technology or source code be released to the recipient?"
    ),
    "recipient.permanent_regular_employee_of_releasing_entity": N_(
        "Is the recipient a bona fide permanent and regular employee of the releasing entity (15 "
        "CFR 734.20)?"
    ),
    "recipient.releasing_entity_screening_done": N_(
        "Has the releasing entity screened the employee (substantive contacts with D:5 "
        "countries), obtained an NDA, kept records for 5 years and applied anti-diversion "
        "procedures (15 CFR 734.20(c))?"
    ),
    "recipient.releasing_entity_authorised_to_receive": N_(
        "Was the releasing entity itself authorised to receive this technology or source code "
        "(licence, licence exception or no licence required)?"
    ),
    "encrypted_end_to_end": N_(
        "Is the data secured end to end with FIPS 140-2 (or better) encryption, keys never given "
        "to third parties (15 CFR 734.18(a)(5))?"
    ),
    "item.hs_listed_part_746": N_(
        "Is the item's HTS-6 code listed in Supplement No. 2, 4, 5 or 6 to Part 746 "
        "(Russia/Belarus sanctions lists)?"
    ),
    "item.hs_code": N_(
        "What is the item's HS code (EAR99 items to Russia/Belarus are listed by HS code in "
        "Supps. 2, 4 and 6 to Part 746)?"
    ),
}


@dataclass
class Trace:
    steps: list[Step] = field(default_factory=list)
    missing: list[MissingFact] = field(default_factory=list)
    exceptions: list[LicenceException] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def step(self, rule: str, citation: str, msgid: str, /, **values: Any) -> None:
        """Record a step whose finding is the message ``msgid`` (English, in techguard.po) with ``values``."""
        self.steps.append(Step.of(rule, citation, msgid, **values))

    def ask(self, fact: str, why: str) -> None:
        if any(m.field == fact for m in self.missing):
            return
        question = QUESTIONS[fact]
        self.missing.append(MissingFact(fact, question, gettext(question, "ja"), why))

    def review(self, code: str, citation: str, note: Localizable) -> None:
        """A licence exception to review, once per code; ``note`` (a message) says why."""
        if not any(e.code == code for e in self.exceptions):
            self.exceptions.append(LicenceException.of(code, citation, note))

    def result(self, outcome: UsOutcome) -> JurisdictionResult:
        if self.missing and outcome is not UsOutcome.INCOMPLETE:
            raise AssertionError(f"outcome {outcome} with missing facts {self.missing}")
        return JurisdictionResult(
            outcome=outcome.value,
            steps=tuple(self.steps),
            licence_exceptions_to_review=tuple(self.exceptions),
            missing_facts=tuple(self.missing),
            details=dict(self.details),
        )

    def incomplete(self) -> JurisdictionResult:
        return self.result(UsOutcome.INCOMPLETE)


__all__ = ["QUESTIONS", "Trace"]
