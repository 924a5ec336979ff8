"""UK OFSI Consolidated List of Financial Sanctions Targets, ``ConList.csv``.

One row per *name*; rows sharing a ``Group ID`` are one target, so one :class:`Party` per group
(``source_id`` = Group ID). The published file starts with a ``Last Updated,dd/mm/yyyy`` line before
the header; copies without it are read too. Columns are found by header name, so both the older
layout (``Alias Type`` = ``Prime Alias``/``AKA``, ``Passport Details``, ``NI Number``) and the newer one
(``Name Non-Latin Script``, ``Alias Quality``, ``UK Sanctions List Ref``, ...) work. Some copies carry a
stray empty first header cell with no matching data column; it is dropped when every row is one
field shorter than the header.

Names: ``Name 1``..``Name 5`` are given names and ``Name 6`` the surname (or the entity's name); the
full name is Name 1..5 then Name 6. The row marked ``Prime Alias``/``Primary name`` gives the primary name;
``AKA``/``Alias`` rows give :attr:`NameType.AKA` (:attr:`NameType.WEAK_AKA` when ``Alias Quality`` says
low), ``FKA`` :attr:`NameType.FKA`; ``Name Non-Latin Script`` gives :attr:`NameType.ORIGINAL_SCRIPT`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._csv import read_text, rows
from techguard.lists.formats._text import (
    country_address,
    expand_paths,
    one_line,
    squash,
    unique,
)
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2

SOURCE = "uk_ofsi"
LIST = "uk_ofsi"
_KINDS = {"individual": PartyKind.PERSON, "entity": PartyKind.ORGANISATION, "ship": PartyKind.VESSEL}
_PRIMARY = {"prime alias", "primary name"}
_ALIAS_TYPES = {
    "aka": NameType.AKA,
    "alias": NameType.AKA,
    "primary name variation": NameType.AKA,
    "fka": NameType.FKA,
    "formerly known as": NameType.FKA,
}
_NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
_REQUIRED = ("Name 6", "Group Type", "Group ID")
_NUMBERED = re.compile(r"\(?\b\d{1,2}\)\s*")


def uk_date(text: str) -> str | None:
    """``dd/mm/yyyy`` -> ISO; OFSI writes unknown parts as ``00`` (``00/00/1980`` -> ``1980``)."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", squash(text))
    if not match:
        return squash(text) or None
    day, month, year = (int(g) for g in match.groups())
    if month == 0:
        return f"{year:04d}"
    if day == 0:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def numbered_values(text: str) -> list[str]:
    """``"1) Saudi Arabia 2) Qatar"`` or ``"(1) A (2) B"`` -> ``["Saudi Arabia", "Qatar"]``."""
    parts = [squash(p).strip(" .;,") for p in _NUMBERED.split(text)]
    return [p for p in parts if p]


@dataclass
class _Group:
    group_id: str
    first_line: int
    kind: PartyKind
    primary: str | None = None
    names: list[Name] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationality_names: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    listed_on: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    rows: int = 0


def _header(fields: list[str], data_width: int | None) -> dict[str, int]:
    names = [squash(f) for f in fields]
    if names and names[0] == "" and data_width == len(names) - 1:
        names = names[1:]  # a stray empty first header cell with no data column under it
    return {name: index for index, name in enumerate(names) if name}


def parse_uk_conlist(paths: Sequence[Path]) -> ParseResult:
    """Parse OFSI's ``ConList.csv`` (one file, or a directory holding ``*.csv``)."""
    parties: list[Party] = []
    counts = {"rows": 0, "groups": 0, "aliases": 0, "original_script_names": 0, "groups_without_primary": 0}
    notes: list[str] = []
    publisher_date: str | None = None
    for path in expand_paths(paths, ("*ConList*.csv", "*conlist*.csv"), "OFSI ConList.csv"):
        records = list(rows(read_text(path, fallbacks=("cp1252",)).text, path))
        if records and squash(records[0].fields[0]).lower() == "last updated":
            publisher_date = uk_date(records[0].fields[1]) if len(records[0].fields) > 1 else None
            records = records[1:]
        if not records:
            raise ListFormatError(path, "no header row")
        header_row, data = records[0], records[1:]
        widths = {len(r.fields) for r in data}
        columns = _header(header_row.fields, widths.pop() if len(widths) == 1 else None)
        missing = [c for c in _REQUIRED if c not in columns]
        if missing:
            raise ListFormatError(path, f"header lacks column(s) {', '.join(missing)}", line=header_row.line)
        groups: dict[str, _Group] = {}
        for record in data:
            _add_row(path, record.line, record.fields, columns, groups, counts)
        without_primary = [g.group_id for g in groups.values() if g.primary is None]
        if without_primary:
            counts["groups_without_primary"] += len(without_primary)
            shown = ", ".join(without_primary[:10]) + (", ..." if len(without_primary) > 10 else "")
            notes.append(
                f"{path.name}: {len(without_primary)} group(s) have no primary-name row, so their first name is"
                f" used as the primary name (Group ID {shown})"
            )
        parties.extend(_party(group) for group in groups.values())
    counts["groups"] = len(parties)
    return ParseResult(tuple(parties), publisher_date, tuple(notes), counts)


def _add_row(
    path: Path,
    line: int,
    fields: list[str],
    columns: dict[str, int],
    groups: dict[str, _Group],
    counts: dict[str, int],
) -> None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return one_line(fields[index]) if index is not None and index < len(fields) else ""

    if len(fields) < len(columns):
        raise ListFormatError(path, f"row has {len(fields)} fields, header has {len(columns)}", line=line)
    group_id = cell("Group ID")
    if not group_id:
        raise ListFormatError(path, "row has no Group ID", line=line, field="Group ID")
    kind_text = cell("Group Type")
    kind = _KINDS.get(kind_text.lower())
    if kind is None:
        raise ListFormatError(
            path,
            f"unknown Group Type {kind_text!r} (expected Individual, Entity or Ship)",
            line=line,
            record=group_id,
            field="Group Type",
        )
    group = groups.setdefault(group_id, _Group(group_id, line, kind))
    group.rows += 1
    counts["rows"] += 1
    name = " ".join(p for p in (cell(c) for c in (*_NAME_COLUMNS[:5], "Name 6")) if p)
    if not name:
        raise ListFormatError(
            path, "row has no name (Name 1..6 all empty)", line=line, record=group_id, field="Name 6"
        )
    alias_type = (cell("Alias Type") or cell("Name Type")).lower()
    if alias_type in _PRIMARY and group.primary is None:
        group.primary = name
    else:
        name_type = _ALIAS_TYPES.get(alias_type, NameType.AKA if alias_type in _PRIMARY else None)
        if name_type is None:
            raise ListFormatError(
                path, f"unknown Alias Type {alias_type!r}", line=line, record=group_id, field="Alias Type"
            )
        if "low" in cell("Alias Quality").lower():
            name_type = NameType.WEAK_AKA
        counts["aliases"] += 1
        group.names.append(Name(name, name_type))
    non_latin = cell("Name Non-Latin Script")
    if non_latin:
        counts["original_script_names"] += 1
        group.names.append(
            Name(non_latin, NameType.ORIGINAL_SCRIPT, _lang(cell("Non-Latin Script Language")))
        )
    group.titles.append(cell("Title"))
    group.birth_dates.append(uk_date(cell("DOB")) or "")
    group.birth_places.append(", ".join(p for p in (cell("Town of Birth"), cell("Country of Birth")) if p))
    group.nationality_names.extend(numbered_values(cell("Nationality")))
    for column, id_type in (
        ("Passport Details", "Passport"),
        ("Passport Number", "Passport"),
        ("NI Number", "National Identification Number"),
        ("National Identification Number", "National Identification Number"),
    ):
        for value in numbered_values(cell(column)):
            group.identifiers.append(Identifier(id_type, value))
    group.positions.append(cell("Position"))
    street = ", ".join(p for p in (cell(f"Address {n}") for n in range(1, 7)) if p)
    country = cell("Country")
    if street or country or cell("Post/Zip Code"):
        address = country_address(country, street=street, postal_code=cell("Post/Zip Code"))
        if address.country is None and country:
            # "Afghanistan (since 2009)": the country without OFSI's bracketed qualifier
            address = replace(address, country=to_iso2(re.sub(r"\(.*?\)", "", country)))
        group.addresses.append(address)
    group.programs.append(cell("Regime"))
    group.remarks.append(cell("Other Information"))
    group.listed_on.append(uk_date(cell("Listed On")) or "")
    group.refs.append(cell("UK Sanctions List Ref"))


def _lang(text: str) -> str | None:
    languages = {
        "arabic": "ar",
        "russian": "ru",
        "chinese": "zh",
        "korean": "ko",
        "persian": "fa",
        "farsi": "fa",
        "ukrainian": "uk",
        "belarusian": "be",
        "japanese": "ja",
    }
    return languages.get(text.lower())


def _party(group: _Group) -> Party:
    primary = group.primary or group.names[0].value
    names: list[Name] = []
    for name in group.names:
        if name.value != primary and all(n.value != name.value for n in names):
            names.append(name)
    nationalities = unique(code for code in (to_iso2(n) for n in group.nationality_names) if code)
    addresses = list(dict.fromkeys(group.addresses))
    extra: dict[str, object] = {"rows": group.rows, "first_line": group.first_line}
    optional = {
        "positions": list(unique(group.positions)),
        "nationality_names": list(unique(group.nationality_names)),
        "uk_sanctions_list_refs": list(unique(group.refs)),
    }
    extra.update({k: v for k, v in optional.items() if v})
    listed = sorted(unique(group.listed_on))
    return Party(
        source=SOURCE,
        source_id=group.group_id,
        list=LIST,
        kind=group.kind,
        name=primary,
        names=tuple(names),
        countries=unique([*(a.country or "" for a in addresses), *nationalities]),
        addresses=tuple(addresses),
        identifiers=tuple(dict.fromkeys(group.identifiers)),
        birth_dates=unique(group.birth_dates),
        birth_places=unique(group.birth_places),
        nationalities=nationalities,
        programs=unique(group.programs),
        title="; ".join(unique(group.titles)) or None,
        remarks=" | ".join(unique(group.remarks)) or None,
        listed_on=listed[0] if listed else None,
        extra=extra,
    )


UK_CONLIST_CSV = register(
    ListFormat(
        code="uk_conlist_csv",
        description="UK OFSI Consolidated List of Financial Sanctions Targets, ConList.csv",
        default_source=SOURCE,
        parse=parse_uk_conlist,
        file_names=("ConList.csv",),
    )
)

__all__ = ["LIST", "SOURCE", "UK_CONLIST_CSV", "numbered_values", "parse_uk_conlist", "uk_date"]
