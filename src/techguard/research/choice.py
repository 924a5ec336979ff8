"""The choice model: which of several institutions one affiliation string names is the affiliation of record.

"Department of X, Hospital Y, University Z, City" names three institutions; which one a publisher records is
a convention (the employer, the hospital, the institute), and the hand-written rule of ``Resolver._choose``
(the last ROR ancestor of another one named, else the one university) is right about two times in three.
The choice model weighs what a reader weighs — where each candidate is written (first, last segment), what
kind of organisation it is (ROR types), how it relates to the others named (ROR parent, child, related),
how it was matched (whole segment or part, display name, alias, acronym) and what the rule itself picked —
in a logistic regression fitted on the development part of the Crossref affiliation set
(``bench/fit_research_choice.py``). Its probability decides (a) which candidate is the answer and (b)
whether to answer at all: below the fitted threshold the answer is "ambiguous — check by hand", with every
institution named listed. The weights ship as ``data/choice_model.json``; every answer so decided carries
the model's largest terms (feature value × weight), so the choice is explained term by term.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

MODEL_FILE = "data/choice_model.json"

# ROR organisation types (v2); "other" and anything unknown fall to no type feature.
_TYPES = ("education", "healthcare", "facility", "government", "company", "nonprofit", "funder", "archive")

FEATURES: tuple[str, ...] = (
    "rule_pick",  # the hand-written rule (Resolver._choose) answers this candidate
    "rule_ambiguous",  # the rule leaves the string "ambiguous" (the same for every candidate of the string)
    "first",  # written first among the candidates
    "last",  # written last among the candidates
    "position",  # order of appearance, 0 (first) .. 1 (last)
    "segments_after",  # share of the string's segments after the candidate's last one
    *(f"type_{t}" for t in _TYPES),
    "university_word",  # "university" / "universität" / 大学 ... in its registry name
    "only_education",  # the one education-type candidate of the string
    "ancestor_of_named",  # a ROR ancestor of another candidate named
    "descendant_of_named",  # a ROR descendant of another candidate named
    "related_to_named",  # a ROR "related" record of another candidate named
    "has_parent",  # has a ROR parent at all (a unit, a campus, a subsidiary)
    "units",  # log(1 + its ROR child records) / 3
    "whole_segment",  # one of its names is a whole segment
    "coverage",  # the largest share of a segment's words its name covers
    "alias",  # matched by an alias (best kind of its spans)
    "acronym",  # matched by an acronym only
    "variant",  # another spelling or language, a shortened name, a typo or a Japanese rendering
    "joined_first",  # the first of two names joined in one segment ("A and B")
    "joined_second",  # the second of such a pair
    "country_written",  # its country is written in the string
    "city_written",  # its city is written in the string (outside its own name)
    "mentions",  # written more than once
    "starts_string",  # the string begins with its name
    "unit_before",  # a unit ("Department of ...") is written right before it, in its segment or the one before
    "candidates",  # log(number of distinct candidates) / log 8
)

_UNIVERSITY_WORDS = (
    "universit",
    "univerz",
    "universidad",
    "universidade",
    "università",
    "大学",
    "大學",
    "대학교",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One institution named in a string, with the values of ``FEATURES`` for it."""

    ror_id: str
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ChoiceModel:
    """A logistic regression over ``FEATURES``: the probability that a candidate is the affiliation of record.
    ``threshold``: the best candidate below it is not answered (the string stays "ambiguous")."""

    version: str
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def log_odds(self, values: tuple[float, ...]) -> float:
        return self.bias + sum(v * w for v, w in zip(values, self.weights, strict=True))

    def probability(self, values: tuple[float, ...]) -> float:
        z = self.log_odds(values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def terms(self, values: tuple[float, ...], top: int = 4) -> list[tuple[str, float]]:
        """The ``top`` largest contributions (value × weight) to the log-odds, largest magnitude first."""
        contributions = [
            (name, v * w) for name, v, w in zip(FEATURES, values, self.weights, strict=True) if v and w
        ]
        return sorted(contributions, key=lambda t: -abs(t[1]))[:top]

    def explain(self, chosen: Candidate, others: list[Candidate]) -> str:
        """One line: the probability of the candidate chosen, of the others, and the terms that decided."""
        rest = ", ".join(f"{c.name} {self.probability(c.values):.2f}" for c in others[:4])
        terms = ", ".join(f"{name} {value:+.2f}" for name, value in self.terms(chosen.values))
        return (
            f"choice model {self.version}: {chosen.name} p={self.probability(chosen.values):.2f}"
            + (f" over {rest}" if rest else "")
            + f"; largest terms: {terms}"
        )


def features(
    *,
    rule_pick: bool,
    rule_ambiguous: bool,
    index: int,
    count: int,
    last_segment: int,
    segments: int,
    types: tuple[str, ...],
    name: str,
    only_education: bool,
    ancestor_of_named: bool,
    descendant_of_named: bool,
    related_to_named: bool,
    has_parent: bool,
    units: int,
    whole_segment: bool,
    coverage: float,
    kind: str,
    variant: bool,
    joined_first: bool,
    joined_second: bool,
    country_written: bool,
    city_written: bool,
    mentions: int,
    starts_string: bool,
    unit_before: bool,
) -> tuple[float, ...]:
    """The feature values, in the order of ``FEATURES``, from what the resolver knows of one candidate."""
    folded = name.casefold()
    values: list[float] = [
        float(rule_pick),
        float(rule_ambiguous),
        float(index == 0),
        float(index == count - 1),
        index / max(1, count - 1),
        (segments - 1 - last_segment) / max(1, segments - 1),
        *(float(t in types) for t in _TYPES),
        float(any(w in folded for w in _UNIVERSITY_WORDS)),
        float(only_education),
        float(ancestor_of_named),
        float(descendant_of_named),
        float(related_to_named),
        float(has_parent),
        math.log1p(units) / 3,
        float(whole_segment),
        coverage,
        float(kind == "alias"),
        float(kind == "acronym"),
        float(variant),
        float(joined_first),
        float(joined_second),
        float(country_written),
        float(city_written),
        float(mentions > 1),
        float(starts_string),
        float(unit_before),
        math.log(count) / math.log(8),
    ]
    return tuple(values)


@lru_cache(maxsize=1)
def load_model() -> ChoiceModel:
    """The shipped model. A missing or malformed file is an error, never a silent default."""
    text = resources.files("techguard.research").joinpath(MODEL_FILE).read_text("utf-8")
    return model_from_dict(json.loads(text))


def model_from_dict(data: dict[str, Any]) -> ChoiceModel:
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(
            f"{MODEL_FILE}: features {list(names)} do not match the code's {list(FEATURES)}; re-run "
            "bench/fit_research_choice.py"
        )
    return ChoiceModel(
        version=str(data["version"]),
        weights=tuple(float(w) for w in data["weights"]),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
    )


__all__ = ["FEATURES", "MODEL_FILE", "Candidate", "ChoiceModel", "features", "load_model", "model_from_dict"]
