"""Affiliation resolution over Spark DataFrames: each row's affiliation string resolved to a ROR
institution with its designations, exactly as ``techguard research resolve`` resolves it."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

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
    assessments as JSON, explanation as JSON). The resolver is ``resolver``, or the one ``techguard research
    resolve`` opens from ``data_dir`` (default: techguard's data directory); it is built once on the driver
    and broadcast (pickled by techguard itself, unpickled once per Python worker)."""
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
                    }
                )
            yield pa.RecordBatch.from_arrays(
                [*batch.columns, pa.array(rows, type=struct)], names=[*batch.schema.names, AFFILIATION_COLUMN]
            )

    return resolve


__all__ = ["AFFILIATION_COLUMN", "resolve_dataframe"]
