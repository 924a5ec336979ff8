"""The 該非判定 step of a case: researcher proposal from the catalogue's candidates, officer confirmation into the
item master (sets item.eccn / item.jp_list_item and re-runs the checks), decided cases frozen, roles enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from techguard.web.cases.models import Case, ClassificationProposal

pytestmark = pytest.mark.django_db

SHIPPING = {"title": "Readout board", "item_type": "commodity", "description": "FPGA readout board",
            "destination": "CN", "consignee": "Shanghai Jiao Tong University", "end_user": "", "eccn": "",
            "jp_list_item": "", "other_parties": ""}
QUERY = "FPGA board for detector readout with 2,000 user I/Os"


@pytest.fixture(scope="module")
def built_catalogue(shared: Path) -> Any:
    from techguard.catalogue.build import build_from_dirs

    return build_from_dirs([shared / "rules"])


@pytest.fixture()
def catalogue(data_dir: Path, built_catalogue: Any) -> Any:
    from techguard.catalogue import store

    store.save(built_catalogue)
    return built_catalogue


@pytest.fixture()
def shipping_case(login: Any) -> Case:
    response = login("alice").post("/cases/new/shipping/", SHIPPING)
    assert response.status_code == 302, response.content.decode()[:1500]
    return Case.objects.get()


def _pick(page: str, eccn_prefix: str) -> str:
    """The radio value of the first candidate whose ECCN starts with ``eccn_prefix``."""
    import re

    for value, eccn in re.findall(r'value="(\d+)" id="choice-\d+" required></td>\s*<td><label[^>]*>([^<]*)<', page):
        if eccn.startswith(eccn_prefix):
            return value
    raise AssertionError(f"no candidate {eccn_prefix} in the page")


def test_researcher_sees_candidates_and_proposes_one(login, catalogue, shipping_case) -> None:
    from techguard.web.audit.models import AuditEvent

    alice = login("alice")
    first = alice.get(f"/cases/{shipping_case.pk}/").content.decode()
    assert ">FPGA readout board</textarea>" in first  # her pre-check description is the first query
    page = alice.get(f"/cases/{shipping_case.pk}/", {"classify_q": QUERY}).content.decode()
    assert 'id="classify"' in page and "classify-candidate" in page
    choice = _pick(page, "3A001")
    assert 'id="classify-confirm"' not in page  # the researcher gets no confirmation form
    response = alice.post(f"/cases/{shipping_case.pk}/classify/", {"query": QUERY, "choice": choice})
    assert response.status_code == 302
    proposal = ClassificationProposal.objects.get()
    assert proposal.query == QUERY and proposal.chosen["eccn"].startswith("3A001")
    assert proposal.chosen["jp_item"] == "7の項（1）" and proposal.confirmed is None
    shipping_case.refresh_from_db()
    assert "eccn" not in shipping_case.facts["item"]  # only the officer's confirmation sets the facts
    assert AuditEvent.objects.filter(action="case.classification_proposed").exists()
    page = alice.get(f"/cases/{shipping_case.pk}/").content.decode()
    assert 'id="proposal"' in page and "7の項（1）" in page


def test_none_fits_is_recorded_and_prefills_not_listed(login, catalogue, shipping_case) -> None:
    login("alice").post(f"/cases/{shipping_case.pk}/classify/", {"query": "a wooden chair", "choice": "none"})
    proposal = ClassificationProposal.objects.get()
    assert proposal.chosen is None
    page = login("olga").get(f"/cases/{shipping_case.pk}/").content.decode()
    assert 'value="EAR99"' in page and 'value="非該当"' in page


def test_bad_pick_and_empty_query_get_clear_errors(login, catalogue, shipping_case) -> None:
    alice = login("alice")
    response = alice.post(f"/cases/{shipping_case.pk}/classify/", {"query": QUERY, "choice": "99"}, follow=True)
    assert "not one of" in response.content.decode()
    response = alice.post(f"/cases/{shipping_case.pk}/classify/", {"query": "", "choice": "none"}, follow=True)
    assert "empty query" in response.content.decode()
    assert not ClassificationProposal.objects.exists()
    page = alice.get(f"/cases/{shipping_case.pk}/", {"classify_q": ""}).content.decode()
    assert "empty query" in page


def test_officer_confirmation_sets_the_facts_and_changes_the_determination(login, catalogue, shipping_case):
    from techguard.web.audit.models import AuditEvent
    from techguard.web.classification.models import ItemClassification

    page = login("alice").get(f"/cases/{shipping_case.pk}/", {"classify_q": QUERY}).content.decode()
    login("alice").post(f"/cases/{shipping_case.pk}/classify/", {"query": QUERY, "choice": _pick(page, "3A001")})
    before = shipping_case.assessment
    response = login("olga").post(f"/cases/{shipping_case.pk}/classify/confirm/", {
        "eccn": "3A001.a.7.a", "jp_item": "7の項（1）", "jp_article": "第6条第1号ト（一）",
        "reasons": "more than 700 user I/O / ユーザI/O 700超"})
    assert response.status_code == 302
    shipping_case.refresh_from_db()
    assert shipping_case.facts["item"]["eccn"] == "3A001.A.7.A"
    assert shipping_case.facts["item"]["jp_list_item"] == "7の項（1）"
    row = ItemClassification.objects.get()
    assert row.confirmed_by.username == "olga" and row.description == QUERY and row.catalogue_sources
    assert ClassificationProposal.objects.get().confirmed == row
    after = shipping_case.assessment
    assert after != before
    assert (before["jp_fefta"]["outcome"], after["jp_fefta"]["outcome"]) == ("incomplete", "licence_required")
    assert after["jp_fefta"]["details"]["jp_list_item"] == "7の項（1）"
    assert AuditEvent.objects.filter(action="case.classification_confirmed").exists()
    page = login("alice").get(f"/cases/{shipping_case.pk}/").content.decode()
    assert 'id="confirmed-eccn"' in page


def test_a_researcher_cannot_confirm(login, catalogue, shipping_case) -> None:
    response = login("alice").post(f"/cases/{shipping_case.pk}/classify/confirm/", {
        "eccn": "EAR99", "jp_item": "非該当", "reasons": "mine"})
    assert response.status_code == 403
    shipping_case.refresh_from_db()
    assert "eccn" not in shipping_case.facts["item"]


def test_a_decided_case_is_frozen(login, catalogue, shipping_case) -> None:
    from techguard.web.cases import workflow

    workflow.submit(shipping_case, shipping_case.owner)
    olga = login("olga")
    olga.post(f"/cases/{shipping_case.pk}/review/", {"decision": "rejected", "comment": "no"})
    shipping_case.refresh_from_db()
    assert shipping_case.is_decided
    assessment = shipping_case.assessment
    response = olga.post(f"/cases/{shipping_case.pk}/classify/confirm/", {
        "eccn": "3A001.a.7.a", "jp_item": "7の項（1）", "reasons": "late"}, follow=True)
    assert "frozen" in response.content.decode()
    shipping_case.refresh_from_db()
    assert "eccn" not in shipping_case.facts["item"] and shipping_case.assessment == assessment
    # and the researcher cannot propose on it either
    assert login("alice").post(f"/cases/{shipping_case.pk}/classify/",
                               {"query": QUERY, "choice": "none"}).status_code == 403
