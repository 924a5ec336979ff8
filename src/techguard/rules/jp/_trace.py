"""The running record of one Japanese determination: cited steps and the facts still needed (as questions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from techguard.i18n import N_, gettext
from techguard.rules.result import MissingFact, Step

# field path -> the question, an English msgid (Japanese and other languages: techguard.po)
QUESTIONS: dict[str, str] = {
    "item.type": N_("Is the item a physical good (commodity), software, or technology?"),
    "from_country": N_("From which country is the item shipped (ISO code, e.g. JP)?"),
    "to_country": N_("To which country is the item going (the destination, ISO code)?"),
    "use_abroad_country": N_("In which country will the technology be used (the foreign country concerned)?"),
    "item.jp_list_item": N_(
        "Which item of 輸出令別表第一 / 外為令別表 covers it (e.g. 7の項（1）), or is it non-listed (16の項)? (the "
        "該非判定 result)"
    ),
    "item.jp_appendix_2_3": N_(
        "Are the goods in 輸出令別表第二の三 (goods under the Russia/Belarus measures: e.g. "
        "semiconductors, machine tools, luxury goods …)?"
    ),
    "item.hs_code": N_("What is the HS code of the goods (at least the 4-digit heading)?"),
    "item.published": N_("Is the technology already public (published, available to anyone)?"),
    "item.basic_science": N_(
        "Is it basic-science research (aimed at explaining natural phenomena, not at designing or"
        " making a specific product)?"
    ),
    "provider.jp_resident": N_(
        "Is the person or organisation providing the technology a resident of Japan (居住者)?"
    ),
    "item.own_use_only": N_(
        "Is the technology taken abroad only for your own use there, shown or given to no one "
        "else (not even colleagues or the host)?"
    ),
    "recipient": N_("Who receives the technology (a person or an organisation, and where)?"),
    "recipient.location_country": N_(
        "Where is the recipient when the technology is provided (ISO country code)?"
    ),
    "recipient.citizenships": N_(
        "What are the recipient's nationalities? (Japanese residency rules differ for Japanese "
        "and foreign nationals.)"
    ),
    "recipient.jp_residency.entered_japan": N_(
        "When did the recipient enter Japan (date of this stay's arrival)?"
    ),
    "recipient.jp_residency.employed_at_office_in_japan": N_(
        "Does the recipient work at an office (事務所) in Japan?"
    ),
    "recipient.jp_residency.foreign_government_official": N_(
        "Is the recipient a foreign-government or international-organisation official on duty, or"
        " a diplomat or consular officer (or their staff appointed abroad)?"
    ),
    "recipient.jp_residency.lives_abroad": N_(
        "Does the Japanese national live abroad (works at an office abroad, or has stayed abroad "
        "2 years or more)?"
    ),
    "recipient.permanent_residence": N_(
        "In which country does the recipient live outside Japan (permanent residence)?"
    ),
    "recipient.foreign_influence.employment_or_contract_with_foreign_government_or_entity": N_(
        "Does the recipient have an employment or other contract with a foreign government or a "
        "foreign company/organisation under which they follow its directions or owe it a duty of "
        "care?"
    ),
    "recipient.foreign_influence.japanese_employer_instructions_prevail": N_(
        "Has it been agreed that the Japanese employer's instructions prevail over the foreign "
        "party's?"
    ),
    "recipient.foreign_influence.foreign_party_is_group_company": N_(
        "Is the foreign party a group company of the recipient's Japanese employer?"
    ),
    "recipient.foreign_influence.foreign_government_income_share": N_(
        "What share of the recipient's income in the last year came (or is agreed to come) from a"
        " foreign government (0 to 1)?"
    ),
    "recipient.foreign_influence.acting_under_foreign_government_instruction": N_(
        "Does the recipient act in Japan under instructions or requests from a foreign "
        "government?"
    ),
    "end_use": N_(
        "What will the goods or technology be used for (civil, military, nuclear, missile, "
        "chemical/biological, or unknown — say unknown if nothing you have indicates the use)?"
    ),
}


@dataclass(slots=True)
class Trace:
    steps: list[Step] = field(default_factory=list)
    missing: list[MissingFact] = field(default_factory=list)

    def step(self, rule: str, citation: str, msgid: str, /, **values: Any) -> None:
        """Record a step whose finding is the message ``msgid`` (English, in techguard.po) with ``values``."""
        self.steps.append(Step.of(rule, citation, msgid, **values))

    def merge(self, other: Trace, *, with_questions: bool) -> None:
        """Take another trace's steps, and its questions only when the answer still turns on them."""
        self.steps.extend(other.steps)
        if with_questions:
            for fact in other.missing:
                if all(m.field != fact.field for m in self.missing):
                    self.missing.append(fact)

    def ask(self, path: str, why: str, question: str | None = None) -> None:
        """Ask for a fact; ``question`` (an English msgid) replaces the standard wording when a narrower answer is
        needed."""
        if any(m.field == path for m in self.missing):
            return
        en = question or QUESTIONS[path]
        self.missing.append(MissingFact(field=path, question_en=en, question_ja=gettext(en, "ja"), why=why))


__all__ = ["QUESTIONS", "Trace"]
