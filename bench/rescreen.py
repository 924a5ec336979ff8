"""Continuous re-screening benchmark: 100,000 parties against a typical daily list diff.

    .venv/bin/python bench/rescreen.py [--parties 100000] [--added 50] [--baseline 1000]

The diff is synthesised from the real lists in ../shared: ``--added`` entries drawn at random from them are
removed from the "old" snapshot, so ``lists diff`` reports them as added (the size of a busy day on the
CSL/SDN). The parties are the 50,000 synthetic negatives (real-looking names with birth dates and
nationalities), shuffled first/last-name recombinations of them up to ``--parties``, and 25 planted
variants of the added entries (which must all come back). Measured (docs/benchmarks.md "Re-screening"):
small-index build time, parties/s and total time of the re-screen, peak memory, planted recall — and, as the
baseline, a full screening of ``--baseline`` parties against every list, extrapolated to all parties.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lists import EVAL, all_lists

from techguard.lists.diff import diff_snapshots
from techguard.lists.model import Party
from techguard.matching import Query, Screener
from techguard.matching.rescreen import Subject, build_change_screener, changed_entries, rescreen


def _load() -> str:
    return Path("/proc/loadavg").read_text().strip()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parties(count: int, planted: list[Party], rng: random.Random) -> list[Subject]:
    with (EVAL / "synthetic_negatives_us.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    subjects = [Subject(f"n{i}", r["full_name"], "person", None, r["date_of_birth"]) for i, r in enumerate(rows)]
    firsts = [r["first_name"] for r in rows]
    lasts = [r["last_name"] for r in rows]
    while len(subjects) < count - len(planted):
        subjects.append(Subject(f"s{len(subjects)}", f"{rng.choice(firsts)} {rng.choice(lasts)}", "person"))
    subjects = subjects[: count - len(planted)]
    for i, party in enumerate(planted):
        name = party.name.upper() if i % 2 else party.name.replace(",", "")  # written differently
        subjects.insert(rng.randrange(len(subjects)), Subject(f"planted{i}", name))
    return subjects


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"load average at start: {_load()}  cpus: {os.cpu_count()}")

    lists = all_lists()
    everything = [p for parties in lists.values() for p in parties]
    added_keys = {p.key for p in rng.sample(everything, args.added)}
    t = time.perf_counter()
    changed: list[Party] = []
    for parties in lists.values():
        old = [p for p in parties if p.key not in added_keys]
        diff = diff_snapshots(old, parties)
        changed.extend(changed_entries(diff, parties))
    diff_s = time.perf_counter() - t
    assert len(changed) == args.added, (len(changed), args.added)
    print(f"lists: {len(everything):,} entries; synthesised diff: {len(changed)} added ({diff_s:.1f} s to diff)")

    t = time.perf_counter()
    full = Screener.build(everything)
    full_build_s = time.perf_counter() - t
    print(f"full index (for word weights; the web app has it cached): {full_build_s:.1f} s")

    planted = [p for p in changed if p.kind.value != "vessel"][:25]
    subjects = _parties(args.parties, planted, rng)
    memory_before = _peak_mb()

    t = time.perf_counter()
    small = build_change_screener(changed, weights_from=full)
    small_build_s = time.perf_counter() - t
    t = time.perf_counter()
    found: dict[str, int] = {}
    for subject, hits in rescreen(subjects, small):
        found[subject.key] = sum(1 for h in hits if h.alert)
    rescreen_s = time.perf_counter() - t
    planted_found = sum(1 for i in range(len(planted)) if found.get(f"planted{i}"))
    others_alerting = sum(1 for k, n in found.items() if n and not k.startswith("planted"))
    others_below = sum(1 for k, n in found.items() if not n and not k.startswith("planted"))

    sample = rng.sample(subjects, args.baseline)
    t = time.perf_counter()
    for subject in sample:
        full.screen(Query(subject.name, kind=subject.kind, dob=subject.dob), top=3)
    full_s = (time.perf_counter() - t) / args.baseline * len(subjects)

    print(f"\nload average at end: {_load()}")
    print(f"parties re-screened: {len(subjects):,}")
    print(f"small index over {len(changed)} changed entries: {small_build_s:.2f} s")
    print(f"re-screen: {rescreen_s:.1f} s = {rescreen_s / 60:.2f} min, {len(subjects) / rescreen_s:,.0f} parties/s")
    print(f"planted variants of added entries found (alert): {planted_found}/{len(planted)}")
    print(f"other parties alerting: {others_alerting}; other near-threshold (review): {others_below}")
    print(f"baseline, full screening against every list: {full_s:.0f} s = {full_s / 60:.1f} min "
          f"(extrapolated from {args.baseline}); re-screen is {full_s / rescreen_s:.0f}× faster")
    print(f"peak memory: {_peak_mb():,.0f} MB (before the re-screen, lists + full index loaded: "
          f"{memory_before:,.0f} MB)")


if __name__ == "__main__":
    main()
