"""Readers for ROR data: the official v2 data dump (zip or JSON) and the simplified JSON-lines export.

The official dump (https://zenodo.org/communities/ror-data) is a zip holding ``…-ror-data.json`` (v2 schema
since 2024; older dumps also hold a v1 file). A v2 record::

    {"id": "https://ror.org/057zh3y96", "status": "active", "types": ["education"],
     "names": [{"value": "The University of Tokyo", "types": ["ror_display", "label"], "lang": "en"},
               {"value": "東京大学", "types": ["label"], "lang": "ja"},
               {"value": "UTokyo", "types": ["alias"], "lang": null}],
     "locations": [{"geonames_id": 1850147, "geonames_details": {"name": "Tokyo", "country_code": "JP", ...}}],
     "relationships": [{"type": "child", "id": "https://ror.org/…", "label": "…"}], ...}

The simplified JSON lines (one object a line, optionally gzipped) carry ``ror_id``, ``name``,
``labels[{value, lang}]``, ``aliases``, ``acronyms``, ``country_code``, ``city``, ``types``, ``status``,
``relationships[{type, id, label}]``.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListFormatError
from techguard.research.registry import (
    Institution,
    InstitutionName,
    NameKind,
    Registry,
    Relationship,
    file_sha256,
    normalise_ror_id,
)

_V2_NAME_KINDS = {"ror_display": NameKind.DISPLAY, "label": NameKind.LABEL, "alias": NameKind.ALIAS,
                  "acronym": NameKind.ACRONYM}


def _require(record: dict[str, Any], key: str, path: Path, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in record:
        raise ListFormatError(path, "required field missing", record=where, field=key)
    value = record[key]
    if not isinstance(value, kind):
        raise ListFormatError(path, f"expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}",
                              record=where, field=key)
    return value


def _relationships(raw: Any, path: Path, where: str) -> tuple[Relationship, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ListFormatError(path, "expected a list", record=where, field="relationships")
    out = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ListFormatError(path, "relationship without an id", record=where, field="relationships")
        out.append(Relationship(str(item.get("type", "")).lower(), normalise_ror_id(item["id"]),
                                str(item.get("label") or "")))
    return tuple(out)


def institution_from_v2(record: dict[str, Any], path: Path, where: str) -> Institution:
    """One ROR schema v2 record."""
    ror_id = normalise_ror_id(_require(record, "id", path, where, str))
    names: list[InstitutionName] = []
    display = ""
    for entry in _require(record, "names", path, ror_id, list):
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            raise ListFormatError(path, "name without a value", record=ror_id, field="names")
        kinds = [_V2_NAME_KINDS[t] for t in entry.get("types") or [] if t in _V2_NAME_KINDS]
        if NameKind.DISPLAY in kinds:
            display = entry["value"]
        # A name tagged ror_display and label is stored once, with its strongest kind.
        kind = min(kinds, key=list(NameKind).index) if kinds else NameKind.LABEL
        names.append(InstitutionName(entry["value"], kind.value, entry.get("lang")))
    if not display:
        if not names:
            raise ListFormatError(path, "record has no names", record=ror_id, field="names")
        display = names[0].value
    country = city = None
    for location in record.get("locations") or []:
        details = location.get("geonames_details") or {} if isinstance(location, dict) else {}
        country = details.get("country_code") or country
        city = details.get("name") or city
        if country:
            break
    return Institution(
        ror_id=ror_id,
        name=display,
        names=tuple(names),
        country=country.upper() if isinstance(country, str) else None,
        city=city if isinstance(city, str) else None,
        status=str(record.get("status") or "active"),
        types=tuple(str(t) for t in record.get("types") or ()),
        relationships=_relationships(record.get("relationships"), path, ror_id),
        established=record.get("established") if isinstance(record.get("established"), int) else None,
        domains=tuple(str(d) for d in record.get("domains") or ()),
    )


def institution_from_simplified(record: dict[str, Any], path: Path, where: str) -> Institution:
    """One record of the simplified JSON-lines export."""
    ror_id = normalise_ror_id(_require(record, "ror_id", path, where, str))
    display = _require(record, "name", path, ror_id, str)
    names = [InstitutionName(display, NameKind.DISPLAY.value, None)]
    for label in record.get("labels") or []:
        if not isinstance(label, dict) or not isinstance(label.get("value"), str):
            raise ListFormatError(path, "label without a value", record=ror_id, field="labels")
        if label["value"] == display:
            names[0] = InstitutionName(display, NameKind.DISPLAY.value, label.get("lang"))
        else:
            names.append(InstitutionName(label["value"], NameKind.LABEL.value, label.get("lang")))
    for field_name, kind in (("aliases", NameKind.ALIAS), ("acronyms", NameKind.ACRONYM)):
        values = record.get(field_name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ListFormatError(path, "expected a list of strings", record=ror_id, field=field_name)
        names.extend(InstitutionName(v, kind.value, None) for v in values)
    country = record.get("country_code")
    return Institution(
        ror_id=ror_id,
        name=display,
        names=tuple(names),
        country=country.upper() if isinstance(country, str) and country else None,
        city=record.get("city") if isinstance(record.get("city"), str) else None,
        status=str(record.get("status") or "active"),
        types=tuple(str(t) for t in record.get("types") or ()),
        relationships=_relationships(record.get("relationships"), path, ror_id),
        established=record.get("established") if isinstance(record.get("established"), int) else None,
        domains=tuple(str(d) for d in record.get("domains") or ()),
    )


def _institution(record: Any, path: Path, where: str) -> Institution:
    if not isinstance(record, dict):
        raise ListFormatError(path, "expected a JSON object", record=where)
    if "names" in record and "id" in record:
        return institution_from_v2(record, path, where)
    if "ror_id" in record:
        return institution_from_simplified(record, path, where)
    if "id" in record and "name" in record:
        raise ListFormatError(path, "this is a ROR schema v1 record; use a v2 data dump (ROR retired v1 in 2025)",
                              record=where)
    raise ListFormatError(path, "not a ROR record (no 'id'+'names' nor 'ror_id')", record=where)


def _json_lines(path: Path, text: io.TextIOBase | Any) -> Iterator[Institution]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ListFormatError(path, f"invalid JSON: {exc.msg}", line=number) from exc
        yield _institution(record, path, f"line {number}")


def _json_array(path: Path, data: bytes) -> Iterator[Institution]:
    try:
        records = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    if isinstance(records, dict) and "items" in records:  # a saved ROR API search page
        records = records["items"]
    if not isinstance(records, list):
        raise ListFormatError(path, "expected a JSON array of ROR records")
    for index, record in enumerate(records):
        yield _institution(record, path, f"#{index}")


def read_institutions(path: Path) -> Iterator[Institution]:
    """Every institution in a ROR file: ``.zip`` dump, ``.json`` array, ``.jsonl`` / ``.jsonl.gz`` lines."""
    name = path.name.lower()
    if not path.is_file():
        raise ListFormatError(path, "file not found")
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".json")]
            # Dumps from 2024 on carry "_schema_v2.json" beside a v1 file; later ones only v2.
            v2 = [m for m in members if "v2" in m.lower()] or members
            if not v2:
                raise ListFormatError(path, "zip holds no .json ROR data file")
            yield from _json_array(path, archive.read(sorted(v2)[0]))
        return
    if name.endswith((".jsonl.gz", ".json.gz", ".gz")):
        with gzip.open(path, "rt", encoding="utf-8") as text:
            if name.endswith(".json.gz"):
                yield from _json_array(path, text.read().encode())
            else:
                yield from _json_lines(path, text)
        return
    if name.endswith(".jsonl"):
        with path.open(encoding="utf-8") as text:
            yield from _json_lines(path, text)
        return
    if name.endswith(".json"):
        yield from _json_array(path, path.read_bytes())
        return
    raise ListFormatError(path, "unknown registry file type (expected .zip, .json, .jsonl or .jsonl.gz)")


def load_registry(path: Path | str) -> Registry:
    """Load a ROR file into a :class:`Registry` (withdrawn records included; the resolver skips them)."""
    from techguard.research.index import gc_paused

    path = Path(path)
    with gc_paused():
        institutions = list(read_institutions(path))
    if not institutions:
        raise ListFormatError(path, "no ROR records in file")
    return Registry(institutions, source=path, sha256=file_sha256(path))


__all__ = ["institution_from_simplified", "institution_from_v2", "load_registry", "read_institutions"]
