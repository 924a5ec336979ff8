"""Licence determinations: the activity model, the US EAR and Japan FEFTA engines, and the combiner.

>>> from techguard.rules import activity_from_mapping, assess
>>> assess(activity_from_mapping({"activity": "export", "item": {"eccn": "EAR99"}, "to_country": "DE"})).to_json()
... # doctest: +SKIP
"""

from __future__ import annotations

from techguard.rules.activity import (
    Activity,
    ActivityError,
    activity_from_mapping,
    activity_json_schema,
    activity_to_mapping,
)
from techguard.rules.engine import Screener, assess, screen_parties
from techguard.rules.result import (
    Assessment,
    JpOutcome,
    JurisdictionResult,
    MissingFact,
    Overall,
    Step,
    UsOutcome,
)
from techguard.rules.text import render_text
from techguard.rules.us import assess_us

__all__ = [
    "Activity",
    "ActivityError",
    "Assessment",
    "JpOutcome",
    "JurisdictionResult",
    "MissingFact",
    "Overall",
    "Screener",
    "Step",
    "UsOutcome",
    "activity_from_mapping",
    "activity_json_schema",
    "activity_to_mapping",
    "assess",
    "assess_us",
    "render_text",
    "screen_parties",
]
