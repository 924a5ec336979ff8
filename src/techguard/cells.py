"""Spreadsheet cells that cannot run: the one neutraliser every CSV/XLSX export uses.

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some
versions, a leading tab or carriage return) as a formula, so a screened name or a case title such as
``=HYPERLINK(...)`` would run in the officer's spreadsheet. Such text gets a leading apostrophe, which
spreadsheets show as plain text (OWASP "CSV injection"). Numbers, booleans and dates pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["FORMULA_TRIGGERS", "neutralise_formula", "neutralise_row", "neutralise_rows"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """``value`` as a spreadsheet can show but never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(row: Iterable[object]) -> list[object]:
    return [neutralise_formula(value) for value in row]


def neutralise_rows(rows: Iterable[Sequence[object]]) -> Iterable[list[object]]:
    return (neutralise_row(row) for row in rows)
