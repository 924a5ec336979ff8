"""techguard on Apache Spark: screen a DataFrame of names against restricted-party lists.

    from techguard.spark import screen_dataframe
    hits = screen_dataframe(df, name_col="name", country_col="country", lists=["/dbfs/lists/sdn"])

The index is built (or loaded from the on-disk index cache) once on the driver and shipped to the
executors as its cache file: broadcast by default, or read from shared storage (``index_path``). Each
Python worker loads it once (checksum verified) and screens Arrow record batches (``mapInArrow``), so rows
never pass through the JVM one by one and memory stays bounded by the batch size. Every row gets exactly
the matches ``techguard screen`` gives for the same row. ``resolve_dataframe`` resolves affiliation strings
to ROR institutions as ``techguard research resolve`` does. Install with ``pip install 'techguard[spark]'``.
"""

from __future__ import annotations

from techguard.spark.research import AFFILIATION_COLUMN, resolve_dataframe
from techguard.spark.screen import (
    MATCHES_COLUMN,
    RESULT_COLUMN,
    ShippedIndex,
    matches_type,
    screen_dataframe,
    ship_index,
    spark_session,
)

__all__ = [
    "AFFILIATION_COLUMN",
    "MATCHES_COLUMN",
    "RESULT_COLUMN",
    "ShippedIndex",
    "matches_type",
    "resolve_dataframe",
    "screen_dataframe",
    "ship_index",
    "spark_session",
]
