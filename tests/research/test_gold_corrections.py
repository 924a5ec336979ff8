"""The documented corrections of the Crossref gold labels (bench/data/research_gold_corrections.csv) stay
tied to the rows they correct: same string (by digest), same old label, one known rule, no row twice."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from techguard.research.registry import normalise_ror_id

CORRECTIONS = Path(__file__).resolve().parents[2] / "bench" / "data" / "research_gold_corrections.csv"
GOLD = "research/affiliation_gold/20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs.csv"


@pytest.mark.slow
def test_every_correction_names_its_row_rule_and_reason(shared: Path) -> None:
    with (shared / GOLD).open(encoding="utf-8-sig", newline="") as handle:
        rows = [(r["affiliation"], normalise_ror_id(r["ror_id"])) for r in csv.DictReader(handle)]
    with CORRECTIONS.open(encoding="utf-8", newline="") as handle:
        fixes = list(csv.DictReader(handle))
    assert fixes and len({f["row"] for f in fixes}) == len(fixes)
    assert len(fixes) < len(rows) // 50  # a few demonstrable errors, not a relabelling of the set
    for fix in fixes:
        text, gold = rows[int(fix["row"]) - 1]
        assert hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] == fix["text_sha256"], fix["row"]
        assert gold == fix["old"] != fix["new"] and fix["new"].startswith("https://ror.org/")
        assert fix["rule"] in {"child_named", "namesake_inside", "not_named"} and fix["reason"]
