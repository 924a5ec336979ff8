"""Affiliation resolution over Spark DataFrames: each row's affiliation string resolved to a ROR
institution with its designations, exactly as ``techguard research resolve`` resolves it; and
``reconcile_files``: ``techguard research reconcile --engine spark`` with the works files scanned by Spark
tasks (one per JSON-lines file, one per Parquet row group), giving exactly the streaming path's flags."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from techguard.research.disclosures import Disclosure
    from techguard.research.reconcile import DeclaredAffiliation, Flag
    from techguard.research.resolver import Resolver

AFFILIATION_COLUMN = "affiliation_match"
_LOADED: dict[str, Resolver] = {}  # per Python worker: the resolver it unpickled, by digest


def _struct_type() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("ror_id", T.StringType()),
            T.StructField("name", T.StringType()),
            T.StructField("country", T.StringType()),
            T.StructField("score", T.DoubleType()),
            T.StructField("designations", T.StringType()),  # JSON, as the CLI writes them
            T.StructField("assessments", T.StringType()),
            T.StructField("explanation", T.StringType()),
            # resolved / ambiguous / not_resolved, and the institutions an ambiguous answer leaves (JSON)
            T.StructField("status", T.StringType()),
            T.StructField("candidates", T.StringType()),
        ]
    )


def _arrow_type() -> pa.DataType:
    import pyarrow as pa

    return pa.struct(
        [
            pa.field("ror_id", pa.string()),
            pa.field("name", pa.string()),
            pa.field("country", pa.string()),
            pa.field("score", pa.float64()),
            pa.field("designations", pa.string()),
            pa.field("assessments", pa.string()),
            pa.field("explanation", pa.string()),
            pa.field("status", pa.string()),
            pa.field("candidates", pa.string()),
        ]
    )


def resolve_dataframe(
    df: DataFrame,
    affiliation_col: str,
    *,
    resolver: Resolver | None = None,
    data_dir: Path | str | None = None,
    as_of: str | None = None,
    min_score: float | None = None,
) -> DataFrame:
    """``df`` with an ``affiliation_match`` struct column (ror_id, name, country, score, designations and
    assessments as JSON, explanation as JSON, status, candidates as JSON). The resolver is ``resolver``, or
    the one ``techguard research resolve`` opens from ``data_dir`` (default: techguard's data directory); it
    is built once on the driver and broadcast (pickled by techguard itself, unpickled once per Python
    worker)."""
    from pyspark.sql import types as T

    if affiliation_col not in df.columns:
        raise ValueError(f"no column {affiliation_col!r} in the DataFrame (columns: {df.columns})")
    if AFFILIATION_COLUMN in df.columns:
        raise ValueError(f"the DataFrame already has a column {AFFILIATION_COLUMN!r}")
    if resolver is None:
        from techguard import config
        from techguard.research.store import open_resolver

        resolver = open_resolver(Path(data_dir) if data_dir is not None else config.data_dir())
    if min_score is not None:
        resolver.min_score = min_score
    data = pickle.dumps(resolver, protocol=5)
    shipped = (hashlib.sha256(data).hexdigest(), df.sparkSession.sparkContext.broadcast(data))
    schema = T.StructType([*df.schema.fields, T.StructField(AFFILIATION_COLUMN, _struct_type())])
    return df.mapInArrow(_batch_resolver(shipped, affiliation_col, as_of), schema)


def _batch_resolver(
    shipped: tuple[str, Any], column: str, as_of: str | None
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def resolve(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        digest, broadcast = shipped
        resolver = _LOADED.get(digest)
        if resolver is None:
            resolver = pickle.loads(broadcast.value)  # the driver's own bytes, within this job
            _LOADED.clear()
            _LOADED[digest] = resolver
        struct = _arrow_type()
        for batch in batches:
            rows = []
            for text in batch.column(column).to_pylist():
                data = resolver.resolve(text or "", as_of=as_of).as_dict()
                rows.append(
                    {
                        "ror_id": data["ror_id"],
                        "name": data["name"],
                        "country": data["country"],
                        "score": data["score"],
                        "designations": json.dumps(data["designations"], ensure_ascii=False),
                        "assessments": json.dumps(data["assessments"], ensure_ascii=False),
                        "explanation": json.dumps(data["explanation"], ensure_ascii=False),
                        "status": data["status"],
                        "candidates": json.dumps(data["candidates"], ensure_ascii=False),
                    }
                )
            yield pa.RecordBatch.from_arrays(
                [*batch.columns, pa.array(rows, type=struct)], names=[*batch.schema.names, AFFILIATION_COLUMN]
            )

    return resolve


# One unit of work: (file number, path, Parquet row group or None for a whole JSON / JSON-lines file).
_Task = tuple[int, str, int | None]


def _tasks(paths: list[Path]) -> list[_Task]:
    import pyarrow.parquet as pq

    from techguard.research.publications import PublicationFormatError

    tasks: list[_Task] = []
    for number, path in enumerate(paths):
        if path.name.lower().endswith(".parquet"):
            try:
                groups = pq.ParquetFile(path).num_row_groups
            except (OSError, ValueError) as exc:
                raise PublicationFormatError(str(path), "$", f"unreadable Parquet file ({exc})") from None
            tasks += [(number, str(path), group) for group in range(groups)]
        else:
            tasks.append((number, str(path), None))  # JSON lines (gzipped too) cannot be split: one task a file
    return tasks


def _observations(task: _Task, orcid: str) -> list[Any]:
    """The task's observations, read as ``iter_observations`` reads them (same records, same order, same
    errors): a whole file, or one Parquet row group with rows numbered from the start of the file."""
    import pyarrow.parquet as pq

    from techguard.research.publications import PublicationFormatError, iter_observations, record_affiliations

    _, path, group = task
    if group is None:
        return list(iter_observations(Path(path), orcid))
    try:
        parquet = pq.ParquetFile(path)
        offset = sum(parquet.metadata.row_group(g).num_rows for g in range(group))
        records = parquet.read_row_group(group).to_pylist()
        return [o for k, record in enumerate(records)
                for o in record_affiliations(record, orcid, path, f"row {offset + k + 1}")]
    except (OSError, ValueError) as exc:  # as the streaming reader: a bad record reads as an unreadable file
        raise PublicationFormatError(path, "$", f"unreadable Parquet file ({exc})") from None


def reconcile_files(
    spark: SparkSession,
    declared: Disclosure | list[DeclaredAffiliation],
    paths: list[Path],
    orcid: str,
    *,
    resolver: Resolver,
    as_of: str | None = None,
) -> tuple[list[Flag], int]:
    """(flags, number of observed affiliations) for the person's works in ``paths``: what ``reconcile`` gives
    for ``iter_observations`` over the same files, in the same order, with the files read by Spark tasks.
    The resolver is pickled once on the driver and broadcast; each task reconciles its own observations
    (a flag depends on its observation and the declarations only) and the driver puts the tasks back in
    file order. A bad file raises ``PublicationFormatError`` as the streaming path does."""
    from techguard.research.publications import PublicationFormatError

    tasks = _tasks(paths)
    if not tasks:
        return [], 0
    data = pickle.dumps(resolver, protocol=5)
    shipped = (hashlib.sha256(data).hexdigest(), spark.sparkContext.broadcast(data))
    cutoff = as_of

    def run(task: _Task) -> tuple[_Task, list[Flag], int, PublicationFormatError | None]:
        from techguard.research.reconcile import reconcile

        digest, broadcast = shipped
        worker = _LOADED.get(digest)
        if worker is None:
            worker = pickle.loads(broadcast.value)  # the driver's own bytes, within this job
            _LOADED.clear()
            _LOADED[digest] = worker
        try:
            observed = _observations(task, orcid)
        except PublicationFormatError as exc:
            return task, [], 0, exc
        return task, reconcile(declared, observed, cutoff, resolver=worker), len(observed), None

    results = spark.sparkContext.parallelize(tasks, len(tasks)).map(run).collect()
    results.sort(key=lambda r: (r[0][0], -1 if r[0][2] is None else r[0][2]))
    for _, _, _, error in results:
        if error is not None:
            raise error
    return [flag for _, flags, _, _ in results for flag in flags], sum(r[2] for r in results)


__all__ = ["AFFILIATION_COLUMN", "reconcile_files", "resolve_dataframe"]
