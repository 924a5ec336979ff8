""" "Never guess": removing any one given fact either leaves the answer unchanged or makes it ``incomplete``
naming that fact (or the fact the law asks instead, e.g. the residency facts when ``jp_resident`` is dropped)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_jp_example_cases import AS_OF, CASES

from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp

# a removed fact → the fields the law asks instead (alternatives that decide the same question)
ASKED_INSTEAD = {
    "item.jp_list_controlled": ("item.jp_list_item",),
    "recipient.jp_resident": ("recipient.citizenships", "recipient.jp_residency"),
}


def leaves(node: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and key not in ("value",):
            yield from leaves(value, path)
        elif path != "activity":
            yield path


def drop(facts: dict[str, Any], path: str) -> dict[str, Any]:
    out = copy.deepcopy(facts)
    *parents, leaf = path.split(".")
    node = out
    for key in parents:
        node = node[key]
    del node[leaf]
    return out


CASES_AND_FACTS = [(case_id, path) for case_id, facts in sorted(CASES.items()) for path in leaves(facts)]


@pytest.mark.parametrize(("case_id", "removed"), CASES_AND_FACTS)
def test_removing_a_fact_never_changes_the_answer_silently(case_id: str, removed: str) -> None:
    before = assess_jp(activity_from_mapping(CASES[case_id]), AS_OF)
    after = assess_jp(activity_from_mapping(drop(CASES[case_id], removed)), AS_OF)
    if after.outcome == before.outcome:
        return
    assert after.outcome == "incomplete", (removed, before.outcome, after.to_json())
    asked = {m.field for m in after.missing_facts}
    accepted = (removed, *ASKED_INSTEAD.get(removed, ()))
    assert any(field.startswith(prefix) for field in asked for prefix in accepted), (removed, asked)


OPTIONAL_BOOL = st.sampled_from([None, True, False, True, False])  # mostly known: deeper branches
COUNTRY = st.sampled_from([None, "JP", "JP", "JP", "US", "CN", "LY", "KR", "IR", "DE"])


@st.composite
def activities(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": draw(st.one_of(st.none(), st.sampled_from(["commodity", "technology", "software"]))),
        "jp_list_item": draw(
            st.one_of(
                st.none(), st.sampled_from(["7の項（1）", "15の項", "16(1)", "16(2)", "非該当", "2(1)"])
            )
        ),
        "jp_list_controlled": draw(OPTIONAL_BOOL),
        "hs_code": draw(st.one_of(st.none(), st.sampled_from(["8457", "0302", "8542.90", "3901"]))),
        "published": draw(OPTIONAL_BOOL),
        "basic_science": draw(OPTIONAL_BOOL),
        "value": draw(
            st.one_of(
                st.none(), st.builds(lambda a: {"amount": a, "currency": "JPY"}, st.integers(0, 2_000_000))
            )
        ),
    }
    residency = {
        "entered_japan": draw(
            st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 1)).map(str))
        ),
        "employed_at_office_in_japan": draw(OPTIONAL_BOOL),
        "foreign_government_official": draw(OPTIONAL_BOOL),
    }
    influence = {
        "employment_or_contract_with_foreign_government_or_entity": draw(OPTIONAL_BOOL),
        "japanese_employer_instructions_prevail": draw(OPTIONAL_BOOL),
        "foreign_party_is_group_company": draw(OPTIONAL_BOOL),
        "foreign_government_income_share": draw(st.one_of(st.none(), st.floats(0, 1))),
        "acting_under_foreign_government_instruction": draw(OPTIONAL_BOOL),
    }
    recipient = {
        "kind": draw(st.one_of(st.none(), st.sampled_from(["person", "organisation"]))),
        "citizenships": draw(st.lists(st.sampled_from(["JP", "FR", "CN"]), max_size=2)),
        "location_country": draw(COUNTRY),
        "jp_resident": draw(OPTIONAL_BOOL),
        "jp_residency": residency,
        "foreign_influence": influence,
    }
    return {
        "activity": draw(
            st.sampled_from(["export", "release", "teaching", "publication", "carry_abroad", "storage"])
        ),
        "item": {k: v for k, v in item.items() if v is not None},
        "from_country": draw(COUNTRY),
        "to_country": draw(COUNTRY),
        "provider": {"jp_resident": draw(OPTIONAL_BOOL)},
        "recipient": draw(st.one_of(st.none(), st.just(recipient))),
        "end_use": draw(st.lists(st.sampled_from(["civil", "military", "nuclear", "unknown"]), max_size=2)),
        "jp_inform_received": draw(OPTIONAL_BOOL),
    }


@settings(max_examples=300, deadline=None)
@given(activities())
def test_any_activity_gets_a_cited_answer_or_questions(facts: dict[str, Any]) -> None:
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.steps or result.missing_facts
    assert all(step.citation for step in result.steps)
    if result.outcome == "incomplete":
        assert result.missing_facts
    else:
        assert result.missing_facts == ()
    if result.outcome == "licence_required":
        assert any(
            s.rule in ("jp_list_control", "jp_inform") or s.rule.startswith("jp_catch_all")
            for s in result.steps
        )
