"""Candidate retrieval: an in-memory inverted index from match keys to listed names.

Why this structure: a query must never be compared with every listed name (10⁵ names × 10³ queries/s
is out of reach in Python), but it must still find names that share no exact word with it. So each
listed key is posted under several *index keys*:

- ``t:`` the word's concept (exact word, or its vocabulary concept: ``tsifrovye`` → ``digital``),
- ``s:`` its stem, ``k:`` its consonant skeleton (SAHAF / SAHHAF → ``shf``), ``p:`` its first 4 letters
  (finds syllabic abbreviations and prefixes: PROMTEKH → ``prom``),
- ``c:`` the whole name run together and ``i:`` its initials (compounds and acronyms),
- ``b:`` character bigrams of native CJK keys (CJK runs have no spaces to split on),
- ``l:`` the sound-folded consonant skeleton of words and of the name run together, found by katakana
  loanword queries (ロステック → ``rstk`` = ROSTEC).

A query collects, per listed name, the summed squared IDF of the index keys they share; keys posted on more
than :data:`MAX_POSTINGS` names are skipped (they carry almost no information and cost the most). The
best :data:`CANDIDATES` names then go to the scorer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from rapidfuzz.fuzz import ratio, token_set_ratio
from rapidfuzz.process import cdist

from techguard.matching.abbreviations import joined_pair_keys, legal_form_acronyms
from techguard.matching.korean import is_korean_name, korean_variant_keys
from techguard.matching.loanwords import listed_loanword_keys, loanword_lookup_keys
from techguard.matching.tokens import (
    STOPWORDS,
    KeyKind,
    NameKey,
    comparable_kinds,
    initials,
    phonetic,
    skeleton,
)
from techguard.matching.translit import abjad_skeleton

MAX_POSTINGS = 4000
CANDIDATES = 80
FULLY_SCORED = 20
BY_EVIDENCE = 7
MIN_SKETCH_RATIO = 40  # token_set_ratio, 0-100
# Shared keys count by IDF squared: the dot product of the two names' IDF-weighted key vectors (as in a
# TF-IDF cosine), so one rare shared word (KINGLEAD) outweighs several common ones (INTERNATIONAL TRADING).
KEY_IDF_POWER = 2.0
INDEX_STATE = ("entries", "postings", "key_weight", "word_idf", "max_word_idf")
"""The attributes a built :class:`NameIndex` is made of."""


_KIND_CODES = {kind: code for code, kind in enumerate(KeyKind)}


@lru_cache(maxsize=64)
def _comparable_codes(query_kinds: frozenset[KeyKind]) -> np.ndarray | None:
    """Per listed key kind code, whether any of the query's key kinds is compared with it (None: all are)."""
    mask = np.asarray([any(comparable_kinds(q, kind) for q in query_kinds) for kind in KeyKind], dtype=bool)
    return None if mask.all() else mask


def listed_index_keys(key: NameKey) -> set[str]:
    """The index keys a listed name key is posted under."""
    keys: set[str] = set()
    if key.is_native:
        text = key.compact
        if len(text) == 1:
            keys.add("b:" + text)
        keys.update("b:" + text[k : k + 2] for k in range(len(text) - 1))
        return keys
    for token, concept, stem in zip(key.tokens, key.concepts, key.stems, strict=True):
        keys.add("t:" + concept)
        if stem != concept:
            keys.add("s:" + stem)
        phon = phonetic(token)
        if phon != token:
            keys.add("f:" + phon)  # RA'AD / RAD, NIIGAZECONOMIKA / NIIGAZEKONOMIKA
        if len(token) >= 4 and token.isalpha():
            keys.add("k:" + skeleton(phon))
        if len(token) >= 5:
            keys.add("p:" + token[:4])
    if (
        len(key.tokens) <= SYLLABIC_NAME_WORDS
        and len(key.compact) >= MIN_SYLLABIC_WORD
        and any(c == t for c, t in zip(key.concepts, key.tokens, strict=True))
    ):
        keys.update(query_syllable_keys(key.compact))  # SOVCOMFLOT (split as SOVCOM FLOT) run together
    if len(key.tokens) > 1:
        keys.add("c:" + key.compact)
        acronym = initials(key.tokens)
        if len(acronym) >= 2:
            keys.add("i:" + acronym)
        keys.update(syllable_pair_keys(key.tokens))
    if len(key.words) > len(key.tokens) and len(key.words) > 1:
        # acronyms often keep the legal form's letter: SMIC = Semiconductor Manufacturing International
        # Corporation, SBIG = Shahid Bakeri Industrial Group
        acronym = initials(key.words)
        if len(acronym) >= 3:
            keys.add("i:" + acronym)
    if len(key.words) > 1:
        # IASCO = Iran Alloy Steel COmpany, CNEC = China Nuclear Engineering Corporation (Limited)
        keys.update("i:" + a for a in legal_form_acronyms(key.tokens, key.words))
    if is_korean_name(key.words):
        keys.update(korean_variant_keys(key.tokens))  # TAEJIN = DAIZIN (korean.py)
    return keys


def _syllable(text: str) -> str:
    # romanisations disagree on c/k (SOVCOMFLOT = SOVremennyi KOMmercheskii FLOT)
    return text[:2].replace("c", "k")


def syllable_pair_keys(tokens: tuple[str, ...]) -> set[str]:
    """``y:`` keys of neighbouring words' first two letters (COLombiana de CERdos → ``y:ko|ke``), so a
    syllabic abbreviation (COLCERDOS) can find the name it abbreviates."""
    words = [t for t in tokens if t not in STOPWORDS and len(t) >= 2 and t.isalpha()]
    return {f"y:{_syllable(a)}|{_syllable(b)}" for a, b in pairwise(words)}


def query_syllable_keys(token: str) -> set[str]:
    """The ``y:`` keys a single word could be the syllabic abbreviation of (every split point)."""
    if len(token) < 5 or not token.isalpha():
        return set()
    head = _syllable(token)
    return {f"y:{head}|{_syllable(token[split:])}" for split in range(2, min(len(token) - 1, 7))}


# A listed name of at most this many words may be a syllabic abbreviation (URALVAGONZAVOD, SOVCOMFLOT):
# run together, it is posted under the keys of the word runs it could abbreviate, so that the
# name written out in full finds it.
SYLLABIC_NAME_WORDS = 2
MIN_SYLLABIC_WORD = 7


def query_index_keys(key: NameKey) -> set[str]:
    """The index keys a query key looks up (a superset of :func:`listed_index_keys`)."""
    if key.kind is KeyKind.LOANWORD:
        return loanword_lookup_keys(key)
    keys = listed_index_keys(key)
    if key.is_native:
        return keys
    for token in key.tokens:
        phon = phonetic(token)
        keys.add("f:" + phon)  # a listed spelling that folds to this word (RFC → rfk for RFK)
        keys.add("t:" + phon)  # ... or a listed word that is already in folded spelling
        if len(token) >= 4:
            keys.add("c:" + token)  # the query word may be a listed name written as one word
        if 2 <= len(token) <= 8 and token.isalpha():
            keys.add("i:" + token)  # ... or the listed name's acronym
    if key.kind is KeyKind.ABJAD:
        keys.update(abjad_lookup_keys(key))
    keys.update(joined_pair_keys(key.tokens))  # SULTAN MOHMADI = SOLTANMOHAMMADI (abbreviations.py)
    keys.update(korean_variant_keys(key.tokens))  # DAIZIN finds KOREA TAEJIN (korean.py)
    if len(key.tokens) > 1:
        keys.add("t:" + key.compact)  # the listed name may be this name run together
        keys.add("p:" + key.compact[:4])  # ... or start like it (FANA MOWJ / FANAMOJ)
        if key.compact.isalpha():
            keys.add("k:" + skeleton(phonetic(key.compact)))  # ... or with other vowels (ABD AL MALIK)
        acronym = initials(key.tokens)
        if len(acronym) >= 2:
            keys.add("t:" + acronym)
    return keys


def abjad_lookup_keys(key: NameKey) -> set[str]:
    """``k:`` keys of an Arabic/Hebrew query's words: their consonants are the listed words' skeletons
    (``dvd`` → ``k:dvd`` = DAVID; the listed side posts ``k:`` for words of 4+ letters, so 3-letter
    skeletons are looked up here too)."""
    keys = {"k:" + abjad_skeleton(t) for t in key.tokens if len(abjad_skeleton(t)) >= 2 and t.isalpha()}
    # the Arabic article is written joined to its word (الحبو = AL HABBO, الغماري = AL-GHAMARI) and comes
    # out of romanisation as a leading L; the listing writes it apart, so the word is looked up without it
    keys.update(
        "k:" + abjad_skeleton(t[1:])
        for t in key.tokens
        if t.startswith("l") and len(abjad_skeleton(t[1:])) >= 2 and t.isalpha()
    )
    return keys


def _abjad_sketch(key: NameKey) -> str:
    return " ".join(abjad_skeleton(t) for t in key.tokens)


def sketch(key: NameKey) -> str:
    """A one-string summary of a key for cheap pre-ranking: vocabulary concepts where the word has one,
    otherwise the spelling-folded word, sorted."""
    words = (c if c != t else p for t, c, p in zip(key.tokens, key.concepts, key.phonetics, strict=True))
    return " ".join(sorted(words))


class PackedArrays(Mapping[str, np.ndarray]):
    """A read-only ``dict[str, ndarray]`` stored as one flat array plus offsets (CSR layout): loading 10⁵
    small arrays one by one costs most of a cache load, and a query's posting lookups become a slot number
    and a slice of the flat array."""

    __slots__ = ("_bounds", "_flat", "_offsets", "_slots")

    def __init__(self, slots: dict[str, int], offsets: np.ndarray, flat: np.ndarray) -> None:
        self._slots = slots
        self._offsets = offsets
        self._flat = flat
        # slicing with Python ints is ~20x faster than with numpy scalars (a lookup per index key)
        self._bounds: list[int] = offsets.tolist()

    @classmethod
    def from_dict(cls, arrays: Mapping[str, np.ndarray]) -> PackedArrays:
        keys = list(arrays)
        lengths = np.fromiter((len(arrays[k]) for k in keys), dtype=np.int64, count=len(keys))
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        first = next(iter(arrays.values()), np.empty(0, dtype=np.int32))
        flat = np.concatenate([arrays[k] for k in keys]) if keys else np.empty(0, dtype=first.dtype)
        return cls({k: i for i, k in enumerate(keys)}, offsets, flat)

    def slot(self, key: str) -> int | None:
        return self._slots.get(key)

    def __getitem__(self, key: str) -> np.ndarray:
        slot = self._slots[key]
        return self._flat[self._bounds[slot] : self._bounds[slot + 1]]

    def get(self, key: str, default: Any = None) -> Any:
        slot = self._slots.get(key)
        if slot is None:
            return default
        return self._flat[self._bounds[slot] : self._bounds[slot + 1]]

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def __iter__(self) -> Iterator[str]:
        return iter(self._slots)

    def __len__(self) -> int:
        return len(self._slots)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedArrays, (self._slots, self._offsets, self._flat))


@dataclass(frozen=True, slots=True)
class IndexedName:
    party: int  # position of the party in the screener
    name: int  # position of the name among the party's ``all_names``
    key: NameKey
    sketch: str = ""


class NameIndex:
    """Posting lists from index keys to :class:`IndexedName` ids, plus word IDF for the scorer.

    The public attributes are the index's state (what the index cache stores); the ``_`` ones are derived
    from them by :meth:`prepare`, after a build or a cache load, so that a query costs few Python steps."""

    def __init__(self, entries: Iterable[IndexedName]) -> None:
        self.entries: list[IndexedName] = [
            e if e.sketch else IndexedName(e.party, e.name, e.key, sketch(e.key)) for e in entries
        ]
        postings: dict[str, list[int]] = {}
        concept_df: Counter[str] = Counter()
        for entry_id, entry in enumerate(self.entries):
            posted = listed_index_keys(entry.key)
            if not entry.key.is_native:
                # looked up only by katakana loanword queries, so kept out of listed_index_keys (which
                # Latin queries look up too)
                posted |= listed_loanword_keys(entry.key.tokens, entry.key.compact)
            for index_key in posted:
                postings.setdefault(index_key, []).append(entry_id)
            concept_df.update(set(entry.key.concepts))
        total = max(len(self.entries), 1)
        # int32 arrays: summing evidence is then one numpy bincount instead of a Python loop per posting
        self.postings: PackedArrays = PackedArrays.from_dict(
            {k: np.asarray(v, dtype=np.int32) for k, v in postings.items()}
        )
        # per posting slot, the evidence one shared key carries (IDF squared); 0 for keys posted on more
        # than MAX_POSTINGS names, which retrieval skips
        self.key_weight: np.ndarray = np.asarray(
            [
                math.log((total + 1) / (len(v) + 0.5)) ** KEY_IDF_POWER if len(v) <= MAX_POSTINGS else 0.0
                for v in postings.values()
            ],
            dtype=np.float64,
        )
        self.word_idf: dict[str, float] = {c: math.log((total + 1) / (df + 0.5)) for c, df in concept_df.items()}
        self.max_word_idf: float = math.log(total + 1) + 0.7
        self.prepare()

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> NameIndex:
        """The index made of ``state`` (:data:`INDEX_STATE`, as :meth:`state` gave it), without building."""
        index = cls([])
        for name in INDEX_STATE:
            setattr(index, name, state[name])
        index.prepare()
        return index

    def state(self) -> dict[str, Any]:
        """What the index is made of (the index cache stores it); the rest is derived by :meth:`prepare`."""
        return {name: getattr(self, name) for name in INDEX_STATE}

    def prepare(self) -> None:
        """Derive the per-query lookup tables from the state (called after a build and a cache load, in
        the parent before any worker forks, so the workers share them)."""
        self._weights: list[float] = self.key_weight.tolist()
        self._sketches = [e.sketch for e in self.entries]
        self._compacts = [e.key.compact for e in self.entries]
        self._kinds = np.asarray([_KIND_CODES[e.key.kind] for e in self.entries], dtype=np.int8)

    def weight(self, concept: str) -> float:
        """IDF weight of a word concept; unseen words weigh like the rarest."""
        return self.word_idf.get(concept, self.max_word_idf)

    def candidates(self, query_keys: list[NameKey], limit: int = CANDIDATES) -> list[int]:
        """Entry ids of the listed names sharing the most IDF mass with the query, best first."""
        postings = self.postings
        slots = postings._slots
        lookups: set[str] = set()
        for key in query_keys:
            lookups |= query_index_keys(key)
            if key.is_native or key.kind is KeyKind.LOANWORD:
                continue
            for token, concept in zip(key.tokens, key.concepts, strict=True):
                if "t:" + concept not in slots:
                    # a word no list uses may be a syllabic abbreviation of listed words
                    lookups |= query_syllable_keys(token)
        key_weights = self._weights
        bounds = postings._bounds
        flat = postings._flat
        arrays: list[np.ndarray] = []
        weights: list[float] = []
        lengths: list[int] = []
        for index_key in sorted(lookups):  # set order varies by process (hash seed); float sums must not
            slot = slots.get(index_key)
            if slot is None:
                continue
            weight = key_weights[slot]
            if not weight:  # posted on more than MAX_POSTINGS names
                continue
            begin, end = bounds[slot], bounds[slot + 1]
            arrays.append(flat[begin:end])
            weights.append(weight)
            lengths.append(end - begin)
        if not arrays:
            return []
        ids = np.concatenate(arrays)
        mass = np.repeat(np.asarray(weights), lengths)
        unique, inverse = np.unique(ids, return_inverse=True)
        scores = np.bincount(inverse, weights=mass)  # a dense bincount over all entries costs 5-10× more
        comparable = _comparable_codes(frozenset(k.kind for k in query_keys))
        if comparable is not None:
            # names no query key can be compared with (a Han name read aloud, for a query read aloud) take
            # no slot: the scorer would pass them over, and they crowd out the ones it compares
            kept = comparable[self._kinds[unique]]
            unique, scores = unique[kept], scores[kept]
            if not len(unique):
                return []
        if len(unique) > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            # best first; ties by entry id so results do not depend on set iteration order
            order = top[np.lexsort((unique[top], -scores[top]))]
        else:
            order = np.lexsort((unique, -scores))
        best: list[int] = unique[order].tolist()
        if len(best) <= FULLY_SCORED:
            return best
        # Second stage: re-rank by a C-speed string similarity of the keys' sketches, and keep for the
        # (slow, explained) scorer the best by either measure. Shared IDF mass alone misranks names whose
        # evidence is one rare fuzzy word; the sketch ratio alone misses abbreviations.
        latin = [k for k in query_keys if not k.is_native]
        if not latin:
            return best[:FULLY_SCORED]
        # (the same text twice gives the same row: alternates often share a sketch or a run-together form)
        sketches = list(dict.fromkeys(sketch(k) for k in latin))
        listed_sketches = self._sketches
        choices = [listed_sketches[e] for e in best]
        # Ratios under MIN_SKETCH_RATIO are cut to 0 (rapidfuzz may stop early on such pairs; no measurable
        # gain here): such a name is never kept by ratio, under either measure, so the choice is the same.
        ratios = cdist(sketches, choices, scorer=token_set_ratio, dtype=np.uint8,
                       score_cutoff=MIN_SKETCH_RATIO).max(axis=0)  # fmt: skip
        # Names written with other spacing (YAR SANAT / YARSANAT, KURGANSKY MASHINOSTROITELNY ZAVOD /
        # KURGANMASHZAVOD) share few words but most letters: compare the names run together too.
        compacts = list(dict.fromkeys(k.compact for k in latin))
        listed_compacts = self._compacts
        joined = [listed_compacts[e] for e in best]
        ratios = np.maximum(
            ratios,
            cdist(compacts, joined, scorer=ratio, dtype=np.uint8, score_cutoff=MIN_SKETCH_RATIO).max(axis=0),
        )
        abjad = list(dict.fromkeys(_abjad_sketch(k) for k in latin if k.kind is KeyKind.ABJAD))
        if abjad:
            # an Arabic or Hebrew query shares consonants, not letters, with its romanised listing
            # (محمد علي الحبو = MOHAMMAD ALI AL HABBO): the scorer compares consonants, so must this stage,
            # or the right name never reaches the scorer
            entries = self.entries
            listed = [_abjad_sketch(entries[e].key) for e in best]
            ratios = np.maximum(
                ratios,
                cdist(
                    abjad, listed, scorer=token_set_ratio, dtype=np.uint8, score_cutoff=MIN_SKETCH_RATIO
                ).max(axis=0),
            )
        # widened before negating: on uint8, -0 stays 0 and would rank the names sharing nothing first
        ranked = np.argsort(-ratios.astype(np.int16), kind="stable")[: FULLY_SCORED - BY_EVIDENCE].tolist()
        plain = ratios.tolist()
        # names that share almost no letters with the query only cost time (most of a clean batch)
        by_ratio = [best[i] for i in ranked if plain[i] >= MIN_SKETCH_RATIO]
        chosen = dict.fromkeys(best[:BY_EVIDENCE])
        chosen.update(dict.fromkeys(by_ratio))
        return list(chosen)

    def __iter__(self) -> Iterator[IndexedName]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


__all__ = [
    "CANDIDATES",
    "MAX_POSTINGS",
    "IndexedName",
    "NameIndex",
    "PackedArrays",
    "listed_index_keys",
    "query_index_keys",
    "skeleton",
]
