"""Folding text so that spellings a reader takes for the same name compare equal.

- :func:`strip_accents` takes Latin letters to ASCII (accents dropped, and the letters Unicode does not
  decompose transliterated: ł ø ı đ ß æ œ þ ð ħ -> l o i d ss ae oe th d h, so "Sabancı" = "Sabanci" and
  "Wrocław" = "Wroclaw"), drops combining marks from other alphabets (Greek tonos, Cyrillic breve, Arabic
  vowel signs) and leaves kanji, kana and Hangul exactly as they are (decomposing kana would split voicing
  marks: ガ -> カ + ゛).
- :func:`fold` is the match key of names: NFKC, case folding, :func:`strip_accents`, "&" read as "and",
  apostrophes removed inside words, every other punctuation mark turned into a space.

Screening and research both fold through these two; research adds its own affiliation abbreviations and
Chinese character-variant folding on top.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from techguard.text.scripts import Script, char_script, is_cjk

# Apostrophes and similar marks vanish inside a word (QA'IDA = QAIDA); every other punctuation mark
# separates words (AL-QAYSI = AL QAYSI).
_JOINERS = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032]")
_SEPARATORS = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
_KEEP_AS_IS = frozenset({Script.HAN, Script.KANA, Script.HANGUL})


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    script = char_script(char)
    if script in _KEEP_AS_IS:
        return char
    if script is Script.LATIN:
        # anyascii knows every Latin letter, including those without a decomposition (ł, ø, ı, đ, þ, ß)
        return anyascii(char) or char
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


@lru_cache(maxsize=131072)
def strip_accents(text: str) -> str:
    """Latin letters to ASCII letters, combining marks of other alphabets dropped, CJK and Hangul untouched.

    Case is kept ("Ł" -> "L"); the result is NFC. Idempotent.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", "".join(char if char.isascii() else _fold_char(char) for char in text))


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """NFKC, case-folded, accents and special Latin letters folded, punctuation turned into spaces.

    Idempotent: ``fold(fold(x)) == fold(x)``. CJK characters are kept as they are (after NFKC), so
    ``ＡＢＣ商事㈱`` becomes ``abc商事(株)`` before punctuation handling, i.e. ``abc商事 株``.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " and ")
    text = _JOINERS.sub("", text)
    text = strip_accents(text).casefold()  # anyascii may give capitals for a few letters (ǅ -> Dz)
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def split_cjk_runs(text: str) -> list[str]:
    """Split folded text into words, keeping each unspaced CJK run as one word and cutting it off from
    adjoining Latin letters (``abc商事`` -> ``abc``, ``商事``)."""
    words: list[str] = []
    for word in text.split():
        current: list[str] = []
        current_cjk: bool | None = None
        for char in word:
            cjk = is_cjk(char)
            if current and cjk != current_cjk:
                words.append("".join(current))
                current = []
            current.append(char)
            current_cjk = cjk
        if current:
            words.append("".join(current))
    return words


__all__ = ["fold", "split_cjk_runs", "strip_accents"]
