"""Classification pages and API: search, officer confirmation into the item master, 該非判定書 PDF, review flag."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built_catalogue(shared: Path) -> Any:
    from techguard.catalogue.build import build_from_dirs

    return build_from_dirs([shared / "rules"])


@pytest.fixture()
def catalogue(data_dir: Path, built_catalogue: Any) -> Any:
    from techguard.catalogue import store

    store.save(built_catalogue)
    return built_catalogue


def test_search_page_shows_candidates_with_thresholds_and_reasons(login, catalogue) -> None:
    page = login("alice").get("/classification/", {"q": "希釈冷凍機 10 mK", "lang": "ja"}).content.decode()
    assert "7の項（15の3）" in page and "3A904" in page
    assert 'name="reasons"' not in page  # researchers see candidates, only officers get the confirm form
    assert 'name="reasons"' in login("olga").get("/classification/", {"q": "FPGA 2000 I/O"}).content.decode()
    empty = login("alice").get("/classification/", {"q": ""}).content.decode()
    assert "empty query" in empty


def test_only_officers_confirm_and_the_item_master_keeps_the_as_of_date(login, catalogue) -> None:
    from techguard.web.audit.models import AuditEvent
    from techguard.web.classification.models import ItemClassification

    form = {"item_name": "Readout FPGA", "description": "FPGA with 2,000 I/O", "eccn": "3A001.a.7.a",
            "jp_item": "7の項（1）", "jp_article": "第6条第1号ト（一）", "reasons": "more than 700 I/O"}
    assert login("alice").post("/classification/confirm/", form).status_code == 403
    response = login("olga").post("/classification/confirm/", form)
    assert response.status_code == 302
    row = ItemClassification.objects.get()
    assert row.eccn == "3A001.a.7.a" and row.confirmed_by.username == "olga"
    assert {s["name"]: s["as_of"] for s in row.catalogue_sources}["ccl"] == "2026-07-23"
    assert set(row.entry_hashes) == {"us:3A001.a.7.a", "jp:export_order:7の項（1）"}
    assert AuditEvent.objects.filter(action="classification.confirm").exists()
    detail = login("alice").get(f"/classification/items/{row.pk}/").content.decode()
    assert "3A001.a.7.a" in detail and "review" not in detail.lower().split("<table>")[0]
    bad = login("olga").post("/classification/confirm/", {**form, "eccn": "9Z999"})
    assert bad.status_code == 302 and ItemClassification.objects.count() == 1


@pytest.mark.parametrize("language", ["ja", "en"])
def test_determination_pdf_in_both_languages(login, catalogue, language: str) -> None:
    from pypdf import PdfReader

    from techguard.web.pdf_font import cjk_font

    form = {"item_name": "Thermal camera", "description": "640x480 30 Hz", "eccn": "6A003",
            "jp_item": "10の項（4）", "reasons": "frame rate above 9 Hz / フレームレート9 Hz超"}
    login("olga").post("/classification/confirm/", form)
    from techguard.web.classification.models import ItemClassification

    row = ItemClassification.objects.get()
    response = login("alice").get(f"/classification/items/{row.pk}/determination.pdf", {"lang": language})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "6A003" in text and "10の項（4）" in text
    assert ("該非判定書" in text) if language == "ja" else ("Classification determination" in text)
    _, embedded = cjk_font()
    assert (b"FontFile2" in response.content) == embedded


def test_a_changed_entry_flags_the_classification_for_review(login, catalogue, data_dir: Path) -> None:
    import dataclasses

    from techguard.catalogue import store
    from techguard.web.classification.models import ItemClassification

    login("olga").post("/classification/confirm/", {"item_name": "ADC", "eccn": "3A001.a.5.a.3",
                                                    "jp_item": "7の項（1）", "reasons": "12 bit 6.4 GSPS"})
    row = ItemClassification.objects.get()
    changed = store.load()
    entry = changed.entries["us:3A001.a.5.a.3"]
    changed.entries[entry.id] = dataclasses.replace(entry, text=entry.text + " (amended)", content_hash="changed")
    changed.built_at = "2026-12-31T00:00:00+00:00"
    store.save(changed)
    page = login("olga").get("/classification/items/").content.decode()
    assert "entry changed" in page or "条文が変更" in page
    assert "us:3A001.a.5.a.3" in login("olga").get(f"/classification/items/{row.pk}/").content.decode()


def test_api_search_and_item_master(client, users, catalogue) -> None:
    from techguard.web.accounts.models import ApiToken

    def auth(name: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(users[name], 't')[1]}"}

    found = client.post("/api/classification/search", json.dumps({"query": "GaN HEMT MMIC 30 GHz", "top": 3}),
                        content_type="application/json", **auth("alice"))
    assert found.status_code == 200 and found.json()["candidates"][0]["eccn"].startswith("3A001")
    empty = client.post("/api/classification/search", json.dumps({"query": " "}), content_type="application/json",
                        **auth("alice"))
    assert empty.status_code == 400 and "empty query" in empty.json()["detail"]
    body = {"item_name": "HSM", "eccn": "5A002.a", "jp_item": "9の項（7）", "reasons": "AES-256"}
    denied = client.post("/api/classification/items", json.dumps(body), content_type="application/json",
                         **auth("alice"))
    assert denied.status_code == 403
    created = client.post("/api/classification/items", json.dumps(body), content_type="application/json",
                          **auth("olga"))
    assert created.status_code == 201 and created.json()["eccn"] == "5A002.a"
    listed = client.get("/api/classification/items", **auth("alice")).json()
    assert listed[0]["jp_item"] == "9の項（7）" and listed[0]["needs_review"] == []


def test_pages_are_translated_to_japanese(login, users, catalogue) -> None:
    from techguard.web.accounts.roles import profile_of

    profile = profile_of(users["alice"])
    profile.language = "ja"
    profile.save()
    page = login("alice").get("/classification/", {"q": "FPGA 2000 I/O"}).content.decode()
    assert "該非判定の候補検索" in page and "品目マスタ" in page
