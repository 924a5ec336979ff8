"""Japanese readings (romaji) through cutlet + fugashi + unidic-lite, with long vowels folded.

Hepburn as users type it drops vowel length (東京 → "Tokyo", not "Toukyou"), so readings fold
ou/oo → o, uu → u, ii → i, ee → e before comparison. cutlet's MeCab segmentation is the weak point for
all-hiragana names; kanji and katakana company names read well.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_cutlet: Any = None

_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("ii", "i"), ("ee", "e"), ("aa", "a"))
_MACRONS = str.maketrans({"ā": "a", "ī": "i", "ū": "u", "ē": "e", "ō": "o", "ô": "o", "û": "u"})
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def _get_cutlet() -> Any:
    global _cutlet
    with _lock:
        if _cutlet is None:
            if not readings_available():
                return None
            import cutlet  # imported lazily: loading the MeCab dictionary takes ~50 ms

            _cutlet = cutlet.Cutlet(system="hepburn", use_foreign_spelling=False)
        return _cutlet


@lru_cache(maxsize=1)
def readings_available() -> bool:
    """Whether the optional Japanese reader is installed (``pip install 'techguard[japanese]'``). Without
    it, kanji names are matched by writing and translation only: a warning says so once, and every result's
    algorithm version records it (:func:`techguard.matching.resources.algorithm_version`)."""
    import importlib.util
    import warnings

    found = all(importlib.util.find_spec(m) is not None for m in ("cutlet", "fugashi", "unidic_lite"))
    if not found:
        warnings.warn(
            "Japanese readings unavailable (install techguard[japanese]); kanji names are matched by "
            "writing and translation only / 読みの辞書が未導入です",
            RuntimeWarning,
            stacklevel=2,
        )
    return found


def fold_long_vowels(romaji: str) -> str:
    """``toukyou daigaku`` → ``tokyo daigaku``; ``jūkōgyō`` → ``jukogyo``."""
    text = romaji.lower().translate(_MACRONS)
    for long, short in _LONG_VOWELS:
        text = text.replace(long, short)
    return text


@lru_cache(maxsize=65536)
def reading(text: str) -> str:
    """Folded Hepburn reading of Japanese text (``三菱重工業`` → ``mitsubishi ju kogyo``).

    Empty when cutlet cannot read every character (it writes ``?`` for characters outside its
    dictionary, e.g. simplified Chinese 乔): a partial reading would match on what is left.
    """
    reader = _get_cutlet()
    if reader is None:
        return ""
    romaji = str(reader.romaji(text))
    if "?" in romaji:
        return ""
    return " ".join(_NON_WORD.sub(" ", fold_long_vowels(romaji)).split())


__all__ = ["fold_long_vowels", "reading", "readings_available"]
