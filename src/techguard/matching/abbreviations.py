"""Aligning one word with several: acronyms, syllabic abbreviations and run-together compounds.

- acronym: ``KCST`` = Korean Committee for Space Technology (stopwords may be skipped);
- syllabic abbreviation, the Russian habit: ``PROMTEKH`` = PROMyshlennye TEKHnologii, ``GAZPROM`` =
  GAZovaya PROMyshlennost — the word is the concatenation of the starts of consecutive words;
- compound: ``AEROCARIBBEAN`` = AERO CARIBBEAN;
- company acronyms that keep the start of the company word: ``IASCO`` = Iran Alloy Steel COmpany,
  ``HOSCO`` = HOrmozgan Steel COmpany,
  ``SJSCO`` = Sirjan Jahan Steel COmplex, ``GAESA`` = Grupo de Administracion Empresarial S.A., or that
  end at the legal form: ``CNEC`` = China Nuclear Engineering Corporation (Limited).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from techguard.matching.tokens import STOPWORDS, WORD_INITIALS, phonetic, skeleton

# Each piece of a syllabic abbreviation is at least this long (shorter pieces would match anything).
MIN_SYLLABLE = 2
MAX_SPAN = 6
# The words whose first two letters end an acronym (the -CO of Iranian and Chinese company acronyms:
# NICICO, SEDCO, ZISCO; the -SA of Spanish ones: GAESA). Only at the end: a CO inside an acronym is two
# initials far more often than one word.
TWO_LETTER_ENDINGS = frozenset({"co", "company", "complex", "corp", "corporation", "cooperative", "sa"})
# Generic company words an acronym may keep or leave out (CETC = China Electronics Technology [Group]
# Corporation, CSGC = China South [Industries] Group Corporation, CSICP = China Shipbuilding Industry
# [Group] Power Company): taken when the acronym has their letter next, skipped otherwise.
SKIPPABLE = frozenset({"group", "industry", "industries", "holding", "holdings", "corporation", "company"})
MAX_SKIPPABLE = 3  # a name's acronyms are posted for every choice of these words: 2 ** 3 at most
MIN_FUZZY_COMPOUND = 6  # letters; shorter compounds must be exact
FUZZY_COMPOUND = 0.85


@dataclass(frozen=True, slots=True)
class SpanMatch:
    word: int  # index of the single word
    start: int  # first index of the matched run of words on the other side
    end: int  # one past the last index
    how: str  # "acronym" | "syllabic" | "compound"
    similarity: float


def _acronym_of(words: tuple[str, ...], word: str) -> tuple[int, int] | None:
    for start in range(len(words)):
        letters: list[str] = []
        for end in range(start, min(len(words), start + MAX_SPAN * 2)):
            w = words[end]
            if w in STOPWORDS and letters:
                continue
            if end > start and w in TWO_LETTER_ENDINGS and "".join(letters) + w[:2] == word:
                return start, end + 1  # IASCO = Iran Alloy Steel COmpany
            if letters and w in SKIPPABLE and not word.startswith("".join(letters) + w[0]):
                continue  # CETC = China Electronics Technology (Group) Corporation
            letters.append(WORD_INITIALS.get(w, w[0]))
            joined = "".join(letters)
            if not word.startswith(joined):
                break
            if joined == word and end > start:
                return start, end + 1
    return None


def _company_acronym(words: tuple[str, ...], word: str) -> tuple[int, int] | None:
    """HOSCO = HOrmozgan Steel COmpany: the first word gives two letters, each next word one, the company
    word its first two (at least one word between)."""
    for start in range(len(words)):
        letters = words[start][:2]
        if not word.startswith(letters):
            continue
        for end in range(start + 1, min(len(words), start + MAX_SPAN * 2)):
            w = words[end]
            if w in STOPWORDS:
                continue
            if end > start + 1 and w in TWO_LETTER_ENDINGS and letters + w[:2] == word:
                return start, end + 1
            letters += w[0]
            if not word.startswith(letters):
                break
    return None


def _syllabic(word: str, words: tuple[str, ...], start: int, pos: int, depth: int) -> int | None:
    """End index when ``word[pos:]`` is made of starts of ``words[start:]`` (each ≥ MIN_SYLLABLE);
    stopwords between them may be skipped (COLCERDOS = COLombiana de CERDOS)."""
    if pos == len(word):
        return start if depth >= 2 else None
    if start >= len(words) or depth >= MAX_SPAN:
        return None
    candidate = words[start]
    if depth > 0 and candidate in STOPWORDS and start + 1 < len(words):
        skipped = _syllabic(word, words, start + 1, pos, depth)
        if skipped is not None:
            return skipped
    longest = 0
    while (
        longest < len(candidate) and pos + longest < len(word) and candidate[longest] == word[pos + longest]
    ):
        longest += 1
    for size in range(longest, MIN_SYLLABLE - 1, -1):
        end = _syllabic(word, words, start + 1, pos + size, depth + 1)
        if end is not None:
            return end
    return None


@lru_cache(maxsize=262144)
def align_span(word: str, words: tuple[str, ...]) -> SpanMatch | None:
    """How ``word`` stands for a run of ``words``, if it does (``word`` index left to the caller: 0)."""
    if len(word) < 2 or not word.isalpha():
        return None
    first = word[0]
    if not any(w[0] == first or (first == "k" and w[0] == "c") for w in words):
        return None  # every kind of alignment starts with the first word's first letter
    for start in range(len(words)):
        # compound: concatenation of 2+ whole words, exact or nearly (HARKATUL = HARAKAT UL)
        joined = words[start]
        for end in range(start + 1, min(len(words), start + MAX_SPAN)):
            joined += words[end]
            if len(joined) > len(word) + 2:
                break
            if joined == word:
                return SpanMatch(0, start, end + 1, "compound", 1.0)
            if len(word) >= MIN_FUZZY_COMPOUND and joined[0] == word[0]:
                similarity = Levenshtein.normalized_similarity(joined, word)
                if similarity >= FUZZY_COMPOUND:
                    return SpanMatch(0, start, end + 1, "compound", similarity)
                if abs(len(joined) - len(word)) <= 1 and skeleton(joined) == skeleton(word):
                    # Arabic names romanised with other vowels: ABD AL-MALIK / ABDELMALEK
                    return SpanMatch(0, start, end + 1, "compound", FUZZY_COMPOUND)
    if 3 <= len(word) <= 8:
        found = _acronym_of(words, word) or (_company_acronym(words, word) if len(word) >= 5 else None)
        if found is not None:
            # a three-letter acronym is a weak clue (thousands of names share initials)
            return SpanMatch(0, found[0], found[1], "acronym", 0.75 if len(word) == 3 else 0.88)
    if len(word) >= 5:
        for variant, variant_words in ((word, words), (_k(word), tuple(_k(w) for w in words))):
            for start in range(len(variant_words)):
                if not variant_words[start].startswith(variant[:MIN_SYLLABLE]):
                    continue
                stop = _syllabic(variant, variant_words, start, 0, 0)
                if stop is not None:
                    return SpanMatch(0, start, stop, "syllabic", 0.85)
    return None


# an acronym or a syllabic abbreviation may take letters from the legal form (IRALCO = IRan ALuminum COmpany)
_WHOLE_NAME_HOWS = frozenset({"acronym", "syllabic"})


def covers_core(span: SpanMatch, tokens: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Does an acronym found among ``words`` (core words and legal forms) stand for every core word (the
    ``tokens``)? Then it names the whole name even if trailing legal forms are left out (CNEC = China
    Nuclear Engineering Corporation Limited)."""
    covered = words[span.start : span.end]
    return span.how in _WHOLE_NAME_HOWS and all(t in covered for t in tokens) and len(covered) > len(tokens)


def legal_form_acronyms(tokens: tuple[str, ...], words: tuple[str, ...]) -> set[str]:
    """:func:`_legal_form_acronyms` of the name and of the name without each choice of its generic company
    words after the first word (CETC = China Electronics Technology [Group] Corporation), with the plain
    initials of each such shorter name."""
    found = _legal_form_acronyms(tokens, words)
    inner = [k for k, w in enumerate(words) if k > 0 and w in SKIPPABLE]
    if not inner or len(inner) > MAX_SKIPPABLE or not all(w[:1].isalpha() for w in words):
        return found
    for mask in range(1, 2 ** len(inner)):
        dropped = {inner[b] for b in range(len(inner)) if mask >> b & 1}
        kept = tuple(w for k, w in enumerate(words) if k not in dropped)
        kept_tokens = tuple(t for t in tokens if t in kept)
        found |= _legal_form_acronyms(kept_tokens, kept)
        acronym = "".join(w[0] for w in kept if w not in STOPWORDS)
        if len(acronym) >= 3:
            found.add(acronym)
    return found


def _legal_form_acronyms(tokens: tuple[str, ...], words: tuple[str, ...]) -> set[str]:
    """The acronyms of a name that take letters from its legal-form words (posted as index keys so that
    IASCO finds IRAN ALLOY STEEL COMPANY and CNEC finds CHINA NUCLEAR ENGINEERING CORPORATION LIMITED):
    the initials up to each word after the last core word, the last word also giving two letters when it is
    a company word. Core words are every word when the name has no legal form (SJSCO)."""
    found: set[str] = set()
    if len(words) < 2 or not all(w[:1].isalpha() for w in words):
        return found
    last_core = max((k for k, w in enumerate(words) if w in tokens), default=-1)
    letters = ""
    first_two = ""  # the first word giving two letters (HOSCO = HOrmozgan Steel COmpany)
    for end, w in enumerate(words):
        if w in STOPWORDS and letters:
            continue
        if end >= last_core and end > 0:
            if end > last_core and len(letters) + 1 >= 3:
                found.add(letters + w[0])
            if w in TWO_LETTER_ENDINGS and len(letters) >= 2:
                found.add(letters + w[:2])
                found.add(first_two + w[:2])
        letters += w[0]
        first_two += w[:2] if not first_two else w[0]
    return found


# Persian and Arabic names are joined differently by every romanisation (SOLTANMOHAMMADI / SULTAN MOHMADI,
# JAFARIBANDARABADI / BANDARABADI ... JAFARI): each pair of neighbouring words, and the last word with the
# first (the surname of "LAST, First" moves), is looked up run together by its consonants.
MIN_JOINED_PART = 3  # ALI ZAHEER = ALIZAHEER, ABD ALLAH = ABDALLAH (the article AL is not)


def joined_pair_keys(tokens: tuple[str, ...]) -> set[str]:
    """``k:`` index keys of two of the query's words written as one (consonant skeleton of the join)."""
    words = [t for t in tokens if len(t) >= MIN_JOINED_PART and t.isalpha() and t not in STOPWORDS]
    if len(words) < 2:
        return set()
    pairs = [*pairwise(words), (words[-1], words[0])]
    return {"k:" + skeleton(phonetic(a + b)) for a, b in pairs}


def _k(word: str) -> str:
    # SOVCOMFLOT = SOVremennyi KOMmercheskii FLOT: romanisations disagree on c/k and x/ks
    return word.replace("c", "k").replace("x", "ks")


__all__ = [
    "MAX_SPAN",
    "MIN_SYLLABLE",
    "SKIPPABLE",
    "TWO_LETTER_ENDINGS",
    "SpanMatch",
    "align_span",
    "covers_core",
    "joined_pair_keys",
    "legal_form_acronyms",
]
