"""Text folding shared by listed names and queries: NFKC, case folding, accents, punctuation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from techguard.matching.scripts import is_cjk

# Apostrophes and similar marks vanish inside a word (QA'IDA = QAIDA); every other punctuation mark
# separates words (AL-QAYSI = AL QAYSI; compounds like AERO-CARIBBEAN are rejoined by the scorer).
_JOINERS = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032]")
_SEPARATORS = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """NFKC, case-folded, accents removed from Latin letters, punctuation turned into spaces.

    Idempotent: ``fold(fold(x)) == fold(x)``. CJK characters are kept as they are (after NFKC), so
    ``ＡＢＣ商事㈱`` becomes ``abc商事(株)`` before punctuation handling, i.e. ``abc商事 株``.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " and ")
    text = _JOINERS.sub("", text)
    text = _strip_marks(text)
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _strip_marks(text: str) -> str:
    # Decompose and drop combining marks, but never on CJK text: NFD would split kana voicing marks
    # (ガ → カ + ゛) and change the word.
    if all(ord(c) < 0x80 for c in text):
        return text
    out: list[str] = []
    for char in text:
        if is_cjk(char):
            out.append(char)
            continue
        for part in unicodedata.normalize("NFD", char):
            if not unicodedata.combining(part):
                out.append(part)
    return unicodedata.normalize("NFC", "".join(out))


def split_cjk_runs(text: str) -> list[str]:
    """Split folded text into words, keeping each unspaced CJK run as one word and cutting it off from
    adjoining Latin letters (``abc商事`` → ``abc``, ``商事``)."""
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


__all__ = ["fold", "split_cjk_runs"]
