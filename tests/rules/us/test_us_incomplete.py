"""Missing deciding facts give `incomplete` with that fact named; facts that do not decide are not asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from techguard.i18n import gettext
from techguard.rules.activity import activity_from_mapping
from techguard.rules.result import JurisdictionResult
from techguard.rules.us import assess_us
from techguard.rules.us.trace import QUESTIONS

AS_OF = dt.date(2026, 11, 27)


def _assess(mapping: dict[str, Any]) -> JurisdictionResult:
    return assess_us(activity_from_mapping(mapping), AS_OF)


def _fields(result: JurisdictionResult) -> list[str]:
    return [m.field for m in result.missing_facts]


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        ({"activity": "export", "item": {"type": "commodity"}, "to_country": "CN"}, "item.eccn"),
        (
            {"activity": "export", "item": {"eccn": "9Z999", "type": "commodity"}, "to_country": "CN"},
            "item.eccn_control",
        ),
        ({"activity": "export", "item": {"eccn": "3A001"}}, "to_country"),
        (
            {"activity": "release", "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"}},
            "recipient",
        ),
        (
            {
                "activity": "release",
                "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
                "recipient": {"citizenships": ["CN"]},
            },
            "recipient.location_country",
        ),
        (
            {
                "activity": "release",
                "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
                "recipient": {"location_country": "US"},
            },
            "recipient.citizenships",
        ),
        (
            {"activity": "reexport", "item": {"eccn": "3A001.a.2"}, "from_country": "JP", "to_country": "CN"},
            "item.origin_country",
        ),
        (
            {
                "activity": "reexport",
                "item": {"origin_country": "JP", "us_content_total_percent": 40},
                "from_country": "JP",
                "to_country": "CN",
            },
            "item.us_content_percent",
        ),
        (
            {
                "activity": "storage",
                "item": {"type": "technology", "origin_country": "US", "eccn": "3E001"},
                "to_country": "JP",
            },
            "encrypted_end_to_end",
        ),
        (
            {
                "activity": "release",
                "item": {
                    "type": "technology",
                    "eccn": "3E001",
                    "origin_country": "US",
                    "eccn_control": {"reasons": ["NS1"]},
                },
                "recipient": {"citizenships": ["CN"], "location_country": "JP"},
            },
            "recipient.permanent_regular_employee_of_releasing_entity",
        ),
        (
            {
                "activity": "release",
                "item": {
                    "type": "technology",
                    "eccn": "3E001",
                    "origin_country": "US",
                    "eccn_control": {"reasons": ["NS1"]},
                },
                "provider": {"country": "JP"},
                "recipient": {
                    "citizenships": ["CN"],
                    "location_country": "JP",
                    "permanent_regular_employee_of_releasing_entity": True,
                },
            },
            "recipient.releasing_entity_screening_done",
        ),
    ],
)
def test_missing_deciding_fact_is_named(mapping: dict[str, Any], field: str) -> None:
    result = _assess(mapping)
    assert result.outcome == "incomplete", result.to_json()
    assert field in _fields(result)
    fact = next(m for m in result.missing_facts if m.field == field)
    assert fact.question_en and fact.question_ja and fact.why
    assert fact.question_ja != fact.question_en


def test_a_paragraph_level_control_that_would_decide_asks_for_the_paragraph() -> None:
    # 3A001 without a paragraph to Germany: only NS1 (3A001.b.2/b.3) could need a licence there.
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "3A001"}, "to_country": "DE"}
    )
    assert result.outcome == "incomplete"
    assert _fields(result) == ["item.eccn"]
    assert "3A001" in result.missing_facts[0].why


def test_undecided_paragraph_is_not_asked_when_the_entry_already_requires_a_licence() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "3A001"}, "to_country": "CN"}
    )
    assert result.outcome == "licence_required"
    assert result.missing_facts == ()


def test_entity_list_hit_decides_without_the_eccn() -> None:
    result = _assess(
        {
            "activity": "export",
            "to_country": "CN",
            "screening": [
                {
                    "party": "end_user",
                    "list": "us_entity_list",
                    "name": "Listed Co",
                    "licence_requirement": "For all items subject to the EAR",
                    "licence_policy": "Presumption of denial",
                }
            ],
        }
    )
    assert result.outcome == "licence_required"
    assert result.missing_facts == ()
    step = next(s for s in result.steps if s.rule == "entity_list")
    assert "744.11(a)" in step.citation and "Presumption of denial" in step.finding


def test_published_information_is_not_asked_for_its_eccn_or_origin() -> None:
    result = _assess({"activity": "release", "item": {"type": "technology", "published": True}})
    assert result.outcome == "not_subject"
    assert result.missing_facts == ()


def test_foreign_item_without_us_content_is_not_applicable() -> None:
    result = _assess(
        {
            "activity": "export",
            "item": {"origin_country": "DE", "us_content_total_percent": 0},
            "from_country": "DE",
            "to_country": "CN",
        }
    )
    assert result.outcome == "not_applicable"
    assert any(s.rule == "no_us_nexus" for s in result.steps)


def test_us_person_release_is_not_an_export() -> None:
    result = _assess(
        {
            "activity": "release",
            "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
            "recipient": {"citizenships": ["CN"], "permanent_residence": ["US"], "location_country": "US"},
        }
    )
    assert result.outcome == "not_an_export"


def test_every_question_is_bilingual() -> None:
    for field, en in QUESTIONS.items():
        ja = gettext(en, "ja")  # from the catalogue (src/techguard/locale/ja/LC_MESSAGES/techguard.po)
        assert en.endswith("?") or en.endswith(")?"), field
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in ja), field


@pytest.mark.parametrize(
    ("use", "country", "citation"),
    [
        ("nuclear", "DE", "744.2(a)"),
        ("missile", "DE", "744.3(a)"),
        ("chemical_biological", "DE", "744.4(a)"),
        ("military_intelligence", "CN", "744.22(a)"),
        ("advanced_computing", "CN", "744.23(a)"),
    ],
)
def test_prohibited_end_uses_need_a_licence_even_for_ear99(use: str, country: str, citation: str) -> None:
    result = _assess(
        {"activity": "export", "item": {"eccn": "EAR99"}, "to_country": country, "end_use": [use]}
    )
    assert result.outcome == "licence_required"
    assert any(citation in s.citation for s in result.steps)


def test_hong_kong_takes_the_china_row_and_groups() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "3A001.a.2"}, "to_country": "HK"}
    )
    assert result.details["chart_row"] == "CN"
    assert result.outcome == "licence_required"


def test_deemed_reexport_that_would_be_nlr_is_not_a_deemed_reexport() -> None:
    result = _assess(
        {
            "activity": "release",
            "item": {
                "type": "technology",
                "eccn": "3E001",
                "origin_country": "US",
                "eccn_control": {"reasons": ["NS2"]},
            },
            "recipient": {
                "citizenships": ["DE"],
                "location_country": "JP",
                "releasing_entity_authorised_to_receive": True,
            },
        }
    )
    assert result.outcome == "not_a_deemed_reexport"
    assert any(s.rule == "734_20_a" and s.citation == "15 CFR 734.20(a)" for s in result.steps)


def test_syria_lists_spp_for_review() -> None:
    result = _assess({"activity": "export", "item": {"eccn": "EAR99"}, "to_country": "SY"})
    assert result.outcome == "licence_required_unless_exception"
    assert [e.code for e in result.licence_exceptions_to_review] == ["SPP"]


def test_carrying_a_laptop_abroad_lists_tmp_and_bag() -> None:
    result = _assess(
        {
            "activity": "carry_abroad",
            "item": {"type": "commodity", "eccn": "5A992.c"},
            "from_country": "US",
            "to_country": "CN",
        }
    )
    assert result.outcome == "no_licence_required"  # 5A992.c is AT-only; China has no AT mark
    result = _assess(
        {
            "activity": "carry_abroad",
            "item": {"type": "commodity", "eccn": "3A001.a.2"},
            "from_country": "US",
            "to_country": "BR",
        }
    )
    assert {"TMP", "BAG"} <= {e.code for e in result.licence_exceptions_to_review}


def test_an_as_of_date_before_the_tables_is_noted() -> None:
    activity = activity_from_mapping({"activity": "export", "item": {"eccn": "EAR99"}, "to_country": "DE"})
    assert "tables_note" in assess_us(activity, dt.date(2024, 1, 1)).details
    assert "tables_note" not in assess_us(activity, AS_OF).details


def test_publication_does_not_exclude_a_commodity_even_untyped() -> None:
    result = _assess(
        {"activity": "export", "item": {"eccn": "3A001.a.2", "published": True}, "to_country": "BR"}
    )
    assert result.outcome == "licence_required_unless_exception"
    assert all(s.rule != "published" for s in result.steps)


def test_itar_placeholder_entries_are_not_subject_to_the_ear() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "9A005"}, "to_country": "CN"}
    )
    assert result.outcome == "not_subject"
    assert any(s.rule == "itar" and "734.3(b)(1)" in s.citation for s in result.steps)


def test_an_entry_without_requirement_rows_is_never_read_as_nlr() -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "0A521"}, "to_country": "DE"}
    )
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["item.eccn_control"]
    assert "0A521" in result.missing_facts[0].why


def test_all_destination_entries_need_a_licence_everywhere() -> None:
    torture = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "0A983"}, "to_country": "CA"}
    )
    assert torture.outcome == "licence_required"
    assert torture.licence_exceptions_to_review == ()
    interception = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": "5A980"}, "to_country": "CA"}
    )
    assert interception.outcome == "licence_required_unless_exception"
    assert [e.code for e in interception.licence_exceptions_to_review] == ["GOV"]
    for result in (torture, interception):
        assert any(s.citation == "15 CFR 738.3(a)(1)" for s in result.steps)


@pytest.mark.parametrize(
    ("eccn", "country", "footnote_x"),
    [
        ("6A003.b.4.b", "IN", True),
        ("0A501.a", "AU", True),
        ("0A501.y", "AU", False),
        ("0A501.a", "JP", False),
    ],
)
def test_chart_footnotes_that_require_a_licence(eccn: str, country: str, footnote_x: bool) -> None:
    result = _assess(
        {"activity": "export", "item": {"type": "commodity", "eccn": eccn}, "to_country": country}
    )
    reasons = result.details.get("reasons_with_x", [])
    assert any(r.startswith("footnote") for r in reasons) is footnote_x, (eccn, country, reasons)
    if footnote_x:
        assert result.outcome in ("licence_required", "licence_required_unless_exception")
        assert any(s.rule == "chart_footnote" and "footnote" in s.citation for s in result.steps)


def test_teaching_controlled_technology_asks_whether_it_is_a_catalog_course() -> None:
    mapping = {
        "activity": "teaching",
        "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
        "recipient": {"citizenships": ["CN"], "location_country": "US"},
    }
    result = _assess(mapping)
    assert result.outcome == "incomplete"
    assert _fields(result) == ["item.catalog_course"]
    mapping["item"] = {**mapping["item"], "catalog_course": False}
    assert _assess(mapping).outcome == "licence_required"


def test_encrypted_storage_is_not_an_export_even_with_origin_unknown() -> None:
    result = _assess(
        {
            "activity": "storage",
            "item": {"type": "technology", "eccn": "3E001"},
            "to_country": "JP",
            "encrypted_end_to_end": True,
        }
    )
    assert result.outcome == "not_an_export"
    assert result.missing_facts == ()
