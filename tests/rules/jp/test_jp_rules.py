"""Goods, technology, residency and 特定類型 rules beyond the example cases (facts written from the law's text)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp, jp_tables_as_of
from techguard.rules.jp.items import ListItem, parse_list_item
from techguard.rules.result import JurisdictionResult

AS_OF = dt.date(2026, 11, 1)


def run(facts: dict[str, Any], as_of: dt.date = AS_OF) -> JurisdictionResult:
    return assess_jp(activity_from_mapping(facts), as_of)


def goods(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"activity": "export", "item": {"type": "commodity", **item}, "from_country": "JP", **extra}


def cited(result: JurisdictionResult) -> str:
    return " | ".join(s.citation for s in result.steps)


# --- 項番 parsing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7の項（1）", ListItem("7", "1")),
        ("7(1)", ListItem("7", "1")),
        ("７の項（１）", ListItem("7", "1")),
        ("外為令別表 10の項", ListItem("10")),
        ("輸出令別表第一 16の項（2）", ListItem("16", "2")),
        ("一六の項（一）", ListItem("16", "1")),
        ("3の2の項（2）5の2", ListItem("3の2", "2", "5の2")),
        ("15", ListItem("15")),
        ("非該当", None),
    ],
)
def test_parse_list_item(raw: str, expected: ListItem | None) -> None:
    assert parse_list_item(raw) == expected


@pytest.mark.parametrize("raw", ["17の項", "abc", "3の3の項", ""])
def test_parse_list_item_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="項番"):
        parse_list_item(raw)


# --- goods: small-value exemption (輸出令4条1項5号) --------------------------------------------------------------


def test_small_value_not_for_items_1_to_4_and_14() -> None:
    result = run(
        goods({"jp_list_item": "2の項（1）", "value": {"amount": 1000, "currency": "JPY"}}, to_country="KR")
    )
    assert result.outcome == "licence_required"
    assert result.licence_exceptions_to_review == ()
    assert any("5–13 and 15" in s.finding for s in result.steps)


def test_small_value_not_to_appendix_4_destinations() -> None:
    result = run(
        goods({"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}}, to_country="IR")
    )
    assert result.licence_exceptions_to_review == ()
    assert "輸出令別表第四" in cited(result)


def test_small_value_over_one_million_yen() -> None:
    result = run(
        goods(
            {"jp_list_item": "7の項（1）", "value": {"amount": 1_500_000, "currency": "JPY"}}, to_country="KR"
        )
    )
    assert result.licence_exceptions_to_review == ()


def test_small_value_row_designated_by_notice_mentions_the_50000_limit() -> None:
    result = run(
        goods(
            {"jp_list_item": "7の項（2）", "value": {"amount": 200_000, "currency": "JPY"}}, to_country="KR"
        )
    )
    (exemption,) = result.licence_exceptions_to_review
    assert "告示" in exemption.note and "¥50,000" in exemption.note


def test_item_15_within_50000_yen_is_offered() -> None:
    result = run(
        goods(
            {"jp_list_item": "15の項（1）", "value": {"amount": 40_000, "currency": "JPY"}}, to_country="KR"
        )
    )
    assert [e.code for e in result.licence_exceptions_to_review] == ["少額特例"]


def test_small_value_excluded_by_inform() -> None:
    facts = goods(
        {"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}}, to_country="KR"
    )
    facts["jp_inform_received"] = True
    assert run(facts).licence_exceptions_to_review == ()


def test_small_value_to_group_a_is_not_excluded_by_end_use_only_by_inform() -> None:
    # 輸出令4条1項5号: for 別表第三 destinations only 3号ロ・ニ (informs) exclude the exemption
    facts = goods(
        {"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}},
        to_country="KR",
        end_use=["nuclear"],
    )
    assert [e.code for e in run(facts).licence_exceptions_to_review] == ["少額特例"]
    facts["to_country"] = "CN"
    assert run(facts).licence_exceptions_to_review == ()


def test_small_value_military_use_excludes_only_for_un_arms_embargo_destinations() -> None:
    facts = goods(
        {"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}},
        to_country="CN",
        end_use=["military"],
    )
    assert len(run(facts).licence_exceptions_to_review) == 1
    facts["to_country"] = "LY"
    assert run(facts).licence_exceptions_to_review == ()


def test_small_value_without_sub_number_warns_about_notice_rows() -> None:
    facts = goods({"jp_list_item": "7の項", "value": {"amount": 200_000, "currency": "JPY"}}, to_country="KR")
    (exemption,) = run(facts).licence_exceptions_to_review
    assert "告示" in exemption.note


def test_small_value_in_foreign_currency_asks_for_conversion_in_the_note() -> None:
    result = run(
        goods({"jp_list_item": "7の項（1）", "value": {"amount": 3000, "currency": "USD"}}, to_country="KR")
    )
    (exemption,) = result.licence_exceptions_to_review
    assert "USD" in exemption.note


# --- goods: catch-all ------------------------------------------------------------------------------------------


def test_catch_all_wmd_use_needs_licence_even_for_16_2() -> None:
    result = run(goods({"jp_list_item": "16(2)"}, to_country="CN", end_use=["nuclear"]))
    assert result.outcome == "licence_required"
    assert "輸出令4条1項4号イ" in cited(result)


def test_catch_all_end_user_list_hit() -> None:
    facts = goods({"jp_list_item": "16(2)"}, to_country="PK", end_use=["civil"])
    facts["screening"] = [{"party": "end_user", "list": "jp_eul", "name": "Example Research Institute"}]
    result = run(facts)
    assert result.outcome == "licence_required"
    assert "外国ユーザーリスト" in cited(result)
    assert "明らかガイドライン" in " ".join(s.finding for s in result.steps)


def test_end_user_list_hit_does_not_reach_group_a() -> None:
    facts = goods({"jp_list_item": "16(2)"}, to_country="DE")
    facts["screening"] = [{"party": "end_user", "list": "jp_eul", "name": "X"}]
    assert run(facts).outcome == "no_licence_required"


def test_inform_to_group_a_needs_licence() -> None:
    facts = goods({"jp_list_item": "16(1)"}, to_country="US")
    facts["jp_inform_received"] = True
    result = run(facts)
    assert result.outcome == "licence_required"
    assert "インフォーム" in result.steps[-1].finding


def test_16_1_military_use_to_general_destination_before_2025_10_09_was_inform_only() -> None:
    facts = goods({"jp_list_item": "16の項（1）"}, to_country="CN", end_use=["military"])
    assert run(facts, dt.date(2025, 10, 9)).outcome == "licence_required"
    assert run(facts, dt.date(2025, 10, 8)).outcome == "no_licence_required"


def test_hs_code_decides_16_1() -> None:
    facts = goods({"jp_list_item": "非該当", "hs_code": "8542.31"}, to_country="CN", end_use=["military"])
    result = run(facts)
    assert result.outcome == "licence_required"
    assert result.details["jp_list_item"] == "16の項（1）"
    excluded = goods({"jp_list_item": "非該当", "hs_code": "8542.90"}, to_country="CN", end_use=["military"])
    assert run(excluded).outcome == "no_licence_required"  # 8542.90 is excluded from 16(1): falls in 16(2)


def test_goods_reexport_from_abroad_is_not_japanese() -> None:
    result = run(
        {
            "activity": "reexport",
            "item": {"type": "commodity", "jp_list_item": "7の項（1）"},
            "from_country": "SG",
            "to_country": "CN",
        }
    )
    assert result.outcome == "not_applicable"


# --- technology ---------------------------------------------------------------------------------------------


def tech(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "activity": "release",
        "item": {"type": "technology", "jp_list_item": "3の項", "published": False, "basic_science": False},
        "from_country": "JP",
        "provider": {"jp_resident": True},
    }
    base.update(extra)
    return base


def test_provision_abroad_is_controlled_whoever_receives_it() -> None:
    result = run(
        tech(
            activity="export",
            to_country="US",
            recipient={"kind": "person", "location_country": "US", "citizenships": ["JP"]},
        )
    )
    assert result.outcome == "licence_required"
    assert result.details["provision"] == "外為法25条1項前段"


def test_carrying_technology_abroad() -> None:
    # Changed with item.own_use_only: with no recipient, carrying technology abroad is a provision only if it is
    # provided to someone there (METI 大学Q&A A1), so the bare facts are now incomplete and ask that question.
    bare = run(tech(activity="carry_abroad", to_country="TH"))
    assert bare.outcome == "incomplete"
    assert [m.field for m in bare.missing_facts] == ["item.own_use_only"]
    facts = tech(activity="carry_abroad", to_country="TH")
    facts["item"] = dict(facts["item"], own_use_only=False)
    result = run(facts)
    assert result.outcome == "licence_required"
    assert "外為法25条3項" in cited(result)


def test_publication_is_exempt() -> None:
    result = run(tech(activity="publication"))
    assert result.outcome == "exempt_public"


def test_submitted_manuscript_is_not_public() -> None:
    facts = tech(recipient={"kind": "person", "location_country": "JP", "jp_resident": False})
    facts["item"] = dict(facts["item"], publication_planned="submitted")
    result = run(facts)
    assert result.outcome == "licence_required"
    assert any(s.rule == "jp_public_manuscript" for s in result.steps)


def test_open_conference_is_exempt() -> None:
    facts = tech(recipient={"kind": "person", "location_country": "JP", "jp_resident": False})
    facts["item"] = {"type": "technology", "jp_list_item": "3の項", "event_open_to_public": True}
    assert run(facts).outcome == "exempt_public"


def test_basic_science_is_exempt() -> None:
    facts = tech()
    facts["item"] = {"type": "technology", "jp_list_item": "3の項", "published": False, "basic_science": True}
    assert run(facts).outcome == "exempt_basic_science"


@pytest.mark.parametrize(
    ("influence", "type_"),
    [
        (
            {
                "employment_or_contract_with_foreign_government_or_entity": True,
                "japanese_employer_instructions_prevail": False,
                "foreign_party_is_group_company": False,
            },
            "①",
        ),
        ({"foreign_government_income_share": 0.25}, "②"),
        ({"acting_under_foreign_government_instruction": True}, "③"),
    ],
)
def test_tokutei_ruikei_makes_a_resident_count_as_non_resident(influence: dict[str, Any], type_: str) -> None:
    result = run(
        tech(
            recipient={
                "kind": "person",
                "location_country": "JP",
                "jp_resident": True,
                "foreign_influence": influence,
            }
        )
    )
    assert result.outcome == "licence_required", result.to_json()
    assert result.missing_facts == ()
    assert any(s.citation == f"役務通達 1(3)サ{type_}" for s in result.steps)
    assert result.details["provision"] == "外為法25条1項後段（特定類型）"


def test_income_share_below_a_quarter_is_not_type_2() -> None:
    result = run(
        tech(
            recipient={
                "kind": "person",
                "location_country": "JP",
                "jp_resident": True,
                "foreign_influence": {
                    "employment_or_contract_with_foreign_government_or_entity": False,
                    "foreign_government_income_share": 0.24,
                    "acting_under_foreign_government_instruction": False,
                },
            }
        )
    )
    assert result.outcome == "not_a_controlled_provision"


def test_tokutei_ruikei_not_before_2022_05_01() -> None:
    facts = tech(
        recipient={
            "kind": "person",
            "location_country": "JP",
            "jp_resident": True,
            "foreign_influence": {"acting_under_foreign_government_instruction": True},
        }
    )
    assert run(facts, dt.date(2022, 4, 30)).outcome == "not_a_controlled_provision"


def test_employed_foreign_national_is_resident() -> None:
    result = run(
        tech(
            recipient={
                "kind": "person",
                "location_country": "JP",
                "citizenships": ["CN"],
                "jp_residency": {
                    "entered_japan": "2026-10-01",
                    "employed_at_office_in_japan": True,
                    "foreign_government_official": False,
                },
                "foreign_influence": {
                    "employment_or_contract_with_foreign_government_or_entity": False,
                    "foreign_government_income_share": 0,
                    "acting_under_foreign_government_instruction": False,
                },
            }
        )
    )
    assert result.outcome == "not_a_controlled_provision"
    assert any("works at an office in Japan" in s.finding for s in result.steps)


def test_japanese_national_living_abroad_is_non_resident() -> None:
    result = run(
        tech(
            recipient={
                "kind": "person",
                "location_country": "JP",
                "citizenships": ["JP"],
                "permanent_residence": ["US"],
            }
        )
    )
    assert result.outcome == "licence_required"
    assert result.details["provision"] == "外為法25条1項後段"


def test_organisation_in_japan_is_resident() -> None:
    result = run(
        tech(
            recipient={
                "kind": "organisation",
                "location_country": "JP",
                "foreign_influence": {
                    "employment_or_contract_with_foreign_government_or_entity": False,
                    "foreign_government_income_share": 0,
                    "acting_under_foreign_government_instruction": False,
                },
            }
        )
    )
    assert result.outcome == "not_a_controlled_provision"


def test_catch_all_technology_to_non_resident_uses_their_country() -> None:
    facts = tech(
        recipient={"kind": "person", "location_country": "JP", "jp_resident": False, "citizenships": ["LY"]},
        end_use=["military"],
    )
    facts["item"] = dict(facts["item"], jp_list_item="非該当")
    result = run(facts)
    assert result.outcome == "licence_required"
    assert result.details["catch_all_country"] == "LY"
    facts["recipient"]["citizenships"] = ["DE"]
    assert run(facts).outcome == "no_licence_required"


def test_software_is_technology() -> None:
    facts = tech(activity="export", to_country="CN")
    facts["item"] = dict(facts["item"], type="software")
    result = run(facts)
    assert result.outcome == "licence_required"
    assert result.steps[0].rule == "jp_program_is_technology"


def test_tables_as_of_is_reported() -> None:
    dates = jp_tables_as_of()
    assert dates["jp_export_order_appendix1"] == "2026-02-14"
    result = run(tech(activity="export", to_country="CN"))
    assert result.details["tables_as_of"] == dates
    old = run(tech(activity="export", to_country="CN"), dt.date(2024, 1, 1))
    assert "earlier" in old.details["tables_note"]


def test_unknown_end_use_is_an_answer_not_a_concern() -> None:
    result = run(goods({"jp_list_item": "16(1)"}, to_country="CN", end_use=["unknown"]))
    assert result.outcome == "no_licence_required"
    assert "knowledge" in result.steps[-1].finding


def test_end_user_list_hit_on_the_importer_counts() -> None:
    facts = goods({"jp_list_item": "16(2)"}, to_country="AE", end_use=["civil"])
    facts["screening"] = [{"party": "intermediate", "list": "jp_eul", "name": "Trading Co."}]
    assert run(facts).outcome == "licence_required"
    facts["screening"] = [{"party": "end_user", "list": "us_entity_list", "name": "Trading Co."}]
    assert run(facts).outcome == "no_licence_required"  # a US list is not the 外国ユーザーリスト


def test_small_value_conditions_follow_the_destination_tier() -> None:
    def note(country: str) -> str:
        facts = goods(
            {"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}}, to_country=country
        )
        (exemption,) = run(facts).licence_exceptions_to_review
        return exemption.note

    assert "3号ロ・ニ" in note("KR")
    assert "3号イ・ロ・ニ" in note("CN")
    assert "3号イ〜ニ" in note("LY")


def test_catch_all_technology_16_1_vs_16_2_to_a_general_destination() -> None:
    def facts(item: str) -> dict[str, Any]:
        base = tech(activity="export", to_country="CN", end_use=["military"])
        base["item"] = dict(base["item"], jp_list_item=item)
        return base

    unknown = run(facts("非該当"))
    assert unknown.outcome == "incomplete"
    (question,) = unknown.missing_facts
    assert question.field == "item.jp_list_item" and "16の項（1）" in question.question_ja
    assert run(facts("16(1)")).outcome == "licence_required"
    assert run(facts("16(2)")).outcome == "no_licence_required"
    assert run(facts("16(1)"), dt.date(2025, 10, 8)).outcome == "no_licence_required"
    assert run(facts("非該当"), dt.date(2025, 10, 8)).outcome == "no_licence_required"  # both the same before


def test_small_value_note_and_its_conditions_are_given_in_japanese() -> None:
    result = run(goods({"jp_list_item": "7の項（2）", "value": {"amount": 200_000, "currency": "JPY"}}, to_country="KR"))
    (exemption,) = result.licence_exceptions_to_review
    japanese = exemption.localized("ja")
    assert "少額特例が適用される可能性" in japanese and "告示" in japanese and "インフォームを受けていないこと" in japanese
    assert "may apply" not in japanese and "no インフォーム" not in japanese
    step = next(s for s in result.steps if s.rule == "jp_small_value")
    assert japanese in step.localized("ja")  # the step shows the same conditions, no longer a summary alone


def test_small_value_exclusions_are_named_in_the_finding_language() -> None:
    facts = goods({"jp_list_item": "7の項（1）", "value": {"amount": 1000, "currency": "JPY"}}, to_country="CN",
                  end_use=["nuclear"])
    facts["jp_inform_received"] = True
    step = next(s for s in run(facts).steps if s.rule == "jp_small_value")
    assert "an インフォーム and a WMD end use" in step.localized("en")
    assert "インフォーム及び大量破壊兵器等の用途" in step.localized("ja") and "WMD end use" not in step.localized("ja")
