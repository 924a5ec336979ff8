"""The running record of one Japanese determination: cited steps and the facts still needed (as questions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from techguard.rules.result import MissingFact, Step

# field path -> (question in English, question in Japanese)
QUESTIONS: dict[str, tuple[str, str]] = {
    "item.type": (
        "Is the item a physical good (commodity), software, or technology?",
        "対象は貨物、プログラム、技術のいずれですか。",
    ),
    "from_country": (
        "From which country is the item shipped (ISO code, e.g. JP)?",
        "貨物はどの国から輸出されますか（国コード、例: JP）。",
    ),
    "to_country": (
        "To which country is the item going (the destination, ISO code)?",
        "仕向地（輸出先の国、国コード）はどこですか。",
    ),
    "use_abroad_country": (
        "In which country will the technology be used (the foreign country concerned)?",
        "提供する技術はどの国で利用されますか（関係する外国）。",
    ),
    "item.jp_list_item": (
        "Which item of 輸出令別表第一 / 外為令別表 covers it (e.g. 7の項（1）), or is it non-listed (16の項)?"
        " (the 該非判定 result)",
        "該非判定の結果、輸出令別表第一／外為令別表のどの項番に該当しますか（例: 7の項（1））。"
        "1〜15の項に該当しない場合は「非該当」（16の項）と答えてください。",
    ),
    "item.jp_appendix_2_3": (
        "Are the goods in 輸出令別表第二の三 (goods under the Russia/Belarus measures: e.g. semiconductors, machine"
        " tools, luxury goods …)?",
        "当該貨物は輸出令別表第二の三（ロシア・ベラルーシ措置の対象貨物）に該当しますか。",
    ),
    "item.hs_code": (
        "What is the HS code of the goods (at least the 4-digit heading)?",
        "貨物のHSコード（少なくとも4桁の項）は何ですか。",
    ),
    "item.published": (
        "Is the technology already public (published, available to anyone)?",
        "その技術は既に公知（刊行物等で不特定多数の者が入手・閲覧可能）ですか。",
    ),
    "item.basic_science": (
        "Is it basic-science research (aimed at explaining natural phenomena, not at designing or making a"
        " specific product)?",
        "基礎科学分野の研究活動（自然現象の原理の究明が主目的で、特定の製品の設計・製造を目的としない研究）に"
        "係る技術ですか。",
    ),
    "provider.jp_resident": (
        "Is the person or organisation providing the technology a resident of Japan (居住者)?",
        "技術を提供する方（個人・組織）は日本の居住者ですか。",
    ),
    "item.own_use_only": (
        "Is the technology taken abroad only for your own use there, shown or given to no one else (not"
        " even colleagues or the host)?",
        "持ち出す技術は外国で自分だけが利用し、他の誰（同行者・訪問先を含む）にも見せたり渡したりしませんか。",
    ),
    "recipient": (
        "Who receives the technology (a person or an organisation, and where)?",
        "技術の提供先（個人か組織か、所在地）を教えてください。",
    ),
    "recipient.location_country": (
        "Where is the recipient when the technology is provided (ISO country code)?",
        "技術の提供を受ける時点で、提供先はどの国にいますか（国コード）。",
    ),
    "recipient.citizenships": (
        "What are the recipient's nationalities? (Japanese residency rules differ for Japanese and foreign"
        " nationals.)",
        "提供先の国籍を教えてください（日本人か外国人かで居住性の判断基準が異なります）。",
    ),
    "recipient.jp_residency.entered_japan": (
        "When did the recipient enter Japan (date of this stay's arrival)?",
        "提供先の方が日本に入国した日（今回の滞在の入国日）はいつですか。",
    ),
    "recipient.jp_residency.employed_at_office_in_japan": (
        "Does the recipient work at an office (事務所) in Japan?",
        "提供先の方は本邦内の事務所に勤務していますか。",
    ),
    "recipient.jp_residency.foreign_government_official": (
        "Is the recipient a foreign-government or international-organisation official on duty, or a diplomat or"
        " consular officer (or their staff appointed abroad)?",
        "提供先の方は外国政府・国際機関の公務を帯びる者、又は外交官・領事官（外国で任命・雇用された随員・使用人を"
        "含む）ですか。",
    ),
    "recipient.jp_residency.lives_abroad": (
        "Does the Japanese national live abroad (works at an office abroad, or has stayed abroad 2 years or more)?",
        "当該日本人は外国に住所を有していますか（外国の事務所に勤務している、又は2年以上外国に滞在している）。",
    ),
    "recipient.permanent_residence": (
        "In which country does the recipient live outside Japan (permanent residence)?",
        "提供先の方は日本国外ではどの国に居住していますか。",
    ),
    "recipient.foreign_influence.employment_or_contract_with_foreign_government_or_entity": (
        "Does the recipient have an employment or other contract with a foreign government or a foreign"
        " company/organisation under which they follow its directions or owe it a duty of care?",
        "提供先の方は、外国政府等又は外国法人等と雇用契約その他の契約を結び、その指揮命令に服する又は善管注意義務を"
        "負っていますか（特定類型①）。",
    ),
    "recipient.foreign_influence.japanese_employer_instructions_prevail": (
        "Has it been agreed that the Japanese employer's instructions prevail over the foreign party's?",
        "本人又は日本の雇用主と外国政府等・外国法人等との間で、日本の雇用主の指示が優先する旨が合意されていますか。",
    ),
    "recipient.foreign_influence.foreign_party_is_group_company": (
        "Is the foreign party a group company of the recipient's Japanese employer?",
        "その外国法人等は、本人が所属する日本企業のグループ会社ですか。",
    ),
    "recipient.foreign_influence.foreign_government_income_share": (
        "What share of the recipient's income in the last year came (or is agreed to come) from a foreign"
        " government (0 to 1)?",
        "提供先の方の過去1年間の所得のうち、外国政府等から得た（又は得ることを約した）金銭等の割合（0〜1）は"
        "どれだけですか（特定類型②）。",
    ),
    "recipient.foreign_influence.acting_under_foreign_government_instruction": (
        "Does the recipient act in Japan under instructions or requests from a foreign government?",
        "提供先の方は、本邦において外国政府等の指示又は依頼の下で行動していますか（特定類型③）。",
    ),
    "end_use": (
        "What will the goods or technology be used for (civil, military, nuclear, missile, chemical/biological,"
        " or unknown — say unknown if nothing you have indicates the use)?",
        "貨物・技術の用途は何ですか（民生、軍事、核、ミサイル、化学・生物兵器。用途を示す情報がなければ unknown）。",
    ),
}


@dataclass(slots=True)
class Trace:
    steps: list[Step] = field(default_factory=list)
    missing: list[MissingFact] = field(default_factory=list)

    def step(self, rule: str, citation: str, finding: str, finding_ja: str) -> None:
        self.steps.append(Step(rule=rule, citation=citation, finding=finding, finding_ja=finding_ja))

    def merge(self, other: Trace, *, with_questions: bool) -> None:
        """Take another trace's steps, and its questions only when the answer still turns on them."""
        self.steps.extend(other.steps)
        if with_questions:
            for fact in other.missing:
                if all(m.field != fact.field for m in self.missing):
                    self.missing.append(fact)

    def ask(self, path: str, why: str, question: tuple[str, str] | None = None) -> None:
        """Ask for a fact; ``question`` (en, ja) replaces the standard wording when a narrower answer is needed."""
        if any(m.field == path for m in self.missing):
            return
        en, ja = question or QUESTIONS[path]
        self.missing.append(MissingFact(field=path, question_en=en, question_ja=ja, why=why))


__all__ = ["QUESTIONS", "Trace"]
