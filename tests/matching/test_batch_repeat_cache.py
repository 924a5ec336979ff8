"""A batch screens a repeated query once (batch.RepeatCache): every row still gets exactly the line it would
get on its own, with its own id, and the kept lines stay within their byte budget."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.matching import Query, Screener, batch
from techguard.matching.batch import CHUNK, UNIT_ROWS, RepeatCache, json_line, screen_lines

WATCHLIST = Path(__file__).resolve().parents[1] / "fixtures" / "matching" / "watchlist.csv"

NAMES = ["Mitsubishi Heavy Industries", "BARR, Kathryn", "Nobody Known", "三菱重工業"]


def _alone(screener: Screener, queries: list[Query]) -> list[tuple[str, bool]]:
    return [json_line(screener, query, 3, 0.3) for query in queries]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_repeated_name_gets_the_same_line_with_its_own_id(screener: Screener, workers: int) -> None:
    rows = 3 * UNIT_ROWS - 100  # three units of work, each name about 350 times
    queries = [Query(NAMES[i % len(NAMES)], id=f"row-{i}") for i in range(rows)]
    cache = RepeatCache()
    got = list(screen_lines(screener, queries, top=3, min_score=0.3, workers=workers, cache=cache))
    assert [(line, alerted) for _, line, alerted in got] == _alone(screener, queries)
    assert [json.loads(line)["id"] for _, line, _ in got] == [f"row-{i}" for i in range(rows)]
    assert [query for query, _, _ in got] == queries
    assert any(json.loads(line)["matches"] for _, line, _ in got)
    assert cache.lookups == rows and len(cache) == len(NAMES)
    if workers == 1:
        # the first unit screens each name once and gives its line to its repeats; the later units are
        # written from the kept lines
        assert cache.joined == UNIT_ROWS - len(NAMES) and cache.hits == rows - UNIT_ROWS
    else:  # the later units may be read before the first one's lines are kept: at most once per unit
        assert cache.hits + cache.joined >= rows - 3 * len(NAMES)


def test_a_repeated_name_is_screened_once_kept(screener: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    screened: list[Query] = []
    original = batch.json_line

    def counting(screener: Screener, query: Query, top: int, min_score: float) -> tuple[str, bool]:
        screened.append(query)
        return original(screener, query, top, min_score)

    # (the screener's own method cannot be patched: compiled, techguard.native; this is what calls it)
    monkeypatch.setattr(batch, "json_line", counting)
    queries = [Query("Mitsubishi Heavy Industries", id=str(i)) for i in range(2 * UNIT_ROWS)]
    lines = [line for _, line, _ in screen_lines(screener, queries, top=3, min_score=0.3, workers=1)]
    assert [q.id for q in screened] == ["0"]
    assert lines[-1] == json_line(screener, queries[-1], 3, 0.3)[0]


def test_queries_that_differ_beside_the_name_are_not_conflated(screener: Screener) -> None:
    variants = [
        Query("Mitsubishi Heavy Industries", country="JP"),
        Query("Mitsubishi Heavy Industries", country="RU"),
        Query("Mitsubishi Heavy Industries"),
        Query("Mitsubishi Heavy Industries", kind="person"),
        Query("Mitsubishi Heavy Industries", dob="1970-01-01"),
        Query("Mitsubishi Heavy Industries", identifier="1234567"),
    ]
    queries = [Query(v.name, v.kind, v.country, v.dob, f"{round}-{i}", v.identifier)
               for round in range(3) for i, v in enumerate(variants)]  # fmt: skip
    cache = RepeatCache()
    got = [(line, alerted) for _, line, alerted in screen_lines(screener, queries, top=3, min_score=0.3, workers=1,
                                                                cache=cache)]  # fmt: skip
    assert got == _alone(screener, queries)
    assert cache.joined == 2 * len(variants)  # one unit: each variant screened once, for all three rounds
    # the comparison means something: the country changes the line
    assert "country: screened JP" in got[0][0] and "country: screened RU" in got[1][0]
    assert len({json.dumps(json.loads(line)["matches"]) for line, _ in got[: len(variants)]}) >= 3


def test_kept_lines_stay_within_the_byte_budget_least_recently_used_out_first() -> None:
    cache = RepeatCache(max_bytes=20 * RepeatCache.ENTRY_OVERHEAD)
    for i in range(200):
        query = Query(f"name {i}", id="x")
        cache.store(query, '{"id": "x", "name": "' + f"name {i}" + '", "matches": []}', False)
        assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache) < 20
    assert cache.lookup(Query("name 199", id="y"))[0] == ('{"id": "y", "name": "name 199", "matches": []}', False)
    assert cache.lookup(Query("name 0", id="y"))[0] is None


def test_a_line_is_kept_from_the_second_sighting_and_the_doorkeeper_clears_itself() -> None:
    cache = RepeatCache(doorkeeper_bits=2**16)
    assert cache.lookup(Query("a")) == (None, False)
    assert cache.lookup(Query("a")) == (None, True)
    others = 0
    while cache.clears == 0:  # an eighth of the bits marked (2**13 queries, fewer collisions): it starts again
        cache.lookup(Query(f"other {others}"))
        others += 1
    assert 2**13 <= others < 2**14
    assert cache.lookup(Query("a")) == (None, False)  # forgotten (one other query marked since: no collision)
    assert cache.lookup(Query("a")) == (None, True)
    with pytest.raises(ValueError, match="does not start with its query's id"):
        cache.store(Query("a", id="1"), '{"id": "2", "name": "a", "matches": []}', False)


def test_a_survey_keeps_a_repeated_line_from_its_first_sighting(screener: Screener) -> None:
    fillers = [Query(f"Filler Trading {chr(65 + i // 26)}{chr(65 + i % 26)}", id=f"f{i}") for i in range(CHUNK)]
    again = [Query("Mitsubishi Heavy Industries", id="first"), Query("Mitsubishi Heavy Industries", id="again")]
    queries = [again[0], *fillers, again[1]]
    for surveyed in (False, True):
        cache = RepeatCache()
        if surveyed:
            assert cache.survey(queries) == len(queries)
        got = [(line, alerted) for _, line, alerted in screen_lines(screener, queries, top=3, min_score=0.3,
                                                                    workers=1, cache=cache)]  # fmt: skip
        assert got == _alone(screener, queries)
        # the repeat is in the second unit of work: without the survey it is the second sighting, screened
        assert cache.hits == (1 if surveyed else 0) and cache.joined == 0


def test_the_cli_writes_each_row_of_a_file_with_repeats(tmp_path: Path) -> None:
    queries = tmp_path / "q.csv"
    rows = [(f"r{i}", NAMES[i % 2], "JP" if i % 3 == 0 else "") for i in range(12)]
    with queries.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("id", "name", "country"), *rows])
    output = tmp_path / "out.jsonl"
    command = ["screen", str(queries), "--list", str(WATCHLIST), "--top", "3"]
    written = CliRunner().invoke(app, [*command, "--output", str(output), "--workers", "2"])
    assert written.exit_code == 0, written.output
    # without --output the CLI prints each row's record as it screens it, no repeat cache on that path
    printed = CliRunner().invoke(app, command)
    assert printed.exit_code == 0, printed.output
    lines = output.read_text("utf-8").splitlines()
    assert lines == printed.output.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"r{i}" for i in range(12)]
    assert any(json.loads(line)["matches"] for line in lines)


def test_the_cli_repeat_cache_budget_is_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techguard.commands import screen as screen_command

    made: list[RepeatCache] = []

    class Recorded(RepeatCache):
        def __init__(self, max_bytes: int) -> None:
            super().__init__(max_bytes)
            made.append(self)

    monkeypatch.setattr(screen_command, "RepeatCache", Recorded)
    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("id", "name"), *((f"r{i}", NAMES[i % 2]) for i in range(8))])
    outputs = []
    for budget in ("0", "0.5"):
        output = tmp_path / f"out-{budget}.jsonl"
        result = CliRunner().invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--top", "3",
                                          "--output", str(output), "--workers", "1", "--repeat-cache-mb", budget])  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append(output.read_text("utf-8"))
    assert outputs[0] == outputs[1]
    off, on = made
    # 0: nothing kept (every repeat beyond its unit screened again), memory flat; 0.5 MB: the repeats kept
    assert (off.max_bytes, len(off), off.hits) == (0, 0, 0)
    assert on.max_bytes == 2**19 and len(on) == 2 and on.hits == 0 and on.joined == 6
    refused = CliRunner().invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--repeat-cache-mb", "-1"])
    assert refused.exit_code == 2
