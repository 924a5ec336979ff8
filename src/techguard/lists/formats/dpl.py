"""BIS Denied Persons List, ``dpl.txt`` (``bis_dpl``): tab-separated, quoted, one header row.

Columns: ``Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation``. BIS writes one row per (name, address, order): a person
with three addresses is three rows, a company renewed under a new order appears again with new dates.

How rows become parties (the counting rule)
-------------------------------------------
Rows are grouped by the **normalised name**: NFKC, upper case, every run of characters that are not letters
or digits replaced by one space, trimmed. So ``" I. ASH"`` and ``"I. ASH"`` are one party, and so are
``"AL-NASER  AIRLINES"`` and ``"AL NASER AIRLINES"`` (the same temporary denial order). Nothing else is
used: two rows with the same normalised name are the same denied party even when their orders differ
(BIS renews and re-issues orders against the same person). The 2023-11-30 file has 665 rows and
**544 parties** by this rule (546 distinct raw names).

Each party keeps every distinct address, every order (effective/expiration dates, standard order flag,
last update, action, FR citation) in ``extra["orders"]``, the earliest effective date as ``listed_on``, the
latest expiration date as ``ends_on`` and all FR citations in ``federal_register``. Other spellings of the
name within the group are kept as ``NameType.OTHER`` names.

``source_id`` is ``"dpl-"`` + the first 16 hex digits of the SHA-256 of the normalised name, so it stays
the same from one edition to the next as long as BIS spells the name the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._csv import find_files, null_if_blank, read_text, rows
from techguard.lists.model import Address, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2

__all__ = ["COLUMNS", "DPL_FORMAT", "grouping_key", "parse_dpl", "source_id_for"]

SOURCE = "us_bis_dpl"
LIST = "us_dpl"
COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def grouping_key(name: str) -> str:
    """The normalised name DPL rows are grouped by (see the module docstring)."""
    return _NOT_ALNUM.sub(" ", unicodedata.normalize("NFKC", name)).strip().upper()


def source_id_for(name: str) -> str:
    return "dpl-" + hashlib.sha256(grouping_key(name).encode("utf-8")).hexdigest()[:16]


def _iso(value: str, path: Path, line: int, column: str) -> str | None:
    """``"06/19/2003"`` (BIS) or ``"2007-01-31"`` -> ISO; empty -> ``None``; anything else is an error."""
    text = value.strip()
    if not text:
        return None
    match = _US_DATE.match(text)
    try:
        if match:
            month, day, year = (int(part) for part in match.groups())
            return date(year, month, day).isoformat()
        if _ISO_DATE.match(text):
            return date.fromisoformat(text).isoformat()
    except ValueError as error:
        raise ListFormatError(path, f"impossible date {text!r}: {error}", line=line, field=column) from error
    raise ListFormatError(path, f"expected a date like 06/19/2003, got {text!r}", line=line, field=column)


@dataclass(slots=True)
class _Group:
    names: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    orders: list[dict[str, str | None]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _address(cells: dict[str, str | None]) -> Address | None:
    parts = [cells[key] for key in ("Street_Address", "City", "State", "Postal_Code", "Country")]
    if not any(parts):
        return None
    country_text = cells["Country"]
    return Address(
        full=", ".join(part for part in parts if part),
        street=cells["Street_Address"],
        city=cells["City"],
        state=cells["State"],
        postal_code=cells["Postal_Code"],
        country=to_iso2(country_text),
        country_name=country_text,
    )


def parse_dpl(paths: Sequence[Path]) -> ParseResult:
    """Parse BIS's ``dpl.txt`` into one :class:`Party` per denied party (grouping rule in the module doc)."""
    path = find_files(paths, ["dpl.txt"], required=["dpl.txt"])["dpl.txt"] if _is_dir(paths) else _one(paths)
    decoded = read_text(path, fallbacks=("cp1252",))
    warnings: list[str] = []
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(f"{path.name}: not UTF-8, read as {decoded.encoding}")
    records = list(rows(decoded.text, path, delimiter="\t"))
    if not records:
        raise ListFormatError(path, "file is empty", line=1)
    header = [cell.strip() for cell in records[0].fields]
    if [cell.lower() for cell in header] != [column.lower() for column in COLUMNS]:
        raise ListFormatError(
            path, f"unexpected header; expected the {len(COLUMNS)} DPL columns {', '.join(COLUMNS)}", line=1
        )
    groups: dict[str, _Group] = {}
    counts: Counter[str] = Counter()
    raw_names: set[str] = set()
    for row in records[1:]:
        if len(row.fields) != len(COLUMNS):
            column = COLUMNS[len(row.fields)] if len(row.fields) < len(COLUMNS) else "(extra column)"
            raise ListFormatError(
                path,
                f"expected {len(COLUMNS)} tab-separated fields, found {len(row.fields)}",
                line=row.line,
                field=column,
            )
        cells = {column: null_if_blank(value) for column, value in zip(COLUMNS, row.fields, strict=True)}
        name = cells["Name"]
        if name is None or not grouping_key(name):
            raise ListFormatError(path, "required value is empty", line=row.line, field="Name")
        order = {
            "effective": _iso(row.fields[6], path, row.line, "Effective_Date"),
            "expires": _iso(row.fields[7], path, row.line, "Expiration_Date"),
            "standard_order": (cells["Standard_Order"] or "").upper() or None,
            "last_update": _iso(row.fields[9], path, row.line, "Last_Update"),
            "action": cells["Action"],
            "fr_citation": " ".join(cells["FR_Citation"].split()) if cells["FR_Citation"] else None,
        }
        raw_names.add(row.fields[0])
        group = groups.setdefault(grouping_key(name), _Group())
        group.lines.append(row.line)
        if name not in group.names:
            group.names.append(name)
        address = _address(cells)
        if address is not None and address not in group.addresses:
            group.addresses.append(address)
        if order not in group.orders:
            group.orders.append(order)
        counts["rows"] += 1
    parties = tuple(_party(key, group) for key, group in groups.items())
    counts["parties"] = len(parties)
    counts["addresses"] = sum(len(party.addresses) for party in parties)
    counts["distinct_raw_names"] = len(raw_names)
    return ParseResult(parties=parties, warnings=tuple(warnings), counts=dict(counts))


def _party(key: str, group: _Group) -> Party:
    effective = sorted(order["effective"] for order in group.orders if order["effective"])
    expires = sorted(order["expires"] for order in group.orders if order["expires"])
    citations = list(dict.fromkeys(order["fr_citation"] for order in group.orders if order["fr_citation"]))
    primary = group.names[0]
    spellings = list(dict.fromkeys(name for name in group.names[1:] if name != primary))
    return Party(
        source=SOURCE,
        source_id=source_id_for(primary),
        list=LIST,
        kind=PartyKind.UNKNOWN,  # the DPL does not say whether a name is a person or a company
        name=primary,
        names=tuple(Name(name, NameType.OTHER) for name in spellings),
        countries=tuple(dict.fromkeys(a.country for a in group.addresses if a.country)),
        addresses=tuple(group.addresses),
        federal_register="; ".join(citations) or None,
        listed_on=effective[0] if effective else None,
        ends_on=expires[-1] if expires else None,
        extra={"orders": group.orders, "lines": group.lines, "grouping_key": key},
    )


def _is_dir(paths: Sequence[Path]) -> bool:
    return len(paths) == 1 and paths[0].is_dir()


def _one(paths: Sequence[Path]) -> Path:
    if len(paths) != 1:
        raise ListFormatError(
            paths[0] if paths else Path("."), f"expected one dpl.txt file, got {len(paths)} paths"
        )
    return paths[0]


DPL_FORMAT = register(
    ListFormat(
        code="bis_dpl",
        description="BIS Denied Persons List, dpl.txt (tab-separated); rows grouped into denied parties",
        default_source=SOURCE,
        parse=parse_dpl,
        file_names=("dpl.txt",),
    )
)
