"""Department scope on every object: batch jobs, their results and downloads, and audit events."""

from __future__ import annotations

from techguard.web.audit.chain import record
from techguard.web.screening import jobs


def test_batch_jobs_results_and_downloads_are_scoped(login, users):
    job = jobs.enqueue(users["bob"], "chem.csv", [{"name": "Harbin Engineering University", "line": 1}])
    jobs.run_once("w1")
    urls = [f"/screening/batches/{job.pk}/", f"/screening/batches/{job.pk}/progress/",
            f"/screening/batches/{job.pk}/results.csv", f"/screening/batches/{job.pk}/results.xlsx"]
    for url in urls:
        assert login("olga").get(url).status_code == 404, url  # physics officer
        assert login("alice").get(url).status_code == 404, url  # another researcher
        assert login("chen").get(url).status_code == 200, url  # chemistry officer
        assert login("omar").get(url).status_code == 200, url  # officer of all departments
        assert login("bob").get(url).status_code == 200, url  # the owner
    assert "chem.csv" not in login("olga").get("/screening/batches/").content.decode()
    assert "chem.csv" in login("chen").get("/screening/batches/").content.decode()


def test_audit_events_are_scoped(login, users, make_case):
    record("test.chemistry_secret", user=users["bob"], reason="chemistry-only-marker")
    record("test.physics_note", user=users["alice"], reason="physics-only-marker")
    case = make_case("bob")  # events about a chemistry case, some by the system
    olga = login("olga").get("/audit/").content.decode()
    chen = login("chen").get("/audit/").content.decode()
    assert "physics-only-marker" in olga and "chemistry-only-marker" not in olga
    assert case.reference not in olga
    assert "chemistry-only-marker" in chen and "physics-only-marker" not in chen
    assert case.reference in chen
    omar = login("omar").get("/audit/").content.decode()
    assert "chemistry-only-marker" in omar and "physics-only-marker" in omar
