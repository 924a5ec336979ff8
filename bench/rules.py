"""Determination latency: ``assess_us`` and the combined ``engine.assess`` per activity.

    .venv/bin/python bench/rules.py [--n 3000] [--seed 7]

Tables are loaded once (the first call, timed separately as "cold"); then a mixed, seeded set of activities
(every Country Chart destination x commodity/technology/EAR99/embargo/deemed-release/de-minimis shapes) is
assessed one at a time. Reports p50/p95/p99/max per activity in milliseconds. Target: < 5 ms per activity.
Results go into docs/benchmarks.md, section "Determinations". Target: p50 ≤ 5 ms per activity (engine.assess).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from typing import Any

from techguard.rules import activity_from_mapping
from techguard.rules.activity import Activity
from techguard.rules.engine import assess
from techguard.rules.us import assess_us
from techguard.rules.us.tables import load_tables

AS_OF = dt.date(2026, 11, 27)


def _shapes(destination: str, rng: random.Random) -> list[dict[str, Any]]:
    citizenship = rng.choice(["CN", "JP", "VN", "IN", "DE", "IR", "RU", destination])
    return [
        {
            "activity": "export",
            "item": {
                "type": "commodity",
                "eccn": rng.choice(["3A001.a.2", "2B991", "4A003", "5A002", "1C350"]),
            },
            "to_country": destination,
            "item_value": None,
        },
        {
            "activity": "export",
            "item": {"type": "commodity", "eccn": "EAR99"},
            "to_country": destination,
            "end_use": [rng.choice(["civil", "military", "nuclear"])],
        },
        {
            "activity": "release",
            "item": {"type": "technology", "eccn": "3E001", "origin_country": "US"},
            "recipient": {"citizenships": [citizenship], "location_country": "US"},
        },
        {
            "activity": "release",
            "item": {
                "type": "technology",
                "eccn": "3E001",
                "origin_country": "US",
                "eccn_control": {"reasons": ["NS1"]},
            },
            "provider": {"country": "JP"},
            "recipient": {
                "citizenships": [citizenship],
                "location_country": "JP",
                "permanent_regular_employee_of_releasing_entity": rng.random() < 0.5,
                "releasing_entity_screening_done": True,
                "releasing_entity_authorised_to_receive": True,
            },
        },
        {
            "activity": "reexport",
            "item": {
                "type": "commodity",
                "origin_country": "JP",
                "us_content_percent": rng.choice([5, 9, 20, 30]),
            },
            "from_country": "JP",
            "to_country": destination,
        },
        {"activity": "release", "item": {"type": "technology", "fundamental_research": True}},
        {
            "activity": "export",
            "item": {"eccn": "EAR99"},
            "to_country": destination,
            "screening": [{"party": "end_user", "list": "us_entity_list", "name": "X"}],
        },
        # open facts the engine tries (issue 10): no destination, no ECCN, a Japanese export of unnamed goods
        {
            "activity": "export",
            "item": {"type": "commodity", "origin_country": "US"},
            "screening": [{"party": "end_user", "list": "us_entity_list", "name": "X"}],
        },
        {"activity": "export", "item": {"type": "commodity", "origin_country": "US"}, "to_country": destination},
        {
            "activity": "export",
            "item": {"type": "commodity"},
            "from_country": "JP",
            "provider": {"country": "JP"},
            "to_country": destination,
        },
    ]


def _resolvable() -> set[str]:
    from techguard.text.countries import known_codes

    return set(known_codes())


def activities(n: int, seed: int) -> list[Activity]:
    rng = random.Random(seed)
    tables = load_tables()
    destinations = sorted(
        (set(tables.chart["rows"]) | set(tables.chart["pointer_rows"]) | {"HK", "KY"}) & _resolvable()
    )
    out: list[Activity] = []
    while len(out) < n:
        for mapping in _shapes(rng.choice(destinations), rng):
            mapping.pop("item_value", None)
            out.append(activity_from_mapping(mapping))
    return out[:n]


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def q(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return (
        f"mean {statistics.fmean(ordered):.3f} ms, p50 {q(0.50):.3f}, p95 {q(0.95):.3f}, p99 {q(0.99):.3f},"
        f" max {ordered[-1]:.3f}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    load_tables.cache_clear()
    start = time.perf_counter()
    load_tables()
    cold = (time.perf_counter() - start) * 1000
    batch = activities(args.n, args.seed)

    for activity in batch[:200]:  # warm the per-country caches (babel names, group index)
        assess(activity, as_of=AS_OF)
    us_ms: list[float] = []
    us_cpu: list[float] = []
    both_ms: list[float] = []
    both_cpu: list[float] = []
    outcomes: dict[str, int] = {}
    for activity in batch:
        t0, c0 = time.perf_counter(), time.process_time()
        result = assess_us(activity, AS_OF)
        t1, c1 = time.perf_counter(), time.process_time()
        assess(activity, as_of=AS_OF)
        t2, c2 = time.perf_counter(), time.process_time()
        us_ms.append((t1 - t0) * 1000)
        us_cpu.append((c1 - c0) * 1000)
        both_ms.append((t2 - t1) * 1000)
        both_cpu.append((c2 - c1) * 1000)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1

    print(f"python {platform.python_version()} on {platform.machine()} ({platform.processor() or 'cpu'})")
    print(f"table load (cold, once): {cold:.1f} ms")
    print(f"activities: {len(batch)} (seed {args.seed}); US outcomes: {dict(sorted(outcomes.items()))}")
    print(f"assess_us per activity, wall:        {_percentiles(us_ms)}")
    print(f"assess_us per activity, CPU:         {_percentiles(us_cpu)}")
    print(f"engine.assess (US+JP) per act, wall: {_percentiles(both_ms)}")
    print(f"engine.assess (US+JP) per act, CPU:  {_percentiles(both_cpu)}")
    print(
        f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (wall-clock tails are scheduling)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
