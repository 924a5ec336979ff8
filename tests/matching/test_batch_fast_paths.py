"""The batch's fast paths give exactly what the plain paths give: JSON lines built in the workers, listings and
fingerprints kept per party, word comparisons shared between keys that differ only in how the name is written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from techguard.lists.model import Name, NameType, Party, PartyKind
from techguard.matching import Query, Screener
from techguard.matching.batch import ResultWriter, result_record, screen_lines, screen_stream
from techguard.matching.hits import SnapshotRef, _fingerprint, entry_fingerprint, json_default, listing_of

NAMES = ["Mitsubishi Heavy Industries", "BARR, Kathryn", "Russian Digital Solutions", "Nobody Known", "三菱重工業",
         "Acme Trading Co Ltd", "ACME TRADING"]  # fmt: skip


def _party(source: str, source_id: str, name: str, *aliases: str) -> Party:
    return Party(source=source, source_id=source_id, list=source, kind=PartyKind.ORGANISATION, name=name,
                 names=tuple(Name(a, NameType.AKA) for a in aliases), countries=("CN",))  # fmt: skip


@pytest.mark.parametrize("workers", [1, 2])
def test_lines_are_what_the_writer_writes_from_the_matches(screener: Screener, tmp_path: Path, workers: int) -> None:
    queries = [Query(name, id=f"q{i}") for i, name in enumerate(NAMES)]
    writer = ResultWriter(tmp_path / "plain.jsonl", 3)
    alerts = []
    for query, matches in screen_stream(screener, queries, top=3, min_score=0.3, workers=1):
        writer.write(query, matches)
        alerts.append(any(m.alert for m in matches))
    writer.close()
    expected = (tmp_path / "plain.jsonl").read_text("utf-8").splitlines()
    got = list(screen_lines(screener, queries, top=3, min_score=0.3, workers=workers))
    assert [line for _, line, _ in got] == expected
    assert [alerted for _, _, alerted in got] == alerts
    assert [query.id for query, _, _ in got] == [f"q{i}" for i in range(len(NAMES))]
    assert any(json.loads(line)["matches"] for line in expected)  # the comparison is not between empty results


def test_a_name_listed_by_two_sources_keeps_each_written_form() -> None:
    # the two keys have the same words, so the second comparison is the first's; the names stay their own
    first = _party("src_a", "1", "ACME TRADING CO., LTD.")
    second = _party("src_b", "2", "Acme Trading Co Ltd")
    screener = Screener.build([first, second])
    matches = screener.screen(Query("Acme Trading Company Limited"), top=5)
    matched = {m.party.source: m.matched_name for m in [*matches, *(r for m in matches for r in m.related)]}
    assert matched == {"src_a": "ACME TRADING CO., LTD.", "src_b": "Acme Trading Co Ltd"}
    record = result_record(Query("Acme Trading Company Limited"), matches)
    assert {r["matched_name"] for r in record["matches"]} == {"ACME TRADING CO., LTD.", "Acme Trading Co Ltd"}


def test_fingerprints_and_listings_follow_the_party_object() -> None:
    party = _party("src_a", "1", "ACME TRADING", "ACME TRADE")
    assert entry_fingerprint(party) == _fingerprint(party)
    changed = dataclasses.replace(party, names=(Name("ACME TRADING HK", NameType.AKA),))
    assert entry_fingerprint(changed) == _fingerprint(changed) != entry_fingerprint(party)
    assert listing_of(party) is listing_of(party)  # kept
    assert listing_of(changed).entry_hash != listing_of(party).entry_hash
    with_snapshot = listing_of(party, {"src_a": SnapshotRef("snap-1", "ab" * 32, "2026-01-01")})
    assert with_snapshot.snapshot_id == "snap-1" and listing_of(party).snapshot_id == ""


def test_a_shared_explanation_is_written_like_its_plain_copy(screener: Screener) -> None:
    # the batch's JSON lines keep the matches' own explanation dicts (no copy): the text must be what the
    # copied record gives, also for a value JSON cannot write as it is (an enum, a set)
    query = Query("Mitsubishi Heavy Industries", id="q1")
    matches = screener.screen(query, top=3)
    assert matches
    odd_values = {"odd": {PartyKind.PERSON, "x"}, "kind": PartyKind.PERSON}
    odd = dataclasses.replace(matches[0], explanation={**matches[0].explanation, **odd_values})
    for chosen in (matches, [odd, *matches[1:]]):
        copied = json.dumps(result_record(query, chosen, 3), ensure_ascii=False)
        record = result_record(query, chosen, 3, shared=True)
        shared = json.dumps(record, ensure_ascii=False, default=json_default)
        assert shared == copied
    # the text has the enum's value, and the match's own explanation was not changed in place
    assert '"kind": "person"' in shared and odd.explanation["kind"] is PartyKind.PERSON


def test_a_long_batch_prepares_what_its_workers_share_and_writes_the_same_lines(
    screener: Screener, tmp_path: Path
) -> None:
    from techguard.matching import batch
    from techguard.matching.repeat_cache import RepeatCache

    queries = [Query(name, id=f"q{i}") for i, name in enumerate(NAMES)]
    expected = [line for _, line, _ in screen_lines(screener, queries, top=3, min_score=0.3, workers=1)]
    with RepeatCache() as cache:
        cache.surveyed = batch.CHUNK * batch.WORKER_CHUNKS  # as long as a worker's life: prepared
        got = [line for _, line, _ in screen_lines(screener, queries, top=3, min_score=0.3, workers=2, cache=cache)]
    assert got == expected
    assert len(screener._signatures) == len(screener.parties)  # every party's, filled in the parent
