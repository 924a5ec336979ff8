"""Organisation words across languages: one *concept* per word (``tsifrovye`` = ``digital``).

Two sources: a hand-written seed (``data/vocabulary.tsv``: English abbreviations such as COMM, TECH,
INTL and common Russian organisation words in OFAC's romanisation) and pairs learnt at index build from the
lists themselves (:func:`learn_pairs`): entities whose names are a transliteration and a translation of
each other ("RUSSKIE TSIFROVYE RESHENIYA" / "RUSSIAN DIGITAL SOLUTIONS") teach word pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from itertools import combinations

from techguard.text.fold import fold

# Minimum support for a learnt pair: seen in this many different entities.
MIN_PAIR_SUPPORT = 3
# A learnt pair must explain this share of both words' appearances in name pairs (no chance pairs).
MIN_PAIR_ASSOCIATION = 0.6

_ENDINGS = (
    "iyakh", "iyami", "iyam", "iya", "iyu", "iye", "ies", "ogo", "ego", "omu", "emu", "ykh", "ikh", "ymi", "imi", "aya", "yaya",
    "oye", "oe", "ye", "ie", "iy", "yi", "ii", "yy", "oi", "oy", "ei", "ey", "ov", "ev", "ym", "im",
    "om", "em", "ia", "ya", "yu", "iu", "es", "s", "a", "y", "i", "o", "e", "u",
)  # fmt: skip


_STEM_MARK = "~"

# Russian words borrowed from Latin and Greek keep the root and change the ending; OFAC romanises them
# letter by letter (BIOLOGICHESKOGO, INFORMATSIONNYE, TEKHNOLOGIYA, FEDERALNYI). Rewriting the ending to
# the English one lets the word meet its English cognate (BIOLOGICAL, INFORMATION, TECHNOLOGY, FEDERAL)
# by spelling, without a table of words. Only long words, only these endings.
_COGNATE_ENDINGS = (
    (re.compile(r"ichesk(?:ogo|aya|oye|oe|ie|ii|iy|oi|ikh|ym|i|y)$"), "ical"),
    (re.compile(r"tsional(?:nyi|nyy|naya|noe|noye|nye|nogo|nykh|ny)$"), "tional"),
    (re.compile(r"tsi(?:onn(?:yi|yy|aya|oe|oye|ye|ogo|ykh|y)|ya|i|yu|ei)$"), "tion"),
    (re.compile(r"ogi(?:ya|i|yu|y|ei)$"), "ogy"),
    (re.compile(r"al(?:nyi|nyy|naya|noe|noye|nye|nogo|nykh|ny)$"), "al"),
)
MIN_COGNATE = 7


@lru_cache(maxsize=131072)
def cognate(token: str) -> str:
    """The English-cognate spelling of a romanised Russian word (``biologicheskogo`` → ``biological``,
    ``informatsionnye`` → ``information``); other words unchanged."""
    if len(token) < MIN_COGNATE or not token.isascii():
        return token
    for pattern, ending in _COGNATE_ENDINGS:
        rewritten = pattern.sub(ending, token)
        if rewritten != token:
            return rewritten
    return token


@lru_cache(maxsize=131072)
def stem(token: str) -> str:
    """A crude stem shared by inflected Russian transliterations and English plurals
    (``tekhnologii``/``tekhnologiya`` → ``tekhnolog``; ``systems`` → ``syst``). Words of 6+ letters only;
    keeps ≥ 4 letters."""
    if len(token) <= 5 or not token.isascii():
        return token  # short words have no room for an ending: CHINA is not CHIN
    for _ in range(2):  # twice, so "systems" → "system" → "syst" meets "system" → "syst"
        for ending in _ENDINGS:
            if token.endswith(ending) and len(token) - len(ending) >= 4:
                token = token[: -len(ending)]
                break
        else:
            break
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
    # Inflected forms not in the table meet through their stem (KOMMERCHESKI ~ KOMMERCHESKII); stems
    # are keyed with a marker so a stem can never be mistaken for a word.
    for word, concept in list(concepts.items()):
        concepts.setdefault(_STEM_MARK + stem(word), concept)
    return concepts


# Compound splitting (see Vocabulary.split_compound): whole word, head and tail lengths in letters.
MIN_COMPOUND = 8
MIN_COMPOUND_HEAD = 3
MIN_COMPOUND_TAIL = 4


@lru_cache(maxsize=1)
def _compound_tails() -> frozenset[str]:
    """Seed words a run-together name may end in (the hand-written table only: learnt pairs are rarer)."""
    return frozenset(w for w in seed_concepts() if w.isalpha() and len(w) >= MIN_COMPOUND_TAIL)


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
        found = self._concepts.get(_STEM_MARK + stem(token))
        return found if found is not None else token

    def split_compound(self, token: str) -> tuple[str, ...]:
        """A run-together organisation name ending in a known organisation word, split before it:
        ``sberbank`` → ``sber bank``, ``uralmashzavod`` → ``uralmash zavod``, ``gazpromneft`` →
        ``gazprom neft``; so SBER BANK, URALMASH PLANT and GAZPROM NEFT meet them. Known words themselves
        (``international``) and short words stay whole."""
        if len(token) < MIN_COMPOUND or not token.isascii() or not token.isalpha() or token in self._concepts:
            return (token,)
        for cut in range(MIN_COMPOUND_HEAD, len(token) - MIN_COMPOUND_TAIL + 1):
            tail = token[cut:]
            if tail in _compound_tails():
                return (token[:cut], tail)
        return (token,)

    def __len__(self) -> int:
        return len(self._concepts)


def learn_pairs(entities: Iterable[list[tuple[str, ...]]]) -> dict[str, str]:
    """Learn word ↔ word equivalences from the names of each entity.

    ``entities`` gives, per entity, its names as core words. For each pair of names of equal length once
    the shared words are removed (the shape of a word-by-word translation, e.g. RUSSKIE TSIFROVYE
    RESHENIYA / RUSSIAN DIGITAL SOLUTIONS), the differing words are aligned by position. A word pair is
    kept when ≥ :data:`MIN_PAIR_SUPPORT` *different entities* show it and it accounts for at least
    :data:`MIN_PAIR_ASSOCIATION` of each word's aligned occurrences; a word joins at most one pair, so
    chance pairs cannot chain unrelated words together. Returns word → concept.
    """
    seed = seed_concepts()
    pair_counts: Counter[tuple[str, str]] = Counter()
    word_counts: Counter[str] = Counter()
    for names in entities:
        seen: set[tuple[str, str]] = set()
        for left, right in combinations(names, 2):
            shared = set(left) & set(right)
            a = [t for t in left if t not in shared]
            b = [t for t in right if t not in shared]
            if not a or len(a) != len(b) or len(a) > 4:
                continue
            for x, y in zip(a, b, strict=True):
                if x == y or len(x) < 4 or len(y) < 4 or not x.isalpha() or not y.isalpha():
                    continue
                seen.add((x, y) if x < y else (y, x))
        for x, y in seen:
            pair_counts[(x, y)] += 1
            word_counts[x] += 1
            word_counts[y] += 1
    learnt: dict[str, str] = {}
    for (x, y), count in pair_counts.most_common():
        if count < MIN_PAIR_SUPPORT:
            break
        if count / math.sqrt(word_counts[x] * word_counts[y]) < MIN_PAIR_ASSOCIATION:
            continue
        if x in learnt or y in learnt:
            continue
        if x in seed and y in seed:
            continue  # the seed already decides these two words
        concept = seed.get(x) or seed.get(y) or min(x, y)
        learnt[x] = concept
        learnt[y] = concept
    return learnt


__all__ = [
    "MIN_PAIR_ASSOCIATION",
    "MIN_PAIR_SUPPORT",
    "Vocabulary",
    "cognate",
    "learn_pairs",
    "seed_concepts",
    "stem",
]
