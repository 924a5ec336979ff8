"""Screening Spark DataFrames: the index shipped once to executors, Arrow batches screened by ``mapInArrow``."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techguard.matching import index_cache
from techguard.matching.batch import cell_text, query_from_row, result_record
from techguard.matching.hits import json_text
from techguard.spark.daemon import INDEX_ENV

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from techguard.matching.screener import Screener

MATCHES_COLUMN = "matches"
RESULT_COLUMN = "result"  # optional: the JSON line `techguard screen` writes for the row, byte for byte
ROW_COLUMN = "_techguard_row"  # the CLI engine's input order

_LISTING = (
    ("entity_id", "string"),
    ("list", "string"),
    ("listed_name", "string"),
    ("matched_name", "string"),
    ("score", "double"),
    ("alert", "boolean"),
)


def matches_type() -> Any:
    """``array<struct<rank, entity_id, list, listed_name, matched_name, score, alert, related, explanation>>``.

    ``related`` lists the same party on other lists; ``explanation`` is the match's explanation as JSON
    (exactly the CLI's): its fields follow the algorithm version, so a JSON string keeps the DataFrame's
    schema stable across versions (``from_json`` extracts fields)."""
    from pyspark.sql import types as T

    simple = {"string": T.StringType(), "double": T.DoubleType(), "boolean": T.BooleanType()}
    listing = [T.StructField(name, simple[kind]) for name, kind in _LISTING]
    return T.ArrayType(
        T.StructType(
            [
                T.StructField("rank", T.IntegerType()),
                *listing,
                T.StructField("related", T.ArrayType(T.StructType(listing))),
                T.StructField("explanation", T.StringType()),
            ]
        )
    )


def _arrow_matches_type() -> pa.DataType:
    import pyarrow as pa

    simple = {"string": pa.string(), "double": pa.float64(), "boolean": pa.bool_()}
    listing = [pa.field(name, simple[kind]) for name, kind in _LISTING]
    return pa.list_(
        pa.struct(
            [
                pa.field("rank", pa.int32()),
                *listing,
                pa.field("related", pa.list_(pa.struct(listing))),
                pa.field("explanation", pa.string()),
            ]
        )
    )


def _match_struct(rank: int, match: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "rank": rank,
        "entity_id": match["entity_id"],
        "list": match["list"],
        "listed_name": match["name"],
        "matched_name": match["matched_name"],
        "score": match["score"],
        "alert": match["alert"],
        "related": [
            {"listed_name": r["name"], **{k: r[k] for k in ("entity_id", "list", "matched_name", "score", "alert")}}
            for r in match.get("related", ())
        ],
        "explanation": json.dumps(match["explanation"], ensure_ascii=False),
    }


# ---------------------------------------------------------------- the index, shipped
_LOADED: dict[str, Screener] = {}  # per Python worker process: the index it loaded, by key digest


@dataclass(frozen=True)
class ShippedIndex:
    """The index cache file on its way to executors: broadcast bytes, or a path every executor can read."""

    digest: str
    broadcast: Any = None  # pyspark Broadcast[bytes]
    path: str | None = None

    def load(self) -> Screener:
        """The screener in this process (loaded once per worker; the payload checksum is verified)."""
        found = _LOADED.get(self.digest)
        if found is None:
            data = self.broadcast.value if self.broadcast is not None else Path(str(self.path)).read_bytes()
            found = index_cache.loads(data)
            _LOADED.clear()  # one index per worker: an earlier job's index is dropped
            _LOADED[self.digest] = found
        return found


def ship_index(
    spark: SparkSession,
    *,
    lists: Sequence[Path | str] | None = None,
    list_format: str | None = None,
    bridges: Sequence[Path | str] | None = None,
    index_path: str | None = None,
) -> ShippedIndex:
    """Build (or load from the driver's index cache) the index over ``lists`` (default: the active
    snapshots) and ship it: broadcast, or written to ``index_path`` on shared storage (e.g. a ``/dbfs/``
    or NFS path that every executor mounts) when given."""
    from techguard.matching.loading import screener_for, screener_key

    list_paths = [Path(p) for p in lists] if lists else None
    bridge_paths = [Path(p) for p in bridges] if bridges else None
    key = screener_key(list_paths, list_format, bridge_paths)
    cached = index_cache.cache_path(key)
    data = cached.read_bytes() if cached.is_file() else b""
    try:
        index_cache.verify(data, key)
    except index_cache.IndexCacheError:
        screener = screener_for(list_paths, list_format, bridge_paths)  # rebuilt (with a warning if damaged)
        data = cached.read_bytes() if cached.is_file() else index_cache.dumps(screener, key)
    if index_path is not None:
        target = Path(index_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            partial = target.with_name(f".{target.name}.partial")
            partial.write_bytes(data)
            os.replace(partial, target)
        return ShippedIndex(key.digest(), path=str(target))
    return ShippedIndex(key.digest(), broadcast=spark.sparkContext.broadcast(data))


# ---------------------------------------------------------------- screening
def screen_dataframe(
    df: DataFrame,
    name_col: str = "name",
    *,
    id_col: str | None = None,
    kind_col: str | None = None,
    country_col: str | None = None,
    dob_col: str | None = None,
    identifier_col: str | None = None,
    lists: Sequence[Path | str] | None = None,
    list_format: str | None = None,
    bridges: Sequence[Path | str] | None = None,
    index: ShippedIndex | None = None,
    top: int = 5,
    min_score: float = 0.3,
    result_column: bool = False,
) -> DataFrame:
    """``df`` with a ``matches`` column (:func:`matches_type`): each row screened exactly as
    ``techguard screen`` screens the same row (name, kind, country, date of birth, identifier).

    The index comes from ``index`` (see :func:`ship_index`, to reuse one across calls) or is shipped here
    from ``lists`` (default: the active snapshots). ``result_column`` adds ``result``: the row's result as
    the JSON line the CLI writes (used by ``techguard screen --engine spark``)."""
    from pyspark.sql import types as T

    columns = {
        "name": name_col,
        "id": id_col,
        "kind": kind_col,
        "country": country_col,
        "dob": dob_col,
        "identifier": identifier_col,
    }
    wanted = {field: column for field, column in columns.items() if column is not None}
    missing = [column for column in wanted.values() if column not in df.columns]
    if missing:
        raise ValueError(f"no column {', '.join(map(repr, missing))} in the DataFrame (columns: {df.columns})")
    for existing in (MATCHES_COLUMN, RESULT_COLUMN if result_column else None):
        if existing is not None and existing in df.columns:
            raise ValueError(f"the DataFrame already has a column {existing!r}")
    shipped = index or ship_index(df.sparkSession, lists=lists, list_format=list_format, bridges=bridges)
    added = [T.StructField(MATCHES_COLUMN, matches_type())]
    if result_column:
        added.append(T.StructField(RESULT_COLUMN, T.StringType()))
    schema = T.StructType([*df.schema.fields, *added])  # (StructType.add would change df.schema itself)
    screen = _batch_screener(shipped, wanted, id_col is not None, top, min_score, result_column)
    return df.mapInArrow(screen, schema)


def _batch_screener(
    shipped: ShippedIndex,
    columns: Mapping[str, str],
    has_id: bool,
    top: int,
    min_score: float,
    result_column: bool,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function executors run over a partition's Arrow batches (closed over plain values only)."""

    def screen(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        screener = shipped.load()
        matches_type = _arrow_matches_type()
        for batch in batches:
            values = {field: batch.column(column).to_pylist() for field, column in columns.items()}
            all_matches: list[list[dict[str, Any]]] = []
            results: list[str] = []
            for row_number in range(batch.num_rows):
                row = {field: cell_text(column[row_number]) for field, column in values.items()}
                try:
                    query = query_from_row(row, 0)
                except ValueError as error:
                    raise ValueError(f"row {row!r}: field 'kind': {error}") from None
                if not has_id or not row.get("id"):
                    query = replace(query, id=None)  # no row numbers across partitions: no id is None
                record = result_record(query, screener.screen(query, top=top, min_score=min_score), top)
                all_matches.append([_match_struct(rank, m) for rank, m in enumerate(record["matches"], 1)])
                if result_column:
                    results.append(json_text(record))
            arrays = [*batch.columns, pa.array(all_matches, type=matches_type)]
            names = [*batch.schema.names, MATCHES_COLUMN]
            if result_column:
                arrays.append(pa.array(results, type=pa.string()))
                names.append(RESULT_COLUMN)
            yield pa.RecordBatch.from_arrays(arrays, names=names)

    return screen


# ---------------------------------------------------------------- a session for one machine
# Memory of a local-mode run (bench/screening_batch.py, docs/benchmarks.md "Screening at scale"): the JVM
# heap grows to its cap (garbage of the Arrow batches and result rows is collected only when the heap is
# full), so the cap is the JVM's footprint; 512 MB is enough for batches of 2,000 rows and partitions of
# PARTITION_ROWS (Spark refuses less than ~450 MB).
LOCAL_DRIVER_MEMORY = "512m"
# Rows per Spark task in ``screen_file``. Each task runs in a fresh Python worker (worker reuse off below),
# forked from the daemon that holds the index (local mode) or loading it from the shipped cache file (~0.5 s
# of CPU), and exits at the end of the task, so the per-word caches it fills (and the index pages it
# dirties) are freed every PARTITION_ROWS rows instead of growing over the whole run; with a cluster master,
# ``toLocalIterator`` holds at most two partitions' results on the driver.
PARTITION_ROWS = 10_000
ROW_GROUP_ROWS = 2_000  # Parquet row groups: a split is a range of row groups, so partitions can be small


def spark_session(master: str = "local[2]", app_name: str = "techguard") -> SparkSession:
    """A Spark session for ``techguard screen --engine spark`` (local mode by default). Python workers run
    this interpreter (so they import the same techguard); the web UI is off; each task gets a fresh Python
    worker (``spark.python.worker.reuse=false``) so a worker's caches do not grow over a long run."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder
    if master.startswith("local"):
        # local mode: executors live in the driver's JVM; without a cap its heap may grow to a quarter of RAM
        memory = os.environ.get("TECHGUARD_SPARK_DRIVER_MEMORY", LOCAL_DRIVER_MEMORY)
        builder = builder.config("spark.driver.memory", memory)
    return (
        builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # techguard shows its own progress
        .config("spark.log.level", "ERROR")
        # a short-lived local JVM: the quick compiler and the serial collector start it seconds sooner
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .config("spark.python.worker.reuse", "false")
        # the daemon that forks the workers holds the index (shared copy-on-write) during screen_file
        .config("spark.python.daemon.module", "techguard.spark.daemon")
        .getOrCreate()
    )


def queries_to_parquet(path: Path, target: Path, *, rows_per_group: int = ROW_GROUP_ROWS) -> int:
    """Write the queries of ``path`` (read by the CLI's own reader, streamed) to Parquet with their input
    order in :data:`ROW_COLUMN`; the number of queries."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from techguard.matching.batch import read_queries

    fields = ("id", "name", "kind", "country", "dob", "identifier")
    schema = pa.schema([(ROW_COLUMN, pa.int64()), *((f, pa.string()) for f in fields)])
    count = 0
    with pq.ParquetWriter(target, schema) as writer:
        chunk: list[Any] = []
        for query in read_queries(path):
            chunk.append((count, *(getattr(query, f) for f in fields)))
            count += 1
            if len(chunk) == rows_per_group:
                writer.write_table(pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in chunk], schema))
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in chunk], schema))
    return count


def screen_file(
    spark: SparkSession,
    path: Path,
    write: Callable[[str], None],
    *,
    lists: Sequence[Path] | None,
    list_format: str | None,
    bridges: Sequence[Path] | None,
    top: int,
    min_score: float,
    progress: Callable[[int], None] | None = None,
    parallelism: int | None = None,
    index: ShippedIndex | None = None,
) -> int:
    """Screen a query file through Spark and pass each row's result (the CLI's JSON line) to ``write`` in
    input order; the number of rows. In local mode each task writes its results to a Parquet file in a
    temporary folder, read back in order at the end; with a cluster master rows reach the driver a partition
    at a time, and a partition that arrives before its turn waits in a temporary file. Either way driver
    memory stays bounded."""
    with tempfile.TemporaryDirectory(prefix="techguard-spark-") as folder:
        parquet = Path(folder) / "queries.parquet"
        total = queries_to_parquet(path, parquet)
        slots = parallelism or spark.sparkContext.defaultParallelism
        # several splits per core, none over PARTITION_ROWS rows (a Parquet split is a byte range of row
        # groups, so each is contiguous)
        rows_per_split = max(ROW_GROUP_ROWS, min(PARTITION_ROWS, -(-total // max(1, slots * 4))))
        split = max(1 << 12, parquet.stat().st_size * rows_per_split // max(1, total))
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(split))
        shipped = index or ship_index(spark, lists=lists, list_format=list_format, bridges=bridges)
        local = (spark.sparkContext.master or "").startswith("local")
        if local:
            shipped = _preload_in_daemon(spark, shipped, Path(folder))
        try:
            written = _screen_parquet(spark, parquet, shipped, write, Path(folder), top, min_score, progress,
                                      local=local, total=total, rows_per_task=rows_per_split)  # fmt: skip
        finally:
            if local:
                spark.sparkContext.environment.pop(INDEX_ENV, None)
        if written != total:
            raise RuntimeError(f"Spark returned {written} results for {total} queries")
        return written


def _preload_in_daemon(spark: SparkSession, shipped: ShippedIndex, folder: Path) -> ShippedIndex:
    """Local mode: the index as a file the Python daemon loads before forking workers (see
    :mod:`techguard.spark.daemon`), so the workers share one copy. The variable travels with the job's
    functions (a daemon is started for each distinct environment)."""
    path = Path(shipped.path) if shipped.path is not None else folder / "index.tgidx"
    if shipped.path is None:
        path.write_bytes(shipped.broadcast.value)
    spark.sparkContext.environment[INDEX_ENV] = f"{shipped.digest}:{path}"
    return ShippedIndex(shipped.digest, path=str(path))


def _screen_parquet(
    spark: SparkSession,
    parquet: Path,
    shipped: ShippedIndex,
    write: Callable[[str], None],
    folder: Path,
    top: int,
    min_score: float,
    progress: Callable[[int], None] | None,
    *,
    local: bool,
    total: int,
    rows_per_task: int,
) -> int:
    """The queries' results written in input order (see :func:`screen_file`); the number written."""
    df = spark.read.parquet(str(parquet))
    screened = screen_dataframe(
        df, "name", id_col="id", kind_col="kind", country_col="country", dob_col="dob",
        identifier_col="identifier", index=shipped, top=top, min_score=min_score, result_column=True,
    ).select(ROW_COLUMN, RESULT_COLUMN)  # fmt: skip
    if not local:
        rows = screened.toLocalIterator(prefetchPartitions=True)
        return _in_order(((r[0], r[1]) for r in rows), write, folder, progress)
    # Local mode: each task writes its results to its own Parquet file as they come (no result passes
    # through the JVM's block manager or is held for the driver); the files are then read back in order.
    results = folder / "results"
    stop = threading.Event()
    reported = [0]
    poller = None
    if progress is not None:
        poller = threading.Thread(target=_report_tasks, args=(spark, stop, rows_per_task, total, progress, reported))
        poller.start()
    try:
        screened.write.parquet(str(results))
    finally:
        stop.set()
        if poller is not None:
            poller.join()
    if progress is not None and total > reported[0]:
        progress(total - reported[0])
    return _concatenate(results, write)


def _report_tasks(
    spark: SparkSession,
    stop: threading.Event,
    rows_per_task: int,
    total: int,
    progress: Callable[[int], None],
    reported: list[int],
) -> None:
    """Progress while Spark writes: finished tasks × rows per task (an estimate; the rest at the end)."""
    tracker = spark.sparkContext.statusTracker()
    while not stop.wait(1.0):
        done = 0
        for stage in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage)
            if info is not None:
                done += info.numCompletedTasks
        rows = min(total, done * rows_per_task)
        if rows > reported[0]:
            progress(rows - reported[0])
            reported[0] = rows


def _concatenate(results: Path, write: Callable[[str], None]) -> int:
    """The result files' rows in input order: each file holds one contiguous run of row numbers."""
    import pyarrow.parquet as pq

    runs = []
    for part in results.glob("*.parquet"):
        handle = pq.ParquetFile(part)
        if handle.metadata.num_rows:
            runs.append((handle.read_row_group(0, columns=[ROW_COLUMN]).column(0)[0].as_py(), part))
    expected = 0
    for first, part in sorted(runs):
        if first != expected:
            raise RuntimeError(f"rows missing from Spark's output before row {first}")
        for batch in pq.ParquetFile(part).iter_batches(batch_size=1000, columns=[ROW_COLUMN, RESULT_COLUMN]):
            numbers, lines = batch.column(0).to_pylist(), batch.column(1).to_pylist()
            for number, line in zip(numbers, lines, strict=True):
                if number != expected:
                    raise RuntimeError(f"Spark's output has row {number} where row {expected} belongs")
                write(line)
                expected += 1
    return expected


def _in_order(
    rows: Iterator[tuple[int, str]],
    write: Callable[[str], None],
    folder: Path,
    progress: Callable[[int], None] | None,
) -> int:
    """Write rows numbered 0, 1, 2 … in that order although they arrive as contiguous runs in any order:
    a run that comes early is spilled to a file until the rows before it are written."""
    expected = 0
    runs: dict[int, Path] = {}  # first row number → spilled run (complete once another run starts)
    spill: Any = None
    spill_next = -1

    def emit(line: str) -> None:
        nonlocal expected
        write(line)
        expected += 1
        if progress is not None and expected % 1000 == 0:
            progress(1000)

    def drain() -> None:
        while expected in runs:
            run = runs.pop(expected)
            with run.open(encoding="utf-8") as handle:
                for line in handle:
                    emit(line.rstrip("\n"))
            run.unlink()

    for number, result in rows:
        if number == expected:
            emit(result)
            drain()
            continue
        if spill is None or number != spill_next:
            if spill is not None:
                spill.close()
            runs[number] = folder / f"run-{number}.jsonl"
            spill = runs[number].open("w", encoding="utf-8")
        spill.write(result + "\n")  # a JSON line never holds a raw newline
        spill.flush()
        spill_next = number + 1
    if spill is not None:
        spill.close()
    drain()
    if runs:
        raise RuntimeError(f"rows missing from Spark's output before row {min(runs)}")
    if progress is not None:
        progress(expected % 1000)
    return expected


__all__ = [
    "MATCHES_COLUMN",
    "RESULT_COLUMN",
    "ShippedIndex",
    "matches_type",
    "queries_to_parquet",
    "screen_dataframe",
    "screen_file",
    "ship_index",
    "spark_session",
]
