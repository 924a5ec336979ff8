"""Names an officer writes as one: 「スコルコボ科学技術大学（Skoltech）」, "Rosatom / Росатом".

A query often carries its own aliases: a short form or an English name in parentheses, or renderings
separated by a slash. Each is screened as a name of its own, beside the name as written (the best key
wins), so "(Skoltech)" meets METI's Skoltech entry even though the Japanese part is spelt differently.
A parenthesised part that is only a place or a generic word ("(Shanghai)", "(Branch)") is not a name.
"""

from __future__ import annotations

import re

from techguard.matching.word_weights import GENERIC_WORDS
from techguard.text.fold import fold
from techguard.text.places import katakana_places
from techguard.text.scripts import KATAKANA_RUN, has_han

_PARENTHESES = re.compile(r"[(（\[［]([^()（）\[\]［］]+)[)）\]］]")
# a slash between two names, not inside one: "A/S", "T/D", "24/7" stay whole
_SLASH = re.compile(r"\s*[/／]\s*")
_COMPANY_SUFFIX = re.compile(r"(?<=[\u30a1-\u30fa\u30fcA-Za-z0-9）)])\s*社$")
MIN_ALTERNATE_LETTERS = 3
MAX_ALTERNATES = 6


def _is_name(text: str, places: frozenset[str]) -> bool:
    words = fold(text).split()
    if not words or sum(len(w) for w in words) < MIN_ALTERNATE_LETTERS:
        return False
    return not all(w in places or w in GENERIC_WORDS for w in words)


def alternate_names(name: str, places: frozenset[str] = frozenset()) -> list[str]:
    """``name`` first, then the names written inside it: the text outside and inside parentheses, and
    the parts around a slash when each part is a name of 2+ characters on both sides."""
    found: list[str] = [name]

    def add(text: str) -> None:
        text = text.strip(" ,;・")
        if text and text not in found and _is_name(text, places) and len(found) < MAX_ALTERNATES:
            found.append(text)

    inner = [part for part in _PARENTHESES.findall(name) if _is_name(part, places)]
    if inner:
        # only when the parentheses hold a name: "X (Shanghai) Co., Ltd." without Shanghai is another name
        add(_PARENTHESES.sub(" ", name))
        for part in inner:
            add(part)
    for text in list(found):
        parts = _SLASH.split(text)
        if len(parts) > 1 and all(len(fold(p).replace(" ", "")) >= 2 * 2 for p in parts):
            for part in parts:
                add(part)
    for text in list(found):
        # 社 after a Latin or katakana name is "the company" (DJI社, ロステック社), not a word of the name
        add(without_company_suffix(text))
    for text in list(found):
        native = native_place_form(text)
        if native is not None:
            add(native)  # a place alone is no name, but here kanji words follow it
    return found


def without_company_suffix(name: str) -> str:
    """``name`` without a 社 ("the company") written after a Latin or katakana name (DJI社 → DJI)."""
    return _COMPANY_SUFFIX.sub("", name)


def native_place_form(name: str) -> str | None:
    """A Chinese or Korean name with its place written in katakana, the place in its own characters:
    ハルビン工業大学 → 哈尔滨工業大学, which then meets the listing's Chinese name in writing (read by sound and
    translated, ハルビン + "university of technology" is not Harbin *Institute* of Technology). The places'
    table is :mod:`techguard.text.places`. Only where kanji follow the place; ``None`` otherwise."""
    if not has_han(name):
        return None
    table = katakana_places()
    changed = name
    for run in KATAKANA_RUN.findall(name):
        reading = table.get(run)
        if reading is not None and reading.native:
            changed = changed.replace(run, reading.native[0], 1)
    return None if changed == name else changed


__all__ = ["alternate_names", "native_place_form", "without_company_suffix"]
