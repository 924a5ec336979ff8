"""Which writing systems a text uses: ONE table, Unicode's own Script properties (through the ``regex`` package).

Matching routes a character to the right romaniser by its script, research splits CJK runs out of affiliation
strings, list parsers tell a Japanese rendering from a Latin name. All of them ask here; nobody keeps a table
of code-point ranges of their own.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache

import regex


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


# Han and kana by Script_Extensions, limited to letters and marks: 〆 and the prolonged sound mark ー are
# "Common" by Script yet belong to kanji / kana words; 、 and ・ (also shared with Han/kana) are punctuation.
_CLASSIFY = regex.compile(
    r"(?P<Han>[[\p{L}\p{Nl}]&&\p{scx=Han}])"
    r"|(?P<Kana>[[\p{L}\p{M}]&&[\p{scx=Hiragana}\p{scx=Katakana}]])"
    r"|(?P<Latin>[\p{L}&&\p{Script=Latin}])"
    r"|(?P<Cyrillic>\p{Script=Cyrillic})"
    r"|(?P<Greek>\p{Script=Greek})"
    r"|(?P<Arabic>\p{Script=Arabic})"
    r"|(?P<Hebrew>\p{Script=Hebrew})"
    r"|(?P<Hangul>\p{Script=Hangul})",
    regex.V1,
)
# Japanese/Chinese *text* as opposed to Latin, for layout decisions (joining wrapped lines without a space):
# kanji, kana, CJK punctuation (、。「」) and full-width forms.
_CJK_TEXT = regex.compile(
    r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{Block=CJK_Symbols_and_Punctuation}"
    r"\p{Block=Halfwidth_and_Fullwidth_Forms}]",
    regex.V1,
)
# Scripts written without spaces between words (a run of them is one token for research): Han, kana, Hangul.
_EAST_ASIAN_CLASS = r"[[\p{L}\p{M}\p{Nl}]&&[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{Script=Hangul}]]"
_EAST_ASIAN = regex.compile(_EAST_ASIAN_CLASS, regex.V1)
_EAST_ASIAN_RUNS = regex.compile(rf"{_EAST_ASIAN_CLASS}+|[^{_EAST_ASIAN_CLASS[1:-1]}]+", regex.V1)


@lru_cache(maxsize=8192)
def char_script(char: str) -> Script | None:
    """The script of one character, or ``None`` for digits, punctuation, spaces and combining marks."""
    if char.isascii():
        return Script.LATIN if char.isalpha() else None
    found = _CLASSIFY.match(char)
    if found is not None and found.lastgroup is not None:
        return Script(found.lastgroup)
    if unicodedata.category(char).startswith("L"):
        return Script.OTHER
    return None


def scripts_of(text: str) -> frozenset[Script]:
    """Every script used in ``text`` (empty for a text made only of digits and punctuation)."""
    found: set[Script] = set()
    for char in text:
        script = char_script(char)
        if script is not None:
            found.add(script)
    return frozenset(found)


def is_cjk(char: str) -> bool:
    """A kanji/hanzi or a kana (including 々 〆 〇 and the prolonged sound mark ー)."""
    return char_script(char) in (Script.HAN, Script.KANA)


# A run of katakana as a foreign name is written (long-vowel mark and iteration marks included, the middle dot
# not: it separates words): ハルビン, ノヴォシビルスク.
KATAKANA_RUN = regex.compile(r"[\u30a1-\u30fa\u30fc\u30fd\u30fe]+")


def is_katakana(char: str) -> bool:
    """A character of the Katakana block (the middle dot ・ and ー included) or of its phonetic extensions (ㇰ …)."""
    return "\u30a0" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff"


def has_katakana(text: str) -> bool:
    return any(is_katakana(char) for char in text)


def has_kana(text: str) -> bool:
    return any(char_script(char) is Script.KANA for char in text)


def has_han(text: str) -> bool:
    return any(char_script(char) is Script.HAN for char in text)


def is_japanese_or_chinese(text: str) -> bool:
    """True when ``text`` holds at least one kanji/hanzi or kana."""
    return any(is_cjk(char) for char in text)


def has_cjk_text(text: str) -> bool:
    """True when ``text`` holds Japanese or Chinese script: kanji, kana, CJK punctuation or full-width forms."""
    return _CJK_TEXT.search(text) is not None


def is_east_asian(char: str) -> bool:
    """Han, kana or Hangul: the scripts research treats as written without spaces."""
    return _EAST_ASIAN.match(char) is not None


def has_east_asian(text: str) -> bool:
    return _EAST_ASIAN.search(text) is not None


def east_asian_runs(token: str) -> list[str]:
    """Split a token where it switches between Han/kana/Hangul and other characters (``東京大学tlo`` ->
    ``["東京大学", "tlo"]``)."""
    return [str(run) for run in _EAST_ASIAN_RUNS.findall(token)]


__all__ = [
    "KATAKANA_RUN",
    "Script",
    "char_script",
    "east_asian_runs",
    "has_cjk_text",
    "has_east_asian",
    "has_han",
    "has_kana",
    "has_katakana",
    "is_cjk",
    "is_east_asian",
    "is_japanese_or_chinese",
    "is_katakana",
    "scripts_of",
]
