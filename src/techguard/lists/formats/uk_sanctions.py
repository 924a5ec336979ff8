"""FCDO **UK Sanctions List**: ``UK-Sanctions-List.xml`` and ``UK-Sanctions-List.csv``.

Since 28 January 2026 this is the single official list of UK sanctions designations (it replaced OFSI's
Consolidated List, ``ConList.csv``, read by :mod:`uk_conlist`). One :class:`Party` per ``Unique ID``
(``RUS0251``, ``AFG0006``, ...), the FCDO's own designation reference.

XML: root ``<Designations>`` with ``<DateGenerated>dd/mm/yyyy</DateGenerated>`` and one ``<Designation>``
per Unique ID, everything inline as child elements: ``UniqueID``, ``OFSIGroupID``, ``UNReferenceNumber``,
``Names/Name`` (``Name1``..``Name6``, ``NameType``, ``AliasStrength``), ``NonLatinNames/NonLatinName``
(``NameNonLatinScript``, ``NonLatinScriptLanguage``), ``RegimeName``, ``IndividualEntityShip``,
``DesignationSource``, ``SanctionsImposed`` (``|``-separated), ``DateDesignated``, ``LastUpdated``,
``OtherInformation``, ``UKStatementofReasons``, ``Addresses/Address`` (``AddressLine1``..``6``,
``AddressPostalCode``, ``AddressCountry``), ``IndividualDetails/Individual`` (``DOBs/DOB``,
``Nationalities/Nationality``, ``Positions/Position``, ``BirthDetails/Location``, passports, national
identifiers), ``EntityDetails/Entity`` and ``ShipDetails/Ship`` (``IMONumbers/IMONumber``, flags).

CSV: a ``Report Date: dd-Mon-yyyy`` line, then a 58-column header (``Last Updated``, ``Unique ID``,
``OFSI Group ID``, ``UN Reference Number``, ``Name 6``, ``Name 1``..``Name 5``, ``Name type``,
``Alias strength``, ``Title``, ``Name non-latin script``, ... ``Hull identification number (HIN)``), one row
per *name*; rows sharing a Unique ID are one designation. Columns are found by header name.

Names: ``Name 1``..``Name 5`` then ``Name 6`` (the surname, or the whole name of an entity or ship).
``Primary Name`` is the listed name; ``Primary name variation`` (a spelling variation) and ``Alias`` give
:attr:`NameType.AKA`, or :attr:`NameType.WEAK_AKA` when the alias strength says "Low quality".
Non-Latin script names give :attr:`NameType.ORIGINAL_SCRIPT`. Unknown parts of dates are written
``dd``/``mm`` (``dd/mm/1957`` → ``1957``).

Structure as documented by the FCDO publication page (gov.uk/government/publications/the-uk-sanctions-list)
and as read by OpenSanctions' ``gb_fcdo_sanctions`` crawler; see docs/lists.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from lxml import etree

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
from techguard.lists.formats._xmlguard import refuse_entity_references
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2

SOURCE = "uk_fcdo"
LIST = "uk_fcdo"
ROOT_TAG = "Designations"
_KINDS = {"individual": PartyKind.PERSON, "entity": PartyKind.ORGANISATION, "ship": PartyKind.VESSEL}
_PRIMARY = "primary name"
_ALIAS_TYPES = {"primary name variation": NameType.AKA, "alias": NameType.AKA}
# the publisher's language names (NonLatinScriptLanguage) -> ISO 639-1
_LANGUAGE_CODES = (
    "arabic=ar belarusian=be bosnian=bs bulgarian=bg burmese=my chinese=zh croatian=hr czech=cs "
    "georgian=ka greek=el hebrew=he japanese=ja kazakh=kk korean=ko persian=fa farsi=fa polish=pl "
    "russian=ru serbian=sr thai=th turkish=tr ukrainian=uk "
)
_LANGUAGES = {name: code for name, code in (pair.split("=") for pair in _LANGUAGE_CODES.split())}
_CSV_REQUIRED = ("Unique ID", "Name 6", "Name type", "Designation Type")


def fcdo_date(text: str | None) -> str | None:
    """``dd/mm/yyyy`` -> ISO; unknown parts come as ``dd``/``mm`` or ``00`` (``dd/mm/1957`` -> ``1957``)."""
    value = squash(text)
    match = re.fullmatch(r"(\d{1,2}|dd|DD)/(\d{1,2}|mm|MM)/(\d{4})", value)
    if not match:
        return value or None
    day_text, month_text, year = match.groups()
    month = int(month_text) if month_text.isdigit() else 0
    day = int(day_text) if day_text.isdigit() else 0
    if month == 0:
        return year
    if day == 0:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def report_date(text: str) -> str | None:
    """The CSV's first line, ``Report Date: 13-Feb-2026`` -> ``2026-02-13`` (``None`` if it is not one)."""
    match = re.fullmatch(r"report date:\s*(\d{1,2}-[A-Za-z]{3}-\d{4})", squash(text), flags=re.IGNORECASE)
    if not match:
        return None
    return datetime.strptime(match.group(1).title(), "%d-%b-%Y").date().isoformat()


@dataclass
class _Designation:
    """Everything read about one Unique ID, from one XML element or several CSV rows."""

    unique_id: str
    line: int | None
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
    flags: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    sanctions_imposed: list[str] = field(default_factory=list)
    other_information: list[str] = field(default_factory=list)
    statements_of_reasons: list[str] = field(default_factory=list)
    designated: list[str] = field(default_factory=list)
    last_updated: list[str] = field(default_factory=list)
    ofsi_group_ids: list[str] = field(default_factory=list)
    un_references: list[str] = field(default_factory=list)
    designation_sources: list[str] = field(default_factory=list)
    empty_names: int = 0  # names with Name 1..6 all blank
    untyped_names: int = 0  # names with a blank name type, read as Primary Name

    def add_name(
        self, path: Path, line: int | None, parts: Sequence[str], name_type: str, strength: str
    ) -> None:
        name = " ".join(p for p in (one_line(x) for x in parts) if p)
        if not name:  # e.g. a CSV row that only carries a non-Latin script name
            self.empty_names += 1
            return
        kind = name_type.lower()
        if not kind:  # the publisher sometimes leaves the type blank; OpenSanctions reads it as primary too
            self.untyped_names += 1
            kind = _PRIMARY
        if kind == _PRIMARY and self.primary is None:
            self.primary = name
            return
        found = _ALIAS_TYPES.get(kind, NameType.AKA if kind == _PRIMARY else None)
        if found is None:
            raise ListFormatError(
                path,
                f"unknown name type {name_type!r} (expected Primary Name, Primary name variation or Alias)",
                line=line,
                record=self.unique_id,
                field="NameType",
            )
        self.names.append(Name(name, NameType.WEAK_AKA if "low" in strength.lower() else found))

    def add_non_latin(self, name: str, language: str) -> None:
        if one_line(name):
            self.names.append(
                Name(one_line(name), NameType.ORIGINAL_SCRIPT, _LANGUAGES.get(language.lower()))
            )

    def add_address(self, lines: Sequence[str], postal_code: str, country: str) -> None:
        street = ", ".join(p for p in (one_line(x) for x in lines) if p)
        if street or postal_code or country:
            self.addresses.append(country_address(country, street=street, postal_code=postal_code))


def _kind(path: Path, line: int | None, record: str, text: str, field_name: str) -> PartyKind:
    kind = _KINDS.get(text.lower())
    if kind is None:
        raise ListFormatError(
            path,
            f"unknown designation type {text!r} (expected Individual, Entity or Ship)",
            line=line,
            record=record,
            field=field_name,
        )
    return kind


def _party(item: _Designation) -> Party:
    primary = item.primary or item.names[0].value
    names: list[Name] = []
    for name in item.names:
        if name.value != primary and all(n.value != name.value for n in names):
            names.append(name)
    nationalities = unique(code for code in (to_iso2(n) for n in item.nationality_names) if code)
    addresses = list(dict.fromkeys(item.addresses))
    flags = unique(code for code in (to_iso2(f) for f in item.flags) if code)
    extra: dict[str, object] = {"unique_id": item.unique_id}
    if item.line is not None:
        extra["first_line"] = item.line
    optional: dict[str, object] = {
        "ofsi_group_ids": list(unique(item.ofsi_group_ids)),
        "un_reference_numbers": list(unique(item.un_references)),
        "designation_sources": list(unique(item.designation_sources)),
        "sanctions_imposed": list(unique(s for text in item.sanctions_imposed for s in text.split("|"))),
        "statement_of_reasons": " | ".join(unique(item.statements_of_reasons)),
        "last_updated": max(unique(item.last_updated), default=""),
        "positions": list(unique(item.positions)),
        "nationality_names": list(unique(item.nationality_names)),
        "flags": list(unique(item.flags)),
    }
    extra.update({k: v for k, v in optional.items() if v})
    designated = sorted(unique(item.designated))
    return Party(
        source=SOURCE,
        source_id=item.unique_id,
        list=LIST,
        kind=item.kind,
        name=primary,
        names=tuple(names),
        countries=unique([*(a.country or "" for a in addresses), *nationalities, *flags]),
        addresses=tuple(addresses),
        identifiers=tuple(dict.fromkeys(item.identifiers)),
        birth_dates=unique(item.birth_dates),
        birth_places=unique(item.birth_places),
        nationalities=nationalities,
        programs=unique(item.regimes),
        title="; ".join(unique(item.titles)) or None,
        remarks=" | ".join(unique(item.other_information)) or None,
        listed_on=designated[0] if designated else None,
        extra=extra,
    )


def _finish(path: Path, items: dict[str, _Designation], notes: list[str]) -> list[Party]:
    nameless = [i.unique_id for i in items.values() if i.primary is None and not i.names]
    if nameless:
        first = items[nameless[0]]
        raise ListFormatError(
            path, "designation has no name", line=first.line, record=nameless[0], field="Names"
        )
    without_primary = [i.unique_id for i in items.values() if i.primary is None]
    if without_primary:
        shown = ", ".join(without_primary[:10]) + (", ..." if len(without_primary) > 10 else "")
        notes.append(
            f"{path.name}: {len(without_primary)} designation(s) have no Primary Name, so their first name is"
            f" used as the primary name (Unique ID {shown})"
        )
    for attribute, what in (
        ("untyped_names", "name(s) with a blank name type, read as Primary Name (or a variation of it)"),
        ("empty_names", "name(s) with Name 1..6 all blank, skipped (their non-Latin script names are kept)"),
    ):
        affected = [i.unique_id for i in items.values() if getattr(i, attribute)]
        if affected:
            total = sum(getattr(items[u], attribute) for u in affected)
            shown = ", ".join(affected[:10]) + (", ..." if len(affected) > 10 else "")
            notes.append(f"{path.name}: {total} {what} (Unique ID {shown})")
    return [_party(item) for item in items.values()]


# --- XML ----------------------------------------------------------------------------------------------


def _line(el: etree._Element) -> int | None:
    line: object = el.sourceline  # typed oddly by lxml-stubs; an int or None at run time
    return line if isinstance(line, int) else None


def _all(el: etree._Element, path: str) -> list[str]:
    return [one_line(x.text) for x in el.iterfind(path) if one_line(x.text)]


def _text(el: etree._Element, tag: str) -> str:
    return one_line(el.findtext(tag))


def _read_designation(path: Path, el: etree._Element) -> _Designation:
    line = _line(el)
    unique_id = _text(el, "UniqueID")
    if not unique_id:
        raise ListFormatError(path, "Designation has no UniqueID", line=line, field="UniqueID")
    item = _Designation(
        unique_id,
        line,
        _kind(path, line, unique_id, _text(el, "IndividualEntityShip"), "IndividualEntityShip"),
    )
    for name_el in el.iterfind("Names/Name"):
        item.add_name(
            path,
            _line(name_el),
            [name_el.findtext(f"Name{n}") or "" for n in range(1, 7)],
            _text(name_el, "NameType"),
            _text(name_el, "AliasStrength"),
        )
    for non_latin in el.iterfind("NonLatinNames/NonLatinName"):
        item.add_non_latin(
            non_latin.findtext("NameNonLatinScript") or "", _text(non_latin, "NonLatinScriptLanguage")
        )
    for address in el.iterfind("Addresses/Address"):
        item.add_address(
            [address.findtext(f"AddressLine{n}") or "" for n in range(1, 7)],
            _text(address, "AddressPostalCode"),
            _text(address, "AddressCountry"),
        )
    item.titles += _all(el, ".//Title")
    item.regimes += _all(el, "RegimeName")
    item.sanctions_imposed += _all(el, "SanctionsImposed")
    item.other_information += _all(el, "OtherInformation")
    item.statements_of_reasons += _all(el, "UKStatementofReasons")
    item.designated += [d for d in (fcdo_date(t) for t in _all(el, "DateDesignated")) if d]
    item.last_updated += [d for d in (fcdo_date(t) for t in _all(el, "LastUpdated")) if d]
    item.ofsi_group_ids += _all(el, "OFSIGroupID")
    item.un_references += _all(el, "UNReferenceNumber")
    item.designation_sources += _all(el, "DesignationSource")
    for person in el.iterfind("IndividualDetails/Individual"):
        item.birth_dates += [d for d in (fcdo_date(t) for t in _all(person, "DOBs/DOB")) if d]
        item.nationality_names += _all(person, "Nationalities/Nationality")
        item.positions += _all(person, "Positions/Position")
        for place in person.iterfind("BirthDetails/Location"):
            parts = (_text(place, "TownOfBirth"), _text(place, "CountryOfBirth"))
            item.birth_places.append(", ".join(p for p in parts if p))
        for passport in person.iterfind("PassportDetails/Passport"):
            number = _text(passport, "PassportNumber")
            if number:
                note = _text(passport, "PassportAdditionalInformation") or None
                item.identifiers.append(Identifier("Passport", number, note=note))
        for national in person.iterfind("NationalIdentifierDetails/NationalIdentifier"):
            number = _text(national, "NationalIdentifierNumber")
            if number:
                note = _text(national, "NationalIdentifierAdditionalInformation") or None
                item.identifiers.append(Identifier("National Identification Number", number, note=note))
    for entity in el.iterfind("EntityDetails/Entity"):
        for number in _all(entity, "BusinessRegistrationNumbers/BusinessRegistrationNumber"):
            item.identifiers.append(Identifier("Business Registration Number", number))
    for ship in el.iterfind("ShipDetails/Ship"):
        item.identifiers += [Identifier("IMO", n) for n in _all(ship, "IMONumbers/IMONumber")]
        item.flags += _all(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip")
    return item


def parse_uk_sanctions_xml(paths: Sequence[Path]) -> ParseResult:
    """Parse the FCDO ``UK-Sanctions-List.xml`` (one file, or a directory holding ``*.xml``)."""
    parties: list[Party] = []
    notes: list[str] = []
    dates: list[str] = []
    for path in expand_paths(paths, ("*.xml",), "UK Sanctions List XML"):
        items: dict[str, _Designation] = {}
        try:
            with path.open("rb") as stream:
                _read_xml(path, stream, items, dates)
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
        except OSError as exc:
            raise ListFormatError(path, f"cannot read file: {exc}") from exc
        parties += _finish(path, items, notes)
    counts = {"designations": len(parties), "names": sum(1 + len(p.names) for p in parties)}
    return ParseResult(tuple(parties), max(dates, default=None), tuple(notes), counts)


def _read_xml(path: Path, stream: BinaryIO, items: dict[str, _Designation], dates: list[str]) -> None:
    root_seen = False
    for event, el in etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
    ):
        if event == "end":
            refuse_entity_references(path, el)
        if not root_seen:
            root_seen = True
            if el.tag != ROOT_TAG:
                raise ListFormatError(
                    path, f"root element is {el.tag!r}, expected {ROOT_TAG!r}", line=_line(el)
                )
            continue
        if event != "end":
            continue
        if el.tag == "DateGenerated" and el.getparent() is not None and el.getparent().tag == ROOT_TAG:
            generated = fcdo_date(el.text)
            if generated:
                dates.append(generated)
        elif el.tag == "Designation":
            item = _read_designation(path, el)
            if item.unique_id in items:
                raise ListFormatError(
                    path,
                    f"UniqueID repeated (first on line {items[item.unique_id].line})",
                    line=item.line,
                    record=item.unique_id,
                    field="UniqueID",
                )
            items[item.unique_id] = item
            el.clear(keep_tail=False)


# --- CSV ----------------------------------------------------------------------------------------------


def parse_uk_sanctions_csv(paths: Sequence[Path]) -> ParseResult:
    """Parse the FCDO ``UK-Sanctions-List.csv`` (one file, or a directory holding it)."""
    parties: list[Party] = []
    notes: list[str] = []
    dates: list[str] = []
    row_count = 0
    for path in expand_paths(
        paths, ("*UK-Sanctions-List*.csv", "*uk-sanctions-list*.csv"), "UK-Sanctions-List.csv"
    ):
        records = list(rows(read_text(path, fallbacks=("cp1252",)).text, path))
        if records and records[0].fields and report_date(records[0].fields[0]) is not None:
            dates.append(report_date(records[0].fields[0]) or "")
            records = records[1:]
        if not records:
            raise ListFormatError(path, "no header row")
        header, data = records[0], records[1:]
        columns = {squash(name): index for index, name in enumerate(header.fields) if squash(name)}
        missing = [c for c in _CSV_REQUIRED if c not in columns]
        if missing:
            raise ListFormatError(path, f"header lacks column(s) {', '.join(missing)}", line=header.line)
        items: dict[str, _Designation] = {}
        for record in data:
            _read_row(path, record.line, record.fields, columns, items)
        row_count += len(data)
        parties += _finish(path, items, notes)
    counts = {"rows": row_count, "designations": len(parties)}
    return ParseResult(tuple(parties), max(dates, default=None), tuple(notes), counts)


def _read_row(
    path: Path, line: int, fields: list[str], columns: dict[str, int], items: dict[str, _Designation]
) -> None:
    if len(fields) < len(columns):
        raise ListFormatError(path, f"row has {len(fields)} fields, header has {len(columns)}", line=line)

    def cell(name: str) -> str:
        index = columns.get(name)
        return one_line(fields[index]) if index is not None and index < len(fields) else ""

    def values(name: str, convert: Callable[[str], str | None] = lambda v: v) -> list[str]:
        converted = convert(cell(name))
        return [converted] if converted else []

    unique_id = cell("Unique ID")
    if not unique_id:
        raise ListFormatError(path, "row has no Unique ID", line=line, field="Unique ID")
    kind = _kind(path, line, unique_id, cell("Designation Type"), "Designation Type")
    item = items.setdefault(unique_id, _Designation(unique_id, line, kind))
    if item.kind is not kind:
        raise ListFormatError(
            path,
            f"Designation Type {cell('Designation Type')!r} differs from the first row of this Unique ID"
            f" (line {item.line})",
            line=line,
            record=unique_id,
            field="Designation Type",
        )
    try:
        item.add_name(
            path, line, [cell(f"Name {n}") for n in range(1, 7)], cell("Name type"), cell("Alias strength")
        )
    except ListFormatError as error:  # name the CSV column, not the XML element
        raise ListFormatError(
            path, error.message, line=line, record=unique_id, field=_csv_field(error)
        ) from None
    item.add_non_latin(cell("Name non-latin script"), cell("Non-latin script language"))
    item.add_address(
        [cell(f"Address Line {n}") for n in range(1, 7)], cell("Address Postal Code"), cell("Address Country")
    )
    item.titles += values("Title")
    item.regimes += values("Regime Name")
    item.sanctions_imposed += values("Sanctions Imposed")
    item.other_information += values("Other Information")
    item.statements_of_reasons += values("UK Statement of Reasons")
    item.designated += values("Date Designated", fcdo_date)
    item.last_updated += values("Last Updated", fcdo_date)
    item.ofsi_group_ids += values("OFSI Group ID")
    item.un_references += values("UN Reference Number")
    item.designation_sources += values("Designation source")
    item.birth_dates += values("D.O.B", fcdo_date)
    item.nationality_names += values("Nationality(/ies)")
    item.positions += values("Position")
    place = ", ".join(p for p in (cell("Town of birth"), cell("Country of birth")) if p)
    item.birth_places += [place] if place else []
    item.flags += values("Current believed flag of ship")
    for column, id_type, note_column in (
        ("Passport number", "Passport", "Passport additional information"),
        (
            "National Identifier number",
            "National Identification Number",
            "National Identifier additional information",
        ),
        ("Business registration number (s)", "Business Registration Number", ""),
        ("IMO number", "IMO", ""),
    ):
        if cell(column):
            item.identifiers.append(Identifier(id_type, cell(column), note=cell(note_column) or None))


def _csv_field(error: ListFormatError) -> str:
    return {"NameType": "Name type", "Name6": "Name 6"}.get(error.field or "", error.field or "")


UK_SANCTIONS_XML = register(
    ListFormat(
        code="uk_sanctions_xml",
        description="FCDO UK Sanctions List, official XML (UK-Sanctions-List.xml); replaced OFSI ConList 2026-01-28",
        default_source=SOURCE,
        parse=parse_uk_sanctions_xml,
        file_names=("UK-Sanctions-List.xml",),
    )
)
UK_SANCTIONS_CSV = register(
    ListFormat(
        code="uk_sanctions_csv",
        description="FCDO UK Sanctions List, official CSV (UK-Sanctions-List.csv); one row per name",
        default_source=SOURCE,
        parse=parse_uk_sanctions_csv,
        file_names=("UK-Sanctions-List.csv",),
    )
)

__all__ = [
    "LIST",
    "SOURCE",
    "UK_SANCTIONS_CSV",
    "UK_SANCTIONS_XML",
    "fcdo_date",
    "parse_uk_sanctions_csv",
    "parse_uk_sanctions_xml",
    "report_date",
]
