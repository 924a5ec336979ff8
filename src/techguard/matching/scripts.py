"""Which writing systems a name uses: decides which match keys (translit, reading, pinyin) it gets."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache


class Script(StrEnum):
    LATIN = "Latin"
    CYRILLIC = "Cyrillic"
    GREEK = "Greek"
    ARABIC = "Arabic"
    HEBREW = "Hebrew"
    HAN = "Han"
    KANA = "Kana"
    HANGUL = "Hangul"
    OTHER = "Other"


# Unicode block ranges are enough here: we only need to route a character to the right romaniser.
_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0x0370, 0x03FF, Script.GREEK),
    (0x1F00, 0x1FFF, Script.GREEK),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x0590, 0x05FF, Script.HEBREW),
    (0x0600, 0x06FF, Script.ARABIC),
    (0x0750, 0x077F, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x3040, 0x30FF, Script.KANA),
    (0x31F0, 0x31FF, Script.KANA),
    (0xFF66, 0xFF9F, Script.KANA),
    (0x3005, 0x3007, Script.HAN),  # 々 〆 〇 behave like kanji in names
    (0x3400, 0x4DBF, Script.HAN),
    (0x4E00, 0x9FFF, Script.HAN),
    (0xF900, 0xFAFF, Script.HAN),
    (0x20000, 0x2FA1F, Script.HAN),
    (0x1100, 0x11FF, Script.HANGUL),
    (0x3130, 0x318F, Script.HANGUL),
    (0xAC00, 0xD7AF, Script.HANGUL),
)


@lru_cache(maxsize=4096)
def char_script(char: str) -> Script | None:
    """The script of one character, or ``None`` for digits, punctuation and spaces."""
    code = ord(char)
    if code < 0x80:
        return Script.LATIN if char.isalpha() else None
    for low, high, script in _RANGES:
        if low <= code <= high:
            if script is Script.LATIN and not char.isalpha():
                return None
            return script
    if unicodedata.category(char).startswith("L"):
        return Script.OTHER
    return None


def scripts_of(text: str) -> frozenset[Script]:
    """Every script used in ``text`` (empty for a name made only of digits and punctuation)."""
    found: set[Script] = set()
    for char in text:
        script = char_script(char)
        if script is not None:
            found.add(script)
    return frozenset(found)


def is_cjk(char: str) -> bool:
    return char_script(char) in (Script.HAN, Script.KANA)


__all__ = ["Script", "char_script", "is_cjk", "scripts_of"]
