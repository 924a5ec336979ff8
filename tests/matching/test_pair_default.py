"""The pair model as the default scorer (algorithm 2.4, issue 9): it judges only where it was fitted to judge,
only from the alignment floor up, and explains a judged score by its largest terms.

The index is the real CSL file (large enough for the model's word weights); the partial person matches are
synthetic names (on no list) that 2.3 alerted on.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from matching_parties import PARTIES

from techguard.lists.formats import get_format
from techguard.lists.model import Party
from techguard.matching import Match, Query, Screener
from techguard.matching.pair_model import FEATURES, load_model
from techguard.matching.screener import EXPLAINED_TERMS, MODEL_FLOOR, judged_score


@pytest.fixture(scope="module")
def parties(shared: Path) -> list[Party]:
    csl = get_format("csl_csv").parse([shared / "lists" / "us_csl_2023-11-30" / "csl.csv"]).parties
    return list(csl)


@pytest.fixture(scope="module")
def default(parties: list[Party]) -> Screener:
    return Screener.build(parties)


@pytest.fixture(scope="module")
def alignment(parties: list[Party]) -> Screener:
    return Screener.build(parties, use_model=False)


def _top(screener: Screener, name: str) -> Match:
    matches = screener.screen(Query(name), top=3)
    assert matches, name
    return matches[0]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Michael Williams", "WILLIAM MICHAEL JOHNSON"),  # two common names, neither the surname
        ("Juan García", "JUAN MARVIN GARCIA"),  # a middle name left over on the listed side
    ],
)
def test_partial_person_matches_the_alignment_alerted_on_no_longer_alert(
    default: Screener, alignment: Screener, query: str, listed: str
) -> None:
    assert _top(alignment, query).matched_name == listed
    assert _top(alignment, query).alert  # what 2.3 did by default
    top = _top(default, query)
    assert top.matched_name == listed  # still shown, for the officer to see
    assert not top.alert, top.explanation["pair_model"]
    assert top.explanation["pair_model"]["judged"] is True


def test_a_right_match_the_alignment_missed_alerts(default: Screener, alignment: Screener) -> None:
    # the CSL lists ROSOBORONEXPORT JSC with this alias; hidden, the alias must still find its party
    alias = "RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT"
    party = next(p for p in default.parties if p.source_id == "us_ssi:18782")
    hidden = frozenset(n.value for n in party.all_names if n.value.upper() == alias)
    before = alignment.screen_excluding(Query(alias), party.key, hidden)[0]
    after = default.screen_excluding(Query(alias), party.key, hidden)[0]
    assert before.party.key == after.party.key == party.key
    assert not before.alert
    assert after.alert, after.explanation["pair_model"]


def test_a_judged_hit_shows_its_largest_terms_which_still_add_up(default: Screener) -> None:
    top = _top(default, "Juan García")
    explained = top.explanation["pair_model"]
    model = load_model()
    assert explained["model"] == model.version
    assert len(explained["features"]) == EXPLAINED_TERMS
    assert explained["other_terms"]["count"] > 0
    names = set(FEATURES) | {f"{a} × {b}" for a in FEATURES for b in FEATURES}
    assert set(explained["features"]) <= names
    log_odds = (
        explained["bias"]
        + explained.get("person_offset", 0.0)
        + sum(term["contribution"] for term in explained["features"].values())
        + explained["other_terms"]["contribution"]
    )
    assert abs(1 / (1 + math.exp(-log_odds)) - explained["probability"]) < 0.01
    shown = [abs(term["contribution"]) for term in explained["features"].values()]
    assert shown == sorted(shown, reverse=True)


def test_the_model_does_not_judge_a_tiny_list() -> None:
    # ten hand-made names give the IDF features another meaning than the lists the model was fitted on
    top = _top(Screener.build(PARTIES), "BANK MELI IRAN")
    assert top.explanation["pair_model"] == {
        "judged": False,
        "why": "index too small for the model's word weights",
    }


def test_a_katakana_loanword_is_left_to_the_alignment(default: Screener) -> None:
    matches = default.screen(Query("ロスオボロンエクスポルト"), top=3)
    for match in matches:
        explained = match.explanation["pair_model"]
        assert explained["judged"] is False


def test_a_candidate_below_the_floor_never_reaches_the_model(default: Screener) -> None:
    matches = default.screen(Query("Mahmoud Ibrahim Nobody Else"), top=5, min_score=0.0)
    below = [m for m in matches if m.explanation["alignment_score"] < MODEL_FLOOR]
    assert below
    for match in below:
        assert match.explanation["pair_model"]["judged"] is False
        assert match.explanation["name_score"] == match.explanation["alignment_score"]


def test_a_turned_down_candidate_keeps_the_alignment_order() -> None:
    line = 0.80 - 0.05
    assert judged_score(0.9, 0.2, 0.80) == pytest.approx(line - 0.01)
    assert judged_score(0.6, 0.2, 0.80) == 0.6
    assert judged_score(0.6, 0.97, 0.80) == 0.97
