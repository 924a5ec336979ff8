"""EU Financial Sanctions Files (FSF), consolidated list XML (``export`` root, one ``sanctionEntity`` each).

The namespace has changed over time (``http://eu.europa.ec/fpi/fsd/export`` in the 2024 files,
``http://eu.europa.eu/fsd/model`` in older ones), so elements are matched by local name and any
namespace, or none, is accepted. ``source_id`` is ``sanctionEntity/@logicalId``.

Names: the EU marks no primary name; the first ``nameAlias`` is the primary name (the EU lists the
designated name first). Further aliases are :attr:`NameType.AKA`, or :attr:`NameType.WEAK_AKA` when
``strong="false"``; a name in non-Latin script is :attr:`NameType.ORIGINAL_SCRIPT`. ``nameLanguage``
becomes ``Name.lang`` (lower case).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._text import (
    expand_paths,
    one_line,
    unique,
)
from techguard.lists.formats._xmlguard import refuse_entity_references
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.scripts import Script, scripts_of

SOURCE = "eu_fsf"
LIST = "eu_fsf"
_KINDS = {
    "person": PartyKind.PERSON,
    "enterprise": PartyKind.ORGANISATION,
    "entity": PartyKind.ORGANISATION,
    "vessel": PartyKind.VESSEL,
    "aircraft": PartyKind.AIRCRAFT,
}


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in el if _local(child.tag) == name]


def _attr(el: etree._Element, name: str) -> str:
    return one_line(el.get(name))


def _line(el: etree._Element) -> int | None:
    line: object = el.sourceline  # typed oddly by lxml-stubs; an int or None at run time
    return line if isinstance(line, int) else None


def _country(el: etree._Element) -> tuple[str | None, str]:
    code = _attr(el, "countryIso2Code").upper()
    description = _attr(el, "countryDescription")
    if code in ("", "00"):  # "00" is the EU's "unknown"
        return to_iso2(description), description
    return code, description


def _birth(el: etree._Element) -> tuple[str, str, bool]:
    date = _attr(el, "birthdate")
    if not date:
        year, month, day = _attr(el, "year"), _attr(el, "monthOfYear"), _attr(el, "dayOfMonth")
        date = "-".join(
            p for p in (year, month.zfill(2) if month else "", day.zfill(2) if day and month else "") if p
        )
    _, country_name = _country(el)
    place = ", ".join(
        p for p in (_attr(el, "city"), _attr(el, "place"), _attr(el, "region"), country_name) if p
    )
    return date, place, _attr(el, "circa").lower() == "true"


def _address(el: etree._Element) -> Address | None:
    code, country_name = _country(el)
    parts = {
        "street": _attr(el, "street") or _attr(el, "poBox"),
        "city": _attr(el, "city"),
        "state": _attr(el, "region"),
        "postal_code": _attr(el, "zipCode"),
    }
    place = _attr(el, "place")
    full = ", ".join(
        p
        for p in (parts["street"], place, parts["city"], parts["state"], parts["postal_code"], country_name)
        if p
    )
    if not full:
        return None
    return Address(
        full=full,
        street=parts["street"] or None,
        city=parts["city"] or None,
        state=parts["state"] or None,
        postal_code=parts["postal_code"] or None,
        country=code,
        country_name=country_name or None,
    )


def _identifier(el: etree._Element) -> Identifier | None:
    number = _attr(el, "number") or _attr(el, "latinNumber")
    if not number:
        return None
    code, country_name = _country(el)
    kind = _attr(el, "identificationTypeDescription") or _attr(el, "identificationTypeCode") or "Document"
    notes = [
        f"issued by {_attr(el, 'issuedBy')}" if _attr(el, "issuedBy") else "",
        f"issued {_attr(el, 'issueDate')}" if _attr(el, "issueDate") else "",
        country_name,
        _attr(el, "remark"),
    ]
    return Identifier(type=kind, value=number, country=code, note="; ".join(n for n in notes if n) or None)


def _party(el: etree._Element, path: Path, counts: dict[str, int]) -> Party:
    logical_id = _attr(el, "logicalId")
    if not logical_id:
        raise ListFormatError(path, "sanctionEntity has no logicalId", line=_line(el), field="logicalId")
    subject = _children(el, "subjectType")
    code = _attr(subject[0], "code").lower() if subject else ""
    kind = _KINDS.get(code)
    if kind is None:
        raise ListFormatError(
            path,
            f"unknown subjectType code {code!r} (expected person or enterprise)",
            line=_line(el),
            record=logical_id,
            field="subjectType",
        )
    names: list[Name] = []
    titles: list[str] = []
    functions: list[str] = []
    for alias in _children(el, "nameAlias"):
        whole = _attr(alias, "wholeName") or " ".join(
            p for p in (_attr(alias, "firstName"), _attr(alias, "middleName"), _attr(alias, "lastName")) if p
        )
        if not whole:
            counts["names_empty"] += 1
            continue
        lang = _attr(alias, "nameLanguage").lower() or None
        if scripts_of(whole) - {Script.LATIN}:  # letters of another script than Latin
            name_type = NameType.ORIGINAL_SCRIPT
        elif _attr(alias, "strong").lower() == "false":
            name_type = NameType.WEAK_AKA
        else:
            name_type = NameType.AKA
        names.append(Name(whole, name_type, lang))
        titles.append(_attr(alias, "title"))
        functions.append(_attr(alias, "function"))
    if not names:
        raise ListFormatError(
            path,
            "sanctionEntity has no nameAlias with a name",
            line=_line(el),
            record=logical_id,
            field="nameAlias",
        )
    primary = names[0].value
    others: list[Name] = []
    for name in names[1:]:
        if name.value != primary and all(n.value != name.value for n in others):
            others.append(name)
    counts["entries"] += 1
    counts["aliases"] += len(names) - 1
    counts["persons" if kind is PartyKind.PERSON else "others"] += 1

    citizenships = unique(c for c, _ in (_country(c) for c in _children(el, "citizenship")) if c)
    births = [_birth(b) for b in _children(el, "birthdate")]
    addresses = [a for a in (_address(x) for x in _children(el, "address")) if a is not None]
    identifiers = [i for i in (_identifier(x) for x in _children(el, "identification")) if i is not None]
    regulations = _children(el, "regulation")
    published = sorted(d for d in (_attr(r, "publicationDate") for r in regulations) if d)
    remarks = [one_line(r.text) for r in _children(el, "remark") if one_line(r.text)]
    extra: dict[str, Any] = {
        "regulations": [_attr(r, "numberTitle") for r in regulations if _attr(r, "numberTitle")],
    }
    optional = {
        "functions": list(unique(functions)),
        "united_nation_id": _attr(el, "unitedNationId"),
        "designation_details": _attr(el, "designationDetails"),
        "birth_dates_circa": [d for d, _, circa in births if circa and d],
    }
    extra.update({k: v for k, v in optional.items() if v})
    return Party(
        source=SOURCE,
        source_id=logical_id,
        list=LIST,
        kind=kind,
        name=primary,
        names=tuple(others),
        countries=unique([*(a.country or "" for a in addresses), *citizenships]),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
        birth_dates=unique(d for d, _, _ in births),
        birth_places=unique(p for _, p, _ in births),
        citizenships=citizenships,
        programs=unique(_attr(r, "programme") for r in regulations),
        title="; ".join(unique(titles)) or None,
        remarks=" | ".join(remarks) or None,
        listed_on=published[0][:10] if published else None,
        extra=extra,
    )


def _stream(path: Path, stream: BinaryIO, counts: dict[str, int], dates: list[str]) -> Iterator[Party]:
    root_seen = False
    for event, el in etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True
    ):
        if event == "end":
            refuse_entity_references(path, el)
        if not root_seen:
            root_seen = True
            if _local(el.tag) != "export":
                raise ListFormatError(
                    path, f"root element is {_local(el.tag)!r}, expected 'export'", line=_line(el)
                )
            generated = _attr(el, "generationDate")[:10]
            if generated:
                dates.append(generated)
            continue
        if event == "end" and _local(el.tag) == "sanctionEntity":
            yield _party(el, path, counts)
            el.clear(keep_tail=False)


def parse_eu_fsf(paths: Sequence[Path]) -> ParseResult:
    """Parse the EU FSF consolidated XML (one file, or a directory holding ``*.xml``)."""
    parties: list[Party] = []
    counts = {"entries": 0, "persons": 0, "others": 0, "aliases": 0, "names_empty": 0}
    dates: list[str] = []
    for path in expand_paths(paths, ("*.xml",), "EU FSF consolidated list XML"):
        try:
            with path.open("rb") as stream:
                parties.extend(_stream(path, stream, counts, dates))
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
        except OSError as exc:
            raise ListFormatError(path, f"cannot read file: {exc}") from exc
    seen: set[str] = set()
    for party in parties:
        if party.source_id in seen:
            raise ListFormatError(paths[0], "logicalId repeated", record=party.source_id, field="logicalId")
        seen.add(party.source_id)
    return ParseResult(tuple(parties), max(dates, default=None), (), counts)


EU_FSF_XML = register(
    ListFormat(
        code="eu_fsf_xml",
        description="EU Financial Sanctions Files, consolidated list XML",
        default_source=SOURCE,
        parse=parse_eu_fsf,
        file_names=("eu_fsf.xml",),
    )
)

__all__ = ["EU_FSF_XML", "LIST", "SOURCE", "parse_eu_fsf"]
