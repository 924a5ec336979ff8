"""Accounts: password reset by e-mail, bulk user import with invitations, notifications only when sent."""

from __future__ import annotations

import re
import smtplib
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from conftest import make_user
from techguard.web.accounts.models import Profile
from techguard.web.audit.models import AuditEvent
from techguard.web.cases.models import Case

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-Password-91x"


def _link(body: str) -> str:
    found = re.search(r"(https?://\S+/reset/\S+/)", body)
    assert found, body
    return found.group(1)


@pytest.mark.parametrize(("language", "subject_word"), [("en", "Reset your password"), ("ja", "パスワードの再設定")])
def test_password_reset_mails_an_absolute_link_that_sets_a_new_password(users, settings, language, subject_word):
    settings.SITE_URL = "https://techguard.example.ac.jp"
    client = Client(headers={"accept-language": language})
    response = client.post("/password-reset/", {"email": "alice@example.org"})
    assert response.status_code == 302 and response["Location"].endswith("/password-reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"] and subject_word in message.subject
    link = _link(message.body)
    assert link.startswith("https://techguard.example.ac.jp/reset/")
    path = link.removeprefix("https://techguard.example.ac.jp")
    form_page = client.get(path, follow=True)  # Django swaps the token for a session marker and redirects
    assert b"set-password-form" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"].endswith("/reset/done/")
    assert Client().login(username="alice", password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_set", object_id=str(users["alice"].pk)).exists()
    # the link works once
    assert b"invalid-link" in Client().get(path, follow=True).content


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(users):
    response = Client().post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert b"reset-sent" in response.content
    assert mail.outbox == []


def test_login_page_links_to_password_reset():
    assert b'href="/password-reset/"' in Client().get("/login/").content


GOOD_CSV = (
    "email,username,first_name,last_name,role,department,language\n"
    "kenji@example.ac.jp,kenji,Kenji,Sato,officer,物理学科,ja\n"
    "mary@example.ac.jp,,Mary,Jones,,Chemistry,en\n"
)


def _upload(client: Client, content: bytes, name: str = "users.csv", **extra: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/accounts/import/", {"file": SimpleUploadedFile(name, content, "text/csv"), **extra})


def test_import_creates_users_with_roles_departments_and_mails_invitations(login, settings, departments):
    settings.SITE_URL = "https://tg.example.ac.jp"
    response = _upload(login("ada"), GOOD_CSV.encode("utf-8-sig"))
    assert response.status_code == 200
    assert b"import-result" in response.content
    kenji = get_user_model().objects.get(username="kenji")
    mary = get_user_model().objects.get(username="mary@example.ac.jp")  # no username given: the e-mail
    assert (kenji.profile.role, kenji.profile.department.name, kenji.profile.language) == ("officer", "Physics", "ja")
    assert (mary.profile.role, mary.profile.department.name, mary.profile.language) == ("researcher", "Chemistry", "en")
    assert not kenji.has_usable_password()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"kenji@example.ac.jp", "mary@example.ac.jp"}
    assert "アカウントを作成しました" in by_recipient["kenji@example.ac.jp"].subject  # in the user's language
    assert "Your account is ready" in by_recipient["mary@example.ac.jp"].subject
    link = _link(by_recipient["kenji@example.ac.jp"].body)
    assert link.startswith("https://tg.example.ac.jp/reset/")
    invited = Client()
    form_page = invited.get(link.removeprefix("https://tg.example.ac.jp"), follow=True)
    invited.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().login(username="kenji", password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.imported").count() == 2
    assert AuditEvent.objects.filter(action="user.invited").count() == 2


def test_import_reads_cp932_with_japanese_headers(login, departments):
    content = ("メールアドレス,ユーザー名,姓,名,役割,部局,言語\r\n"
               "taro@example.ac.jp,taro,山田,太郎,研究者,化学科,日本語\r\n").encode("cp932")
    _upload(login("ada"), content)
    taro = get_user_model().objects.get(username="taro")
    assert (taro.last_name, taro.first_name) == ("山田", "太郎")
    assert (taro.profile.role, taro.profile.department.name, taro.profile.language) == ("researcher", "Chemistry", "ja")


def test_import_with_bad_lines_creates_nobody_and_names_each_line(login, departments):
    content = (
        b"email,role,department\n"
        b"ok@example.ac.jp,researcher,Physics\n"
        b"not-an-address,researcher,Physics\n"
        b"x@example.ac.jp,professor,Physics\n"
        b"y@example.ac.jp,officer,Astronomy\n"
        b"OK@example.ac.jp,officer,Physics\n"
    )
    response = _upload(login("ada"), content, name="staff.csv")
    text = response.content.decode()
    assert "staff.csv, line 3: email" in text
    assert "staff.csv, line 4: role" in text and "professor" in text
    assert "staff.csv, line 5: department" in text and "Astronomy" in text
    assert "staff.csv, line 6: email" in text and "line 2" in text  # the same person twice
    assert not get_user_model().objects.filter(email__endswith="example.ac.jp").exists()
    assert mail.outbox == []
    # allowed to create the missing department, the remaining lines import
    fixed = b"email,role,department\nok@example.ac.jp,researcher,Physics\ny@example.ac.jp,officer,Astronomy\n"
    _upload(login("ada"), fixed, create_departments="1")
    assert get_user_model().objects.get(email="y@example.ac.jp").profile.department.name == "Astronomy"


def test_import_check_only_and_existing_users_are_skipped(login, users, departments):
    content = b"email,username\nalice@example.org,alice\nnew@example.ac.jp,newbie\n"
    response = _upload(login("ada"), content, check_only="1")
    assert b"newbie" in response.content and not get_user_model().objects.filter(username="newbie").exists()
    response = _upload(login("ada"), content)
    assert "line 2" in response.content.decode() and b"alice already has an account" in response.content
    assert get_user_model().objects.filter(username="newbie").exists()
    assert [m.to for m in mail.outbox] == [["new@example.ac.jp"]]


def test_import_refuses_a_file_that_is_not_text_and_non_administrators(login, departments):
    response = _upload(login("ada"), b"email\n\xff\xfe\x00bad\n", name="bin.csv")
    assert "bin.csv, line 2" in response.content.decode()
    assert login("olga").get("/accounts/import/").status_code == 403
    assert login("alice").get("/accounts/import/").status_code == 403


def test_invitation_that_cannot_be_mailed_is_reported(login, departments):
    with mock.patch("techguard.web.mail.send_mail", side_effect=smtplib.SMTPException("down")):
        response = _upload(login("ada"), b"email\nlate@example.ac.jp\n")
    assert b"The invitation could not be e-mailed to" in response.content
    assert get_user_model().objects.filter(email="late@example.ac.jp").exists()
    assert not AuditEvent.objects.filter(action="user.invited").exists()


# --- notifications: said only when sent, always with a link to the case ---

def _decide(client: Client, case: Case) -> str:
    response = client.post(f"/cases/{case.pk}/review/", {
        "decision": "rejected", "comment": "Listed employer.", "conditions": ""}, follow=True)
    return response.content.decode()


def test_decision_mail_links_to_the_case_and_the_page_says_so(make_case, login, settings):
    settings.SITE_URL = "https://tg.example.ac.jp"
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    submitted = next(m for m in mail.outbox if "olga@example.org" in m.to)
    assert f"https://tg.example.ac.jp/cases/{case.pk}/" in submitted.body
    mail.outbox.clear()
    page = _decide(login("olga"), case)
    assert "Decision recorded and the researcher notified." in page
    assert f"https://tg.example.ac.jp/cases/{case.pk}/" in mail.outbox[0].body


def test_no_notified_message_when_the_researcher_has_no_address(make_case, login, users):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    get_user_model().objects.filter(pk=users["alice"].pk).update(email="")
    mail.outbox.clear()
    page = _decide(login("olga"), case)
    assert "researcher notified" not in page and "No e-mail could be sent to the researcher" in page
    assert mail.outbox == []
    assert Case.objects.get(pk=case.pk).status == "rejected"


def test_mail_server_failure_keeps_the_decision_and_says_nobody_was_told(make_case, login):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    with mock.patch("techguard.web.mail.send_mail", side_effect=smtplib.SMTPException("relay down")):
        page = _decide(login("olga"), case)
    assert "No e-mail could be sent to the researcher" in page
    assert Case.objects.get(pk=case.pk).status == "rejected"


def test_submit_says_officers_were_notified_only_when_one_was(departments, login, make_case):
    lonely = make_user("lonely", "researcher", departments["chemistry"])
    Profile.objects.exclude(user=lonely).filter(role__in=["officer", "administrator"]).update(role="researcher")
    client = Client()
    client.force_login(lonely)
    response = client.post("/cases/new/visitor/", {
        "title": "t", "person_name": "Li Wei", "organisation": "Acme", "citizenships": "CN", "description": "d",
        "eccn": "", "jp_list_item": "", "other_parties": ""})
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.post(f"/cases/{pk}/submit/", follow=True).content.decode()
    assert "Submitted for review." in page and "has been notified" not in page


def test_invitation_can_be_sent_again_until_a_password_is_chosen(login, users, departments):
    _upload(login("ada"), b"email,username\nlate@example.ac.jp,late\n")
    first_link = _link(mail.outbox[0].body)
    mail.outbox.clear()
    page = login("ada").post("/accounts/import/", {"resend": "LATE@example.ac.jp"}).content.decode()
    assert 'id="resent"' in page and [m.to for m in mail.outbox] == [["late@example.ac.jp"]]
    assert _link(mail.outbox[0].body).startswith(first_link.rsplit("/", 3)[0])  # same user, a fresh token
    page = login("ada").post("/accounts/import/", {"resend": "alice"}).content.decode()
    assert "alice has chosen a password already" in page
    assert "No single user" in login("ada").post("/accounts/import/", {"resend": "nobody"}).content.decode()
