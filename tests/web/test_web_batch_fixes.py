"""Batch screening defects from issue 12, one test each: bad files refused (blank name, unknown country) with
file/line/field and no server path; Japanese/Chinese headers; every input column kept with decision columns and
readable explanations; the alert list updating live; a printable record per name (PDF ja/en, font embedded)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from techguard.web.screening import jobs
from techguard.web.screening.models import Job, JobRow


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, name: str, content: bytes):
    return client.post("/screening/batches/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def _refused_page(client, name: str, content: bytes) -> str:
    """Upload, let the worker parse it, and return the job's page (where a refusal is shown)."""
    assert _upload(client, name, content).status_code == 200
    stored = jobs.upload_dir() / Job.objects.get().upload
    assert stored.is_file()
    job = jobs.run_once("w")
    assert job is not None and job.status == "failed" and job.total == 0
    assert not JobRow.objects.filter(job=job).exists() and not stored.exists()
    return client.get(f"/screening/batches/{job.pk}/").content.decode()


def test_blank_name_and_atlantis_are_refused_with_line_and_field_and_nothing_is_queued(login):
    content = b"id,name,country\r\n1,Harbin Engineering University,CN\r\n2,,JP\r\n3,ACME,Atlantis\r\n"
    page = _refused_page(login("alice"), "names.csv", content)
    assert "names.csv: CSV: line 3: field &#x27;name&#x27; is empty" in page
    assert "names.csv: CSV: line 4: field &#x27;country&#x27;: &#x27;Atlantis&#x27; is not a country" in page
    assert "4行目: 国" in page and "/tmp" not in page and "uploads/" not in page
    assert "The file was refused; nothing was screened" in page


def test_countries_are_resolved_through_the_projects_country_resolver(login):
    content = "name,country\r\nHarbin Engineering University,中華人民共和国\r\nACME,Japan\r\nX,\r\n".encode()
    assert _upload(login("alice"), "c.csv", content).status_code == 200
    jobs.run_once("w")
    assert [q["country"] for q in jobs.rows_of(Job.objects.get())] == ["CN", "JP", None]


@pytest.mark.parametrize(("header", "expected"), [
    (["番号", "名称", "国"], ("7", "Harbin Engineering University", "CN")),
    (["ID", "氏名", "国籍"], ("7", "Harbin Engineering University", "CN")),
    (["编号", "姓名", "国家/地区"], ("7", "Harbin Engineering University", "CN")),
])
def test_japanese_english_and_chinese_headers_are_accepted(login, header, expected):
    content = _xlsx([header, [7, "Harbin Engineering University", "CN"]])
    assert _upload(login("alice"), "名簿.xlsx", content).status_code == 200
    jobs.run_once("w")
    query = jobs.rows_of(Job.objects.get())[0]
    assert (query["id"], query["name"], query["country"]) == expected
    assert Job.objects.get().columns == header


def test_a_file_without_a_name_column_is_refused_in_both_languages_without_a_server_path(login):
    page = _refused_page(login("alice"), "list.xlsx", _xlsx([["会社", "国"], ["ACME", "JP"]]))
    assert "list.xlsx: XLSX: line 1: no &#x27;name&#x27; column" in page and "名称の列" in page
    assert "/tmp" not in page and "upload.xlsx" not in page and "uploads/" not in page


def _run(login, content: bytes, name: str = "in.csv") -> Job:
    assert _upload(login("alice"), name, content).status_code == 200
    job = Job.objects.get()
    jobs.run_once("w")
    job.refresh_from_db()
    return job


def test_results_keep_every_input_column_and_add_decision_columns_and_readable_explanations(login, users):
    from techguard.web.accounts.models import Profile

    content = (b"id,name,kind,country,department\r\nA7,Harbin Engineering University,organisation,CN,Physics\r\n"
               b"B2,Tokyo Institute of Technology,,JP,Chemistry\r\n")
    job = _run(login, content)
    text = login("alice").get(f"/screening/batches/{job.pk}/results.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:5] == ["id", "name", "kind", "country", "department"]
    assert {"decision", "decision_reason", "decided_by", "decided_at", "explanation", "snapshot"} <= set(rows[0])
    harbin = next(r for r in rows if r["id"] == "A7")
    assert (harbin["kind"], harbin["country"], harbin["department"]) == ("organisation", "CN", "Physics")
    assert harbin["result"] == "possible match" and harbin["list_code"] == "us_entity_list"
    assert harbin["list"] == "US Entity List (BIS)"
    assert "country: screened CN / listed CN → agrees" in harbin["explanation"] and "{" not in harbin["explanation"]
    tokyo = next(r for r in rows if r["id"] == "B2")
    assert tokyo["department"] == "Chemistry" and tokyo["result"] in {"no match", "candidate", "below threshold"}
    Profile.objects.filter(user=users["alice"]).update(language="ja")
    book = load_workbook(io.BytesIO(login("alice").get(f"/screening/batches/{job.pk}/results.xlsx").content))
    header = [c.value for c in book.active[1]]
    values = dict(zip(header, [c.value for c in book.active[2]], strict=True))
    assert values["result"] == "一致の可能性" and "国: 照会 CN / 掲載 CN → 一致" in values["explanation"]


def test_a_decision_made_after_the_batch_shows_in_its_download(login, users):
    job = _run(login, b"id,name\r\n1,Harbin Engineering University\r\n")
    from techguard.matching.hits import Hit
    from techguard.web.screening.decisions import decide

    hit = Hit.from_json(job.results.get().matches[0])
    decide(users["olga"], hit, "false_positive", "different body, Harbin Institute", {"address": "Harbin"})
    text = login("alice").get(f"/screening/batches/{job.pk}/results.csv").content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["decision"], row["decision_reason"], row["decided_by"]) == (
        "false_positive", "different body, Harbin Institute", "olga")


def test_the_alert_list_updates_live_while_the_job_runs(login, users, settings):
    settings.TECHGUARD_BATCH_CHUNK = 1
    job = jobs.enqueue(users["alice"], "n.csv", [{"name": "ACME Trading"}, {"name": "Harbin Engineering University"},
                                                 {"name": "Tokyo"}])
    page = login("alice").get(f"/screening/batches/{job.pk}/").content.decode()
    assert f'hx-get="/screening/batches/{job.pk}/alerts/"' in page and "None so far." in page
    claimed = jobs.claim("w")
    jobs.process(claimed, "w", max_chunks=2)  # two rows screened, the job still running
    fragment = login("alice").get(f"/screening/batches/{job.pk}/alerts/").content.decode()
    assert "Harbin Engineering University" in fragment and 'hx-trigger="every 2s"' in fragment
    jobs.process(Job.objects.get(pk=job.pk), "w")
    fragment = login("alice").get(f"/screening/batches/{job.pk}/alerts/").content.decode()
    assert "hx-trigger" not in fragment and "Harbin Engineering University" in fragment  # done: polling stops


def _record_text(monkeypatch, client, url):
    from reportlab.platypus import Paragraph

    from techguard.web.screening import record

    seen: list[str] = []
    original = record.SimpleDocTemplate.build

    def capture(self, story, *args, **kwargs):
        seen.extend(p.getPlainText() for p in story if isinstance(p, Paragraph))
        return original(self, story, *args, **kwargs)

    monkeypatch.setattr(record.SimpleDocTemplate, "build", capture)
    response = client.get(url)
    return response, "\n".join(seen)


@pytest.mark.parametrize(("language", "title", "word"), [("en", "Screening record", "possible match"),
                                                          ("ja", "スクリーニング記録", "一致の可能性")])
def test_printable_screening_record_per_name_with_list_versions(login, monkeypatch, language, title, word):
    from techguard.web.screening import services

    versions = [{"source": "us_csl", "title_en": "US Consolidated Screening List (trade.gov)",
                 "title_ja": "米国 統合スクリーニングリスト (CSL)", "snapshot_id": "20261201-abc", "as_of": "2026-12-01",
                 "retrieved_at": "2026-12-01T06:00:00+00:00", "sha256": "f" * 64, "entries": 3}]
    monkeypatch.setattr(services, "list_versions", lambda: versions)
    monkeypatch.setattr(jobs, "list_versions", lambda: versions)
    job = _run(login, "id,name,country\r\n1,西北工业大学,CN\r\n".encode())
    assert job.lists == versions
    response, text = _record_text(monkeypatch, login("alice"), f"/screening/batches/{job.pk}/record/0.pdf?lang={language}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"FontFile2" in response.content  # the CJK font is embedded, not referenced
    assert title in text and "西北工业大学" in text and word in text
    assert "20261201-abc" in text and "2026-12-01" in text
    assert ("米国 統合スクリーニングリスト" if language == "ja" else "US Consolidated Screening List") in text


def test_the_same_party_from_the_csl_and_a_separately_imported_sdn_file_is_one_hit(login, users):
    from techguard.lists.model import Party, PartyKind
    from techguard.matching import Screener
    from techguard.web.screening.services import set_screener_for_tests

    sdn = Party(source="us_ofac_sdn", source_id="36", list="us_sdn", kind=PartyKind.PERSON,
                name="Ivan Petrovich Sidorov", countries=("RU",))
    in_csl = Party(source="us_csl", source_id="us_sdn:x36", list="us_sdn", kind=PartyKind.PERSON,
                   name="Ivan Petrovich Sidorov", countries=("RU",), extra={"entity_number": "36"})
    set_screener_for_tests(Screener.build([sdn, in_csl]))
    page = login("alice").get("/screening/", {"name": "Ivan Petrovich Sidorov"}).content.decode()
    assert page.count('class="match"') == 1 and "also published by" in page
    job = _run(login, b"id,name\r\n1,Ivan Petrovich Sidorov\r\n")
    rows = list(csv.DictReader(io.StringIO(
        login("alice").get(f"/screening/batches/{job.pk}/results.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["result"] == "possible match"
    assert rows[0]["also_listed"] in {"us_csl:us_sdn:x36", "us_ofac_sdn:36"}


def test_rows_live_in_their_own_table_and_jobs_queued_before_still_run(users, settings):
    from techguard.web.screening.models import JobRow

    settings.TECHGUARD_BATCH_CHUNK = 2
    job = jobs.enqueue(users["alice"], "n.csv", [{"name": n} for n in ("ACME", "Harbin Engineering University", "X")])
    assert JobRow.objects.filter(job=job).count() == 3 and job.queries == []
    assert [r["name"] for r in jobs.rows_of(job, 1, 3)] == ["Harbin Engineering University", "X"]
    legacy = Job.objects.create(owner=users["alice"], filename="old.csv", queries=[{"name": "Harbin Engineering University"}],
                                total=1)
    done = [jobs.run_once("w") for _ in range(2)]
    assert {j.pk for j in done} == {job.pk, legacy.pk} and all(j.status == "done" for j in done)
    assert Job.objects.get(pk=legacy.pk).alerts == 1 and Job.objects.get(pk=job.pk).alerts == 1
