"""Single search, batch upload with a live progress bar, results download, and the list status page."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from techguard.web.accounts.roles import is_admin, is_officer
from techguard.web.audit.chain import record
from techguard.web.exports import table_response
from techguard.web.screening import jobs
from techguard.web.screening.models import Job
from techguard.web.screening.services import ListStatus, ScreeningUnavailable, list_status, screen_name

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@login_required
def search(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "").replace("\x00", "").strip()[:500]
    country = request.GET.get("country", "").strip().upper() or None
    matches = None
    error = None
    if name:
        try:
            matches = screen_name(name, country=country, top=10)
        except ScreeningUnavailable as exc:
            error = str(exc)
        else:
            record("screening.searched", user=request.user,
                   changes={"name": name, "country": country, "alerts": sum(m["alert"] for m in matches)})
    return render(request, "screening/search.html",
                  {"name": name, "country": country or "", "matches": matches, "error": error})


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or (job.owner_id != request.user.pk and not is_officer(request.user)):
        raise Http404(_("No such batch."))
    return job


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file."))
            return redirect("batches")
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".csv", ".xlsx", ".txt"} or upload.size > MAX_UPLOAD_BYTES:
            messages.error(request, _("Upload a CSV or XLSX file of at most 20 MB."))
            return redirect("batches")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            with path.open("wb") as out:
                for part in upload.chunks():
                    out.write(part)
            try:
                queries = jobs.parse_upload(path)
            except ImportError as exc:
                messages.error(request, str(ScreeningUnavailable(f"the matching engine is not installed: {exc}")))
                return redirect("batches")
            except (ValueError, OSError) as exc:
                messages.error(request, f"{upload.name}: {exc}")
                return redirect("batches")
        if not queries:
            messages.error(request, _("The file has no names to screen."))
            return redirect("batches")
        job = jobs.enqueue(request.user, upload.name, queries)
        return redirect("batch_detail", pk=job.pk)
    own = Job.objects.filter(kind=jobs.SCREEN_BATCH)
    own = own if is_officer(request.user) else own.filter(owner=request.user)
    return render(request, "screening/batches.html", {"jobs": own.defer("queries")[:100]})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "screening/batch.html", {"job": job, "results": job.results.filter(alert=True)[:200]})


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar fragment; htmx polls it every second while the job runs."""
    job = _job_for(request, pk)
    return render(request, "screening/_progress.html", {"job": job})


@login_required
def batch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = _job_for(request, pk)
    header = ["row", "name", "alert", "score", "matched_name", "listed_name", "list", "source", "programs",
              "explanation"]
    rows = []
    for result in job.results.all():
        if not result.matches:
            rows.append([result.index + 1, result.name, "no", "", "", "", "", "", "", ""])
        for match in result.matches:
            rows.append([result.index + 1, result.name, "yes" if match["alert"] else "no", match["score"],
                         match["matched_name"], match["party"]["name"], match["party"]["list"],
                         match["party"]["source"], " ".join(match["party"]["programs"]),
                         str(match["explanation"])])
    return table_response(header, rows, fmt, f"batch-{job.pk}")


@login_required
def lists_status(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        if not is_admin(request.user):
            raise PermissionDenied
        jobs.enqueue_list_update(request.user)
        messages.success(request, _("List update started; this page shows its progress."))
        return redirect("lists_status")
    try:
        statuses = list_status()
    except ScreeningUnavailable as exc:
        statuses, error = [], str(exc)
    update = Job.objects.filter(kind=jobs.LIST_UPDATE).defer("queries").first()
    finished = update.results.first() if update and not update.is_active else None
    context = {
        "statuses": statuses, "error": error, "stale_days": settings.TECHGUARD_LIST_STALE_DAYS,
        "any_stale": any(s.stale for s in statuses), "update": update,
        "reports": finished.matches if finished else [],
        "formats": _import_formats(),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "update":
        return render(request, "screening/_list_update.html", context)  # the polled fragment
    return render(request, "screening/lists.html", context)


def _import_formats() -> list[tuple[str, str]]:
    from techguard.lists.formats import all_formats

    return sorted((code, fmt.description) for code, fmt in all_formats().items())


def _without(folder: str, text: str) -> str:
    """An error message without the server's temporary folder (the user sees their own file name)."""
    return text.replace(folder + "/", "").replace(folder, "")


@login_required
def lists_import(request: HttpRequest) -> HttpResponse:
    """Import list file(s) from the browser: the CLI's ``lists import`` (same checks and refusals, through the
    snapshot store); an import is a list update, so every active party is re-screened against what it added."""
    if not is_admin(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("lists_status")
    from techguard.lists.errors import ListError
    from techguard.web.screening import rescreen
    from techguard.web.screening.services import snapshot_store

    uploads = request.FILES.getlist("files")
    if not uploads or sum(u.size for u in uploads) > MAX_UPLOAD_BYTES * 5:
        messages.error(request, _("Choose the list file(s) to import (at most 100 MB)."))
        return redirect("lists_status")
    chosen = request.POST.get("format", "").strip() or None
    source = request.POST.get("source", "").strip() or None
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for upload in uploads:
            path = Path(tmp) / Path(upload.name).name
            with path.open("wb") as out:
                for part in upload.chunks():
                    out.write(part)
            paths.append(path)
        store = snapshot_store()
        try:
            if chosen is None:
                from techguard.lists.detect import detect_format

                chosen = detect_format(paths[0] if len(paths) == 1 else Path(tmp))
            previous = store.active_info(source) if source else None
            info = store.import_files(paths if len(paths) == 1 else [Path(tmp)], chosen, source=source)
        except (ListError, KeyError, ValueError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            messages.error(request, _("Import refused: %(reason)s") % {"reason": _without(tmp, str(text))})
            record("lists.import_refused", user=request.user,
                   changes={"files": [u.name for u in uploads], "format": chosen, "reason": _without(tmp, str(text))})
            return redirect("lists_status")
    if previous is None:
        earlier = [h for h in store.history(info.source) if h.snapshot_id != info.snapshot_id]
        previous = earlier[0] if earlier else None
    record("lists.imported", user=request.user, changes={
        "source": info.source, "snapshot_id": info.snapshot_id, "entries": info.entries, "format": chosen,
        "files": [u.name for u in uploads], "sha256": info.sha256})
    messages.success(request, _("%(title)s: %(entries)d entries imported (as of %(as_of)s).") % {
        "title": ListStatus(info.source, info.entries, info.as_of, None, False, info.sha256).title(
            getattr(request, "LANGUAGE_CODE", "en")),
        "entries": info.entries, "as_of": info.as_of})
    rescreen.after_list_update([{"source": info.source, "status": "activated", "snapshot_id": info.snapshot_id,
                                 "previous_id": previous.snapshot_id if previous else None}])
    return redirect("lists_status")
