"""Large-batch screening benchmark: streaming CLI pipeline, index cache, memory over time, Spark local mode.

    .venv/bin/python bench/screening_batch.py [--names 1000000] [--spark-names 100000] [--workers 2]

Measures (docs/benchmarks.md, section "Screening at scale"), all in one run so ratios share the machine's load:
- names/s of the streaming batch (the code path of ``techguard screen FILE --output OUT.jsonl``) over
  ``--names`` synthetic names against all lists, and of a naive rapidfuzz scan (best token_sort_ratio over
  every listed name, top 5, cdist on the same cores) on a sample of the same names: the ratio;
- peak RSS of the batch's process tree and its RSS over time (sampled each second);
- the index cache: build time, file size, load time in a fresh process; single-query p50/p95 after start;
- Spark local[N] (``techguard.spark``) on ``--spark-names`` of the same names: names/s, peak RSS of the
  driver, JVM and Python workers, and the results compared row for row with the local engine's.
Names are synthesised from ../shared's negatives (first × last names) and list aliases (some perturbed).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil
from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _lists import EVAL, LISTS, all_lists

from techguard.matching import Query, Screener, index_cache
from techguard.matching.resources import algorithm_version

KEY_FILES = [
    LISTS / "us_ofac_sdn_2021-07-07",
    LISTS / "us_ofac_consolidated_nonsdn_2025-12-19",
    LISTS / "us_csl_2023-11-30/csl.csv",
    LISTS / "us_bis_dpl_2023-11-30/dpl.txt",
    LISTS / "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
    LISTS / "jp_meti_end_user_list_2025-09-29/jp.json",
    LISTS / "cn_mofcom_lists_2026-07-19/cn.json",
]
SUFFIXES = ["Trading Co Ltd", "Industries", "Holdings", "Technology Co., Ltd.", "LLC", "GmbH", "株式会社", "Logistics"]


def cache_key() -> index_cache.CacheKey:
    files: list[tuple[str, Path]] = []
    for path in KEY_FILES:
        members = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        files.extend((f"bench:{m.name}", m) for m in members)
    return index_cache.key_for_files(files, [("bench", "all_lists")])


def synthesise(count: int, target: Path, seed: int = 7) -> None:
    """``count`` names written as a CSV query file (id,name), deterministic for a seed."""
    rng = random.Random(seed)
    negatives = list(csv.DictReader((EVAL / "synthetic_negatives_us.csv").open(encoding="utf-8")))
    firsts = [r["first_name"] for r in negatives if r["first_name"]]
    lasts = [r["last_name"] for r in negatives if r["last_name"]]
    aliases: list[str] = []
    for file in ("sdn2021_alias_to_primary.csv", "csl2023_alias_to_primary.csv", "meti_eul_alias_to_primary.csv"):
        aliases.extend(r["query_alias"] for r in csv.DictReader((EVAL / file).open(encoding="utf-8")))
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name"])
        for i in range(count):
            roll = rng.random()
            if roll < 0.70:
                name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
            elif roll < 0.90:
                name = rng.choice(aliases)
                if rng.random() < 0.5 and len(name) > 4:  # a typo: two neighbouring letters swapped
                    k = rng.randrange(len(name) - 1)
                    name = name[:k] + name[k + 1] + name[k] + name[k + 2 :]
            else:
                name = f"{rng.choice(lasts)} {rng.choice(SUFFIXES)}"
            writer.writerow([f"q{i}", name])


# ---------------------------------------------------------------- child processes
def child_batch(queries: Path, output: Path, workers: int) -> None:
    """The CLI's streaming pipeline (read_queries → screen_lines → ResultWriter) on the cached index; prints
    the CPU seconds of this process and its (joined) workers."""
    from techguard.matching.batch import ResultWriter, read_queries, screen_lines

    screener = index_cache.load(cache_key())
    assert screener is not None, "index cache missing"
    writer = ResultWriter(output, 5)
    for _query, line, _alerted in screen_lines(screener, read_queries(queries), top=5, min_score=0.3,
                                               workers=workers):  # fmt: skip
        writer.write_json_line(line)
    writer.close()
    times = os.times()
    print(json.dumps({"cpu_s": times.user + times.system + times.children_user + times.children_system}))


def naive_rates(screener: Screener, queries: list[str], workers: int) -> tuple[float, float]:
    """The naive scan's (:func:`naive_baseline`) names/s and names per CPU-second (its cdist threads' CPU
    included), both timed over the scan alone."""
    names = [" ".join(sorted(utils.default_process(n.value).split())) for p in screener.parties for n in p.all_names]
    processed = [" ".join(sorted(utils.default_process(q).split())) for q in queries]
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(processed), 200):
        block = process.cdist(processed[start : start + 200], names, scorer=fuzz.ratio, dtype=np.uint8, workers=workers)
        np.argpartition(-block, 5, axis=1)[:, :5]
    return len(queries) / (time.perf_counter() - t0), len(queries) / (time.process_time() - c0)


def child_start(queries: Path) -> None:
    """Fresh process: index load time from the cache file, then single-query latencies."""
    t0, c0 = time.perf_counter(), time.process_time()
    screener = index_cache.load(cache_key())
    load, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert screener is not None
    names = [r["name"] for _, r in zip(range(1500), csv.DictReader(queries.open(encoding="utf-8")), strict=False)]
    latencies = []
    for name in names:
        t = time.perf_counter()
        screener.screen(Query(name))
        latencies.append((time.perf_counter() - t) * 1000)
    first = latencies[0]
    rest = latencies[500:]  # after the first few hundred queries have warmed the per-word caches
    print(json.dumps({"load_s": load, "load_cpu_s": load_cpu, "first_ms": first, "p50_ms": statistics.median(rest),
                      "p95_ms": statistics.quantiles(rest, n=20)[18]}))  # fmt: skip


def child_spark(queries: Path, output: Path, master: str) -> None:
    from techguard.matching import batch
    from techguard.spark.screen import ShippedIndex, screen_file, spark_session

    spark = spark_session(master, "techguard-bench")
    data = index_cache.cache_path(cache_key()).read_bytes()
    shipped = ShippedIndex(cache_key().digest(), broadcast=spark.sparkContext.broadcast(data))
    writer = batch.ResultWriter(output, 5)
    t0 = time.perf_counter()
    count = screen_file(spark, queries, writer.write_json_line, lists=None, list_format=None, bridges=None,
                        top=5, min_score=0.3, index=shipped)  # fmt: skip
    writer.close()
    print(json.dumps({"rows": count, "seconds": time.perf_counter() - t0}))
    spark.stop()


# ---------------------------------------------------------------- parent
class TreeSampler:
    """RSS of a process and all its descendants, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        # PSS counts a page shared by forked workers once (shared among them); RSS counts it in each
        self.samples: list[tuple[float, float]] = []
        self.rss_samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        info = proc.memory_full_info()
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    rss += info.rss
                    pss += info.pss
            except psutil.NoSuchProcess:
                break
            now = time.perf_counter() - self._start
            self.samples.append((now, pss / 2**20))
            self.rss_samples.append((now, rss / 2**20))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "no samples"
        end = self.samples[-1][0] or 1.0
        tenths = []
        for k in range(10):
            part = [m for t, m in self.samples if k / 10 <= t / end < (k + 1) / 10 or (k == 9 and t == end)]
            if part:
                tenths.append(f"{max(part):.0f}")
        peak_pss = max(m for _, m in self.samples)
        peak_rss = max(m for _, m in self.rss_samples)
        return (f"peak PSS {peak_pss:.0f} MB (RSS summed over processes {peak_rss:.0f} MB); PSS, max per tenth "
                f"of the run: {' / '.join(tenths)} MB")  # fmt: skip


def _run_child(args: list[str]) -> tuple[subprocess.CompletedProcess[str], float, TreeSampler]:
    env = dict(os.environ)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    sampler = TreeSampler(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{stderr[-3000:]}")
    return subprocess.CompletedProcess(args, proc.returncode, stdout, stderr), seconds, sampler


def naive_baseline(screener: Screener, queries: list[str], workers: int) -> float:
    """names/s of a naive scan: token_sort_ratio against every listed name, best 5 kept."""
    names = [" ".join(sorted(utils.default_process(n.value).split())) for p in screener.parties for n in p.all_names]
    processed = [" ".join(sorted(utils.default_process(q).split())) for q in queries]
    t0 = time.perf_counter()
    for start in range(0, len(processed), 200):
        block = process.cdist(processed[start : start + 200], names, scorer=fuzz.ratio, dtype=np.uint8, workers=workers)
        np.argpartition(-block, 5, axis=1)[:, :5]
    return len(queries) / (time.perf_counter() - t0)


class Lines(list[str]):
    """Result lines, each printed as soon as it is known (a later failure keeps the earlier ones)."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--spark-names", type=int, default=100_000)
    parser.add_argument("--baseline-names", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    lines = Lines()
    loads = [os.getloadavg()[0]]

    key = cache_key()
    t0 = time.perf_counter()
    parties = [p for ps in all_lists().values() for p in ps]
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    screener = Screener.build(parties)
    build = time.perf_counter() - t0
    path = index_cache.store(screener, key)
    lines.append(f"- index: {len(parties)} parties, {len(screener.index)} name keys; lists parsed in {parse:.1f} s, "
                 f"index built in {build:.1f} s; cache file {path.stat().st_size / 2**20:.0f} MB "
                 f"({algorithm_version()})")  # fmt: skip

    queries = args.out / f"names-{args.names}.csv"
    if not queries.is_file():
        synthesise(args.names, queries)
    started, _, _ = _run_child(["--child-start", str(queries)])
    start = json.loads(started.stdout)
    lines.append(f"- fresh process: index loaded from the cache in **{start['load_s']:.2f} s** "
                 f"({start['load_cpu_s']:.2f} s of CPU); first query "
                 f"{start['first_ms']:.1f} ms; then single query p50 **{start['p50_ms']:.2f} ms**, "
                 f"p95 {start['p95_ms']:.2f} ms")  # fmt: skip

    sample = [r["name"] for _, r in zip(range(args.baseline_names), csv.DictReader(queries.open(encoding="utf-8")),
                                         strict=False)]  # fmt: skip
    baseline, baseline_cpu = naive_rates(screener, sample, args.workers)
    loads.append(os.getloadavg()[0])

    output = args.out / "batch.jsonl"
    ran, seconds, sampler = _run_child(["--child-batch", str(queries), str(output), str(args.workers)])
    loads.append(os.getloadavg()[0])
    # the naive scan again after the batch: on a shared machine the load moves, so the ratio uses the mean
    after, after_cpu = naive_rates(screener, sample, args.workers)
    del screener, parties
    loads.append(os.getloadavg()[0])
    baseline, baseline_cpu = (baseline + after) / 2, (baseline_cpu + after_cpu) / 2
    rate = args.names / seconds
    rate_cpu = args.names / json.loads(ran.stdout.strip().splitlines()[-1])["cpu_s"]
    lines.append(f"- batch of {args.names:,} names, {args.workers} workers (streaming CLI pipeline, process start "
                 f"and index load included): {seconds:.0f} s = **{rate:.0f} names/s**; naive rapidfuzz scan on "
                 f"{len(sample):,} of the same names, {args.workers} workers, before and after the batch: "
                 f"{baseline:.0f} names/s (mean of {baseline * 2 - after:.0f} and {after:.0f}) → "
                 f"**ratio {rate / baseline:.2f}**; per CPU-second (less sensitive to other jobs' load): batch "
                 f"{rate_cpu:.0f}, naive {baseline_cpu:.0f} → **CPU ratio {rate_cpu / baseline_cpu:.2f}**")  # fmt: skip
    lines.append(f"- batch memory (RSS of the process tree): {sampler.summary()}")

    if args.spark_names:
        spark_queries = queries
        if args.spark_names < args.names:
            spark_queries = args.out / f"first-{args.spark_names}-of-{args.names}.csv"
            with queries.open(encoding="utf-8") as src, spark_queries.open("w", encoding="utf-8") as dst:
                for _, line in zip(range(args.spark_names + 1), src, strict=False):
                    dst.write(line)
        spark_out = args.out / "spark.jsonl"
        ran, seconds, sampler = _run_child(["--child-spark", str(spark_queries), str(spark_out), args.master])
        loads.append(os.getloadavg()[0])
        inner = json.loads(ran.stdout.strip().splitlines()[-1])
        with output.open(encoding="utf-8") as local, spark_out.open(encoding="utf-8") as spark:
            local_lines = [line for _, line in zip(range(args.spark_names), local, strict=False)]
            spark_lines = spark.readlines()
        same = sum(a == b for a, b in zip(local_lines, spark_lines, strict=False))
        lines.append(f"- Spark {args.master} on the first {args.spark_names:,} names: {seconds:.0f} s with JVM start "
                     f"({inner['seconds']:.0f} s screening) = **{args.spark_names / seconds:.0f} names/s** "
                     f"(local engine: {rate:.0f}); results identical to the local engine's for "
                     f"**{same:,} of {args.spark_names:,} rows**; memory (driver + JVM + Python workers): "
                     f"{sampler.summary()}")  # fmt: skip
    lines.append(f"- load average (1 min) during the run: {' → '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-batch":
        child_batch(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-start":
        child_start(Path(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-spark":
        child_spark(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    else:
        main()
