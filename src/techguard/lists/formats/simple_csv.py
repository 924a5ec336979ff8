"""``simple_csv``: techguard's own watch-list CSV, for lists an officer keeps (in-house denials, customer lists).

Header ``id,name,aliases,kind,countries``; only ``id`` and ``name`` are required. ``aliases`` and
``countries`` hold several values separated by ``;``. ``kind`` is person / organisation / vessel /
aircraft (or 個人 / 団体 / 法人 / 企業 / 船舶 / 航空機). Countries are ISO codes or names in English,
Japanese or Chinese. Files may be UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8") or CP932 (Excel's Japanese
"CSV"); Excel-style quoting (fields with commas, quotes or line breaks) is understood. Extra columns are
kept with each entry, unread.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from techguard.i18n import multilingual
from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.model import Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.decode import TextEncodingError, decode_text

SOURCE = "custom"
COLUMNS = ("id", "name", "aliases", "kind", "countries")
REQUIRED = ("id", "name")
_KINDS: dict[str, PartyKind] = {
    "person": PartyKind.PERSON,
    "individual": PartyKind.PERSON,
    "個人": PartyKind.PERSON,
    "人": PartyKind.PERSON,
    "organisation": PartyKind.ORGANISATION,
    "organization": PartyKind.ORGANISATION,
    "entity": PartyKind.ORGANISATION,
    "company": PartyKind.ORGANISATION,
    "団体": PartyKind.ORGANISATION,
    "法人": PartyKind.ORGANISATION,
    "企業": PartyKind.ORGANISATION,
    "組織": PartyKind.ORGANISATION,
    "vessel": PartyKind.VESSEL,
    "ship": PartyKind.VESSEL,
    "船舶": PartyKind.VESSEL,
    "aircraft": PartyKind.AIRCRAFT,
    "航空機": PartyKind.AIRCRAFT,
}


def decode_csv_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (a BOM is dropped), else CP932; an error naming the file otherwise."""
    try:
        decoded = decode_text(data, path)
    except TextEncodingError as error:
        raise ListFormatError(path, error.reason, line=error.line) from None
    return decoded.text, decoded.encoding


def parse_simple_csv(paths: Sequence[Path]) -> ParseResult:
    parties: list[Party] = []
    warnings: list[str] = []
    seen: dict[str, tuple[Path, int]] = {}
    rows = 0
    for path in paths:
        text, encoding = decode_csv_bytes(path.read_bytes(), path)
        if encoding == "cp932":
            warnings.append(f"{path.name}: read as CP932 (Shift_JIS) / CP932 として読み込みました")
        for line, row in _records(text, path):
            rows += 1
            party = _party(row, path, line)
            if party.source_id in seen:
                first_path, first_line = seen[party.source_id]
                where = f"line {first_line}" if first_path == path else f"{first_path.name} line {first_line}"
                raise ListFormatError(
                    path,
                    multilingual("duplicate id {id!r} (also on {where})", id=party.source_id, where=where),
                    line=line,
                    field="id",
                )
            seen[party.source_id] = (path, line)
            parties.append(party)
    return ParseResult(parties=tuple(parties), warnings=tuple(warnings), counts={"rows": rows})


def _records(text: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ListFormatError(path, multilingual("the file is empty"), line=1) from None
    except csv.Error as exc:
        raise ListFormatError(path, f"unreadable CSV: {exc}", line=1) from None
    columns = [h.strip().lower() for h in header]
    for required in REQUIRED:
        if required not in columns:
            raise ListFormatError(
                path,
                f"the header must have an {required!r} column (expected {','.join(COLUMNS)}); found "
                f"{','.join(h for h in header if h) or 'nothing'}",
                line=1,
                field=required,
            )
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise ListFormatError(path, f"column {duplicated[0]!r} appears twice in the header", line=1)
    records: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
                raise ListFormatError(
                    path, f"{len(values)} fields but the header has {len(columns)}", line=start
                )
            records.append((start, {c: v.strip() for c, v in zip(columns, values, strict=False) if c}))
    except csv.Error as exc:
        raise ListFormatError(path, f"unreadable CSV: {exc}", line=line) from None
    return records


def _party(row: dict[str, str], path: Path, line: int) -> Party:
    source_id = row.get("id", "")
    if not source_id:
        raise ListFormatError(path, multilingual("id is empty"), line=line, field="id")
    name = row.get("name", "")
    if not name:
        raise ListFormatError(path, multilingual("name is empty"), line=line, field="name")
    aliases = [a for a in _split(row.get("aliases", "")) if a != name]
    kind_text = row.get("kind", "")
    kind = PartyKind.UNKNOWN
    if kind_text:
        found = _KINDS.get(kind_text.lower())
        if found is None:
            raise ListFormatError(
                path,
                f"unknown kind {kind_text!r}; use person, organisation, vessel or aircraft (個人/団体/法人)",
                line=line,
                field="kind",
            )
        kind = found
    countries: list[str] = []
    for text in _split(row.get("countries", "")):
        code = to_iso2(text)
        if code is None:
            raise ListFormatError(
                path,
                multilingual("unknown country {text!r}; use an ISO code (JP, CN, ...) or a country name", text=text),
                line=line,
                field="countries",
            )
        if code not in countries:
            countries.append(code)
    extra = {k: v for k, v in row.items() if k not in COLUMNS and v}
    return Party(
        source=SOURCE,
        source_id=source_id,
        list=SOURCE,
        kind=kind,
        name=name,
        names=tuple(Name(a, NameType.AKA) for a in dict.fromkeys(aliases)),
        countries=tuple(countries),
        extra=extra,
    )


def _split(text: str) -> list[str]:
    # "；" is what a Japanese IME produces for ";"
    return [part.strip() for part in text.replace("；", ";").split(";") if part.strip()]


SIMPLE_CSV = register(
    ListFormat(
        code="simple_csv",
        description="techguard watch-list CSV: id,name,aliases,kind,countries (UTF-8, UTF-8 BOM or CP932)",
        default_source=SOURCE,
        parse=parse_simple_csv,
    )
)

__all__ = ["COLUMNS", "SIMPLE_CSV", "decode_csv_bytes", "parse_simple_csv"]
