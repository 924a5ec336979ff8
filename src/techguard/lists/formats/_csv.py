"""Shared helpers for the delimited-text list formats: decoding, finding files, numbered CSV rows.

Decoding goes through the one decoder (:mod:`techguard.text.decode`) and is strict. A file is read as UTF-8
(a BOM is removed); a legacy encoding is tried only when the caller names one the publisher is known to use,
and then the caller gets told which one was used so it can warn. Bytes that fit no allowed encoding raise
:class:`ListFormatError` with the line of the first bad byte instead of being replaced with "?".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.text.decode import DecodedText, TextEncodingError, decode_text

__all__ = ["NumberedRow", "decode", "find_files", "null_if_blank", "read_text", "rows"]

_DOS_EOF = "\x1a"  # OFAC's files end with a Ctrl-Z line, a DOS end-of-file marker


@dataclass(frozen=True, slots=True)
class NumberedRow:
    line: int  # 1-based line the record starts on
    fields: list[str]


def decode(data: bytes, path: Path, *, fallbacks: Sequence[str] = ()) -> DecodedText:
    """Decode ``data`` as UTF-8 (with or without BOM), else with the first of ``fallbacks`` that fits."""
    try:
        return decode_text(data, path, fallbacks=fallbacks)
    except TextEncodingError as error:
        raise ListFormatError(path, error.reason, line=error.line) from None


def read_text(path: Path, *, fallbacks: Sequence[str] = ()) -> DecodedText:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ListFormatError(path, f"cannot read file: {error.strerror or error}") from error
    return decode(data, path, fallbacks=fallbacks)


def find_files(paths: Sequence[Path], names: Sequence[str], *, required: Sequence[str]) -> dict[str, Path]:
    """Map each expected file name (lower case) to a path among ``paths`` or inside a directory in them.

    Names match case-insensitively ("SDN.CSV" is "sdn.csv"). Every name in ``required`` must be found.
    """
    wanted = {name.lower() for name in names}
    found: dict[str, Path] = {}
    for path in paths:
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for candidate in candidates:
            key = candidate.name.lower()
            if key not in wanted or not candidate.is_file():
                continue
            if key in found and found[key] != candidate:
                raise ListFormatError(candidate, f"{key} given twice (also {found[key]})")
            found[key] = candidate
    missing = [name for name in required if name.lower() not in found]
    if missing:
        where = ", ".join(str(path) for path in paths) or "(no paths given)"
        raise ListFormatError(Path(where), f"required file(s) not found: {', '.join(missing)}")
    return found


def rows(text: str, path: Path, *, delimiter: str = ",") -> Iterator[NumberedRow]:
    """CSV records with the line each starts on; blank lines and a trailing DOS EOF line are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    next_line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ListFormatError(path, f"malformed CSV: {error}", line=next_line) from error
        line, next_line = next_line, reader.line_num + 1
        if not fields or (len(fields) == 1 and fields[0].strip() in ("", _DOS_EOF)):
            continue
        yield NumberedRow(line, fields)


def null_if_blank(value: str, *, null_marker: str | None = None) -> str | None:
    """``None`` for an empty cell (or the publisher's null marker, OFAC's ``-0-``), else the trimmed text."""
    stripped = value.strip()
    if not stripped or (null_marker is not None and stripped == null_marker):
        return None
    return stripped
