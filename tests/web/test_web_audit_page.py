"""The audit page: headers, readable changes, filters, paging, streamed CSV export, verification that re-hashes
only what is new (with the time it last ran) and the whole chain on request, query counts that do not grow with
the number of events."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from techguard.web.audit.chain import record, verification_state
from techguard.web.audit.events import change_lines, change_summary
from techguard.web.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir: Any) -> Any:
    """Audit key, checkpoints and the last-verified state of each test in its own data directory."""
    return data_dir


def _rows(page: str) -> int:
    return page.count('class="audit-event"')


def _csv(response: Any) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def test_page_has_headers_and_readable_changes(make_case, login):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    login("olga").post(f"/cases/{case.pk}/review/", {"decision": "rejected", "comment": "Entity List employer"})
    page = login("olga").get("/audit/").content.decode()
    for header in ("<th>Time</th>", "<th>User</th>", "<th>Event</th>", "<th>Object</th>", "<th>Changes</th>",
                   "<th>Reason</th>"):
        assert header in page
    assert "status:</span> submitted → rejected" in page
    assert "status:</span> draft → submitted" in page
    assert "{&#x27;" not in page and "{'" not in page  # no raw Python dicts
    assert f'href="/cases/{case.pk}/">{case.reference}</a>' in page
    assert "Case decided" in page and "Entity List employer" in page


def test_changes_render_nested_facts_as_paths():
    lines = change_lines({"facts": [{"recipient": {"citizenships": ["CN"], "name": "Li"}},
                                    {"recipient": {"citizenships": ["KR"], "name": "Li"}}],
                          "comment": "hello", "errors": ["a", "b"]})
    assert [line.text() for line in lines] == [
        "facts.recipient.citizenships: [CN] → [KR]", "comment: hello", "errors: [a, b]"]
    assert change_summary({"status": ["draft", "submitted"]}) == "status: draft → submitted"


def test_japanese_event_labels(make_case, login, users):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["olga"]).update(language="ja")
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    page = login("olga").get("/audit/").content.decode()
    assert "案件の提出" in page and "案件の作成" in page and "自動判定の実行" in page
    assert "<th>日時</th>" in page and "<th>変更内容</th>" in page and "最終検証日時" in page
    assert "(研究者)" in page and "(researcher)" not in page


def test_filters_by_user_event_case_and_period(make_case, login, users):
    first = make_case("alice")
    second = make_case("alice", title="Second")
    login("alice").post(f"/cases/{first.pk}/submit/")
    record("screening.searched", user=users["olga"], changes={"name": "Acme"})
    officer = login("omar")
    page = officer.get("/audit/", {"target": first.reference}).content.decode()
    assert _rows(page) == AuditEvent.objects.filter(object_type="cases.case", object_id=str(first.pk)).count() == 3
    assert f"/cases/{second.pk}/" not in page
    page = officer.get("/audit/", {"event": "case.submitted"}).content.decode()
    assert _rows(page) == 1 and 'data-action="case.submitted"' in page
    page = officer.get("/audit/", {"event": "screening."}).content.decode()
    assert _rows(page) == 1 and 'data-action="screening.searched"' in page
    page = officer.get("/audit/", {"user": "OLGA"}).content.decode()
    assert _rows(page) == 1
    page = officer.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-31"}).content.decode()
    assert _rows(page) == 0 and "No event matches the filters." in page
    page = officer.get("/audit/", {"date_from": "2000-02-01", "date_to": "2000-01-31"}).content.decode()
    assert "The end of the period is before its start." in page


def test_department_scope_is_kept(make_case, login):
    case = make_case("alice")  # physics
    assert f"/cases/{case.pk}/" in login("olga").get("/audit/").content.decode()
    assert f"/cases/{case.pk}/" not in login("chen").get("/audit/").content.decode()  # chemistry only
    assert login("alice").get("/audit/").status_code == 403


def test_paging(users, login):
    for index in range(61):
        record("test.event", user=users["olga"], changes={"n": index})
    officer = login("omar")
    page = officer.get("/audit/").content.decode()
    assert _rows(page) == 50 and "Page 1 of 2" in page and "page=2" in page
    page = officer.get("/audit/", {"page": 2}).content.decode()
    assert _rows(page) == 11 and "n:</span> 0<" in page


def test_csv_export_streams_with_bom_and_neutralised_formulas(users, login):
    record("test.event", user=users["olga"], reason="=HYPERLINK(\"http://evil\")", changes={"名前": "山田"})
    record("screening.searched", user=users["olga"], changes={"name": "Acme"})
    response = login("omar").get("/audit/", {"format": "csv", "bom": "1", "event": "test.event"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = _csv(response)
    assert text.startswith("\ufeffEvent id,Time,User")
    assert "'=HYPERLINK" in text and "名前: 山田" in text
    assert "screening.searched" not in text  # the filter applies to the export
    plain = _csv(login("omar").get("/audit/", {"format": "csv"}))
    assert plain.startswith("Event id")
    exported = AuditEvent.objects.filter(action="audit.exported").order_by("id").first()
    assert exported is not None and exported.changes == {"filters": {"event": "test.event"}}


def test_verification_is_incremental_and_the_full_check_finds_old_edits(users, login):
    first = record("test.one", user=users["alice"], reason="original")
    record("test.two", user=users["alice"])
    officer = login("omar")
    page = officer.get("/audit/").content.decode()
    assert 'id="chain-ok"' in page
    state = verification_state()
    assert state["id"] == AuditEvent.objects.order_by("-id").first().pk and state["at"]
    assert re.search(r'id="chain-verified-at">Last verified: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d', page)
    _drop_triggers()  # an edit of an event verified before: the incremental check does not re-read it
    AuditEvent.objects.filter(pk=first.pk).update(reason="rewritten")
    assert 'id="chain-ok"' in officer.get("/audit/").content.decode()
    response = officer.post("/audit/", {"action": "verify"}, follow=True)
    page = response.content.decode()
    assert f"The hash chain is BROKEN at event {first.pk}" in page
    verified = AuditEvent.objects.get(action="audit.verified")
    assert verified.changes["ok"] is False and verified.changes["first_bad_id"] == first.pk


def test_full_verification_records_when_it_ran(users, login):
    record("test.one", user=users["alice"])
    response = login("omar").post("/audit/", {"action": "verify"}, follow=True)
    assert "The whole hash chain was re-verified: 1 events intact." in response.content.decode()
    assert verification_state()["full_at"]
    page = login("omar").get("/audit/").content.decode()
    assert "Whole chain last verified: never" not in page


def test_query_count_does_not_grow_with_events(users, login, django_assert_max_num_queries):
    from techguard.web.cases.models import Case

    case = Case.objects.create(owner=users["alice"], kind="visitor", title="x",
                               department=users["alice"].profile.department)
    officer = login("olga")  # an officer with a department scope: the scoped query
    counts = []
    for total in (5, 120):
        while AuditEvent.objects.count() < total:
            record("case.commented", user=users["alice"], obj=case, changes={"comment": "x"})
        officer.get("/audit/")  # verifies what is new once; the next view has nothing new to re-hash
        # session, user, language, 4 × profile (accounts.roles.role_of reads it per call), scope, count, page,
        # case references, verification (anchor, new events, total)
        with django_assert_max_num_queries(14) as queries:
            response = officer.get("/audit/")
        assert _rows(response.content.decode()) == min(total, 50)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
