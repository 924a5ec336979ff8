"""The pre-check intake (rules/intake.py): typed answers per case kind, their messages, and the facts they give —
checked against the engine itself, so the answers change the determination the way the law says."""

from __future__ import annotations

import datetime as dt

import pytest

from techguard.rules.activity import INTAKE_KEY, activity_from_mapping
from techguard.rules.engine import assess
from techguard.rules.intake import (
    INTAKE_MODELS,
    REQUIRED,
    IntakeError,
    IntakeKind,
    parse_intake,
    rebase_facts,
)

VISITOR = {"person_name": "Li Wei", "citizenships": "CN", "description": "Lab tour of the deposition lab"}


def _errors(kind: str, data: dict) -> dict[str, str]:
    with pytest.raises(IntakeError) as info:
        parse_intake(kind, data)
    return {field: str(message) for field, message in info.value.errors}


def test_every_kind_has_a_model():
    assert set(INTAKE_MODELS) == set(IntakeKind)


@pytest.mark.parametrize(("typed", "code"), [("China", "CN"), ("中国", "CN"), ("cn", "CN"), ("米国", "US"),
                                             ("대한민국", "KR"), ("Korea, North", "KP")])
def test_countries_are_iso_codes(typed, code):
    intake = parse_intake("joint_research", {"partner_name": "P", "partner_country": typed, "description": "d"})
    assert intake.partner_country == code


def test_china_is_not_switzerland():
    # issue 13: "China" was cut to "CH" by a 2-character limit
    facts, _ = parse_intake("shipping", {"item_type": "commodity", "description": "d", "destination": "China",
                                         "consignee": "c"}).to_activity()
    assert facts["to_country"] == "CN"


def test_origin_written_in_japanese_is_the_us():
    facts, _ = parse_intake("shipping", {"item_type": "commodity", "description": "d", "destination": "DE",
                                         "consignee": "c", "origin_country": "米国"}).to_activity()
    assert facts["item"]["origin_country"] == "US"


def test_ambiguous_and_unknown_countries_are_refused_with_the_resolvers_message():
    errors = _errors("joint_research", {"partner_name": "P", "partner_country": "Korea", "description": "d"})
    assert "ambiguous" in errors["partner_country"] and "KR" in errors["partner_country"]
    assert "複数の国" in errors["partner_country"]
    errors = _errors("visitor", {**VISITOR, "citizenships": "JP, Atlantis"})
    assert "unknown country 'Atlantis'" in errors["citizenships"]


def test_citizenships_as_text_or_list():
    assert parse_intake("visitor", {**VISITOR, "citizenships": "中国、米国"}).citizenships == ["CN", "US"]
    assert parse_intake("visitor", {**VISITOR, "citizenships": "CN JP"}).citizenships == ["CN", "JP"]
    assert parse_intake("visitor", {**VISITOR, "citizenships": ["RU", "Russia"]}).citizenships == ["RU"]


def test_missing_and_empty_answers_name_the_field():
    errors = _errors("visitor", {"description": "d", "person_name": "  "})
    assert errors == {"person_name": str(REQUIRED)}
    assert _errors("shipping", {})["destination"] == str(REQUIRED) == "This field is required. / この項目は必須です。"


def test_dates_numbers_and_choices_are_typed():
    errors = _errors("visitor", {**VISITOR, "stay_start": "2026-02-30", "tokutei_income_share_percent": "lots",
                                 "employed_in_japan": "maybe", "residence_status": "tourist", "colour": "red"})
    assert "YYYY-MM-DD" in errors["stay_start"]
    assert "expected a number" in errors["tokutei_income_share_percent"]
    assert "'maybe' is not one of" in errors["employed_in_japan"]
    assert "'tourist' is not one of" in errors["residence_status"]
    assert "unknown field" in errors["colour"]
    assert "0 to 100" in _errors("visitor", {**VISITOR, "tokutei_income_share_percent": 101})[
        "tokutei_income_share_percent"]


def test_stay_end_before_start_is_refused():
    errors = _errors("visitor", {**VISITOR, "stay_start": "2026-04-01", "stay_end": "2026-03-31"})
    assert errors == {"stay_end": "the end of the stay is before its start / 滞在終了日が開始日より前になっています"}


def test_share_and_pledge_answer_must_agree():
    errors = _errors("visitor", {**VISITOR, "tokutei_income_share_percent": 40, "tokutei_benefit": "no"})
    assert "contradicts" in errors["tokutei_benefit"]


def _jp(facts: dict, as_of: str = "2026-12-01") -> dict:
    return assess(activity_from_mapping({**facts, "as_of": as_of})).to_json()["jp_fefta"]


def _steps(result: dict) -> set[str]:
    return {s["rule"] for s in result["steps"]}


def test_short_stay_visitor_is_a_non_resident_and_long_stay_a_resident():
    short = parse_intake("visitor", {**VISITOR, "stay_start": "2026-11-01", "stay_end": "2027-01-31",
                                     "employed_in_japan": "no", "residence_status": "temporary_visitor"})
    facts, _ = short.to_activity()
    residency = facts["recipient"]["jp_residency"]
    assert residency == {"entered_japan": "2026-11-01", "leaves_japan": "2027-01-31",
                         "employed_at_office_in_japan": False, "foreign_government_official": False}
    trace = _jp(facts)
    assert any("非居住者" in s["finding_ja"] for s in trace["steps"] if s["rule"] == "jp_residency")
    long = parse_intake("visitor", {**VISITOR, "stay_start": "2026-01-05", "stay_end": "2027-01-05",
                                    "employed_in_japan": "no", "residence_status": "researcher"})
    assert long.long_stay is True and short.long_stay is False
    trace = _jp(long.to_activity()[0])
    assert any("居住者である" in s["finding_ja"] for s in trace["steps"] if s["rule"] == "jp_residency")


def test_diplomatic_status_makes_a_non_resident_and_permanent_resident_a_resident():
    facts, _ = parse_intake("visitor", {**VISITOR, "residence_status": "diplomat"}).to_activity()
    assert facts["recipient"]["jp_residency"]["foreign_government_official"] is True
    facts, _ = parse_intake("visitor", {**VISITOR, "residence_status": "permanent_resident"}).to_activity()
    assert facts["recipient"]["permanent_residence"] == ["JP"]
    assert any("永住者" in s["finding_ja"] for s in _jp(facts)["steps"])


def test_a_hire_works_at_our_office_unless_said_otherwise():
    facts, _ = parse_intake("hiring", VISITOR).to_activity()
    assert facts["recipient"]["jp_residency"]["employed_at_office_in_japan"] is True
    facts, _ = parse_intake("hiring", {**VISITOR, "employed_in_japan": "no"}).to_activity()
    assert facts["recipient"]["jp_residency"]["employed_at_office_in_japan"] is False


def test_pledge_answers_reach_the_tokutei_ruikei_facts():
    answers = {**VISITOR, "stay_start": "2025-01-01", "employed_in_japan": "yes", "residence_status": "professor",
               "tokutei_contract": "no", "tokutei_benefit": "yes", "tokutei_instructions": "no"}
    facts, _ = parse_intake("visitor", answers).to_activity()
    assert facts["recipient"]["foreign_influence"] == {
        "employment_or_contract_with_foreign_government_or_entity": False,
        "significant_foreign_government_benefit": True,
        "acting_under_foreign_government_instruction": False}
    result = _jp(facts)
    assert "jp_tokutei_ruikei_2" in _steps(result)
    clean = {**answers, "tokutei_benefit": "no"}
    result = _jp(parse_intake("visitor", clean).to_activity()[0])
    assert any("いずれにも該当しない" in s["finding_ja"] for s in result["steps"])
    # a share given as a percentage reaches the engine as a fraction
    facts, _ = parse_intake("visitor", {**clean, "tokutei_benefit": "unknown",
                                        "tokutei_income_share_percent": 30}).to_activity()
    assert facts["recipient"]["foreign_influence"]["foreign_government_income_share"] == pytest.approx(0.3)


def test_unknown_pledge_answers_are_left_for_the_engine_to_ask():
    facts, _ = parse_intake("visitor", VISITOR).to_activity()
    assert "foreign_influence" not in facts["recipient"]


def test_travel_carried_goods_map_to_the_carry_facts():
    intake = parse_intake("travel", {"destination": "China", "description": "Laptop with my papers",
                                     "carried": ["laptop", "samples"], "own_use_only": "yes",
                                     "kept_under_control": "yes", "returned_within_one_year": "yes"})
    facts, parties = intake.to_activity()
    assert facts["activity"] == "carry_abroad" and facts["to_country"] == "CN" and parties == []
    assert facts["item"]["kept_under_travellers_control"] is True
    assert facts["item"]["returned_within_one_year"] is True and facts["item"]["own_use_only"] is True
    samples = parse_intake("travel", {"destination": "DE", "description": "GaN wafers", "carried": "samples",
                                      "kept_under_control": "yes", "returned_within_one_year": "yes"})
    facts, _ = samples.to_activity()
    assert facts["item"]["type"] == "commodity"
    result = _jp({**facts, "item": {**facts["item"], "jp_list_item": "16"}})
    assert "jp_personal_effects_review" in _steps(result)
    refused = _errors("travel", {"destination": "DE", "description": "d", "carried": ["laptop", "drone"]})
    assert "'drone' is not one of" in refused["carried"]


def test_us_tmp_note_follows_the_travellers_answers():
    base = {"destination": "CN", "description": "chip design files", "carried": ["laptop"], "eccn": "3E001",
            "own_use_only": "yes"}

    def notes(answers: dict) -> dict[str, str]:
        facts, _ = parse_intake("travel", {**base, **answers}).to_activity()
        facts["item"].update(origin_country="US", published=False, fundamental_research=False)
        facts["from_country"] = "US"
        us = assess(activity_from_mapping(facts)).to_json()["us_ear"]
        assert us["outcome"] == "licence_required_unless_exception"
        return {e["code"]: e["note"] for e in us["licence_exceptions_to_review"]}

    assert "does not fit" in notes({"kept_under_control": "no"})["TMP"]
    assert "does not fit" not in notes({"kept_under_control": "no"})["BAG"]
    kept = notes({"kept_under_control": "yes", "returned_within_one_year": "yes"})["TMP"]
    assert "Stated to stay under the traveller's effective control" in kept


def test_each_kind_gives_facts_the_engine_accepts():
    samples = {
        "visitor": VISITOR, "hiring": VISITOR, "student": VISITOR,
        "joint_research": {"partner_name": "P", "partner_country": "CN", "description": "d"},
        "shipping": {"item_type": "software", "description": "d", "destination": "DE", "consignee": "c"},
        "tech_provision": {"channel": "email", "person_name": "J", "location_country": "US", "description": "d"},
        "travel": {"destination": "US", "description": "d"},
        "publication": {"venue": "PRL", "description": "d"},
    }
    for kind, data in samples.items():
        facts, parties = parse_intake(kind, {**data, "other_parties": "ACME Freight\n"}).to_case()
        assert facts[INTAKE_KEY]["description"] == "d" or kind in ("visitor", "hiring", "student")
        activity = activity_from_mapping(facts)  # the intake key is skipped by the loader
        assert activity.from_country == "JP"
        assert parties[-1] == {"name": "ACME Freight", "role": "intermediate"}


def test_unknown_kind_is_refused():
    with pytest.raises(IntakeError) as info:
        parse_intake("smuggling", {})
    assert info.value.errors[0][0] == "kind"


def test_rebase_keeps_interview_answers_and_lets_the_correction_win():
    old = parse_intake("shipping", {"item_type": "commodity", "description": "d", "destination": "DE",
                                    "consignee": "c"}).to_activity()[0]
    current = {**old, "item": {**old["item"], "origin_country": "US", "eccn": "3A001"}}  # answered later
    new = parse_intake("shipping", {"item_type": "commodity", "description": "d", "destination": "FR",
                                    "consignee": "c", "eccn": "EAR99"}).to_activity()[0]
    rebased = rebase_facts(current, old, new)
    assert rebased["to_country"] == "FR"  # corrected
    assert rebased["item"]["origin_country"] == "US"  # the interview answer stays
    assert rebased["item"]["eccn"] == "EAR99"  # the correction changed it: the correction wins


def test_stay_dates_are_dates():
    intake = parse_intake("student", {**VISITOR, "stay_start": "2026-04-01", "stay_end": "2028-03-31"})
    assert intake.stay_start == dt.date(2026, 4, 1) and intake.stay_days == 730


def test_refusals_are_messages_rendered_in_one_language_or_all():
    """Each refusal is an English msgid with its values (techguard.po has the rest): the web and the API give it
    in the user's language, the command line in every language."""
    with pytest.raises(IntakeError) as info:
        parse_intake("visitor", {**VISITOR, "stay_start": "2026-05-01", "stay_end": "2026-04-30"})
    errors = dict(info.value.errors)
    assert errors["stay_end"].localized("en") == "the end of the stay is before its start"
    assert errors["stay_end"].localized("ja") == "滞在終了日が開始日より前になっています"
    assert str(errors["stay_end"]) == "the end of the stay is before its start / 滞在終了日が開始日より前になっています"
    with pytest.raises(IntakeError) as info:
        parse_intake("visitor", {**VISITOR, "citizenships": "JP, Atlantis, Korea"})
    countries = dict(info.value.errors)["citizenships"]  # two country problems in one field, each the resolver's own message
    assert countries.localized("en").startswith("unknown country 'Atlantis'") and "'Korea' is ambiguous" in (
        countries.localized("en"))
    assert "国" in countries.localized("ja") and "unknown country" not in countries.localized("ja")
    assert info.value.localized("ja").startswith("citizenships: ")
