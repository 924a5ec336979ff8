"""Small text helpers shared by the non-US list parsers (UN, METI, MOFCOM, UK, EU, MOF).

Kept free of any one format's rules: whitespace clean-up, script detection (Japanese kana, Han), turning
a ``paths`` argument (files or directories) into the files a format reads, and country-name resolution
through :func:`techguard.lists.countries.to_iso2` with the published text always kept beside the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.model import Address

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u3007]")
# Japanese/Chinese text as opposed to Latin: kana, Han, CJK punctuation and full-width forms.
_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def squash(text: str | None) -> str:
    """Trim and collapse runs of spaces (including the ideographic space U+3000) to one ASCII space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", text).strip()


def one_line(text: str | None) -> str:
    """Join a multi-line cell into one line (line breaks become spaces)."""
    if text is None:
        return ""
    return squash(re.sub(r"\s*[\r\n]+\s*", " ", text))


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def has_cjk(text: str) -> bool:
    """True when the text holds Japanese or Chinese script (kana, Han, CJK punctuation, full-width forms)."""
    return _CJK.search(text) is not None


def is_japanese_or_chinese(text: str) -> bool:
    return has_kana(text) or has_han(text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def expand_paths(paths: Sequence[Path], patterns: Iterable[str], what: str) -> list[Path]:
    """The files a parser reads: each path itself, or the files in a directory matching ``patterns``.

    Raises :class:`ListFormatError` when nothing is found, naming what was expected.
    """
    pattern_list = tuple(patterns)
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: set[Path] = set()
            for pattern in pattern_list:
                found.update(p for p in path.glob(pattern) if p.is_file())
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            raise ListFormatError(path, f"no such file or directory (expected {what})")
    if not files:
        where = paths[0] if paths else Path(".")
        raise ListFormatError(where, f"no {what} found (looked for {', '.join(pattern_list)})")
    return files


def to_iso2(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a published country name (English, Japanese or Chinese), or ``None``."""
    text = squash(name)
    if not text:
        return None
    from techguard.lists.countries import to_iso2 as resolve

    return resolve(text)


def country_address(country_name: str | None, **parts: str | None) -> Address:
    """An :class:`Address` whose ``full`` line is the non-empty parts joined, keeping the published country."""
    published = squash(country_name) or None
    ordered = [squash(parts.get(k)) for k in ("street", "city", "state", "postal_code")]
    full = ", ".join(p for p in [*ordered, published or ""] if p)
    return Address(
        full=full,
        street=squash(parts.get("street")) or None,
        city=squash(parts.get("city")) or None,
        state=squash(parts.get("state")) or None,
        postal_code=squash(parts.get("postal_code")) or None,
        country=to_iso2(published),
        country_name=published,
    )


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The non-empty values in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


__all__ = [
    "country_address",
    "expand_paths",
    "has_cjk",
    "has_han",
    "has_kana",
    "is_japanese_or_chinese",
    "nfkc",
    "one_line",
    "squash",
    "to_iso2",
    "unique",
]
