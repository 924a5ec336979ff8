"""Collects the steps, missing facts and licence exceptions of one US determination as it is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from techguard.rules.result import JurisdictionResult, LicenceException, MissingFact, Step, UsOutcome

# The questions asked for each fact, so the same fact is always asked the same way (ja/en).
QUESTIONS: dict[str, tuple[str, str]] = {
    "item.eccn": (
        "What is the item's ECCN (e.g. 3E001, 3A001.a.2) or is it EAR99?",
        "品目のECCN（例: 3E001、3A001.a.2）は何ですか。EAR99 ですか。",
    ),
    "item.eccn_control": (
        "Which Reasons for Control (Country Chart columns, e.g. NS1, AT1) apply to this item's ECCN paragraph?",
        "この品目のECCN（該当パラグラフ）に適用される規制理由（カントリーチャートの列、例: NS1、AT1）は何ですか。",
    ),
    "item.origin_country": (
        "Where was the item made or the technology developed (country of origin)?",
        "品目の原産国（技術の場合は開発された国）はどこですか。",
    ),
    "item.us_content_percent": (
        "What share (%) of the item's value is controlled US-origin content (US items that would need a licence"
        " to the destination)?",
        "品目価額に占める規制対象の米国原産部分（仕向地向けに許可が必要な米国品目）の割合（%）は何％ですか。",
    ),
    "item.type": (
        "Is the item a commodity, software or technology?",
        "対象は貨物、ソフトウェア、技術のいずれですか。",
    ),
    "item.software_form": (
        "Is the software released as source code or only as object code (compiled, executable)?",
        "提供するソフトウェアはソースコードですか、オブジェクトコード（コンパイル済みの実行形式）のみですか。",
    ),
    "item.catalog_course": (
        "Is the teaching a course listed in the institution's catalog (or its associated teaching laboratory)?",
        "教育機関の講義要綱（カタログ）に掲載された授業（またはその付属実験）での教授ですか。",
    ),
    "item.fundamental_research": (
        "Does the technology/software arise during or result from fundamental research (research whose results"
        " are ordinarily published, with no proprietary or national-security restrictions accepted)?",
        "当該技術・ソフトウェアは基礎研究（成果が通常公開され、専有・安全保障上の制限を受け入れていない研究）から"
        "生じたものですか。",
    ),
    "to_country": (
        "To which country is the item sent (or where is it stored)?",
        "仕向国（保管先の国）はどこですか。",
    ),
    "recipient": (
        "Who receives the technology or source code (citizenship, permanent residence, where the release happens)?",
        "技術・ソースコードを受け取るのは誰ですか（国籍、永住権、提供場所）。",
    ),
    "recipient.citizenships": (
        "Of which countries is the recipient a citizen (most recent first)?",
        "受領者の国籍（最新のものから）を教えてください。",
    ),
    "recipient.location_country": (
        "In which country will the technology or source code be released to the recipient?",
        "技術・ソースコードはどの国で受領者に提供されますか。",
    ),
    "recipient.permanent_regular_employee_of_releasing_entity": (
        "Is the recipient a bona fide permanent and regular employee of the releasing entity (15 CFR 734.20)?",
        "受領者は提供する組織の正規の常勤従業員（15 CFR 734.20）ですか。",
    ),
    "recipient.releasing_entity_screening_done": (
        "Has the releasing entity screened the employee (substantive contacts with D:5 countries), obtained an NDA,"
        " kept records for 5 years and applied anti-diversion procedures (15 CFR 734.20(c))?",
        "提供組織は従業員のスクリーニング（D:5国との実質的接触の確認）、秘密保持契約、5年間の記録保存、"
        "転用防止手続き（15 CFR 734.20(c)）を行いましたか。",
    ),
    "recipient.releasing_entity_authorised_to_receive": (
        "Was the releasing entity itself authorised to receive this technology or source code (licence, licence"
        " exception or no licence required)?",
        "提供する組織自身は、この技術・ソースコードを受領する正当な権限（許可、許可例外、許可不要）を得ていますか。",
    ),
    "encrypted_end_to_end": (
        "Is the data secured end to end with FIPS 140-2 (or better) encryption, keys never given to third parties"
        " (15 CFR 734.18(a)(5))?",
        "データは FIPS 140-2 以上のエンドツーエンド暗号で保護され、鍵を第三者に渡していませんか（15 CFR 734.18(a)(5)）。",
    ),
    "item.hs_listed_part_746": (
        "Is the item's HTS-6 code listed in Supplement No. 2, 4, 5 or 6 to Part 746 (Russia/Belarus sanctions lists)?",
        "品目のHTSコード（6桁）は第746部補足2・4・5・6（ロシア・ベラルーシ制裁リスト）に掲載されていますか。",
    ),
    "item.hs_code": (
        "What is the item's HS code (EAR99 items to Russia/Belarus are listed by HS code in Supps. 2, 4 and 6 to"
        " Part 746)?",
        "品目のHSコードは何ですか（ロシア・ベラルーシ向けEAR99品目は第746部補足2・4・6でHSコード指定）。",
    ),
}


@dataclass
class Trace:
    steps: list[Step] = field(default_factory=list)
    missing: list[MissingFact] = field(default_factory=list)
    exceptions: list[LicenceException] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def step(self, rule: str, citation: str, finding: str, finding_ja: str) -> None:
        self.steps.append(Step(rule, citation, finding, finding_ja))

    def ask(self, fact: str, why: str) -> None:
        if any(m.field == fact for m in self.missing):
            return
        en, ja = QUESTIONS[fact]
        self.missing.append(MissingFact(fact, en, ja, why))

    def review(self, code: str, citation: str, note: str) -> None:
        if not any(e.code == code for e in self.exceptions):
            self.exceptions.append(LicenceException(code, citation, note))

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
