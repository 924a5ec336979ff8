"""Katakana place names read back to the registry's Latin ones: ハルビン → Harbin, ノヴォシビルスク → Novosibirsk.

Japanese writes a foreign place by sound. A katakana run is read (Hepburn, through the screening module's
``matching.japanese.reading``) and folded to the sounds katakana can tell apart, with and without the vowels
Japanese inserts after lone consonants (``matching.loanwords``: the same comparison screening uses for
katakana loanwords, one way to do it). That key is compared with the same key of every registry city and
every distinctive word of a Latin-script registry name (Levenshtein similarity ≥ ``MIN_SIMILARITY``), so
places no table lists still read. A small data table (``techguard/text/data/place_readings.tsv``, :mod:`techguard.text.places`) holds the places whose
Japanese form is not a reading of the Latin one (ペキン = Beijing, モスクワ = Moscow, ウラジオストク =
Vladivostok) and their native forms (哈尔滨, 서울) for names the registry holds only in Chinese or Hangul.

A place read here decides nothing by itself: ``japanese`` accepts an institution only when the rest of the
name agrees with the registry's name for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from techguard.matching.japanese import reading
from techguard.matching.loanwords import consonant_count, consonant_skeleton, sound_fold, strip_epenthesis
from techguard.research.index import NameIndex
from techguard.research.normalise import fold
from techguard.research.vocabulary import GENERIC_WORDS, INSTITUTION_WORDS
from techguard.text.places import katakana_places
from techguard.text.scripts import KATAKANA_RUN, has_east_asian

MIN_SIMILARITY = 0.82  # sound keys of a katakana run and a Latin word
MIN_SKELETON = 4  # consonants an exact consonant-skeleton match needs
SKELETON_SIMILARITY = MIN_SIMILARITY
MIN_CONSONANTS = 3  # shorter runs (テグ, ソウル) read only through the table: too many words sound alike

_CJK_OR_DIGIT = re.compile(r"[^\x00-\u2e7f]")  # any character from the CJK ranges up


@dataclass(frozen=True, slots=True)
class PlaceReading:
    """One reading of a katakana run: the Latin names it stands for (folded), native forms, country."""

    written: str
    latin: tuple[str, ...]
    native: tuple[str, ...] = ()
    country: str | None = None
    how: str = "table"  # "table" or "sound ~ <registry word> (<similarity>)"
    city: bool = True  # the Latin name is a registry city (or a table entry), not only a word of a name


def read_data(name: str) -> list[list[str]]:
    text = resources.files("techguard.research").joinpath(f"data/{name}").read_text("utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ValueError(f"research/data/{name}, line {number}: expected at least two tab-separated columns")
        rows.append([c.strip() for c in cells])
    return rows


@lru_cache(maxsize=1)
def place_table() -> dict[str, PlaceReading]:
    table: dict[str, PlaceReading] = {}
    for katakana, place in katakana_places().items():  # the text layer's table, shared with screening
        table[katakana] = PlaceReading(katakana, tuple(fold(v) for v in place.latin),
                                       tuple(fold(n) if has_east_asian(n) else n for n in place.native),
                                       place.country)
    return table


def sound_keys(katakana: str) -> tuple[str, ...]:
    """The katakana run's sound keys: as read, and with epenthetic vowels removed."""
    words = reading(katakana).split()
    if not words:
        return ()
    return tuple(dict.fromkeys((sound_fold(strip_epenthesis(words)), sound_fold("".join(words)))))


def latin_sound_key(latin: str) -> str:
    return sound_fold(latin.replace(" ", ""))


class PlaceIndex:
    """Sound keys of the registry's cities and distinctive Latin name words, and the institutions behind
    each (positions in ``NameIndex.institutions``). Built once per resolver, on first use (about a second)."""

    def __init__(self, index: NameIndex) -> None:
        self._index = index
        self._built = False
        self.by_word: dict[str, set[int]] = {}
        self._keys: dict[str, list[str]] = {}
        self._choices: list[str] = []
        self._skeletons: dict[str, list[str]] = {}
        self._cities: set[str] = set()

    def _build(self) -> None:
        if self._built:
            return
        index = self._index
        by_word: dict[str, set[int]] = {}
        folded_city: dict[str, str] = {}
        self._cities = set()
        for position, institution in enumerate(index.institutions):
            city = institution.city
            if city and not has_east_asian(city):
                if city not in folded_city:
                    folded_city[city] = fold(city)
                by_word.setdefault(folded_city[city], set()).add(position)
                self._cities.add(folded_city[city])
        # The index's own folded name keys: no second pass of folding over every name.
        for key, postings in index.names.items():
            if _CJK_OR_DIGIT.search(key):
                continue
            words = [w for w in key.split() if len(w) >= 3 and w.isalpha() and w not in GENERIC_WORDS
                     and w not in INSTITUTION_WORDS]
            for word in words:
                by_word.setdefault(word, set()).update(p.institution for p in postings)
        self.by_word = by_word
        keys: dict[str, list[str]] = {}
        for word in by_word:
            keys.setdefault(latin_sound_key(word), []).append(word)
        self._keys = keys
        self._choices = list(keys)
        skeletons: dict[str, list[str]] = {}
        for word in by_word:
            skeleton = consonant_skeleton(word.replace(" ", ""))
            if consonant_count(skeleton) >= MIN_SKELETON:
                skeletons.setdefault(skeleton, []).append(word)
        self._skeletons = skeletons
        self._built = True

    def places(self, katakana: str) -> list[PlaceReading]:
        """Readings of ``katakana``: the table's, else the registry words that sound like it."""
        listed = place_table().get(katakana)
        if listed is not None:
            return [listed]
        self._build()
        keys = sound_keys(katakana)
        if not keys or consonant_count(consonant_skeleton(keys[0])) < MIN_CONSONANTS:
            return []
        best: dict[str, float] = {}
        for key in keys:
            for choice, similarity, _ in process.extract(key, self._choices, scorer=Levenshtein.normalized_similarity,
                                                         score_cutoff=MIN_SIMILARITY, limit=8):
                for word in self._keys[choice]:
                    best[word] = max(best.get(word, 0.0), similarity)
            # Same consonants in the same order (トムスク tmsk = Tomsk): vowels are what katakana changes most.
            for word in self._skeletons.get(consonant_skeleton(key), []):
                best[word] = max(best.get(word, 0.0), SKELETON_SIMILARITY)
        if not best:
            return []
        top = max(best.values())
        return [PlaceReading(katakana, (word,), how=f"sound ~ {word!r} ({similarity:.2f})", city=word in self._cities)
                for word, similarity in sorted(best.items()) if similarity == top]

    def institutions_at(self, place: PlaceReading) -> set[int]:
        """Institutions whose city is the place or whose Latin name holds it."""
        self._build()
        out: set[int] = set()
        for latin in place.latin:
            words = latin.split()
            found = set(self.by_word.get(latin, set()))
            if len(words) > 1:
                # "saint petersburg": the city as a whole, or every word of it in one name
                parts = [self.by_word.get(w, set()) for w in words]
                found |= set.intersection(*parts) if all(parts) else set()
            out |= found
        return out


__all__ = ["KATAKANA_RUN", "MIN_SIMILARITY", "PlaceIndex", "PlaceReading", "latin_sound_key", "place_table", "read_data",
           "sound_keys"]
