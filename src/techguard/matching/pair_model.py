"""The pair model: whether two names are the same name, judged from features of their comparison.

The word alignment (:mod:`scoring`) gives one number; an expert reads more: how much of *each* name was
accounted for, whether the rarest word was left out, whether the match rests on spelling, initials or
only generic words, whether the numbers differ, which scripts met and how (a reading, a translation, a
katakana loanword). Each of these is a feature; a logistic regression fitted on labelled pairs built from
the lists' own aliases (``bench/fit_pair_model.py``) combines them into a probability that is the name
score. Its weights ship as ``data/pair_model.json`` (versioned with the algorithm); every hit carries
each feature's value × weight, so the score is explained term by term.

Because the script pair and the way the names met are features of one model, the same probability means
the same thing whichever scripts met: an alert at 0.80 is an alert at 0.80 for 東京大学 and for Tokyo.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from techguard.lists.model import NameType
from techguard.matching.rounding import rounded
from techguard.matching.scoring import NameComparison
from techguard.matching.tokens import KeyKind, NameKey

MODEL_FILE = "data/pair_model.json"
GENERIC_ONLY_CAP = 0.7  # below the default threshold less its name margin (0.80 − 0.05)

FEATURES: tuple[str, ...] = (
    "name_score",  # the IDF word alignment score (scoring.py)
    "name_score_squared",
    "query_coverage",  # share of the query's IDF mass that was aligned (similarity-weighted)
    "listed_coverage",
    "query_words_aligned",  # share of the query's words aligned
    "listed_words_aligned",
    "rarest_unaligned_query",  # IDF of the rarest query word left over, / the rarest IDF possible
    "rarest_unaligned_listed",
    "rarest_aligned",
    "inexact_share",  # aligned mass reached by spelling (stem, fuzzy, consonants) rather than the same word
    "abbreviation_share",  # ... by initials, acronyms, syllables, run-together words
    "order_changed",
    "numbers_differ",  # both names carry numbers and they are not the same
    "legal_form_agrees",
    "legal_form_differs",
    "generic_only",  # the match rests on generic and place words (or initials) alone, and is not whole
    "person",
    "one_word_query",
    "whole_string",  # decided by comparing the names run together
    "native_script",  # Han/kana compared in writing
    "read_aloud",  # a Japanese reading or Mandarin pinyin
    "translated",  # Han organisation words translated
    "loanword",  # katakana read as a foreign word
    "transliterated",  # Cyrillic, Greek, Arabic, Hebrew, Hangul romanised
    "bridged",  # through a publisher's bilingual rendering
    "weak_alias",  # OFAC "weak a.k.a."
    "score_x_rarest_aligned",
    "mean_similarity",  # mean similarity of the aligned word pairs
    "unaligned_query_words",  # words left over, up to 3, / 3
    "unaligned_listed_words",
    "person_x_score",
    # the names as strings, beside the word alignment: what a reader sees at a glance (rapidfuzz, on the
    # keys' words with legal forms, so spelling and spacing differences count even where no word aligned)
    "sorted_words_ratio",  # fuzz.token_sort_ratio / 100
    "word_set_ratio",  # fuzz.token_set_ratio / 100
    "jaro_winkler",  # Jaro-Winkler similarity of the written words
    "plain_ratio",  # fuzz.ratio / 100
    # partial person matches the synthetic negatives show (issue 9, algorithm 2.4)
    "one_word_listed",  # a one-word listed name inside a longer query (Marit Christina Sundqvist / CHRISTINA)
    "one_word_aligned",  # one word pair alone met while both names have more (a surname, a first name)
    "ending_differs",  # an aligned pair differs only in its final vowels (JOAQUINA / JOAQUIN, MARIO / MARIA)
)


_GENERIC_ONLY = FEATURES.index("generic_only")


@dataclass(frozen=True, slots=True)
class _Terms:
    """Every term a model may weigh: the features, then the products i × j (i ≤ j), by name."""

    first: Any
    second: Any
    names: tuple[str, ...]
    index: dict[tuple[int, int], int]
    is_feature: Any


def _terms() -> _Terms:
    pairs = [(i, j) for i in range(len(FEATURES)) for j in range(i, len(FEATURES))]
    return _Terms(
        first=np.asarray([i for i, _ in pairs], dtype=np.intp),
        second=np.asarray([j for _, j in pairs], dtype=np.intp),
        names=(*FEATURES, *(f"{FEATURES[i]} × {FEATURES[j]}" for i, j in pairs)),
        index={pair: k for k, pair in enumerate(pairs)},
        is_feature=np.arange(len(FEATURES) + len(pairs)) < len(FEATURES),
    )


_TERMS = _terms()
_PERSON = FEATURES.index("person")
_TRAILING_VOWELS = "AEIOUY"


@dataclass(frozen=True, slots=True)
class _ActiveTerms:
    """Positions (in the features vector with a 1 appended), weights and names of the nameable terms."""

    first: Any
    second: Any
    weights: Any
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairModel:
    """A logistic regression over the features and their pairwise products (a feature's weight may depend
    on another: a shared surname means less when the given names differ, a reading less than a
    translation at the same score). Every term, single or product, is named and explained."""

    version: str
    weights: tuple[float, ...]
    bias: float
    threshold: float  # the probability at which the fitted model's F1 peaked on the training pairs
    interactions: tuple[tuple[int, int, float], ...] = ()  # (i, j, weight) of the product feature i × j
    # added to a person pair's log-odds, calibrated so that synthetic person names (on no list) alert at
    # most as often as the issue allows (bench/fit_pair_model.py)
    person_offset: float = 0.0
    _quadratic: Any = None  # the interactions as an upper-triangular matrix (numpy), built on load
    _weights: Any = None  # the linear weights as a numpy vector, built on load
    _active: _ActiveTerms | None = None  # the terms an explanation can name, built on load

    def log_odds(self, values: tuple[float, ...]) -> float:
        vector = np.asarray(values, dtype=np.float64)
        weights = self._weights if self._weights is not None else np.asarray(self.weights)
        z = self.bias + float(vector @ weights)
        if self._quadratic is not None:
            z += float(vector @ self._quadratic @ vector)
        if values[_PERSON]:
            z += self.person_offset
        return z

    def probability(self, values: tuple[float, ...]) -> float:
        if values[0] <= 0.0:
            return 0.0  # nothing of the names aligned: no evidence to weigh
        z = self.log_odds(values)
        if z < -30:
            return 0.0
        probability = 1.0 / (1.0 + math.exp(-z))
        if values[_GENERIC_ONLY]:
            # a match resting only on generic and place words (東京大学 / Institute of Science Tokyo,
            # T&D / TECHNOLOGY AND DEVELOPMENT) is shown, never alerts on its own
            return min(probability, GENERIC_ONLY_CAP)
        return probability

    def _weights_array(self) -> Any:
        return self._weights if self._weights is not None else np.asarray(self.weights)

    def _interaction_weights(self) -> Any:
        """The weight of every product term of :data:`_TERMS` (0 where the model has none)."""
        if self._quadratic is not None:
            return self._quadratic[_TERMS.first, _TERMS.second]
        weights = np.zeros(len(_TERMS.first))
        for i, j, weight in self.interactions:
            weights[_TERMS.index[(i, j)]] += weight
        return weights

    def term_weights(self) -> Any:
        """Every term's weight as one vector: the features', then the products' of :data:`_TERMS`."""
        return np.concatenate([self._weights_array(), self._interaction_weights()])

    def explain(self, values: tuple[float, ...], *, top: int | None = None) -> dict[str, Any]:
        """Each term's value, weight and contribution (value × weight) to the log-odds; a product of two
        features is named ``a × b``. With ``top``, only the ``top`` largest contributions are listed and
        ``other_terms`` sums the rest, so bias + offset + listed + other terms is still the log-odds."""
        explained: dict[str, Any] = {"model": self.version, "bias": rounded(self.bias, 4)}
        if values[_PERSON] and self.person_offset:
            explained["person_offset"] = rounded(self.person_offset, 4)
        active = self._active if self._active is not None else self.active_terms()
        # the augmented vector's last value is 1: a feature is the product of itself and that 1
        vector = np.asarray((*values, 1.0), dtype=np.float64)
        term_values = vector[active.first] * vector[active.second]
        present = np.flatnonzero(term_values != 0)
        contributions = term_values[present] * active.weights[present]
        order = present[np.argsort(-np.abs(contributions), kind="stable")]
        if top is not None and len(order) > top:
            rest = order[top:]
            order = order[:top]
            explained["other_terms"] = {
                "count": len(rest),
                "contribution": rounded(float(term_values[rest] @ active.weights[rest]), 4),
            }
        names = active.names
        explained["features"] = {
            names[k]: _term(value, weight)
            for k, value, weight in zip(
                order.tolist(), term_values[order].tolist(), active.weights[order].tolist(), strict=True
            )
        }
        return explained

    def active_terms(self) -> _ActiveTerms:
        """The terms an explanation can name, in :data:`_TERMS` order: every feature, and each product the fit
        gave a weight. Computed once on load: an explanation then multiplies only these."""
        term_weights = self.term_weights()
        kept = np.flatnonzero((term_weights != 0) | _TERMS.is_feature)
        features = len(FEATURES)
        first = np.concatenate([np.arange(features), _TERMS.first])[kept]
        # a feature's second factor is the augmented vector's 1 (position len(FEATURES))
        second = np.concatenate([np.full(features, features), _TERMS.second])[kept]
        return _ActiveTerms(
            first=first, second=second, weights=term_weights[kept], names=tuple(_TERMS.names[k] for k in kept)
        )


def _term(value: float, weight: float) -> dict[str, float]:
    return {"value": rounded(value, 4), "weight": rounded(weight, 4), "contribution": rounded(value * weight, 4)}


@lru_cache(maxsize=1)
def load_model() -> PairModel:
    """The shipped model. A missing or malformed file is an error, never a silent default."""
    text = resources.files("techguard.matching").joinpath(MODEL_FILE).read_text("utf-8")
    data = json.loads(text)
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(
            f"{MODEL_FILE}: features {list(names)} do not match the code's {list(FEATURES)}; re-run "
            "bench/fit_pair_model.py"
        )
    interactions = tuple((int(i), int(j), float(w)) for i, j, w in data.get("interactions", ()))
    quadratic = None
    if interactions:
        quadratic = np.zeros((len(FEATURES), len(FEATURES)))
        for i, j, weight in interactions:
            quadratic[i, j] += weight
    weights = tuple(float(w) for w in data["weights"])
    model = PairModel(
        version=str(data["version"]),
        weights=weights,
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        interactions=interactions,
        person_offset=float(data["person_offset"]),
        _quadratic=quadratic,
        _weights=np.asarray(weights),
    )
    return dataclasses.replace(model, _active=model.active_terms())  # computed once, not per explanation


_READ = frozenset({KeyKind.READING, KeyKind.PINYIN})


def _numbers(key: NameKey) -> frozenset[str]:
    return frozenset(t for t in key.tokens if any(ch.isdigit() for ch in t))


def pair_features(
    comparison: NameComparison,
    query: NameKey,
    listed: NameKey,
    *,
    person: bool,
    legal_agrees: bool | None,
    name_type: NameType,
    bridged: bool,
    max_weight: float,
    generic_match: bool,
) -> tuple[float, ...]:
    """The feature vector of one compared pair of keys (order as :data:`FEATURES`)."""
    score = comparison.score
    stats = comparison.stats
    kinds = {query.kind, listed.kind}
    if stats is not None and stats.query_weight > 0 and stats.listed_weight > 0:
        aligned = stats.query_aligned + stats.listed_aligned
        query_coverage = min(1.0, stats.query_aligned / stats.query_weight)
        listed_coverage = min(1.0, stats.listed_aligned / stats.listed_weight)
        query_words = stats.query_words_aligned / max(stats.query_words, 1)
        listed_words = min(1.0, stats.listed_words_aligned / max(stats.listed_words, 1))
        rare_q = stats.max_unaligned_query / max_weight
        rare_l = stats.max_unaligned_listed / max_weight
        rare_aligned = stats.max_aligned / max_weight
        inexact = stats.inexact_weight / aligned if aligned else 0.0
        abbreviated = stats.abbreviation_weight / aligned if aligned else 0.0
        order_changed = 0.0 if stats.in_order else 1.0
        generic_only = 1.0 if generic_match else 0.0
        mean_similarity = stats.similarity_sum / stats.pairs if stats.pairs else 0.0
        left_query = min(3, stats.query_words - stats.query_words_aligned) / 3
        left_listed = min(3, max(0, stats.listed_words - stats.listed_words_aligned)) / 3
    else:
        # native (bigram) and loanword comparisons: the score is all there is
        query_coverage = listed_coverage = query_words = listed_words = score
        rare_q = rare_l = 0.0
        rare_aligned = score
        inexact = abbreviated = order_changed = generic_only = 0.0
        mean_similarity = score
        left_query = left_listed = 0.0
    q_numbers, l_numbers = _numbers(query), _numbers(listed)
    numbers_differ = 1.0 if q_numbers and l_numbers and q_numbers != l_numbers else 0.0
    return (
        score,
        score * score,
        query_coverage,
        listed_coverage,
        query_words,
        listed_words,
        rare_q,
        rare_l,
        rare_aligned,
        inexact,
        abbreviated,
        order_changed,
        numbers_differ,
        1.0 if legal_agrees is True else 0.0,
        1.0 if legal_agrees is False else 0.0,
        generic_only,
        1.0 if person else 0.0,
        1.0 if len(query.tokens) == 1 else 0.0,
        # how the names met, as a factor on the score: the model calibrates each way of meeting
        score if comparison.method == "whole-string" else 0.0,
        score if query.is_native else 0.0,
        score if kinds & _READ else 0.0,
        score if KeyKind.TRANSLATED in kinds else 0.0,
        score if KeyKind.LOANWORD in kinds else 0.0,
        score if kinds & {KeyKind.TRANSLIT, KeyKind.ABJAD, KeyKind.HANGUL} else 0.0,
        score if bridged else 0.0,
        score if name_type is NameType.WEAK_AKA else 0.0,
        score * rare_aligned,
        mean_similarity,
        left_query,
        left_listed,
        score if person else 0.0,
        *_string_similarities(query, listed),
        1.0 if len(listed.tokens) == 1 and len(query.tokens) > 1 else 0.0,
        1.0
        if stats is not None and stats.pairs == 1 and min(stats.query_words, stats.listed_words) > 1
        else 0.0,
        1.0 if any(_differ_in_ending(pair.query, pair.listed) for pair in comparison.pairs) else 0.0,
    )


def _differ_in_ending(query_word: str, listed_word: str) -> bool:
    """Two different words equal once their final vowels are dropped: a first name of the other gender
    (JOAQUINA / JOAQUIN, MARIO / MARIA), which spelling similarity alone scores as the same name."""
    if query_word == listed_word or " " in query_word or " " in listed_word:
        return False
    query_stem = query_word.upper().rstrip(_TRAILING_VOWELS)
    return len(query_stem) >= 3 and query_stem == listed_word.upper().rstrip(_TRAILING_VOWELS)


def _string_similarities(query: NameKey, listed: NameKey) -> tuple[float, float, float, float]:
    a, b = " ".join(query.words or query.tokens), " ".join(listed.words or listed.tokens)
    return (
        fuzz.token_sort_ratio(a, b) / 100.0,
        fuzz.token_set_ratio(a, b) / 100.0,
        JaroWinkler.similarity(a, b),
        fuzz.ratio(a, b) / 100.0,
    )


__all__ = ["FEATURES", "GENERIC_ONLY_CAP", "MODEL_FILE", "PairModel", "load_model", "pair_features"]
