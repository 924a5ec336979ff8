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
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from techguard.web.audit.chain import record
from techguard.web.screening.models import Job, JobResult, JobStatus
from techguard.web.screening.services import screen_name

log = logging.getLogger("techguard.web.worker")
SCREEN_BATCH = "screen_batch"
LIST_UPDATE = "update_lists"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def parse_upload(path: Path) -> list[dict[str, Any]]:
    """Queries from a CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX file, through the matching package's reader.

    Bounded before anything is parsed: the file's size, an XLSX's unpacked size and compression ratio (zip
    bombs), then the row count while reading. A name over ``MAX_NAME_CHARS`` is screened on its first
    ``MAX_NAME_CHARS`` characters (``clipped_from`` keeps its length) rather than failing the batch.
    Errors name the format and line, never the server's path of the file (a ``ValueError``).
    """
    from techguard import limits
    from techguard.matching import read_queries

    label = "XLSX" if path.suffix.lower() in (".xlsx", ".xlsm") else "CSV"
    queries: list[dict[str, Any]] = []
    try:
        limits.check_file_size(path)
        if label == "XLSX":
            limits.check_xlsx_archive(path)
        for number, query in enumerate(read_queries(path), start=1):
            if number > limits.MAX_BATCH_ROWS:
                raise limits.InputLimitError(f"{label}: more than {limits.MAX_BATCH_ROWS:,} rows (limit); "
                                             "split the file")
            name, clipped = limits.clip_name(_text(query.name) or "")
            row: dict[str, Any] = {
                "name": name, "kind": _text(getattr(query, "kind", None)),
                "country": _text(getattr(query, "country", None)), "dob": _text(getattr(query, "dob", None)),
                "line": number,
            }
            if clipped:
                row["clipped_from"] = len(query.name)
            queries.append(row)
    except ValueError as exc:
        message = str(exc).replace(f"{path}: ", f"{label}: ").replace(str(path), label)
        raise ValueError(message if message.startswith(label) else f"{label}: {message}") from None
    return queries


def _text(value: Any) -> str | None:
    # NUL bytes (seen in files exported from old systems) cannot be stored by PostgreSQL and mean nothing here
    return None if value is None else str(value).replace("\x00", "")


def enqueue(user: Any, filename: str, queries: list[dict[str, Any]]) -> Job:
    with transaction.atomic():
        job = Job.objects.create(owner=user, filename=filename, queries=queries, total=len(queries))
        record("screening.batch_queued", user=user, obj=job, changes={"file": filename, "rows": len(queries)})
    return job


def enqueue_list_update(user: Any) -> Job:
    """Downloading every list can take minutes: the worker does it, the Lists page shows its progress."""
    with transaction.atomic():
        job = Job.objects.create(owner=user, kind=LIST_UPDATE, filename="lists", total=1)
        record("lists.update_queued", user=user, obj=job)
    return job


def _update_lists(job: Job, worker: str) -> Job:
    from techguard.web.screening.services import snapshot_store, warm_up

    reports = [r.to_json() for r in snapshot_store().update()]  # each source checked before activation
    warm_up()  # index the new lists (and cache the index on disk) here, not on the next user's check
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, worker=worker).exists():
            return job
        JobResult.objects.create(job=job, index=0, name="lists", matches=reports,
                                 alert=any(r["status"] in ("refused", "failed") for r in reports))
        Job.objects.filter(pk=job.pk).update(processed=1, status=JobStatus.DONE, finished=timezone.now(),
                                             heartbeat=timezone.now())
        record("lists.updated", obj=job, changes={r["source"]: {k: r[k] for k in ("status", "message", "snapshot_id")}
                                                  for r in reports})
    job.refresh_from_db()
    return job


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
        while job.processed < job.total:
            if max_chunks is not None and done_chunks >= max_chunks:
                return job
            start = job.processed
            rows = job.queries[start:start + chunk]
            results = []
            for offset, query in enumerate(rows):
                matches = screen_name(query["name"], kind=query.get("kind"), country=query.get("country"),
                                      dob=query.get("dob"))
                results.append(JobResult(job=job, index=start + offset, name=query["name"],
                                         alert=any(m["alert"] for m in matches), matches=matches))
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
            job.refresh_from_db()
            done_chunks += 1
        # the state change and its audit event commit together: nobody sees "done" without the record of it
        with transaction.atomic():
            job.status = JobStatus.DONE
            job.finished = timezone.now()
            job.save(update_fields=["status", "finished"])
            record("screening.batch_done", obj=job, changes={"rows": job.total, "alerts": job.alerts})
    except Exception as exc:  # the job, not the worker, fails; the error is shown on the job's page
        log.exception("job %s failed", job.pk)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}",
                                                 finished=timezone.now())
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


__all__ = ["LIST_UPDATE", "SCREEN_BATCH", "Heartbeat", "claim", "enqueue", "enqueue_list_update", "parse_upload", "process", "run_forever", "run_once", "worker_id"]
