"""Bounded typo matching for long, distinctive names ("Max Plank Institute for Evolutionary Biology",
"Christian-Albrechts-Univertsität zu Kiel").

Fuzzy similarity is what makes near-miss names match wrongly ("Nanjing University" vs "Nanjing University of
Aeronautics and Astronautics", "Max Planck Institute for Biochemistry" vs "... for Chemistry", "Northeastern" vs
"Northwestern"), so a typo is accepted only when

- the name has at least three words (loose key, see ``variants``) and the text has as many;
- exactly one word differs, by one edit (insertion, deletion, substitution or transposition of neighbours);
- that word is at least five letters long in both spellings, is no generic word ("national", "medical",
  "northern" ...), holds no digit, and is not the other with an ending added ("Indian" / "Indiana");
- the word as written is no word of any registry name: "Henan" / "Hunan", "Shanxi" / "Shaanxi" are two
  provinces, not a typo;
- the resolver then applies its usual rules (country, city, ambiguity) to the institution found.

Candidates come from blocks of names with the same word count and the same first (or last) word, searched with
rapidfuzz; the blocks are built with the index and cached with it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from techguard.research.vocabulary import GENERIC_WORDS

MIN_WORDS = 3
MIN_WORD_LENGTH = 5


Blocks = dict[tuple[str, int], list[str]]


def block_keys(words: list[str]) -> tuple[tuple[str, int], tuple[str, int]]:
    """(first word, spaces) and ("$" + last word, spaces): a typo leaves one of the two intact."""
    return (words[0], len(words) - 1), ("$" + words[-1], len(words) - 1)


def build_blocks(loose_keys: Iterable[str]) -> Blocks:
    """Loose keys of three words or more, by (first word, word count) and (last word, word count)."""
    blocks: Blocks = {}
    for key in set(loose_keys):
        spaces = key.count(" ")
        if spaces < MIN_WORDS - 1:
            continue
        blocks.setdefault((key[: key.find(" ")], spaces), []).append(key)
        blocks.setdefault(("$" + key[key.rfind(" ") + 1:], spaces), []).append(key)
    return blocks


def _one_word_typo(text_words: list[str], name_words: list[str], known: Collection[str]) -> tuple[str, str] | None:
    if len(text_words) != len(name_words):
        return None
    differing = [(a, b) for a, b in zip(text_words, name_words, strict=True) if a != b]
    if len(differing) != 1:
        return None
    written, name = differing[0]
    if (min(len(written), len(name)) < MIN_WORD_LENGTH or written in GENERIC_WORDS or name in GENERIC_WORDS
            or any(c.isdigit() for c in written + name) or written in known):
        return None
    if written.startswith(name) or name.startswith(written):
        return None  # an ending added or dropped is another word: "Indian" / "Indiana", "Normal" / "Normale"
    return (written, name) if OSA.distance(written, name) == 1 else None


def find_typo(
    words: list[str], blocks: Blocks, known: Collection[str]
) -> tuple[str, str, str] | None:
    """The one name key ``words`` (a loose key's words) misspells, as (key, written word, registry word);
    ``known`` holds every word of every registry name."""
    if len(words) < MIN_WORDS:
        return None
    query = " ".join(words)
    hits: dict[str, tuple[str, str]] = {}
    for block in block_keys(words):
        choices = blocks.get(block)
        if not choices:
            continue
        for key, _, _ in process.extract(query, choices, scorer=Levenshtein.distance, score_cutoff=2, limit=8):
            typo = _one_word_typo(words, key.split(), known)
            if typo is not None:
                hits[key] = typo
    if len(hits) != 1:
        return None  # none, or two names one typo away: not distinctive enough
    key, (written, name) = next(iter(hits.items()))
    return key, written, name


__all__ = ["MIN_WORDS", "MIN_WORD_LENGTH", "Blocks", "build_blocks", "find_typo"]
