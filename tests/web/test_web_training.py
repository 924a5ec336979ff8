"""Training records: entry, LMS CSV import with line errors, status on the case page, and the organisation's
"require current training before approval" blocking the approval decision (web and API) in ja and en."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from techguard.web.audit.models import AuditEvent
from techguard.web.cases import workflow
from techguard.web.cases.models import Case
from techguard.web.training.importer import parse_date
from techguard.web.training.models import TrainingPolicy, TrainingRecord, add_months
from techguard.web.training.status import training_status

pytestmark = pytest.mark.django_db


def _require(course: str = "", validity: int = 12) -> TrainingPolicy:
    policy = TrainingPolicy.current()
    policy.require_current_training, policy.required_course, policy.validity_months = True, course, validity
    policy.save()
    return policy


def _submitted(make_case: Any, login: Any) -> Case:
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    return Case.objects.get(pk=case.pk)


def _approve(client: Any, case: Case, language: str = "en") -> str:
    response = client.post(f"/cases/{case.pk}/review/", {
        "decision": "approved", "comment": "Fine.", "conditions": ""}, follow=True,
        headers={"accept-language": language})
    return response.content.decode()


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 4, 1), 12) == date(2027, 4, 1)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-04-01", date(2026, 4, 1)), ("2026/4/1", date(2026, 4, 1)), ("2026-04-01 13:05:00", date(2026, 4, 1)),
    ("2026.04.01", date(2026, 4, 1)),
])
def test_lms_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["01/04/2026", "2026-02-30", "yesterday"])
def test_lms_dates_refused(text):
    with pytest.raises(ValueError, match="2026-04-01"):
        parse_date(text)


def test_status_current_expired_and_required_course(users):
    alice = users["alice"]
    today = timezone.localdate()
    assert not training_status(alice).current and training_status(alice).latest is None
    TrainingRecord.objects.create(person=alice, course="Basic", completed_on=today - timedelta(days=400),
                                  expires_on=today - timedelta(days=35))
    status = training_status(alice)
    assert not status.current and status.latest.course == "Basic"
    TrainingRecord.objects.create(person=alice, course="Basic", completed_on=today - timedelta(days=10),
                                  expires_on=None)
    assert training_status(alice).current
    _require(course="Advanced")
    assert not training_status(alice).current  # only the required course counts


def test_approval_is_blocked_until_training_is_recorded(make_case, login, users):
    _require()
    case = _submitted(make_case, login)
    page = _approve(login("olga"), case)
    assert "Approval is blocked: alice has no export-control training on record." in page
    assert Case.objects.get(pk=case.pk).status == "submitted"
    # officer records the training on the training page, then the approval goes through
    response = login("olga").post("/training/add/", {
        "person": "alice@example.org", "course": "Export control basics", "completed_on": "2026-04-01",
        "expires_on": ""})
    assert response.status_code == 302
    record = TrainingRecord.objects.get(person=users["alice"])
    assert record.expires_on == date(2027, 4, 1)  # the policy's 12 months
    assert AuditEvent.objects.filter(action="training.recorded").exists()
    if record.expires_on < timezone.localdate():  # keep the test true after that date
        TrainingRecord.objects.filter(pk=record.pk).update(expires_on=None)
    page = _approve(login("olga"), case)
    assert Case.objects.get(pk=case.pk).status == "approved"


def test_the_block_is_in_japanese_for_a_japanese_officer_and_names_the_expiry(make_case, login, users):
    _require()
    expired = timezone.localdate() - timedelta(days=1)
    TrainingRecord.objects.create(person=users["alice"], course="輸出管理研修", completed_on=expired - timedelta(365),
                                  expires_on=expired)
    case = _submitted(make_case, login)
    client = login("olga")
    client.post("/language/", {"language": "ja", "next": "/"})
    page = _approve(client, case, "ja")
    assert f"承認できません: alice の研修（輸出管理研修）は {expired.isoformat()} に有効期限が切れています。" in page


def test_other_decisions_and_organisations_without_the_setting_are_not_blocked(make_case, login):
    case = _submitted(make_case, login)
    _approve(login("olga"), case)
    assert Case.objects.get(pk=case.pk).status == "approved"  # not required
    _require()
    second = _submitted(make_case, login)
    login("olga").post(f"/cases/{second.pk}/review/", {"decision": "rejected", "comment": "Listed.",
                                                       "conditions": ""})
    assert Case.objects.get(pk=second.pk).status == "rejected"


def test_the_api_decision_is_blocked_the_same_way(make_case, login, users):
    from django.test import Client

    from techguard.web.accounts.models import ApiToken

    _require()
    case = _submitted(make_case, login)
    with pytest.raises(workflow.WorkflowError, match="Approval is blocked"):
        workflow.decide(case, users["olga"], "approved", "ok")
    _row, token = ApiToken.issue(users["olga"], "t")
    response = Client().post(f"/api/cases/{case.pk}/decision", {"decision": "approved", "comment": "ok"},
                             content_type="application/json", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Approval is blocked: alice has no export-control training")
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_officer_sees_the_researchers_training_on_the_case(make_case, login, users):
    _require()
    case = _submitted(make_case, login)
    officer_page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert 'id="training-status" data-current="no"' in officer_page and 'id="training-required"' in officer_page
    assert "No training on record" in officer_page
    TrainingRecord.objects.create(person=users["alice"], course="Export control basics",
                                  completed_on=timezone.localdate(), expires_on=None)
    officer_page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-current="yes"' in officer_page and "Export control basics" in officer_page
    assert 'id="training-required"' not in officer_page
    assert 'id="training-status"' not in login("alice").get(f"/cases/{case.pk}/").content.decode()


def _import(client: Any, content: bytes, name: str = "lms.csv") -> Any:
    return client.post("/training/import/", {"file": SimpleUploadedFile(name, content, "text/csv")}, follow=True)


def test_lms_import_cp932_japanese_headers_and_reimport_updates(login, users):
    content = ("メールアドレス,コース名,受講日,有効期限\r\n"
               "alice@example.org,安全保障輸出管理研修,2026/04/01,2027/03/31\r\n"
               "bob,安全保障輸出管理研修,2026-04-10 09:30,\r\n").encode("cp932")
    page = _import(login("olga"), content).content.decode()
    assert "lms.csv: 2 records added, 0 updated." in page
    alice = TrainingRecord.objects.get(person=users["alice"])
    bob = TrainingRecord.objects.get(person=users["bob"])
    assert (alice.course, alice.completed_on, alice.expires_on) == ("安全保障輸出管理研修", date(2026, 4, 1),
                                                                    date(2027, 3, 31))
    assert bob.expires_on == date(2027, 4, 10) and bob.source == "lms.csv, line 3"
    again = _import(login("olga"), content).content.decode()
    assert "0 records added, 2 updated." in again and TrainingRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action="training.imported").count() == 2


def test_lms_import_with_bad_lines_stores_nothing_and_names_each(login, users):
    content = (
        "email,course,completed_on,expires_on\n"
        "alice@example.org,Basics,2026-04-01,\n"
        "nobody@example.org,Basics,2026-04-01,\n"
        "bob@example.org,,2026-04-01,\n"
        "bob@example.org,Basics,01/04/2026,\n"
        "bob@example.org,Basics,2026-04-01,2026-03-01\n"
    ).encode("utf-8-sig")
    page = _import(login("olga"), content, name="export.csv").content.decode()
    assert "export.csv, line 3: email: no user nobody@example.org" in page
    assert "export.csv, line 4: course: empty" in page
    assert "export.csv, line 5: completed_on: not a date: &#x27;01/04/2026&#x27;" in page
    assert "export.csv, line 6: expires_on: before the completion date" in page
    assert TrainingRecord.objects.count() == 0
    missing = _import(login("olga"), b"email,date\nalice@example.org,2026-04-01\n", name="x.csv").content.decode()
    assert "x.csv, line 1: course: required column is missing" in missing


def test_researchers_see_only_their_own_records_and_cannot_record(login, users):
    TrainingRecord.objects.create(person=users["alice"], course="A-course", completed_on=date(2026, 4, 1))
    TrainingRecord.objects.create(person=users["bob"], course="B-course", completed_on=date(2026, 4, 1))
    page = login("alice").get("/training/").content.decode()
    assert "A-course" in page and "B-course" not in page and "training-form" not in page
    assert login("alice").post("/training/add/", {"person": "alice", "course": "x",
                                                  "completed_on": "2026-04-01"}).status_code == 403
    officer = login("olga").get("/training/").content.decode()
    assert "A-course" in officer and "B-course" in officer


def test_only_administrators_change_the_policy_and_it_is_audited(login):
    assert login("olga").post("/training/policy/", {"require_current_training": "on",
                                                    "validity_months": "24"}).status_code == 403
    login("ada").post("/training/policy/", {"require_current_training": "on", "required_course": "",
                                            "validity_months": "24"})
    policy = TrainingPolicy.current()
    assert policy.require_current_training and policy.validity_months == 24
    event = AuditEvent.objects.get(action="training.policy_changed")
    assert event.changes["require_current_training"] == [False, True]
    page = login("ada").get("/training/").content.decode()
    assert "requires current export-control training" in page


def test_the_case_page_status_costs_one_query(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TrainingRecord.objects.create(person=users["alice"], course="A", completed_on=date(2026, 4, 1))
    TrainingPolicy.current()
    with CaptureQueriesContext(connection) as queries:
        status = training_status(users["alice"])
    assert status.latest is not None and len(queries) == 1  # the policy with the person's records


@pytest.mark.parametrize("course", ["", "advanced course", "Other"])
def test_one_query_status_is_the_records_status(users, course):
    """The one-query read (policy and records together) answers as reading the policy, then the records."""
    alice, today = users["alice"], timezone.localdate()
    TrainingRecord.objects.create(person=alice, course="Advanced Course", completed_on=today - timedelta(days=400),
                                  expires_on=today - timedelta(days=35))
    TrainingRecord.objects.create(person=alice, course="Basic", completed_on=today - timedelta(days=10))
    TrainingRecord.objects.create(person=users["bob"], course="Other", completed_on=today)  # someone else's
    _require(course=course)
    policy = TrainingPolicy.current()
    together, apart = training_status(alice), training_status(alice, policy=policy)
    assert (together.current, together.required, together.required_course) == (
        apart.current, apart.required, apart.required_course)
    assert (together.latest and (together.latest.pk, together.latest.course, together.latest.completed_on,
                                 together.latest.expires_on)) == (
        apart.latest and (apart.latest.pk, apart.latest.course, apart.latest.completed_on, apart.latest.expires_on))
    assert together.current == (course == "") and (together.latest is None) == (course == "Other")
