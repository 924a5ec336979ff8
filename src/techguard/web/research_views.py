"""Research security page: resolve an affiliation to an institution and show its designations (legal lists)
apart from its assessments (ASPI's tracker), as of a date. Calls ``techguard.research``; no logic here."""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from techguard import config
from techguard.web.audit.chain import record

if TYPE_CHECKING:
    from techguard.research.resolver import Resolver

_lock = threading.Lock()
_cached: tuple[tuple[str, ...], Resolver] | None = None


def _resolver_key() -> tuple[str, ...]:
    from techguard.research.store import current_registry, research_dir
    from techguard.web.screening.services import ScreeningUnavailable, list_status

    data = config.data_dir()
    current = current_registry(data)
    try:
        lists = tuple(f"{s.source}:{s.sha256}" for s in list_status())
    except ScreeningUnavailable:
        lists = ()
    designations = research_dir(data) / "designations"
    stamp = str(max((p.stat().st_mtime_ns for p in designations.rglob("*")), default=0)) if designations.is_dir() \
        else "0"
    return (current[1] if current else "", stamp, *lists)


def get_resolver() -> Resolver:
    """One resolver per process, rebuilt when the registry, the designation imports or the lists change.
    Raises ``techguard.research.RegistryMissing`` with instructions when no registry was imported."""
    global _cached
    from techguard.research.store import open_resolver

    key = _resolver_key()
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, open_resolver(config.data_dir()))
        return _cached[1]


@login_required
def affiliation(request: HttpRequest) -> HttpResponse:
    from techguard.research import RegistryMissing

    text = request.GET.get("affiliation", "").replace("\x00", "").strip()
    as_of = request.GET.get("as_of", "").strip()
    context: dict[str, Any] = {"text": text, "as_of": as_of or dt.date.today().isoformat()}
    if text:
        try:
            dt.date.fromisoformat(context["as_of"])
        except ValueError:
            context["error"] = f"as_of: expected a date YYYY-MM-DD, got {as_of!r}"
            return render(request, "research/affiliation.html", context, status=400)
        try:
            resolution = get_resolver().resolve(text[:1000], as_of=context["as_of"])
        except RegistryMissing as exc:
            context["error"] = str(exc)
        else:
            context["resolution"] = resolution
            record("research.resolved", user=request.user, changes={
                "affiliation": text[:1000], "as_of": context["as_of"], "ror_id": resolution.ror_id,
                "designations": [m.list for m in resolution.designations],
            })
    return render(request, "research/affiliation.html", context)
