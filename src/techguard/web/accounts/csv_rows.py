"""Reading an uploaded CSV (UTF-8 with or without BOM, or CP932) into rows keyed by canonical column names.

Shared by the user import and the training-record import. Headers may be given in English or Japanese
(``aliases``); every problem is reported with the file name and line, and nothing is stored when any line is bad.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from techguard.text.decode import TextEncodingError, decode_text


@dataclass(frozen=True)
class LineError:
    """One problem in one line (line 1 is the header)."""

    filename: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = _("%(file)s, line %(line)d") % {"file": self.filename, "line": self.line}
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class CsvFileError(ValueError):
    """The file as a whole cannot be read (encoding, no header, a required column missing)."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _canonical(header: str, aliases: Mapping[str, str]) -> str:
    key = header.strip().lstrip("\ufeff").strip().lower()
    return aliases.get(key, key)


def read_rows(data: bytes, filename: str, *, required: Iterable[str],
              aliases: Mapping[str, str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, {canonical column: stripped value}) for each non-empty line after the header."""
    try:
        text = decode_text(data, filename).text
    except TextEncodingError as exc:
        raise CsvFileError([LineError(filename, exc.line, "", exc.reason)]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise CsvFileError([LineError(filename, 1, "", _("the file is empty or has no header line"))])
    columns = [_canonical(h, aliases) for h in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise CsvFileError([LineError(filename, 1, name, _("required column is missing")) for name in missing])
    rows: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns):
            raise CsvFileError([LineError(filename, reader.line_num, "",
                                          _("more values than columns in the header"))])
        rows.append((reader.line_num, {c: (values[i].strip() if i < len(values) else "")
                                       for i, c in enumerate(columns)}))
    return rows


__all__ = ["CsvFileError", "LineError", "read_rows"]
