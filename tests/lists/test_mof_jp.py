"""Japan MOF asset-freeze workbook (資産凍結等経済制裁)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.mof_jp import birth_dates, find_columns, parse_mof_xlsx, split_names
from techguard.lists.model import Name, NameType, PartyKind

PERSON_HEADER = ("告示日付", "告示番号", "日本語表記", "英語表記", "別名", "肩書等", "生年月日", "出生地")
MIXED_HEADER = (
    "告示日付",
    "告示番号",
    "日本語表記",
    "英語表記",
    "別名・別称",
    "旧称",
    "生年月日",
    "国籍",
    "旅券番号",
    "住所・所在地",
    "その他の情報",
)


def _book(tmp_path: Path, sheets: dict[str, list[tuple[object, ...]]]) -> Path:
    book = openpyxl.Workbook()
    index = book.active
    assert index is not None
    index.title = "一覧"
    index.append(("このファイルは…",))
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "shisantouketsu20260305.xlsx"
    book.save(path)
    return path


def test_small_workbook(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        {
            "29.ロシア連邦(個人)": [
                ("資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）",),
                PERSON_HEADER,
                (
                    "2022.3.1",
                    "1",
                    "イワン・テストフ",
                    "Ivan Testov",
                    None,
                    "大臣\nMinister",
                    dt.datetime(1952, 10, 7),
                    "モスクワ（ロシア）",
                ),
            ],
            "2.タリバーン関係者等": [
                ("タリバーン関係者等", None, None, "（注1）告示番号の…"),
                MIXED_HEADER,
                ("2011.11.18削除", "1", None, None, None, None, None, None, None, None, None),
                (
                    "2001.9.22\n2012.3.27改訂",
                    "2",
                    "テスト・トラスト",
                    "TEST TRUST\n(original script: صندوق)",
                    "(a)テスト信託、テスト基金(b)サンプル信託\n (a.k.a.: (a)Test Fund (b) Sample Trust)",
                    "（旧称）Old Trust",
                    None,
                    "不明",
                    "不明",
                    "(a)Karachi, Pakistan；(b)北朝鮮平壌特別市",
                    "本部はパキスタン。",
                ),
                (None, None, None, None, None, None, None, None, None, None, "続きの説明。"),
                (
                    "2001.9.22",
                    "3",
                    "テスト・マン",
                    "TEST MAN",
                    None,
                    None,
                    "(a)1955年-1958年頃\n(b)1960年",
                    "アフガニスタン",
                    "OR801168",
                    None,
                    None,
                ),
            ],
            "8.【解除】リベリア": [
                ("リベリア前政権の高官又はその関係者等",),
                ("【2015年12月18日告示廃止】",),
            ],
        },
    )
    result = parse_mof_xlsx([path])
    assert result.publisher_date == "2026-03-05"
    putin, trust, man = result.parties
    assert putin.key == "jp_mof:29-1"
    assert putin.kind is PartyKind.PERSON
    assert putin.name == "イワン・テストフ"
    assert putin.names == (Name("Ivan Testov", NameType.ENGLISH, "en"),)
    assert putin.birth_dates == ("1952-10-07",)
    assert putin.birth_places == ("モスクワ（ロシア）",)
    assert putin.programs == ("ロシア連邦(個人)",)
    assert putin.listed_on == "2022-03-01"

    assert trust.source_id == "2-2"
    assert trust.kind is PartyKind.UNKNOWN  # a mixed sheet and no birth date or passport
    assert trust.names == (
        Name("TEST TRUST", NameType.ENGLISH, "en"),
        Name("صندوق", NameType.ORIGINAL_SCRIPT),
        Name("テスト信託", NameType.JAPANESE, "ja"),
        Name("テスト基金", NameType.JAPANESE, "ja"),
        Name("サンプル信託", NameType.JAPANESE, "ja"),
        Name("Test Fund", NameType.AKA),
        Name("Sample Trust", NameType.AKA),
        Name("Old Trust", NameType.FKA),
    )
    assert [a.country for a in trust.addresses] == ["PK", "KP"]
    assert trust.remarks == "本部はパキスタン。 続きの説明。"  # the continuation row joins the remarks
    assert trust.nationalities == ()  # 不明 (unknown) is not a nationality
    assert man.kind is PartyKind.PERSON  # has a passport and birth years
    assert man.birth_dates == ("1955", "1958", "1960")
    assert man.identifiers[0].value == "OR801168"
    assert man.nationalities == ("AF",)
    counts = result.counts
    assert counts["entries"] == 3
    assert counts["delisted"] == 1
    assert counts["sheets"] == 2 and counts["sheets_lifted"] == 1
    assert counts["continuation_rows"] == 1


def test_entry_without_name_is_refused(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        {"29.ロシア連邦(個人)": [PERSON_HEADER, ("2022.3.1", "1", None, None, "別名", None, None, None)]},
    )
    with pytest.raises(ListFormatError, match="entry has no name") as err:
        parse_mof_xlsx([path])
    assert err.value.record == "1" and err.value.line == 2 and err.value.field == "日本語表記"


def test_sheet_without_header_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path, {"5.テスト": [("何かの表",), ("番号", "名前")]})
    with pytest.raises(ListFormatError, match="no header row"):
        parse_mof_xlsx([path])


def test_workbook_without_measure_sheets_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no sheet"):
        parse_mof_xlsx([_book(tmp_path, {})])


def test_helpers() -> None:
    assert birth_dates("1962年12月26日") == ["1962-12-26"]
    assert birth_dates(22882) == ["1962-08-24"]  # an Excel serial date left unformatted (UN: 24 Aug 1962)
    assert birth_dates("不明") == []
    assert split_names("エフ・ティー・ビー；ムヨクバンク\nFTB; Mooyokbank") == [
        "エフ・ティー・ビー",
        "ムヨクバンク",
        "FTB",
        "Mooyokbank",
    ]
    assert split_names("(a)アフタール（ヌールの息子、1965年に出生。）(b)ハッジ") == ["アフタール", "ハッジ"]
    assert (
        find_columns(("告示日付", "告示番号", "日本語表記", "英語表記", "別称・旧称", "所在地"))["aliases"]
        == 4
    )


def test_registered() -> None:
    assert get_format("mof_jp_xlsx").default_source == "jp_mof"


@pytest.mark.slow
def test_real_workbook(shared: Path) -> None:
    result = parse_mof_xlsx([shared / "lists" / "jp_mof_asset_freeze_2026-03-05"])
    counts = result.counts
    assert counts["sheets"] == 41 and counts["sheets_lifted"] == 3
    assert len(result.parties) == counts["entries"] == 2862
    assert counts["delisted"] == 599
    assert len({p.source_id for p in result.parties}) == 2862
    by_id = {p.source_id: p for p in result.parties}
    putin = by_id["29-1"]
    assert putin.name == "ウラジーミル・プーチン"
    assert Name("Vladimir Putin", NameType.ENGLISH, "en") in putin.names
    assert putin.birth_dates == ("1952-10-07",)
    ftb = by_id["16-1(#47)"]
    assert ftb.kind is PartyKind.ORGANISATION and ftb.countries == ("KP",)
    assert Name("Mooyokbank", NameType.AKA) in ftb.names
    assert result.publisher_date == "2026-03-05"
