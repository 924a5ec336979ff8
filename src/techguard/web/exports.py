"""Table downloads (CSV for Excel, XLSX) shared by the dashboard and batch screening pages.

Every cell goes through :func:`techguard.cells.neutralise_formula`: text that a spreadsheet would run as a
formula (a case title or a listed name starting with ``=``) is exported as plain text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
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


CSV_ENCODINGS = ("utf-8", "cp932")


class _Line:
    """A file-like sink for csv.writer that hands back each written line (for streaming)."""

    def write(self, value: str) -> str:
        return value


def stream_table_response(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str,
                          encoding: str = "utf-8") -> HttpResponse | StreamingHttpResponse | FileResponse:
    """Like :func:`table_response` but memory does not grow with the rows: CSV is streamed line by line; XLSX
    is written by openpyxl's write-only mode to a temporary file that is then sent (and removed when closed).

    ``encoding`` (CSV only): ``utf-8`` (with a BOM, so Excel reads Japanese correctly) or ``cp932`` for older
    Japanese Excel; characters CP932 cannot hold (e.g. simplified Chinese 业) are written as ``?``."""
    if fmt == "csv":
        if encoding not in CSV_ENCODINGS:
            raise Http404(_("Unknown encoding."))
        writer = csv.writer(_Line())

        def lines() -> Iterable[bytes]:
            if encoding == "utf-8":
                yield "\ufeff".encode()
            for row in chain([header], rows):
                yield writer.writerow(neutralise_row(row)).encode(encoding, errors="replace")

        response: HttpResponse | StreamingHttpResponse | FileResponse = StreamingHttpResponse(
            lines(), content_type=f"text/csv; charset={'shift_jis' if encoding == 'cp932' else 'utf-8'}")
    elif fmt == "xlsx":
        import tempfile

        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(neutralise_row(header))
        for row in rows:
            sheet.append(neutralise_row(row))
        out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it; then it is gone)
        book.save(out)
        out.seek(0)
        response = FileResponse(out, content_type=XLSX_TYPE)
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
