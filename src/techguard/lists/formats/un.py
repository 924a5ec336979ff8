"""UN Security Council consolidated list, official XML (``consolidated.xml``).

Layout: root ``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holding ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY``. One element is one :class:`Party`; ``REFERENCE_NUMBER`` (``QDi.001``) is the id.

What counts as an alias (``counts["aliases"]``): every ``INDIVIDUAL_ALIAS``/``ENTITY_ALIAS`` whose
``ALIAS_NAME`` is non-blank, whatever its ``QUALITY``. The UN writes an empty ``<INDIVIDUAL_ALIAS>`` (blank
QUALITY and ALIAS_NAME) for parties without aliases; those are skipped and counted in
``aliases_empty``. QUALITY ``Good`` and ``a.k.a.`` become :attr:`NameType.AKA`, ``Low`` becomes
:attr:`NameType.WEAK_AKA` and ``f.k.a.`` :attr:`NameType.FKA`. An alias spelled exactly like a name the
party already has is counted as published but not repeated in ``Party.names``
(``aliases_duplicate``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
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

SOURCE = "un_sc"
LIST = "un_sc"
ROOT_TAG = "CONSOLIDATED_LIST"

_ALIAS_QUALITY = {
    "good": NameType.AKA,
    "a.k.a.": NameType.AKA,
    "low": NameType.WEAK_AKA,
    "f.k.a.": NameType.FKA,
}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _line(el: etree._Element) -> int | None:
    line: object = el.sourceline  # typed oddly by lxml-stubs; an int or None at run time
    return line if isinstance(line, int) else None


def _text(el: etree._Element, tag: str) -> str:
    return one_line(el.findtext(tag))


def _values(el: etree._Element, tag: str) -> list[str]:
    """``<TAG><VALUE>a</VALUE><VALUE>b</VALUE></TAG>`` (any number of TAG elements) as clean strings."""
    return [one_line(v.text) for group in el.findall(tag) for v in group.findall("VALUE") if one_line(v.text)]


class _Counts:
    def __init__(self) -> None:
        self.values: dict[str, int] = {
            "entries": 0,
            "individuals": 0,
            "entities": 0,
            "aliases": 0,
            "aliases_empty": 0,
            "aliases_duplicate": 0,
            "aliases_good": 0,
            "aliases_aka": 0,
            "aliases_low": 0,
            "aliases_fka": 0,
            "original_script_names": 0,
            "addresses": 0,
            "identifiers": 0,
            "birth_dates": 0,
        }

    def add(self, key: str, n: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + n


def _birth_dates(el: etree._Element, record: str, path: Path) -> tuple[list[str], list[dict[str, str]]]:
    dates: list[str] = []
    detail: list[dict[str, str]] = []
    for dob in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = _text(dob, "TYPE_OF_DATE")
        date, year = _text(dob, "DATE"), _text(dob, "YEAR")
        from_year, to_year = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
        if from_year or to_year:
            if not (from_year and to_year):
                raise ListFormatError(
                    path,
                    "a birth-date range needs both FROM_YEAR and TO_YEAR",
                    line=_line(dob),
                    record=record,
                    field="INDIVIDUAL_DATE_OF_BIRTH",
                )
            value = f"{from_year}/{to_year}"  # ISO 8601 interval notation, not to be confused with "1962-05"
        else:
            value = date[:10] if date else year
        if not value:
            continue
        dates.append(value)
        item = {"value": value, "type": kind or "UNSPECIFIED"}
        note = _text(dob, "NOTE")
        if note:
            item["note"] = note
        detail.append(item)
    return dates, detail


def _birth_places(el: etree._Element) -> list[str]:
    places: list[str] = []
    for pob in el.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_text(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE")]
        place = ", ".join(p for p in parts if p)
        if place:
            places.append(place)
    return places


def _addresses(el: etree._Element, tag: str) -> list[Address]:
    found: list[Address] = []
    for addr in el.findall(tag):
        street, city = _text(addr, "STREET"), _text(addr, "CITY")
        state, postal = _text(addr, "STATE_PROVINCE"), _text(addr, "ZIP_CODE")
        country, note = _text(addr, "COUNTRY"), _text(addr, "NOTE")
        if not any((street, city, state, postal, country, note)):
            continue
        address = country_address(country, street=street, city=city, state=state, postal_code=postal)
        if note:
            # The UN qualifies addresses ("as of June 2016", "previous address"); keep it on the line.
            address = Address(
                full=f"{address.full} ({note})" if address.full else note,
                street=address.street,
                city=address.city,
                state=address.state,
                postal_code=address.postal_code,
                country=address.country,
                country_name=address.country_name,
            )
        found.append(address)
    return found


def _documents(el: etree._Element) -> tuple[list[Identifier], list[str]]:
    identifiers: list[Identifier] = []
    without_number: list[str] = []
    for doc in el.findall("INDIVIDUAL_DOCUMENT"):
        kind = " / ".join(p for p in (_text(doc, "TYPE_OF_DOCUMENT"), _text(doc, "TYPE_OF_DOCUMENT2")) if p)
        number = _text(doc, "NUMBER")
        country_name = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        notes = [
            f"issued {_text(doc, 'DATE_OF_ISSUE')}" if _text(doc, "DATE_OF_ISSUE") else "",
            f"in {_text(doc, 'CITY_OF_ISSUE')}" if _text(doc, "CITY_OF_ISSUE") else "",
            f"issuing country {country_name}" if country_name else "",
            _text(doc, "NOTE"),
        ]
        note = "; ".join(n for n in notes if n) or None
        if not number:
            if kind or note:
                without_number.append("; ".join(p for p in (kind, note or "") if p))
            continue
        identifiers.append(
            Identifier(type=kind or "Document", value=number, country=to_iso2(country_name), note=note)
        )
    return identifiers, without_number


def _party(el: etree._Element, path: Path, counts: _Counts) -> Party:
    is_person = el.tag == "INDIVIDUAL"
    dataid = _text(el, "DATAID")
    ref = _text(el, "REFERENCE_NUMBER")
    record = ref or (f"DATAID {dataid}" if dataid else None)
    if not ref:
        raise ListFormatError(
            path, "entry has no REFERENCE_NUMBER", line=_line(el), record=record, field="REFERENCE_NUMBER"
        )
    name = " ".join(p for p in (_text(el, t) for t in _NAME_PARTS) if p)
    if not name:
        raise ListFormatError(path, "entry has no name", line=_line(el), record=ref, field="FIRST_NAME")

    names: list[Name] = []
    seen = {name}
    original = _text(el, "NAME_ORIGINAL_SCRIPT")
    if original:
        counts.add("original_script_names")
        if original not in seen:
            names.append(Name(original, NameType.ORIGINAL_SCRIPT))
            seen.add(original)

    alias_tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    alias_births: list[str] = []
    alias_places: list[str] = []
    for alias in el.findall(alias_tag):
        value = _text(alias, "ALIAS_NAME")
        quality = _text(alias, "QUALITY")
        if not value:
            counts.add("aliases_empty")
            continue
        counts.add("aliases")
        name_type = _ALIAS_QUALITY.get(quality.lower())
        if name_type is None:
            raise ListFormatError(
                path,
                f"unknown alias QUALITY {quality!r} (expected Good, a.k.a., Low, f.k.a.)",
                line=_line(alias),
                record=ref,
                field="QUALITY",
            )
        counts.add("aliases_" + quality.lower().replace(".", ""))
        if _text(alias, "DATE_OF_BIRTH"):
            alias_births.append(_text(alias, "DATE_OF_BIRTH"))
        place = ", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")) if p)
        if place:
            alias_places.append(place)
        if value in seen:
            counts.add("aliases_duplicate")
            continue
        seen.add(value)
        names.append(Name(value, name_type))

    addresses = _addresses(el, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS")
    nationality_names = _values(el, "NATIONALITY")
    nationalities = unique(code for code in (to_iso2(n) for n in nationality_names) if code)
    birth_dates, birth_detail = _birth_dates(el, ref, path)
    identifiers, documents_without_number = _documents(el)
    counts.add("addresses", len(addresses))
    counts.add("identifiers", len(identifiers))
    counts.add("birth_dates", len(birth_dates))
    counts.add("entries")
    counts.add("individuals" if is_person else "entities")

    extra: dict[str, Any] = {"dataid": dataid, "version": _text(el, "VERSIONNUM")}
    optional: dict[str, Any] = {
        "gender": _text(el, "GENDER"),
        "designations": _values(el, "DESIGNATION"),
        "list_types": _values(el, "LIST_TYPE"),
        "last_updated": _values(el, "LAST_DAY_UPDATED"),
        "nationality_names": nationality_names,
        "birth_dates_detail": birth_detail,
        "documents_without_number": documents_without_number,
    }
    extra.update({k: v for k, v in optional.items() if v})
    program = _text(el, "UN_LIST_TYPE")
    return Party(
        source=SOURCE,
        source_id=ref,
        list=LIST,
        kind=PartyKind.PERSON if is_person else PartyKind.ORGANISATION,
        name=name,
        names=tuple(names),
        countries=unique([*(a.country or "" for a in addresses), *nationalities]),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
        birth_dates=unique([*birth_dates, *alias_births]),
        birth_places=unique([*_birth_places(el), *alias_places]),
        nationalities=nationalities,
        programs=(program,) if program else (),
        title="; ".join(_values(el, "TITLE")) or None,
        remarks=one_line(el.findtext("COMMENTS1")) or None,
        listed_on=_text(el, "LISTED_ON")[:10] or None,
        extra=extra,
    )


def parse_un_xml(paths: Sequence[Path]) -> ParseResult:
    """Parse the UN consolidated XML (one file, or a directory holding ``*.xml``)."""
    files = expand_paths(paths, ("*.xml",), "UN consolidated list XML")
    parties: list[Party] = []
    counts = _Counts()
    dates: list[str] = []
    seen_refs: dict[str, int] = {}
    for path in files:
        try:
            with path.open("rb") as stream:
                parties.extend(_parse_stream(path, stream, counts, seen_refs, dates))
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
        except OSError as exc:
            raise ListFormatError(path, f"cannot read file: {exc}") from exc
    return ParseResult(
        parties=tuple(parties), publisher_date=max(dates, default=None), counts=dict(counts.values)
    )


def _parse_stream(
    path: Path, stream: BinaryIO, counts: _Counts, seen_refs: dict[str, int], dates: list[str]
) -> Iterator[Party]:
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
            generated = squash(el.get("dateGenerated"))[:10]
            if generated:
                dates.append(generated)
            continue
        if event != "end" or el.tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        party = _party(el, path, counts)
        if party.source_id in seen_refs:
            raise ListFormatError(
                path,
                f"reference number repeated (first on line {seen_refs[party.source_id]})",
                line=_line(el),
                record=party.source_id,
                field="REFERENCE_NUMBER",
            )
        seen_refs[party.source_id] = _line(el) or 0
        el.clear(keep_tail=False)
        yield party


UN_SC_XML = register(
    ListFormat(
        code="un_sc_xml",
        description="UN Security Council consolidated sanctions list, official XML (consolidated.xml)",
        default_source=SOURCE,
        parse=parse_un_xml,
        file_names=("consolidated.xml",),
    )
)

__all__ = ["LIST", "SOURCE", "UN_SC_XML", "parse_un_xml"]
