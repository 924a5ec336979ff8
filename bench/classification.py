"""Classification search: ECCN / 項番 hit rates, "not listed" precision and latency, versus naive BM25.

    PYTHONPATH=src .venv/bin/python bench/classification.py [--sources ../shared/data/rules] [--split all]

Labelled set: ``bench/data/classification_queries.tsv`` (id, lang, query, eccn, jp_item, source): researcher-
worded queries in English and Japanese, each label taken from a source that states the classification.
Split: ids whose number is divisible by 3 are held out (never looked at while tuning the vocabulary, the
weights or the "not listed" bar); the rest is the development split. Both are reported.

Metrics: ECCN top-1/top-5 (the 5-character ECCN of the expected entry among the candidates; EAR99 rows
excluded), 項番 top-5 at 号 level (rows with a 項番 label), "not listed" precision (share of suggestions whose
label is EAR99/非該当) and recall, suggestions made for listed Category 0–2 / quantum items (must be 0), and
per-query latency with the catalogue loaded. The baseline is BM25 over the same entries with the same
tokeniser, without vocabulary expansion, crosswalk or thresholds (CCL only for ECCNs, 輸出令/省令 only for 項番).
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from techguard.catalogue.build import build_from_dirs
from techguard.catalogue.model import Catalogue
from techguard.catalogue.search import Searcher, _build_index, tokens

HERE = Path(__file__).resolve().parent
QUANTUM = {"3A901", "3A904", "4A906", "3B904", "4D906", "4E906"}


def kou_gou(label: str) -> str:
    """項番 at 号 level: ``3の項（2）1`` → ``3の項（2）``."""
    return re.sub(r"^(外為令)?(.*?の項(?:（[^）]+）)?).*$", r"\2", label)


def held_out(identifier: str) -> bool:
    return int(re.sub(r"\D", "", identifier)) % 3 == 0


class Baseline:
    """Plain BM25 (same tokeniser, no expansion/crosswalk/thresholds)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.index = _build_index(catalogue)

    def top(self, query: str, regime: str, k: int) -> list[str]:
        scores: dict[int, float] = defaultdict(float)
        index = self.index
        for token in set(tokens(query)):
            idf = index.idf(token)
            for doc, tf in index.postings.get(token, ()):
                if index.regime_of[doc] != regime:
                    continue
                norm = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * index.lengths[doc] / index.average))
                scores[doc] += idf * norm
        out: list[str] = []
        for doc, _ in sorted(scores.items(), key=lambda kv: -kv[1]):
            entry = self.catalogue.entries[index.ids[doc]]
            key = entry.eccn_base if regime == "us" else kou_gou(entry.jp_item)
            if key and key not in out:
                out.append(key)
            if len(out) == k:
                break
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=Path, default=HERE.parent.parent / "shared" / "data" / "rules")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--set", choices=("main", "fresh"), default="main",
                        help="main: the dev/held-out set; fresh: written after all tuning, never tuned on")
    args = parser.parse_args()
    name = "classification_queries.tsv" if args.set == "main" else "classification_fresh.tsv"
    rows = list(csv.DictReader((HERE / "data" / name).open(encoding="utf-8"), delimiter="\t"))

    catalogue = build_from_dirs([args.sources])
    started = time.perf_counter()
    searcher = Searcher(catalogue)
    index_seconds = time.perf_counter() - started
    baseline = Baseline(catalogue)
    results: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    latencies: list[float] = []
    base_latencies: list[float] = []
    suggestions: list[tuple[str, bool]] = []
    sensitive_suggested: list[str] = []
    misses: list[str] = []
    for row in rows:
        split = "fresh" if args.set == "fresh" else ("held-out" if held_out(row["id"]) else "dev")
        t0 = time.perf_counter()
        answer = searcher.search(row["query"], top=args.top, lang=row["lang"])
        latencies.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        base_eccns = baseline.top(row["query"], "us", args.top)
        base_items = baseline.top(row["query"], "jp", args.top)
        base_latencies.append((time.perf_counter() - t0) * 1000)
        eccns = list(dict.fromkeys(c.eccn[:5] for c in answer.candidates if c.eccn))
        items = list(dict.fromkeys(kou_gou(c.jp_item) for c in answer.candidates if c.jp_item))
        listed = row["eccn"] != "EAR99"
        for key in ((split, row["lang"]), ("all", row["lang"]), (split, "all"), ("all", "all")):
            bucket = results[key]
            if listed:
                bucket["eccn_top1"].append(float(bool(eccns) and eccns[0] == row["eccn"]))
                bucket["eccn_top5"].append(float(row["eccn"] in eccns))
                bucket["base_top1"].append(float(bool(base_eccns) and base_eccns[0] == row["eccn"]))
                bucket["base_top5"].append(float(row["eccn"] in base_eccns))
            if row["jp_item"] and row["jp_item"] != "非該当":
                bucket["kou_top5"].append(float(kou_gou(row["jp_item"]) in items))
                bucket["base_kou_top5"].append(float(kou_gou(row["jp_item"]) in base_items))
        if answer.not_listed_suggested:
            suggestions.append((row["id"], not listed))
            if listed and (row["eccn"][0] in "012" or row["eccn"] in QUANTUM):
                sensitive_suggested.append(row["id"])
        if listed and row["eccn"] not in eccns:
            misses.append(f"{row['id']} ({split}) {row['query'][:50]} → want {row['eccn']}, got {eccns[:3]}")
    print(f"queries: {len(rows)} ({sum(r['lang'] == 'en' for r in rows)} en, {sum(r['lang'] == 'ja' for r in rows)} ja); "
          f"held-out {sum(held_out(r['id']) for r in rows) if args.set == 'main' else len(rows)}; "
          f"index build {index_seconds:.1f} s")
    print("| split | lang | n (listed) | ECCN top-1 | ECCN top-5 | 項番 top-5 | baseline ECCN top-1 | baseline ECCN top-5 "
          "| baseline 項番 top-5 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for split in ("fresh", "all") if args.set == "fresh" else ("dev", "held-out", "all"):
        for lang in ("en", "ja", "all"):
            b = results[(split, lang)]

            def mean(name: str, bucket: dict[str, list[float]] = b) -> str:
                values = bucket[name]
                return f"{sum(values) / len(values):.2f}" if values else "–"

            print(f"| {split} | {lang} | {len(b['eccn_top5'])} | {mean('eccn_top1')} | {mean('eccn_top5')} | "
                  f"{mean('kou_top5')} | {mean('base_top1')} | {mean('base_top5')} | {mean('base_kou_top5')} |")
    right = sum(1 for _, ok in suggestions if ok)
    unlisted = sum(1 for r in rows if r["eccn"] == "EAR99")
    print(f"not listed suggested: {len(suggestions)}; precision {right}/{len(suggestions)}"
          f" = {right / max(len(suggestions), 1):.2f}; recall {right}/{unlisted}; "
          f"on listed Cat 0-2/quantum items: {len(sensitive_suggested)} {sensitive_suggested}")
    wrong = [i for i, ok in suggestions if not ok]
    print(f"wrong suggestions: {wrong}")
    latencies.sort()
    base_latencies.sort()
    print(f"latency ms/query: p50 {statistics.median(latencies):.1f}, p95 {latencies[int(len(latencies) * 0.95)]:.1f}, "
          f"max {latencies[-1]:.1f}; baseline p50 {statistics.median(base_latencies):.1f}; "
          f"loadavg {Path('/proc/loadavg').read_text().split()[:3]}")
    print("misses:")
    for miss in misses:
        print("  " + miss)


if __name__ == "__main__":
    main()
