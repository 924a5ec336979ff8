"""Disclosure review: validation, reconciliation flags with evidence and designations, officer review of flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techguard.web import research_views
from techguard.web.audit.models import AuditEvent
from techguard.web.researchsec.models import DisclosureReview

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"


@pytest.fixture()
def research_data(tmp_path, monkeypatch):
    from techguard import config
    from techguard.lists.store import SnapshotStore
    from techguard.research import import_registry

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    config.set_data_dir(None)
    monkeypatch.setattr(research_views, "_cached", None)
    import_registry(FIXTURES / "ror-small.jsonl", tmp_path)
    SnapshotStore(tmp_path / "lists").import_files([FIXTURES / "csl-small.csv"], "csl_csv")
    return tmp_path


def _upload(client, *publications: str):
    files = [SimpleUploadedFile(name, (FIXTURES / name).read_bytes()) for name in publications]
    disclosure = SimpleUploadedFile("disclosure.json", (FIXTURES / "disclosure.json").read_bytes())
    return client.post("/research/disclosures/", {"disclosure": disclosure, "publications": files,
                                                  "as_of": "2026-11-01"})


def test_undeclared_designated_affiliation_is_escalated_and_reviewed(login, research_data):
    response = _upload(login("alice"), "openalex-works.json")
    assert response.status_code == 302, response.content[:500]
    review = DisclosureReview.objects.get()
    assert review.person == "Taro Suzuki" and review.department.name == "Physics"
    undeclared = [f for f in review.flags if f["kind"] == "undeclared_affiliation"]
    assert len(undeclared) == 1  # the declared University of Tokyo work is covered
    flag = undeclared[0]
    assert flag["institution"]["name"] == "Harbin Institute of Technology" and flag["triage"] == "escalate"
    assert flag["evidence"]["work_id"].endswith("W2") and "Harbin Inst. of Tech." in flag["evidence"]["raw"]
    assert [d["list"] for d in flag["designations"]] == ["us_entity_list"]
    page = login("alice").get(f"/research/disclosures/{review.pk}/").content.decode()
    assert "Harbin Institute of Technology" in page and 'name="state"' not in page  # researchers cannot review

    # another researcher cannot see it; the department's officer reviews the flag
    assert login("bob").get(f"/research/disclosures/{review.pk}/").status_code == 404
    assert login("alice").post(f"/research/disclosures/{review.pk}/flags/{flag['id']}/",
                               {"state": "dismissed", "note": "x"}).status_code == 403
    response = login("olga").post(f"/research/disclosures/{review.pk}/flags/{flag['id']}/",
                                  {"state": "confirmed", "note": "Visiting appointment not disclosed"})
    assert response.status_code == 302
    review.refresh_from_db()
    reviewed = next(f for f in review.flags if f["id"] == flag["id"])
    assert reviewed["state"] == "confirmed" and reviewed["history"][-1]["reviewer"] == "olga"
    event = AuditEvent.objects.get(action="disclosure.flag_reviewed")
    assert event.changes["state"] == ["unreviewed", "confirmed"] and event.reason.startswith("Visiting")


def test_bad_publication_file_is_named(login, research_data):
    bad = SimpleUploadedFile("works.json", b'{"unexpected": 1}')
    disclosure = SimpleUploadedFile("disclosure.json", (FIXTURES / "disclosure.json").read_bytes())
    response = login("alice").post("/research/disclosures/", {"disclosure": disclosure, "publications": [bad]},
                                   follow=True)
    assert "works.json" in response.content.decode() and "not an OpenAlex" in response.content.decode()
    assert not DisclosureReview.objects.exists()


def test_disclosure_errors_name_the_field(login, research_data):
    disclosure = SimpleUploadedFile("d.json", b'{"person_id": "x", "names": [], "appointments": [{"colour": 1}]}')
    response = login("alice").post("/research/disclosures/", {"disclosure": disclosure}, follow=True)
    page = response.content.decode()
    assert "d.json" in page and "appointments" in page
