"""The explanation of one hit, as plain data (JSON-serialisable): what met what, and why it scored so."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from techguard.matching.legal_forms import forms_agree
from techguard.matching.rounding import rounded

if TYPE_CHECKING:
    from techguard.matching.screener import Screener, _Hit


def explanation(
    screener: Screener, hit: _Hit, final: float, alert: bool, features: dict[str, Any]
) -> dict[str, Any]:
    from techguard.matching.resources import algorithm_version

    comparison = hit.comparison
    explained: dict[str, Any] = {
        "algorithm": algorithm_version(),  # with the language resources' versions
        "threshold": screener.threshold,
        "score": rounded(final, 4),
        "alert": alert,
        "name_score": rounded(hit.name_score, 4),
        "query_name": hit.query_key.name,
        "matched_name": hit.listed_key.name,
        "matched_name_type": str(hit.name_type),
        "bridged_via": hit.via_bridge,
        "query_key": {"kind": str(hit.query_key.kind), "words": list(hit.query_key.tokens)},
        "listed_key": {"kind": str(hit.listed_key.kind), "words": list(hit.listed_key.tokens)},
        "method": comparison.method,
        "words": [pair.as_dict() for pair in comparison.pairs],
        "unmatched_query_words": comparison.unmatched_query,
        "unmatched_listed_words": comparison.unmatched_listed,
        "legal_form": {
            "query": sorted(hit.query_key.legal),
            "listed": sorted(hit.listed_key.legal),
            "agree": forms_agree(hit.query_key.legal, hit.listed_key.legal),
        },
        "features": features,
        "pair_model": screener.model_explanation(hit),
        "alignment_score": rounded(hit.raw_score, 4),
    }
    if comparison.capped:
        explained["capped"] = comparison.capped  # e.g. "other number: 14 / 28"
    if hit.heard_as is not None:
        explained["heard_as"] = hit.heard_as  # the Latin words a katakana name was judged as
    return explained


__all__ = ["explanation"]
