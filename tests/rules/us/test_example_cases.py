"""The 15 US example cases of example-cases.yaml, their facts mapped by hand into the activity model.

Each mapping keeps to the facts the case states (the question text included where it names a fact, e.g. the
NS Column 1 control of the 3E001 technology); the expected outcome and key citations come from the case answer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from techguard.rules.activity import activity_from_mapping
from techguard.rules.result import JurisdictionResult
from techguard.rules.us import assess_us

AS_OF = dt.date(2026, 11, 27)

CASES: dict[str, dict[str, Any]] = {
    "US-DE-CN-STUDENT-3E001-RESTRICTED-PROJECT": {
        "activity": "release",
        "item": {
            "type": "technology",
            "eccn": "3E001",
            "eccn_control": {
                "reasons": ["NS1"]
            },  # "3E001 'development' technology for 3A001 ICs (NS Column 1)"
            "origin_country": "US",
            "published": False,
            "fundamental_research": False,
            "kept_restricted": True,
        },
        "recipient": {
            "kind": "person",
            "citizenships": ["CN"],
            "us_person_status": "temporary_visa",
            "location_country": "US",
        },
    },
    "US-DE-JP-NATIONAL-EAR99-TECH": {
        "activity": "release",
        "item": {"type": "technology", "eccn": "EAR99"},
        "recipient": {"kind": "person", "citizenships": ["JP"], "location_country": "US"},
        "end_use": ["civil"],
    },
    "US-DR-JAPAN-LAB-CN-VISITOR-3E001": {
        "activity": "release",
        "item": {
            "type": "technology",
            "eccn": "3E001",
            "eccn_control": {"reasons": ["NS1"]},
            "origin_country": "US",
        },
        "provider": {"country": "JP", "name": "Japanese university lab"},
        "recipient": {
            "kind": "person",
            "citizenships": ["CN"],
            "location_country": "JP",
            "permanent_regular_employee_of_releasing_entity": False,
            "releasing_entity_authorised_to_receive": True,
        },
    },
    "US-DR-JAPAN-CO-VIETNAMESE-EMPLOYEE-SCREENED": {
        "activity": "release",
        "item": {
            "type": "technology",
            "eccn": "3E001",
            "eccn_control": {"reasons": ["NS1"]},
            "origin_country": "US",
        },
        "provider": {"country": "JP", "name": "Japanese company"},
        "recipient": {
            "kind": "person",
            "citizenships": ["VN"],
            "location_country": "JP",
            "permanent_regular_employee_of_releasing_entity": True,
            "releasing_entity_screening_done": True,
            "releasing_entity_authorised_to_receive": True,
        },
    },
    "US-NOT-EXPORT-E2E-ENCRYPTED-CLOUD-JP": {
        "activity": "storage",
        "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
        "from_country": "US",
        "to_country": "JP",
        "encrypted_end_to_end": True,
    },
    "US-PUBLISHED-ENCRYPTION-5D002-STAYS-SUBJECT": {
        "activity": "export",
        "item": {"type": "software", "eccn": "5D002", "published": True},
    },
    "US-FR-PATENT-PREPUBLICATION-REVIEW": {
        "activity": "release",
        "item": {"type": "technology", "fundamental_research": True, "fundamental_research_role": "result"},
    },
    "US-CATALOG-COURSE-INSTRUCTION": {
        "activity": "teaching",
        "item": {"type": "technology", "catalog_course": True},
        "recipient": {"kind": "person", "location_country": "US"},
    },
    "US-DEMINIMIS-20PCT-CHINA": {
        "activity": "reexport",
        "item": {
            "type": "commodity",
            "origin_country": "JP",
            "us_content_percent": 20,
            "us_content_eccns": ["3A001"],
        },
        "from_country": "JP",
        "to_country": "CN",
    },
    "US-DEMINIMIS-9PCT-IRAN": {
        "activity": "reexport",
        "item": {"type": "commodity", "origin_country": "JP", "us_content_percent": 9},
        "from_country": "JP",
        "to_country": "IR",
    },
    "US-DEMINIMIS-EAR99-CONTENT-NOT-COUNTED": {
        "activity": "reexport",
        "item": {
            "type": "commodity",
            "origin_country": "JP",
            "us_content_total_percent": 60,
            "us_content_eccns": ["EAR99"],
        },
        "from_country": "JP",
        "to_country": "TH",
    },
    "US-ENTITY-LIST-AFFILIATE-50PCT": {
        "activity": "export",
        "as_of": "2026-11-10",
        "item": {"type": "commodity", "eccn": "EAR99", "origin_country": "US"},
        "from_country": "US",
        "to_country": "SG",
        "end_user": {"name": "Unlisted Singapore subsidiary", "country": "SG"},
        "screening": [
            {"party": "end_user", "list": "us_entity_list_affiliate", "name": "Unlisted Singapore subsidiary"}
        ],
    },
    "US-CHART-TERRITORY-CAYMAN": {"activity": "export", "to_country": "KY"},
    "US-CHART-IRAN-POINTER-NOT-NLR": {"activity": "export", "item": {"eccn": "2B991"}, "to_country": "IR"},
    "US-3A001-NS2-GERMANY-VS-BRAZIL": {
        "activity": "export",
        "item": {"type": "commodity", "eccn": "3A001.a.2", "origin_country": "US"},
        "from_country": "US",
    },
}

# case id -> (expected us outcome, citations that must appear in the steps)
EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "US-DE-CN-STUDENT-3E001-RESTRICTED-PROJECT": ("licence_required", ("734.13(a)(2), (b)", "738.4(a)(2)")),
    "US-DE-JP-NATIONAL-EAR99-TECH": ("no_licence_required", ("734.3(c)", "738.4(a)(2)(ii)(B)")),
    "US-DR-JAPAN-LAB-CN-VISITOR-3E001": (
        "licence_required",
        ("734.14(a)(2), (b)", "734.20(a)", "734.20(b), (c)"),
    ),
    "US-DR-JAPAN-CO-VIETNAMESE-EMPLOYEE-SCREENED": ("not_a_deemed_reexport", ("734.20(c)",)),
    "US-NOT-EXPORT-E2E-ENCRYPTED-CLOUD-JP": ("not_an_export", ("734.18(a)(5)",)),
    "US-FR-PATENT-PREPUBLICATION-REVIEW": ("not_subject", ("734.8(a)",)),
    "US-CATALOG-COURSE-INSTRUCTION": ("not_subject", ("734.3(b)(3)(iii)",)),
    "US-DEMINIMIS-20PCT-CHINA": ("not_subject", ("734.4(d)(1)",)),
    "US-DEMINIMIS-9PCT-IRAN": ("not_subject", ("734.4(c)",)),
    "US-DEMINIMIS-EAR99-CONTENT-NOT-COUNTED": ("not_subject", ("Supp. No. 2 to Part 734 (a)(1)",)),
    "US-ENTITY-LIST-AFFILIATE-50PCT": ("licence_required", ("744.11(a)(1)",)),
    "US-CHART-IRAN-POINTER-NOT-NLR": ("licence_required", ("746.7", "736.2(b)(6)")),
}


def _assess(mapping: dict[str, Any], **extra: Any) -> JurisdictionResult:
    activity = activity_from_mapping({**mapping, **extra})
    return assess_us(activity, activity.as_of or AS_OF)


def _citations(result: JurisdictionResult) -> str:
    return " | ".join(s.citation for s in result.steps)


def test_every_us_case_is_mapped(shared: Path) -> None:
    cases = yaml.safe_load((shared / "eval" / "rules" / "example-cases.yaml").read_text(encoding="utf-8"))[
        "cases"
    ]
    us_ids = {c["id"] for c in cases if c["jurisdiction"] == "US"}
    assert us_ids == set(CASES)


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
def test_case_outcome_and_citations(case_id: str) -> None:
    outcome, citations = EXPECTED[case_id]
    result = _assess(CASES[case_id])
    assert result.outcome == outcome, result.to_json()
    assert not result.missing_facts
    for citation in citations:
        assert citation in _citations(result), (citation, _citations(result))


def test_cn_student_deemed_destination_reasons_and_excluded_exceptions() -> None:
    result = _assess(CASES["US-DE-CN-STUDENT-3E001-RESTRICTED-PROJECT"])
    assert result.details["deemed_destination"] == "CN"
    assert result.details["reasons_with_x"] == ["NS1"]
    excluded = {e["code"]: e["why"] for e in result.details["licence_exceptions_excluded"]}
    assert "Group B" in excluded["TSR"] and "A:5" in excluded["STA"]
    assert result.licence_exceptions_to_review == ()
    assert "734.8(c)" in _citations(result) or "734.8(a) Note 2" in _citations(result)


def test_cn_student_without_given_control_reads_3e001_row_from_the_ccl() -> None:
    mapping = dict(CASES["US-DE-CN-STUDENT-3E001-RESTRICTED-PROJECT"])
    mapping["item"] = {k: v for k, v in mapping["item"].items() if k != "eccn_control"}
    result = _assess(mapping)
    assert result.outcome == "licence_required"
    assert "NS1" in result.details["reasons_with_x"]
    assert any(s.rule == "scoped_control_assumed" for s in result.steps)


def test_cn_visitor_deemed_destination_is_citizenship_not_japan() -> None:
    result = _assess(CASES["US-DR-JAPAN-LAB-CN-VISITOR-3E001"])
    assert result.details["deemed_destination"] == "CN"
    assert result.details["transaction"] == "deemed_reexport"


def test_vietnamese_employee_with_d5_contacts_is_a_licence_case() -> None:
    mapping = dict(CASES["US-DR-JAPAN-CO-VIETNAMESE-EMPLOYEE-SCREENED"])
    mapping["recipient"] = {**mapping["recipient"], "releasing_entity_screening_done": False}
    result = _assess(mapping)
    assert result.outcome == "licence_required"
    assert result.details["deemed_destination"] == "VN"


def test_encrypted_storage_in_china_is_an_export() -> None:
    result = _assess(CASES["US-NOT-EXPORT-E2E-ENCRYPTED-CLOUD-JP"], to_country="CN")
    assert result.outcome != "not_an_export"
    assert "734.18(a)(5)(iv)" in _citations(result)


def test_published_5d002_stays_subject_and_asks_destination() -> None:
    result = _assess(CASES["US-PUBLISHED-ENCRYPTION-5D002-STAYS-SUBJECT"])
    assert result.outcome not in ("not_subject", "not_applicable")
    assert "734.7(b)" in _citations(result)
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["to_country"]


def test_published_5d002_to_a_destination_needs_a_licence() -> None:
    result = _assess(CASES["US-PUBLISHED-ENCRYPTION-5D002-STAYS-SUBJECT"], to_country="DE")
    assert result.outcome in ("licence_required", "licence_required_unless_exception")
    assert "NS1" in result.details["reasons_with_x"]


def test_fundamental_research_does_not_ask_for_the_eccn() -> None:
    result = _assess(CASES["US-FR-PATENT-PREPUBLICATION-REVIEW"])
    assert all(m.field != "item.eccn" for m in result.missing_facts)


def test_fundamental_research_inputs_are_not_excluded() -> None:
    mapping = {
        "activity": "release",
        "item": {
            "type": "technology",
            "fundamental_research": True,
            "fundamental_research_role": "input",
            "eccn": "3E001",
            "origin_country": "US",
        },
        "recipient": {"citizenships": ["CN"], "location_country": "US"},
    }
    result = _assess(mapping)
    assert result.outcome == "licence_required"
    assert "734.8(a) Note 1" in _citations(result)


def test_deminimis_above_25_percent_is_subject() -> None:
    mapping = dict(CASES["US-DEMINIMIS-20PCT-CHINA"])
    mapping["item"] = {**mapping["item"], "us_content_percent": 26, "eccn": "EAR99"}
    result = _assess(mapping)
    assert "734.3(a)(3)" in _citations(result)
    assert result.outcome != "not_subject"


def test_deminimis_11_percent_to_iran_is_subject_and_needs_a_licence() -> None:
    mapping = dict(CASES["US-DEMINIMIS-9PCT-IRAN"])
    mapping["item"] = {**mapping["item"], "us_content_percent": 11, "eccn": "EAR99"}
    result = _assess(mapping)
    assert result.outcome == "licence_required"
    assert "734.4(c)" in _citations(result)


def test_affiliate_rule_is_stayed_before_2026_11_10() -> None:
    result = _assess(CASES["US-ENTITY-LIST-AFFILIATE-50PCT"], as_of="2026-11-09")
    assert result.outcome == "no_licence_required"
    assert any(s.rule == "affiliates_rule_not_in_force" and "90 FR 50857" in s.citation for s in result.steps)


def test_cayman_uses_the_united_kingdom_row() -> None:
    result = _assess(CASES["US-CHART-TERRITORY-CAYMAN"])
    assert result.details["chart_row"] == "GB"
    assert any(s.rule == "chart_territory" and s.citation == "15 CFR 738.3(b)" for s in result.steps)
    # the case asks only which row applies; the licence answer needs the ECCN
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["item.eccn"]


@pytest.mark.parametrize("country", ["CU", "IR", "KP", "SY"])
def test_embargo_pointer_rows_are_never_nlr(country: str) -> None:
    result = _assess(CASES["US-CHART-IRAN-POINTER-NOT-NLR"], to_country=country)
    assert result.outcome in ("licence_required", "licence_required_unless_exception")
    assert any(s.rule == "embargo_pointer_row" for s in result.steps)


@pytest.mark.parametrize(
    ("country", "outcome"), [("DE", "no_licence_required"), ("BR", "licence_required_unless_exception")]
)
def test_3a001_a_2_germany_vs_brazil(country: str, outcome: str) -> None:
    result = _assess(CASES["US-3A001-NS2-GERMANY-VS-BRAZIL"], to_country=country)
    assert result.outcome == outcome
    if country == "BR":
        assert result.details["reasons_with_x"] == ["NS2"]
        assert {e.code for e in result.licence_exceptions_to_review} >= {"LVS", "GBS"}
    else:
        assert result.licence_exceptions_to_review == ()
