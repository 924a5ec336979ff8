"""Names as Japanese offices write them: how many meet their listed party, alerting, at rank 1.

    PYTHONPATH=src .venv/bin/python bench/japanese_office_names.py

Every list snapshot in ../shared is indexed (the index cache of bench/screening_batch.py is used when it is
there); each query of ``tests/fixtures/matching/japanese_office_names.tsv`` (also run as a test) is screened and counts as met when the first
match alerts and its listed name holds the expected words. The misses are printed with what came first.
The probe set is the one the 2.5 changes were made from (a regression probe, not a held-out measure).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lists import all_lists
from screening_batch import cache_key

from techguard.matching import Query, Screener, index_cache
from techguard.matching.resources import algorithm_version

PROBES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "matching" / "japanese_office_names.tsv"


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def main() -> None:
    key = cache_key()
    screener = index_cache.load(key)
    if screener is None:
        screener = Screener.build([p for ps in all_lists().values() for p in ps])
        index_cache.store(screener, key)
    met = total = 0
    for number, line in enumerate(PROBES.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        query, _, expected = line.partition("\t")
        if not expected:
            raise SystemExit(f"{PROBES.name}, line {number}: expected 'query<TAB>listed words'")
        total += 1
        matches = screener.screen(Query(query), top=3)
        first = matches[0] if matches else None
        names = [] if first is None else [first.party.name, first.matched_name]
        if first is not None and first.alert and any(_plain(expected) in _plain(n) for n in names):
            met += 1
        else:
            shown = "nothing" if first is None else f"{first.party.name} ({first.score}, alert {first.alert})"
            print(f"  miss: {query} → {shown}")
    print(f"{algorithm_version()}: {met} of {total} met at rank 1 with an alert ({met / total:.1%})")


if __name__ == "__main__":
    main()
