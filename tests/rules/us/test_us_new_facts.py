"""The facts added after review: object code v source code, own-use carriage, the Affiliates rule as a field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from techguard.rules.activity import activity_from_mapping, activity_to_mapping
from techguard.rules.result import JurisdictionResult
from techguard.rules.us import assess_us

AS_OF = dt.date(2026, 11, 27)


def _assess(mapping: dict[str, Any], as_of: dt.date = AS_OF) -> JurisdictionResult:
    return assess_us(activity_from_mapping(mapping), as_of)


def _software_release(form: str | None, location: str = "US", **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "software", "eccn": "3D001", "origin_country": "US", "published": False}
    if form is not None:
        item["software_form"] = form
    return {
        "activity": "release",
        "item": item,
        "provider": {"country": "US"},
        "recipient": {"kind": "person", "citizenships": ["CN"], "location_country": location},
        **extra,
    }


# --- object code v source code (734.13(a)(2), 734.14(a)(2)) ---------------------------------------------------


@pytest.mark.parametrize("location", ["US", "DE"])
def test_releasing_object_code_to_a_foreign_person_is_not_an_export(location: str) -> None:
    facts = _software_release("object_code", location)
    facts["provider"] = {"country": location}
    result = _assess(facts)
    assert result.outcome == "not_an_export"
    step = next(s for s in result.steps if s.rule == "object_code_release")
    assert "734.13(a)(2)" in step.citation and "734.15" in step.citation
    assert result.missing_facts == ()


def test_releasing_source_code_is_a_deemed_export() -> None:
    result = _assess(_software_release("source_code"))
    assert result.outcome in ("licence_required", "licence_required_unless_exception")
    assert result.details["transaction"] == "deemed_export"
    assert all(s.rule != "object_code_release" for s in result.steps)


def test_software_form_is_asked_when_the_release_needs_a_licence() -> None:
    result = _assess(_software_release(None))
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["item.software_form"]
    assert result.missing_facts[0].question_ja


def test_software_form_is_not_asked_when_no_licence_is_needed_anyway() -> None:
    facts = _software_release(None)
    facts["recipient"] = {"kind": "person", "citizenships": ["DE"], "location_country": "US"}
    facts["item"] = dict(facts["item"], eccn="EAR99")
    result = _assess(facts)
    assert result.outcome == "no_licence_required"


def test_object_code_sent_across_a_border_is_still_an_export() -> None:
    # 734.13(a)(1): transmitting object code out of the US is an export, wherever the recipient is from
    result = _assess(_software_release("object_code", "CN"))
    assert result.outcome != "not_an_export"
    assert all(s.rule != "object_code_release" for s in result.steps)
    assert any(s.rule == "export_by_release" for s in result.steps)


def test_object_code_claim_on_technology_is_not_relied_on() -> None:
    facts = _software_release("object_code")
    facts["item"] = dict(facts["item"], type="technology", eccn="3E001")
    assert _assess(facts).outcome != "not_an_export"


# --- carrying technology abroad for one's own use (734.13(a)(1); 740.9(a)(1); 740.14) -------------------------


def _carry(own_use: bool | None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "technology", "eccn": "3E001", "eccn_control": {"reasons": ["NS1"]}}
    item.update(origin_country="US", published=False, fundamental_research=False)
    if own_use is not None:
        item["own_use_only"] = own_use
    return {
        "activity": "carry_abroad",
        "item": item,
        "from_country": "US",
        "to_country": "BR",
        "encrypted_end_to_end": False,
    }


def test_own_use_carriage_is_still_an_export_with_tmp_and_bag_to_review() -> None:
    result = _assess(_carry(True))
    assert result.outcome == "licence_required_unless_exception"  # never silently granted
    step = next(s for s in result.steps if s.rule == "own_use_carry_is_export")
    assert "734.13(a)(1)" in step.citation and "740.9(a)(1)" in step.citation and "740.14" in step.citation
    codes = {e.code for e in result.licence_exceptions_to_review}
    assert {"TMP", "BAG"} <= codes


def test_own_use_is_not_asked_under_the_ear_because_it_does_not_decide() -> None:
    # the export happens when it leaves the US either way, so the US answer is the same without the fact
    unknown, own = _assess(_carry(None)), _assess(_carry(True))
    assert unknown.outcome == own.outcome
    assert "item.own_use_only" not in [m.field for m in unknown.missing_facts]


def test_encrypted_own_use_carriage_is_not_an_export() -> None:
    facts = _carry(True)
    facts["encrypted_end_to_end"] = True
    result = _assess(facts)
    assert result.outcome == "not_an_export"
    assert any("734.18(a)(5)" in s.citation for s in result.steps)


# --- Affiliates rule as a field (744.11(a)(1)) ------------------------------------------------------------------


def _affiliate_export(party: str, owned: bool | None) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "activity": "export",
        "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
        "from_country": "US",
        "to_country": "SG",
    }
    if party == "end_user":
        facts["end_user"] = {"name": "Unlisted Singapore subsidiary", "country": "SG"}
    else:
        facts["recipient"] = {
            "kind": "organisation",
            "name": "Unlisted Singapore subsidiary",
            "location_country": "SG",
        }
    if owned is not None:
        facts[party]["owned_50_percent_or_more_by_listed_entities"] = owned
    return facts


@pytest.mark.parametrize("party", ["end_user", "recipient"])
def test_owned_50_percent_field_triggers_the_affiliates_rule(party: str) -> None:
    result = _assess(_affiliate_export(party, True), dt.date(2026, 11, 10))
    assert result.outcome == "licence_required"
    step = next(s for s in result.steps if s.rule == "entity_list_affiliate")
    assert "744.11(a)(1)" in step.citation
    assert party in step.finding


def test_owned_50_percent_field_respects_the_stay() -> None:
    result = _assess(_affiliate_export("end_user", True), dt.date(2026, 11, 9))
    assert result.outcome == "no_licence_required"
    assert any(s.rule == "affiliates_rule_not_in_force" for s in result.steps)


def test_field_and_list_code_give_the_same_answer_once() -> None:
    by_field = _affiliate_export("end_user", True)
    both = dict(by_field, screening=[{"party": "end_user", "list": "us_entity_list_affiliate"}])
    a, b = _assess(by_field, dt.date(2026, 11, 10)), _assess(both, dt.date(2026, 11, 10))
    assert a.outcome == b.outcome == "licence_required"
    assert sum(s.rule == "entity_list_affiliate" for s in b.steps) == 1


@pytest.mark.parametrize("owned", [False, None])
def test_not_owned_or_unknown_is_no_affiliate(owned: bool | None) -> None:
    result = _assess(_affiliate_export("end_user", owned), dt.date(2026, 11, 10))
    assert result.outcome == "no_licence_required"
    assert all(s.rule != "entity_list_affiliate" for s in result.steps)


# --- the model ----------------------------------------------------------------------------------------------------


def test_new_fields_round_trip_and_reject_bad_values() -> None:
    facts = _software_release("object_code")
    facts["item"]["own_use_only"] = True
    facts["recipient"]["owned_50_percent_or_more_by_listed_entities"] = False
    facts["end_user"] = {"name": "X", "owned_50_percent_or_more_by_listed_entities": True}
    activity = activity_from_mapping(facts)
    assert activity_from_mapping(activity_to_mapping(activity)) == activity
    assert activity_to_mapping(activity)["item"]["software_form"] == "object_code"
    with pytest.raises(ValueError, match=r"item\.software_form"):
        activity_from_mapping({"activity": "release", "item": {"software_form": "binary"}})
    with pytest.raises(ValueError, match=r"item\.own_use_only"):
        activity_from_mapping({"activity": "carry_abroad", "item": {"own_use_only": "yes"}})


def test_licence_exception_notes_are_given_in_japanese_too() -> None:
    result = _assess(_carry(True))
    tmp = next(e for e in result.licence_exceptions_to_review if e.code == "TMP")
    assert tmp.note.startswith("Tools of trade (740.9(a)(1))")  # the English note stays the JSON's "note"
    assert "The traveller states it is for their own use only." in tmp.note
    japanese = tmp.localized("ja")
    assert "業務用具" in japanese and "本人の使用のみ" in japanese and "Tools of trade" not in japanese
    notes = tmp.to_json()["notes"]
    assert notes["en"] == tmp.note and notes["ja"] == japanese
