"""Organisation words across languages: one *concept* per word (``tsifrovye`` = ``digital``).

Two sources: a hand-written seed (``data/vocabulary.tsv``: English abbreviations such as COMM, TECH,
INTL and common Russian organisation words in OFAC's romanisation) and pairs learnt at index build from the
lists themselves (:func:`learn_pairs`): entities whose names are a transliteration and a translation of
each other ("RUSSKIE TSIFROVYE RESHENIYA" / "RUSSIAN DIGITAL SOLUTIONS") teach word pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

from techguard.matching.normalise import fold

# Minimum support for a learnt pair: seen in this many different entities.
MIN_PAIR_SUPPORT = 2
# A learnt pair must explain this share of both words' appearances in name pairs (no chance pairs).
MIN_PAIR_ASSOCIATION = 0.5

_ENDINGS = (
    "iyakh", "iyami", "iyam", "iya", "iyu", "iye", "ies", "ogo", "ego", "omu", "emu", "ykh", "ikh", "ymi", "imi", "aya", "yaya",
    "oye", "oe", "ye", "ie", "iy", "yi", "ii", "yy", "oi", "oy", "ei", "ey", "ov", "ev", "ym", "im",
    "om", "em", "ia", "ya", "yu", "iu", "es", "s", "a", "y", "i", "o", "e", "u",
)  # fmt: skip


@lru_cache(maxsize=131072)
def stem(token: str) -> str:
    """A crude stem shared by inflected Russian transliterations and English plurals
    (``tekhnologii``/``tekhnologiya`` → ``tekhnolog``; ``systems`` → ``system``). Keeps ≥ 4 letters."""
    if len(token) <= 4 or not token.isascii():
        return token
    for ending in _ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 4:
            return token[: -len(ending)]
    return token


@lru_cache(maxsize=1)
def seed_concepts() -> dict[str, str]:
    """Folded word → concept, from the hand-written seed table."""
    concepts: dict[str, str] = {}
    text = resources.files("techguard.matching").joinpath("data/vocabulary.tsv").read_text("utf-8")
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            concept, variants = line.split("\t")
        except ValueError:
            raise ValueError(f"vocabulary.tsv line {line_no}: expected 'concept<TAB>variants'") from None
        for variant in variants.split():
            for word in fold(variant).split():
                concepts.setdefault(word, concept)
    return concepts


class Vocabulary:
    """Maps folded words to concepts; the seed plus whatever was learnt from the indexed lists."""

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self._concepts = dict(seed_concepts())
        for word, concept in (extra or {}).items():
            self._concepts.setdefault(word, concept)
        self.learnt = dict(extra or {})

    def concept(self, token: str) -> str:
        found = self._concepts.get(token)
        if found is not None:
            return found
        found = self._concepts.get(stem(token))
        return found if found is not None else token

    def __len__(self) -> int:
        return len(self._concepts)


def learn_pairs(name_pairs: Iterable[tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, str]:
    """Learn word ↔ word equivalences from pairs of names of the same entity.

    Each pair is the two names' core tokens. Only pairs of equal length (after removing the words they
    share) whose words differ are used, aligned by position — the shape of a word-by-word translation.
    A word pair is kept when it recurs in ≥ :data:`MIN_PAIR_SUPPORT` entities and accounts for at
    least :data:`MIN_PAIR_ASSOCIATION` of each word's aligned occurrences. Returns word → concept (the
    concept being the English-looking side, i.e. the more frequent word overall).
    """
    seed = seed_concepts()
    pair_counts: Counter[tuple[str, str]] = Counter()
    word_counts: Counter[str] = Counter()
    for left, right in name_pairs:
        shared = set(left) & set(right)
        a = [t for t in left if t not in shared]
        b = [t for t in right if t not in shared]
        if not a or len(a) != len(b) or len(a) > 4:
            continue
        for x, y in zip(a, b, strict=True):
            if x == y or len(x) < 4 or len(y) < 4 or x.isdigit() or y.isdigit():
                continue
            key = (x, y) if x < y else (y, x)
            pair_counts[key] += 1
            word_counts[x] += 1
            word_counts[y] += 1
    learnt: dict[str, str] = {}
    for (x, y), count in pair_counts.most_common():
        if count < MIN_PAIR_SUPPORT:
            break
        association = count / math.sqrt(word_counts[x] * word_counts[y])
        if association < MIN_PAIR_ASSOCIATION:
            continue
        concept = seed.get(x) or seed.get(y) or learnt.get(x) or learnt.get(y) or min(x, y)
        learnt.setdefault(x, concept)
        learnt.setdefault(y, concept)
    return learnt


__all__ = ["MIN_PAIR_ASSOCIATION", "MIN_PAIR_SUPPORT", "Vocabulary", "learn_pairs", "seed_concepts", "stem"]
