"""The audit page: the events an officer may read, filtered and paged, readable changes, CSV export, and the
hash chain's verification (incremental on each view; the whole chain on request)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from techguard.cells import neutralise_row
from techguard.web.accounts.roles import is_officer, visible_audit_events
from techguard.web.audit.chain import record, verification_state, verify_full, verify_incremental
from techguard.web.audit.events import change_lines, change_summary, event_label, role_label
from techguard.web.audit.filters import AuditFilterForm
from techguard.web.audit.models import AuditEvent

PAGE_SIZE = 50
_EXPORT_CHUNK = 1000


@login_required
def audit_log(request: HttpRequest) -> HttpResponseBase:
    if not is_officer(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "verify":
        return _verify_everything(request)
    form = AuditFilterForm(request.GET or None)
    events = form.apply(visible_audit_events(request.user, AuditEvent.objects.order_by("-id")))
    if request.GET.get("format") == "csv":
        if form.is_bound and not form.is_valid():  # never export more than was asked for
            return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
        return _export(request, events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    references = _case_references(rows)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "rows": [{"event": e, "label": event_label(e.action), "role": role_label(e.role),
                  "changes": change_lines(e.changes),
                  "case": references.get(e.object_id) if e.object_type == "cases.case" else None} for e in rows],
        "chain": verify_incremental(),
        "state": _state_times(),
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)


def _verify_everything(request: HttpRequest) -> HttpResponse:
    """Re-read the whole chain (not only what is new since the last verification) and say so in the trail."""
    report = verify_full()
    record("audit.verified", user=request.user, changes={"events": report.events, "ok": report.ok,
                                                         "first_bad_id": report.first_bad_id})
    if report.ok:
        messages.success(request, _("The whole hash chain was re-verified: %(n)s events intact.")
                         % {"n": report.events})
    else:
        messages.error(request, _("The hash chain is BROKEN at event %(id)s: %(problem)s")
                       % {"id": report.first_bad_id, "problem": report.problem})
    return redirect("audit_log")


def _state_times() -> dict[str, datetime | None]:
    state = verification_state()
    return {"at": _parse(state.get("at")), "full_at": _parse(state.get("full_at"))}


def _parse(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _case_references(events: Iterable[AuditEvent]) -> dict[str, dict[str, Any]]:
    """object_id -> {"pk", "reference"} for the cases the events are about (one query for the page)."""
    from techguard.web.cases.models import Case

    ids = {int(e.object_id) for e in events if e.object_type == "cases.case" and e.object_id.isdigit()}
    if not ids:
        return {}
    return {str(case.pk): {"pk": case.pk, "reference": case.reference}
            for case in Case.objects.filter(pk__in=ids).only("pk", "created")}


class _Echo:
    """csv.writer writes into this and gets the line back, so each row is streamed as it is made."""

    def write(self, value: str) -> str:
        return value


def _export(request: HttpRequest, events: Any) -> StreamingHttpResponse:
    """Every event the filters select, streamed as CSV (UTF-8; with a BOM for Excel when ``bom=1``), each cell
    neutralised against formulas (techguard.cells). The export itself is an audit event."""
    record("audit.exported", user=request.user, reason="",
           changes={"filters": {k: v for k, v in request.GET.items() if k not in ("format", "bom", "page")}})
    response = StreamingHttpResponse(_csv_lines(events, bom=request.GET.get("bom") == "1"),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


def _csv_lines(events: Any, *, bom: bool) -> Iterator[str]:
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([_("Event id"), _("Time"), _("User"), _("Role"), _("Event"), _("Event type"),
                           _("Object"), _("Case reference"), _("Changes"), _("Reason"), _("Hash")])
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=_EXPORT_CHUNK):
        chunk.append(event)
        if len(chunk) == _EXPORT_CHUNK:
            yield from _chunk_lines(writer, chunk)
            chunk = []
    yield from _chunk_lines(writer, chunk)


def _chunk_lines(writer: Any, chunk: list[AuditEvent]) -> Iterator[str]:
    references = _case_references(chunk)
    for e in chunk:
        case = references.get(e.object_id) if e.object_type == "cases.case" else None
        yield writer.writerow(neutralise_row([
            e.pk, timezone.localtime(e.at).isoformat(), e.actor, role_label(e.role), event_label(e.action), e.action,
            f"{e.object_type}:{e.object_id}" if e.object_type else "", case["reference"] if case else "",
            change_summary(e.changes), e.reason, e.hash,
        ]))


__all__ = ["audit_log"]
