"""Korean personal names written in Han characters, read in Hangul: 金正恩 → 김정은, 崔竜海 → 최룡해.

Japanese and Chinese write North Korean persons in kanji (金与正, 李炳哲); the lists give their names in the
McCune-Reischauer romanisation of the Hangul reading (KIM Yo Jong, RI Pyong Chol). A name is read only when
it looks like a Korean name: three or four characters, the first a Korean surname, every character in the table
(``data/korean_name_hanja.tsv``) — so most Chinese names (张伟: 伟 is not a Korean name character there) and
all company names stay unread.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from techguard.text.han import convert

TABLE = "data/korean_name_hanja.tsv"
# three or four: a two-character Han name is as often Chinese, and its Korean reading (柳秦 = 류진 = RYU JIN)
# met listed Korean names on the synthetic negatives
MIN_CHARACTERS, MAX_CHARACTERS = 3, 4


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    surnames: dict[str, str] = {}
    given: dict[str, str] = {}
    text = resources.files("techguard.text").joinpath(TABLE).read_text("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or cells[0] not in ("surname", "given") or len(cells[1]) != len(cells[2]):
            raise ValueError(f"text/{TABLE}, line {number}: expected surname|given <TAB> characters <TAB> "
                             "Hangul of the same length")  # fmt: skip
        target = surnames if cells[0] == "surname" else given
        for han, hangul in zip(cells[1], cells[2], strict=True):
            target.setdefault(han, hangul)
    return surnames, given


def _read(char: str, table: dict[str, str]) -> str | None:
    """The Hangul of one character as written, else of its traditional form (竜 → 龍, 与 → 與)."""
    found = table.get(char)
    if found is None:
        for config in ("jp2t", "s2t"):
            found = table.get(convert(config, char))
            if found is not None:
                break
    return found


@lru_cache(maxsize=65536)
def korean_name_reading(text: str) -> str | None:
    """The Hangul reading of a Korean name written in Han characters, or ``None`` when it does not look like
    one (``金正恩`` → ``김정은``; ``张伟`` → ``None``)."""
    name = "".join(text.split())
    if not MIN_CHARACTERS <= len(name) <= MAX_CHARACTERS:
        return None
    surnames, given = _tables()
    first = _read(name[0], surnames)
    if first is None:
        return None
    rest: list[str] = []
    for char in name[1:]:
        found = _read(char, given) or _read(char, surnames)
        if found is None:
            return None
        rest.append(found)
    return first + "".join(rest)


__all__ = ["korean_name_reading"]
