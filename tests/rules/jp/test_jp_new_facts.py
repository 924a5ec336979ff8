"""Japan and the facts added after review: own-use carriage abroad (25条1項/3項) and programs in object code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp
from techguard.rules.result import JurisdictionResult

AS_OF = dt.date(2026, 11, 27)


def run(facts: dict[str, Any]) -> JurisdictionResult:
    return assess_jp(activity_from_mapping(facts), AS_OF)


def carry(own_use: bool | None, **item: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "activity": "carry_abroad",
        "item": {
            "type": "technology",
            "jp_list_item": "3の項",
            "published": False,
            "basic_science": False,
            **item,
        },
        "from_country": "JP",
        "to_country": "TH",
        "provider": {"jp_resident": True},
    }
    if own_use is not None:
        facts["item"]["own_use_only"] = own_use
    return facts


def test_own_use_carriage_is_not_a_controlled_provision() -> None:
    result = run(carry(True))
    assert result.outcome == "not_a_controlled_provision"
    step = next(s for s in result.steps if s.rule == "jp_own_use_carry")
    assert "外為法25条1項" in step.citation and "外為法25条3項" in step.citation
    assert "48条" in step.finding_ja  # the laptop itself is a separate goods question
    assert result.missing_facts == ()


def test_carriage_to_be_provided_abroad_needs_a_licence() -> None:
    result = run(carry(False))
    assert result.outcome == "licence_required"
    assert result.details["provision"] == "外為法25条1項前段"
    assert any("25条3項" in s.citation for s in result.steps)


def test_own_use_is_asked_when_it_decides() -> None:
    result = run(carry(None))
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["item.own_use_only"]
    question = result.missing_facts[0]
    assert question.question_ja and question.question_en and "25条1項" in question.why


def test_own_use_is_not_asked_when_nothing_is_controlled() -> None:
    facts = carry(None)
    facts["item"] = {
        "type": "technology",
        "jp_list_controlled": False,
        "published": False,
        "basic_science": False,
    }
    facts["end_use"] = ["civil"]
    facts["jp_inform_received"] = False
    result = run(facts)
    assert result.outcome == "no_licence_required"  # no licence whether or not it is provided abroad
    assert "item.own_use_only" not in [m.field for m in result.missing_facts]


def test_a_named_recipient_abroad_makes_it_a_provision_regardless() -> None:
    facts = carry(True)
    facts["recipient"] = {"kind": "person", "location_country": "TH", "citizenships": ["TH"]}
    result = run(facts)
    assert result.outcome == "licence_required"
    assert all(s.rule != "jp_own_use_carry" for s in result.steps)


def test_object_code_program_is_still_technology_under_fefta() -> None:
    facts = {
        "activity": "release",
        "item": {
            "type": "software",
            "software_form": "object_code",
            "jp_list_item": "3の項",
            "published": False,
            "basic_science": False,
        },
        "from_country": "JP",
        "provider": {"jp_resident": True},
        "recipient": {"kind": "person", "location_country": "JP", "jp_resident": False},
    }
    result = run(facts)
    assert result.outcome == "licence_required"  # no EAR-style object-code carve-out
    step = next(s for s in result.steps if s.rule == "jp_program_is_technology")
    assert "外為令別表" in step.citation and "オブジェクトコード" in step.finding_ja
