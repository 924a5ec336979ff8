"""Generate the committed US tables from the reference copies of the eCFR parse (one-off, recorded provenance).

Run: ``python -m techguard.rules.us.build_tables /work/shared/data/rules [OUT_DIR]``. The reference copies are
JSON made by a third-party parser of the official eCFR XML (issue 2026-07-23); each generated table records
the source file, its sha256 prefix and the eCFR issue date. ``techguard rules update --us`` produces the same
shape straight from the eCFR XML (:mod:`techguard.rules.us.ecfr`).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from techguard.rules.us import table_shape as shape
from techguard.text.countries import resolve_country

# The last "<ECCN> <heading> (see List of Items Controlled)." at the very end of a run-on heading.
_SWALLOWED_HEADING = re.compile(
    r"^.*\s(\d[A-E]\d{3})\s+([“\"A-Z].{0,400}?\((?i:see List of Items Controlled)\)\.?)\s*$", re.S
)

CHART_FILE = "us_country_chart__ecfr_2026-07-23.json"
GROUPS_FILE = "us_country_groups__ecfr_2026-07-23.json"
CCL_FILE = "us_ccl__ecfr_2026-07-23.json"
EXCEPTIONS_FILE = "us_license_exception_catalog__ecfr_2026-07-23.json"


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    raw = path.read_bytes()
    data = json.loads(raw)
    provenance = {
        "generated_by": "techguard.rules.us.build_tables",
        "source_file": path.name,
        "source_sha256_12": hashlib.sha256(raw).hexdigest()[:12],
        "upstream_url": data.get("source", {}).get("url"),
    }
    return data, provenance


def build_chart(path: Path) -> dict[str, Any]:
    data, provenance = _load(path)
    date = str(data["ecfrIssueDate"])
    rows = dict(shape.chart_row(n, r["marks"], r["footnotes"], date) for n, r in data["countries"].items())
    pointers = dict(
        shape.pointer_row(n, r["pointer"], r["footnotes"], date) for n, r in data["embargoed"].items()
    )
    territories = {
        resolve_country(name): {"row": resolve_country(v["row"]), "basis": v["basis"]}
        for name, v in data["territoryInheritance"].items()
    }
    out = shape.table_header("country_chart", shape.CHART_CITATION, provenance, date)
    out.update(
        {
            "columns": list(shape.CHART_COLUMNS),
            "rows": dict(sorted(rows.items())),
            "pointer_rows": dict(sorted(pointers.items())),
            "territories": territories,
            "footnotes": data["footnotes"],
            "all_destination_entries": data["allDestinationsEntries"],
        }
    )
    return out


def build_groups(path: Path) -> dict[str, Any]:
    data, provenance = _load(path)
    date = str(data["ecfrIssueDate"])
    out = shape.table_header("country_groups", shape.GROUPS_CITATION, provenance, date)
    out["labels"] = data["labels"]
    out["groups"] = shape.group_members(data["groups"])
    return out


def build_ccl(path: Path) -> dict[str, Any]:
    data, provenance = _load(path)
    date = str(data["ecfrIssueDate"])
    entries: dict[str, Any] = {}
    for e in data["entries"]:
        controls = [shape.control_row(r["control"], r["countryChart"]) for r in e["countryChart"]]
        reasons = e.get("reasonForControl") or ""
        flags = e.get("licenceExceptionFlags") or {}
        sta = e.get("staSpecialConditions")
        prose_controls = shape.control_rows_from_prose(e["heading"])
        if prose_controls:
            # The reference parse ran this entry's heading on into the next entry's heading (a bold code not
            # closed where it expected): the heading holds this entry's License Requirements as prose, and the
            # structured fields belong to the swallowed next entry (3E001 -> 3E002, 0D606 -> 0D614,
            # 2B351 -> 2B352). Read this entry from the prose and give the structured fields back to their owner.
            swallowed = _SWALLOWED_HEADING.search(e["heading"])
            if swallowed:
                entries[swallowed.group(1)] = shape.ccl_entry(
                    swallowed.group(1), swallowed.group(2), reasons, controls, flags, sta, date
                )
                entries[swallowed.group(1)]["recovered_from"] = (
                    f"reference entry {e['eccn']} (run-on heading)"
                )
            controls = prose_controls
            reasons = shape.reasons_from_prose(e["heading"]) or reasons
            flags = shape.flags_from_prose(e["heading"]) or {}
            sta = flags.get("STA")
        entries[e["eccn"]] = shape.ccl_entry(e["eccn"], e["heading"], reasons, controls, flags, sta, date)
    out = shape.table_header("ccl", shape.CCL_CITATION, provenance, date)
    out["note"] = data.get("deepCategoryNote")
    out["entries"] = dict(sorted(entries.items()))
    return out


def build_exceptions(path: Path) -> dict[str, Any]:
    data, provenance = _load(path)
    date = str(data["ecfrIssueDate"])
    out = shape.table_header("licence_exceptions", "15 CFR Part 740", provenance, date)
    out["exceptions"] = {
        symbol: {
            "citation": f"15 CFR {e['sectionNumber']}",
            "title": e["title"],
            "source_date": date,
        }
        for e in data["exceptions"]
        for symbol in e["symbols"]
    }
    return out


BUILDERS = {
    "country_chart.json": (CHART_FILE, build_chart),
    "country_groups.json": (GROUPS_FILE, build_groups),
    "ccl.json": (CCL_FILE, build_ccl),
    "licence_exceptions.json": (EXCEPTIONS_FILE, build_exceptions),
}


def build_all(reference_dir: Path) -> dict[str, dict[str, Any]]:
    return {name: builder(reference_dir / source) for name, (source, builder) in BUILDERS.items()}


def write_tables(tables: dict[str, dict[str, Any]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        text = json.dumps(table, ensure_ascii=False, indent=1, sort_keys=False)
        (out_dir / name).write_text(text + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m techguard.rules.us.build_tables REFERENCE_DIR [OUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("data")
    write_tables(build_all(Path(argv[0])), out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
