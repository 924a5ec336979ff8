"""Single search, batch upload → background job with persisted progress, resume after a dead worker, lists page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from techguard.web.audit.models import AuditEvent
from techguard.web.screening import jobs
from techguard.web.screening.models import Job, JobResult

NAMES = ["ハルビン工程大学", "Harbin Engineering University", "山田太郎", "Ivan Sidorov", "ACME Trading",
         "西北工業大学", "Tokyo Institute of Technology"]


def _csv(encoding: str) -> bytes:
    text = "id,name\r\n" + "".join(f"{i},{n}\r\n" for i, n in enumerate(NAMES, 1))
    return text.encode(encoding)


def test_single_search_page(login):
    page = login("alice").get("/screening/", {"name": "Harbin Engineering University"}).content.decode()
    assert "us_entity_list" in page and "Possible match" in page
    assert AuditEvent.objects.filter(action="screening.searched").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_upload_in_every_japanese_excel_encoding(login, encoding):
    upload = SimpleUploadedFile("names.csv", _csv(encoding), content_type="text/csv")
    response = login("alice").post("/screening/batches/", {"file": upload})
    assert response.status_code == 302
    job = jobs.run_once("w")
    assert job.total == len(NAMES) and [q["name"] for q in jobs.rows_of(job)] == NAMES


def test_xlsx_upload(login):
    book = Workbook()
    book.active.append(["name"])
    for name in NAMES:
        book.active.append([name])
    out = io.BytesIO()
    book.save(out)
    response = login("alice").post("/screening/batches/", {"file": SimpleUploadedFile("n.xlsx", out.getvalue())})
    assert response.status_code == 302
    assert jobs.run_once("w").total == len(NAMES)


def test_bad_upload_names_file_and_line(login):
    # (a blank name is not an error: like the CLI, it gives a row with no matches)
    upload = SimpleUploadedFile("bad.csv", b"id,name,kind\r\n1,Acme,planet\r\n", content_type="text/csv")
    client = login("alice")
    assert client.post("/screening/batches/", {"file": upload}).status_code == 302
    job = jobs.run_once("w")
    assert job.status == "failed" and not job.rows.exists()
    page = client.get(f"/screening/batches/{job.pk}/").content.decode()
    assert "bad.csv" in page and "line 2" in page


def test_worker_screens_in_chunks_and_results_download(login, users, settings):
    settings.TECHGUARD_BATCH_CHUNK = 3
    job = jobs.enqueue(users["alice"], "names.csv", [{"name": n} for n in NAMES])
    fragment = login("alice").get(f"/screening/batches/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "0/7" in fragment
    done = jobs.run_once("w1")
    assert done.status == "done" and done.processed == 7 and done.alerts >= 3
    fragment = login("alice").get(f"/screening/batches/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and "7/7" in fragment  # polling stops when the job is done
    csv_text = login("alice").get(f"/screening/batches/{job.pk}/results.csv").content.decode("utf-8-sig")
    assert "Harbin Engineering University" in csv_text and "us_entity_list" in csv_text
    book = load_workbook(io.BytesIO(login("alice").get(f"/screening/batches/{job.pk}/results.xlsx").content))
    header = [c.value for c in book.active[1]]
    assert header[:2] == ["name", "row"] and "decision" in header  # input columns first, then results


def test_killed_worker_loses_nothing_and_a_new_worker_resumes(users, settings):
    settings.TECHGUARD_BATCH_CHUNK = 2
    settings.TECHGUARD_JOB_STALE_SECONDS = 30
    job = jobs.enqueue(users["alice"], "names.csv", [{"name": n} for n in NAMES])
    claimed = jobs.claim("dead-worker")
    jobs.process(claimed, "dead-worker", max_chunks=2)  # the worker dies after two chunks
    job.refresh_from_db()
    assert (job.status, job.processed) == ("running", 4)
    assert JobResult.objects.filter(job=job).count() == 4
    assert jobs.claim("w2") is None  # heartbeat still fresh: the job is not taken from a live worker
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - dt.timedelta(seconds=31))
    resumed = jobs.claim("w2")
    assert resumed.pk == job.pk and resumed.attempts == 2 and resumed.processed == 4
    jobs.process(resumed, "w2")
    job.refresh_from_db()
    assert (job.status, job.processed) == ("done", 7)
    assert sorted(JobResult.objects.filter(job=job).values_list("index", flat=True)) == list(range(7))
    assert AuditEvent.objects.filter(action="screening.batch_resumed", object_id=str(job.pk)).exists()


def test_a_presumed_dead_worker_cannot_write_after_takeover(users, settings):
    settings.TECHGUARD_BATCH_CHUNK = 2
    job = jobs.enqueue(users["alice"], "names.csv", [{"name": n} for n in NAMES])
    slow = jobs.claim("slow")
    Job.objects.filter(pk=job.pk).update(worker="other")  # another worker took the job over
    jobs.process(slow, "slow")
    assert JobResult.objects.filter(job=job).count() == 0


def test_failed_job_shows_its_error(users, monkeypatch):
    job = jobs.enqueue(users["alice"], "names.csv", [{"name": "x"}])

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(jobs, "screen_name", broken)
    jobs.run_once("w")
    job.refresh_from_db()
    assert job.status == "failed" and "index unavailable" in job.error


def test_list_status_page_shows_as_of_and_stale_warning(login, tmp_path, monkeypatch):
    from techguard.lists.store import SnapshotStore

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    from techguard import config

    config.set_data_dir(None)
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Ltd,organisation,CN\n", encoding="utf-8")
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    SnapshotStore(tmp_path / "lists", now=lambda: old).import_files([watch], "simple_csv", published="2020-01-01")
    page = login("alice").get("/screening/lists/").content.decode()
    assert "custom" in page and "2020-01-01" in page
    assert 'id="stale-warning"' in page
    assert "Update lists now" not in page  # only administrators see the update button
    assert "Update lists now" in login("ada").get("/screening/lists/").content.decode()


def test_administrator_list_update_runs_in_the_worker_and_reports_each_source(login, tmp_path, monkeypatch):
    """The real store update, with the network replaced by a transport that answers 503."""
    import httpx

    from techguard.lists.store import SnapshotStore
    from techguard.web.screening import services

    store = SnapshotStore(tmp_path / "lists")
    offline = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    real_update = store.update
    monkeypatch.setattr(store, "update", lambda *a, **k: real_update(*a, client=offline, **k))
    monkeypatch.setattr(services, "snapshot_store", lambda: store)
    assert login("olga").post("/screening/lists/").status_code == 403
    response = login("ada").post("/screening/lists/", follow=True)
    assert 'hx-trigger="every 2s"' in response.content.decode()  # queued: the page polls
    job = jobs.run_once("w")
    # every source failed (offline): the update failed, with each source's reason — never "Done/完了"
    assert job.kind == "update_lists" and job.status == "failed"
    page = login("ada").get("/screening/lists/").content.decode()
    assert 'data-status="failed"' in page and "us_csl" in page and "503" in page
    event = AuditEvent.objects.get(action="lists.updated")
    assert event.changes["us_csl"]["status"] == "failed"
    assert AuditEvent.objects.get(action="lists.update_queued").actor == "ada"
    assert "update_lists" not in login("ada").get("/screening/batches/").content.decode()


def test_nul_in_search_and_upload_is_dropped(login):
    page = login("alice").get("/screening/", {"name": "Harbin Engineering\x00 University"}).content.decode()
    assert "us_entity_list" in page
    upload = SimpleUploadedFile("nul.csv", b"id,name\r\n1,Harbin\x00 Engineering University\r\n")
    assert login("alice").post("/screening/batches/", {"file": upload}).status_code == 302
    jobs.run_once("w")
    assert jobs.rows_of(Job.objects.get())[0]["name"] == "Harbin Engineering University"
