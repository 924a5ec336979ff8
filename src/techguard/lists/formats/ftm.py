"""``ftm_json``: FollowTheMoney entities as JSON lines (the form OpenSanctions publishes, ``*.ftm.json``).

Each line is ``{"id", "schema", "properties": {prop: [values]}, "datasets": [...]}``. Party schemas
(Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane) become parties; ``Sanction``,
``Identification``/``Passport`` and ``Address`` entities that point at a party (``entity`` / ``holder`` /
the party's ``addressEntity``) add programs, listing dates, identifiers and addresses to it. Other schemas
(ownership, family, ...) are counted and skipped. Property values may also be nested entities (the
"nested" export form).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind

SOURCE = "ftm"

PARTY_SCHEMAS: dict[str, PartyKind] = {
    "Person": PartyKind.PERSON,
    "Organization": PartyKind.ORGANISATION,
    "Company": PartyKind.ORGANISATION,
    "LegalEntity": PartyKind.ORGANISATION,
    "PublicBody": PartyKind.ORGANISATION,
    "Vessel": PartyKind.VESSEL,
    "Airplane": PartyKind.AIRCRAFT,
}
_SCHEMA_FOR_KIND = {
    PartyKind.PERSON: "Person",
    PartyKind.ORGANISATION: "Organization",
    PartyKind.VESSEL: "Vessel",
    PartyKind.AIRCRAFT: "Airplane",
    PartyKind.UNKNOWN: "LegalEntity",
}
_NAME_PROPS: tuple[tuple[str, NameType], ...] = (
    ("alias", NameType.AKA),
    ("weakAlias", NameType.WEAK_AKA),
    ("previousName", NameType.FKA),
)
_NAME_PROP_FOR_TYPE = {
    NameType.AKA: "alias",
    NameType.WEAK_AKA: "weakAlias",
    NameType.FKA: "previousName",
}
# identifier-like properties on party schemas; the property name is kept as the identifier type
ID_PROPS = (
    "idNumber",
    "passportNumber",
    "taxNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "imoNumber",
    "mmsi",
    "callSign",
    "serialNumber",
    "uscCode",
    "vatCode",
)
_COUNTRY = re.compile(r"^[a-z]{2}$")


@dataclass
class _Entity:
    id: str
    schema: str
    props: dict[str, list[Any]]
    datasets: list[str]
    line: int
    extra_entities: list[_Entity] = field(default_factory=list)


def parse_ftm(paths: Sequence[Path]) -> ParseResult:
    entities: list[_Entity] = []
    for path in paths:
        entities.extend(_read_entities(path))
    by_id = {e.id: e for e in entities}
    sanctions: dict[str, list[_Entity]] = {}
    identifications: dict[str, list[_Entity]] = {}
    for entity in _walk(entities):
        if entity.schema == "Sanction":
            for target in _refs(entity.props.get("entity", [])):
                sanctions.setdefault(target, []).append(entity)
        elif entity.schema in ("Identification", "Passport"):
            for target in _refs(entity.props.get("holder", [])):
                identifications.setdefault(target, []).append(entity)
    parties: list[Party] = []
    skipped: dict[str, int] = {}
    for entity in entities:
        kind = PARTY_SCHEMAS.get(entity.schema)
        if kind is None:
            skipped[entity.schema] = skipped.get(entity.schema, 0) + 1
            continue
        parties.append(
            _party(
                entity, kind, by_id, sanctions.get(entity.id, []), identifications.get(entity.id, []), paths
            )
        )
    counts = {"entities": len(entities), "parties": len(parties)}
    counts.update({f"skipped_{schema}": n for schema, n in sorted(skipped.items())})
    return ParseResult(parties=tuple(parties), counts=counts)


def _read_entities(path: Path) -> Iterator[_Entity]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except (UnicodeDecodeError, ValueError) as exc:
                raise ListFormatError(path, f"not a JSON object: {exc}", line=number) from None
            yield _entity(data, path, number)


def _entity(data: Any, path: Path, line: int) -> _Entity:
    if not isinstance(data, dict):
        raise ListFormatError(path, "each line must be one JSON object (an FtM entity)", line=line)
    entity_id, schema, props = data.get("id"), data.get("schema"), data.get("properties", {})
    if not isinstance(entity_id, str) or not entity_id:
        raise ListFormatError(path, "missing entity id", line=line, field="id")
    if not isinstance(schema, str) or not schema:
        raise ListFormatError(path, "missing schema", line=line, record=entity_id, field="schema")
    if not isinstance(props, dict):
        raise ListFormatError(
            path, "'properties' must be an object", line=line, record=entity_id, field="properties"
        )
    clean: dict[str, list[Any]] = {}
    nested: list[_Entity] = []
    for prop, values in props.items():
        if not isinstance(values, list):
            raise ListFormatError(
                path,
                "property values must be a list",
                line=line,
                record=entity_id,
                field=f"properties.{prop}",
            )
        for value in values:
            if isinstance(value, dict):
                nested.append(_entity(value, path, line))
        clean[prop] = values
    datasets = data.get("datasets", [])
    return _Entity(
        entity_id,
        schema,
        clean,
        [str(d) for d in datasets] if isinstance(datasets, list) else [],
        line,
        nested,
    )


def _walk(entities: Iterable[_Entity]) -> Iterator[_Entity]:
    for entity in entities:
        yield entity
        yield from _walk(entity.extra_entities)


def _refs(values: Iterable[Any]) -> list[str]:
    return [v["id"] if isinstance(v, dict) else str(v) for v in values]


def _strings(entity: _Entity, prop: str) -> list[str]:
    return [str(v).strip() for v in entity.props.get(prop, []) if not isinstance(v, dict) and str(v).strip()]


def _countries(values: Iterable[str]) -> tuple[str, ...]:
    # FtM country codes are lower-case ISO alpha-2 plus a few extensions ("suhh", "xk", "zz"); keep ISO ones
    return tuple(dict.fromkeys(v.upper() for v in values if _COUNTRY.match(v.lower()) and v.lower() != "zz"))


def _party(
    entity: _Entity,
    kind: PartyKind,
    by_id: Mapping[str, _Entity],
    sanctions: Sequence[_Entity],
    identifications: Sequence[_Entity],
    paths: Sequence[Path],
) -> Party:
    names = _strings(entity, "name")
    if not names:
        raise ListFormatError(
            paths[0], "entity has no name", line=entity.line, record=entity.id, field="properties.name"
        )
    primary = names[0]
    others: list[Name] = [Name(n, NameType.AKA) for n in names[1:]]
    for prop, name_type in _NAME_PROPS:
        others.extend(Name(n, name_type) for n in _strings(entity, prop))
    seen: set[tuple[str, NameType]] = set()
    unique_names = []
    for name in others:
        if name.value != primary and (name.value, name.type) not in seen:
            seen.add((name.value, name.type))
            unique_names.append(name)

    addresses = [Address(full=a) for a in _strings(entity, "address")]
    for ref in entity.props.get("addressEntity", []):
        target = ref if isinstance(ref, dict) else by_id.get(str(ref))
        if isinstance(target, dict):
            target = _entity(target, paths[0], entity.line)
        if target is not None:
            addresses.append(_address(target))

    identifiers = [Identifier(prop, value) for prop in ID_PROPS for value in _strings(entity, prop)]
    for ident in identifications:
        for number in _strings(ident, "number"):
            id_type = next(iter(_strings(ident, "type")), ident.schema)
            country = next(iter(_countries(_strings(ident, "country"))), None)
            note = next(iter(_strings(ident, "summary")), None)
            identifiers.append(Identifier(id_type, number, country, note))

    programs = [*_strings(entity, "program"), *_strings(entity, "programId")]
    listed_on: str | None = None
    ends_on: str | None = None
    for sanction in sanctions:
        programs.extend(_strings(sanction, "program") or _strings(sanction, "programId"))
        start = _strings(sanction, "listingDate") or _strings(sanction, "startDate")
        if start and (listed_on is None or start[0] < listed_on):
            listed_on = start[0]
        end = _strings(sanction, "endDate")
        if end:
            ends_on = end[0]
    extra: dict[str, Any] = {}
    if entity.datasets:
        extra["datasets"] = entity.datasets
    if topics := _strings(entity, "topics"):
        extra["topics"] = topics
    extra["schema"] = entity.schema
    notes = _strings(entity, "notes")
    return Party(
        source=SOURCE,
        source_id=entity.id,
        list=entity.datasets[0] if entity.datasets else SOURCE,
        kind=kind,
        name=primary,
        names=tuple(unique_names),
        countries=_countries(
            [*_strings(entity, "country"), *_strings(entity, "jurisdiction"), *_strings(entity, "flag")]
        ),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
        birth_dates=tuple(_strings(entity, "birthDate")),
        birth_places=tuple(_strings(entity, "birthPlace")),
        nationalities=_countries(_strings(entity, "nationality")),
        citizenships=_countries(_strings(entity, "citizenship")),
        programs=tuple(dict.fromkeys(programs)),
        title=next(iter(_strings(entity, "position")), None),
        remarks="\n".join(notes) if notes else None,
        listed_on=listed_on,
        ends_on=ends_on,
        source_url=next(iter(_strings(entity, "sourceUrl")), None),
        extra=extra,
    )


def _address(entity: _Entity) -> Address:
    full = next(iter(_strings(entity, "full")), "")
    country = next(iter(_countries(_strings(entity, "country"))), None)
    return Address(
        full=full,
        street=next(iter(_strings(entity, "street")), None),
        city=next(iter(_strings(entity, "city")), None),
        state=next(iter(_strings(entity, "region")), None),
        postal_code=next(iter(_strings(entity, "postalCode")), None),
        country=country,
    )


# --- export ---------------------------------------------------------------------------------------


def ftm_id(party: Party) -> str:
    """FtM id of a party: its own id when it came from FtM, else ``<source>-<source_id>``."""
    return party.source_id if party.source == SOURCE else f"{party.source}-{party.source_id}"


def export_ftm(parties: Iterable[Party]) -> Iterator[dict[str, Any]]:
    """FtM entities for ``parties``: one party entity each, plus a ``Sanction`` entity carrying programs and
    dates, ``Address`` entities for structured addresses, and ``Identification`` entities for identifiers
    that have no FtM property of their own."""
    for party in parties:
        entity_id = ftm_id(party)
        schema = str(party.extra.get("schema", "")) if party.source == SOURCE else ""
        if PARTY_SCHEMAS.get(schema) != party.kind:
            schema = _SCHEMA_FOR_KIND[party.kind]
        props: dict[str, list[str]] = {"name": [party.name]}
        for name in party.names:
            props.setdefault(_NAME_PROP_FOR_TYPE.get(name.type, "alias"), []).append(name.value)
        _put(props, "country", [c.lower() for c in party.countries])
        if schema == "Person":
            _put(props, "nationality", [c.lower() for c in party.nationalities])
            _put(props, "citizenship", [c.lower() for c in party.citizenships])
            _put(props, "birthDate", list(party.birth_dates))
            _put(props, "birthPlace", list(party.birth_places))
            _put(props, "position", [party.title] if party.title else [])
        _put(props, "notes", [party.remarks] if party.remarks else [])
        _put(props, "sourceUrl", [party.source_url] if party.source_url else [])
        topics = party.extra.get("topics")
        _put(props, "topics", [str(t) for t in topics] if isinstance(topics, list) else [])
        address_entities: list[dict[str, Any]] = []
        # all-or-nothing keeps the address order on re-import (plain ones are read before linked ones)
        plain_addresses = all(_is_plain(a) for a in party.addresses)
        for n, address in enumerate(party.addresses, start=1):
            if plain_addresses:
                props.setdefault("address", []).append(address.full)
            else:
                address_id = f"{entity_id}-addr-{n}"
                props.setdefault("addressEntity", []).append(address_id)
                address_entities.append(_address_entity(address_id, address))
        id_entities: list[dict[str, Any]] = []
        as_props = _identifiers_fit_props(party.identifiers)
        for n, ident in enumerate(party.identifiers, start=1):
            if as_props:
                props.setdefault(ident.type, []).append(ident.value)
            else:
                id_props = {"holder": [entity_id], "number": [ident.value], "type": [ident.type]}
                _put(id_props, "country", [ident.country.lower()] if ident.country else [])
                _put(id_props, "summary", [ident.note] if ident.note else [])
                id_entities.append(
                    {"id": f"{entity_id}-id-{n}", "schema": "Identification", "properties": id_props}
                )
        datasets = party.extra.get("datasets")
        dataset_list = [str(d) for d in datasets] if isinstance(datasets, list) else [party.list]
        yield {"id": entity_id, "schema": schema, "properties": props, "datasets": dataset_list}
        yield from address_entities
        yield from id_entities
        if party.programs or party.listed_on or party.ends_on:
            sanction: dict[str, list[str]] = {"entity": [entity_id]}
            _put(sanction, "program", list(party.programs))
            _put(sanction, "startDate", [party.listed_on] if party.listed_on else [])
            _put(sanction, "endDate", [party.ends_on] if party.ends_on else [])
            yield {
                "id": f"{entity_id}-sanction",
                "schema": "Sanction",
                "properties": sanction,
                "datasets": dataset_list,
            }


def _identifiers_fit_props(identifiers: Sequence[Identifier]) -> bool:
    """True when every identifier can be an FtM property and re-import would keep their order."""
    if not all(i.type in ID_PROPS and i.country is None and i.note is None for i in identifiers):
        return False
    order = [ID_PROPS.index(i.type) for i in identifiers]
    return order == sorted(order)


def _put(props: dict[str, list[str]], prop: str, values: list[str]) -> None:
    if values:
        props[prop] = values


def _is_plain(address: Address) -> bool:
    return all(
        v is None
        for v in (
            address.street,
            address.city,
            address.state,
            address.postal_code,
            address.country,
            address.country_name,
        )
    )


def _address_entity(address_id: str, address: Address) -> dict[str, Any]:
    props: dict[str, list[str]] = {}
    _put(props, "full", [address.full] if address.full else [])
    _put(props, "street", [address.street] if address.street else [])
    _put(props, "city", [address.city] if address.city else [])
    _put(props, "region", [address.state] if address.state else [])
    _put(props, "postalCode", [address.postal_code] if address.postal_code else [])
    _put(props, "country", [address.country.lower()] if address.country else [])
    return {"id": address_id, "schema": "Address", "properties": props}


def write_ftm(parties: Iterable[Party], out: Any) -> int:
    """Write ``export_ftm(parties)`` as JSON lines to a text stream; returns the entities written."""
    count = 0
    for entity in export_ftm(parties):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


FTM_JSON = register(
    ListFormat(
        code="ftm_json",
        description="FollowTheMoney entities, JSON lines (OpenSanctions *.ftm.json exports)",
        default_source=SOURCE,
        parse=parse_ftm,
    )
)

__all__ = ["FTM_JSON", "PARTY_SCHEMAS", "export_ftm", "ftm_id", "parse_ftm", "write_ftm"]
