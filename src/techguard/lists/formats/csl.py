"""trade.gov Consolidated Screening List (CSL): ``csl_csv`` (consolidated.csv) and ``csl_json`` (consolidated.json).

The CSL merges eleven-odd US lists (OFAC SDN/SSI/PLC/CMIC/MBS/FSE/CAPTA, BIS Entity List/DPL/UVL/MEU, State
ISN/DTC). Each record's ``source`` text ("Entity List (EL) - Bureau of Industry and Security") says which list
it is on; :func:`list_code_for_source` maps it to our list code.

CSV (``_id, source, entity_number, type, programs, name, title, addresses, federal_register_notice, start_date,
end_date, standard_order, license_requirement, license_policy, call_sign, vessel_type, gross_tonnage,
gross_registered_tonnage, vessel_flag, vessel_owner, remarks, source_list_url, alt_names, citizenships,
dates_of_birth, nationalities, places_of_birth, source_information_url, ids``): multi-valued cells are
``;``-separated; an address is "street, city, [state,] postal code, CC" with the ISO country last; an id is
"Type, Number[, CC]". JSON: ``{"results": [...]}`` with the same field names but real lists (addresses as
objects ``{address, city, state, postal_code, country}``, ids as ``{type, number, country, issue_date,
expiration_date}``) and ``id`` for ``_id``.

Odd things handled on purpose:

- a row that repeats the header (the 2023-11-30 snapshot has one at line 2) is skipped with a warning;
- the same ``_id`` appears on two lists (OFAC ``entity_number`` 9659 is on both SDN and PLC), so
  ``source_id`` is ``"<list code>:<_id>"`` -- unique, and stable across editions;
- a file that ends inside a quoted field (a cut-off download) raises :class:`ListFormatError` from
  :func:`parse_csv` unless ``accept_truncated_end=True``: then the partial last record is kept, marked
  ``extra["truncated"]``, with a warning and ``counts["truncated_records"]``. The registered ``csl_csv``
  format keeps it (screening a local file works); the snapshot store refuses it unless forced. The
  2023-11-30 snapshot is cut off this way.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._csv import find_files, null_if_blank, read_text, rows
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2

__all__ = [
    "COLUMNS",
    "CSL_CSV_FORMAT",
    "CSL_JSON_FORMAT",
    "list_code_for_source",
    "parse_csv",
    "parse_json",
    "repair_lost_characters",
]

SOURCE = "us_csl"
COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
_REQUIRED = ("source", "name")

# The abbreviation CSL puts in brackets in ``source`` -> our list code.
_SOURCE_ABBREVIATIONS = {
    "SDN": "us_sdn",
    "EL": "us_entity_list",
    "DPL": "us_dpl",
    "UVL": "us_uvl",
    "MEU": "us_meu",
    "SSI": "us_ssi",
    "ISN": "us_isn",
    "DTC": "us_dtc",
    "PLC": "us_plc",
    "CMIC": "us_cmic",
    "NS-CMIC": "us_cmic",
    "NS-MBS LIST": "us_mbs",
    "NS-MBS": "us_mbs",
    "MBS": "us_mbs",
    "FSE": "us_fse",
    "CAP": "us_capta",
    "CAPTA": "us_capta",
    "NSCMIC": "us_nscmic",
}
# Fallbacks on words, for sources written without the bracketed abbreviation.
_SOURCE_WORDS = (
    ("specially designated nationals", "us_sdn"),
    ("entity list", "us_entity_list"),
    ("denied persons", "us_dpl"),
    ("unverified", "us_uvl"),
    ("military end user", "us_meu"),
    ("sectoral sanctions", "us_ssi"),
    ("nonproliferation", "us_isn"),
    ("itar debarred", "us_dtc"),
    ("palestinian legislative council", "us_plc"),
    ("military-industrial complex", "us_cmic"),
    ("menu-based", "us_mbs"),
    ("foreign sanctions evaders", "us_fse"),
    ("capta", "us_capta"),
    ("correspondent account", "us_capta"),
)
_BRACKETED = re.compile(r"\(([^()]+)\)")
_KINDS = {
    "individual": PartyKind.PERSON,
    "entity": PartyKind.ORGANISATION,
    "vessel": PartyKind.VESSEL,
    "aircraft": PartyKind.AIRCRAFT,
}
# BIS and State append this to names; the name without it is what people write.
_SUCCESSOR_CLAUSE = re.compile(
    r";?\s*and any successors?, sub-units?,? or subsidiar(?:y|ies) thereof\.?$", re.I
)
_ISO2 = re.compile(r"^[A-Z]{2}$")
_AND_PREFIX = re.compile(r"^and\s+")
_LOST_CHARACTER = re.compile(r"\w\?|\?\w")
_LOST_APOSTROPHE_S = re.compile(r"(\w)\?s\b")
_LOST_APOSTROPHE = re.compile(r"(\b[dlDL]|[a-z])\?([A-Za-z])(?<=[a-z]\?[a-z]|\b[dlDL]\?[A-Za-z])")


@dataclass(frozen=True, slots=True)
class _At:
    """Where a record is: a CSV line or a JSON record index."""

    line: int | None = None
    record: str | None = None


def _fail(path: Path, at: _At, message: str, field: str) -> ListFormatError:
    return ListFormatError(path, message, line=at.line, record=at.record, field=field)


def list_code_for_source(source: str) -> str | None:
    """``"Entity List (EL) - Bureau of Industry and Security"`` -> ``"us_entity_list"``; ``None`` if unknown."""
    for bracketed in _BRACKETED.findall(source):
        code = _SOURCE_ABBREVIATIONS.get(bracketed.strip().upper())
        if code:
            return code
    lowered = source.lower()
    for words, code in _SOURCE_WORDS:
        if words in lowered:
            return code
    return None


def repair_lost_characters(name: str) -> str:
    """A spelling for names where the publisher's export turned ’ “ ” – into ``?`` (seen in BIS entries).

    ``"Academy?s"`` -> ``"Academy's"``, ``"Xi?an"`` -> ``"Xi'an"``, ``"d?Etudes"`` -> ``"d'Etudes"``, any other
    ``?`` (lost quotes and dashes) -> a space. Names
    without such a ``?`` come back unchanged. The published spelling is always kept as well.
    """
    if "?" not in name or not _LOST_CHARACTER.search(name):
        return name
    fixed = _LOST_APOSTROPHE_S.sub(r"\1's", name)
    fixed = _LOST_APOSTROPHE.sub(r"\1'\2", fixed)
    return " ".join(fixed.replace("?", " ").split())


def _slug(text: str) -> str:
    return "us_csl_" + (re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "unknown")


def _items(value: object, path: Path, where: _At, field: str) -> list[object]:
    """A multi-valued field: a ``;``-separated string (CSV) or a JSON list; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list):
        return [item.strip() if isinstance(item, str) else item for item in value if item not in ("", None)]
    raise _fail(path, where, f"expected text or a list, found {type(value).__name__}", field)


def _text(value: object, path: Path, where: _At, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # JSON sometimes gives a one-element list for a scalar
        value = "; ".join(str(item) for item in value if item not in ("", None))
    if not isinstance(value, str | int | float):
        raise _fail(path, where, f"expected text, found {type(value).__name__}", field)
    return null_if_blank(str(value))


def _address(item: object, path: Path, where: _At) -> Address:
    if isinstance(item, str):
        parts = [part.strip() for part in item.split(",")]
        last = parts[-1] if parts else ""
        country = last if _ISO2.match(last) and to_iso2(last) else None
        if country is None and len(parts) > 1:
            country = to_iso2(last)  # some rows end in a country name ("Hamburg, Germany")
        return Address(full=item, country=country, country_name=last if country else None)
    if isinstance(item, dict):
        fields = {key: _text(item.get(key), path, where, f"addresses.{key}") for key in
                  ("address", "city", "state", "postal_code", "country")}  # fmt: skip
        full = ", ".join(value for value in fields.values() if value)
        return Address(
            full=full,
            street=fields["address"],
            city=fields["city"],
            state=fields["state"],
            postal_code=fields["postal_code"],
            country=to_iso2(fields["country"]),
            country_name=fields["country"],
        )
    raise _fail(path, where, f"address must be text or an object, found {type(item).__name__}", "addresses")


def _identifier(item: object, path: Path, where: _At) -> Identifier:
    if isinstance(item, str):
        parts = [part.strip() for part in item.split(", ")]
        if len(parts) < 2:
            return Identifier(type=parts[0], value="")
        country = parts[-1] if len(parts) >= 3 and _ISO2.match(parts[-1]) and to_iso2(parts[-1]) else None
        value_parts = parts[1:-1] if country else parts[1:]
        return Identifier(type=parts[0], value=", ".join(value_parts), country=country)
    if isinstance(item, dict):
        id_type = _text(item.get("type"), path, where, "ids.type") or ""
        number = _text(item.get("number"), path, where, "ids.number") or ""
        country = _text(item.get("country"), path, where, "ids.country")
        dates = [
            f"{label} {value}"
            for label, key in (("issued", "issue_date"), ("expires", "expiration_date"))
            if (value := _text(item.get(key), path, where, f"ids.{key}"))
        ]
        return Identifier(id_type, number, to_iso2(country), " ".join(dates) or None)
    raise _fail(path, where, f"id must be text or an object, found {type(item).__name__}", "ids")


def _countries(values: list[object], unresolved: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        code = to_iso2(str(value))
        if code:
            found.append(code)
        else:
            unresolved.append(str(value))
    return tuple(dict.fromkeys(found))


def _party(
    record: Mapping[str, object],
    path: Path,
    where: _At,
    warnings: list[str],
    counts: Counter[str],
) -> Party:
    def text(field: str) -> str | None:
        return _text(record.get(field), path, where, field)

    def items(field: str) -> list[object]:
        return _items(record.get(field), path, where, field)

    for field in _REQUIRED:
        if text(field) is None:
            raise _fail(path, where, "required value is empty", field)
    source_text, name = text("source") or "", text("name") or ""
    record_id = text("_id") or text("id")
    if record_id is None:
        raise _fail(path, where, "required value is empty", "_id")
    list_code = list_code_for_source(source_text)
    if list_code is None:
        list_code = _slug(source_text)
        warnings.append(f"unknown CSL source {source_text!r}: kept as list {list_code!r}")
    type_text = text("type")
    kind = _KINDS.get(type_text.lower()) if type_text else PartyKind.UNKNOWN
    if kind is None:
        raise _fail(path, where, f"unknown type {type_text!r}", "type")

    # BIS writes alt_names as an English list: "A; B; and C." -- the joining "and " is not part of C.
    aliases = [_AND_PREFIX.sub("", str(alias)) for alias in items("alt_names")]
    names = [Name(alias, NameType.AKA) for alias in aliases if alias]
    alt_name_count = len(names)
    core_name = _SUCCESSOR_CLAUSE.sub("", name).strip()
    if core_name and core_name != name:
        names.insert(0, Name(core_name, NameType.OTHER))
    repaired = [
        fixed for spelling in (name, *aliases) if (fixed := repair_lost_characters(spelling)) != spelling
    ]
    names.extend(Name(fixed, NameType.OTHER) for fixed in dict.fromkeys(repaired))
    counts["repaired_names"] += len(repaired)
    addresses = tuple(
        _address(_AND_PREFIX.sub("", item) if isinstance(item, str) else item, path, where)
        for item in items("addresses")
    )
    identifiers = tuple(_identifier(item, path, where) for item in items("ids"))
    unresolved: list[str] = []
    nationalities = _countries(items("nationalities"), unresolved)
    citizenships = _countries(items("citizenships"), unresolved)
    countries = dict.fromkeys(
        [address.country for address in addresses if address.country] + [*nationalities, *citizenships]
    )
    extra: dict[str, object] = {"csl_source": source_text, "csl_id": record_id}
    for field in ("entity_number", "standard_order", "call_sign", "vessel_type", "gross_tonnage",
                  "gross_registered_tonnage", "vessel_flag", "vessel_owner", "source_information_url"):  # fmt: skip
        value = text(field)
        if value is not None:
            extra[field] = value
    if unresolved:
        extra["unresolved_countries"] = unresolved
    counts["records"] += 1
    counts["alt_names"] += alt_name_count
    counts["addresses"] += len(addresses)
    counts["ids"] += len(identifiers)
    counts[f"list:{list_code}"] += 1
    return Party(
        source=SOURCE,
        source_id=f"{list_code}:{record_id}",
        list=list_code,
        kind=kind,
        name=name,
        names=tuple(names),
        countries=tuple(countries),
        addresses=addresses,
        identifiers=identifiers,
        birth_dates=tuple(str(value) for value in items("dates_of_birth")),
        birth_places=tuple(str(value) for value in items("places_of_birth")),
        nationalities=nationalities,
        citizenships=citizenships,
        programs=tuple(str(value) for value in items("programs")),
        title=text("title"),
        remarks=text("remarks"),
        licence_requirement=text("license_requirement"),
        licence_policy=text("license_policy"),
        federal_register=text("federal_register_notice"),
        listed_on=text("start_date"),
        ends_on=text("end_date"),
        source_url=text("source_list_url"),
        extra=extra,
    )


def _unique(parties: list[Party], path: Path) -> tuple[Party, ...]:
    seen: set[str] = set()
    for party in parties:
        if party.source_id in seen:
            raise ListFormatError(
                path, f"record {party.source_id} appears twice on the same list", field="_id"
            )
        seen.add(party.source_id)
    return tuple(parties)


def parse_csv(paths: Sequence[Path], *, accept_truncated_end: bool = False) -> ParseResult:
    """Parse trade.gov's ``consolidated.csv`` (any file name when given a file; in a directory, ``*.csv``)."""
    path = _single_file(paths, ".csv")
    text = read_text(path).text
    warnings: list[str] = []
    counts: Counter[str] = Counter()
    # An odd number of quote characters means the file stops inside a quoted field (a cut-off download).
    # Closing the quote lets the CSV reader hand over the partial record, which is refused or kept below.
    ends_in_quote = text.count('"') % 2 == 1
    records = list(rows(text + '"' if ends_in_quote else text, path))
    if not records:
        raise ListFormatError(path, "file is empty", line=1)
    header = [column.strip() for column in records[0].fields]
    missing = [column for column in ("source", "name") if column not in header]
    if missing or not ({"_id", "id"} & set(header)):
        raise ListFormatError(path, f"not a CSL header (missing {', '.join(missing) or '_id'})", line=1)
    parties: list[Party] = []
    for position, row in enumerate(records[1:], start=1):
        fields = row.fields
        if [field.strip() for field in fields] == header:
            warnings.append(f"line {row.line} repeats the header row; skipped")
            continue
        if len(fields) != len(header):
            is_last = position == len(records) - 1
            if is_last and ends_in_quote and len(fields) < len(header):
                if not accept_truncated_end:
                    raise ListFormatError(
                        path,
                        f"file ends inside a quoted field: the last record is cut off "
                        f"({len(fields)} of {len(header)} fields)",
                        line=row.line,
                        field=header[len(fields) - 1],
                    )
                warnings.append(
                    f"line {row.line}: the file ends inside field {header[len(fields) - 1]!r}; "
                    f"the last record is incomplete ({len(fields)} of {len(header)} fields) and was kept"
                )
                fields = fields + [""] * (len(header) - len(fields))
                counts["truncated_records"] += 1
            else:
                field = header[len(fields)] if len(fields) < len(header) else "(extra column)"
                raise ListFormatError(
                    path, f"expected {len(header)} fields, found {len(fields)}", line=row.line, field=field
                )
        record = dict(zip(header, fields, strict=True))
        party = _party(record, path, _At(line=row.line), warnings, counts)
        if len(row.fields) != len(header):
            party.extra["truncated"] = True
        parties.append(party)
    return ParseResult(parties=_unique(parties, path), warnings=tuple(warnings), counts=dict(counts))


def parse_json(paths: Sequence[Path]) -> ParseResult:
    """Parse trade.gov's ``consolidated.json`` (``{"results": [...]}``; a bare list is accepted too)."""
    path = _single_file(paths, ".json")
    text = read_text(path).text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ListFormatError(path, f"not valid JSON: {error.msg}", line=error.lineno) from error
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise ListFormatError(path, 'expected {"results": [...]} or a list of records', field="results")
    warnings: list[str] = []
    counts: Counter[str] = Counter()
    parties: list[Party] = []
    for index, record in enumerate(results):
        where = _At(record=f"#{index + 1}")
        if not isinstance(record, dict):
            raise ListFormatError(
                path, f"expected an object, found {type(record).__name__}", record=f"#{index + 1}"
            )
        parties.append(_party(record, path, where, warnings, counts))
    published = _json_publisher_date(data, path) if isinstance(data, dict) else None
    return ParseResult(
        parties=_unique(parties, path), publisher_date=published, warnings=tuple(warnings), counts=dict(counts)
    )


def _json_publisher_date(data: dict[str, Any], path: Path) -> str | None:
    """The edition's date from the API response's ``sources_used``: when trade.gov last imported its sources
    (``last_imported``, else ``source_last_updated``), the latest of them. The CSV carries no date."""
    sources = data.get("sources_used")
    if sources is None:
        return None
    if not isinstance(sources, list):
        raise ListFormatError(path, "expected a list of sources", field="sources_used")
    for key in ("last_imported", "source_last_updated"):
        dates = [str(s[key])[:10] for s in sources if isinstance(s, dict) and isinstance(s.get(key), str) and s[key]]
        if dates:
            return max(dates)
    return None


def _single_file(paths: Sequence[Path], suffix: str) -> Path:
    if len(paths) == 1 and paths[0].is_dir():
        candidates = [p for p in sorted(paths[0].iterdir()) if p.suffix.lower() == suffix and p.is_file()]
        preferred = [p for p in candidates if p.stem.lower() in ("consolidated", "csl")]
        chosen = preferred or candidates
        if len(chosen) != 1:
            raise ListFormatError(
                paths[0], f"expected one {suffix} file (consolidated{suffix}), found {len(chosen)}"
            )
        return chosen[0]
    if len(paths) != 1:
        found = find_files(paths, [f"consolidated{suffix}"], required=[f"consolidated{suffix}"])
        return found[f"consolidated{suffix}"]
    return paths[0]


def _parse_csv_keeping_cut_off_end(paths: Sequence[Path]) -> ParseResult:
    # Screening a local file should not fail on a cut-off last record (the 2023-11-30 snapshot is one): the
    # record is kept and flagged in warnings and counts["truncated_records"]. The snapshot store refuses such
    # a result for an update or import unless forced, so a cut-off download never becomes the active list.
    return parse_csv(paths, accept_truncated_end=True)


CSL_CSV_FORMAT = register(
    ListFormat(
        code="csl_csv",
        description="trade.gov Consolidated Screening List, consolidated.csv (all US screening lists)",
        default_source=SOURCE,
        parse=_parse_csv_keeping_cut_off_end,
        file_names=("consolidated.csv",),
    )
)
CSL_JSON_FORMAT = register(
    ListFormat(
        code="csl_json",
        description="trade.gov Consolidated Screening List, consolidated.json (all US screening lists)",
        default_source=SOURCE,
        parse=parse_json,
        file_names=("consolidated.json",),
    )
)
