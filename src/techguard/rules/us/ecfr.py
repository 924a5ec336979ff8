"""Download EAR parts from the eCFR versioner API and turn them into the US rule tables.

Endpoints (https://www.ecfr.gov/developers/documentation/api/versioner/v1):
``/api/versioner/v1/titles.json`` gives ``latest_issue_date`` per title; ``/api/versioner/v1/full/{date}/
title-15.xml?part=N`` gives one part as XML: ``DIV5`` (part) > ``DIV8`` (section) / ``DIV9`` (supplement,
``N="Supplement No. 1 to Part 738"``), text in ``P``/``FP``/``FP-1``/``FP-2`` with ``B``/``I``/``E`` emphasis
and ``SU``/``sup`` footnote markers; tables as ``TABLE``/``TR``/``TH``/``TD`` (the versioner's rendering) or
``GPOTABLE``/``BOXHD``/``CHED``/``ROW``/``ENT`` (GPO's). Both table forms are read.

The parsed rows go through :mod:`techguard.rules.us.table_shape`, so the tables have the shape of the
committed ones. Nothing is written unless all four tables parse and pass sanity checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from techguard.rules.table_versions import archive_current
from techguard.rules.us import table_shape as shape
from techguard.rules.us.tables import TABLE_FILES, forget_active_tables, updated_tables_dir
from techguard.text.countries import CountryError

ECFR_API = "https://www.ecfr.gov/api/versioner/v1"
PARTS = {"738": "country_chart", "740": "country_groups_and_exceptions", "774": "ccl"}
# 738.3(b) names its instances; BIS publishes no exhaustive list (Hong Kong: 85 FR 83788).
TERRITORIES = {
    "KY": {
        "row": "GB",
        "basis": "15 CFR 738.3(b): the Cayman Islands, a dependent territory of the United Kingdom",
    },
    "LI": {
        "row": "CH",
        "basis": "15 CFR 738.3(b) and footnote 5: Liechtenstein is one territory with Switzerland",
    },
    "HK": {"row": "CN", "basis": "85 FR 83788 (2020-12-23): Hong Kong is governed by the China entry"},
}
ALL_DESTINATION_ENTRIES = {
    "citation": "15 CFR 738.3(a)(1)",
    "note": "A licence is required for all destinations for these entries; the Country Chart does not apply.",
    "entries": [
        "0A983",
        "5A001.f.1",
        "5A980",
        "5D001 (for 5A001.f.1)",
        "5D980",
        "5E001.a (for 5A001.f.1)",
        "5E980",
    ],
}


class EcfrError(RuntimeError):
    """The eCFR download or its XML was unusable; names the URL/part and what was wrong."""


# ---------------------------------------------------------------- XML helpers


def _text(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(str(t) for t in element.itertext())).strip()


def _text_without_markers(element: etree._Element) -> tuple[str, list[int]]:
    """Cell text with footnote markers (SU/sup) removed, and the marker numbers."""
    markers: list[int] = []
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag.upper() in ("SU", "SUP"):
                markers.extend(int(n) for n in re.findall(r"\d+", "".join(str(t) for t in child.itertext())))
            elif isinstance(child.tag, str):
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(element)
    return re.sub(r"\s+", " ", "".join(out)).strip(), markers


def _is_element(node: etree._Element) -> bool:
    """Comments and processing instructions have a non-string tag."""
    tag: Any = node.tag
    return isinstance(tag, str)


def _rows(table: etree._Element) -> Iterator[list[etree._Element]]:
    """Rows of cells for either table form (TABLE/TR/TD|TH or GPOTABLE/BOXHD/ROW/ENT)."""
    if table.tag == "GPOTABLE":
        boxhd = table.find("BOXHD")
        if boxhd is not None:
            yield list(boxhd.findall("CHED"))
        for row in table.iter("ROW"):
            yield list(row.findall("ENT"))
        return
    for row in table.iter("TR"):
        yield [c for c in row if isinstance(c.tag, str) and c.tag in ("TD", "TH")]


def _tables(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag in ("TABLE", "GPOTABLE")]


def _supplement(root: etree._Element, part: str) -> etree._Element:
    for div in root.iter("DIV9"):
        if re.fullmatch(rf"Supplement No\. 1 to Part {part}", str(div.get("N", "")).strip(), re.I):
            return div
    raise EcfrError(f"part {part}: no DIV9 'Supplement No. 1 to Part {part}' in the XML")


def _parse(xml: bytes, part: str) -> etree._Element:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise EcfrError(f"part {part}: line {exc.lineno}: invalid XML ({exc.msg})") from None


# ---------------------------------------------------------------- Part 738: Country Chart


def parse_country_chart(xml: bytes, issue_date: str, source: dict[str, Any]) -> dict[str, Any]:
    root = _parse(xml, "738")
    supplement = _supplement(root, "738")
    tables = _tables(supplement)
    if not tables:
        raise EcfrError("part 738: Supplement No. 1 has no table")
    rows: dict[str, Any] = {}
    pointers: dict[str, Any] = {}
    footnote_rows: dict[str, str] = {}
    columns: list[str] | None = None
    for table in tables:
        for cells in _rows(table):
            texts = [_text(c) for c in cells]
            normalised = [re.sub(r"\s+", "", t).upper() for t in texts]
            if sum(1 for t in normalised if t in shape.CHART_COLUMNS) >= 10:
                # The identifier row; the "Countries" stub may or may not be a cell of it.
                columns = [t for t in normalised if t in shape.CHART_COLUMNS]
                continue
            if columns is None or not cells:
                continue
            if len(cells) == 1:
                # Footnotes sit in the table as one-cell rows: "<sup>1</sup> See § 746.1(b) …".
                note = re.match(r"^(\d+)\s+(.+)$", texts[0])
                if note:
                    footnote_rows[note.group(1)] = note.group(2)
                continue
            name, footnotes = _text_without_markers(cells[0])
            if not name or name.lower() in ("countries", "country"):
                continue
            values = texts[1:]
            pointer = next((v for v in values if v.lower().startswith("see ")), None)
            try:
                if pointer:
                    iso, row = shape.pointer_row(name, pointer, footnotes, issue_date)
                    pointers[iso] = row
                    continue
                if len(values) != len(columns):
                    raise EcfrError(
                        f"part 738: Country Chart row {name!r} has {len(values)} cells for {len(columns)} columns"
                    )
                odd = [v for v in values if v.strip() and v.strip().upper() != "X"]
                if odd:
                    raise EcfrError(
                        f"part 738: Country Chart row {name!r} has a mark other than X: {odd[0]!r}"
                    )
                marks = [columns[i] for i, v in enumerate(values) if v.strip().upper() == "X"]
                iso, row = shape.chart_row(name, [m for m in marks if m], footnotes, issue_date)
            except CountryError as exc:
                raise EcfrError(f"part 738: Country Chart row {name!r}: {exc}") from None
            rows[iso] = row
    if columns is None:
        raise EcfrError("part 738: no header row with the Country Chart columns (CB 1 … AT 2)")
    footnotes_text = {**_footnotes(supplement), **footnote_rows}
    out = shape.table_header("country_chart", shape.CHART_CITATION, source, issue_date)
    out.update(
        {
            "columns": list(shape.CHART_COLUMNS),
            "rows": dict(sorted(rows.items())),
            "pointer_rows": dict(sorted(pointers.items())),
            "territories": TERRITORIES,
            "footnotes": footnotes_text,
            "all_destination_entries": ALL_DESTINATION_ENTRIES,
        }
    )
    return out


def _footnotes(supplement: etree._Element) -> dict[str, str]:
    notes: dict[str, str] = {}
    for element in supplement.iter("P", "FP", "TNOTE"):
        first = next((c for c in element if isinstance(c.tag, str) and c.tag.upper() in ("SU", "SUP")), None)
        if first is None or (element.text or "").strip():
            continue
        number = (first.text or "").strip()
        body = _text(element)[len(number) :].strip()
        if number.isdigit() and body:
            notes[number] = body
    return notes


# ---------------------------------------------------------------- Part 740: Country Groups, licence exceptions


_DEFAULT_LABELS = {
    "A": ["A:1", "A:2", "A:3", "A:4", "A:5", "A:6"],
    "D": ["D:1", "D:2", "D:3", "D:4", "D:5"],
    "E": ["E:1", "E:2"],
}


def _clean_name(cell: etree._Element) -> tuple[str, list[int]]:
    """Country cell text without footnote markers, whether marked up (SU/sup) or plain ("Ukraine 4")."""
    name, markers = _text_without_markers(cell)
    trailing = re.search(r"(?:\s+\d+)+$", name)
    if trailing:
        markers += [int(n) for n in trailing.group(0).split()]
        name = name[: trailing.start()].strip()
    return name, markers


def _is_footnote_row(first: str) -> bool:
    return len(first) > 80 or bool(re.match(r"^(\d+|\(\w\))\s", first))


def parse_country_groups(xml: bytes, issue_date: str, source: dict[str, Any]) -> dict[str, Any]:
    root = _parse(xml, "740")
    supplement = _supplement(root, "740")
    groups: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for table in _tables(supplement):
        caption = table.find("CAPTION")
        family_match = re.search(r"Country Group ([ADE])\b", _text(caption) if caption is not None else "")
        header: list[str | None] | None = None
        for cells in _rows(table):
            texts = [_text(c) for c in cells]
            codes = [re.search(r"\b([ADE]:\d)\b", t) for t in texts]
            is_header = all(c.tag in ("TH", "CHED") for c in cells) or any(codes)
            if is_header and header is None:
                found = [c.group(1) if c else None for c in codes]
                if not any(found) and family_match:
                    found = [None, *_DEFAULT_LABELS[family_match.group(1)]]
                if any(found):
                    header = found
                    for code, text in zip(header, texts, strict=False):
                        if code:
                            labels.setdefault(code, re.sub(r"^\[?[ADE]:\d\]?\s*", "", text) or code)
                            groups.setdefault(code, [])
                continue
            if header is None or not texts or not texts[0] or _is_footnote_row(texts[0]):
                continue
            name, _ = _clean_name(cells[0])
            offset = len(header) - len(texts)
            for i, value in enumerate(texts[1:], start=1):
                code = header[i + offset] if 0 <= i + offset < len(header) else None
                if code and "X" in value.upper():
                    groups[code].append(name)
    b_members = _group_b(supplement)
    if b_members:
        groups["B"] = b_members
        labels["B"] = "Country Group B"
    for required in ("A:5", "B", "D:1", "D:5", "E:1", "E:2"):
        if not groups.get(required):
            raise EcfrError(f"part 740: Country Group {required} not found or empty in Supplement No. 1")
    try:
        members = shape.group_members(groups)
    except CountryError as exc:
        raise EcfrError(f"part 740: {exc}") from None
    if "MO" in members.get("D:5", []):
        raise EcfrError("part 740: Macau parsed into D:5 (the EAR names it separately); refusing")
    out = shape.table_header("country_groups", shape.GROUPS_CITATION, source, issue_date)
    out["labels"] = labels
    out["groups"] = members
    return out


def _group_b(supplement: etree._Element) -> list[str]:
    """Country Group B is a list (``SCOL2`` of ``LI``) after a heading naming it, not a table."""
    heading_seen = False
    for element in supplement.iter():
        if not _is_element(element):
            continue
        if not heading_seen:
            if re.fullmatch(r"HD\d?|HED|P|FP", str(element.tag)) and re.search(
                r"Country Group B\b", _text(element)
            ):
                heading_seen = True
            continue
        if element.tag in ("SCOL2", "SCOL3", "UL", "LIST") or (element.tag == "LI"):
            items = [element] if element.tag == "LI" else list(element.iter("LI"))
            names = [_clean_name(li)[0] for li in items]
            names = [n for n in names if n]
            if element.tag != "LI":
                return names
            # loose LI elements: collect consecutive ones
            collected = names
            for sibling in element.itersiblings():
                if sibling.tag != "LI":
                    break
                name = _clean_name(sibling)[0]
                if name:
                    collected.append(name)
            return collected
    return []


def parse_licence_exceptions(xml: bytes, issue_date: str, source: dict[str, Any]) -> dict[str, Any]:
    root = _parse(xml, "740")
    exceptions: dict[str, Any] = {}
    for section in root.iter("DIV8"):
        number = str(section.get("N", ""))
        head = section.find("HEAD")
        if head is None or not re.fullmatch(r"740\.\d+", number):
            continue
        title = re.sub(r"^§\s*740\.\d+\s*", "", _text(head)).rstrip(".")
        symbols = re.findall(r"\b([A-Z]{3})\b", " ".join(re.findall(r"\(([^)]*)\)", title)))
        for symbol in symbols:
            exceptions[symbol] = {"citation": f"15 CFR {number}", "title": title, "source_date": issue_date}
    if "LVS" not in exceptions or "STA" not in exceptions:
        raise EcfrError("part 740: licence exception sections (740.3 LVS … 740.20 STA) not found")
    out = shape.table_header("licence_exceptions", "15 CFR Part 740", source, issue_date)
    out["exceptions"] = exceptions
    return out


# ---------------------------------------------------------------- Part 774: the CCL

_ECCN_HEAD = re.compile(r"^(\d[A-E]\d{3})\s+(.*)$")
_CONTROL_CELL = re.compile(r"^(?:NS|MT|NP|RS|AT|CB|CC|FC|EI|SI|SL|SS|UN|CW)\b")
_FLAG_LINE = re.compile(r"^(LVS|GBS|TSR|STA|APP|ACE|ENC|IEC|AIA|ACM|LPP|HBM):\s*(.*)$")


def parse_ccl(xml: bytes, issue_date: str, source: dict[str, Any]) -> dict[str, Any]:
    root = _parse(xml, "774")
    supplement = _supplement(root, "774")
    entries: dict[str, Any] = {}
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            entries[current["eccn"]] = shape.ccl_entry(
                current["eccn"],
                current["heading"],
                current["reasons"],
                current["controls"],
                current["flags"],
                current["flags"].get("STA"),
                issue_date,
            )

    for element in supplement.iter():
        if not _is_element(element):
            continue
        if element.tag in ("P", "FP", "FP-1", "FP-2"):
            text = _text(element)
            bold = element.find("B")
            head = _ECCN_HEAD.match(text)
            if head and bold is not None and _text(bold).startswith(head.group(1)):
                close()
                current = {
                    "eccn": head.group(1),
                    "heading": head.group(2),
                    "reasons": "",
                    "controls": [],
                    "flags": {},
                }
                continue
            if current is None:
                continue
            if text.startswith("Reason for Control:"):
                current["reasons"] = text.split(":", 1)[1].strip()
            flag = _FLAG_LINE.match(text)
            if flag:
                current["flags"][flag.group(1)] = flag.group(2).strip()
        elif element.tag in ("TABLE", "GPOTABLE") and current is not None:
            # The "Control(s) | Country chart" table: its body rows start "NS applies to …", "AT applies …".
            for cells in _rows(element):
                if len(cells) >= 2 and _CONTROL_CELL.match(_text(cells[0])):
                    current["controls"].append(shape.control_row(_text(cells[0]), _text(cells[-1])))
    close()
    if not entries:
        raise EcfrError("part 774: no ECCN entries found in Supplement No. 1")
    out = shape.table_header("ccl", shape.CCL_CITATION, source, issue_date)
    out["note"] = "Parsed from the eCFR XML by techguard.rules.us.ecfr"
    out["entries"] = dict(sorted(entries.items()))
    return out


# ---------------------------------------------------------------- download


def latest_issue_date(client: httpx.Client) -> str:
    url = f"{ECFR_API}/titles.json"
    try:
        response = client.get(url)
        response.raise_for_status()
        titles = response.json()["titles"]
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise EcfrError(f"{url}: {exc}") from None
    for title in titles:
        if int(title.get("number", 0)) == 15:
            return str(title["latest_issue_date"])
    raise EcfrError(f"{url}: title 15 not listed")


def fetch_part(client: httpx.Client, issue_date: str, part: str) -> tuple[bytes, str]:
    url = f"{ECFR_API}/full/{issue_date}/title-15.xml"
    try:
        response = client.get(url, params={"part": part}, headers={"Accept-Encoding": "gzip"})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise EcfrError(f"{url}?part={part}: {exc}") from None
    return response.content, f"{url}?part={part}"


def build_from_xml(parts: dict[str, tuple[bytes, str]], issue_date: str) -> dict[str, dict[str, Any]]:
    """The four tables from the XML of parts 738, 740 and 774 (``{part: (xml, url)}``)."""

    def source(part: str) -> dict[str, Any]:
        return {
            "generated_by": "techguard.rules.us.ecfr",
            "upstream_url": parts[part][1],
            "ecfr_date": issue_date,
        }

    return {
        "country_chart.json": parse_country_chart(parts["738"][0], issue_date, source("738")),
        "country_groups.json": parse_country_groups(parts["740"][0], issue_date, source("740")),
        "ccl.json": parse_ccl(parts["774"][0], issue_date, source("774")),
        "licence_exceptions.json": parse_licence_exceptions(parts["740"][0], issue_date, source("740")),
    }


def update_us_tables(
    client: httpx.Client | None = None,
    out_dir: Path | None = None,
    *,
    issue_date: str | None = None,
    minimum_rows: int = 150,
) -> list[Path]:
    """Fetch the latest (or given) eCFR issue of Title 15, parse, check and write the tables; returns paths."""
    own = client is None
    http = client or httpx.Client(timeout=120.0, follow_redirects=True, headers={"User-Agent": "techguard"})
    try:
        date = issue_date or latest_issue_date(http)
        parts = {part: fetch_part(http, date, part) for part in PARTS}
    finally:
        if own:
            http.close()
    tables = build_from_xml(parts, date)
    chart_rows = len(tables["country_chart.json"]["rows"]) + len(tables["country_chart.json"]["pointer_rows"])
    if chart_rows < minimum_rows:
        raise EcfrError(f"part 738: only {chart_rows} Country Chart rows parsed; refusing to write")
    directory = out_dir or updated_tables_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # an update adds a version: the set there now is kept under versions/<its eCFR date>/ first
    archive_current(directory, TABLE_FILES, _chart_date)
    written = []
    for name in TABLE_FILES:
        path = directory / name
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(tables[name], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append((tmp, path))
    for tmp, path in written:
        tmp.replace(path)
    forget_active_tables()
    return [path for _, path in written]


def _chart_date(directory: Path) -> str:
    return str(json.loads((directory / "country_chart.json").read_text(encoding="utf-8"))["ecfr_date"])


__all__ = [
    "EcfrError",
    "build_from_xml",
    "fetch_part",
    "latest_issue_date",
    "parse_ccl",
    "parse_country_chart",
    "parse_country_groups",
    "parse_licence_exceptions",
    "update_us_tables",
]
