"""Screening benchmark: techguard.matching side by side with a naive rapidfuzz baseline.

    .venv/bin/python bench/screening.py [--quick] [--workers 2]

Measures (see docs/benchmarks.md, section "Screening"):
- recall@1 / recall@5 of alias → entity on ../shared/data/eval/screening/*_alias_to_primary.csv, the
  index built from the list the aliases come from, with the query alias removed from its entity
  (per-row exclusion); trivial and non-trivial rows apart, by script and kind;
- alerts per 1,000 on synthetic_negatives_us.csv (screened against all lists);
- names/s on one core and on all cores, p50/p95 single-query latency, index build time, peak memory;
- ``--only pairs``: precision / recall / F1 of the pair model on the labelled pairs held out from fitting
  (bench/pairs.py), beside the bare alignment score at the same threshold;
- ``--only temporal``: recall@1/5 of the temporal hold-out (aliases of parties listed after the simulated
  snapshot, against the list with those parties reduced to their primary name). Run it once more with the
  previous engine on ``PYTHONPATH`` for "today" (it uses only ``Screener.build`` and ``screen``).
The baseline is rapidfuzz's best token_sort_ratio over every listed name (per-row exclusion too).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _lists import EVAL, all_lists

from techguard.lists.model import Party
from techguard.matching import ALGORITHM_VERSION, DEFAULT_THRESHOLD, Query, Screener
from techguard.matching.batch import flatten
from techguard.text.fold import fold
from techguard.text.scripts import Script, scripts_of


@dataclass
class Row:
    alias: str
    target: str  # Party.key
    kind: str
    trivial: bool
    scripts: str


def _rows_sdn(parties: list[Party]) -> list[Row]:
    by_id = {p.source_id: p for p in parties}
    rows = []
    for r in csv.DictReader((EVAL / "sdn2021_alias_to_primary.csv").open(encoding="utf-8")):
        party = by_id.get(r["ent_num"])
        if party is not None:
            rows.append(
                Row(r["query_alias"], party.key, r["sdn_type"], r["trivial_after_normalisation"] == "1", "")
            )
    return rows


def _rows_csl(parties: list[Party]) -> list[Row]:
    by_id = {p.source_id.rsplit(":", 1)[-1]: p for p in parties}
    rows = []
    for r in csv.DictReader((EVAL / "csl2023_alias_to_primary.csv").open(encoding="utf-8")):
        party = by_id.get(r["csl_id"])
        if party is not None:
            kind = (r["type"] or "unknown").lower()
            rows.append(Row(r["query_alias"], party.key, kind, r["trivial_after_normalisation"] == "1", ""))
    return rows


def _rows_meti(parties: list[Party]) -> list[Row]:
    by_id = {p.source_id.replace("jp-", ""): p for p in parties}
    rows = []
    for r in csv.DictReader((EVAL / "meti_eul_alias_to_primary.csv").open(encoding="utf-8")):
        party = by_id.get(r["eul_id"].replace("jp-", ""))
        if party is not None:
            trivial = fold(r["query_alias"]) == fold(r["target_english"])
            rows.append(Row(r["query_alias"], party.key, "entity", trivial, r["alias_scripts"]))
    return rows


_WITH_NATIVE = re.compile(r"^(.*?)\s*[(（]([^()（）]+)[)）]\s*$")


def alias_forms(alias: str) -> set[str]:
    """Folded forms of an eval alias. METI's aliases come as "English (日本語)", which the parser splits
    into two names; both parts count as the alias."""
    forms = {fold(alias)}
    found = _WITH_NATIVE.match(alias)
    if found and scripts_of(found.group(2)) - {Script.LATIN}:
        forms |= {fold(found.group(1)), fold(found.group(2))}
    return forms - {""}


def _excluded_names(party: Party, alias: str) -> set[str]:
    """The entity's non-primary names that are the query alias (per-row protocol)."""
    forms = alias_forms(alias)
    return {n.value for n in party.names if n.value.strip() == alias.strip() or fold(n.value) in forms}


def _script_label(row: Row) -> str:
    if row.scripts:
        return row.scripts
    found = sorted(str(s) for s in scripts_of(row.alias))
    return "|".join(found) or "none"


def _without_eval_aliases(parties: list[Party], rows: list[Row]) -> list[Party]:
    """The list with every alias that appears as a query removed from its entity (protocol "primary")."""
    removed: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        removed[row.target] |= alias_forms(row.alias)
    out = []
    for party in parties:
        gone = removed.get(party.key)
        if gone:
            party = replace(party, names=tuple(n for n in party.names if fold(n.value) not in gone))
        out.append(party)
    return out


def eval_recall(
    name: str, parties: list[Party], rows: list[Row], sample: int | None, protocol: str
) -> dict[str, object]:
    """``protocol`` "primary": all query aliases removed from the list (mostly only primary names left);
    "per-row": only the query's own alias removed, the entity's other aliases stay."""
    if protocol == "primary":
        parties = _without_eval_aliases(parties, rows)
    if sample and len(rows) > sample:
        rows = random.Random(7).sample(rows, sample)
    t0 = time.perf_counter()
    screener = Screener.build(parties)
    build = time.perf_counter() - t0
    by_key = {p.key: p for p in parties}
    ranks_engine: list[int | None] = []
    for row in rows:
        excluded = _excluded_names(by_key[row.target], row.alias) if protocol == "per-row" else set()
        matches = flatten(screener.screen_excluding(Query(row.alias), row.target, excluded, top=5), 5)
        keys = [m.party.key for m in matches]
        ranks_engine.append(keys.index(row.target) + 1 if row.target in keys else None)
    ranks_base = _baseline_ranks(parties, rows, protocol)
    label = f"{name}, protocol '{protocol}'"
    return {"name": label, "rows": rows, "engine": ranks_engine, "baseline": ranks_base, "build": build}


def _baseline_ranks(parties: list[Party], rows: list[Row], protocol: str) -> list[int | None]:
    names: list[str] = []
    owners: list[int] = []
    for p_index, party in enumerate(parties):
        for name in party.all_names:
            names.append(" ".join(sorted(utils.default_process(name.value).split())))
            owners.append(p_index)
    owner = np.array(owners)
    keys = [p.key for p in parties]
    key_pos = {k: i for i, k in enumerate(keys)}
    ranks: list[int | None] = []
    queries = [" ".join(sorted(utils.default_process(r.alias).split())) for r in rows]
    for start in range(0, len(rows), 500):
        block = process.cdist(
            queries[start : start + 500], names, scorer=fuzz.ratio, dtype=np.uint8, workers=-1
        )
        for offset, scores in enumerate(block):
            row = rows[start + offset]
            target = key_pos[row.target]
            scores = scores.astype(np.int16)
            if protocol == "per-row":
                excluded = _excluded_names(parties[target], row.alias)
                own = np.flatnonzero(owner == target)
                for offset_in_party, n_index in enumerate(own):
                    name = parties[target].all_names[offset_in_party]
                    if offset_in_party > 0 and name.value in excluded:
                        scores[n_index] = -1
            best = np.full(len(parties), -1, dtype=np.int16)
            np.maximum.at(best, owner, scores)
            order = np.argsort(-best, kind="stable")[:5]
            ranks.append(int(np.flatnonzero(order == target)[0]) + 1 if target in order else None)
    return ranks


def _recall(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / max(len(ranks), 1)


def report_recall(result: dict[str, object], lines: list[str]) -> None:
    rows: list[Row] = result["rows"]  # type: ignore[assignment]
    engine: list[int | None] = result["engine"]  # type: ignore[assignment]
    base: list[int | None] = result["baseline"]  # type: ignore[assignment]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups["all"].append(i)
        groups["trivial" if row.trivial else "non-trivial"].append(i)
        if not row.trivial:
            groups[f"non-trivial kind={row.kind or 'unknown'}"].append(i)
            groups[f"non-trivial script={_script_label(row)}"].append(i)
    lines.append(f"\n### {result['name']} (index build {result['build']:.2f} s)\n")
    lines.append("| rows | n | engine R@1 | engine R@5 | baseline R@1 | baseline R@5 |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for label, idx in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0] != "non-trivial", kv[0])):
        if len(idx) < 3 and label not in ("all", "trivial", "non-trivial"):
            continue
        e = [engine[i] for i in idx]
        b = [base[i] for i in idx]
        lines.append(
            f"| {label} | {len(idx)} | {_recall(e, 1):.3f} | {_recall(e, 5):.3f} | {_recall(b, 1):.3f} | {_recall(b, 5):.3f} |"
        )


def negatives(screener: Screener, sample: int | None) -> tuple[list[Query], list[str]]:
    rows = list(csv.DictReader((EVAL / "synthetic_negatives_us.csv").open(encoding="utf-8")))
    if sample and len(rows) > sample:
        rows = random.Random(11).sample(rows, sample)
    return [Query(r["full_name"]) for r in rows], [r["full_name"] for r in rows]


def report_pairs(lines: list[str], cache: Path | None = None) -> None:
    """Pairs F1 of the shipped model on held-out pairs, by list and by script pair. ``cache``: the pickle
    bench/fit_pair_model.py --pairs-cache wrote (the same pairs, not built again)."""
    import pickle

    from pairs import Pair, build_pairs, fitting_and_held_out

    from techguard.matching.pair_model import FEATURES, GENERIC_ONLY_CAP, load_model
    from techguard.matching.screener import MODEL_FLOOR, judged_score

    model = load_model()
    generic_only = FEATURES.index("generic_only")

    def alignment(pair: Pair) -> float:
        # the default screener's alignment score: a match on generic words alone is capped below the line
        return min(pair.raw_score, GENERIC_ONLY_CAP) if pair.features[generic_only] else pair.raw_score

    def default_score(pair: Pair) -> float:
        """The name score the default screener gives (Screener._best_key_match): the model judges a way of
        meeting it was fitted for, from the floor up; the alignment score stands elsewhere."""
        score = alignment(pair)
        if pair.judged and score >= getattr(pair, "floor", MODEL_FLOOR):
            return judged_score(score, model.probability(pair.features), threshold)
        return score

    pairs = pickle.loads(cache.read_bytes()) if cache and cache.exists() else build_pairs()
    fitting, held_out = fitting_and_held_out(pairs)
    unrelated = sum(1 for p in pairs if p.unrelated)
    threshold = DEFAULT_THRESHOLD

    def measure(chosen: list[object], score: Callable[[object], float]) -> tuple[int, float, float, float]:
        tp = fp = fn = 0
        for pair in chosen:
            hit = score(pair) >= threshold
            label = pair.label  # type: ignore[attr-defined]
            tp += hit and label == 1
            fp += hit and label == 0
            fn += (not hit) and label == 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return len(chosen), precision, recall, f1

    groups: dict[str, list[object]] = defaultdict(list)
    for pair in held_out:
        groups["all held-out"].append(pair)
        groups[f"list={pair.source}"].append(pair)
        groups[f"scripts={pair.scripts}"].append(pair)
        if pair.late:
            groups["temporal hold-out (listed late)"].append(pair)
    lines.append(
        f"\n### Pairs ({len(pairs)} labelled pairs; {len(fitting)} fitting, {len(held_out)} held out by party; "
        f"{unrelated} aliases with no shared name material left out; model `{model.version}`, threshold "
        f"{threshold})\n"
    )
    lines.append(
        "| pairs | n | default P | default R | **default F1** | model F1 (every hit) | alignment score F1 |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for label, chosen in sorted(groups.items(), key=lambda kv: (not kv[0].startswith("all"), -len(kv[1]))):
        if len(chosen) < 20:
            continue
        n, p, r, f = measure(chosen, default_score)  # type: ignore[arg-type]
        _, _, _, model_f = measure(chosen, lambda pair: model.probability(pair.features))  # type: ignore[attr-defined]
        _, _, _, raw_f = measure(chosen, alignment)  # type: ignore[arg-type]
        lines.append(f"| {label} | {n} | {p:.3f} | {r:.3f} | **{f:.3f}** | {model_f:.3f} | {raw_f:.3f} |")


def report_temporal(lists: dict[str, list[Party]], lines: list[str]) -> None:
    """Recall@1/5 of aliases of parties listed after the simulated snapshot (bench/pairs.late_parties),
    against the list with those parties reduced to their primary name."""
    from pairs import late_parties, shares_material

    late = late_parties(lists)
    total: dict[str, list[int | None]] = defaultdict(list)
    for label, parties in lists.items():
        chosen = [p for p in parties if p.key in late and p.names]
        if not chosen:
            continue
        index = [replace(p, names=()) if p.key in late else p for p in parties]
        screener = Screener.build(index)
        for party in chosen:
            for name in party.names:
                if fold(name.value) == fold(party.name):
                    continue
                matches = flatten(screener.screen(Query(name.value), top=5), 5)
                keys = [m.party.key for m in matches]
                rank = keys.index(party.key) + 1 if party.key in keys else None
                total["all"].append(rank)
                total[f"list={label}"].append(rank)
                variant = shares_material(name.value, party.name)
                total["sharing name material" if variant else "no shared name material"].append(rank)
    lines.append(f"\n### Temporal hold-out ({ALGORITHM_VERSION})\n")
    lines.append("| queries | n | R@1 | R@5 |")
    lines.append("|---|---:|---:|---:|")
    for label, ranks in sorted(total.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        lines.append(f"| {label} | {len(ranks)} | {_recall(ranks, 1):.3f} | {_recall(ranks, 5):.3f} |")


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="sample rows (development only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["recall", "negatives", "speed", "pairs", "temporal"], default=None)
    parser.add_argument(
        "--protocol", nargs="+", choices=["primary", "per-row"], default=["primary", "per-row"]
    )
    parser.add_argument("--pairs-cache", type=Path, help="pairs pickled by bench/fit_pair_model.py")
    args = parser.parse_args()
    sample = 1500 if args.quick else None
    lines: list[str] = []
    lists = all_lists()
    if args.only in (None, "pairs"):
        report_pairs(lines, args.pairs_cache)
        print("\n".join(lines), flush=True)
        if args.only == "pairs":
            return
    if args.only in (None, "temporal"):
        report_temporal(lists, lines)
        print("\n".join(lines[-12:]), flush=True)
        if args.only == "temporal":
            return
    if args.only in (None, "recall"):
        for label, key, loader in (("SDN 2021 aliases", "sdn", _rows_sdn), ("CSL 2023 alt_names", "csl", _rows_csl),
                                   ("METI EUL aliases", "meti", _rows_meti)):  # fmt: skip
            if key not in lists:
                continue
            for protocol in args.protocol:
                result = eval_recall(label, lists[key], loader(lists[key]), sample, protocol)
                report_recall(result, lines)
                print("\n".join(lines[-14:]), flush=True)
    everything = [p for parties in lists.values() for p in parties]
    t0 = time.perf_counter()
    screener = Screener.build(everything)
    build_all = time.perf_counter() - t0
    lines.append(
        f"\nAll lists loaded: {', '.join(f'{k} {len(v)}' for k, v in lists.items())} = {len(everything)} parties, "
        f"{len(screener.index)} name keys; index build {build_all:.2f} s."
    )
    if args.only in (None, "negatives"):
        queries, _ = negatives(screener, 5000 if args.quick else None)
        alerts = 0
        examples: list[str] = []
        for q, matches in zip(queries, screener.screen_many(queries, workers=args.workers), strict=True):
            if matches and matches[0].alert:
                alerts += 1
                if len(examples) < 10:
                    examples.append(f"{q.name} → {matches[0].matched_name} ({matches[0].score})")
        lines.append(
            f"\nSynthetic negatives: {alerts} alerts on {len(queries)} names = "
            f"**{1000 * alerts / len(queries):.2f} per 1,000** at threshold {screener.threshold}."
        )
        lines.extend(f"  - {e}" for e in examples)
    if args.only in (None, "speed"):
        queries, _ = negatives(screener, 4000)
        latencies = []
        cpu_latencies = []
        for q in queries[:2000]:
            t, c = time.perf_counter(), time.process_time()
            screener.screen(q)
            latencies.append((time.perf_counter() - t) * 1000)
            cpu_latencies.append((time.process_time() - c) * 1000)
        # the naive baseline for one query: rapidfuzz ratio of word-sorted names over every listed name
        names = [
            " ".join(sorted(utils.default_process(n.value).split())) for p in everything for n in p.all_names
        ]
        naive = []
        for q in queries[:300]:
            t = time.perf_counter()
            process.extract(
                " ".join(sorted(utils.default_process(q.name).split())), names, scorer=fuzz.ratio, limit=5
            )
            naive.append((time.perf_counter() - t) * 1000)
        lines.append(
            f"\nNaive rapidfuzz scan, one query over {len(names)} names: p50 {statistics.median(naive):.2f} ms "
            f"(engine p50 / naive p50 = {statistics.median(latencies) / statistics.median(naive):.2f})."
        )
        cpu0 = time.process_time()
        one = _timed(lambda: list(screener.screen_many(queries, workers=1)))
        one_cpu = time.process_time() - cpu0
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        parent0 = time.process_time()
        many = _timed(lambda: list(screener.screen_many(queries, workers=args.workers)))
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        many_cpu = (time.process_time() - parent0) + sum(
            getattr(children1, f) - getattr(children0, f) for f in ("ru_utime", "ru_stime")
        )
        load = os.getloadavg()[0]
        lines.append(
            f"\nSpeed (all lists, {len(queries)} synthetic names; load average {load:.1f} on "
            f"{os.cpu_count()} CPUs during the run):\n"
            f"- single query: p50 {statistics.median(latencies):.2f} ms, "
            f"p95 {statistics.quantiles(latencies, n=20)[18]:.2f} ms wall clock; "
            f"p50 {statistics.median(cpu_latencies):.2f} ms, p95 {statistics.quantiles(cpu_latencies, n=20)[18]:.2f} ms CPU;\n"
            f"- one core: {len(queries) / one:.0f} names/s wall clock, {len(queries) / one_cpu:.0f} names/s of CPU time;\n"
            f"- {args.workers} workers (fork, index shared): {len(queries) / many:.0f} names/s wall clock; "
            f"{1000 * many_cpu / len(queries):.2f} ms CPU per name (workers + parent), i.e. "
            f"{args.workers * len(queries) / many_cpu:.0f} names/s when {args.workers} cores are free."
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(
        f"\nPeak memory (max RSS of the main process): {peak:.0f} MB. Algorithm {ALGORITHM_VERSION}. "
        f"Machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}, "
        f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
