"""Hostile and clumsy input is refused cleanly where it enters: no 5xx, a message naming the format (never a
server path), nothing stored changed, time and memory bounded."""

from __future__ import annotations

import csv
import io
import json
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from techguard import limits
from techguard.cells import neutralise_formula

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


# ------------------------------------------------------------------ formula injection
@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_are_neutralised(text):
    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula(-5) == -5 and neutralise_formula("ACME =") == "ACME ="


def test_dashboard_export_neutralises_a_case_title(make_case, login):
    make_case("alice", title="=HYPERLINK(\"http://evil\",\"click\")")
    response = login("omar").get("/dashboard/export.csv")  # streamed: rows are written as they are read
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    titles = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert titles == ["'=HYPERLINK(\"http://evil\",\"click\")"]
    book = load_workbook(io.BytesIO(b"".join(login("omar").get("/dashboard/export.xlsx").streaming_content)))
    cell = book.active.cell(2, 2)
    assert cell.data_type != "f" and cell.value.startswith("'=")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cli_result_writer_neutralises(tmp_path, suffix):
    from techguard.matching.batch import ResultWriter
    from techguard.matching.screener import Query

    path = tmp_path / f"out{suffix}"
    writer = ResultWriter(path)
    writer.write(Query(name="=cmd|' /C calc'!A0", id="@1"), [])
    writer.close()
    if suffix == ".csv":
        cells = [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for c in row]
    else:
        cells = [c.value for row in load_workbook(path).active.iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and not any(str(c).startswith(("=", "@")) for c in cells if c)


# ------------------------------------------------------------------ uploads
def _zip_bomb_xlsx() -> bytes:
    """A valid-looking XLSX whose sheet unpacks 1000× (60 MB of one repeated row from ~60 KB)."""
    book = Workbook()
    book.active.append(["name"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = b'<row><c t="inlineStr"><is><t>Harbin Engineering University</t></is></c></row>'
                data = data.replace(b"</sheetData>", row * 800_000 + b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def _refused_by_worker(client, name: str, content: bytes) -> str:
    """Upload (the request only stores the file and queues a job), run the worker, and return the job's page
    and its progress fragment, where the refusal is shown; nothing is screened and the stored file is gone."""
    from techguard.web.screening import jobs
    from techguard.web.screening.models import Job

    assert client.post("/screening/batches/", {"file": SimpleUploadedFile(name, content)}).status_code == 302
    stored = jobs.upload_dir() / Job.objects.get(filename=name, status="queued").upload
    assert stored.is_file()
    job = jobs.run_once("w")
    assert job is not None and job.status == "failed" and job.total == 0 and not job.rows.exists()
    assert not job.results.exists() and not job.upload and not stored.exists()
    page = client.get(f"/screening/batches/{job.pk}/").content.decode()
    fragment = client.get(f"/screening/batches/{job.pk}/progress/").content.decode()
    assert 'data-status="failed"' in fragment and job.error.splitlines()[-1][:20] in page
    return page


def test_xlsx_zip_bomb_is_refused_before_parsing(login):
    from techguard.web.screening import jobs

    bomb = _zip_bomb_xlsx()
    assert len(bomb) < 1_000_000
    client = login("alice")
    tracemalloc.start()
    started = time.perf_counter()
    page = _refused_by_worker(client, "bomb.xlsx", bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "bomb.xlsx: XLSX:" in page and "zip bomb" in page
    assert "/tmp" not in page and "upload.xlsx" not in page and str(jobs.upload_dir()) not in page
    assert elapsed < 10 and peak < 50_000_000


def test_hostile_upload_costs_the_request_only_the_copy(login, monkeypatch):
    """The request never parses: a zip bomb (and an over-limit row count) is stored and queued at once, the
    file lands under the data directory with a name of its own, and the worker refuses it cleanly."""
    from techguard.web.screening import jobs
    from techguard.web.screening.models import Job

    def never(*args, **kwargs):
        raise AssertionError("parsed inside the request")

    client = login("alice")
    bomb = _zip_bomb_xlsx()
    with monkeypatch.context() as patched:
        patched.setattr(jobs, "parse_upload", never)
        started = time.perf_counter()
        response = client.post("/screening/batches/", {"file": SimpleUploadedFile("bomb.xlsx", bomb)})
        elapsed = time.perf_counter() - started
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/screening/batches/{job.pk}/"
    assert elapsed < 2 and job.status == "queued" and job.total == 0 and job.filename == "bomb.xlsx"
    stored = jobs.upload_dir() / job.upload
    assert stored.suffix == ".xlsx" and stored.read_bytes() == bomb and "bomb" not in job.upload
    page = client.get(f"/screening/batches/{job.pk}/").content.decode()
    assert job.upload not in page and "0%" in page  # queued: nothing parsed yet, no server path shown
    done = jobs.run_once("w")
    assert done.status == "failed" and "bomb.xlsx: XLSX:" in done.error and "zip bomb" in done.error
    assert not stored.exists() and not done.rows.exists() and not done.upload

    monkeypatch.setattr(limits, "MAX_BATCH_ROWS", 3)
    body = "name\n" + "".join(f"Name {i}\n" for i in range(5))
    page = _refused_by_worker(client, "many.csv", body.encode())
    assert "many.csv: CSV: more than 3 rows" in page


def test_upload_error_names_format_and_line_never_the_server_path(login):
    page = _refused_by_worker(login("alice"), "bad.csv", b"id,name,kind\r\n1,Acme,planet\r\n")
    assert "bad.csv: CSV: line 2" in page and "/tmp" not in page and "upload.csv" not in page
    assert "uploads/" not in page


def test_too_many_rows_are_refused(login, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BATCH_ROWS", 3)
    body = "name\n" + "".join(f"Name {i}\n" for i in range(5))
    page = _refused_by_worker(login("alice"), "many.csv", body.encode())
    assert "many.csv: CSV: more than 3 rows" in page


def test_very_long_name_is_clipped_and_screened_in_bounded_time(login, users):
    from techguard.web.screening import jobs
    from techguard.web.screening.models import Job

    long_name = "Harbin Engineering University " + "x" * 64_000
    body = f"name\n{long_name}\nIvan Petrovich Sidorov\n".encode()
    assert login("alice").post("/screening/batches/", {"file": SimpleUploadedFile("long.csv", body)}).status_code == 302
    started = time.perf_counter()
    done = jobs.run_once("w1")
    first = jobs.rows_of(Job.objects.get(), 0, 1)[0]
    assert len(first["name"]) == limits.MAX_NAME_CHARS and first["clipped_from"] == len(long_name)
    assert done.status == "done" and done.processed == 2 and time.perf_counter() - started < 20


# ------------------------------------------------------------------ activity documents and API bodies
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    from techguard.cli import app

    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(BILLION_LAUGHS) < 1000
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["assess", str(path)])
    assert result.exit_code == 2 and "YAML: expands to more than" in result.output
    assert time.perf_counter() - started < 5


def test_deep_yaml_and_json_are_refused(tmp_path):
    from techguard.cli import app

    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    for path, label in ((deep_yaml, "YAML"), (deep_json, "JSON")):
        result = CliRunner().invoke(app, ["assess", str(path)])
        assert result.exit_code == 2 and f"{label}: nested more than" in result.output, result.output
        assert "Traceback" not in result.output


def test_api_refuses_deep_json_and_long_names_with_4xx(login):
    client = login("alice")
    deep = '{"activity":' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}"
    response = client.post("/api/assess", deep, content_type="application/json")
    assert response.status_code == 400 and "parse request body" in response.json()["detail"]  # not a 500
    response = client.post("/api/screening/search", {"name": "x" * (limits.MAX_NAME_CHARS + 1)},
                           content_type="application/json")
    assert response.status_code == 422
    response = client.post("/api/screening/search", "{not json", content_type="application/json")
    assert response.status_code == 400


# ------------------------------------------------------------------ tokens
def test_token_name_over_the_column_is_a_clean_400(login, users):
    from techguard.web.accounts.models import ApiToken

    response = login("alice").post("/tokens/", {"name": "t" * (ApiToken.NAME_MAX + 1)})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert login("alice").post("/tokens/", {"name": "t" * ApiToken.NAME_MAX}).status_code == 200
    assert ApiToken.objects.get().expires is not None


def test_expired_and_revoked_tokens_are_refused(users, client):
    from datetime import timedelta

    from django.utils import timezone

    from techguard.web.accounts.models import ApiToken

    row, token = ApiToken.issue(users["alice"], "ci")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/cases", **auth).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/cases", **auth).status_code == 401
    ApiToken.objects.filter(pk=row.pk).update(expires=timezone.now() + timedelta(days=1), revoked=True)
    assert client.get("/api/cases", **auth).status_code == 401
    assert json.loads(client.get("/api/cases", **auth).content)["detail"]


@pytest.mark.parametrize("text", ['a: !!int "x"\n', 'a: !!timestamp "2020-13-45"\n'])
def test_yaml_value_errors_are_reported_as_yaml(tmp_path, text):
    from techguard.cli import app

    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["assess", str(path)])
    assert result.exit_code == 2 and "invalid YAML" in result.output and "JSON" not in result.output
