"""The screening workbench: hit decisions (kept, reused, audited, applied to the determination), review queue
with bulk false positives, party master with allow-list."""

from __future__ import annotations

import pytest

from techguard.web.audit.models import AuditEvent
from techguard.web.screening.models import AllowListEntry, Counterparty, HitDecision, ReviewTask


def _alert(case):
    for p_index, party in enumerate(case.screening):
        for m_index, match in enumerate(party["matches"]):
            if match["alert"]:
                return p_index, m_index, match
    raise AssertionError("no alerting hit on the case")


def _submitted(make_case, login):
    case = make_case()
    # once the engine knows the item is US-origin, unpublished and not from fundamental research, a confirmed
    # Entity List hit decides the US outcome (a possible one leaves it open: "licence required if confirmed")
    login("alice").post(f"/cases/{case.pk}/answer/", {"fact__item__origin_country": "US",
                                                      "fact__item__published": "no",
                                                      "fact__item__fundamental_research": "no"})
    login("alice").post(f"/cases/{case.pk}/submit/")
    case.refresh_from_db()
    return case


def test_ruling_out_a_hit_removes_it_from_the_determination_and_the_memo_shows_the_decision(make_case, login):
    case = _submitted(make_case, login)
    p_index, m_index, match = _alert(case)
    assert match["party"]["list"] == "us_entity_list" and match["status"] == "possible"
    assert case.assessment["us_ear"]["outcome"] == "incomplete"  # the possible hit is the one open fact
    assert any(s["rule"] == "screening_hit_possible" for s in case.assessment["us_ear"]["steps"])
    assert ReviewTask.objects.filter(case=case, status="open").exists()  # the case's hit waits in the queue
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert "decide-form" in page and "米国" not in page  # English page shows the English list title
    assert "US Entity List (BIS)" in page

    response = login("olga").post("/screening/hits/decide/", {
        "case": case.pk, "party": p_index, "match": m_index, "verdict": "false_positive",
        "reason": "Different university: the visitor is from Xi'an Jiaotong", "dob": "", "address": "Xi'an",
        "registration_no": "", "next": f"/cases/{case.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    _, _, decided = next((p, m, x) for p, party in enumerate(case.screening)
                         for m, x in enumerate(party["matches"]) if x.get("decision"))
    assert decided["status"] == "ruled_out" and decided["decision"]["evidence"] == {"address": "Xi'an"}
    assert case.assessment["us_ear"]["outcome"] != "licence_required"  # the determination re-ran without it
    assert not any("744.11" in s["citation"] for s in case.assessment["us_ear"]["steps"])
    assert not case.screening[p_index]["alert"]
    assert not ReviewTask.objects.filter(case=case, status="open").exists()
    event = AuditEvent.objects.get(action="screening.hit_decided")
    assert event.changes["verdict"] == "false_positive" and event.reason.startswith("Different university")
    assert event.changes["listings"][0]["snapshot_id"] is not None
    memo = login("olga").get(f"/cases/{case.pk}/memo.pdf")
    assert memo.status_code == 200 and memo.content.startswith(b"%PDF")
    from techguard.web.cases.memo import memo_pdf  # the text itself (the PDF stream is compressed)

    assert memo_pdf  # imported for the story check below
    story_text = _memo_text(case)
    assert "False positive" in story_text and "Different university" in story_text


def _memo_text(case, language="en"):
    from reportlab.platypus import Paragraph

    from techguard.web.cases import memo

    seen: list[str] = []
    original = memo.SimpleDocTemplate.build

    def capture(self, story, *args, **kwargs):
        seen.extend(p.getPlainText() for p in story if isinstance(p, Paragraph))
        return original(self, story, *args, **kwargs)

    memo.SimpleDocTemplate.build = capture
    try:
        memo.memo_pdf(case, language)
    finally:
        memo.SimpleDocTemplate.build = original
    return "\n".join(seen)


def test_a_true_match_stays_in_the_determination_as_confirmed(make_case, login, users):
    case = _submitted(make_case, login)
    p_index, m_index, _ = _alert(case)
    login("olga").post("/screening/hits/decide/", {"case": case.pk, "party": p_index, "match": m_index,
                                                   "verdict": "true_match", "reason": "Same institution"})
    case.refresh_from_db()
    assert case.screening[p_index]["matches"][m_index]["status"] == "confirmed"
    assert case.assessment["us_ear"]["outcome"] == "licence_required", case.assessment["us_ear"]
    assert "確認済み" not in _memo_text(case, "en") and "True match" in _memo_text(case, "en")


def test_a_kept_decision_is_reused_for_the_same_name_and_entry_and_not_asked_again(make_case, login):
    case = _submitted(make_case, login)
    p_index, m_index, _ = _alert(case)
    login("olga").post("/screening/hits/decide/", {"case": case.pk, "party": p_index, "match": m_index,
                                                   "verdict": "false_positive", "reason": "not them"})
    second = make_case(title="Second visit")  # the same organisation, written the same way, in a new case
    _, _, match = next((p, m, x) for p, party in enumerate(second.screening)
                       for m, x in enumerate(party["matches"]) if x["party"]["entry_id"] == "EL-1")
    assert match["status"] == "ruled_out" and match["decision"]["reason"] == "not them"
    assert not ReviewTask.objects.filter(case=second, status="open", entry_id="EL-1").exists()


def test_a_decision_needs_a_reason_and_an_officer(make_case, login):
    case = _submitted(make_case, login)
    p_index, m_index, _ = _alert(case)
    form = {"case": case.pk, "party": p_index, "match": m_index, "verdict": "false_positive", "reason": " "}
    login("olga").post("/screening/hits/decide/", form)
    assert not HitDecision.objects.exists()
    assert login("alice").post("/screening/hits/decide/", {**form, "reason": "mine"}).status_code == 403
    assert not HitDecision.objects.exists()


def test_review_queue_filters_and_bulk_false_positives_need_a_reason_each(make_case, login):
    make_case()
    make_case(title="Other", organisation="Harbin Engineering University", person_name="Wang Fang")
    tasks = list(ReviewTask.objects.filter(status="open"))
    assert len(tasks) >= 2
    page = login("omar").get("/screening/review/", {"list": "us_entity_list", "min_score": "0.5"}).content.decode()
    assert all(f'id="task-{t.pk}"' in page for t in tasks if t.list_code == "us_entity_list" and t.score >= 0.5)
    assert login("omar").get("/screening/review/", {"min_score": "1.01"}).content.decode().count('class="task"') == 0
    first, second = tasks[0], tasks[1]
    login("omar").post("/screening/review/", {"task": [first.pk, second.pk], f"reason-{first.pk}": "other person"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "done" and second.status == "open"  # no reason, not decided
    assert HitDecision.objects.filter(reason="other person", verdict="false_positive").exists()
    assert login("alice").get("/screening/review/").status_code == 403


def test_counterparty_screened_on_creation_and_allow_listed_until_expiry(login, users):
    response = login("omar").post("/screening/parties/", {"name": "Harbin Engineering University", "country": "中国",
                                                          "kind": "organisation", "registration_no": "12100000"})
    party = Counterparty.objects.get()
    assert response["Location"] == f"/screening/parties/{party.pk}/" and party.country == "CN"
    assert party.identifiers == [{"type": "registration_no", "value": "12100000"}]
    latest = party.screenings.get()
    index = next(i for i, h in enumerate(latest.hits) if h["alert"])
    assert latest.alerts >= 1 and ReviewTask.objects.filter(counterparty=party, status="open").exists()
    login("omar").post(f"/screening/parties/{party.pk}/", {"action": "allow", "match": index,
                                                           "expires": "2099-01-01", "reason": "licence on file"})
    assert AllowListEntry.objects.filter(counterparty=party, entry_id="EL-2").exists()
    latest = party.screenings.first()
    assert latest.hits[index]["status"] == "ruled_out" and latest.hits[index]["decision"]["verdict"] == "allow_listed"
    assert latest.alerts == 0
    AllowListEntry.objects.update(expires="2000-01-01")  # expired: the hit is live again
    login("omar").post(f"/screening/parties/{party.pk}/", {"action": "screen"})
    assert party.screenings.first().alerts >= 1
    bad = login("omar").post("/screening/parties/", {"name": "X", "country": "Atlantis"}, follow=True)
    assert "Atlantis" in bad.content.decode() and Counterparty.objects.count() == 1


@pytest.mark.parametrize(("language", "label"), [("ja", "しきい値未満"), ("en", "below threshold")])
def test_case_page_shows_below_threshold_candidates(make_case, login, language, label, users):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["olga"]).update(language=language)
    case = make_case(organisation="Northwest Polytechnic Institute")  # 0.67 against the listed university
    below = [m for p in case.screening for m in p["matches"] if m.get("below_threshold")]
    assert below and not any(m["alert"] for m in below)
    assert ReviewTask.objects.filter(case=case, entry_id="EL-1", status="open").exists()
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert 'class="muted below-threshold"' in page and label in page
    assert "Northwest Polytechnical University" in page


@pytest.fixture()
def list_store(tmp_path, monkeypatch):
    from techguard.lists.store import SnapshotStore
    from techguard.web.screening import rescreen, services

    store = SnapshotStore(tmp_path / "lists")
    monkeypatch.setattr(services, "snapshot_store", lambda: store)
    monkeypatch.setattr(rescreen, "snapshot_store", lambda: store)
    return store


def test_list_import_from_the_web_page_and_lists_shown_by_title(login, list_store, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_file = SimpleUploadedFile("watch.csv", b"id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n")
    page = login("ada").post("/screening/lists/import/", {"files": csv_file, "format": "simple_csv",
                                                           "source": "us_csl"}, follow=True).content.decode()
    assert list_store.active_info("us_csl").entries == 1
    assert "US Consolidated Screening List (trade.gov)" in page  # the title, not only the code
    assert "(as of publication date unknown)" in page and "as of None" not in page  # an undated file
    assert AuditEvent.objects.filter(action="lists.imported").exists()
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["ada"]).update(language="ja")
    ja = login("ada").get("/screening/lists/").content.decode()
    assert "米国 統合スクリーニングリスト (CSL)" in ja


def test_list_import_refusals_match_the_cli_and_never_show_a_server_path(login, list_store):
    from django.core.files.uploadedfile import SimpleUploadedFile

    empty = SimpleUploadedFile("empty.csv", b"id,name,kind,countries\n")
    page = login("ada").post("/screening/lists/import/", {"files": empty, "format": "simple_csv"},
                             follow=True).content.decode()
    assert "Import refused" in page and "empty.csv" in page and "/tmp" not in page
    assert list_store.active() == []
    garbage = SimpleUploadedFile("what.bin", b"\x00\x01\x02")
    page = login("ada").post("/screening/lists/import/", {"files": garbage}, follow=True).content.decode()
    assert "Import refused" in page and "/tmp" not in page
    assert AuditEvent.objects.filter(action="lists.import_refused").count() == 2
    assert login("olga").post("/screening/lists/import/", {"files": empty}).status_code == 403


def test_workbench_pages_in_japanese(login, users, make_case):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["omar"]).update(language="ja")
    make_case()
    login("omar").post("/screening/parties/", {"name": "Harbin Engineering University", "country": "CN"})
    party = Counterparty.objects.get()
    review = login("omar").get("/screening/review/").content.decode()
    assert "審査待ち一覧" in review and "選択した候補を誤検知として除外" in review
    assert '<option value="us_entity_list">米国 エンティティ・リスト (BIS)</option>' in review  # filter by title
    detail = login("omar").get(f"/screening/parties/{party.pk}/").content.decode()
    assert "許可リストに登録" in detail and "米国 エンティティ・リスト (BIS)" in detail
    assert "取引先" in login("omar").get("/screening/parties/").content.decode()
    assert "審査待ち一覧" in login("omar").get("/dashboard/").content.decode()
