"""The batch-screening worker: claims a job, screens it chunk by chunk, persists progress with each chunk.

Durability: every chunk's results and the job's ``processed`` counter are written in one transaction, so a
killed worker loses at most the chunk it was working on. A job still marked running whose heartbeat is older
than ``TECHGUARD_JOB_STALE_SECONDS`` belongs to a dead worker; the next worker claims it and resumes at
``processed``. While a worker holds a job, a heartbeat thread refreshes the heartbeat every quarter of that
timeout, however long one chunk (or a list download) takes, so a live worker's job is never taken over.

Background work runs on this table rather than django-tasks: a batch needs resumable progress per chunk and a
takeover rule for dead workers, which django-tasks' database backend does not give (a task is one unit that
either finishes or is retried from the start).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from techguard.web.audit.chain import record
from techguard.web.screening.decisions import annotate
from techguard.web.screening.models import Job, JobResult, JobRow, JobStatus
from techguard.web.screening.services import list_versions, screen_name

log = logging.getLogger("techguard.web.worker")
SCREEN_BATCH = "screen_batch"
LIST_UPDATE = "update_lists"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class UploadError(ValueError):
    """A batch file refused: every problem named by line and field, in English and Japanese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


MAX_PROBLEMS = 20


def parse_upload(path: Path, shown_name: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """The header (as written) and the queries of a CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX file, read by the
    matching package's reader (English/Japanese/Chinese header names). Refused as a whole — nothing is queued
    — when a row has no name, an unknown kind or a country that is not a country (the officer guide's promise);
    messages name ``shown_name`` (the user's file), never the server's copy."""
    from techguard import limits
    from techguard.matching.batch import QueryFileError, read_header, read_rows
    from techguard.matching.features import parse_kind
    from techguard.text.countries import to_iso2

    shown = shown_name or path.name
    label = "XLSX" if path.suffix.lower() in (".xlsx", ".xlsm") else "CSV"

    def clean(message: str) -> str:  # the user's file name and its format, never the server's copy
        return message.replace(f"{path}: ", f"{shown}: {label}: ").replace(str(path), shown)

    problems: list[str] = []
    queries: list[dict[str, Any]] = []
    try:
        # bounded before anything is parsed: file size, an XLSX's unpacked size and ratio (zip bombs), rows
        limits.check_file_size(path)
        if label == "XLSX":
            limits.check_xlsx_archive(path)
        header = read_header(path)
        for number, (line, row) in enumerate(read_rows(path), start=1):
            if number > limits.MAX_BATCH_ROWS:
                raise limits.InputLimitError(f"more than {limits.MAX_BATCH_ROWS:,} rows (limit); split the file")
            row = {k: _text(v) or "" for k, v in row.items()}
            if not any(row.values()):
                continue
            name = row.get("name", "").strip()
            if not name:
                problems.append(f"{shown}: {label}: line {line}: field 'name' is empty / {line}行目: 名称が空です")
            kind = row.get("kind") or None
            try:
                parse_kind(kind)
            except ValueError:
                problems.append(f"{shown}: {label}: line {line}: field 'kind': unknown kind {kind!r} (person, organisation, "
                                f"vessel, aircraft) / {line}行目: 種別 {kind!r} が不明です（個人・団体・船舶・航空機）")
            country_text = row.get("country") or ""
            country = to_iso2(country_text) if country_text else None
            if country_text and country is None:
                problems.append(f"{shown}: {label}: line {line}: field 'country': {country_text!r} is not a country "
                                f"/ {line}行目: 国 {country_text!r} は国として認識できません")
            if len(problems) >= MAX_PROBLEMS:
                break
            # a name over MAX_NAME_CHARS is screened on its first MAX_NAME_CHARS characters, not refused
            clipped_name, clipped = limits.clip_name(name)
            queries.append({
                **({"clipped_from": len(name)} if clipped else {}),
                "name": clipped_name, "kind": kind, "country": country, "dob": row.get("dob") or None,
                "identifier": row.get("identifier") or None, "id": row.get("id") or str(number), "line": line,
                "columns": row,
            })
    except QueryFileError as exc:
        raise UploadError([clean(str(exc))]) from None
    except ValueError as exc:  # a limit (techguard.limits): named by format, never the server's path
        message = clean(str(exc))
        raise UploadError([message if message.startswith(f"{shown}: ") else f"{shown}: {label}: {message}"]) from None
    if problems:
        raise UploadError(problems)
    return header, queries


def rows_of(job: Job, start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
    """The job's uploaded rows ``start:stop``, read from the database a slice at a time."""
    if job.queries:  # queued before rows had their own table
        return list(job.queries[start:stop])
    rows = JobRow.objects.filter(job=job, index__gte=start)
    if stop is not None:
        rows = rows.filter(index__lt=stop)
    return [data for data in rows.order_by("index").values_list("data", flat=True)]


def _text(value: Any) -> str | None:
    # NUL bytes (seen in files exported from old systems) cannot be stored by PostgreSQL and mean nothing here
    return None if value is None else str(value).replace("\x00", "")


ROW_BATCH = 2000


def enqueue(user: User, filename: str, queries: list[dict[str, Any]], columns: list[str] | None = None) -> Job:
    with transaction.atomic():
        job = Job.objects.create(owner=user, filename=filename, total=len(queries), columns=columns or [])
        for start in range(0, len(queries), ROW_BATCH):
            JobRow.objects.bulk_create(JobRow(job=job, index=start + i, data=q)
                                       for i, q in enumerate(queries[start:start + ROW_BATCH]))
        record("screening.batch_queued", user=user, obj=job, changes={"file": filename, "rows": len(queries)})
    return job


REFUSED = ("The file was refused; nothing was screened. Fix these rows and upload it again: / "
           "ファイルを受け付けませんでした（スクリーニングは行っていません）。次の行を直して再度アップロードしてください:")
NO_NAMES = "The file has no names to screen. / ファイルに照合する名前がありません。"


def upload_dir() -> Path:
    """Where uploaded batch files wait for the worker (inside the data directory, never shown to users)."""
    from techguard import config

    path = config.data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def enqueue_upload(user: User, filename: str, chunks: Iterable[bytes], suffix: str) -> Job:
    """Store an uploaded file as it is and queue it; the worker parses it (``parse_upload``), so a hostile file
    (a zip bomb, a million rows) costs the request nothing but the copy."""
    path = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    try:
        with path.open("wb") as out:
            for part in chunks:
                out.write(part)
        with transaction.atomic():
            job = Job.objects.create(owner=user, filename=filename, upload=path.name)
            record("screening.batch_queued", user=user, obj=job, changes={"file": filename})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _parse_stored(job: Job, worker: str) -> bool:
    """Parse the job's stored upload into its rows (True), or fail the job with every problem listed (False).
    The rows (or the refusal) and the emptied ``upload`` commit together; the file is deleted after that."""
    path = upload_dir() / Path(job.upload).name
    columns: list[str] = []
    queries: list[dict[str, Any]] = []
    try:
        columns, queries = parse_upload(path, job.filename)
        problems = [] if queries else [NO_NAMES]
    except UploadError as exc:
        problems = [REFUSED, *exc.problems]
    except ValueError as exc:  # names the format and line, never the stored path
        problems = [f"{job.filename}: {str(exc).replace(str(path), job.filename)}"]
    except OSError:
        problems = [f"{job.filename}: the file could not be read / ファイルを読めません"]
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, worker=worker).exists():
            return False  # taken over: the new owner parses the file
        if problems:
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="\n".join(problems), upload="",
                                                 finished=timezone.now(), heartbeat=timezone.now())
            record("screening.batch_refused", obj=job, changes={"file": job.filename, "problems": problems})
        else:
            JobRow.objects.filter(job=job).delete()  # a parse interrupted before commit left nothing; be sure
            for start in range(0, len(queries), ROW_BATCH):
                JobRow.objects.bulk_create(JobRow(job=job, index=start + i, data=q)
                                           for i, q in enumerate(queries[start:start + ROW_BATCH]))
            Job.objects.filter(pk=job.pk).update(total=len(queries), columns=columns, upload="",
                                                 heartbeat=timezone.now())
            record("screening.batch_parsed", obj=job, changes={"file": job.filename, "rows": len(queries)})
    path.unlink(missing_ok=True)
    job.refresh_from_db()
    return not problems


def enqueue_list_update(user: User) -> Job:
    """Downloading every list can take minutes: the worker does it, the Lists page shows its progress."""
    with transaction.atomic():
        job = Job.objects.create(owner=user, kind=LIST_UPDATE, filename="lists", total=1)
        record("lists.update_queued", user=user, obj=job)
    return job


def _update_lists(job: Job, worker: str) -> Job:
    from techguard.web.screening.services import snapshot_store, warm_up

    # each source checked before activation, and the coming lists indexed before each switch (snapshot_store)
    updates = snapshot_store().update()
    reports = [r.to_json() for r in updates]
    warm_up()
    failed = [r for r in reports if r["status"] in ("refused", "failed")]
    # every source failing (an offline machine) is a failed update, not "done"; each source's reason is kept
    everything_failed = bool(reports) and len(failed) == len(reports)
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, worker=worker).exists():
            return job
        JobResult.objects.create(job=job, index=0, name="lists", matches=reports, alert=bool(failed))
        Job.objects.filter(pk=job.pk).update(
            processed=1, status=JobStatus.FAILED if everything_failed else JobStatus.DONE, finished=timezone.now(),
            heartbeat=timezone.now(),
            error="\n".join(f"{r['source']}: {r['message']}" for r in failed) if everything_failed else "",
        )
        record("lists.updated", obj=job, changes={update.source: {k: r[k] for k in ("status", "message", "snapshot_id")}
                                                  for update, r in zip(updates, reports, strict=True)})
    _rescreen_after(reports)
    job.refresh_from_db()
    return job


def _rescreen_after(reports: list[dict[str, Any]]) -> None:
    """Every active party is re-screened against what the update changed; a failure is logged and audited
    (the update itself stands)."""
    from techguard.web.screening import rescreen

    try:
        rescreen.after_list_update(reports)
    except Exception as exc:
        log.exception("re-screening after the list update failed")
        record("screening.rescreen_failed", changes={"error": f"{type(exc).__name__}: {exc}"})


def claim(worker: str) -> Job | None:
    """Take the oldest queued job, or a running one whose worker stopped beating."""
    stale_before = timezone.now() - timedelta(seconds=settings.TECHGUARD_JOB_STALE_SECONDS)
    with transaction.atomic():
        candidates = Job.objects.filter(
            Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat__lt=stale_before)
        ).order_by("id")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        job = candidates.first()
        if job is None:
            return None
        resumed = job.status == JobStatus.RUNNING
        job.status = JobStatus.RUNNING
        job.worker = worker
        job.heartbeat = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "worker", "heartbeat", "attempts"])
        if resumed:
            record("screening.batch_resumed", obj=job, changes={"from_row": job.processed, "worker": worker},
                   reason="previous worker's heartbeat went stale")
    return job


class Heartbeat:
    """Keeps ``job.heartbeat`` fresh from a thread while the work runs in the calling thread."""

    def __init__(self, job_pk: int, worker: str, interval: float | None = None) -> None:
        self.job_pk, self.worker = job_pk, worker
        self.interval = interval if interval is not None else max(0.5, settings.TECHGUARD_JOB_STALE_SECONDS / 4)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_pk}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    # only while this worker still owns the job: a heartbeat never revives a job taken over
                    Job.objects.filter(pk=self.job_pk, worker=self.worker, status=JobStatus.RUNNING).update(
                        heartbeat=timezone.now())
                except Exception:  # a missed beat is not fatal; the next one retries
                    log.warning("heartbeat of job %s failed", self.job_pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def process(job: Job, worker: str, *, max_chunks: int | None = None) -> Job:
    """Screen the job's remaining rows; ``max_chunks`` stops early (used to simulate a killed worker)."""
    with Heartbeat(job.pk, worker):
        return _process(job, worker, max_chunks=max_chunks)


def _process(job: Job, worker: str, *, max_chunks: int | None = None) -> Job:
    chunk = max(1, settings.TECHGUARD_BATCH_CHUNK)
    done_chunks = 0
    try:
        if job.kind == LIST_UPDATE:
            return _update_lists(job, worker)
        if job.upload and not _parse_stored(job, worker):
            return job
        if not job.lists:  # the list versions this batch is screened against, for its printed records
            job.lists = list_versions()
            Job.objects.filter(pk=job.pk).update(lists=job.lists)
        while job.processed < job.total:
            if max_chunks is not None and done_chunks >= max_chunks:
                return job
            start = job.processed
            rows = rows_of(job, start, start + chunk)
            results = []
            for offset, query in enumerate(rows):
                matches = annotate(screen_name(query["name"], kind=query.get("kind"), country=query.get("country"),
                                               dob=query.get("dob"), identifier=query.get("identifier")))
                results.append(JobResult(job=job, index=start + offset, name=query["name"],
                                         alert=any(m["alert"] and m["status"] != "ruled_out" for m in matches),
                                         near=any(m.get("below_threshold") and "decision" not in m for m in matches),
                                         matches=matches))
            with transaction.atomic():
                # Only the worker that owns the job may write; a worker that was presumed dead stops here.
                owned = Job.objects.filter(pk=job.pk, worker=worker, processed=start).update(
                    processed=start + len(rows), heartbeat=timezone.now(),
                    alerts=job.alerts + sum(r.alert for r in results),
                )
                if not owned:
                    log.warning("job %s was taken over by another worker; stopping", job.pk)
                    return job
                JobResult.objects.bulk_create(results)
            # only the counters: reloading the queries (a 50,000-row JSON) per chunk would cost O(rows²)
            job.refresh_from_db(fields=["processed", "alerts", "heartbeat", "worker", "status"])
            done_chunks += 1
        # the state change and its audit event commit together: nobody sees "done" without the record of it
        with transaction.atomic():
            job.status = JobStatus.DONE
            job.finished = timezone.now()
            job.save(update_fields=["status", "finished"])
            record("screening.batch_done", obj=job, changes={"rows": job.total, "alerts": job.alerts})
    except Exception as exc:  # the job, not the worker, fails; the error is shown on the job's page
        log.exception("job %s failed", job.pk)
        if job.upload:
            (upload_dir() / Path(job.upload).name).unlink(missing_ok=True)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}",
                                                 finished=timezone.now(), upload="")
            record("screening.batch_failed", obj=job, changes={"error": str(exc), "row": job.processed})
        job.refresh_from_db()
    return job


def run_once(worker: str | None = None) -> Job | None:
    worker = worker or worker_id()
    job = claim(worker)
    return process(job, worker) if job else None


def run_forever(stop: threading.Event | None = None, poll_seconds: float = 1.0) -> None:
    """The worker loop (``techguard web worker`` and the thread that ``web serve`` starts)."""
    worker = worker_id()
    log.info("worker %s started", worker)
    while stop is None or not stop.is_set():
        close_old_connections()
        try:
            job = run_once(worker)
        except Exception:
            log.exception("worker loop error")
            job = None
        if job is None:
            time.sleep(poll_seconds)


__all__ = [
    "LIST_UPDATE",
    "SCREEN_BATCH",
    "Heartbeat",
    "UploadError",
    "claim",
    "enqueue",
    "enqueue_list_update",
    "enqueue_upload",
    "parse_upload",
    "process",
    "rows_of",
    "run_forever",
    "run_once",
    "upload_dir",
    "worker_id",
]
