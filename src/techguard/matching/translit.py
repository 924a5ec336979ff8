"""Romanisation of non-Latin alphabets.

Cyrillic uses the scheme OFAC and BIS use for Russian names (a BGN/PCGN variant without diacritics:
Щ → SHCH, Ы → Y, Х → KH, Ц → TS, Ж → ZH), so a listed "TSIFROVYE" meets a query "Цифровые". Other
alphabets (Greek, Arabic, Hebrew, Hangul, ...) go through anyascii (ISC licence), which is good enough as a
fallback key; Han and kana are handled by :mod:`~techguard.matching.chinese` and
:mod:`~techguard.matching.japanese` because their reading depends on the language.
"""

from __future__ import annotations

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


@lru_cache(maxsize=65536)
def to_latin(text: str) -> str:
    """Romanise every alphabetic non-Latin character except Han and kana (which are left unchanged)."""
    out: list[str] = []
    for char in text:
        script = char_script(char)
        if script is Script.CYRILLIC:
            out.append(cyrillic_to_latin(char))
        elif script in (None, Script.LATIN, Script.HAN, Script.KANA):
            out.append(char)
        else:
            out.append(anyascii(char))
    return "".join(out)


__all__ = ["cyrillic_to_latin", "to_latin"]
