"""Romanisation of non-Latin alphabets.

Cyrillic uses the scheme OFAC and BIS use for Russian names (a BGN/PCGN variant without diacritics:
Щ → SHCH, Ы → Y, Х → KH, Ц → TS, Ж → ZH), so a listed "TSIFROVYE" meets a query "Цифровые". Other
alphabets (Greek, Arabic, Hebrew, Hangul, ...) go through anyascii (ISC licence), which is good enough as a
fallback key; Han and kana are handled by :mod:`~techguard.matching.chinese` and
:mod:`~techguard.matching.japanese` because their reading depends on the language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from techguard.text.scripts import Script, char_script

_CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian letters, as OFAC renders them
    "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u",
    # other Cyrillic alphabets met on the lists (Serbian, Macedonian, Kazakh)
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}  # fmt: skip


@lru_cache(maxsize=65536)
def cyrillic_to_latin(text: str) -> str:
    """Russian-style romanisation of the Cyrillic letters in ``text`` (other characters kept)."""
    out: list[str] = []
    for position, char in enumerate(text):
        lower = char.lower()
        mapped = _CYRILLIC.get(lower)
        if mapped is None:
            out.append(char)
        elif char != lower:
            # Щука → Shchuka, but ЩУКА → SHCHUKA
            following = text[position + 1 : position + 2]
            out.append(mapped.capitalize() if following.islower() else mapped.upper())
        else:
            out.append(mapped)
    return "".join(out)


# Hangul through anyascii comes out in Revised Romanisation, syllables run together (김정은 → GimJeongEun);
# the lists write Korean names in McCune-Reischauer habits, a syllable per word (KIM Jong Un, PAK Pong Ju).
# So each syllable becomes a word, with the vowels and voiceless first/last consonants of McCune-Reischauer.
_HANGUL_VOWELS = (("eo", "o"), ("eu", "u"), ("ae", "ae"))
_HANGUL_INITIAL = {"g": "k", "d": "t", "b": "p"}
_HANGUL_FINAL = {"g": "k", "d": "t", "b": "p"}


def _hangul_syllable(syllable: str) -> str:
    text = syllable.lower()
    for old, new in _HANGUL_VOWELS:
        text = text.replace(old, new)
    if text and text[0] in _HANGUL_INITIAL:
        text = _HANGUL_INITIAL[text[0]] + text[1:]
    elif text.startswith("l"):
        # a syllable-initial ㄹ is R (리 = RI, 룡 = RYONG, as North Korean names are listed); a final one is L
        text = "r" + text[1:]
    if len(text) > 1 and text[-1] in _HANGUL_FINAL and text[-2] != "n":  # -ng stays
        text = text[:-1] + _HANGUL_FINAL[text[-1]]
    return text


def hangul_to_latin(text: str) -> str:
    """``김정은`` → ``kim jong un``; ``박봉주`` → ``pak pong ju``: one word per syllable."""
    out: list[str] = []
    for char in text:
        if char_script(char) is Script.HANGUL:
            out.append(" " + _hangul_syllable(anyascii(char)) + " ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


# Greek digraphs romanised as names are written in English (Παπαδόπουλος = PAPADOPOULOS, not PAPADOPOYLOS)
_GREEK_DIGRAPHS = (("ου", "ou"), ("ΟΥ", "OU"), ("Ου", "Ou"), ("ού", "ou"), ("ΟΎ", "OU"))


@lru_cache(maxsize=65536)
def to_latin(text: str) -> str:
    """Romanise every alphabetic non-Latin character except Han and kana (which are left unchanged)."""
    for greek, latin in _GREEK_DIGRAPHS:
        text = text.replace(greek, latin)
    out: list[str] = []
    for char in text:
        script = char_script(char)
        if script is Script.CYRILLIC:
            out.append(cyrillic_to_latin(char))
        elif script is Script.HANGUL:
            out.append(" " + _hangul_syllable(anyascii(char)) + " ")
        elif script in (None, Script.LATIN, Script.HAN, Script.KANA):
            out.append(char)
        else:
            out.append(anyascii(char))
    return "".join(out)


_GREEK_ENDING = re.compile(r"(?<=[bcdfgkmnpstvxz])ros$|(?:os|as|is|es|ys)$")


def greek_english_forms(romanised: str) -> str:
    """The English forms of romanised Greek names: the Greek nominative ending goes (-os, -as, -is, -es),
    and -ros after a consonant is English -er, as in every name English took from Greek through Latin
    (Alexandros → ALEXANDER, Petros → PETER, Christoforos → CHRISTOPHER, Georgios → GEORGI ≈ GEORGE).
    Words of four letters or fewer are left alone; the letter-by-letter key stays beside this one."""
    out: list[str] = []
    for word in romanised.split():
        if len(word) > 4:
            word = _GREEK_ENDING.sub(lambda m: "er" if m.group(0) == "ros" else "", word)
        out.append(word)
    return " ".join(out)


_SLAVIC_H = re.compile(r"(?<![kzsctg])h")
# Belarusian Ў (a U that closes a syllable) where Russian has В: ULADZIMIR / VLADIMIR, ZIMOUSKY / ZIMOVSKY,
# BARSUKOU / BARSUKOV: a U at the start before a consonant, or after a vowel before a consonant or the end
_SLAVIC_SHORT_U = re.compile(r"(?:^|(?<=[aeiouy]))u(?=[^aeiouy]|$)")
_SLAVIC_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=131072)
def east_slavic_skeleton(word: str) -> str:
    """What the Ukrainian, Belarusian and Russian romanisations of one East Slavic name share. Ukrainian and
    Belarusian Г is romanised H where Russian has G (HENADZ / GENADZ, HOTSANIUK / GOTSANIUK); Belarusian
    writes ДЗ and ЦЬ where Russian has Д and ТЬ (DZMITRY / DMITRY); and the three spell the vowels
    differently (Belarusian akanye: ALIAKSANDR / ALEKSANDR; Ukrainian і: KHARKIV / KHARKOV). So: H → G
    (not in KH, ZH, SH, CH, TS), DZ → D, Belarusian Ў (U) → V, and the consonants only, doubled letters
    once."""
    word = _SLAVIC_SHORT_U.sub("v", word.replace("dz", "d"))
    word = _SLAVIC_H.sub("g", word)
    out: list[str] = []
    for char in word:
        if char in _SLAVIC_VOWELS or (out and char == out[-1]):
            continue
        out.append(char)
    return "".join(out)


_ABJAD_DIGRAPHS = (
    ("kh", "k"), ("ch", "k"), ("c", "k"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("gh", "k"), ("q", "k"),
    ("ou", "u"),
)  # fmt: skip
_WEAK_LETTERS = frozenset("aeiouyw")


@lru_cache(maxsize=131072)
def abjad_skeleton(word: str) -> str:
    """What an Arabic or Hebrew spelling and its vowelled romanisation share: the consonants, with vowels,
    long-vowel letters (y, w) and a final h dropped (``mhmd`` = ``mohamed``, ``hmdy`` = ``ahmadi``,
    ``lvy`` = ``levi``, ``khn`` = ``cohen``)."""
    for old, new in _ABJAD_DIGRAPHS:
        word = word.replace(old, new)
    if not word:
        return ""
    if len(word) > 3 and word.endswith("h"):
        word = word[:-1]
    # a leading alef is often not romanised at all (احمدی → HMDY = AHMADI): vowels count nowhere
    out: list[str] = []
    for char in word:
        if char in _WEAK_LETTERS or (out and char == out[-1]):
            continue
        out.append(char)
    return "".join(out)


__all__ = [
    "abjad_skeleton",
    "cyrillic_to_latin",
    "east_slavic_skeleton",
    "greek_english_forms",
    "hangul_to_latin",
    "to_latin",
]
