"""The officers' dashboard: cases by status, activity, destination country and outcome; CSV/XLSX export."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techguard.web.accounts.roles import is_officer, visible_cases
from techguard.web.cases.models import Case, CaseKind, CaseStatus
from techguard.web.exports import table_response

BAR_WIDTH = 320


def _rows(user: Any) -> list[dict[str, Any]]:
    out = []
    for case in visible_cases(user, Case.objects.select_related("owner", "department")):
        assessment = case.assessment or {}
        out.append({
            "reference": case.reference, "title": case.title, "kind": case.kind, "status": case.status,
            "owner": case.owner.get_username(), "department": str(case.department or ""),
            "country": case.facts.get("to_country") or "", "created": case.created.date().isoformat(),
            "us_outcome": (assessment.get("us_ear") or {}).get("outcome", ""),
            "jp_outcome": (assessment.get("jp_fefta") or {}).get("outcome", ""),
            "licence_status": case.licence_status, "licence_number": case.licence_number,
            "licence_expiry": case.licence_expiry.isoformat() if case.licence_expiry else "",
        })
    return out


def _chart(title: str, counts: Counter[str], labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Bars for an inline SVG chart (no JavaScript, no CDN)."""
    top = counts.most_common(12)
    peak = max((n for _, n in top), default=1)
    bars = [{"label": (labels or {}).get(k, k or "—"), "count": n, "width": max(2, int(BAR_WIDTH * n / peak)),
             "y": i * 22} for i, (k, n) in enumerate(top)]
    return {"title": title, "bars": bars, "height": max(22, 22 * len(bars))}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    rows = _rows(request.user)
    charts = [
        _chart(_("Cases by status"), Counter(r["status"] for r in rows), dict(CaseStatus.choices)),
        _chart(_("Cases by activity"), Counter(r["kind"] for r in rows), dict(CaseKind.choices)),
        _chart(_("Cases by destination country"), Counter(r["country"] for r in rows)),
        _chart(_("US EAR outcome"), Counter(r["us_outcome"] for r in rows)),
        _chart(_("Japan FEFTA outcome"), Counter(r["jp_outcome"] for r in rows)),
    ]
    from techguard.web.screening.rescreen import open_tasks_for

    tasks = open_tasks_for(request.user)
    return render(request, "cases/dashboard.html", {"charts": charts, "total": len(rows),
                                                    "review_tasks": tasks[:10], "review_count": tasks.count()})


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    rows = _rows(request.user)
    header = ["reference", "title", "kind", "status", "owner", "department", "country", "created", "us_outcome",
              "jp_outcome", "licence_status", "licence_number", "licence_expiry"]
    return table_response(header, ([row[h] for h in header] for row in rows), fmt, "cases")
