"""Spark's Python daemon with the screening index loaded before it forks workers (local mode).

Spark starts one daemon process per executor that forks a Python worker for each task. Run as
``spark.python.daemon.module`` (``spark_session`` sets it for local masters), this module first loads the
index named by :data:`INDEX_ENV` (set by ``screen_file`` for its job only) and freezes it out of the
garbage collector, so every worker forked afterwards shares the index's pages copy-on-write — as the local
engine's forked workers do — instead of each loading its own copy. Without the variable it is Spark's
daemon unchanged.
"""

from __future__ import annotations

import gc
import os

INDEX_ENV = "TECHGUARD_SPARK_INDEX"  # "<key digest>:<path of the index cache file>"


def preload() -> None:
    """Load the index of :data:`INDEX_ENV` into this process (before any worker is forked)."""
    value = os.environ.get(INDEX_ENV)
    if not value:
        return
    from techguard.spark.screen import ShippedIndex

    digest, _, path = value.partition(":")
    ShippedIndex(digest, path=path).load()
    gc.collect()
    gc.freeze()  # the collector would otherwise write to every object in each worker, copying the pages


if __name__ == "__main__":
    preload()
    from pyspark import daemon

    daemon.manager()
