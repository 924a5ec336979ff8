"""The officers' dashboard: filtered counts of cases (computed in the database) and the CSV/XLSX export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techguard.web.accounts.roles import is_officer
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.cases.reporting import (
    EXPORT_HEADER,
    ReportFilter,
    aggregates,
    export_rows,
    filtered_cases,
)
from techguard.web.exports import stream_table_response
from techguard.web.licences.reminders import expiring_rows

__all__ = ["dashboard", "export"]

BAR_WIDTH = 320
TOP = 12  # bars per chart


def _chart(title: str, counts: list[tuple[str, int]]) -> dict[str, Any]:
    """Bars for an inline SVG chart (no JavaScript, no CDN)."""
    top = counts[:TOP]
    peak = max((n for _, n in top), default=1)
    bars = [{"label": label, "count": n, "width": max(2, int(BAR_WIDTH * n / peak)), "y": i * 22}
            for i, (label, n) in enumerate(top)]
    return {"title": title, "bars": bars, "height": max(22, 22 * len(bars)), "more": len(counts) - len(top)}


def _filter(request: HttpRequest) -> ReportFilter:
    if not is_officer(request.user):
        raise PermissionDenied
    return ReportFilter(request.GET or None)


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    form = _filter(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = 400 if form.is_bound and form.errors else 200
    cases = filtered_cases(request.user, data)
    counts = aggregates(cases)
    charts = [
        _chart(_("Cases by status"), counts["status"]),
        _chart(_("Cases by activity"), counts["kind"]),
        _chart(_("Cases by department"), counts["department"]),
        _chart(_("Cases by destination country"), counts["destination"]),
        _chart(_("Cases by citizenship (most recent)"), counts["citizenship"]),
        _chart(_("US EAR outcome"), counts["us_outcome"]),
        _chart(_("Japan FEFTA outcome"), counts["jp_outcome"]),
        _chart(_("Overall outcome"), counts["overall_outcome"]),
    ]
    from techguard.web.screening.rescreen import open_tasks_for

    tasks = open_tasks_for(request.user)
    query = request.GET.urlencode() if status == 200 else ""
    return render(request, "cases/dashboard.html", {
        "form": form, "charts": charts, "total": sum(n for _, n in counts["status"]), "query": query,
        "review_tasks": tasks[:10], "review_count": tasks.count(),
        "expiring": expiring_rows(user=request.user, within_days=90),
    }, status=status)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered case list; ``?encoding=cp932`` for a CSV that older Japanese Excel opens directly."""
    form = _filter(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse("\n".join(f"{field}: {' '.join(str(e) for e in errors)}" for field, errors in form.errors.items()),
                            status=400, content_type="text/plain; charset=utf-8")
    cases = filtered_cases(request.user, form.cleaned_data if form.is_bound else {})
    return stream_table_response(EXPORT_HEADER, export_rows(cases), fmt, "cases",  # type: ignore[return-value]
                                 encoding=request.GET.get("encoding", "utf-8"))
