"""Invariants over many generated activities: no crash, outcome vocabulary, incomplete <=> missing facts."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from techguard.rules.activity import activity_from_mapping
from techguard.rules.result import UsOutcome
from techguard.rules.us import assess_us

KINDS = [
    "export",
    "reexport",
    "release",
    "transfer_in_country",
    "publication",
    "teaching",
    "storage",
    "carry_abroad",
]
ECCNS = [
    None,
    "EAR99",
    "3A001",
    "3a001.a.2",
    "3E001",
    "5D002",
    "0A983",
    "5A001.f.1",
    "9E003.a.1",
    "XYZ",
    "2B991",
]
COUNTRIES = [
    None,
    "US",
    "JP",
    "CN",
    "IR",
    "KP",
    "CU",
    "SY",
    "RU",
    "HK",
    "MO",
    "KY",
    "AQ",  # a country with no Country Chart row and no parent territory
    "DE",
    "BR",
    "VN",
    "CA",
]
CHOICES: dict[str, list[Any]] = {
    "type": [None, "commodity", "software", "technology"],
    "eccn": ECCNS,
    "origin_country": COUNTRIES,
    "published": [None, True, False],
    "fundamental_research": [None, True, False],
    "us_content_percent": [None, 0, 10, 25, 30],
    "us_content_total_percent": [None, 0, 50],
    "catalog_course": [None, True],
}


def _activity(rng: random.Random) -> dict[str, Any]:
    item = {k: v for k, options in CHOICES.items() if (v := rng.choice(options)) is not None}
    mapping: dict[str, Any] = {"activity": rng.choice(KINDS), "item": item}
    for key in ("from_country", "to_country"):
        if value := rng.choice(COUNTRIES):
            mapping[key] = value
    if rng.random() < 0.6:
        recipient: dict[str, Any] = {
            "citizenships": rng.sample([c for c in COUNTRIES if c], rng.randint(0, 2))
        }
        if value := rng.choice(COUNTRIES):
            recipient["location_country"] = value
        for key in (
            "permanent_regular_employee_of_releasing_entity",
            "releasing_entity_screening_done",
            "releasing_entity_authorised_to_receive",
        ):
            if (flag := rng.choice([None, True, False])) is not None:
                recipient[key] = flag
        if rng.random() < 0.2:
            recipient["us_person_status"] = rng.choice(["citizen", "temporary_visa", "unknown", "none"])
        mapping["recipient"] = recipient
    if rng.random() < 0.3:
        mapping["end_use"] = [
            rng.choice(["nuclear", "military", "military_intelligence", "advanced_computing"])
        ]
    if rng.random() < 0.2:
        mapping["screening"] = [
            {"party": "end_user", "list": rng.choice(["us_entity_list", "us_uvl", "jp_eul"])}
        ]
    if rng.random() < 0.3:
        mapping["encrypted_end_to_end"] = rng.choice([True, False])
    return mapping


def test_generated_activities_keep_the_contract() -> None:
    rng = random.Random(20261127)
    outcomes = {o.value for o in UsOutcome}
    seen: set[str] = set()
    for _ in range(1500):
        mapping = _activity(rng)
        result = assess_us(activity_from_mapping(mapping), dt.date(2026, 11, 27))
        assert result.outcome in outcomes, mapping
        assert (result.outcome == "incomplete") == bool(result.missing_facts), (mapping, result.to_json())
        assert result.steps or result.outcome == "incomplete", mapping
        assert all(s.citation and s.finding and s.finding_ja for s in result.steps), mapping
        if result.outcome in ("licence_required_unless_exception",):
            assert result.licence_exceptions_to_review, mapping
        seen.add(result.outcome)
    assert seen == outcomes  # the generator reaches every outcome
