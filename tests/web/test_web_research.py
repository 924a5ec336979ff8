"""The research-security page over the real resolver, registry import and Entity List snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.web import research_views
from techguard.web.audit.models import AuditEvent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"


@pytest.fixture()
def research_data(tmp_path, monkeypatch):
    from techguard import config

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    config.set_data_dir(None)
    monkeypatch.setattr(research_views, "_cached", None)
    return tmp_path


def test_without_a_registry_the_page_says_how_to_load_one(login, research_data):
    page = login("alice").get("/research/affiliation/", {"affiliation": "Harbin Inst. of Tech."}).content.decode()
    assert 'id="research-error"' in page and "techguard research registry import" in page


def test_resolves_an_affiliation_and_shows_its_entity_listing(login, research_data):
    from techguard.lists.store import SnapshotStore
    from techguard.research import import_registry

    import_registry(FIXTURES / "ror-small.jsonl", research_data)
    SnapshotStore(research_data / "lists").import_files([FIXTURES / "csl-small.csv"], "csl_csv")
    text = "Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China"
    page = login("olga").get("/research/affiliation/", {"affiliation": text, "as_of": "2026-11-01"}).content.decode()
    assert "Harbin Institute of Technology" in page and "https://ror.org/01yqg2h08" in page
    assert 'id="designations"' in page and "us_entity_list" in page
    event = AuditEvent.objects.get(action="research.resolved")
    assert event.changes["ror_id"] == "https://ror.org/01yqg2h08"
    assert event.changes["designations"] == ["us_entity_list"]
    # before the listing took effect, there is none
    page = login("olga").get("/research/affiliation/", {"affiliation": text, "as_of": "2019-01-01"}).content.decode()
    assert 'id="designations"' not in page and 'id="no-designation"' in page


def test_japanese_name_and_no_match(login, research_data):
    from techguard.research import import_registry

    import_registry(FIXTURES / "ror-small.jsonl", research_data)
    page = login("alice").get("/research/affiliation/", {"affiliation": "東京大学大学院工学系研究科"}).content.decode()
    assert "The University of Tokyo" in page
    # the Japanese rendering of 哈尔滨工业大学, with its city in katakana
    page = login("alice").get("/research/affiliation/", {"affiliation": "ハルビン工業大学"}).content.decode()
    assert "Harbin Institute of Technology" in page
    page = login("alice").get("/research/affiliation/", {"affiliation": "Acme Widget Works"}).content.decode()
    assert 'id="no-match"' in page
    # an unresolved answer never reads as clear: "check by hand", and designations are not called absent
    assert "未解決（要確認）" in page and 'id="designations-unchecked"' in page
    assert "この日付では該当なし" not in page


def test_bad_date_is_named(login, research_data):
    response = login("alice").get("/research/affiliation/", {"affiliation": "x", "as_of": "yesterday"})
    assert response.status_code == 400 and "as_of" in response.content.decode()


def test_case_checks_resolve_the_visitors_institution(login, research_data):
    from techguard.lists.store import SnapshotStore
    from techguard.research import import_registry
    from techguard.web.cases.models import Case

    import_registry(FIXTURES / "ror-small.jsonl", research_data)
    SnapshotStore(research_data / "lists").import_files([FIXTURES / "csl-small.csv"], "csl_csv")
    login("alice").post("/cases/new/visitor/", {"title": "Visit", "person_name": "Wang Fang",
                                                "organisation": "Harbin Inst. of Tech., China", "citizenships": "CN",
                                                "description": "Seminar"})
    case = Case.objects.get()
    employer = next(p for p in case.screening if p["role"] == "employer")
    assert employer["research"]["ror_id"] == "https://ror.org/01yqg2h08"
    assert [d["list"] for d in employer["research"]["designations"]] == ["us_entity_list"]
    assert employer["alert"] is True
    assert "research security" not in case.checks_error
    page = login("alice").get(f"/cases/{case.pk}/").content.decode()
    assert "Harbin Institute of Technology (CN)" in page
