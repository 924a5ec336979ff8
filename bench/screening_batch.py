"""Large-batch screening benchmark: streaming CLI pipeline, index cache, memory over time, Spark local mode.

    .venv/bin/python bench/screening_batch.py [--names 1000000] [--spark-names 100000] [--workers 2]
        [--legs start,baseline,cli,spark] [--compare-rows 100000] [--queries FILE] [--use-model]
        [--repeat-cache-mb 128] [--tag -after]

Measures (docs/benchmarks.md, section "Screening at scale"), all in one run so ratios share the machine's load:
- names/s of the streaming batch (the code path of ``techguard screen FILE --output OUT.jsonl``) over
  ``--names`` synthetic names against all lists, and of a naive rapidfuzz scan (best token_sort_ratio over
  every listed name, top 5, cdist on the same cores) on a sample of the same names, run before and after the
  batch (the machine's load moves): the ratio to their mean, and the same ratio per CPU-second (less
  sensitive to other jobs' load); ``--use-model`` screens with the pair model as the name scorer;
- peak RSS of the batch's process tree and its RSS over time (sampled each second);
- the batch's repeat cache (``batch.RepeatCache``, byte budget ``--repeat-cache-mb``): rows not screened again
  and the first pass over the file, as the CLI does it (code without the cache, e.g. main's for a before/after
  pair, runs without);
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

from techguard import native
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
def load_screener(use_model: bool) -> Screener:
    """The cached index, with the pair model as the name scorer when asked (the cache holds no model:
    ``Screener.build(..., use_model=True)`` loads it the same way)."""
    screener = index_cache.load(cache_key())
    assert screener is not None, "index cache missing"
    if use_model:
        from techguard.matching.pair_model import load_model

        screener.model = load_model()
    return screener


def child_batch(queries: Path, output: Path, workers: int, use_model: bool, cache_mb: float) -> None:
    """The CLI's streaming pipeline (read_queries → screen_lines → ResultWriter) on the cached index; prints
    the CPU seconds of this process and of its (joined) workers, and what the repeat cache did (code before
    the cache, e.g. main's ``src`` for a before/after pair, runs without one)."""
    from techguard.matching import batch

    screener = load_screener(use_model)
    writer = batch.ResultWriter(output, 5)
    options: dict[str, object] = {}
    cache = None
    survey_s = 0.0
    try:  # the cache's own module since session 8; in batch before; none before session 5
        from techguard.matching.repeat_cache import RepeatCache
    except ImportError:
        RepeatCache = getattr(batch, "RepeatCache", None)
    if RepeatCache is not None:
        cache = options["cache"] = RepeatCache(max_bytes=int(cache_mb * 2**20))
        t0 = time.perf_counter()
        cache.survey(batch.read_queries(queries))  # as the CLI does for a file
        survey_s = time.perf_counter() - t0
    for _query, line, _alerted in batch.screen_lines(screener, batch.read_queries(queries), top=5, min_score=0.3,
                                                     workers=workers, **options):  # type: ignore[arg-type]  # fmt: skip
        writer.write_json_line(line)
    writer.close()
    times = os.times()
    print(json.dumps({"parent_cpu_s": times.user + times.system,
                      "workers_cpu_s": times.children_user + times.children_system,
                      "cache": None if cache is None else {"survey_s": survey_s, "hits": cache.hits, "joined": cache.joined,
                                                           "lookups": cache.lookups, "lines": len(cache),
                                                           "mb": cache.bytes / 2**20,
                                                           "disk_mb": getattr(cache, "disk_bytes", 0) / 2**20}}))  # fmt: skip


def child_start(queries: Path, use_model: bool) -> None:
    """Fresh process: index load time from the cache file, then single-query latencies."""
    t0, c0 = time.perf_counter(), time.process_time()
    screener = load_screener(use_model)
    load, load_cpu = time.perf_counter() - t0, time.process_time() - c0
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
    try:
        count = screen_file(spark, queries, writer.write_json_line, lists=None, list_format=None, bridges=None,
                            top=5, min_score=0.3, index=shipped)  # fmt: skip
    except BaseException:
        writer.abort()  # no partial output left behind
        raise
    writer.close()
    print(json.dumps({"rows": count, "seconds": time.perf_counter() - t0}))
    spark.stop()


# ---------------------------------------------------------------- parent
def _group(proc: psutil.Process) -> str:
    """Which part of a run a process is: the JVM, a Spark Python worker (or its daemon), or the driver."""
    try:
        if proc.name().startswith("java"):
            return "jvm"
        if any("pyspark.daemon" in part or "pyspark.worker" in part for part in proc.cmdline()):
            return "workers"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass
    return "driver"


class TreeSampler:
    """PSS (and summed RSS) of a process and all its descendants, sampled every ``interval`` seconds, with
    the PSS split by group (driver / JVM / Spark Python workers) and the number of processes."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        # PSS counts a page shared by forked workers once (shared among them); RSS counts it in each
        self.samples: list[tuple[float, float]] = []
        self.rss_samples: list[tuple[float, float]] = []
        self.groups: list[dict[str, float]] = []
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            groups: dict[str, float] = {}
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        info = proc.memory_full_info()
                        group = _group(proc)  # (not cached by pid: the JVM starts as a launcher script)
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    rss += info.rss
                    pss += info.pss
                    groups[group] = groups.get(group, 0.0) + info.pss / 2**20
                    groups[f"{group}_n"] = groups.get(f"{group}_n", 0.0) + 1
            except psutil.NoSuchProcess:
                break
            now = time.perf_counter() - self._start
            self.samples.append((now, pss / 2**20))
            self.rss_samples.append((now, rss / 2**20))
            self.groups.append(groups)
            self.loads.append(os.getloadavg()[0])
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _tenths(self, values: list[float], fmt: str = "{:.0f}") -> list[str]:
        end = self.samples[-1][0] or 1.0
        out = []
        for k in range(10):
            part = [v for (t, _), v in zip(self.samples, values, strict=True)
                    if k / 10 <= t / end < (k + 1) / 10 or (k == 9 and t == end)]  # fmt: skip
            if part:
                out.append(fmt.format(max(part)))
        return out

    def summary(self) -> str:
        if not self.samples:
            return "no samples"
        peak_pss = max(m for _, m in self.samples)
        peak_rss = max(m for _, m in self.rss_samples)
        text = (f"peak PSS {peak_pss:.0f} MB (RSS summed over processes {peak_rss:.0f} MB); PSS, max per tenth "
                f"of the run: {' / '.join(self._tenths([m for _, m in self.samples]))} MB")  # fmt: skip
        names = sorted({g for sample in self.groups for g in sample if not g.endswith("_n")})
        if len(names) > 1:
            parts = []
            for name in names:
                series = self._tenths([sample.get(name, 0.0) for sample in self.groups])
                most = max(int(sample.get(f"{name}_n", 0)) for sample in self.groups)
                parts.append(f"{name} (up to {most} processes) {' / '.join(series)}")
            text += "; by part, max per tenth (MB): " + "; ".join(parts)
        return text

    def load_text(self) -> str:
        if not self.loads:
            return "-"
        return " / ".join(self._tenths(self.loads, "{:.1f}"))


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


def naive_baseline(screener: Screener, queries: list[str], workers: int) -> tuple[float, float]:
    """names/s and names per CPU-second (its cdist threads included) of a naive scan: token_sort_ratio
    against every listed name, best 5 kept."""
    names = [" ".join(sorted(utils.default_process(n.value).split())) for p in screener.parties for n in p.all_names]
    processed = [" ".join(sorted(utils.default_process(q).split())) for q in queries]
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(processed), 200):
        block = process.cdist(processed[start : start + 200], names, scorer=fuzz.ratio, dtype=np.uint8, workers=workers)
        np.argpartition(-block, 5, axis=1)[:, :5]
    return len(queries) / (time.perf_counter() - t0), len(queries) / (time.process_time() - c0)


class Lines(list[str]):
    """Result lines, each printed as soon as it is known (a later failure keeps the earlier ones)."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)


LEGS = ("start", "baseline", "cli", "spark")


def first_rows(queries: Path, count: int, out: Path) -> Path:
    """The first ``count`` queries of ``queries`` as their own file (the file itself when it has no more)."""
    with queries.open(encoding="utf-8") as src:
        total = sum(1 for _ in src) - 1
    if count >= total:
        return queries
    target = out / f"first-{count}-of-{queries.stem}.csv"
    if not target.is_file():
        with queries.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
            for _, line in zip(range(count + 1), src, strict=False):
                dst.write(line)
    return target


def compare(cli_output: Path, spark_output: Path, rows: int) -> tuple[int, int]:
    """(identical lines, lines compared) over the first ``rows`` of both files, read line by line."""
    same = compared = 0
    with cli_output.open(encoding="utf-8") as local, spark_output.open(encoding="utf-8") as spark:
        for _, a, b in zip(range(rows), local, spark, strict=False):
            compared += 1
            same += a == b
    return same, compared


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Large-batch screening benchmark. The names file is generated once (out/names-N.csv) and "
        "reused, so the legs can run separately: e.g. --legs cli --names 1000000, later --legs spark "
        "--names 1000000 --spark-names 1000000 (the Spark output is compared with the CLI output of an "
        "earlier run of the same names file when it exists)."
    )
    parser.add_argument("--names", type=int, default=1_000_000, help="size of the synthetic names file")
    parser.add_argument("--queries", type=Path, help="use this query file instead of synthetic names")
    parser.add_argument("--spark-names", type=int, default=100_000, help="the first N names go through Spark")
    parser.add_argument("--compare-rows", type=int, default=100_000, help="rows compared, Spark vs CLI")
    parser.add_argument("--baseline-names", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--use-model", action="store_true", help="the pair model scores names (start, cli legs)")
    parser.add_argument("--repeat-cache-mb", type=float, default=32.0,
                        help="memory budget of the batch's repeat cache (repeat_cache.RepeatCache; 128 MB of "
                             "lines in memory before session 8); 0 keeps no line")
    parser.add_argument("--tag", default="", help="suffix of the CLI output's file name (to keep a before/after pair)")
    parser.add_argument("--legs", default=",".join(LEGS), help=f"comma-separated, of {', '.join(LEGS)}")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    legs = {leg.strip() for leg in args.legs.split(",") if leg.strip()}
    if unknown := legs - set(LEGS):
        parser.error(f"--legs: unknown {', '.join(sorted(unknown))} (known: {', '.join(LEGS)})")
    args.out.mkdir(parents=True, exist_ok=True)
    lines = Lines()
    loads = [os.getloadavg()[0]]
    lines.append(f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, legs {', '.join(leg for leg in LEGS if leg in legs)}, "
                 f"load average (1/5/15 min) {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
                 f"hot path {native.check().describe()}")  # fmt: skip

    key = cache_key()
    screener: Screener | None = None
    if "baseline" in legs or not index_cache.cache_path(key).is_file():
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
        del parties

    queries = args.queries or args.out / f"names-{args.names}.csv"
    if not queries.is_file():
        synthesise(args.names, queries)
    names = args.names if args.queries is None else sum(1 for _ in queries.open(encoding="utf-8")) - 1
    cli_output = args.out / f"cli-{queries.stem}{args.tag}.jsonl"
    spark_queries = first_rows(queries, args.spark_names, args.out)
    spark_output = args.out / f"spark-{spark_queries.stem}.jsonl"

    model = ["model"] if args.use_model else []
    if args.use_model:
        lines.append("- name scorer: the pair model (`use_model=True`)")
    if "start" in legs:
        started, _, _ = _run_child(["--child-start", str(queries), *model])
        start = json.loads(started.stdout)
        lines.append(f"- fresh process: index loaded from the cache in **{start['load_s']:.2f} s** "
                     f"({start['load_cpu_s']:.2f} s of CPU); first query "
                     f"{start['first_ms']:.1f} ms; then single query p50 **{start['p50_ms']:.2f} ms**, "
                     f"p95 {start['p95_ms']:.2f} ms")  # fmt: skip

    naive: list[tuple[float, float]] = []
    sample: list[str] = []
    if "baseline" in legs:
        assert screener is not None
        sample = [r["name"] for _, r in zip(range(args.baseline_names), csv.DictReader(queries.open(encoding="utf-8")),
                                             strict=False)]  # fmt: skip
        naive.append(naive_baseline(screener, sample, args.workers))
        lines.append(f"- naive rapidfuzz scan on the first {len(sample):,} names, {args.workers} workers: "
                     f"**{naive[0][0]:.0f} names/s**, {naive[0][1]:.0f} per CPU-second "
                     f"(load {os.getloadavg()[0]:.1f})")  # fmt: skip
    loads.append(os.getloadavg()[0])

    rate = None
    if "cli" in legs:
        ran, seconds, sampler = _run_child(["--child-batch", str(queries), str(cli_output), str(args.workers),
                                            *model, str(args.repeat_cache_mb)])  # fmt: skip
        loads.append(os.getloadavg()[0])
        rate = names / seconds
        cpu = json.loads(ran.stdout.strip().splitlines()[-1])
        rate_cpu = names / (cpu["parent_cpu_s"] + cpu["workers_cpu_s"])
        lines.append(f"- CLI batch of {names:,} names, {args.workers} workers (streaming CLI pipeline, process "
                     f"start and index load included): {seconds:.0f} s = **{rate:.0f} names/s**; "
                     f"{rate_cpu:.0f} names per CPU-second (parent {cpu['parent_cpu_s']:.0f} s, workers "
                     f"{cpu['workers_cpu_s']:.0f} s of CPU)")  # fmt: skip
        if (cache := cpu["cache"]) is not None:
            saved = cache["hits"] + cache["joined"]
            lines.append(f"- repeat cache ({args.repeat_cache_mb:g} MB): {saved:,} of {cache['lookups']:,} rows not "
                         f"screened again ({saved / max(1, cache['lookups']):.1%}: {cache['hits']:,} written from a "
                         f"kept line, {cache['joined']:,} from a repeat in the same unit of work); "
                         f"{cache['lines']:,} lines kept at the end, {cache['mb']:.1f} MB of memory, "
                         f"{cache.get('disk_mb', 0):.0f} MB on disk; the first pass over "
                         f"the file (marking repeated queries) took {cache['survey_s']:.1f} s")  # fmt: skip
        else:
            lines.append("- repeat cache: none in this code")
        if screener is not None and naive:
            # again after the batch: on a shared machine the load moves, so the ratio uses the mean
            naive.append(naive_baseline(screener, sample, args.workers))
            loads.append(os.getloadavg()[0])
            mean, mean_cpu = (statistics.mean(n[0] for n in naive), statistics.mean(n[1] for n in naive))
            lines.append(f"- naive scan before / after the batch: {naive[0][0]:.0f} / {naive[1][0]:.0f} names/s "
                         f"(mean {mean:.0f}) → **ratio {rate / mean:.2f}**; per CPU-second "
                         f"{naive[0][1]:.0f} / {naive[1][1]:.0f} → **CPU ratio {rate_cpu / mean_cpu:.2f}**")  # fmt: skip
        lines.append(f"- CLI batch memory (process tree): {sampler.summary()}; load average per tenth: "
                     f"{sampler.load_text()}")  # fmt: skip
    del screener

    if "spark" in legs:
        spark_names = min(args.spark_names, names)
        ran, seconds, sampler = _run_child(["--child-spark", str(spark_queries), str(spark_output), args.master])
        loads.append(os.getloadavg()[0])
        inner = json.loads(ran.stdout.strip().splitlines()[-1])
        versus = f" (CLI in this run: {rate:.0f})" if rate else ""
        lines.append(f"- Spark {args.master} on the first {spark_names:,} names: {seconds:.0f} s with JVM start "
                     f"({inner['seconds']:.0f} s screening) = **{spark_names / seconds:.0f} names/s**{versus}; "
                     f"memory (driver + JVM + Python workers): {sampler.summary()}; load average per tenth: "
                     f"{sampler.load_text()}")  # fmt: skip

    if cli_output.is_file() and spark_output.is_file() and legs & {"cli", "spark"}:
        same, compared = compare(cli_output, spark_output, args.compare_rows)
        lines.append(f"- Spark vs CLI, same names file: **{same:,} of {compared:,}** JSON lines byte-identical")
    lines.append(f"- load average (1 min) during the run: {' → '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-batch":
        child_batch(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), "model" in sys.argv[5:-1],
                    float(sys.argv[-1]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-start":
        child_start(Path(sys.argv[2]), "model" in sys.argv[3:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-spark":
        child_spark(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    else:
        main()
