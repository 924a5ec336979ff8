"""METI 外国ユーザーリスト (End User List): the official Excel file and a third party's JSON parse of it.

Excel layout (revision 2025-09-29, ``20250929_4.xlsx``), one sheet, header on row 1:

====  =====================================  ==============================================================
col   header                                 content
====  =====================================  ==============================================================
A     ``No.``                                the formula ``=ROW()-1``: METI's entry number
B     ``国名、地域名 / Country or Region``      Japanese and English on two lines
C     ``企業名､組織名 / Company or Organization`` English name, optionally a bracketed Japanese rendering line
D     ``別名 / Also Known As``                  ``・``-bulleted aliases, each optionally followed by a
                                             bracketed Japanese rendering line
E     ``懸念区分 / Type of WMD``                Japanese + letters (B, C, M, N) on two lines
F     ``通常兵器 / Conventional Weapons``        ``通常兵器`` + ``CW`` or blank
====  =====================================  ==============================================================

Columns are found by their header text, not their position. ``source_id`` is ``eul-<No.>`` in both formats
(the JSON's ``jp-eul-<n>`` uses the same number), so the two describe the same parties.

Names in Japanese or Chinese script: a bracketed rendering beside an English name is METI's own
Japanese rendering (:attr:`NameType.JAPANESE`, ``ja``; METI writes Chinese names in Japanese kanji, e.g.
``集団`` not ``集团``). A bare alias in Han script only is the party's own Chinese name
(:attr:`NameType.CHINESE`, ``zh``) for parties in China, Hong Kong, Macao or Taiwan, and a Japanese
rendering otherwise; any alias with kana is Japanese.

Counting rules (``ParseResult.counts``): ``aliases`` = alias entries as published (one ``・`` bullet, or
one string of the JSON ``aliases`` array), not counting renderings; ``japanese_renderings`` = entries whose
*primary* name carries a bracketed rendering; ``japanese_only_names`` = entries whose primary name is in
Japanese only (no English given).
"""

from __future__ import annotations

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
    join_wrapped,
    json_kind,
    load_json_array,
    nfkc,
    one_line,
    split_trailing_rendering,
    squash,
    str_field,
    str_list_field,
    unique,
)
from techguard.lists.model import Address, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.scripts import has_kana, is_japanese_or_chinese

SOURCE = "jp_meti_eul"
LIST = "jp_eul"
CONCERN_LETTERS = ("B", "C", "M", "N", "CW")  # biological, chemical, missile, nuclear, conventional weapons
_CHINESE_SCRIPT_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})
_LETTER = re.compile(r"(?<![A-Za-z])(CW|[A-Z]{1,2})(?![A-Za-z])")
_BULLETS = ("・", "･", "•")  # METI bullets: katakana middle dot, full or half width
_JSON_ID = re.compile(r"^jp-eul-(\d+)$")


def concern_letters(text: str, path: Path, record: str, field_name: str) -> list[str]:
    """The concern codes in a cell such as ``"生物、化学、ミサイル、核\\nB,C,M,N"`` or ``"ミサイルM"``."""
    letters = _LETTER.findall(nfkc(text))
    for letter in letters:
        if letter not in CONCERN_LETTERS:
            raise ListFormatError(
                path,
                f"unknown concern code {letter!r} (expected one of {', '.join(CONCERN_LETTERS)})",
                record=record,
                field=field_name,
            )
    return letters


def cjk_name(text: str, country: str | None) -> Name:
    """A bare alias in Japanese or Chinese script, typed by the rule in the module docstring."""
    if not has_kana(text) and country in _CHINESE_SCRIPT_COUNTRIES:
        return Name(text, NameType.CHINESE, "zh")
    return Name(text, NameType.JAPANESE, "ja")


@dataclass
class _Names:
    """Collects a party's other names without repeating the primary name or each other."""

    primary: str
    items: list[Name] = field(default_factory=list)

    def add(self, name: Name) -> None:
        if name.value and name.value != self.primary and all(n.value != name.value for n in self.items):
            self.items.append(name)


def _is_bracketed_rendering(line: str) -> bool:
    return line[:1] in ("(", "（") and line[-1:] in (")", "）") and is_japanese_or_chinese(line)


def _unbracket(line: str) -> str:
    return line[1:-1].strip()


@dataclass
class _Alias:
    text: str
    renderings: list[str] = field(default_factory=list)


def split_alias_cell(text: str) -> list[_Alias]:
    """The aliases of one Excel cell: ``・``-bulleted lines, each maybe followed by a rendering line."""
    aliases: list[_Alias] = []
    for raw in text.splitlines():
        line = squash(raw)
        if not line:
            continue
        if line.startswith(_BULLETS):
            aliases.append(_Alias(squash(line[1:])))
        elif aliases and _is_bracketed_rendering(line):
            aliases[-1].renderings.append(_unbracket(line))
        elif aliases and is_japanese_or_chinese(line) and not is_japanese_or_chinese(aliases[-1].text):
            aliases[-1].renderings.append(line)  # an unbracketed rendering on the next line
        elif aliases:
            aliases[-1].text = join_wrapped(aliases[-1].text, line)  # a long alias wrapped onto a second line
        else:
            aliases.append(_Alias(line))  # an alias written without its bullet
    return [a for a in aliases if a.text or a.renderings]


def _add_alias(names: _Names, alias: _Alias, country: str | None, counts: dict[str, int]) -> None:
    base, rendering = split_trailing_rendering(alias.text)
    renderings = [*([rendering] if rendering else []), *alias.renderings]
    if base and is_japanese_or_chinese(base):
        name = cjk_name(base, country)
        names.add(name)
        counts["chinese_names" if name.type is NameType.CHINESE else "japanese_names"] += 1
    elif base:
        names.add(Name(base, NameType.AKA))
    for text in renderings:
        names.add(Name(text, NameType.JAPANESE, "ja"))
        counts["alias_renderings"] += 1


def _new_counts() -> dict[str, int]:
    keys = (
        "entries",
        "aliases",
        "japanese_renderings",
        "japanese_only_names",
        "alias_renderings",
        "japanese_names",
        "chinese_names",
        "blank_rows",
    )
    return dict.fromkeys(keys, 0)


def _party(
    *,
    number: int,
    primary: str,
    names: _Names,
    country_text: str,
    letters: list[str],
    reason: str,
    source_url: str | None,
    listed_on: str | None,
    extra: dict[str, Any],
) -> Party:
    country = to_iso2(country_text)
    address = Address(full=one_line(country_text), country=country, country_name=country_text or None)
    return Party(
        source=SOURCE,
        source_id=f"eul-{number}",
        list=LIST,
        kind=PartyKind.ORGANISATION,
        name=primary,
        names=tuple(names.items),
        countries=(country,) if country else (),
        addresses=(address,) if country_text else (),
        programs=unique(letters),
        remarks=reason or None,
        listed_on=listed_on,
        source_url=source_url,
        extra=extra,
    )


# --- Excel --------------------------------------------------------------------------------------------

_HEADERS = {  # column role -> text the header cell must contain
    "no": "No.",
    "country": "Country",
    "name": "Company",
    "aliases": "Also Known As",
    "wmd": "WMD",
    "conventional": "Conventional",
}


def _columns(header: Sequence[object], path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = str(cell or "")
        for role, marker in _HEADERS.items():
            if marker.lower() in text.lower() and role not in found:
                found[role] = index
    missing = [f"{_HEADERS[r]!r}" for r in _HEADERS if r not in found]
    if missing:
        raise ListFormatError(path, f"header row lacks the column(s) {', '.join(missing)}", line=1)
    return found


def _row_number(value: object, row: int, path: Path) -> int:
    # METI writes No. as "=ROW()-1"; openpyxl returns the formula text (the cached value may be absent).
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = squash(str(value or "")).replace(" ", "").upper()
    match = re.fullmatch(r"=ROW\(\)(?:-(\d+))?", text)
    if match:
        return row - int(match.group(1) or 0)
    if text.isdigit():
        return int(text)
    raise ListFormatError(path, f"No. is {value!r}, expected a number or =ROW()-1", line=row, field="No.")


def _primary_from_cell(text: str) -> tuple[str, list[str]]:
    """(primary name, renderings) of a Company/Organization cell."""
    english: list[str] = []
    renderings: list[str] = []
    for raw in text.splitlines():
        line = squash(raw)
        if not line:
            continue
        if english and _is_bracketed_rendering(line):
            renderings.append(_unbracket(line))
        else:
            english.append(line)
    joined = ""
    for line in english:
        joined = join_wrapped(joined, line) if joined else line
    base, rendering = split_trailing_rendering(joined)
    if rendering:
        renderings.insert(0, rendering)
    return base, renderings


def parse_meti_eul_xlsx(paths: Sequence[Path]) -> ParseResult:
    """Parse METI's official End User List workbook (one ``.xlsx``, or a directory holding it)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    files = expand_paths(paths, ("*.xlsx",), "METI End User List workbook (.xlsx)")
    parties: list[Party] = []
    counts = _new_counts()
    warnings_out: list[str] = []
    publisher_date: str | None = None
    for path in files:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles/extensions it does not read; they carry no list data.
                warnings.simplefilter("ignore", UserWarning)
                book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise ListFormatError(path, f"not a readable .xlsx workbook: {exc}") from exc
        try:
            rows = list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
        if not rows:
            raise ListFormatError(path, "the first sheet is empty")
        columns = _columns(rows[0], path)
        stem_date = re.match(r"(20\d{2})(\d{2})(\d{2})", path.name)
        if stem_date:  # METI names the file after the revision date (20250929_4.xlsx)
            publisher_date = "-".join(stem_date.groups())
        for row_index, row in enumerate(rows[1:], start=2):
            party = _xlsx_row(path, row_index, row, columns, counts)
            if party is None:
                counts["blank_rows"] += 1
                continue
            parties.append(party)
    if counts["blank_rows"]:
        warnings_out.append(f"{counts['blank_rows']} blank row(s) skipped")
    _check_unique(parties, files[0])
    return ParseResult(tuple(parties), publisher_date, tuple(warnings_out), counts)


def _cell(row: Sequence[object], index: int) -> str:
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _xlsx_row(
    path: Path, row_index: int, row: Sequence[object], columns: dict[str, int], counts: dict[str, int]
) -> Party | None:
    cells = {role: _cell(row, index) for role, index in columns.items()}
    if not any(v for role, v in cells.items() if role != "no"):
        return None
    number = _row_number(row[columns["no"]] if columns["no"] < len(row) else None, row_index, path)
    record = f"No. {number}"
    if not cells["name"]:
        raise ListFormatError(
            path,
            "entry has no company/organisation name",
            line=row_index,
            record=record,
            field="Company or Organization",
        )
    primary, renderings = _primary_from_cell(cells["name"])
    country_code = to_iso2(cells["country"])
    if is_japanese_or_chinese(primary):
        counts["japanese_only_names"] += 1
    names = _Names(primary)
    if renderings:
        counts["japanese_renderings"] += 1
    for text in renderings:
        names.add(Name(text, NameType.JAPANESE, "ja"))
    aliases = split_alias_cell(cells["aliases"])
    counts["aliases"] += len(aliases)
    for alias in aliases:
        _add_alias(names, alias, country_code, counts)
    letters = [
        *concern_letters(cells["wmd"], path, record, "Type of WMD"),
        *concern_letters(cells["conventional"], path, record, "Conventional Weapons"),
    ]
    if not letters:
        raise ListFormatError(
            path,
            "entry names no type of concern (B, C, M, N or CW)",
            line=row_index,
            record=record,
            field="Type of WMD",
        )
    counts["entries"] += 1
    reason = "; ".join(one_line(cells[k]) for k in ("wmd", "conventional") if cells[k])
    return _party(
        number=number,
        primary=primary,
        names=names,
        country_text=" / ".join(squash(line) for line in cells["country"].splitlines() if squash(line)),
        letters=letters,
        reason=reason,
        source_url=None,
        listed_on=None,
        extra={"row": row_index},
    )


def _check_unique(parties: list[Party], path: Path) -> None:
    seen: set[str] = set()
    for party in parties:
        if party.source_id in seen:
            raise ListFormatError(path, "entry number repeated", record=party.source_id, field="No.")
        seen.add(party.source_id)


# --- third-party JSON ---------------------------------------------------------------------------------


def parse_meti_eul_json(paths: Sequence[Path]) -> ParseResult:
    """Parse the third-party JSON of the End User List (``jp.json``: one array of records)."""
    files = expand_paths(paths, ("*.json",), "METI End User List JSON")
    parties: list[Party] = []
    counts = _new_counts()
    counts["aliases_split_from_name"] = 0
    counts["names_recovered_from_address"] = 0
    for path in files:
        for index, item in enumerate(load_json_array(path)):
            parties.append(_json_record(path, index, item, counts))
    _check_unique(parties, files[0])
    notes: list[str] = []
    if counts["names_recovered_from_address"]:
        notes.append(
            f"{counts['names_recovered_from_address']} record(s) had an empty entity_name with the name appended"
            " to the country in addresses; the name was taken from there"
        )
    return ParseResult(tuple(parties), None, tuple(notes), counts)


def _recover_name_from_address(path: Path, record: str, addresses: list[str]) -> tuple[str, list[str]]:
    """Undo a known fault of the third-party parse: ``"People's Republic of China BVI Electronics"``.

    The longest leading run of words that names a country is the country; the rest is the entity name.
    """
    if len(addresses) == 1:
        words = addresses[0].split(" ")
        for cut in range(len(words) - 1, 0, -1):
            country, rest = " ".join(words[:cut]), " ".join(words[cut:])
            if to_iso2(country):
                return rest, [country]
    raise ListFormatError(
        path,
        "entity_name is empty and no name follows the country in addresses",
        record=record,
        field="entity_name",
    )


def _json_record(path: Path, index: int, item: dict[str, object], counts: dict[str, int]) -> Party:
    raw_id = str_field(path, item, "id", f"#{index}", required=True)
    match = _JSON_ID.match(raw_id)
    if not match:
        raise ListFormatError(path, f"id {raw_id!r} is not jp-eul-<number>", record=f"#{index}", field="id")
    number = int(match.group(1))
    entity_name = str_field(path, item, "entity_name", raw_id)
    addresses = str_list_field(path, item, "addresses", raw_id)
    if not entity_name:
        entity_name, addresses = _recover_name_from_address(path, raw_id, addresses)
        counts["names_recovered_from_address"] += 1
    country_text = addresses[0] if addresses else ""
    country_code = to_iso2(country_text)
    # The third party's parse merged one bulleted alias into a name ("... (DESTO) ・Chaklala ...").
    merged = [squash(p) for p in re.split(r"\s[・･]\s*", entity_name)]
    primary, rendering = split_trailing_rendering(merged[0])
    names = _Names(primary)
    if rendering:
        counts["japanese_renderings"] += 1
        names.add(Name(rendering, NameType.JAPANESE, "ja"))
    if is_japanese_or_chinese(primary):
        counts["japanese_only_names"] += 1
    for extra_alias in merged[1:]:
        counts["aliases_split_from_name"] += 1
        _add_alias(names, _Alias(extra_alias), country_code, counts)
    aliases = str_list_field(path, item, "aliases", raw_id)
    counts["aliases"] += len(aliases)
    for alias in aliases:
        _add_alias(names, _Alias(alias), country_code, counts)
    reason = str_field(path, item, "reason", raw_id)
    letters = concern_letters(reason, path, raw_id, "reason")
    if not letters:
        raise ListFormatError(
            path, "reason names no type of concern (B, C, M, N or CW)", record=raw_id, field="reason"
        )
    json_kind(
        path, str_field(path, item, "entity_type", raw_id), raw_id
    )  # validates; METI lists organisations
    counts["entries"] += 1
    return _party(
        number=number,
        primary=primary,
        names=names,
        country_text=country_text,
        letters=letters,
        reason=reason,
        source_url=str_field(path, item, "source_url", raw_id) or None,
        listed_on=str_field(path, item, "date_added", raw_id) or None,
        extra={"json_id": raw_id, "addresses": addresses[1:]} if len(addresses) > 1 else {"json_id": raw_id},
    )


METI_EUL_XLSX = register(
    ListFormat(
        code="meti_eul_xlsx",
        description="METI 外国ユーザーリスト (End User List), official Excel workbook",
        default_source=SOURCE,
        parse=parse_meti_eul_xlsx,
        file_names=("end_user_list.xlsx",),
    )
)
METI_EUL_JSON = register(
    ListFormat(
        code="meti_eul_json",
        description="METI 外国ユーザーリスト (End User List), third-party JSON parse (jp.json)",
        default_source=SOURCE,
        parse=parse_meti_eul_json,
        file_names=("jp.json",),
    )
)

__all__ = [
    "CONCERN_LETTERS",
    "LIST",
    "METI_EUL_JSON",
    "METI_EUL_XLSX",
    "SOURCE",
    "cjk_name",
    "concern_letters",
    "join_wrapped",
    "json_kind",
    "parse_meti_eul_json",
    "parse_meti_eul_xlsx",
    "split_alias_cell",
]
