"""Single search, batch upload with a live progress bar, results download, and the list status page."""

from __future__ import annotations

import tempfile
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from techguard import limits
from techguard.web.accounts.roles import is_admin, visible_jobs
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.audit.chain import record
from techguard.web.exports import table_response
from techguard.web.screening import jobs
from techguard.web.screening.models import Job
from techguard.web.screening.services import ListStatus, ScreeningUnavailable, list_status, screen_name

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
    # department scope; rows are read a slice at a time (jobs.rows_of)
    job: Job | None = visible_jobs(request.user, Job.objects.filter(pk=pk).defer("queries")).first()
    if job is None:
        raise Http404(_("No such batch."))
    return job


@login_required
def batches(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file."))
            return redirect("batches")
        filename = upload.name or ""  # a browser always names the file; none is refused below (no suffix)
        suffix = Path(filename).suffix.lower()
        if suffix not in {".csv", ".xlsx", ".txt"} or (upload.size or 0) > MAX_UPLOAD_BYTES:
            messages.error(request, _("Upload a CSV or XLSX file of at most 20 MB."))
            return redirect("batches")
        # stored and queued only: the worker parses it (jobs._parse_stored), so no file can hold the request
        job = jobs.enqueue_upload(request.user, filename, upload.chunks(), suffix)
        return redirect("batch_detail", pk=job.pk)
    own = visible_jobs(request.user, Job.objects.filter(kind=jobs.SCREEN_BATCH))
    return render(request, "screening/batches.html", {"jobs": own.defer("queries")[:100]})


def _flagged(job: Job) -> Any:
    return job.results.filter(alert=True) | job.results.filter(near=True)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "screening/batch.html", {"job": job, "results": _flagged(job)[:200]})


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar fragment; htmx polls it every second while the job runs."""
    job = _job_for(request, pk)
    return render(request, "screening/_progress.html", {"job": job})


@login_required
def batch_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    """The alert list fragment; htmx polls it while the job runs, so alerts appear without a reload."""
    job = _job_for(request, pk)
    return render(request, "screening/_alerts.html", {"job": job, "results": _flagged(job)[:200]})


RESULT_COLUMNS = ("row", "result", "score", "listed_name", "list", "list_code", "source", "entry_id", "also_listed",
                  "related", "snapshot", "matched_name", "programs", "explanation", "decision", "decision_reason",
                  "decided_by", "decided_at")


def _result_rows(job: Job, language: str) -> Any:
    """Every input row with all its columns, then one line per hit (or one "no match" line) with the
    decision columns; explanations as readable text in ``language``. Streams the results from the database."""
    from techguard.matching.batch import canonical_header
    from techguard.web.screening.decisions import annotate

    ja = language.startswith("ja")
    header = job.columns or ["name"]
    labels = {"alert": "一致の可能性" if ja else "possible match", "near": "しきい値未満" if ja else "below threshold",
              "none": "該当なし" if ja else "no match", "other": "候補" if ja else "candidate"}
    results = job.results.all().iterator(chunk_size=500)
    while chunk := list(islice(results, 500)):
        rows = {i: q for i, q in enumerate(jobs.rows_of(job, chunk[0].index, chunk[-1].index + 1), chunk[0].index)}
        # the kept decisions of a whole chunk in one query (a 50,000-row download stays a few hundred queries)
        shown_by_row = [[m for m in r.matches if m["alert"] or m.get("below_threshold")] or r.matches[:1]
                        for r in chunk]
        annotated = iter(annotate([m for shown in shown_by_row for m in shown]))
        for result, shown in zip(chunk, shown_by_row, strict=True):
            given = rows.get(result.index, {}).get("columns") or {"name": result.name}
            inputs = [given.get(canonical_header(h), "") for h in header]
            if not shown:
                yield [*inputs, result.index + 1, labels["none"], *[""] * (len(RESULT_COLUMNS) - 2)]
                continue
            for _listed in shown:
                match = next(annotated)
                listed = match["party"]
                decision = match.get("decision") or {}
                kind = "alert" if match["alert"] else "near" if match.get("below_threshold") else "other"
                yield [
                    *inputs, result.index + 1, labels[kind], match["score"], listed["name"],
                    (listed.get("list_title") or {}).get("ja" if ja else "en", listed["list"]), listed["list"],
                    listed["source"], listed["entry_id"],
                    "; ".join(f"{x['source']}:{x['entry_id']}" for x in match.get("listings", ())),
                    "; ".join(f"{r['party']['list']}:{r['party']['entry_id']}" for r in match.get("related", ())),
                    f"{listed.get('snapshot_id', '')} ({listed.get('snapshot_as_of', '')})",
                    match["matched_name"], " ".join(listed.get("programs") or ()),
                    (match.get("explanation_text") or {}).get("ja" if ja else "en", ""),
                    decision.get("verdict", ""), decision.get("reason", ""), decision.get("by", ""),
                    decision.get("at", decision.get("expires", "")),
                ]


@login_required
def batch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = _job_for(request, pk)
    language = request.LANGUAGE_CODE
    header = [*(job.columns or ["name"]), *RESULT_COLUMNS]
    return table_response(header, _result_rows(job, language), fmt, f"batch-{job.pk}")


@login_required
def lists_status(request: SignedInRequest) -> HttpResponse:
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
    if not uploads or sum(u.size or 0 for u in uploads) > MAX_UPLOAD_BYTES * 5:
        messages.error(request, _("Choose the list file(s) to import (at most 100 MB)."))
        return redirect("lists_status")
    chosen = request.POST.get("format", "").strip() or None
    source = request.POST.get("source", "").strip() or None
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for upload in uploads:
            path = Path(tmp) / Path(upload.name or "upload").name
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
        "title": ListStatus(info.source, info.entries, info.as_of_text, None, False, info.sha256).title(
            request.LANGUAGE_CODE),
        "entries": info.entries, "as_of": info.as_of or _("publication date unknown")})
    rescreen.after_list_update([{"source": info.source, "status": "activated", "snapshot_id": info.snapshot_id,
                                 "previous_id": previous.snapshot_id if previous else None}])
    return redirect("lists_status")


def _pdf(request: HttpRequest, download_name: str, **record: Any) -> HttpResponse:
    from techguard.web.screening.record import FontMissing, record_pdf

    language = request.GET.get("lang") or request.LANGUAGE_CODE
    try:
        pdf = record_pdf(language=language, **record)
    except FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{download_name}.pdf"'
    return response


@login_required
def screening_record(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The printable record of one batch row (ja/en), with the list versions the batch ran against."""
    from techguard.web.screening.decisions import annotate

    job = _job_for(request, pk)
    result = job.results.filter(index=index).first()
    if result is None:
        raise Http404(_("No such row."))
    query = next(iter(jobs.rows_of(job, index, index + 1)), {})
    given = {k: str(v) for k, v in (query.get("columns") or {}).items() if k != "name" and v}
    record("screening.record_printed", user=request.user, obj=job, changes={"row": index + 1, "name": result.name})
    return _pdf(request, f"screening-{job.pk}-{index + 1}", name=result.name, matches=annotate(result.matches),
                lists=job.lists, screened_at=f"{job.finished or job.created:%Y-%m-%d %H:%M} UTC",
                requested_by=job.owner.get_username(), given=given, filename=job.filename)


@login_required
def search_record(request: HttpRequest) -> HttpResponse:
    """The printable record of a single search (screened now, against the lists in use now)."""
    from django.utils import timezone

    from techguard.web.screening.decisions import annotate
    from techguard.web.screening.services import list_versions

    name = request.GET.get("name", "").replace("\x00", "").strip()[:500]
    country = request.GET.get("country", "").strip().upper() or None
    if not name:
        raise Http404(_("No name given."))
    try:
        matches = annotate(screen_name(name, country=country, top=10))
    except ScreeningUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    record("screening.record_printed", user=request.user, changes={"name": name, "country": country})
    return _pdf(request, "screening-record", name=name, matches=matches, lists=list_versions(),
                screened_at=f"{timezone.now():%Y-%m-%d %H:%M} UTC", requested_by=request.user.get_username(),
                given={"country": country or ""})
