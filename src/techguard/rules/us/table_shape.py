"""The shape of the committed US rule tables, built the same way from any source.

Both :mod:`techguard.rules.us.build_tables` (reference JSON copies of the eCFR parse) and
:mod:`techguard.rules.us.ecfr` (the official eCFR XML) produce their raw rows and hand them to these
functions, so the tables the engine reads have one shape whatever they were generated from.
Every row carries its ``citation`` and ``source_date`` (the eCFR issue date of the text it came from).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from techguard.text.countries import resolve_country

CHART_COLUMNS: tuple[str, ...] = (
    "CB1",
    "CB2",
    "CB3",
    "NP1",
    "NP2",
    "NS1",
    "NS2",
    "MT1",
    "RS1",
    "RS2",
    "FC1",
    "CC1",
    "CC2",
    "CC3",
    "AT1",
    "AT2",
)
REASON_CODES: tuple[str, ...] = (
    "AT",
    "CB",
    "CC",
    "CW",
    "EI",
    "FC",
    "MT",
    "NS",
    "NP",
    "RS",
    "SS",
    "UN",
    "SI",
    "SL",
)
# Reasons whose requirement is stated outside the chart: licence to all destinations except Canada.
# 15 CFR 742.15(a) (EI, encryption) and 742.14 (SI, significant items).
_ALL_BUT_CANADA = {"EI": "15 CFR 742.15(a)", "SI": "15 CFR 742.14"}

CHART_CITATION = "15 CFR Part 738, Supp. No. 1"
GROUPS_CITATION = "15 CFR Part 740, Supp. No. 1"
CCL_CITATION = "15 CFR Part 774, Supp. No. 1"

_COLUMN_RE = re.compile(r"\b(NS|MT|NP|RS|CB|AT|CC|FC)\s+Column\s+(\d)")
_GROUP_RE = re.compile(r"\b([ADE]:\d)\b")


def normalise_column(text: str) -> str:
    """'NS 1' / 'NS Column 1' -> 'NS1'."""
    m = re.fullmatch(r"\s*([A-Z]{2})\s*(?:Column\s*)?(\d)\s*\.?\s*", text)
    if not m:
        raise ValueError(f"not a Country Chart column: {text!r}")
    column = m.group(1) + m.group(2)
    if column not in CHART_COLUMNS:
        raise ValueError(f"unknown Country Chart column {column!r} (from {text!r})")
    return column


def chart_row(
    name: str, marks: Iterable[str], footnotes: Iterable[int], source_date: str
) -> tuple[str, dict[str, Any]]:
    iso = resolve_country(name)
    return iso, {
        "name": name,
        "marks": sorted({normalise_column(m) for m in marks}, key=CHART_COLUMNS.index),
        "footnotes": sorted(set(footnotes)),
        "citation": f"{CHART_CITATION} ({name})",
        "source_date": source_date,
    }


def pointer_row(
    name: str, pointer: str, footnotes: Iterable[int], source_date: str
) -> tuple[str, dict[str, Any]]:
    """A chart row that carries no X but points to Part 746 / 742.19: never 'no licence required'."""
    iso = resolve_country(name)
    sections = re.findall(r"(?:§\s*|[Ss]ections?\s+|part\s+)(\d{3}(?:\.\d+)?)", pointer)
    return iso, {
        "name": name,
        "pointer": pointer.strip(),
        "sections": sections or ["746"],
        "footnotes": sorted(set(footnotes)),
        "citation": f"{CHART_CITATION} ({name})",
        "source_date": source_date,
    }


def group_members(groups: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Country Group -> sorted ISO codes (Hong Kong is folded into China by the EAR, so never listed)."""
    return {group: sorted({resolve_country(n) for n in names}) for group, names in groups.items()}


def _destination_rule(chart_text: str, reason: str) -> dict[str, Any] | None:
    text = chart_text.strip()
    low = text.lower()
    if reason in _ALL_BUT_CANADA and ("742.15" in text or "742.14" in text):
        return {"kind": "worldwide", "except": ["CA"], "section": _ALL_BUT_CANADA[reason]}
    if "any destination worldwide" in low or low.startswith("worldwide") or "all destinations" in low:
        if "except canada" in low:
            return {"kind": "worldwide", "except": ["CA"]}
        return {"kind": "worldwide", "except": []}
    if "country group" in low:
        head, _, tail = text.partition("excluding")
        include = sorted(set(_GROUP_RE.findall(head)))
        exclude = sorted(set(_GROUP_RE.findall(tail)))
        countries = []
        if "united arab emirates" in head.lower():
            countries.append("AE")
        if "macau" in head.lower():
            countries.append("MO")
        return {"kind": "groups", "groups": include, "countries": countries, "exclude_groups": exclude}
    if re.match(r"china, russia,? or venezuela", low):
        return {"kind": "groups", "groups": [], "countries": ["CN", "RU", "VE"], "exclude_groups": []}
    return None


def control_row(control: str, chart_text: str) -> dict[str, Any]:
    """One 'Control(s) | Country Chart' row of an ECCN's License Requirements table."""
    control = re.sub(r"\s+", " ", control).strip()
    chart_text = re.sub(r"\s+", " ", chart_text).strip()
    m = re.match(r"([A-Z]{2})\b", control)
    reason = m.group(1) if m and m.group(1) in REASON_CODES else ""
    columns = [a + b for a, b in _COLUMN_RE.findall(chart_text)]
    if not columns and reason and re.fullmatch(r"Column (\d)\.?", chart_text):
        columns = [reason + chart_text.split()[1].rstrip(".")]
    columns = [c for c in columns if c in CHART_COLUMNS]
    destinations = None if columns else _destination_rule(chart_text, reason)
    pointer = None
    if not columns and destinations is None:
        pointer = chart_text
    entire = bool(re.search(r"applies to (the )?entire entry", control, re.I))
    return {
        "reason": reason,
        "scope": control,
        "entire": entire,
        "columns": columns,
        "destinations": destinations,
        "pointer": pointer,
        "chart_text": chart_text,
    }


_CONTROL_SPLIT = re.compile(r"(?=\b(?:NS|MT|NP|RS|AT|CB|CC|FC|EI|SI|SL|UN|CW) applies to\b)")
_CHART_TAIL = re.compile(
    r"((?:(?:NS|MT|NP|RS|CB|AT|CC|FC) Column \d\.?)|(?:To or within .*?EAR\.)|(?:Worldwide .*?EAR\.)"
    r"|(?:Worldwide\b.*)|(?:Refer to § [\d.()a-z]+ of the EAR\.?)|(?:China, Russia,? or Venezuela\b.*)"
    r"|(?:See § .*))\s*$"
)


def control_rows_from_prose(text: str) -> list[dict[str, Any]]:
    """Recover the control table when a parse flattened it into the heading (e.g. 3E001 in the reference copy)."""
    marker = re.search(r"Country chart \(see Supp\. No\. 1 to part 738\)", text, re.I)
    if marker is None:
        return []
    body = text[marker.end() :]
    for stop in ("License Requirements Note", "Reporting Requirements", "List Based License Exceptions"):
        cut = body.find(stop)
        if cut >= 0:
            body = body[:cut]
    rows = []
    for chunk in _CONTROL_SPLIT.split(body):
        chunk = chunk.strip()
        if not chunk:
            continue
        tail = _CHART_TAIL.search(chunk)
        if tail is None:
            continue
        rows.append(control_row(chunk[: tail.start()], tail.group(1)))
    return rows


_FLAG_KEYS = ("LVS", "GBS", "TSR", "STA", "APP", "ACE", "ENC", "IEC", "AIA", "ACM", "LPP", "HBM")
_FLAG_RE = re.compile(
    r"\b("
    + "|".join(_FLAG_KEYS)
    + r"): (.*?)(?=\s\b(?:"
    + "|".join(_FLAG_KEYS)
    + r"): |\s*Special Conditions|\s*List of"
    r" Items|$)"
)


def reasons_from_prose(text: str) -> str | None:
    m = re.search(r"Reason for Control:\s*([A-Z]{2}(?:,\s*[A-Z]{2})*)", text)
    return m.group(1) if m else None


def flags_from_prose(text: str) -> dict[str, str]:
    start = text.find("List Based License Exceptions")
    if start < 0:
        return {}
    body = text[start:]
    body = body[body.find(")") + 1 :] if ")" in body[:80] else body
    return {k: v.strip() for k, v in _FLAG_RE.findall(body)}


def _dollars(text: str) -> float | None:
    m = re.search(r"\$\s?([\d,]+)", text)
    return float(m.group(1).replace(",", "")) if m else None


def _flag(text: str | None) -> str | None:
    """'Yes' -> 'yes'; 'Yes for ...' / 'Yes, except ...' -> 'partial'; 'N/A' -> 'no'; absent -> None."""
    if text is None or not text.strip():
        return None
    low = text.strip().lower()
    if low.rstrip(".") == "n/a":
        return "no"
    if low.startswith("n/a"):
        return "partial"  # "N/A for MT, NP; ..." — available for the other paragraphs/reasons
    if low.startswith("yes"):
        return "yes" if re.fullmatch(r"yes\.?", low) else "partial"
    return "partial"


def ccl_entry(
    eccn: str,
    heading: str,
    reasons_text: str,
    controls: list[dict[str, Any]],
    flags: Mapping[str, str],
    sta_text: str | None,
    source_date: str,
) -> dict[str, Any]:
    reasons = [r.strip() for r in re.split(r"[,;]\s*", reasons_text or "") if r.strip() in REASON_CODES]
    lvs_text = flags.get("LVS")
    heading_clean = re.sub(r"\s+", " ", heading).strip()
    cut = heading_clean.find(" License Requirements ")
    if cut > 0:
        heading_clean = heading_clean[:cut].strip()
    return {
        "eccn": eccn,
        "heading": heading_clean,
        "reasons": reasons,
        "controls": controls,
        "lvs": _flag(lvs_text),
        "lvs_value_usd": _dollars(lvs_text)
        if lvs_text and not lvs_text.strip().upper().startswith("N/A")
        else None,
        "lvs_text": lvs_text,
        "gbs": _flag(flags.get("GBS")),
        "gbs_text": flags.get("GBS"),
        "tsr": _flag(flags.get("TSR")),
        "tsr_text": flags.get("TSR"),
        "sta_text": sta_text or flags.get("STA"),
        "other_exceptions": {k: v for k, v in flags.items() if k not in ("LVS", "GBS", "TSR", "STA")},
        "citation": f"{CCL_CITATION}, ECCN {eccn}",
        "source_date": source_date,
    }


def table_header(table: str, citation: str, source: Mapping[str, Any], ecfr_date: str) -> dict[str, Any]:
    return {
        "table": table,
        "citation": citation,
        "ecfr_date": ecfr_date,
        "provenance": dict(source),
    }


__all__ = [
    "CCL_CITATION",
    "CHART_CITATION",
    "CHART_COLUMNS",
    "GROUPS_CITATION",
    "REASON_CODES",
    "ccl_entry",
    "chart_row",
    "control_row",
    "control_rows_from_prose",
    "flags_from_prose",
    "group_members",
    "normalise_column",
    "pointer_row",
    "reasons_from_prose",
    "table_header",
]
