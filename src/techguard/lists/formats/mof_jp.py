"""Japan Ministry of Finance 資産凍結等経済制裁 list (外為法 asset freeze), the MOF Excel workbook.

One sheet per measure (``"29.ロシア連邦(個人)"``), after an index sheet ``一覧``. Each measure sheet has
title/note rows, then a header row holding ``告示番号`` (notice number) and ``日本語表記`` / ``英語表記``
(Japanese / English name), then one row per designation. Other columns differ by sheet and are found
by header text: aliases (``別名``, ``別称``, ``別称・旧称``, ``確定可能な別名``), former names (``旧称``,
``以前の別名``, ``過去の別名``), weak aliases (``確定に十分でない別名``), titles, positions, birth date
and place, nationality, passport and ID numbers, address, UN reference, remarks.

Rules:

* ``source_id`` is ``<sheet number>-<notice number as published>`` (``"29-1"``, ``"3-1(*186)"``).
* Rows whose date cell says ``削除`` (deleted) and carry no name are delisted entries: skipped and
  counted (``delisted``). Sheets titled ``【解除】`` (measure lifted) hold no entries.
* A row with no notice number but text continues the previous entry's remarks (Somalia).
* The Japanese name is the primary name; the English name is :attr:`NameType.ENGLISH`, an
  ``(original script: ...)`` part :attr:`NameType.ORIGINAL_SCRIPT`. Alias cells mix Japanese and English
  lists (``(a)...(b)...``, ``；``/``;``, ``、`` between Japanese names); Japanese ones become
  :attr:`NameType.JAPANESE`, Latin ones :attr:`NameType.AKA` (or FKA / WEAK_AKA by column or marker).
* Kind: the sheet title says 個人 (person) or 団体/銀行 (organisation); on mixed sheets a row with a birth
  date or passport number is a person, else the kind is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._text import (
    expand_paths,
    nfkc,
    one_line,
    squash,
    unique,
)
from techguard.lists.formats.mofcom import address_country
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.scripts import is_japanese_or_chinese

SOURCE = "jp_mof"
LIST = "jp_mof_asset_freeze"
_UNKNOWN = {"不明", "なし", "-", "－", "―"}
_ENUMERATOR = re.compile(r"[(（]\s*[a-zA-Zａ-ｚ]{1,2}\s*[)）]")
_ORIGINAL = re.compile(r"[(（]\s*original script\s*[:：]\s*(.+?)\s*[)）]\s*$", re.I | re.S)
_EXCEL_EPOCH = dt.date(1899, 12, 30)

# column role -> header texts (after whitespace is removed) that carry it; first match wins
_ROLES: dict[str, tuple[str, ...]] = {
    "date": ("告示日付",),
    "number": ("告示番号",),
    "ja": ("日本語表記",),
    "en": ("英語表記",),
    "weak": ("確定に十分でない別名",),
    "fka": ("旧称", "以前の別名", "過去の別名"),
    "aliases": ("別名・別称", "別称・別名", "別称・旧称", "確定可能な別名", "別名", "別称"),
    "title": ("称号", "肩書"),
    "position": ("役職", "肩書等"),
    "birth": ("生年月日", "生年月日・出生地"),
    "birthplace": ("出生地", "出生地・出身地"),
    "nationality": ("国籍",),
    "passport": ("旅券番号",),
    "id": ("ID番号", "身分登録番号"),
    "address": (
        "住所・所在地",
        "所在地",
        "住所",
        "住所等",
        "活動地域・住所",
        "所在地・住所登録された事務所の住所",
    ),
    "un_ref": ("国連参照番号",),
    "listed": ("リスト掲載日", "国連制裁員会による指定日", "国連制裁委員会による指定日"),
    "remarks": ("その他の情報", "詳細"),
}


def _header_key(value: object) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def find_columns(header: Sequence[object]) -> dict[str, int]:
    """Column index per role for one sheet's header row (exact header texts, see :data:`_ROLES`)."""
    keys = [_header_key(c) for c in header]
    columns: dict[str, int] = {}
    for role, names in _ROLES.items():
        for name in names:
            if name in keys and keys.index(name) not in columns.values():
                columns[role] = keys.index(name)
                break
    return columns


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def birth_dates(value: object) -> list[str]:
    """ISO dates or years from a birth-date cell (a date, an Excel serial number or Japanese text)."""
    if isinstance(value, dt.datetime | dt.date):
        return [_text(value)]
    if isinstance(value, int | float) and 1000 < value < 80000:  # an Excel serial date left unformatted
        return [(_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()]
    text = nfkc(_text(value))
    found = [
        f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    ]
    if not found:
        found = [f"{y}-{int(m):02d}" for y, m in re.findall(r"(\d{4})年(\d{1,2})月(?!\d{1,2}日)", text)]
    if not found:
        found = re.findall(r"(\d{4})年", text) or re.findall(r"\b(\d{4})-(?:\d{2})-(?:\d{2})\b", text)
        if not found:
            found = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)
    return list(unique(found))


_AKA_MARK = re.compile(r"[(（]?\s*a\.k\.a\.?\s*[:：]?\s*", re.I)
_NOTE_GROUP = re.compile(r"[(（][^()（）]*(?:、|\d年)[^()（）]*[)）]")  # "（…の息子、1965年に…出生…）"


def _balance(part: str) -> str:
    """Drop brackets left unmatched by splitting (``"(a.k.a.: X)"`` -> ``"X"``)."""
    part = part.strip(" ,、")
    while part[-1:] in (")", "）") and part.count("(") + part.count("（") < part.count(")") + part.count(
        "）"
    ):
        part = part[:-1].rstrip(" ,、")
    while part[:1] in ("(", "（") and part.count("(") + part.count("（") > part.count(")") + part.count("）"):
        part = part[1:].lstrip(" ,、")
    return part


def split_names(text: str) -> list[str]:
    """One alias cell's names: ``(a)X(b)Y``, ``X；Y``, ``X; Y`` or, between Japanese names, ``X、Y``.

    ``(a.k.a.: ...)`` wrappers are unwrapped; bracketed notes inside Japanese names (parentage, places
    and dates of birth: ``"…（…の息子、1965年に…で出生）"``) are dropped from the name.
    """
    names: list[str] = []
    for line in _AKA_MARK.sub("\n", text).splitlines():
        for part in re.split(r"[;；]|" + _ENUMERATOR.pattern, squash(line)):
            part = _balance(squash(part))
            if not part:
                continue
            if is_japanese_or_chinese(part):
                part = _balance(_NOTE_GROUP.sub("", part))
                names.extend(_balance(p) for p in part.split("、") if _balance(p))
            else:
                names.append(part)
    return [n for n in names if n not in _UNKNOWN]


@dataclass
class _Sheet:
    title: str
    number: str
    program: str
    kind: PartyKind | None
    columns: dict[str, int]
    header_line: int


def _sheet_kind(title: str) -> PartyKind | None:
    if "個人" in title:
        return PartyKind.PERSON
    if "団体" in title or "銀行" in title:
        return PartyKind.ORGANISATION
    return None


@dataclass
class _Counts:
    values: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "entries",
                "persons",
                "organisations",
                "unknown_kind",
                "delisted",
                "aliases",
                "japanese_aliases",
                "original_script_names",
                "sheets",
                "sheets_lifted",
                "continuation_rows",
            ),
            0,
        )
    )

    def add(self, key: str, n: int = 1) -> None:
        self.values[key] += n


def parse_mof_xlsx(paths: Sequence[Path]) -> ParseResult:
    """Parse the MOF asset-freeze workbook (one ``.xlsx``, or a directory holding it)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    parties: list[Party] = []
    counts = _Counts()
    notes: list[str] = []
    publisher_date: str | None = None
    for path in expand_paths(paths, ("*.xlsx",), "MOF asset-freeze workbook (.xlsx)"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # styles/extensions openpyxl does not read
                book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise ListFormatError(path, f"not a readable .xlsx workbook: {exc}") from exc
        try:
            for sheet in book.worksheets:
                rows = list(sheet.iter_rows(values_only=True))
                parties.extend(_parse_sheet(path, sheet.title, rows, counts, notes))
        finally:
            book.close()
        stamp = re.search(r"(20\d{2})(\d{2})(\d{2})", path.name)
        if stamp:  # MOF names the file after the edition date (shisantouketsu20260305.xlsx)
            publisher_date = "-".join(stamp.groups())
    if counts.values["sheets"] == 0:
        raise ListFormatError(paths[0], "no sheet with a 告示番号 / 日本語表記 header row found")
    return ParseResult(tuple(parties), publisher_date, tuple(notes), dict(counts.values))


def _sheet_header(title: str, rows: list[tuple[object, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:10]):
        columns = find_columns(row)
        if "number" in columns and "ja" in columns:
            return index, columns
    return None


def _parse_sheet(
    path: Path, title: str, rows: list[tuple[object, ...]], counts: _Counts, notes: list[str]
) -> list[Party]:
    match = re.match(r"\s*(\d+)\s*[.．]\s*(.+?)\s*$", title)
    if not match:
        return []  # the index sheet (一覧)
    if "【解除】" in title:
        counts.add("sheets_lifted")
        return []
    found = _sheet_header(title, rows)
    if found is None:
        raise ListFormatError(path, f"sheet {title!r} has no header row with 告示番号 and 日本語表記")
    header_index, columns = found
    counts.add("sheets")
    sheet = _Sheet(title, match.group(1), match.group(2), _sheet_kind(title), columns, header_index + 1)
    parties: list[Party] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {role: row[i] if i < len(row) else None for role, i in columns.items()}
        number = squash(_text(cells["number"]))
        if not number:
            text = " ".join(_text(c) for c in row if c is not None).strip()
            if text and parties:
                counts.add("continuation_rows")
                last = parties[-1]
                parties[-1] = _with_remarks(last, f"{last.remarks or ''} {one_line(text)}".strip())
            continue
        if not _text(cells["ja"]) and not _text(cells.get("en")):
            if "削除" in _text(cells.get("date")) or all(c in (None, "") for c in row[2:]):
                counts.add("delisted")
                continue
            raise ListFormatError(
                path, f"sheet {title!r}: entry has no name", line=offset, record=number, field="日本語表記"
            )
        source_id = f"{sheet.number}-{number}"
        seen[source_id] = seen.get(source_id, 0) + 1
        if seen[source_id] > 1:
            notes.append(
                f"sheet {title!r} row {offset}: notice number {number} repeated; kept as "
                f"{source_id}#{seen[source_id]}"
            )
            source_id = f"{source_id}#{seen[source_id]}"
        parties.append(_party(sheet, source_id, offset, cells, counts))
    return parties


def _with_remarks(party: Party, remarks: str) -> Party:
    from dataclasses import replace

    return replace(party, remarks=remarks or None)


def _party(sheet: _Sheet, source_id: str, line: int, cells: dict[str, object], counts: _Counts) -> Party:
    names: list[Name] = []
    japanese = one_line(_text(cells["ja"]))
    english_text = _text(cells.get("en"))
    original = _ORIGINAL.search(english_text)
    if original:
        english_text = english_text[: original.start()]
    english = one_line(english_text)
    primary = japanese or english

    def add(value: str, name_type: NameType, lang: str | None) -> None:
        if value and value != primary and all(n.value != value for n in names):
            names.append(Name(value, name_type, lang))

    if japanese and english:
        add(english, NameType.ENGLISH, "en")
    if original:
        counts.add("original_script_names")
        add(one_line(original.group(1)), NameType.ORIGINAL_SCRIPT, None)
    for role, latin_type in (("aliases", NameType.AKA), ("fka", NameType.FKA), ("weak", NameType.WEAK_AKA)):
        text = _text(cells.get(role))
        for raw in split_names(text):
            name_type = latin_type
            if raw.startswith(("（旧称）", "(旧称)")):
                name_type = NameType.FKA
            value = re.sub(r"^[(（](別称|別名|旧称)[)）]\s*", "", raw).strip()
            if not value or value in _UNKNOWN:
                continue
            counts.add("aliases")
            if is_japanese_or_chinese(value):
                counts.add("japanese_aliases")
                add(value, NameType.JAPANESE, "ja")
            else:
                add(value, name_type, None)

    births = birth_dates(cells.get("birth"))
    passports = [p for p in split_names(_text(cells.get("passport"))) if p not in _UNKNOWN]
    ids = [p for p in split_names(_text(cells.get("id"))) if p not in _UNKNOWN]
    kind = sheet.kind or (PartyKind.PERSON if births or passports else PartyKind.UNKNOWN)
    counts.add("entries")
    counts.add(
        {PartyKind.PERSON: "persons", PartyKind.ORGANISATION: "organisations"}.get(kind, "unknown_kind")
    )

    nationality_names = [n for n in split_names(_text(cells.get("nationality"))) if n not in _UNKNOWN]
    nationalities = unique(code for code in (to_iso2(n) for n in nationality_names) if code)
    addresses: list[Address] = []
    for text in re.split(r"\n?[;；]\s*|\n(?=[(（][a-z][)）])", _text(cells.get("address"))):
        full = one_line(_ENUMERATOR.sub(" ", text)).strip(" 、")
        if full and full not in _UNKNOWN:
            code, country_name = address_country(full)
            addresses.append(Address(full=full, country=code, country_name=country_name))
    listed = re.match(r"\s*(\d{4})\.(\d{1,2})\.(\d{1,2})", _text(cells.get("date")))
    extra: dict[str, Any] = {"sheet": sheet.title, "row": line, "notice_dates": _text(cells.get("date"))}
    optional = {
        "position": one_line(_text(cells.get("position"))),
        "birth_text": one_line(_text(cells.get("birth"))),
        "nationality_names": nationality_names,
        "un_reference": one_line(_text(cells.get("un_ref"))),
        "un_listed": one_line(_text(cells.get("listed"))),
    }
    extra.update({k: v for k, v in optional.items() if v})
    birthplace = one_line(_text(cells.get("birthplace")))
    return Party(
        source=SOURCE,
        source_id=source_id,
        list=LIST,
        kind=kind,
        name=primary,
        names=tuple(names),
        countries=unique([*(a.country or "" for a in addresses), *nationalities]),
        addresses=tuple(addresses),
        identifiers=tuple(
            [Identifier("Passport", p) for p in passports]
            + [Identifier("National Identification Number", i) for i in ids]
        ),
        birth_dates=tuple(births),
        birth_places=(birthplace,) if birthplace and birthplace not in _UNKNOWN else (),
        nationalities=nationalities,
        programs=(sheet.program,),
        title=one_line(_text(cells.get("title"))) or None,
        remarks=one_line(_text(cells.get("remarks"))) or None,
        listed_on="{}-{:0>2}-{:0>2}".format(*listed.groups()) if listed else None,
        extra=extra,
    )


MOF_JP_XLSX = register(
    ListFormat(
        code="mof_jp_xlsx",
        description="Japan MOF 資産凍結等経済制裁 (asset freeze) list, Excel workbook",
        default_source=SOURCE,
        parse=parse_mof_xlsx,
        file_names=("shisantouketsu.xlsx",),
    )
)

__all__ = ["LIST", "MOF_JP_XLSX", "SOURCE", "birth_dates", "find_columns", "parse_mof_xlsx", "split_names"]
