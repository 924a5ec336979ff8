"""METI 外為法 export-ban lists: text extractions and the official PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.meti_ban import (
    LIST_BELARUS,
    LIST_RUSSIA,
    LIST_THIRD_COUNTRY,
    address_country,
    parse_ban_text,
    parse_meti_ban_pdf,
    parse_meti_ban_text,
    split_listing,
)
from techguard.lists.model import Name, NameType, Party

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "other" / "ban_third_small_tokutei.txt"


def _names(party_names: tuple[Name, ...], kind: NameType) -> list[str]:
    return [n.value for n in party_names if n.type is kind]


def test_small_fixture() -> None:
    result = parse_meti_ban_text([FIXTURE])
    assert result.publisher_date == "2025-09-12"  # 最終更新日, not 指定日
    assert [p.source_id for p in result.parties] == [f"{LIST_THIRD_COUNTRY}-{n}" for n in (1, 2, 3, 4)]
    first, second, third, fourth = result.parties
    assert first.name == "有限会社テスト"
    assert first.programs == ("令和五年外務省告示第四百四十七号",)
    assert _names(first.names, NameType.ENGLISH) == ["Test LLC"]
    assert _names(first.names, NameType.JAPANESE) == ["テストエー", "テスト・ビー", "テスト（HK）有限会社"]
    assert _names(first.names, NameType.AKA) == ["Test A", "Test B", "Test (HK) Limited"]
    assert first.countries == ("AM",)  # "Armenia." then entry 2 glued on at a page break
    assert first.addresses[0].full == "1 Main Street, Yerevan, 0026, Armenia"

    assert second.name == "サンプル・トレーディング有限会社"  # found although "２" is glued to "Armenia."
    assert _names(second.names, NameType.CHINESE) == ["山普貿易有限公司"]
    assert _names(second.names, NameType.AKA) == ["Sample Trading Ltd"]  # alias on the "aliases:" line
    assert second.countries == ("CN", "RU")  # "所 在 地 ：" spaced out by the extraction
    assert [a.country_name for a in second.addresses] == ["China", "Russia"]

    assert _names(third.names, NameType.ENGLISH) == ["Example Technology Co LTD"]
    assert _names(third.names, NameType.CHINESE) == ["示例科技有限公司"]
    assert _names(third.names, NameType.JAPANESE) == ["エグザンプル", "イグザンプル・テック"]
    assert _names(third.names, NameType.AKA) == ["Example", "Example Tech"]
    assert len(third.addresses) == 1  # "Suites 50 and 51" is one address

    assert fourth.name == "ノース・カンパニー"
    assert _names(fourth.names, NameType.ENGLISH) == ["North Company"]  # glued to the Japanese name
    assert _names(fourth.names, NameType.AKA) == ["Nord Co"]
    assert fourth.countries == ()  # "St." is not Sao Tome
    assert result.counts["entries"] == 4


def test_missing_entry_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("3 エグザンプル", "X エグザンプル")
    path = tmp_path / "list_daisangoku_tokutei.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ListFormatError, match="entry 3 is missing: numbering jumps to 4") as err:
        parse_meti_ban_text([path])
    assert err.value.line is not None and err.value.line > 20


def test_unknown_title_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x_tokutei.txt"
    path.write_text("○ 何かの一覧\n1 株式会社テスト\nTest Co\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="title names none"):
        parse_meti_ban_text([path])


def test_no_entries_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no numbered entries"):
        parse_ban_text("ロシア連邦の団体（令和四年外務省告示第八十二号）\n", tmp_path / "x.txt")


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "list_belarus_tokutei.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(ListFormatError, match="not a readable PDF"):
        parse_meti_ban_pdf([path])


def test_helpers() -> None:
    assert split_listing("A、B及びC") == ["A", "B", "C"]
    assert split_listing("科学及び技術研究所") == [
        "科学",
        "技術研究所",
    ]  # the law's "及び" is always a list joint
    assert address_country("Koporskoe Highway, House 72, Sosnovy Bor, Russia.") == ("RU", "Russia")
    assert address_country("8 Nikolayeva Street, Novosibirsk, Russia, 630090") == ("RU", "Russia")
    assert address_country("Moscow, 107076 Russia") == ("RU", "Russia")


def test_registered() -> None:
    assert get_format("meti_ban_text").default_source == "jp_meti_ban"
    assert get_format("meti_ban_pdf").parse is parse_meti_ban_pdf


def _numbers(parties: tuple[Party, ...], code: str) -> list[int]:
    return [int(p.extra["number"]) for p in parties if p.list == code]


def test_real_text_snapshots(shared: Path) -> None:
    result = parse_meti_ban_text([shared / "lists" / "jp_meti_russia_belarus_lists_2025-09-12"])
    expected = {LIST_RUSSIA: 561, LIST_THIRD_COUNTRY: 56, LIST_BELARUS: 27}
    for code, total in expected.items():
        numbers = _numbers(result.parties, code)
        assert numbers == list(range(1, total + 1)), code  # continuous: a dropped row would fail here
    assert result.counts["entries"] == 644
    assert result.counts["without_english_name"] == 0
    by_id = {p.source_id: p for p in result.parties}
    quantum = by_id[f"{LIST_RUSSIA}-12"]
    assert quantum.name == "国際量子光学・量子技術センター"
    assert _names(quantum.names, NameType.ENGLISH) == [
        "International Center for Quantum Optics and Quantum Technologies LLS"
    ]
    assert _names(quantum.names, NameType.JAPANESE) == ["ロシア量子センター"]
    assert _names(quantum.names, NameType.AKA) == ["RQC", "Russian Quantum Center"]
    assert quantum.countries == ("RU",)
    last = by_id[f"{LIST_RUSSIA}-561"]
    assert last.name == "有限会社ヴネシュエコスティル"
    assert _names(last.names, NameType.AKA) == ["OOO Vneshekostil"]  # the "別称：" form
    integral = by_id[f"{LIST_BELARUS}-2"]
    assert _names(integral.names, NameType.AKA) == [
        "OAO Integral",
        "Joint-Stock Company Integral-Holding Managing Company",
    ]
    assert integral.countries == ("BY",) and len(integral.addresses) == 3
    qisu = by_id[f"{LIST_THIRD_COUNTRY}-53"]  # English glued to the Japanese name inside the line
    assert _names(qisu.names, NameType.ENGLISH) == ["Hong Kong Qisu Electronic Technology Co Ltd"]
    assert _names(qisu.names, NameType.CHINESE) == ["香港旗速電子有限公司", "香港旗速電子科技有限公司"]
    # "Moscow 127055RU" and "Moscow, 0101000" name no country METI spells out
    assert [p.source_id for p in result.parties if not p.countries] == [
        f"{LIST_RUSSIA}-9",
        f"{LIST_RUSSIA}-10",
    ]


@pytest.mark.slow
def test_belarus_pdf_matches_text(shared: Path) -> None:
    text = parse_meti_ban_text(
        [shared / "lists" / "jp_meti_russia_belarus_lists_2025-09-12" / "list_belarus_tokutei.pdf.txt"]
    )
    pdf = parse_meti_ban_pdf([shared / "lists" / "jp_meti_official_2025" / "list_belarus_tokutei.pdf"])
    assert (
        [p.source_id for p in pdf.parties]
        == [p.source_id for p in text.parties]
        == [f"{LIST_BELARUS}-{n}" for n in range(1, 28)]
    )
    assert pdf.publisher_date == text.publisher_date == "2022-07-05"
    for from_pdf, from_text in zip(pdf.parties, text.parties, strict=True):
        # pypdf puts a space between Latin and Japanese text where the .txt has none
        assert from_pdf.name.replace(" ", "") == from_text.name.replace(" ", "")
        english = {NameType.ENGLISH, NameType.AKA}
        assert [n.value for n in from_pdf.names if n.type in english] == [
            n.value for n in from_text.names if n.type in english
        ]
        assert from_pdf.countries == from_text.countries
