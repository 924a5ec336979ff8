"""Table downloads (CSV for Excel, XLSX) shared by the dashboard and batch screening pages.

Every cell goes through :func:`techguard.cells.neutralise_formula`: text that a spreadsheet would run as a
formula (a case title or a listed name starting with ``=``) is exported as plain text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from techguard.cells import neutralise_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str) -> HttpResponse:
    """``filename.fmt`` as an attachment; ``fmt`` is ``csv`` or ``xlsx`` (anything else: 404)."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 with BOM correctly, Japanese names included
        csv.writer(buffer).writerows(neutralise_row(row) for row in [header, *rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(neutralise_row(header))
        for row in rows:
            sheet.append(neutralise_row(row))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
