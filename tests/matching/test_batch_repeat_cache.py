"""A batch screens a repeated query once (repeat_cache.RepeatCache): every row still gets exactly the line it
would get on its own, with its own id; the kept lines are on disk, their places within a memory budget."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.matching import Query, Screener, batch
from techguard.matching.batch import CHUNK, UNIT_ROWS, json_line, screen_lines
from techguard.matching.repeat_cache import RepeatCache

WATCHLIST = Path(__file__).resolve().parents[1] / "fixtures" / "matching" / "watchlist.csv"

NAMES = ["Mitsubishi Heavy Industries", "BARR, Kathryn", "Nobody Known", "三菱重工業"]


@pytest.fixture
def caches() -> Iterator[Callable[..., RepeatCache]]:
    """New repeat caches, each closed (its temporary file deleted) after the test."""
    made: list[RepeatCache] = []

    def make(**options: Any) -> RepeatCache:
        made.append(RepeatCache(**options))
        return made[-1]

    yield make
    for cache in made:
        cache.close()


def _alone(screener: Screener, queries: list[Query]) -> list[tuple[str, bool]]:
    return [json_line(screener, query, 3, 0.3) for query in queries]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_repeated_name_gets_the_same_line_with_its_own_id(
    screener: Screener, workers: int, caches: Callable[..., RepeatCache]
) -> None:
    rows = 3 * UNIT_ROWS - 100  # three units of work, each name about 350 times
    queries = [Query(NAMES[i % len(NAMES)], id=f"row-{i}") for i in range(rows)]
    cache = caches()
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


def test_queries_that_differ_beside_the_name_are_not_conflated(
    screener: Screener, caches: Callable[..., RepeatCache]
) -> None:
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
    cache = caches()
    got = [(line, alerted) for _, line, alerted in screen_lines(screener, queries, top=3, min_score=0.3, workers=1,
                                                                cache=cache)]  # fmt: skip
    assert got == _alone(screener, queries)
    assert cache.joined == 2 * len(variants)  # one unit: each variant screened once, for all three rounds
    # the comparison means something: the country changes the line
    assert "country: screened JP" in got[0][0] and "country: screened RU" in got[1][0]
    assert len({json.dumps(json.loads(line)["matches"]) for line, _ in got[: len(variants)]}) >= 3


def _line(name: str, id: str = "x") -> str:
    return '{"id":"' + id + '","name":"' + name + '","matches":[]}'


def test_kept_lines_stay_within_the_memory_budget_least_recently_used_out_first() -> None:
    with RepeatCache(max_bytes=20 * RepeatCache.ENTRY_OVERHEAD) as cache:
        for i in range(200):
            cache.store(Query(f"name {i}", id="x"), _line(f"name {i}"), False)
            assert cache.bytes <= cache.max_bytes
            if i == 180:
                assert cache.lookup(Query("name 170", id="y"))[0] is not None  # used: kept from now on
        assert len(cache) == 20
        assert cache.lookup(Query("name 199", id="y"))[0] == (_line("name 199", "y"), False)
        assert cache.lookup(Query("name 170", id="y"))[0] == (_line("name 170", "y"), False)
        assert cache.lookup(Query("name 171", id="y"))[0] is None


def test_the_lines_are_on_disk_and_memory_holds_their_places_only() -> None:
    import tracemalloc

    padding = "x" * 4000  # a line with a few matches and their explanations: a few kB
    with RepeatCache(max_bytes=10**9) as cache:
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        for i in range(5000):
            cache.store(Query(f"name {i}"), _line(f"name {i} {padding}", "null").replace('"null"', "null"), True)
        grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
        tracemalloc.stop()
        assert len(cache) == 5000 and cache.disk_bytes > 0
        # the accounting holds, and memory is a small part of the 20 MB of text written
        assert grown <= cache.bytes == 5000 * RepeatCache.ENTRY_OVERHEAD < 5000 * len(padding) / 10
        assert cache.lookup(Query("name 42", id="z"))[0] == (_line(f"name 42 {padding}", "z"), True)


class _Namesake:
    """A key field whose hash is the same for every name: two queries of one hash, as a collision makes."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return self.name


class _CollidingCache(RepeatCache):
    def key(self, query: Query) -> tuple[object, ...]:
        return (_Namesake(query.name),)


def test_two_queries_of_the_same_hash_never_share_a_line() -> None:
    with _CollidingCache() as cache:
        cache.store(Query("first", id="x"), _line("first"), True)
        cache.store(Query("second", id="x"), _line("second"), False)  # its hash's place is taken: not kept
        assert cache.lookup(Query("first", id="y"))[0] == (_line("first", "y"), True)
        assert cache.lookup(Query("second", id="y"))[0] is None


def test_a_full_temporary_file_is_emptied_and_filled_again() -> None:
    with RepeatCache(max_disk_bytes=400) as cache:
        for i in range(40):
            cache.store(Query(f"name {i}", id="x"), _line(f"name {i}"), False)
            assert cache.disk_bytes <= 400
        assert cache.refills >= 3
        assert cache.lookup(Query("name 39", id="y"))[0] == (_line("name 39", "y"), False)
        assert cache.lookup(Query("name 0", id="y"))[0] is None
    assert len(cache) == 0 and cache.disk_bytes == 0  # closed: the temporary file is gone


def test_a_temporary_file_that_cannot_be_written_stops_the_keeping_and_says_why(tmp_path: Path) -> None:
    with RepeatCache(directory=tmp_path / "missing") as cache:
        cache.store(Query("a", id="x"), _line("a"), False)
        assert cache.disk_error is not None and str(tmp_path / "missing") in cache.disk_error
        assert len(cache) == 0 and cache.lookup(Query("a", id="y"))[0] is None


def test_a_line_is_kept_from_the_second_sighting_and_the_doorkeeper_clears_itself(
    caches: Callable[..., RepeatCache]
) -> None:
    cache = caches(doorkeeper_bits=2**16)
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
        cache.store(Query("a", id="1"), '{"id":"2","name":"a","matches":[]}', False)


def test_a_survey_keeps_a_repeated_line_from_its_first_sighting(
    screener: Screener, caches: Callable[..., RepeatCache]
) -> None:
    fillers = [Query(f"Filler Trading {chr(65 + i // 26)}{chr(65 + i % 26)}", id=f"f{i}") for i in range(CHUNK)]
    again = [Query("Mitsubishi Heavy Industries", id="first"), Query("Mitsubishi Heavy Industries", id="again")]
    queries = [again[0], *fillers, again[1]]
    for surveyed in (False, True):
        cache = caches()
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
    assert len(off) == len(on) == 0  # the batch over, the temporary file is deleted
    # 0: nothing kept (every repeat beyond its unit screened again), memory flat; 0.5 MB: the repeats kept
    assert (off.max_bytes, off.hits) == (0, 0)
    assert on.max_bytes == 2**19 and on.hits == 0 and on.joined == 6
    refused = CliRunner().invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--repeat-cache-mb", "-1"])
    assert refused.exit_code == 2


def test_the_cli_says_when_repeats_could_not_be_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("id", "name"), *((f"r{i}", NAMES[i % 2]) for i in range(8))])
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--top", "3",
                                      "--output", str(output), "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in output.read_text("utf-8").splitlines()] == [f"r{i}" for i in range(8)]
    assert "could not be kept on disk" in result.output and "no-such-folder" in result.output
