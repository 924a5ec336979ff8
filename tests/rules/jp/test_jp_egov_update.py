"""e-Gov XML parser and the ``rules update --jp`` downloader, on hand-made fixtures in e-Gov's structure."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from techguard.rules.jp.egov import (
    EgovXmlError,
    appendix3_3_items,
    kanji_number,
    normalise_number,
    parse_export_order,
)
from techguard.rules.jp.tables import TABLE_FILES, TableError, load_tables
from techguard.rules.jp.update import UpdateError, decode_law_data, update_tables

FIXTURES = Path(__file__).parents[2] / "fixtures" / "rules" / "jp"
XML = FIXTURES / "export_order_small.xml"
RESPONSE = FIXTURES / "law_data_324CO0000000378.json"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("一〇", 10),
        ("一六", 16),
        ("十", 10),
        ("十三", 13),
        ("二十一", 21),
        ("五十二", 52),
        ("１２", 12),
    ],
)
def test_kanji_number(text: str, number: int) -> None:
    assert kanji_number(text) == number


def test_normalise_number() -> None:
    assert normalise_number("十三の二") == "13の2"
    assert normalise_number("５の２") == "5の2"
    with pytest.raises(ValueError):
        kanji_number("項")


def test_parse_fixture_rows() -> None:
    law = parse_export_order(
        XML.read_bytes(), source=str(XML), revision_id="324CO0000000378_20260214_507CO0000000376"
    )
    labels = [r.label for r in law.appendix1]
    assert labels == [
        "2の項",
        "2の項（1）",
        "2の項（10の2）",
        "2の項（12）",
        "2の項（12）1",
        "2の項（12）2",
        "7の項（21）",
        "8の項",
        "16の項（1）",
        "16の項（1）10",
        "16の項（2）",
    ]
    rows = {r.label: r for r in law.appendix1}
    assert rows["7の項（21）"].text == "燐、砒素又はアンチモンの水素化物"  # ruby readings dropped
    assert rows["16の項（2）"].region == "全地域（別表第三に掲げる地域を除く。）"
    assert law.group_a == ("AR", "KR", "GB", "US")
    assert law.un_arms_embargo == ("CF", "CD", "LY", "KP")
    assert law.concern == ("IR", "IQ", "KP")
    assert law.text_date == "2026-02-14"
    by_notice, whole = appendix3_3_items(law.appendix3_3_text)
    assert by_notice == (
        "5の項（14）",
        "5の項（18）",
        "7の項（2）",
        "7の項（15）",
        "8の項",
        "10の項（9の2）",
        "10の項（11）",
    )
    assert whole == ("15の項",)


def test_parser_names_file_and_problem() -> None:
    broken = XML.read_text(encoding="utf-8").replace(
        '<AppdxTableTitle WritingMode="vertical">別表第四', "<AppdxTableTitle>別表第九"
    )
    with pytest.raises(EgovXmlError, match=r"fixture\.xml: no AppdxTable titled '別表第四'"):
        parse_export_order(broken.encode(), source="fixture.xml")
    with pytest.raises(EgovXmlError, match="not well-formed"):
        parse_export_order(b"<Law><LawBody>", source="fixture.xml")
    unknown = XML.read_text(encoding="utf-8").replace("アルゼンチン、", "ナルニア、")
    with pytest.raises(EgovXmlError, match="別表第三: unknown country 'ナルニア'"):
        parse_export_order(unknown.encode(), source="fixture.xml")


def test_response_fixture_carries_the_xml_fixture() -> None:
    data = json.loads(RESPONSE.read_text(encoding="utf-8"))
    assert base64.b64decode(data["law_full_text"]) == XML.read_bytes()


def mock_client(handler: httpx.MockTransport) -> httpx.Client:
    return httpx.Client(transport=handler)


def test_update_tables_downloads_parses_and_writes(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, content=RESPONSE.read_bytes(), headers={"Content-Type": "application/json"}
        )

    # the fixture has 11 rows; the real-data guard (100 rows) is checked in the next test
    with pytest.raises(UpdateError, match="only 11 別表第一 rows"):
        update_tables(mock_client(httpx.MockTransport(handler)), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    request = seen[0]
    assert request.url.host == "laws.e-gov.go.jp"
    assert request.url.path == "/api/2/law_data/324CO0000000378"
    assert request.url.params["law_full_text_format"] == "xml"


def test_update_tables_with_real_sized_law(tmp_path: Path, shared: Path) -> None:
    xml = (shared / "rules" / "egov_xml" / "324CO0000000378_20260214_507CO0000000376.xml").read_bytes()
    payload = {
        "revision_info": {"law_revision_id": "324CO0000000378_20260214_507CO0000000376"},
        "law_full_text": base64.b64encode(xml).decode(),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    written = update_tables(mock_client(httpx.MockTransport(handler)), tmp_path)
    assert sorted(Path(p).name for p in written) == sorted(TABLE_FILES)
    tables = load_tables(tmp_path)
    assert len(tables.appendix1) == 330
    assert tables.dates["jp_export_order_appendix1"] == "2026-02-14"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b"oops", "HTTP 500"),
        (200, b"<html>", "not JSON"),
        (200, json.dumps({"law_full_text": "eA=="}).encode(), "revision_info.law_revision_id"),
        (
            200,
            json.dumps({"revision_info": {"law_revision_id": "x_20260101_y"}}).encode(),
            "'law_full_text' missing",
        ),
        (
            200,
            json.dumps(
                {"revision_info": {"law_revision_id": "x_20260101_y"}, "law_full_text": "***"}
            ).encode(),
            "neither XML nor base64",
        ),
        (
            200,
            json.dumps(
                {
                    "revision_info": {"law_revision_id": "x_20260101_y"},
                    "law_full_text": base64.b64encode(
                        "<Law><LawBody><LawTitle>民法</LawTitle></LawBody></Law>".encode()
                    ).decode(),
                }
            ).encode(),
            "expected 輸出貿易管理令",
        ),
    ],
)
def test_update_refuses_bad_responses(tmp_path: Path, status: int, body: bytes, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    with pytest.raises(UpdateError, match=message):
        update_tables(mock_client(httpx.MockTransport(handler)), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_decode_accepts_plain_xml_text() -> None:
    payload = json.dumps({"revision_info": {"law_revision_id": "r"}, "law_full_text": "<Law/>"}).encode()
    assert decode_law_data(payload, url="u") == ("r", b"<Law/>")


def test_load_tables_names_missing_file_and_field(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="rule table missing"):
        load_tables(tmp_path / "none")
    for name in TABLE_FILES:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(TableError, match="field 'rows' missing"):
        load_tables(tmp_path)


def test_updated_tables_in_the_data_dir_are_used(data_dir: Path, shared: Path) -> None:
    from techguard.rules.jp import jp_tables_as_of

    xml = (shared / "rules" / "egov_xml" / "324CO0000000378_20260214_507CO0000000376.xml").read_bytes()
    payload = {
        # a later revision id: the tables written from it carry its date
        "revision_info": {"law_revision_id": "324CO0000000378_20260605_508CO0000000001"},
        "law_full_text": base64.b64encode(xml).decode(),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    assert jp_tables_as_of()["jp_export_order_appendix1"] == "2026-02-14"  # packaged
    written = update_tables(mock_client(httpx.MockTransport(handler)))
    assert all(Path(p).parent == data_dir / "rules" / "jp" for p in written)
    assert jp_tables_as_of()["jp_export_order_appendix1"] == "2026-06-05"


def test_tables_are_reread_after_an_update(tmp_path: Path) -> None:
    from techguard.rules.jp.tables import PACKAGE_DATA

    for name in TABLE_FILES:
        (tmp_path / name).write_bytes((PACKAGE_DATA / name).read_bytes())
    before = load_tables(tmp_path)
    document = json.loads((tmp_path / "export_order_destinations.json").read_text(encoding="utf-8"))
    document["concern"]["countries"].append("SY")
    (tmp_path / "export_order_destinations.json").write_text(
        json.dumps(document, ensure_ascii=False), encoding="utf-8"
    )
    after = load_tables(tmp_path)
    assert "SY" not in before.concern and "SY" in after.concern


def test_update_adds_a_version_and_keeps_the_previous_one(tmp_path: Path, shared: Path) -> None:
    # issue 10: an update never overwrites: the set already there is kept under versions/<its text date>/.
    from techguard.rules.jp.tables import PACKAGE_DATA
    from techguard.rules.table_versions import choose, kept_versions

    for name in TABLE_FILES:  # an earlier set, re-dated 2025-06-01
        data = json.loads((PACKAGE_DATA / name).read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False).replace('"2026-02-14"', '"2025-06-01"')
        (tmp_path / name).write_text(text, encoding="utf-8")
    xml = (shared / "rules" / "egov_xml" / "324CO0000000378_20260214_507CO0000000376.xml").read_bytes()
    payload = {
        "revision_info": {"law_revision_id": "324CO0000000378_20260214_507CO0000000376"},
        "law_full_text": base64.b64encode(xml).decode(),
    }
    update_tables(
        mock_client(httpx.MockTransport(lambda request: httpx.Response(200, json=payload))), tmp_path
    )
    (kept,) = kept_versions(tmp_path, TABLE_FILES)
    assert kept.name == "2025-06-01"
    sets = [load_tables(tmp_path), load_tables(kept)]
    candidates = [(t.dates["jp_export_order_appendix1"], t) for t in sets]
    import datetime as dt

    assert choose(dt.date(2025, 12, 1), candidates).dates["jp_export_order_appendix1"] == "2025-06-01"
    assert choose(dt.date(2026, 11, 27), candidates).dates["jp_export_order_appendix1"] == "2026-02-14"
