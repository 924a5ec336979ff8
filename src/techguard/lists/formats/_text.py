"""Small text helpers shared by the non-US list parsers (UN, METI, MOFCOM, UK, EU, MOF).

Kept free of any one format's rules: whitespace clean-up and line-wrap joining, script detection
(from :mod:`techguard.text.scripts`), bracket handling (trailing renderings, ``"A、B及びC"`` listings), turning a ``paths``
argument (files or directories) into the files a format reads, typed field access for the third-party
JSON parses, and country-name resolution through :func:`techguard.text.countries.to_iso2` with the
published text always kept beside the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.model import Address, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.scripts import has_cjk_text, is_japanese_or_chinese

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


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
        country=to_iso2(published),  # lenient: unknown or ambiguous names keep only ``country_name``
        country_name=published,
    )


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The non-empty values in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def join_wrapped(first: str, second: str) -> str:
    """Join a line wrapped inside a cell: no space inside CJK text or after a hyphen, else one space."""
    if first.endswith("-") or (has_cjk_text(first[-1:]) and has_cjk_text(second[:1])):
        return first + second
    return f"{first} {second}"


_OPENERS = {")": "(", "）": "（"}


def split_trailing_rendering(text: str) -> tuple[str, str | None]:
    """``"Air Koryo (高麗航空)"`` -> ``("Air Koryo", "高麗航空")``: a trailing bracketed CJK rendering.

    Brackets may be ASCII or full-width and may nest (``"(Korea) Sunhwagang ((朝鮮)順和江貿易会社)"``). Only a
    rendering that holds kana or Han *and* follows a non-CJK name is split off; anything else comes back
    whole with ``None``.
    """
    stripped = text.strip()
    if not stripped or stripped[-1] not in _OPENERS:
        return stripped, None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in _OPENERS:
            depth += 1
        elif char in ("(", "（"):
            depth -= 1
            if depth == 0:
                base, inner = stripped[:index].strip(), stripped[index + 1 : -1].strip()
                if base and inner and is_japanese_or_chinese(inner) and not is_japanese_or_chinese(base):
                    return base, inner
                return stripped, None
    return stripped, None


def load_json_array(path: Path) -> list[dict[str, object]]:
    """A JSON file holding an array of objects, or a :class:`ListFormatError` saying what is wrong."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, f"not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, list):
        raise ListFormatError(path, f"expected a JSON array of records, found {type(data).__name__}")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise ListFormatError(
                path, f"expected an object, found {type(item).__name__}", record=f"#{index}"
            )
    return data


def str_field(path: Path, item: dict[str, object], key: str, record: str, *, required: bool = False) -> str:
    """A string field of a JSON record (``None`` reads as empty), checked for type."""
    value = item.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ListFormatError(
            path, f"expected a string, found {type(value).__name__}", record=record, field=key
        )
    value = squash(value)
    if required and not value:
        raise ListFormatError(path, "required field is empty or missing", record=record, field=key)
    return value


def str_list_field(path: Path, item: dict[str, object], key: str, record: str) -> list[str]:
    """A list-of-strings field of a JSON record (missing or ``null`` reads as empty)."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ListFormatError(path, "expected a list of strings", record=record, field=key)
    return [squash(v) for v in value if isinstance(v, str) and squash(v)]


_ROUND_OPEN = "（("
_ROUND_CLOSE = "）)"


def trailing_group(text: str) -> tuple[str, str | None]:
    """``"A（B）"`` -> ``("A", "B")`` for the last balanced bracket group ending the text, else ``(text, None)``."""
    stripped = text.strip()
    if not stripped or stripped[-1] not in _ROUND_CLOSE:
        return stripped, None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        if stripped[index] in _ROUND_CLOSE:
            depth += 1
        elif stripped[index] in _ROUND_OPEN:
            depth -= 1
            if depth == 0:
                return stripped[:index].strip(), stripped[index + 1 : -1].strip()
    return stripped, None


def split_listing(text: str) -> list[str]:
    """``"A、B及びC"`` -> ``["A", "B", "C"]`` (Japanese law joins only the last item with 及び)."""
    parts = [squash(p) for p in re.split(r"[、､,;；]", text)]
    if parts and "及び" in parts[-1]:
        head, _, tail = parts[-1].rpartition("及び")
        parts[-1:] = [squash(head), squash(tail)]
    return [p for p in parts if p]


def outside_brackets(text: str) -> str:
    """The text with every bracketed part removed (``"Ele Co（易络电子）"`` -> ``"Ele Co"``)."""
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in _ROUND_OPEN:
            depth += 1
        elif char in _ROUND_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


_JSON_KINDS = {  # entity_type values of the third-party JSON parses (jp.json, cn.json)
    "organization": PartyKind.ORGANISATION,
    "organisation": PartyKind.ORGANISATION,
    "entity": PartyKind.ORGANISATION,
    "individual": PartyKind.PERSON,
    "person": PartyKind.PERSON,
}


def json_kind(path: Path, value: str, record: str) -> PartyKind:
    """The :class:`PartyKind` for a JSON record's ``entity_type``; an unknown value is an error."""
    try:
        return _JSON_KINDS[value.lower()]
    except KeyError:
        raise ListFormatError(
            path, f"unknown entity_type {value!r}", record=record, field="entity_type"
        ) from None


__all__ = [
    "country_address",
    "expand_paths",
    "join_wrapped",
    "json_kind",
    "load_json_array",
    "nfkc",
    "one_line",
    "outside_brackets",
    "split_listing",
    "split_trailing_rendering",
    "squash",
    "str_field",
    "str_list_field",
    "trailing_group",
    "unique",
]
