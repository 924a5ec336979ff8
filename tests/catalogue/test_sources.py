from __future__ import annotations

from techguard.catalogue import jp, us
from techguard.catalogue.model import Catalogue

from .conftest import FIXTURES


def test_ecfr_xml_paragraphs_have_parent_chains_notes_and_parameters() -> None:
    raws = us.raw_from_ecfr_xml((FIXTURES / "ecfr_774_sample.xml").read_bytes(), location="fixture")
    assert [r.eccn for r in raws] == ["3A001", "3A991"]
    entries = {e.key: e for e in us.ccl_entries(raws, source="ccl", as_of="2026-07-23")}
    dose = entries["3A001.a.1.a"]
    assert dose.parents == ("us:3A001", "us:3A001.a", "us:3A001.a.1")
    assert dose.reasons == ("NS", "RS", "MT", "NP", "AT")
    assert dose.parameters[0].value == 5000.0 and dose.parameters[0].comparator == ">="
    assert [n for n in dose.notes if "Metal Insulator" in n] == [
        "3A001.a.1.c does not apply to Metal Insulator Semiconductors (MIS)."]  # once, not per wrapper
    assert entries["3A001.b.3"].parameters[0].value == 2.7e9
    assert entries["3A001"].notes == ("Related controls: See also 3A101, 3A201.",)
    assert len({e.content_hash for e in entries.values()}) == len(entries)


def test_kamotsu_xml_items_carry_article_item_and_ruby_is_dropped() -> None:
    nodes = jp.ordinance_from_xml((FIXTURES / "kamotsu_sample.xml").read_bytes(), location="fixture")
    rows = {"7の項（1）": "集積回路", "7の項（2）": "マイクロ波用機器", "8の項": "電子計算機"}
    entries = {e.key: e for e in jp.ordinance_entries(nodes, rows=rows, as_of="2026-02-14")}
    gaas = entries["第6条第1号ロ"]
    assert gaas.text.startswith("砒化ガリウム")  # the reading ひ is not part of the law's words
    assert gaas.jp_item == "7の項（1）" and gaas.parents == ("jp:ordinance:第6条", "jp:ordinance:第6条第1号")
    assert gaas.parameters[0].value == 2.7e9
    assert entries["第7条第1号"].jp_item == "8の項"
    assert entries["第7条第1号"].parameters[0].value == 0.1


def test_fx_order_xml_rows_are_read_with_the_export_order_row_reader() -> None:
    entries, _ = jp.fx_order_from_xml((FIXTURES / "fx_order_sample.xml").read_bytes(), location="fixture",
                                      revision_id="355CO0000000260_20260605_x")
    keys = [e.key for e in entries]
    assert keys == ["外為令1の項", "外為令7の項（1）", "外為令7の項（2）"]
    assert entries[0].as_of == "2026-06-05"


def test_real_sources_build_a_catalogue_at_paragraph_level(real_catalogue: Catalogue) -> None:
    entries = real_catalogue.entries
    assert "us:3A001.b.3" in entries and entries["us:3A001.b.3"].reasons[0] == "NS"
    assert entries["jp:export_order:7の項（1）"].text.startswith("集積回路")
    art = entries["jp:ordinance:第6条第1号イ"]
    assert art.jp_item == "7の項（1）" and art.source == "kamotsu_ordinance"
    # 第1条第35号 (filament winding) is not 2の項（35） (vacuum pumps): tied by wording, not by number
    assert "フィラメントワインディング" in entries[f"jp:export_order:{entries['jp:ordinance:第1条第35号'].jp_item}"].text
    assert entries["jp:ordinance:第15条第2項"].jp_item == "外為令2の項（2）"
    counts = real_catalogue.counts()
    assert counts["eccns"] >= 630 and counts["export_order"] == 330 and counts["ordinance"] > 3000
    assert {s.name: s.as_of for s in real_catalogue.sources}["kamotsu_ordinance"] == "2026-02-14"
