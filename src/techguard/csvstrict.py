"""Reading CSV records strictly: a broken file is refused with its line, never silently merged or cut.

Python's csv module, left to itself, reads an unterminated quote as one field running to the end of the
file (every later row vanishes into one name) and drops (or folds into a ``None`` key) the fields of a row longer than the
header (an unquoted comma in an affiliation). Here both are errors naming the line:
the query and affiliation readers of ``screen`` and ``research resolve`` read through :func:`read_records`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator

__all__ = ["CsvFormatError", "header_of", "read_records"]


class CsvFormatError(ValueError):
    """A CSV that cannot be read record by record; the message names the source and line."""


def _lower(cell: str) -> str:
    return cell.strip().lower()


def read_records(
    text: str | Iterable[str], source: str, delimiter: str = ",", *, header_name: Callable[[str], str] = _lower
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {header: value})`` per non-blank record, header names through ``header_name`` (stripped and
    lower-cased by default).

    The header is the first line. A record with more fields than the header is refused unless the extra
    fields are empty (trailing separators, as some spreadsheets write); one with fewer fields has its
    missing trailing fields empty (spreadsheets leave trailing empty cells out).
    A quoted field may span lines; a quote that is never closed is refused with the line it opened on.
    """
    # a whole text, or lines streamed from a file opened with newline="" (memory bounded by one record)
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    try:
        header: list[str] | None = None
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                if not any(cell.strip() for cell in row):
                    continue
                header = [header_name(cell) for cell in row]
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header) and not any(cell.strip() for cell in row[len(header):]):
                row = row[:len(header)]
            if len(row) > len(header):
                raise CsvFormatError(f"{source}: line {line}: {len(row)} fields but the header has "
                                     f"{len(header)}; a field containing the separator must be quoted "
                                     "/ 列数がヘッダーより多い（区切り文字を含む値は引用符で囲んでください）")
            row = row + [""] * (len(header) - len(row))  # trailing empty fields left out
            yield line, {name: value.strip() for name, value in zip(header, row, strict=True) if name}
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "EOF" in str(error):
            raise CsvFormatError(f"{source}: line {start}: a quoted field opened here is never closed "
                                 "/ 引用符が閉じられていません") from None
        raise CsvFormatError(f"{source}: line {start}: unreadable CSV ({error})") from None


def header_of(text: str, delimiter: str = ",") -> list[str]:
    """The header names as :func:`read_records` reads them (first non-blank record)."""
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            return [cell.strip().lower() for cell in row]
    return []
