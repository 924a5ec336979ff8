"""The screening engine: match names against restricted-party lists, with explanations as data.

See ``docs/screening.md``. Never imports Django.
"""

from __future__ import annotations

from techguard import native
from techguard.matching.batch import QueryFileError, ResultWriter, read_queries
from techguard.matching.screener import ALGORITHM_VERSION, DEFAULT_THRESHOLD, Bridge, Match, Query, Screener

# compiled frozen dataclasses pickle through their constructor (techguard.native)
native.register_pickling("techguard.matching")

__all__ = [
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLD",
    "Bridge",
    "Match",
    "Query",
    "QueryFileError",
    "ResultWriter",
    "Screener",
    "read_queries",
]
