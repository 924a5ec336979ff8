"""Issue 10: reason over every part, ask only what can change the answer, Japan's own measures, rules by date.

Each test names the cause of the issue it covers (1 first missing fact wins, 2 explicit facts v activity kind,
3 CCL row conditions, 4 measures not built, 5 model gaps, 6 rules as of a date, 7 web/API findings) and the
provision (or official source) the expected answer comes from.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.rules import activity_from_mapping, assess, render_text
from techguard.rules.activity import ActivityError, activity_json_schema
from techguard.rules.resolve import with_fact
from techguard.rules.validity import RULES, rules_in_force, version

AS_OF = dt.date(2026, 11, 27)
EL_ALL_ITEMS = {
    "party": "end_user",
    "list": "us_entity_list",
    "name": "Listed Institute",
    "licence_requirement": "For all items subject to the EAR.",
}
LISTED_TECH = {"type": "technology", "jp_list_item": "15", "published": False, "basic_science": False}
NOT_TOKUTEI = {
    "employment_or_contract_with_foreign_government_or_entity": False,
    "foreign_government_income_share": 0.0,
    "acting_under_foreign_government_instruction": False,
}


def _assess(mapping: dict[str, Any]) -> Any:
    return assess(activity_from_mapping(mapping), as_of=AS_OF)


# --- 1. the first missing fact no longer wins ------------------------------------------------------------------


def test_entity_list_all_items_decides_without_destination_or_eccn() -> None:
    # 15 CFR 744.11(a): "a license is required ... for all items subject to the EAR" when a listed entity is a party.
    result = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "origin_country": "US"},
            "screening": [EL_ALL_ITEMS],
        }
    )
    assert result.us_ear.outcome == "licence_required"
    assert result.us_ear.steps[0].rule == "open_facts_do_not_matter"
    assert "to_country" in result.us_ear.steps[0].finding
    assert not result.us_ear.missing_facts


def test_listed_freight_forwarder_decides_too() -> None:
    hit = {**EL_ALL_ITEMS, "party": "intermediate", "name": "Listed Forwarding Co."}
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "origin_country": "US"}, "screening": [hit]}
    )
    assert result.us_ear.outcome == "licence_required"


def test_footnote_1_party_with_eccn_missing_is_licence_required() -> None:
    hit = {**EL_ALL_ITEMS, "fdp_footnote": 1}
    result = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "origin_country": "US"},
            "to_country": "CN",
            "screening": [hit],
        }
    )
    assert result.us_ear.outcome == "licence_required"


def test_open_facts_are_listed_with_the_outcome_each_value_gives() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "origin_country": "US"}, "to_country": "CN"}
    )
    assert result.us_ear.outcome == "incomplete"
    (eccn,) = result.us_ear.missing_facts
    assert eccn.field == "item.eccn"
    values = dict(eccn.outcomes)
    assert values["EAR99"] == "no_licence_required" and values["3A001.a.2"] == "licence_required"
    assert "licence_required if 3A001.a.2" in eccn.to_json()["outcomes_text"]
    assert "→" in render_text(result, lang="en")


def test_destination_question_names_the_outcome_per_country() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "3A001.a.2", "origin_country": "US"}}
    )
    (question,) = result.us_ear.missing_facts
    assert question.field == "to_country"
    values = dict(question.outcomes)
    assert values["CN"] == "licence_required" and values["CA"] == "no_licence_required"


def test_jp_resident_recipient_outside_tokutei_is_not_a_controlled_provision_whoever_provides() -> None:
    # 外為法25条1項: provision in Japan to a resident (outside 特定類型, 役務通達1(3)サ) is no 役務取引 whether the
    # provider is a resident (後段 needs a non-resident recipient) or a non-resident (前段 needs a foreign country).
    result = _assess(
        {
            "activity": "release",
            "item": LISTED_TECH,
            "recipient": {"citizenships": ["JP"], "location_country": "JP", "foreign_influence": NOT_TOKUTEI},
        }
    )
    assert result.jp_fefta.outcome == "not_a_controlled_provision"
    assert not result.jp_fefta.missing_facts


def test_resident_provider_to_non_resident_needs_a_licence_wherever_the_recipient_is() -> None:
    # 外為法25条1項後段: a resident providing 特定技術 to a non-resident — in Japan or abroad.
    result = _assess(
        {
            "activity": "release",
            "item": LISTED_TECH,
            "provider": {"country": "JP"},
            "recipient": {"jp_resident": False},
        }
    )
    assert result.jp_fefta.outcome == "licence_required"
    assert "recipient.location_country" in result.jp_fefta.steps[0].finding


# --- 2. explicit facts beat the activity kind; contradictions reported -------------------------------------------


def test_closed_workshop_called_publication_is_not_public_on_either_side() -> None:
    result = _assess(
        {
            "activity": "publication",
            "item": {**LISTED_TECH, "eccn": "3E001", "origin_country": "US", "event_open_to_public": False},
            "provider": {"country": "JP"},
            "recipient": {"citizenships": ["CN"], "location_country": "JP", "jp_resident": False},
        }
    )
    assert result.us_ear.outcome not in ("not_subject",)
    assert result.jp_fefta.outcome == "licence_required"
    assert "publication_not_open" in [w.rule for w in result.warnings]
    assert "jp_publication_not_public" in [s.rule for s in result.jp_fefta.steps]


def test_one_hour_upload_for_one_recipient_is_not_publication() -> None:
    result = _assess(
        {
            "activity": "publication",
            "item": {**LISTED_TECH, "audience": "specific_recipients"},
            "provider": {"country": "JP"},
            "recipient": {"jp_resident": False},
        }
    )
    assert result.jp_fefta.outcome == "licence_required"
    assert "publication_for_specific_recipients" in [w.rule for w in result.warnings]


# --- possible / confirmed / ruled-out hits ------------------------------------------------------------------------


def test_possible_hit_is_an_open_fact_and_ruled_out_is_ignored() -> None:
    base = {
        "activity": "export",
        "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
        "to_country": "SG",
    }
    possible = _assess({**base, "screening": [{**EL_ALL_ITEMS, "status": "possible"}]})
    assert possible.us_ear.outcome == "incomplete"
    (question,) = possible.us_ear.missing_facts
    assert dict(question.outcomes) == {"confirmed": "licence_required", "ruled_out": "no_licence_required"}
    assert not any(s.rule == "entity_list" for s in possible.us_ear.steps)  # never stated as a fact
    ruled_out = _assess({**base, "screening": [{**EL_ALL_ITEMS, "status": "ruled_out"}]})
    assert ruled_out.us_ear.outcome == "no_licence_required"
    assert "screening_hit_ruled_out" in [s.rule for s in ruled_out.us_ear.steps]


# --- 4. Japan's country measures (approvals, 外為法48条3項 / 輸出令2条1項) and US measures ---------------------


def _cli(tmp_path: Path, mapping: dict[str, Any], *extra: str) -> dict[str, Any]:
    path = tmp_path / "activity.json"
    path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["assess", str(path), "--as-of", AS_OF.isoformat(), "--no-screen", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if not extra else {"text": result.output}


def test_cli_north_korea_laptop_needs_approval(tmp_path: Path) -> None:
    # METI 北朝鮮への措置: export of all goods to North Korea prohibited since 2009-06-18 (approval refused);
    # 輸出令2条1項1号の2 as read under its 附則3項 until 2027-04-13.
    data = _cli(
        tmp_path,
        {
            "activity": "export",
            "item": {"type": "commodity", "description": "laptop"},
            "from_country": "JP",
            "to_country": "北朝鮮",
            "provider": {"country": "JP"},
        },
    )
    jp = data["jp_fefta"]
    assert jp["outcome"] == "approval_required"
    step = next(s for s in jp["steps"] if s["rule"] == "jp_approval_required")
    assert "外為法48条3項" in step["citation"] and "輸出令2条1項1号の2" in step["citation"]
    assert (
        "2009-06-18" in step["finding"] and "2027-04-13" in step["finding"] and "承認" in step["finding_ja"]
    )
    assert data["overall"]["outcome"] == "required" and "jp_fefta" in data["overall"]["governed_by"]


def test_cli_russia_tokutei_dantai_needs_approval(tmp_path: Path) -> None:
    # 輸出令2条1項1号の7: all goods to a designated Russian party (Skolkovo is on METI's list), since 2022-03-18.
    data = _cli(
        tmp_path,
        {
            "activity": "export",
            "item": {"type": "commodity", "description": "centrifuge"},
            "from_country": "JP",
            "to_country": "RU",
            "provider": {"country": "JP"},
            "end_user": {"name": "Skolkovo Institute of Science and Technology", "country": "RU"},
            "screening": [
                {
                    "party": "end_user",
                    "list": "jp_ban_russia",
                    "name": "Skolkovo Institute of Science and Technology",
                }
            ],
        },
    )
    step = next(s for s in data["jp_fefta"]["steps"] if s["rule"] == "jp_approval_required")
    assert data["jp_fefta"]["outcome"] == "approval_required"
    assert "輸出令2条1項1号の7" in step["citation"] and "2022-03-18" in step["finding"]


def test_cli_iran_listed_goods_licence_without_small_value_exemption(tmp_path: Path) -> None:
    # METI: list-controlled goods need a licence to every destination; Iran is in 輸出令別表第四, so the
    # small-value exemption (輸出令4条1項5号) is not available.
    data = _cli(
        tmp_path,
        {
            "activity": "export",
            "item": {
                "type": "commodity",
                "jp_list_item": "6(1)",
                "value": {"amount": 500000, "currency": "JPY"},
            },
            "from_country": "JP",
            "to_country": "イラン",
            "provider": {"country": "JP"},
        },
    )
    jp = data["jp_fefta"]
    assert jp["outcome"] == "licence_required" and not jp["licence_exceptions_to_review"]
    rules = {s["rule"]: s for s in jp["steps"]}
    assert "jp_iran_measures" in rules and "別表第四" in rules["jp_small_value"]["citation"]
    text = _cli(
        tmp_path,
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "6(1)"},
            "from_country": "JP",
            "to_country": "IR",
            "provider": {"country": "JP"},
        },
        "--format",
        "text",
        "--lang",
        "ja",
    )["text"]
    assert "総合判定" in text


def test_russia_item_rows_ask_for_appendix_2_3_with_outcomes() -> None:
    result = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "16", "hs_code": "8471"},
            "from_country": "JP",
            "to_country": "RU",
            "provider": {"country": "JP"},
        }
    )
    fact = next(m for m in result.jp_fefta.missing_facts if m.field == "item.jp_appendix_2_3")
    assert dict(fact.outcomes)["true"] == "approval_required"


def test_mof_asset_freeze_hit_is_shown_beside_the_answer() -> None:
    result = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
            "to_country": "SG",
            "screening": [{"party": "recipient", "list": "jp_mof_asset_freeze", "name": "X"}],
        }
    )
    assert [b.rule for b in result.beside] == ["mof_asset_freeze"]
    assert result.us_ear.outcome == "no_licence_required"


def test_footnote_4_fdp_rule() -> None:
    # 15 CFR 734.9(e)(2): direct product of US technology in any product group D/E ECCN, Footnote 4 party.
    result = _assess(
        {
            "activity": "reexport",
            "item": {
                "type": "commodity",
                "origin_country": "TW",
                "foreign_direct_product": {"us_technology_or_software_eccn": "3E991"},
            },
            "from_country": "TW",
            "to_country": "CN",
            "screening": [{**EL_ALL_ITEMS, "fdp_footnote": 4}],
        }
    )
    assert result.us_ear.outcome == "licence_required"
    assert "entity_list_fdp_fn4" in [s.rule for s in result.us_ear.steps]


def test_other_boeki_gai_exemptions() -> None:
    result = _assess(
        {
            "activity": "release",
            "item": {**LISTED_TECH, "jp_exemption": "patent_application"},
            "provider": {"country": "JP"},
            "recipient": {"jp_resident": False},
        }
    )
    assert result.jp_fefta.outcome == "no_licence_required"
    assert "貿易外省令9条2項" in result.jp_fefta.steps[0].citation


# --- 5. model gaps ---------------------------------------------------------------------------------------------


def test_permanent_residence_obtained_after_citizenship_governs() -> None:
    # 15 CFR 734.13(b): the most recent country of citizenship or permanent residency (the last status obtained).
    base = {
        "activity": "release",
        "item": {
            "type": "technology",
            "eccn": "3E001",
            "eccn_control": {"reasons": ["NS1"]},
            "origin_country": "US",
            "published": False,
            "fundamental_research": False,
        },
    }
    recipient = {"citizenships": ["CN"], "permanent_residence": ["CA"], "location_country": "US"}
    last_pr = _assess({**base, "recipient": {**recipient, "last_status_obtained": "permanent_residence"}})
    assert last_pr.us_ear.details["deemed_destination"] == "CA"
    assert last_pr.us_ear.outcome == "no_licence_required"
    both = _assess({**base, "recipient": recipient})
    assert both.us_ear.outcome == "licence_required"  # not said which is last: both tested, stricter governs


def test_japanese_national_living_abroad_is_a_non_resident() -> None:
    result = _assess(
        {
            "activity": "release",
            "item": LISTED_TECH,
            "provider": {"country": "JP"},
            "recipient": {
                "citizenships": ["JP"],
                "location_country": "JP",
                "jp_residency": {"lives_abroad": True},
            },
        }
    )
    assert result.jp_fefta.outcome == "licence_required"


def test_group_a_and_abroad_as_country_values() -> None:
    group_a = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "16", "hs_code": "8471"},
            "from_country": "JP",
            "to_country": "a Group A country",
            "provider": {"country": "JP"},
        }
    )
    assert group_a.jp_fefta.outcome == "no_licence_required"  # 16の項: region excludes 別表第三
    abroad = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "16", "hs_code": "8471"},
            "from_country": "JP",
            "to_country": "abroad",
            "provider": {"country": "JP"},
        }
    )
    assert abroad.jp_fefta.outcome == "incomplete"
    assert any(
        m.field == "to_country" and dict(m.outcomes).get("KP") == "approval_required"
        for m in abroad.jp_fefta.missing_facts
    )


def test_country_names_resolve_through_one_resolver() -> None:
    by_name = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
            "to_country": "イラン",
        }
    )
    by_code = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
            "to_country": "IR",
        }
    )
    assert by_name.to_json() == by_code.to_json()
    with pytest.raises(ActivityError, match=r"to_country.*Korea"):
        activity_from_mapping({"activity": "export", "to_country": "Korea"})


def test_activity_schema_is_real() -> None:
    schema = activity_json_schema()
    recipient = schema["$defs"]["Recipient"]["properties"]
    assert recipient["last_status_obtained"]["anyOf"][0]["enum"] == ["citizenship", "permanent_residence"]
    assert schema["$defs"]["ScreeningHit"]["properties"]["status"]["enum"] == [
        "confirmed",
        "possible",
        "ruled_out",
    ]
    assert schema["required"] == ["activity"] and schema["additionalProperties"] is False


# --- 6. rules as of a date -------------------------------------------------------------------------------------


def test_versions_are_picked_by_date_and_named() -> None:
    assert version("us.affiliates_rule", dt.date(2025, 10, 1)).value["in_force"] is True
    assert (
        version("us.affiliates_rule", dt.date(2026, 1, 1)).value["in_force"] is False
    )  # stayed (90 FR 50857)
    for name, versions in RULES.items():
        for older, newer in itertools.pairwise(versions):
            assert older.valid_to is not None and older.valid_to < newer.valid_from, name
        assert all(v.citation and v.source for v in versions), name
    applied = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "EAR99"}, "to_country": "DE"}
    ).rules_applied
    assert applied["jp.north_korea_all_goods"]["valid_from"] == "2009-06-18"


def test_as_of_before_the_held_versions_is_warned() -> None:
    early = rules_in_force(dt.date(2020, 1, 1))
    assert any(
        w.rule == "rule_version_not_held" and "us.military_end_use_countries" in w.finding
        for w in early.warnings
    )
    result = assess(
        activity_from_mapping(
            {"activity": "export", "item": {"type": "commodity", "eccn": "EAR99"}, "to_country": "DE"}
        ),
        as_of=dt.date(2020, 1, 1),
    )
    assert result.warnings and result.rules_applied["us.military_end_use_countries"]["not_in_force_on_as_of"]
    kp_2008 = assess(
        activity_from_mapping(
            {
                "activity": "export",
                "item": {"type": "commodity", "jp_list_item": "16"},
                "from_country": "JP",
                "to_country": "KP",
                "provider": {"country": "JP"},
            }
        ),
        as_of=dt.date(2008, 1, 1),
    )
    assert kp_2008.jp_fefta.outcome != "approval_required"


# --- 7. web/API findings ---------------------------------------------------------------------------------------


def test_no_bis_report_at_zero_us_content_and_no_de_minimis_into_the_us() -> None:
    zero = _assess(
        {
            "activity": "reexport",
            "item": {"type": "technology", "origin_country": "JP", "eccn": "EAR99", "us_content_percent": 0},
            "from_country": "JP",
            "to_country": "DE",
        }
    )
    assert "de_minimis_technology_report" not in [s.rule for s in zero.us_ear.steps]
    travel = _assess(
        {
            "activity": "carry_abroad",
            "item": {"type": "commodity", "origin_country": "JP", "us_content_percent": 5},
            "from_country": "JP",
            "to_country": "US",
        }
    )
    assert "de_minimis" not in [s.rule for s in travel.us_ear.steps]
    assert travel.us_ear.outcome in ("not_applicable", "not_an_export")


def test_overall_answer_is_the_stricter_side() -> None:
    result = _assess(
        {
            "activity": "export",
            "item": {
                "type": "commodity",
                "eccn": "EAR99",
                "jp_list_item": "16",
                "hs_code": "8471",
                "origin_country": "US",
            },
            "from_country": "JP",
            "to_country": "KP",
            "provider": {"country": "JP"},
        }
    )
    data = result.to_json()
    assert data["overall"]["outcome"] == "required"
    assert data["overall"]["governed_by"][0] == "jp_fefta"  # approval is stricter than the US licence
    assert (
        data["us_ear"]["outcome"] == "licence_required" and data["jp_fefta"]["outcome"] == "approval_required"
    )


def test_with_fact_builds_missing_parts() -> None:
    activity = activity_from_mapping({"activity": "release"})
    changed = with_fact(activity, "recipient.jp_residency.lives_abroad", True)
    assert changed.recipient is not None and changed.recipient.jp_residency is not None
    assert changed.recipient.jp_residency.lives_abroad is True


# --- 3. conditions inside a CCL control row --------------------------------------------------------------------


def test_row_for_exports_from_macau_or_d5_is_not_read_as_worldwide() -> None:
    # Supp. No. 1 to Part 774, 3E001: "RS applies to 'technology' for commodities controlled in 3A090, when exported
    # from Macau or a destination specified in Country Group D:5" (742.6(a)(6)(ii)). A release in the US to a
    # Canadian is not such an export: no paragraph question, no licence (Canada has no NS1 X).
    result = _assess(
        {
            "activity": "release",
            "item": {
                "type": "technology",
                "eccn": "3E001",
                "origin_country": "US",
                "published": False,
                "fundamental_research": False,
            },
            "recipient": {"citizenships": ["CA"], "location_country": "US"},
        }
    )
    assert result.us_ear.outcome == "no_licence_required"
    assert "control_row_origin_condition" in [s.rule for s in result.us_ear.steps]
    in_china = _assess(
        {
            "activity": "release",
            "item": {
                "type": "technology",
                "eccn": "3E001",
                "origin_country": "US",
                "published": False,
                "fundamental_research": False,
            },
            "provider": {"country": "CN"},
            "recipient": {"citizenships": ["CA"], "location_country": "CN"},
        }
    )
    assert "control_row_origin_condition" not in [s.rule for s in in_china.us_ear.steps]


# --- Part 746 HS lists and TSU ---------------------------------------------------------------------------------


def test_ear99_to_russia_turns_on_the_part_746_hs_lists() -> None:
    base = {
        "activity": "export",
        "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
        "to_country": "RU",
    }
    open_ = _assess(base)
    (fact,) = open_.us_ear.missing_facts
    assert fact.field == "item.hs_listed_part_746"
    assert dict(fact.outcomes) == {"true": "licence_required", "false": "no_licence_required"}
    listed = _assess({**base, "item": {**base["item"], "hs_listed_part_746": True}})
    step = next(s for s in listed.us_ear.steps if s.rule == "russia_belarus_ear99")
    assert listed.us_ear.outcome == "licence_required" and "Supp. Nos. 2, 4, 5, 6" in step.citation
    meu = _assess({**base, "screening": [{"party": "recipient", "list": "us_meu", "name": "Plant"}]})
    assert meu.us_ear.outcome == "licence_required"  # 744.21: all items for Russia — the HS list is not asked


def test_tsu_is_offered_for_review_when_stated() -> None:
    result = _assess(
        {
            "activity": "export",
            "item": {
                "type": "technology",
                "eccn": "3E001",
                "eccn_control": {"reasons": ["NS1"]},
                "origin_country": "US",
                "published": False,
                "fundamental_research": False,
                "tsu_eligible": True,
            },
            "to_country": "CN",
        }
    )
    assert "TSU" in [e.code for e in result.us_ear.licence_exceptions_to_review]


def test_a_possible_hit_that_does_not_matter_is_not_stated_as_a_finding() -> None:
    # To Iran a licence is required whatever the match (Part 746): the answer stands, and its reasons are those
    # of the branch where the possible Entity List match is not relied on.
    result = _assess(
        {
            "activity": "export",
            "item": {"type": "commodity", "eccn": "3A001.a.2", "origin_country": "US"},
            "to_country": "IR",
            "screening": [{**EL_ALL_ITEMS, "status": "possible"}],
        }
    )
    assert result.us_ear.outcome == "licence_required"
    assert "entity_list" not in [s.rule for s in result.us_ear.steps]
    assert "screening_hit_possible" in [s.rule for s in result.us_ear.steps]
