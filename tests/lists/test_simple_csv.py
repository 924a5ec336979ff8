"""``simple_csv``: techguard's watch-list CSV in UTF-8, UTF-8 with BOM and CP932, with line/field errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.simple_csv import parse_simple_csv
from techguard.lists.model import Name, NameType, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"
JAPANESE = (
    "id,name,aliases,kind,countries\r\n"
    "J-1,株式会社テスト精機,テスト精機;Test Seiki Co.,法人,日本\r\n"
    "J-2,鈴木 一郎,Ichiro Suzuki,個人,JP;中国\r\n"
    'J-3,東亜貿易,"Toa Trading, Ltd.",団体,香港\r\n'
)


def write(tmp_path: Path, text: str, encoding: str, name: str = "watch.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_fixture_parses_into_parties() -> None:
    result = parse_simple_csv([FIXTURES / "watchlist.csv"])
    assert [p.source_id for p in result.parties] == ["W-001", "W-002", "W-003", "W-004"]
    first, second, third, fourth = result.parties
    assert first.kind is PartyKind.ORGANISATION and first.countries == ("CN", "HK")
    assert first.names == (
        Name("Example Trading", NameType.AKA),
        Name("株式会社エグザンプル商事", NameType.AKA),
    )
    assert first.extra == {"note": "in-house denial 2025-04"}
    assert second.name == "山田 太郎" and second.kind is PartyKind.PERSON and second.countries == ("JP",)
    assert third.name == "Blue Ocean Shipping, Inc." and third.names == () and third.countries == ("SG",)
    assert fourth.kind is PartyKind.VESSEL and fourth.countries == ()
    assert {p.source for p in result.parties} == {"custom"}
    assert result.counts == {"rows": 4} and result.warnings == ()


@pytest.mark.parametrize(("encoding", "warned"), [("utf-8", False), ("utf-8-sig", False), ("cp932", True)])
def test_japanese_names_in_every_supported_encoding(tmp_path: Path, encoding: str, warned: bool) -> None:
    result = parse_simple_csv([write(tmp_path, JAPANESE, encoding)])
    names = [p.name for p in result.parties]
    assert names == ["株式会社テスト精機", "鈴木 一郎", "東亜貿易"]
    assert result.parties[0].names[0].value == "テスト精機"
    assert result.parties[0].kind is PartyKind.ORGANISATION
    assert result.parties[1].countries == ("JP", "CN")
    assert result.parties[2].names == (Name("Toa Trading, Ltd.", NameType.AKA),)
    assert result.parties[2].countries == ("HK",)
    assert any("CP932" in w for w in result.warnings) is warned


def test_excel_quoting_with_line_breaks_keeps_line_numbers_right(tmp_path: Path) -> None:
    text = 'id,name,aliases\n1,"Alpha ""A"" Co.","line one\nline two"\n2,,\n'
    with pytest.raises(ListFormatError) as caught:
        parse_simple_csv([write(tmp_path, text, "utf-8")])
    assert caught.value.line == 4 and caught.value.field == "name"
    ok = parse_simple_csv([write(tmp_path, text.replace("2,,", "2,Bravo,"), "utf-8")])
    assert ok.parties[0].name == 'Alpha "A" Co.'
    assert [n.value for n in ok.parties[0].names] == ["line one\nline two"]


def test_only_id_and_name_are_required(tmp_path: Path) -> None:
    result = parse_simple_csv([write(tmp_path, "name,id\nAlpha,1\n\nBravo,2\n", "utf-8")])
    assert [(p.source_id, p.name, p.kind) for p in result.parties] == [
        ("1", "Alpha", PartyKind.UNKNOWN),
        ("2", "Bravo", PartyKind.UNKNOWN),
    ]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("name,aliases\nAlpha,A\n", 1, "id", "'id' column"),
        ("id,name\n,Alpha\n", 2, "id", "id is empty"),
        ("id,name\n1,Alpha\n2,\n", 3, "name", "name is empty"),
        ("id,name,kind\n1,Alpha,robot\n", 2, "kind", "unknown kind 'robot'"),
        ("id,name,countries\n1,Alpha,JP;Atlantis\n", 2, "countries", "unknown country 'Atlantis'"),
        ("id,name\n1,Alpha\n2,Bravo\n1,Again\n", 4, "id", "duplicate id '1' (also on line 2)"),
        ("id,name\n1,Alpha,extra\n", 2, None, "3 fields but the header has 2"),
        ("", 1, None, "empty"),
    ],
)
def test_bad_input_names_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, message: str
) -> None:
    path = write(tmp_path, text, "utf-8")
    with pytest.raises(ListFormatError) as caught:
        parse_simple_csv([path])
    error = caught.value
    assert error.path == path and error.line == line and error.field == field
    assert message in str(error) and str(path) in str(error)


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    first = write(tmp_path, "id,name\nX,Alpha\n", "utf-8", "a.csv")
    second = write(tmp_path, "id,name\nY,Bravo\nX,Again\n", "utf-8", "b.csv")
    with pytest.raises(
        ListFormatError, match=r"b\.csv, line 3, field 'id': duplicate id 'X' \(also on a\.csv line 2\)"
    ):
        parse_simple_csv([first, second])


def test_undecodable_bytes_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"id,name\n1,\x80\xff\xfe\n")
    with pytest.raises(ListFormatError, match="not UTF-8, UTF-8 with BOM or CP932") as caught:
        parse_simple_csv([path])
    assert caught.value.line == 2


def test_registered_as_simple_csv() -> None:
    fmt = get_format("simple_csv")
    assert fmt.parse is parse_simple_csv and fmt.default_source == "custom"


def test_invalid_cp932_sequences_are_an_error_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,name\n1,ok\n2,\x81\x7f\n")
    with pytest.raises(ListFormatError, match="not UTF-8") as caught:
        parse_simple_csv([path])
    assert caught.value.line == 3
