"""Korean names in their several romanisations: TAEJIN = DAIZIN = TAECHIN = DAEJIN = TAIJIN (대진).

McCune–Reischauer (North Korea's habit: T'AEJIN, CH'ŎNG), the Revised Romanisation (DAEJIN, CHEONG) and
older or Japanese-style spellings (DAIZIN, CHONG) disagree on exactly the letters Korean does not tell apart
by themselves: the lax stops between voiced and voiceless (D/T, G/K, B/P, J/CH), the vowel written AE or AI,
EO / O / Ŏ and EU / U / Ŭ, and a Japanese-style Z for J. A word folded by these correspondences is compared
as the same word, but only where one of the two names is Korean (a Hangul key, or a name with KOREA or
another Korean place word: a romanisation rule says nothing about English or Spanish names) and only for
words that read as Korean syllables throughout.
"""

from __future__ import annotations

import re
from functools import lru_cache

from techguard.matching.tokens import single_letters

# The words that make a romanised name Korean (the lists write North Korean companies and bodies with them).
KOREAN_CONTEXT = frozenset({"korea", "korean", "dprk", "pyongyang", "chosun", "choson", "joseon", "chosŏn"})
MIN_KOREAN_WORD = 5  # shorter romanised syllables (KIM / GIM, DONG / TONG) meet too many other names

# one romanised syllable: an optional initial, a vowel, an optional final (McCune–Reischauer, Revised and
# older spellings together; the breve of Ŏ / Ŭ folded away before)
_SYLLABLE = (
    r"(?:kk|gg|tt|dd|pp|bb|ss|jj|tch|ch|sh|k|g|n|d|t|r|l|m|b|p|s|j|z|h)?"
    r"(?:yae|yeo|wae|ae|ai|ya|eo|eu|oe|ei|ye|yo|yu|wa|wo|we|wi|ui|oo|a|o|e|u|i)"
    r"(?:ng|k|g|n|t|l|r|m|p|b)?"
)
_KOREAN_WORD = re.compile(f"(?:{_SYLLABLE})+")
# applied in order: longer spellings first
_FOLDS = (
    ("ŏ", "o"), ("ŭ", "u"), ("'", ""), ("tch", "j"), ("ch", "j"), ("z", "j"), ("sh", "s"),
    ("eo", "o"), ("eu", "u"), ("ai", "ae"), ("oo", "u"), ("d", "t"), ("g", "k"), ("b", "p"), ("r", "l"),
)  # fmt: skip


@lru_cache(maxsize=65536)
def korean_fold(word: str) -> str:
    """What the romanisations of one Korean word share (``daizin`` → ``taejin``), or ``""`` when the word
    does not read as Korean syllables."""
    text = word.lower().replace("ŏ", "o").replace("ŭ", "u").replace("'", "")
    if len(text) < MIN_KOREAN_WORD or not _KOREAN_WORD.fullmatch(text):
        return ""
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    return single_letters(text)  # doubled (tense) consonants: TT / DD / T


def is_korean_name(words: tuple[str, ...]) -> bool:
    return any(w in KOREAN_CONTEXT for w in words)


def same_korean_word(a: str, b: str) -> bool:
    """Two spellings of one Korean word (the caller checks that one of the names is Korean)."""
    if a == b:
        return False
    folded = korean_fold(a)
    return bool(folded) and folded == korean_fold(b)


def korean_variant_keys(tokens: tuple[str, ...]) -> set[str]:
    """``r:`` index keys of a Korean-looking word: its fold (listed names and queries post the same)."""
    return {"r:" + f for f in (korean_fold(t) for t in tokens if t.isalpha()) if f}


__all__ = [
    "KOREAN_CONTEXT",
    "is_korean_name",
    "korean_fold",
    "korean_variant_keys",
    "same_korean_word",
]
