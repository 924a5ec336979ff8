from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from techguard.web.accounts.roles import is_officer, visible_audit_events
from techguard.web.audit.chain import verify_incremental
from techguard.web.audit.models import AuditEvent


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    events = visible_audit_events(request.user, AuditEvent.objects.order_by("-id"))[:300]
    return render(request, "audit/log.html", {"events": events, "chain": verify_incremental()})
