"""Han organisation names read as English words: 北京動力機械研究所 → ``beijing power machinery institute``.

A Han name on the lists (Chinese, Japanese kanji, Korean hanja) is mostly organisation words — 电子
electronics, 研究所 institute, 贸易 trading — around a proper name. Readings (pinyin, cutlet) turn the
words into sounds an English listing never contains, so the words are translated through a hand-written
table (``data/han_terms.tsv``) and only the rest is read aloud. Numbers and ordinals become digits (第二十八 →
``28``; English ordinals fold to digits too: 28TH → ``28``). A country written in katakana as a word of its
own is its English name (ロシア鉄道 → ``russia railway``; CLDR's Japanese names, through the text layer).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from techguard.matching.chinese import pinyin
from techguard.text.countries import cldr_country_names, country_name
from techguard.text.fold import fold
from techguard.text.han import fold_han
from techguard.text.scripts import is_katakana

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = frozenset(_DIGITS) | frozenset(_UNITS) | frozenset("0123456789")


@lru_cache(maxsize=1)
def han_terms() -> dict[str, str]:
    """Simplified Han term → English words."""
    terms: dict[str, str] = {}
    text = resources.files("techguard.matching").joinpath("data/han_terms.tsv").read_text("utf-8")
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            han, english = line.split("\t")
        except ValueError:
            raise ValueError(f"han_terms.tsv line {line_no}: expected 'han<TAB>english'") from None
        terms.setdefault(fold_han(han.strip()), english.strip())
    return terms


@lru_cache(maxsize=1)
def katakana_countries() -> dict[str, str]:
    """Country names written in katakana (CLDR's Japanese names: ロシア, ベラルーシ, ウクライナ) → their English
    names, folded: an organisation named after its country (ロシア鉄道, Russian Railways)."""
    names: dict[str, str] = {}
    for code, name in cldr_country_names("ja").items():
        if name and all(is_katakana(char) and char != "・" for char in name):
            names[name] = fold(country_name(code, "en"))
    return names


def _katakana_word_end(run: str, start: int) -> int:
    """Where the katakana word starting at ``start`` ends (a run has no middle dot: folding made it a space)."""
    end = start
    while end < len(run) and is_katakana(run[end]):
        end += 1
    return end


def _number(text: str) -> int | None:
    """二十八 → 28, 三十一 → 31, 771 → 771."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = current * 10 + _DIGITS[char] if current and text[0] not in _UNITS else _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            return None
    return total + current


def _numeral_at(run: str, i: int) -> tuple[int | None, int]:
    """The number written at ``run[i]`` (第十四 = 14, 五十四 = 54, 771) and where it ends; ``None`` (and ``i``)
    when none is: a lone 三 is as often part of a name (三菱, Mitsubishi) as a number, so bare Han numerals count
    only when written with a unit (三十一), after 第, or in digits."""
    ordinal = run[i] == "第"
    j = i + 1 if ordinal else i
    while j < len(run) and run[j] in _NUMERAL:
        j += 1
    numeral = run[i + 1 if ordinal else i : j]
    if not numeral:
        return None, i
    value = _number(numeral)
    if value is not None and (ordinal or numeral.isdigit() or any(c in _UNITS for c in numeral)):
        return value, j
    return None, i


@lru_cache(maxsize=65536)
def han_numbers(written: str) -> frozenset[int]:
    """The numbers a Han name writes as numbers, as :func:`translate` reads them."""
    run = fold_han(written)
    found: set[int] = set()
    i = 0
    while i < len(run):
        value, end = _numeral_at(run, i)
        if value is not None:
            found.add(value)
        i = max(end, i + 1)
    return frozenset(found)


def translate(written: str, read: Callable[[str], str] | None = None) -> tuple[str, int]:
    """English words for a Han run as written, and how many table terms were used. Parts no term covers
    are read with ``read`` (default: pinyin run together, as Chinese place names are written)."""
    terms = han_terms()
    longest = max((len(t) for t in terms), default=1)
    run = fold_han(written)
    if len(run) != len(written):
        written = run  # folding changed the length: look up and read the folded form
    words: list[str] = []
    pending: list[str] = []
    found = 0

    def flush() -> None:
        if pending:
            text = "".join(pending)
            # a reader that cannot read a character (cutlet and a simplified-only hanzi) gives way to pinyin
            words.append((read(text) if read else "") or _pinyin_word(text))
            pending.clear()

    i = 0
    while i < len(run):
        value, j = _numeral_at(run, i)
        if value is not None:
            flush()
            words.append(str(value))  # an ordinal is its number (28th = 28, see tokens)
            i = j
            continue
        if is_katakana(run[i]) and (i == 0 or not is_katakana(run[i - 1])):
            # only a whole katakana word: マリ is Mali, マリア is not; チャド is Chad, リチャード is not
            end = _katakana_word_end(run, i)
            country = katakana_countries().get(run[i:end])
            if country is not None:
                flush()
                words.append(country)
                found += 1
                i = end
                continue
        for size in range(min(longest, len(run) - i), 0, -1):
            english = terms.get(run[i : i + size])
            if english is not None:
                flush()
                words.append(english)
                found += 1
                i += size
                break
        else:
            pending.append(written[i])
            i += 1
    flush()
    return " ".join(w for w in words if w), found


def _pinyin_word(text: str) -> str:
    return pinyin(text).replace(" ", "")


__all__ = ["han_numbers", "han_terms", "katakana_countries", "translate"]
