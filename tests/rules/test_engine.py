"""The combiner: both jurisdictions, table dates, and screening through a real screener."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from techguard.lists.model import Party, PartyKind
from techguard.matching import Screener
from techguard.rules import activity_from_mapping, assess, render_text
from techguard.rules.activity import HitStatus
from techguard.rules.engine import screen_parties


class RecordingScreener:
    """A real screener over one hand-made Entity List party, remembering the queries it was asked."""

    def __init__(self) -> None:
        self.inner = Screener.build([
            Party(source="us_csl", source_id="EL-9", list="us_entity_list", kind=PartyKind.ORGANISATION,
                  name="ACME SINGAPORE PTE. LTD.", countries=("SG",),
                  licence_requirement="For all items subject to the EAR",
                  licence_policy="Presumption of denial"),
        ])
        self.queries: list[Any] = []

    def screen(self, query: Any, *, top: int = 3) -> Any:
        self.queries.append(query)
        return self.inner.screen(query, top=top)


EAR99_TO_SG = {
    "activity": "export",
    "item": {"eccn": "EAR99", "type": "commodity", "origin_country": "US"},
    "to_country": "SG",
    "end_user": {"name": "Acme Singapore Pte Ltd", "country": "SG"},
}


def test_assess_runs_both_jurisdictions_with_table_dates() -> None:
    result = assess(activity_from_mapping(EAR99_TO_SG), as_of=dt.date(2026, 11, 27))
    data = result.to_json()
    assert data["us_ear"]["outcome"] == "no_licence_required"
    assert set(data) >= {"us_ear", "jp_fefta", "as_of", "tables_as_of"}
    assert data["as_of"] == "2026-11-27"
    assert data["tables_as_of"]["us_country_chart"] == "2026-07-23"
    for key in ("outcome", "steps", "licence_exceptions_to_review", "missing_facts"):
        assert key in data["us_ear"] and key in data["jp_fefta"]


def test_as_of_defaults_to_the_activity_date() -> None:
    result = assess(activity_from_mapping({**EAR99_TO_SG, "as_of": "2026-01-05"}))
    assert result.as_of == "2026-01-05"


def test_screener_alert_becomes_an_entity_list_hit_with_explanation() -> None:
    screener = RecordingScreener()
    result = assess(activity_from_mapping(EAR99_TO_SG), as_of=dt.date(2026, 11, 27), screener=screener)
    assert screener.queries and screener.queries[0].country == "SG"
    # A fuzzy alert is a possible hit: an open fact with the outcome each decision gives, never a finding.
    assert result.us_ear.outcome == "incomplete"
    (question,) = [m for m in result.us_ear.missing_facts if m.field.startswith("screening[")]
    assert dict(question.outcomes) == {"confirmed": "licence_required", "ruled_out": "no_licence_required"}
    assert result.us_ear.steps[0].rule == "screening_hit"
    assert "possible match, not yet confirmed" in result.us_ear.steps[0].finding
    assert "ACME SINGAPORE PTE. LTD." in result.us_ear.steps[0].finding
    # the matcher's own explanation travels with the step (the one match→hit path, techguard.matching.hits)
    assert "score" in result.us_ear.steps[0].finding and result.us_ear.steps[0].finding_ja
    # Confirmed by an officer (the web records the decision and states the hit), the same match decides.
    screened, _ = screen_parties(activity_from_mapping(EAR99_TO_SG), RecordingScreener())
    confirmed = dataclasses.replace(
        screened, screening=tuple(dataclasses.replace(h, status=HitStatus.CONFIRMED) for h in screened.screening)
    )
    decided = assess(confirmed, as_of=dt.date(2026, 11, 27))
    assert decided.us_ear.outcome == "licence_required"
    assert "entity_list" in [s.rule for s in decided.us_ear.steps]


def test_screener_without_alert_leaves_the_answer_and_says_so() -> None:
    activity = activity_from_mapping({**EAR99_TO_SG, "end_user": {"name": "Blue Harbour Trading", "country": "SG"}})
    screened, steps = screen_parties(activity, RecordingScreener())
    assert screened.screening == ()
    assert [s.rule for s in steps] == ["screening_clear"]


def test_text_rendering_in_both_languages() -> None:
    result = assess(
        activity_from_mapping({"activity": "export", "item": {"type": "commodity"}, "to_country": "CN"}),
        as_of=dt.date(2026, 11, 27),
    )
    ja = render_text(result, lang="ja")
    en = render_text(result, lang="en")
    assert "まだ判定できません" in ja and "ECCN" in ja and "item.eccn" in ja
    assert "Cannot decide yet" in en and "What is the item's ECCN" in en
    assert "2026-07-23" in en


def test_with_the_real_screener_an_entity_list_party_is_caught() -> None:
    from techguard.lists.model import Party, PartyKind
    from techguard.matching import Screener

    listed = Party(
        source="us_csl",
        source_id="el-1",
        list="us_entity_list",
        kind=PartyKind.ORGANISATION,
        name="Acme Quantum Technologies Co., Ltd.",
        countries=("CN",),
        licence_requirement="For all items subject to the EAR.",
        licence_policy="Presumption of denial.",
    )
    other = Party(
        source="us_csl",
        source_id="el-2",
        list="us_entity_list",
        kind=PartyKind.ORGANISATION,
        name="Borealis Photonics Institute",
        countries=("RU",),
    )
    screener = Screener.build([listed, other])
    activity = activity_from_mapping(
        {
            "activity": "export",
            "item": {"eccn": "EAR99", "type": "commodity", "origin_country": "US"},
            "to_country": "CN",
            "end_user": {"name": "ACME Quantum Technologies Company Limited", "country": "CN"},
        }
    )
    result = assess(activity, as_of=dt.date(2026, 11, 27), screener=screener)
    assert result.us_ear.outcome == "incomplete"  # a fuzzy alert is possible until confirmed
    assert result.us_ear.missing_facts[0].outcomes[0] == ("confirmed", "licence_required")
    activity, _ = screen_parties(activity, screener)
    hits = tuple(dataclasses.replace(h, status=HitStatus.CONFIRMED) for h in activity.screening)
    result = assess(dataclasses.replace(activity, screening=hits), as_of=dt.date(2026, 11, 27))
    assert result.us_ear.outcome == "licence_required"
    entity = next(s for s in result.us_ear.steps if s.rule == "entity_list")
    assert "Presumption of denial" in entity.finding
