"""Crosswalk counts and the hand-checked sample (``bench/data/crosswalk_handcheck.tsv``).

Usage: ``PYTHONPATH=src python bench/catalogue_crosswalk.py [SOURCE_DIR]`` (default ``../shared/data/rules``).
The sample is the best link of 30 輸出令 rows drawn with ``random.seed(11)``; each was judged by hand
against the CCL and 貨物等省令 text (verdict ``right`` / ``wrong``, with a note).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from techguard.catalogue.build import build_from_dirs

HERE = Path(__file__).resolve().parent


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "data" / "rules"
    catalogue = build_from_dirs([source])
    linked = {link.jp_id for link in catalogue.links}
    for kind in ("export_order", "fx_order", "ordinance"):
        items = [e for e in catalogue.entries.values() if e.kind == kind and (kind == "ordinance" or "（" in e.key)]
        print(f"{kind}: {sum(e.id in linked for e in items)} of {len(items)} linked to an ECCN")
    print(f"links: {len(catalogue.links)}; US-only ECCNs flagged: {len(catalogue.only_us)}; "
          f"Japan-only/unlinked rows flagged: {len(catalogue.only_jp)}")
    random.seed(11)
    best: dict[str, str] = {}
    for link in catalogue.links:
        if catalogue.entries[link.jp_id].kind == "export_order":
            best.setdefault(link.jp_id, link.eccn)
    sample = random.sample(sorted(best.items()), 30)
    with (HERE / "data" / "crosswalk_handcheck.tsv").open(encoding="utf-8") as handle:
        verdicts = {(r["jp_item"], r["eccn"]): r["verdict"] for r in csv.DictReader(handle, delimiter="\t")}
    judged = [verdicts.get((catalogue.entries[jp_id].jp_item, eccn), "unjudged") for jp_id, eccn in sample]
    right = judged.count("right")
    print(f"hand-checked sample: {right} of {len(judged)} right ({right / len(judged):.0%}); "
          f"unjudged {judged.count('unjudged')}")


if __name__ == "__main__":
    main()
