"""The lookup index over a registry: folded name -> institutions, acronym -> institutions, cached on disk.

Building it folds ~200k names (opencc for the CJK ones), which takes seconds; the index is pickled in the data
directory keyed by the registry file's sha256, so later runs load it in well under a second.
"""

from __future__ import annotations

import gc
import pickle
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from techguard.research.geo import country_names
from techguard.research.normalise import acronym_key, fold, fold_tokens
from techguard.research.registry import Institution, NameKind, Registry
from techguard.research.shortforms import cjk_short_forms
from techguard.research.typos import Blocks, build_blocks
from techguard.research.variants import loose_key
from techguard.research.vocabulary import GENERIC_WORDS, INSTITUTION_WORDS
from techguard.text.scripts import has_east_asian

INDEX_VERSION = 19  # 19: Han folded by the text layer's fold_han, as screening folds it (防衛 = 防卫)

# Strength of each kind of name as evidence; lower index = stronger.
KIND_ORDER = (NameKind.DISPLAY, NameKind.LABEL, NameKind.ALIAS, NameKind.ACRONYM)

_CJK_KEY = re.compile(r"[^\x00-\u2e7f]")  # any character from the CJK ranges up (a quick has_east_asian for keys)
_TRAILING_PARENTHESIS = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


class Posting(NamedTuple):
    """One institution reachable under a key, and how (which kind of name, which original value).

    A NamedTuple with the kind as a plain string: unpickling 150k of these is ~4x faster than slotted
    dataclasses holding enum members (each enum member is a constructor call on load)."""

    institution: int  # position in NameIndex.institutions
    kind: str  # a NameKind value
    value: str


@dataclass(slots=True)
class NameIndex:
    institutions: list[Institution]
    names: dict[str, list[Posting]] = field(default_factory=dict)
    acronyms: dict[str, list[Posting]] = field(default_factory=dict)
    loose: dict[str, list[Posting]] = field(default_factory=dict)  # loose key -> postings, where not the same key
    # A name without its own city at the end ("Washington University" of "Washington University in St. Louis"):
    # matched only when that city is written elsewhere in the text.
    cores: dict[str, list[Posting]] = field(default_factory=dict)
    # The same cores by their loose key (``variants.loose_key``) where it differs: "Goethe University" for the
    # core "goethe universitat" of "Goethe-Universität Frankfurt am Main".
    loose_cores: dict[str, list[Posting]] = field(default_factory=dict)
    typo_blocks: Blocks = field(default_factory=dict)  # see ``typos.build_blocks``
    vocabulary: frozenset[str] = frozenset()  # every loose word of a registry name (never a typo)
    cities: frozenset[str] = frozenset()  # folded city names of every institution (location corroboration)
    max_tokens: int = 1
    registry_sha256: str = ""

    def institution(self, posting: Posting) -> Institution:
        return self.institutions[posting.institution]


def _add(table: dict[str, list[Posting]], key: str, posting: Posting) -> None:
    if not key:
        return
    postings = table.setdefault(key, [])
    for i, existing in enumerate(postings):
        if existing.institution == posting.institution:
            if KIND_ORDER.index(posting.kind) < KIND_ORDER.index(existing.kind):
                postings[i] = posting
            return
    postings.append(posting)


def build_index(registry: Registry) -> NameIndex:
    """Index every name of every institution that is not withdrawn (withdrawn ROR ids are duplicates)."""
    institutions = [i for i in registry if i.status != "withdrawn"]
    index = NameIndex(institutions=institutions, registry_sha256=registry.sha256)
    cities: set[str] = set()
    loose_of: dict[str, str] = {}  # folded key -> loose key (Latin-script keys)
    longest = 1
    for position, institution in enumerate(institutions):
        if institution.city:
            cities.add(fold(institution.city))
        for name in institution.names:
            if name.kind == NameKind.ACRONYM:
                _add(index.acronyms, acronym_key(name.value), Posting(position, name.kind, name.value))
                continue
            variants = {name.value}
            # ROR disambiguates duplicate names with a trailing "(Country)" or "(City)"; index both forms.
            # Only a country or the city is dropped: other parentheses carry meaning ("IIT (BHU)").
            stripped = _TRAILING_PARENTHESIS.sub("", name.value)
            if stripped and stripped != name.value:
                inside = fold(name.value[len(stripped):])
                if inside in country_names() or (institution.city and inside == fold(institution.city)):
                    variants.add(stripped)
            for variant in variants:
                tokens = fold_tokens(variant)
                if not tokens:
                    continue
                longest = max(longest, len(tokens))
                key = " ".join(tokens)
                _add(index.names, key, Posting(position, name.kind, name.value))
                if key not in loose_of and not _CJK_KEY.search(key):
                    loose_of[key] = loose_key(tokens)
                elif len(tokens) == 1 and has_east_asian(key):
                    # 国防科技大学 for 中国人民解放军国防科学技术大学: the short forms as aliases
                    for short in cjk_short_forms(key):
                        _add(index.names, short, Posting(position, NameKind.ALIAS.value, name.value))
            # Short all-caps aliases written like acronyms ("UTokyo" is not, "KAIST" is) also go in the
            # acronym table, so they need the same supporting context.
            if name.kind == NameKind.ALIAS and not has_east_asian(name.value) and name.value.isupper():
                _add(index.acronyms, acronym_key(name.value), Posting(position, NameKind.ACRONYM.value, name.value))
    _add_city_forms(index)
    names = index.names
    for key, loose in loose_of.items():
        if loose and loose != key:
            for posting in names[key]:
                _add(index.loose, loose, posting)
    loose_keys = [*loose_of.values(), *index.loose]
    index.typo_blocks = build_blocks(loose_keys)
    index.vocabulary = frozenset(" ".join(loose_keys).split())
    index.cities = frozenset(c for c in cities if c)
    index.max_tokens = min(longest, 24)
    return index


def _add_city_forms(index: NameIndex) -> None:
    """Names ending in the institution's own city: their core goes to ``cores``; and a generic name "of" the
    city ("University of Copenhagen", "University Hospital Heidelberg") also gets the city-first order
    ("Copenhagen University", "Heidelberg University Hospital") as a loose key, and the other way round
    ("Heidelberg University" -> "University of Heidelberg"), unless that is another name."""
    additions: list[tuple[str, Posting]] = []
    city_of = [fold(i.city) if i.city else "" for i in index.institutions]
    for key, postings in index.names.items():
        for posting in postings:
            city = city_of[posting.institution]
            if not city or city not in key:
                continue
            if key.startswith(city + " "):
                # "Heidelberg University" is also written "University of Heidelberg".
                rest = key[len(city) + 1:].split()
                if (1 <= len(rest) <= 3 and all(w in GENERIC_WORDS for w in rest)
                        and any(w in INSTITUTION_WORDS for w in rest)):
                    swapped = loose_key([*rest, city])
                    if swapped not in index.names:
                        additions.append((swapped, posting))
            if not key.endswith(" " + city):
                continue
            core = key[: -len(city) - 1].split()
            while core and core[-1] in _CITY_LINKS:
                core.pop()
            if len(core) >= 2 and not all(w in GENERIC_WORDS for w in core):
                _add(index.cores, " ".join(core), posting)
            if (1 <= len(core) <= 3 and all(w in GENERIC_WORDS for w in core) and core[-1] not in _CITY_LINKS
                    and any(w in INSTITUTION_WORDS for w in core)):
                swapped = loose_key(f"{city} {' '.join(core)}".split())
                if swapped not in index.names:
                    additions.append((swapped, posting))
    for swapped, posting in additions:
        _add(index.loose, swapped, posting)
    for core_key, core_postings in index.cores.items():
        loose = loose_key(core_key.split())
        if loose and loose != core_key:
            for posting in core_postings:
                _add(index.loose_cores, loose, posting)


# Words between a name and its city: "University of North Carolina at Chapel Hill", "... in St. Louis".
_CITY_LINKS = frozenset({"at", "in", "of", "de", "di", "du", "zu"})


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or unpickling ~10^6 small objects.

    None of them form cycles, and collections triggered by the allocations alone multiply the load time
    (measured: 5.6 s -> 1.0 s for the 51k-record index)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_pickle(path: Path) -> object:
    with path.open("rb") as handle, gc_paused():
        return pickle.load(handle)


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"ror-index-v{INDEX_VERSION}-{sha256[:24]}.pickle"


def load_or_build_index(registry: Registry, cache_dir: Path | None) -> NameIndex:
    """The index for ``registry``, from ``cache_dir`` when a cache for the same file sha256 exists."""
    if cache_dir is None or not registry.sha256:
        return build_index(registry)
    path = _cache_path(cache_dir, registry.sha256)
    if path.is_file():
        cached = _load_pickle(path)
        if isinstance(cached, NameIndex) and cached.registry_sha256 == registry.sha256:
            return cached
    with gc_paused():
        index = build_index(registry)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return index


def cached_index_for_file(path: Path, sha256: str, cache_dir: Path) -> NameIndex | None:
    """A cached index for a registry file whose sha256 is known, without parsing the file at all."""
    cache = _cache_path(cache_dir, sha256)
    if not cache.is_file():
        return None
    cached = _load_pickle(cache)
    return cached if isinstance(cached, NameIndex) and cached.registry_sha256 == sha256 else None


__all__ = ["INDEX_VERSION", "NameIndex", "Posting", "build_index", "cached_index_for_file", "gc_paused", "load_or_build_index"]
