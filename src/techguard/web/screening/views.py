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

from techguard import limits
from techguard.web.accounts.roles import is_admin, visible_jobs
from techguard.web.audit.chain import record
from techguard.web.exports import table_response
from techguard.web.screening import jobs
from techguard.web.screening.models import Job
from techguard.web.screening.services import ScreeningUnavailable, list_status, screen_name

MAX_UPLOAD_BYTES = limits.MAX_UPLOAD_BYTES


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
    job = visible_jobs(request.user, Job.objects.filter(pk=pk)).first()  # department scope
    if job is None:
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
            except ValueError as exc:  # names the format and line, never the temporary path
                messages.error(request, f"{upload.name}: {exc}")
                return redirect("batches")
            except OSError:
                messages.error(request, f"{upload.name}: the file could not be read / ファイルを読めません")
                return redirect("batches")
        if not queries:
            messages.error(request, _("The file has no names to screen."))
            return redirect("batches")
        job = jobs.enqueue(request.user, upload.name, queries)
        return redirect("batch_detail", pk=job.pk)
    own = visible_jobs(request.user, Job.objects.filter(kind=jobs.SCREEN_BATCH))
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
    return render(request, "screening/lists.html", {
        "statuses": statuses, "error": error, "stale_days": settings.TECHGUARD_LIST_STALE_DAYS,
        "any_stale": any(s.stale for s in statuses), "update": update,
        "reports": update.results.first().matches if update and update.status == "done" else [],
    })
