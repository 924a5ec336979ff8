from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.catalogue import store
from techguard.catalogue.model import Catalogue, CatalogueError
from techguard.catalogue.search import MAX_QUERY_CHARS, Searcher, read_queries, tokens


def test_tokens_cover_japanese_and_english() -> None:
    words = tokens("希釈冷凍機 with field-programmable gate arrays")
    assert "field-programmable" in words and "array" in words and "冷凍" in words


def test_japanese_query_reaches_the_ccl_and_english_the_japanese_items(searcher: Searcher) -> None:
    ja = searcher.search("入出力ピン数1,000以上のフィールドプログラマブルゲートアレイ", top=5)
    assert ja.candidates[0].eccn.startswith("3A001") and ja.candidates[0].jp_item == "7の項（1）"
    en = searcher.search("dilution refrigerator reaching 10 mK", top=5)
    assert any(c.eccn.startswith("3A904") for c in en.candidates)
    assert any(c.jp_item == "7の項（15の3）" for c in en.candidates)


def test_query_numbers_are_checked_against_thresholds(searcher: Searcher) -> None:
    answer = searcher.search("12-bit ADC at 6.4 GS/s", top=5, lang="en")
    checks = [p for c in answer.candidates for p in c.parameters if p["unit"] == "Sa/s"]
    assert any(p["result"] == "meets" for p in checks)
    slow = searcher.search("12-bit ADC at 100 MS/s", top=5, lang="en")
    slow_checks = [p for c in slow.candidates for p in c.parameters if p["unit"] == "Sa/s" and p["comparator"] == ">"]
    assert slow_checks and all(p["result"] == "fails" for p in slow_checks if p["value"] >= 4e8)


def test_every_candidate_explains_itself(searcher: Searcher) -> None:
    answer = searcher.search("FLIR thermal camera 640x480 30 Hz", top=3)
    assert answer.candidates[0].eccn.startswith("6A003")
    assert all(c.why for c in answer.candidates)


def test_not_listed_is_a_suggestion_with_nearest_entries(searcher: Searcher) -> None:
    answer = searcher.search("office desk and chairs for the new lab", top=3)
    assert answer.not_listed_suggested
    assert answer.candidates  # nearest entries are still shown
    assert "officer" in answer.message and "EAR99" in answer.message
    listed = searcher.search("live culture of Bacillus anthracis", top=3)
    assert not listed.not_listed_suggested


@pytest.mark.parametrize("query", ["", "   ", "x" * (10 * 1024 * 1024)])
def test_bad_queries_get_clear_errors(searcher: Searcher, query: str) -> None:
    with pytest.raises(CatalogueError, match=r"empty query|too long"):
        searcher.search(query)


def test_csv_without_query_column_is_named() -> None:
    with pytest.raises(CatalogueError, match=r"q\.csv, line 1: no 'query' column"):
        read_queries(b"id,text\n1,x\n", "q.csv")
    rows = read_queries("\ufeffid,query\nA,ＦＰＧＡ\n".encode(), "q.csv")
    assert rows == [("A", "ＦＰＧＡ", 2)]
    assert read_queries("id,query\nB,冷凍機\n".encode("cp932"), "q.csv")[0][1] == "冷凍機"
    assert MAX_QUERY_CHARS < 10 * 1024 * 1024


def test_classify_cli_batch_writes_one_object_per_row_in_order(
    data_dir: Path, real_catalogue: Catalogue, tmp_path: Path
) -> None:
    from techguard.cli import app

    store.save(real_catalogue)
    queries = tmp_path / "queries.csv"
    queries.write_text("id,query\nb,GaN HEMT MMIC 30 GHz\na,\nc,卓上型のPCRサーマルサイクラー\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["classify", str(queries), "--top", "3", "--output", str(out)])
    assert result.exit_code == 1  # one row had an empty query
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["b", "a", "c"]
    assert set(records[0]["candidates"][0]) == {"eccn", "jp_item", "jp_article", "score", "text", "parameters", "why"}
    assert "line 3, field 'query'" in records[1]["error"]
    assert records[2]["not_listed_suggested"] is True
    single = CliRunner().invoke(app, ["classify", "GaN HEMT MMIC 30 GHz", "--format", "json", "--top", "2"])
    assert single.exit_code == 0 and json.loads(single.output)["candidates"][0]["eccn"].startswith("3A001")
    bad = CliRunner().invoke(app, ["classify", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2


def test_failed_thresholds_bring_in_the_ccl_catch_basin_entry(searcher: Searcher) -> None:
    answer = searcher.search("GaN MMIC amplifier 2 GHz", top=5, lang="en")
    basin = [c for c in answer.candidates if c.eccn.startswith("3A992")]
    assert basin and any("not controlled by 3A002" in why for why in basin[0].why)
    fast = searcher.search("GaN MMIC amplifier 30 GHz", top=5, lang="en")
    assert not any(c.eccn.startswith("3A992") for c in fast.candidates[:2])


def test_british_spelling_reaches_the_ccl_and_blocks_not_listed_for_category_1(searcher: Searcher) -> None:
    answer = searcher.search("Toray T1100G carbon fibre spool", top=5)
    assert answer.candidates[0].eccn.startswith("1C010") and not answer.not_listed_suggested


def test_a_count_below_the_threshold_leads_to_the_catch_basin(searcher: Searcher) -> None:
    small = searcher.search("Xilinx Artix-7 FPGA with 300 user I/O", top=5, lang="en")
    assert small.candidates[0].eccn.startswith("3A991")
    big = searcher.search("Virtex FPGA with 2,000 user I/O", top=5, lang="en")
    assert big.candidates[0].eccn.startswith("3A001")


def test_officer_confirmed_classifications_feed_later_searches(data_dir: Path, real_catalogue: Catalogue) -> None:
    from techguard.catalogue import search
    from techguard.catalogue.confirmations import classification_for, record_classification

    store.save(real_catalogue)
    catalogue = store.load()
    description = "Kestrel-9 photon counting module for our beamline"
    before = search.current_searcher().search(description, top=5)
    assert not before.candidates or not before.candidates[0].eccn.startswith("6A002")
    record_classification(catalogue, classification_for(catalogue, description, "6A002", "10の項（2）",
                                                        "single-photon detector array", "Sato"))
    after = search.current_searcher().search("Kestrel-9 photon counting module", top=5)
    assert after.candidates[0].eccn.startswith("6A002")
    assert any("officer-confirmed" in why and "Sato" in why for why in after.candidates[0].why)
