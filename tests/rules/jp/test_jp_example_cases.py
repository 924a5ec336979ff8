"""The 8 Japanese example cases of ``eval/rules/example-cases.yaml``, their facts mapped into the activity model.

The mapping is by hand (one dict per case id); where the case text implies a fact without stating it as a field,
the comment says why it was set that way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp
from techguard.rules.result import JurisdictionResult

AS_OF = dt.date(2026, 11, 1)

CASES: dict[str, dict[str, Any]] = {
    # 日本に2年滞在している外国政府の公務を帯びる者（大使館の科学技術担当官）にリスト規制技術を国内で説明する。
    # Not public and not basic science: the case asks about residency only, so the exemptions are answered "no".
    "JP-RESIDENCY-FOREIGN-GOVT-OFFICIAL": {
        "activity": "release",
        "item": {
            "type": "technology",
            "jp_list_controlled": True,
            "published": False,
            "basic_science": False,
        },
        "from_country": "JP",
        "provider": {"jp_resident": True},
        "recipient": {
            "kind": "person",
            "citizenships": ["DE"],
            "location_country": "JP",
            "jp_residency": {"entered_japan": "2024-11-01", "foreign_government_official": True},
        },
    },
    # 日本企業の社員（居住者）が同社グループの海外子会社とも雇用契約を結んでいる; リスト規制技術を社内で提供。
    # The case is about 類型① only; ② and ③ are answered "no" (a plain employee of a Japanese company).
    "JP-TOKUTEI-1-GROUP-COMPANY-EXCEPTION": {
        "activity": "release",
        "item": {
            "type": "technology",
            "jp_list_controlled": True,
            "published": False,
            "basic_science": False,
        },
        "from_country": "JP",
        "provider": {"jp_resident": True},
        "recipient": {
            "kind": "person",
            "location_country": "JP",
            "jp_resident": True,
            "foreign_influence": {
                "employment_or_contract_with_foreign_government_or_entity": True,
                "foreign_party_is_group_company": True,
                "foreign_government_income_share": 0.0,
                "acting_under_foreign_government_instruction": False,
            },
        },
    },
    # 非該当の工作機械（16の項（1））を米国の大学へ; 軍事研究の可能性 → end_use military.
    "JP-CATCHALL-GROUP-A-EXCLUDED": {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "16の項（1）"},
        "from_country": "JP",
        "to_country": "US",
        "end_use": ["military"],
    },
    # マシニングセンタ（HS 8457, 16の項（1））を中国の軍関係の需要者へ: a military end user is modelled as end_use
    # military (the activity model has no separate "military end user" flag).
    "JP-CATCHALL-16-1-CHINA-MILITARY-ENDUSER": {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "16の項（1）", "hs_code": "8457.10"},
        "from_country": "JP",
        "to_country": "CN",
        "end_user": {"name": "military end user", "country": "CN"},
        "end_use": ["military"],
    },
    "JP-CATCHALL-16-2-CHINA-VS-LIBYA/CN": {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "16の項（2）"},
        "from_country": "JP",
        "to_country": "CN",
        "end_use": ["military"],
    },
    "JP-CATCHALL-16-2-CHINA-VS-LIBYA/LY": {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "16の項（2）"},
        "from_country": "JP",
        "to_country": "LY",
        "end_use": ["military"],
    },
    "JP-LIST-7-1-KOREA-SMALL-VALUE": {
        "activity": "export",
        "item": {
            "type": "commodity",
            "jp_list_item": "7の項（1）",
            "value": {"amount": 500000, "currency": "JPY"},
        },
        "from_country": "JP",
        "to_country": "KR",
    },
    # destination not stated in the case: list control applies everywhere, so it is not needed.
    "JP-LIST-15-SMALL-VALUE-LIMIT": {
        "activity": "export",
        "item": {
            "type": "commodity",
            "jp_list_item": "15の項",
            "value": {"amount": 60000, "currency": "JPY"},
        },
        "from_country": "JP",
    },
    # 来日2週間の外国人客員研究者（非居住者）; 未公開の実験データ; 製品開発目的の共同研究 → basic_science false.
    "JP-LIST-TECH-NONRESIDENT-VISITOR": {
        "activity": "release",
        "item": {
            "type": "technology",
            "jp_list_item": "外為令別表 10の項",
            "published": False,
            "basic_science": False,
        },
        "from_country": "JP",
        "provider": {"jp_resident": True},
        "recipient": {
            "kind": "person",
            "citizenships": ["FR"],
            "location_country": "JP",
            "jp_residency": {"entered_japan": "2026-10-18", "employed_at_office_in_japan": False},
        },
    },
}

EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "JP-RESIDENCY-FOREIGN-GOVT-OFFICIAL": (
        "licence_required",
        ("蔵国第4672号", "外為法25条1項後段", "外為令17条1項"),
    ),
    "JP-TOKUTEI-1-GROUP-COMPANY-EXCEPTION": ("not_a_controlled_provision", ("役務通達 1(3)サ① ただし書",)),
    "JP-CATCHALL-GROUP-A-EXCLUDED": (
        "no_licence_required",
        ("輸出令別表第一 16の項（下欄）", "外為法48条1項"),
    ),
    "JP-CATCHALL-16-1-CHINA-MILITARY-ENDUSER": (
        "licence_required",
        ("輸出令4条1項3号ハ", "輸出令別表第一 16の項（1）"),
    ),
    "JP-CATCHALL-16-2-CHINA-VS-LIBYA/CN": ("no_licence_required", ("輸出令4条1項4号ハ",)),
    "JP-CATCHALL-16-2-CHINA-VS-LIBYA/LY": ("licence_required", ("輸出令4条1項4号ハ", "輸出令別表第三の二")),
    "JP-LIST-7-1-KOREA-SMALL-VALUE": ("licence_required", ("外為法48条1項", "輸出令別表第一 7の項（1）")),
    "JP-LIST-15-SMALL-VALUE-LIMIT": ("licence_required", ("輸出令別表第一 15の項", "輸出令4条1項5号")),
    "JP-LIST-TECH-NONRESIDENT-VISITOR": (
        "licence_required",
        ("外為法25条1項後段", "外為令別表 10の項", "貿易外省令9条2項9号", "貿易外省令9条2項10号"),
    ),
}


def assess(case_id: str) -> JurisdictionResult:
    return assess_jp(activity_from_mapping(CASES[case_id], source=case_id), AS_OF)


def citations(result: JurisdictionResult) -> str:
    return " | ".join(step.citation for step in result.steps)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_example_case(case_id: str) -> None:
    result = assess(case_id)
    outcome, cited = EXPECTED[case_id]
    assert result.outcome == outcome, result.to_json()
    assert result.missing_facts == ()
    for citation in cited:
        assert citation in citations(result), (citation, citations(result))
    assert all(step.finding and step.finding_ja for step in result.steps)


def test_every_jp_case_in_the_shared_file_is_mapped(shared: Path) -> None:
    cases = yaml.safe_load((shared / "eval" / "rules" / "example-cases.yaml").read_text(encoding="utf-8"))[
        "cases"
    ]
    jp_ids = {c["id"] for c in cases if c.get("jurisdiction") == "JP"}
    mapped = {case_id.split("/")[0] for case_id in CASES}
    assert jp_ids == mapped


def test_small_value_exemption_is_offered_for_review_not_granted() -> None:
    result = assess("JP-LIST-7-1-KOREA-SMALL-VALUE")
    (exemption,) = result.licence_exceptions_to_review
    assert exemption.code == "少額特例"
    assert exemption.citation == "輸出令4条1項5号"
    assert "7の項（1）" in exemption.note


def test_item_15_over_50000_yen_gets_no_small_value_exemption() -> None:
    result = assess("JP-LIST-15-SMALL-VALUE-LIMIT")
    assert result.licence_exceptions_to_review == ()
    assert any("別表第三の三" in s.citation and "exceeds" in s.finding for s in result.steps)


def test_foreign_official_is_non_resident_despite_two_years() -> None:
    result = assess("JP-RESIDENCY-FOREIGN-GOVT-OFFICIAL")
    residency = [s for s in result.steps if s.rule == "jp_residency"]
    assert residency and "non-residents" in residency[0].finding
    assert result.details["provision"] == "外為法25条1項後段"
    assert result.details["recipient_jp_resident"] is False


def test_tokutei_exception_case_asks_only_for_types_2_and_3_when_they_are_unknown() -> None:
    facts = dict(CASES["JP-TOKUTEI-1-GROUP-COMPANY-EXCEPTION"])
    facts["recipient"] = {
        "kind": "person",
        "location_country": "JP",
        "jp_resident": True,
        "foreign_influence": {
            "employment_or_contract_with_foreign_government_or_entity": True,
            "foreign_party_is_group_company": True,
        },
    }
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "incomplete"
    assert {m.field for m in result.missing_facts} == {
        "recipient.foreign_influence.foreign_government_income_share",
        "recipient.foreign_influence.acting_under_foreign_government_instruction",
    }
    assert any(s.rule == "jp_tokutei_ruikei_1" and "ただし書" in s.citation for s in result.steps)


def test_tokutei_exception_case_reports_not_tokutei() -> None:
    result = assess("JP-TOKUTEI-1-GROUP-COMPANY-EXCEPTION")
    assert result.details["recipient_jp_resident"] is True
    assert result.details["tokutei_ruikei"] is False
