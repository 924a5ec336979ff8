"""METI End User List: official Excel workbook and the third-party JSON parse."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.meti_eul import (
    concern_letters,
    join_wrapped,
    parse_meti_eul_json,
    parse_meti_eul_xlsx,
    split_alias_cell,
)
from techguard.lists.model import Name, NameType

HEADER = (
    "No.",
    "国名、地域名\nCountry or Region",
    "企業名､組織名\nCompany or Organization",
    "別名\nAlso Known As",
    "懸念区分\nType of WMD",
    "通常兵器\nConventional Weapons",
)


def _workbook(tmp_path: Path, rows: list[tuple[object, ...]], header: tuple[str, ...] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "20250929_4.xlsx"
    book.save(path)
    return path


ODD_ROWS: list[tuple[object, ...]] = [
    (
        "=ROW()-1",
        "北朝鮮\nNorth Korea",
        "Air Koryo\n(高麗航空)",
        "・Airkoryo\n\n・Korea Air\u3000Lines\n（朝鮮航空）",
        "ミサイル\nM",
        None,
    ),
    (None, None, None, None, None, None),  # a blank row METI sometimes leaves
    (
        "=ROW()-1",
        "中国\nPeople's Republic of China",
        "Beijing Test Institute\n（北京試験研究所）",
        "・Very Long Alias Name That\nWraps Onto A Second Line\n・北京测试有限公司\n・テスト・カンパニー",
        "生物、化学\u3000B,C",
        "通常兵器\nCW",
    ),
    ("=ROW()-1", "北朝鮮\nNorth Korea", "セソン技術貿易", None, "核\nＮ", None),
    (5, "イラン\nIslamic Republic of Iran", "Self-\nSufficiency Org", None, "ミサイルM", None),
]


def test_odd_cells(tmp_path: Path) -> None:
    result = parse_meti_eul_xlsx([_workbook(tmp_path, ODD_ROWS)])
    assert result.publisher_date == "2025-09-29"
    first, second, third, fourth = result.parties
    assert first.source_id == "eul-1"
    assert first.name == "Air Koryo"
    assert first.names == (
        Name("高麗航空", NameType.JAPANESE, "ja"),
        Name("Airkoryo", NameType.AKA),
        Name("Korea Air Lines", NameType.AKA),  # the full-width space became one ASCII space
        Name("朝鮮航空", NameType.JAPANESE, "ja"),
    )
    assert first.countries == ("KP",)
    assert first.addresses[0].country_name == "北朝鮮 / North Korea"
    assert first.programs == ("M",)

    assert second.source_id == "eul-3"  # =ROW()-1 on sheet row 4 (the blank row keeps its number)
    assert third.source_id == "eul-4"
    assert second.names == (
        Name("北京試験研究所", NameType.JAPANESE, "ja"),
        Name("Very Long Alias Name That Wraps Onto A Second Line", NameType.AKA),
        Name("北京测试有限公司", NameType.CHINESE, "zh"),  # Han only, party in China: its own Chinese name
        Name("テスト・カンパニー", NameType.JAPANESE, "ja"),
    )
    assert second.programs == ("B", "C", "CW")

    assert third.name == "セソン技術貿易" and third.names == ()
    assert third.programs == ("N",)  # full-width Ｎ
    assert fourth.source_id == "eul-5" and fourth.name == "Self-Sufficiency Org" and fourth.programs == ("M",)
    assert result.counts["blank_rows"] == 1
    assert result.warnings == ("1 blank row(s) skipped",)
    assert result.counts["entries"] == 4
    assert result.counts["aliases"] == 5
    assert result.counts["japanese_renderings"] == 2
    assert result.counts["japanese_only_names"] == 1


def test_repeated_number_is_refused(tmp_path: Path) -> None:
    rows = [
        ("=ROW()-1", "北朝鮮\nNorth Korea", "A", None, "M", None),
        (1, "北朝鮮\nNorth Korea", "B", None, "M", None),
    ]
    with pytest.raises(ListFormatError, match="repeated"):
        parse_meti_eul_xlsx([_workbook(tmp_path, rows)])


def test_missing_header_column_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [], header=("No.", "Country", "Company", "Also Known As"))
    with pytest.raises(ListFormatError, match="lacks the column") as err:
        parse_meti_eul_xlsx([path])
    assert err.value.line == 1


def test_unknown_concern_letter_names_row_and_field(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [("=ROW()-1", "Iran", "X Co", None, "ミサイル\nQ", None)])
    with pytest.raises(ListFormatError, match="unknown concern code 'Q'") as err:
        parse_meti_eul_xlsx([path])
    assert err.value.record == "No. 1" and err.value.field == "Type of WMD"


def test_missing_name_and_missing_concern_are_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [("=ROW()-1", "Iran", None, "・Alias", "M", None)])
    with pytest.raises(ListFormatError, match="no company") as err:
        parse_meti_eul_xlsx([path])
    assert err.value.line == 2
    path = _workbook(tmp_path, [("=ROW()-1", "Iran", "X Co", None, None, None)])
    with pytest.raises(ListFormatError, match="no type of concern"):
        parse_meti_eul_xlsx([path])


def test_bad_number_cell_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [("one", "Iran", "X Co", None, "M", None)])
    with pytest.raises(ListFormatError, match=r"No\. is 'one'"):
        parse_meti_eul_xlsx([path])


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"not a readable \.xlsx"):
        parse_meti_eul_xlsx([path])


def test_helpers() -> None:
    assert concern_letters("生物、化学、ミサイル、核\nB,C,M,N", Path("x"), "r", "f") == ["B", "C", "M", "N"]
    assert concern_letters("ミサイル、核\nM、N", Path("x"), "r", "f") == ["M", "N"]
    assert join_wrapped("第二十", "三研究所") == "第二十三研究所"
    assert join_wrapped("Nauchno-", "Proizvodstvennoe") == "Nauchno-Proizvodstvennoe"
    (alias,) = split_alias_cell("・China Academy Second\n中国航天第二研究院")
    assert alias.text == "China Academy Second" and alias.renderings == ["中国航天第二研究院"]


def _json(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "jp.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _record(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "jp-eul-7",
        "entity_name": "Air Koryo (高麗航空)",
        "aliases": ["Airkoryo", "Korea Airways (朝鮮航空)"],
        "addresses": ["North Korea"],
        "entity_type": "organization",
        "reason": "大量破壊兵器等の懸念: ミサイル M; 通常兵器の懸念: CW",
        "date_added": None,
        "source_url": "https://www.meti.go.jp/x.html",
    }
    base.update(overrides)
    return base


def test_json_record(tmp_path: Path) -> None:
    result = parse_meti_eul_json([_json(tmp_path, [_record()])])
    (party,) = result.parties
    assert party.key == "jp_meti_eul:eul-7"
    assert party.name == "Air Koryo"
    assert party.names == (
        Name("高麗航空", NameType.JAPANESE, "ja"),
        Name("Airkoryo", NameType.AKA),
        Name("Korea Airways", NameType.AKA),
        Name("朝鮮航空", NameType.JAPANESE, "ja"),
    )
    assert party.programs == ("M", "CW")
    assert party.countries == ("KP",)
    assert party.source_url == "https://www.meti.go.jp/x.html"


def test_json_name_recovered_from_address(tmp_path: Path) -> None:
    path = _json(
        tmp_path, [_record(entity_name="", addresses=["People's Republic of China BVI Electronics"])]
    )
    result = parse_meti_eul_json([path])
    (party,) = result.parties
    assert party.name == "BVI Electronics"
    assert party.countries == ("CN",)
    assert party.addresses[0].country_name == "People's Republic of China"
    assert result.counts["names_recovered_from_address"] == 1
    assert result.warnings


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        (_record(id="eul-7"), "id", "not jp-eul-<number>"),
        (_record(entity_name="", addresses=["Nowhere Land Co"]), "entity_name", "entity_name is empty"),
        (_record(aliases="Airkoryo"), "aliases", "list of strings"),
        (_record(reason="none given"), "reason", "no type of concern"),
        (_record(entity_type="ship"), "entity_type", "unknown entity_type"),
    ],
)
def test_json_faults(tmp_path: Path, record: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message) as err:
        parse_meti_eul_json([_json(tmp_path, [record])])
    assert err.value.field == field


def test_json_not_an_array(tmp_path: Path) -> None:
    path = tmp_path / "jp.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ListFormatError, match="JSON array"):
        parse_meti_eul_json([path])
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ListFormatError, match="not valid JSON") as err:
        parse_meti_eul_json([path])
    assert err.value.line == 1


def test_registered() -> None:
    assert get_format("meti_eul_xlsx").parse is parse_meti_eul_xlsx
    assert get_format("meti_eul_json").default_source == "jp_meti_eul"


def test_real_workbook(shared: Path) -> None:
    result = parse_meti_eul_xlsx([shared / "lists" / "jp_meti_official_2025" / "20250929_4.xlsx"])
    assert len(result.parties) == result.counts["entries"] == 835
    assert [p.source_id for p in result.parties] == [f"eul-{n}" for n in range(1, 836)]
    assert result.counts["aliases"] == 1424  # bulleted aliases; the JSON parse lost 9 of them
    assert result.counts["japanese_renderings"] == 200
    assert result.counts["japanese_only_names"] == 4
    assert all(p.countries for p in result.parties)
    by_id = {p.source_id: p for p in result.parties}
    assert by_id["eul-1"].name == "Al Qa'ida/Islamic Army"
    assert by_id["eul-1"].programs == ("B", "C", "M", "N", "CW")
    assert by_id["eul-1"].countries == ("AF",)
    assert len(by_id["eul-1"].names) == 8
    assert (
        Name("中国航天科学技術工業集団有限公司第二研究院第二十三研究所", NameType.JAPANESE, "ja")
        in by_id["eul-478"].names
    )


def test_real_json(shared: Path) -> None:
    result = parse_meti_eul_json([shared / "lists" / "jp_meti_end_user_list_2025-09-29"])
    counts = result.counts
    assert len(result.parties) == counts["entries"] == 835
    assert counts["aliases"] == 1415  # strings in the records' aliases arrays
    assert counts["japanese_renderings"] == 199  # primary names written "English (日本語)"
    assert counts["names_recovered_from_address"] == 37
    xlsx_ids = {f"eul-{n}" for n in range(1, 836)}
    assert {p.source_id for p in result.parties} == xlsx_ids
    assert all(p.name and p.countries for p in result.parties)
