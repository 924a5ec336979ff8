"""Every deciding fact, when missing, gives ``incomplete`` naming exactly that fact — and is not asked when moot."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from techguard.i18n import gettext
from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp
from techguard.rules.jp._trace import QUESTIONS
from techguard.rules.result import JurisdictionResult

AS_OF = dt.date(2026, 11, 1)

TECH_TO_VISITOR: dict[str, Any] = {
    "activity": "release",
    "item": {"type": "technology", "jp_list_item": "10の項", "published": False, "basic_science": False},
    "from_country": "JP",
    "provider": {"jp_resident": True},
    "recipient": {
        "kind": "person",
        "citizenships": ["FR"],
        "location_country": "JP",
        "jp_residency": {
            "entered_japan": "2026-10-18",
            "employed_at_office_in_japan": False,
            "foreign_government_official": False,
        },
    },
}

TECH_TO_RESIDENT: dict[str, Any] = {
    "activity": "release",
    "item": {"type": "technology", "jp_list_item": "10の項", "published": False, "basic_science": False},
    "from_country": "JP",
    "provider": {"jp_resident": True},
    "recipient": {
        "kind": "person",
        "location_country": "JP",
        "jp_resident": True,
        "foreign_influence": {
            "employment_or_contract_with_foreign_government_or_entity": False,
            "foreign_government_income_share": 0.1,
            "acting_under_foreign_government_instruction": False,
        },
    },
}

GOODS_16_TO_CN: dict[str, Any] = {
    "activity": "export",
    "item": {"type": "commodity", "jp_list_item": "16の項（1）"},
    "from_country": "JP",
    "to_country": "CN",
    "end_use": ["civil"],
}


def run(facts: dict[str, Any]) -> JurisdictionResult:
    return assess_jp(activity_from_mapping(facts), AS_OF)


def without(facts: dict[str, Any], path: str) -> dict[str, Any]:
    out = copy.deepcopy(facts)
    *parents, leaf = path.split(".")
    node = out
    for key in parents:
        node = node[key]
    del node[leaf]
    return out


def test_complete_baselines() -> None:
    assert run(TECH_TO_VISITOR).outcome == "licence_required"
    assert run(TECH_TO_RESIDENT).outcome == "not_a_controlled_provision"
    assert run(GOODS_16_TO_CN).outcome == "no_licence_required"


@pytest.mark.parametrize(
    ("base", "removed", "asked"),
    [
        (TECH_TO_VISITOR, "item.published", {"item.published"}),
        (TECH_TO_VISITOR, "item.basic_science", {"item.basic_science"}),
        (TECH_TO_VISITOR, "item.jp_list_item", {"item.jp_list_item"}),
        (TECH_TO_VISITOR, "provider.jp_resident", {"provider.jp_resident"}),
        (TECH_TO_VISITOR, "recipient.location_country", {"recipient.location_country"}),
        (
            TECH_TO_VISITOR,
            "recipient.jp_residency.employed_at_office_in_japan",
            {"recipient.jp_residency.employed_at_office_in_japan"},
        ),
        (TECH_TO_VISITOR, "recipient.jp_residency.entered_japan", {"recipient.jp_residency.entered_japan"}),
        (
            TECH_TO_VISITOR,
            "recipient.jp_residency",
            {"recipient.jp_residency.entered_japan", "recipient.jp_residency.employed_at_office_in_japan"},
        ),
        (
            TECH_TO_RESIDENT,
            "recipient.foreign_influence.employment_or_contract_with_foreign_government_or_entity",
            {"recipient.foreign_influence.employment_or_contract_with_foreign_government_or_entity"},
        ),
        (
            TECH_TO_RESIDENT,
            "recipient.foreign_influence.foreign_government_income_share",
            {"recipient.foreign_influence.foreign_government_income_share"},
        ),
        (
            TECH_TO_RESIDENT,
            "recipient.foreign_influence.acting_under_foreign_government_instruction",
            {"recipient.foreign_influence.acting_under_foreign_government_instruction"},
        ),
        (GOODS_16_TO_CN, "to_country", {"to_country"}),
        (GOODS_16_TO_CN, "end_use", {"end_use"}),
        (GOODS_16_TO_CN, "from_country", {"from_country"}),
        (GOODS_16_TO_CN, "item.jp_list_item", {"item.jp_list_item"}),
        (GOODS_16_TO_CN, "item.type", {"item.type"}),
    ],
)
def test_missing_deciding_fact_is_asked(base: dict[str, Any], removed: str, asked: set[str]) -> None:
    result = run(without(base, removed))
    assert result.outcome == "incomplete", result.to_json()
    assert {m.field for m in result.missing_facts} == asked
    for fact in result.missing_facts:
        assert fact.question_en and fact.question_ja and fact.why
        assert (fact.question_en, fact.question_ja) == (QUESTIONS[fact.field], gettext(QUESTIONS[fact.field], "ja"))


def test_a_year_in_japan_settles_residency_without_asking_about_employment() -> None:
    facts = copy.deepcopy(TECH_TO_VISITOR)
    facts["recipient"]["jp_residency"] = {"entered_japan": "2025-01-10", "foreign_government_official": False}
    facts["recipient"]["foreign_influence"] = {
        "employment_or_contract_with_foreign_government_or_entity": False,
        "foreign_government_income_share": 0,
        "acting_under_foreign_government_instruction": False,
    }
    result = run(facts)
    assert result.outcome == "not_a_controlled_provision"
    assert any("six months or more" in s.finding for s in result.steps)


def test_a_stay_that_ended_within_six_months_never_made_a_resident() -> None:
    # checked after a four-month stay ended (entered 2025-01-10, left 2025-05-10): time in Japan stops counting at
    # departure, so the visitor was a non-resident, however long ago the stay began
    facts = copy.deepcopy(TECH_TO_VISITOR)
    facts["recipient"]["jp_residency"] = {"entered_japan": "2025-01-10", "leaves_japan": "2025-05-10",
                                          "employed_at_office_in_japan": False, "foreign_government_official": False}
    result = run(facts)
    assert result.outcome == "licence_required"
    assert any("less than six months" in s.finding for s in result.steps)
    # the same stay without its end counts up to the day the rules are applied: a resident
    del facts["recipient"]["jp_residency"]["leaves_japan"]
    assert any("six months or more" in s.finding for s in run(facts).steps)


def test_long_stay_needs_the_foreign_official_fact() -> None:
    facts = copy.deepcopy(TECH_TO_VISITOR)
    facts["recipient"]["jp_residency"] = {"entered_japan": "2025-01-10"}
    result = run(facts)
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["recipient.jp_residency.foreign_government_official"]


def test_public_technology_needs_no_other_fact() -> None:
    facts = {
        "activity": "release",
        "item": {"type": "technology", "published": True},
        "provider": {"jp_resident": True},
    }
    result = run(facts)
    assert result.outcome == "exempt_public"
    assert result.missing_facts == ()
    assert result.steps[-1].citation == "貿易外省令9条2項9号"


def test_non_resident_provider_in_japan_needs_no_classification() -> None:
    facts = without(TECH_TO_VISITOR, "item.jp_list_item")
    facts["provider"] = {"jp_resident": False}
    facts["from_country"] = "JP"
    result = run(facts)
    assert result.outcome == "not_a_controlled_provision"
    assert result.missing_facts == ()


def test_group_a_catch_all_needs_no_end_use_or_hs_code() -> None:
    facts = {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "非該当"},
        "from_country": "JP",
        "to_country": "DE",
    }
    result = run(facts)
    assert result.outcome == "no_licence_required"
    assert result.missing_facts == ()


def test_catch_all_to_china_without_hs_code_asks_for_it_only_when_it_matters() -> None:
    military = {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "非該当"},
        "from_country": "JP",
        "to_country": "CN",
        "end_use": ["military"],
    }
    result = run(military)
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["item.hs_code"]  # 16(1) licence vs 16(2) none
    civil = dict(military, end_use=["civil"])
    assert run(civil).outcome == "no_licence_required"


def test_list_goods_do_not_need_a_destination() -> None:
    facts = {
        "activity": "export",
        "item": {"type": "commodity", "jp_list_item": "2の項（1）"},
        "from_country": "JP",
    }
    result = run(facts)
    assert result.outcome == "licence_required"
    assert result.missing_facts == ()


def test_us_only_activity_is_not_applicable_without_questions() -> None:
    facts = {
        "activity": "release",
        "item": {"type": "technology"},
        "from_country": "US",
        "recipient": {"location_country": "US", "citizenships": ["CN"]},
    }
    result = run(facts)
    assert result.outcome == "not_applicable"
    assert result.missing_facts == ()
    assert run({"activity": "export", "from_country": "US", "to_country": "DE"}).outcome == "not_applicable"


def test_bad_list_item_names_the_field() -> None:
    from techguard.rules.activity import ActivityError

    with pytest.raises(ActivityError, match=r"item\.jp_list_item"):
        run(
            {
                "activity": "export",
                "item": {"type": "commodity", "jp_list_item": "99の項"},
                "from_country": "JP",
            }
        )
