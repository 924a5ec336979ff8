"""Licences: several per case (JP/US), the shared validation (model, web form and API give the same messages
in ja and en), permissions, audit events, the data migration from the single licence field, expiry flips,
reminders (once per threshold, with a link to the case), the expiring page and the memo lines."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from techguard.web.accounts.models import ApiToken
from techguard.web.audit.models import AuditEvent
from techguard.web.cases.models import Case
from techguard.web.licences import reminders, services
from techguard.web.licences.memo import licence_lines
from techguard.web.licences.models import Licence, LicenceReminder, LicenceStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)
migration = importlib.import_module("techguard.web.licences.migrations.0002_copy_case_licences")

GRANTED_JP = {"jurisdiction": "jp", "kind": "jp_service", "status": "granted", "number": "経済産業省 第12345号",
              "conditions": "再提供禁止", "valid_from": "2026-04-01", "valid_until": "2027-03-31"}

# (values, field, English message, Japanese message): refused alike by the model, the web form and the API
REFUSED = [
    ({"jurisdiction": "us", "kind": "us_exception", "status": "granted"}, "exception_code",
     "A licence exception needs its code (e.g. TSU, ENC, TMP, BAG).",
     "許可例外にはそのコード（TSU、ENC、TMP、BAG など）が必要です。"),
    ({"jurisdiction": "us", "kind": "us_exception", "exception_code": "XYZ"}, "exception_code",
     "Unknown licence exception code “XYZ” (15 CFR Part 740).",
     "不明な許可例外コード「XYZ」です（15 CFR Part 740）。"),
    ({"jurisdiction": "jp", "kind": "jp_service", "exception_code": "TSU"}, "exception_code",
     "Only a licence exception has an exception code.", "例外コードを入力できるのは許可例外だけです。"),
    ({"jurisdiction": "jp", "kind": "jp_export", "status": "granted", "valid_until": "2027-01-01"}, "number",
     "A granted licence needs its licence number.", "許可済みの許可には許可番号が必要です。"),
    ({"jurisdiction": "jp", "kind": "jp_export", "status": "granted", "number": "123"}, "valid_until",
     "A granted licence needs the date it is valid until.", "許可済みの許可には有効期限が必要です。"),
    ({"jurisdiction": "us", "kind": "us_licence", "valid_from": "2027-01-02", "valid_until": "2027-01-01"},
     "valid_until", "“Valid until” cannot be before “valid from”.", "「有効期限」は「有効期間開始日」より前にできません。"),
    ({"jurisdiction": "us", "kind": "jp_service"}, "kind",
     "This kind of licence does not belong to the chosen jurisdiction.", "この許可の種類は選んだ法域のものではありません。"),
]


def _form(values: dict[str, Any]) -> dict[str, Any]:
    return {"exception_code": "", "status": "preparing", "number": "", "conditions": "", "valid_from": "",
            "valid_until": "", "applied_on": "", "granted_on": "", "notes": "", **values}


def _model(case: Case, values: dict[str, Any]) -> Licence:
    data = {k: (dt.date.fromisoformat(v) if k.startswith(("valid_", "applied_", "granted_")) else v)
            for k, v in values.items()}
    return Licence(case=case, **data)


@pytest.fixture()
def case(make_case: Any) -> Case:
    return make_case("alice")


@pytest.fixture()
def token(users: dict[str, Any]) -> dict[str, str]:
    return {name: ApiToken.issue(user, "test")[1] for name, user in users.items()}


# --- validation: the model, the web form and the API ----------------------------------------------------------

@pytest.mark.parametrize(("values", "field", "english", "japanese"), REFUSED)
def test_model_refuses_with_the_field_and_message_in_both_languages(case, values, field, english, japanese):
    for language, message in (("en", english), ("ja", japanese)):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            _model(case, values).full_clean(exclude=["case"])
        assert caught.value.message_dict[field] == [message]


@pytest.mark.parametrize(("values", "field", "english", "japanese"), REFUSED)
def test_web_form_and_api_refuse_alike(case, login, client, token, values, field, english, japanese):
    from techguard.web.accounts.models import Profile

    for language, message in (("en", english), ("ja", japanese)):
        Profile.objects.filter(user__username="olga").update(language=language)  # the user's choice rules
        page = login("olga").post(f"/licences/case/{case.pk}/", _form(values), headers={"accept-language": language})
        assert page.status_code == 400
        assert message in page.content.decode()
        api = client.post(f"/api/cases/{case.pk}/licences", {k: v for k, v in values.items()},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token['olga']}",
                          headers={"accept-language": language})
        assert api.status_code == 400, api.content
        assert api.json()["errors"][field] == [message]
    assert not Licence.objects.exists()


def test_exception_code_is_normalised_and_cited_from_the_rule_table(case, users):
    licence = services.add_licence(case, users["olga"], {"jurisdiction": "us", "kind": "us_exception",
                                                          "exception_code": " tsu ", "status": "granted"})
    assert (licence.exception_code, licence.exception_citation) == ("TSU", "15 CFR 740.13")
    bag = services.add_licence(case, users["olga"], {"jurisdiction": "us", "kind": "us_exception",
                                                      "exception_code": "BAG", "status": "granted"})
    assert bag.exception_citation == "15 CFR 740.14" and bag.number == ""  # an exception has no number


# --- web: permissions and audit -------------------------------------------------------------------------------

def test_researcher_sees_but_cannot_add_or_edit(case, login, users):
    alice = login("alice")
    assert alice.get(f"/licences/case/{case.pk}/").status_code == 200
    assert 'id="licence-form"' not in alice.get(f"/licences/case/{case.pk}/").content.decode()
    assert alice.post(f"/licences/case/{case.pk}/", _form(GRANTED_JP)).status_code == 403
    assert not Licence.objects.exists()
    licence = services.add_licence(case, users["olga"], {**GRANTED_JP, "valid_from": dt.date(2026, 4, 1),
                                                          "valid_until": dt.date(2027, 3, 31)})
    assert alice.post(f"/licences/{licence.pk}/edit/", _form({**GRANTED_JP, "number": "X"})).status_code == 403
    with pytest.raises(services.LicencePermissionError):
        services.change_licence(licence, users["alice"], {"number": "X"})
    # an officer of another department does not even see the case
    assert login("chen").get(f"/licences/case/{case.pk}/").status_code == 404
    assert login("chen").post(f"/licences/{licence.pk}/edit/", _form(GRANTED_JP)).status_code == 404


def test_officer_adds_and_edits_with_audit_events(case, login):
    olga = login("olga")
    response = olga.post(f"/licences/case/{case.pk}/", _form(GRANTED_JP))
    assert response.status_code == 302
    licence = Licence.objects.get(case=case)
    assert (licence.number, licence.valid_until, licence.created_by.username) == (
        "経済産業省 第12345号", dt.date(2027, 3, 31), "olga")
    added = AuditEvent.objects.get(action="licence.added")
    assert (added.object_type, added.object_id, added.actor) == ("cases.case", str(case.pk), "olga")
    assert added.changes["number"] == [None, "経済産業省 第12345号"] and added.changes["kind"] == [None, "jp_service"]

    assert olga.get(f"/licences/{licence.pk}/edit/").status_code == 200
    response = olga.post(f"/licences/{licence.pk}/edit/", _form({**GRANTED_JP, "valid_until": "2028-03-31"}))
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="licence.changed")
    assert changed.changes == {"licence": licence.pk, "valid_until": ["2027-03-31", "2028-03-31"]}
    # saving without a change writes no event
    olga.post(f"/licences/{licence.pk}/edit/", _form({**GRANTED_JP, "valid_until": "2028-03-31"}))
    assert AuditEvent.objects.filter(action="licence.changed").count() == 1

    page = olga.get(f"/licences/case/{case.pk}/").content.decode()
    assert "経済産業省 第12345号" in page and "2028-03-31" in page
    assert list(services.licences_for_case(case)) == [licence]


def test_partial_renders_for_the_case_page(case, users):
    from django.template.loader import render_to_string

    services.add_licence(case, users["olga"], {"jurisdiction": "us", "kind": "us_exception",
                                                "exception_code": "ENC", "status": "granted"})
    html = render_to_string("licences/_case_licences.html", {
        "case": case, "licences": services.licences_for_case(case), "can_review": True})
    assert "ENC" in html and "15 CFR 740.17" in html and f"/licences/case/{case.pk}/" in html
    html = render_to_string("licences/_case_licences.html", {
        "case": case, "licences": services.licences_for_case(case), "can_review": False})
    assert "/edit/" not in html and 'id="add-licence"' not in html


# --- API -------------------------------------------------------------------------------------------------------

def test_api_adds_lists_and_patches(case, client, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token['olga']}"}
    created = client.post(f"/api/cases/{case.pk}/licences", GRANTED_JP, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    licence_id = created.json()["id"]
    listed = client.get(f"/api/cases/{case.pk}/licences", **auth).json()
    assert [(row["id"], row["number"], row["valid_until"]) for row in listed] == [
        (licence_id, "経済産業省 第12345号", "2027-03-31")]
    # researcher: reads, may not write
    alice = {"HTTP_AUTHORIZATION": f"Bearer {token['alice']}"}
    assert client.get(f"/api/cases/{case.pk}/licences", **alice).status_code == 200
    assert client.post(f"/api/cases/{case.pk}/licences", GRANTED_JP, content_type="application/json",
                       **alice).status_code == 403
    assert client.patch(f"/api/licences/{licence_id}", {"number": "X"}, content_type="application/json",
                        **alice).status_code == 403
    # another department's officer: not found
    chen = {"HTTP_AUTHORIZATION": f"Bearer {token['chen']}"}
    assert client.patch(f"/api/licences/{licence_id}", {"number": "X"}, content_type="application/json",
                        **chen).status_code == 404
    # patch: the whole record is checked again, with the form's message
    refused = client.patch(f"/api/licences/{licence_id}", {"number": None}, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"number": ["A granted licence needs its licence number."]}
    patched = client.patch(f"/api/licences/{licence_id}", {"conditions": "年次報告"},
                           content_type="application/json", **auth)
    assert patched.status_code == 200 and patched.json()["conditions"] == "年次報告"
    assert patched.json()["number"] == "経済産業省 第12345号"
    assert AuditEvent.objects.filter(action="licence.changed").get().changes["conditions"] == ["再提供禁止", "年次報告"]


def test_api_refuses_the_unspecified_jurisdiction(case, client, token):
    response = client.post(f"/api/cases/{case.pk}/licences", {"jurisdiction": "unspecified", "kind": "unspecified"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token['olga']}")
    assert response.status_code == 422


# --- data migration --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "assessment", "status", "number", "expected"), [
    ("visitor", {"jp_fefta": {"outcome": "licence_required"}, "us_ear": {"outcome": "licence_required"}},
     "granted", "J-1", ("jp", "jp_service", "granted")),
    ("shipping", {"jp_fefta": {"outcome": "licence_required"}, "us_ear": {"outcome": "not_subject"}},
     "applied", "", ("jp", "jp_export", "applied")),
    ("shipping", {"jp_fefta": {"outcome": "approval_required"}}, "preparing", "", ("jp", "jp_approval", "preparing")),
    ("visitor", {"jp_fefta": {"outcome": "no_licence_required"},
                 "us_ear": {"outcome": "licence_required_unless_exception"}}, "", "D123",
     ("us", "us_licence", "granted")),
    ("visitor", None, "denied", "", ("unspecified", "unspecified", "denied")),
    ("visitor", {"jp_fefta": {"outcome": "no_licence_required"}, "us_ear": {"outcome": "no_licence_required"}},
     "", "", ("unspecified", "unspecified", "preparing")),
])
def test_migration_chooses_jurisdiction_kind_and_status(kind, assessment, status, number, expected):
    values = migration.licence_values(kind, assessment, status, number, dt.date(2027, 1, 1))
    assert (values["jurisdiction"], values["kind"], values["status"]) == expected
    assert values["valid_until"] == dt.date(2027, 1, 1) and values["notes"] == migration.NOTE


def test_migration_skips_cases_without_licence():
    assert migration.licence_values("visitor", None, "", "", None) is None
    assert migration.licence_values("visitor", None, "", "  ", None) is None


# SQLite changes a schema only outside a transaction (so the test's rows are deleted after it, not rolled back);
# PostgreSQL inside the test's own, rolled back (its audit trigger refuses the TRUNCATE a transactional test ends
# with)
_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@pytest.mark.django_db(transaction=_SQLITE)
def test_migration_copies_rows_once(users):
    """Runs the migration function on a database put back to before the old fields were removed (cases 0005),
    with the historical models of its own state (Case still has the fields); the schema is restored after."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # made directly, not through the workflow: its audit events are append-only, and this test's database is
    # emptied afterwards (not rolled back)
    assessment = {"us_ear": {"outcome": "licence_required"}, "jp_fefta": {"outcome": "not_applicable"}}
    with_licence = Case.objects.create(kind="visitor", title="Licence", owner=users["alice"], assessment=assessment)
    without = Case.objects.create(kind="visitor", title="No licence", owner=users["alice"], assessment=assessment)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # no ALTER TABLE while row checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("cases", "0004_lifecycle_attachments")])  # the old licence columns are back (empty)
    try:
        state = executor.loader.project_state(("licences", "0002_copy_case_licences"))
        state.apps.get_model("cases", "Case").objects.filter(pk=with_licence.pk).update(
            licence_status="granted", licence_number="J-9", licence_expiry=dt.date(2027, 5, 1),
            decided_by=users["olga"].pk)
        migration.copy_case_licences(state.apps, None)
        migration.copy_case_licences(state.apps, None)  # idempotent: a re-run adds nothing
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    copied = Licence.objects.get()
    assert copied.case_id == with_licence.pk and not Licence.objects.filter(case=without).exists()
    assert (copied.number, copied.status, copied.valid_until, copied.created_by_id) == (
        "J-9", "granted", dt.date(2027, 5, 1), users["olga"].pk)
    assert (copied.jurisdiction, copied.kind) == ("us", "us_licence")  # from the EAR answer
    assert not hasattr(Case.objects.get(pk=with_licence.pk), "licence_number")  # the fields are gone again


def test_migration_is_reversible():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    operation = MigrationLoader(connection).get_migration("licences", "0002_copy_case_licences").operations[0]
    assert operation.reversible


# --- expiry and reminders --------------------------------------------------------------------------------------

def _granted(case: Case, officer: Any, until: dt.date, number: str = "J-1") -> Licence:
    return services.add_licence(case, officer, {"jurisdiction": "jp", "kind": "jp_service", "status": "granted",
                                                "number": number, "valid_until": until})


def test_expired_granted_licences_flip_with_an_audit_event(case, users):
    past = _granted(case, users["olga"], TODAY - dt.timedelta(days=1), "OLD")
    current = _granted(case, users["olga"], TODAY + dt.timedelta(days=20), "NEW")
    far = _granted(case, users["olga"], TODAY + dt.timedelta(days=200), "FAR")
    assert [lic.pk for lic in reminders.expiring(60, today=TODAY)] == [current.pk]
    past.refresh_from_db()
    assert past.status == LicenceStatus.EXPIRED
    event = AuditEvent.objects.get(action="licence.expired")
    assert event.actor == "system" and event.object_id == str(case.pk)
    assert event.changes == {"licence": past.pk, "status": ["granted", "expired"]}
    assert reminders.flip_expired(TODAY) == []  # once
    far.refresh_from_db()
    assert far.status == LicenceStatus.GRANTED


@override_settings(SITE_URL="https://techguard.example.ac.jp")
def test_reminders_once_per_threshold_with_a_link(case, users):
    case.decided_by = users["omar"]
    case.save()
    licence = _granted(case, users["olga"], TODAY + dt.timedelta(days=95))
    mail.outbox.clear()
    assert reminders.send_reminders(TODAY).sent == []  # 95 days: no threshold reached
    run = reminders.send_reminders(TODAY + dt.timedelta(days=5))  # 90 days left
    assert [r.threshold_days for r in run.sent] == [90]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "olga@example.org", "omar@example.org"]
    link = f"https://techguard.example.ac.jp/cases/{case.pk}/"
    assert all(link in m.body for m in mail.outbox)
    assert all(case.reference in m.subject for m in mail.outbox)
    mail.outbox.clear()
    assert reminders.send_reminders(TODAY + dt.timedelta(days=6)).sent == []  # the same threshold: no duplicate
    assert reminders.send_reminders(TODAY + dt.timedelta(days=40)).sent == []  # 55 days left: 30 not reached
    assert [r.threshold_days for r in reminders.send_reminders(TODAY + dt.timedelta(days=70)).sent] == [30]
    assert len(mail.outbox) == 3  # 25 days left: the 30-day reminder, to the same three people
    assert set(LicenceReminder.objects.values_list("threshold_days", flat=True)) == {90, 30}
    mail.outbox.clear()
    assert len(reminders.send_reminders(TODAY + dt.timedelta(days=90)).sent) == 1  # 5 days left: the 7-day one
    assert reminders.send_reminders(TODAY + dt.timedelta(days=91)).sent == []
    assert AuditEvent.objects.filter(action="licence.reminder_sent").count() == 3
    # renewed: the new expiry date is reminded again
    services.change_licence(licence, users["olga"], {"valid_until": TODAY + dt.timedelta(days=400)})
    assert len(reminders.send_reminders(TODAY + dt.timedelta(days=395)).sent) == 1


def test_first_run_close_to_expiry_sends_one_reminder_not_three(case, users):
    _granted(case, users["olga"], TODAY + dt.timedelta(days=5))
    mail.outbox.clear()
    run = reminders.send_reminders(TODAY)
    assert [r.threshold_days for r in run.sent] == [7] and run.emails == 2  # olga (recorded it) and alice
    assert reminders.send_reminders(TODAY).sent == []


def test_reminder_in_the_recipients_language(case, users):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["alice"]).update(language="ja")
    _granted(case, users["olga"], TODAY + dt.timedelta(days=5))
    mail.outbox.clear()
    reminders.send_reminders(TODAY)
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    to_olga = next(m for m in mail.outbox if m.to == ["olga@example.org"])
    assert "有効期限まで残り 5 日" in to_alice.subject and "expires in 5 days" in to_olga.subject


def test_expiring_page_for_officers_only(case, login, users):
    soon = _granted(case, users["olga"], dt.date.today() + dt.timedelta(days=10), "SOON")
    _granted(case, users["olga"], dt.date.today() + dt.timedelta(days=300), "LATER")
    assert login("alice").get("/licences/expiring/").status_code == 403
    page = login("olga").get("/licences/expiring/").content.decode()
    assert "SOON" in page and "LATER" not in page and case.reference in page
    assert "LATER" in login("olga").get("/licences/expiring/?days=400").content.decode()
    assert "SOON" not in login("chen").get("/licences/expiring/").content.decode()  # other department
    rows = reminders.expiring_rows(within_days=30)
    assert [(r["licence"].pk, r["days_left"], r["overdue"]) for r in rows] == [(soon.pk, 10, False)]


def test_dashboard_lists_what_expires(case, login, users):
    _granted(case, users["olga"], dt.date.today() + dt.timedelta(days=10), "SOON")
    _granted(case, users["olga"], dt.date.today() + dt.timedelta(days=300), "LATER")
    page = login("olga").get("/dashboard/").content.decode()
    section = page[page.index('id="dashboard-expiring"'):]
    assert "SOON" in section and "LATER" not in section and "10 days left" in section
    assert "SOON" not in login("chen").get("/dashboard/").content.decode()  # another department's case


# --- memo and CLI ----------------------------------------------------------------------------------------------

def test_memo_lines_in_both_languages(case, users):
    assert licence_lines(case, "en") == ["No licence recorded."]
    assert licence_lines(case, "ja") == ["許可の記録はありません。"]
    services.add_licence(case, users["olga"], {**GRANTED_JP, "valid_from": dt.date(2026, 4, 1),
                                                "valid_until": dt.date(2027, 3, 31)})
    services.add_licence(case, users["olga"], {"jurisdiction": "us", "kind": "us_exception",
                                                "exception_code": "TMP", "status": "granted"})
    japanese, us_ja = licence_lines(case, "ja")
    assert "役務取引許可" in japanese and "許可取得" in japanese and "第12345号" in japanese
    assert "2026-04-01 – 2027-03-31" in japanese and "再提供禁止" in japanese
    assert "TMP (15 CFR 740.9)" in us_ja and "米国" in us_ja
    english = licence_lines(case, "en")
    assert "Granted" in english[0] and "valid 2026-04-01 – 2027-03-31" in english[0]
    assert english[1].startswith("United States (EAR)")


def test_cli_command_runs_the_reminders(case, users, monkeypatch):
    from typer.testing import CliRunner

    from techguard.cli import app

    _granted(case, users["olga"], dt.date.today() - dt.timedelta(days=1))
    result = CliRunner().invoke(app, ["cases", "licence-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 licences marked expired" in result.output
    assert Licence.objects.get().status == LicenceStatus.EXPIRED


def test_unsent_reminder_is_not_recorded_and_is_retried(case, users, monkeypatch):
    import smtplib

    _granted(case, users["olga"], TODAY + dt.timedelta(days=5))

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("mail server down")

    from techguard.web import mail as sending  # the one e-mail path of reminders and the workflow

    monkeypatch.setattr(sending, "send_mail", refuse)
    run = reminders.send_reminders(TODAY)
    assert run.sent == [] and run.emails == 0 and not LicenceReminder.objects.exists()
    monkeypatch.undo()
    mail.outbox.clear()
    assert len(reminders.send_reminders(TODAY + dt.timedelta(days=1)).sent) == 1 and len(mail.outbox) == 2


def test_openapi_documents_the_licence_endpoints(client, token):
    schema = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token['alice']}").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/cases/{case_id}/licences"])
    assert "patch" in schema["paths"]["/api/licences/{licence_id}"]
