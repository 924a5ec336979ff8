"""Japanese and English per user; the PDF memo; the dashboard and its exports."""

from __future__ import annotations

import io

from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from techguard.web.accounts.models import Profile


def test_language_switch_is_kept_per_user(make_case, login, users):
    client = login("alice")
    assert "Start a pre-check" in client.get("/").content.decode()
    response = client.post("/language/", {"language": "ja", "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert Profile.objects.get(user=users["alice"]).language == "ja"
    page = login("alice").get("/").content.decode()  # a new session: the profile decides
    assert "事前確認を始める" in page and 'lang="ja"' in page
    assert "Start a pre-check" in login("bob").get("/").content.decode()


def test_language_switch_refuses_offsite_redirects(login):
    response = login("alice").post("/language/", {"language": "ja", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_case_page_in_japanese_uses_japanese_findings(make_case, login, users):
    Profile.objects.filter(user=users["alice"]).update(language="ja")
    case = make_case("alice")
    page = login("alice").get(f"/cases/{case.pk}/").content.decode()
    assert "米国（EAR）" in page and "日本（外為法）" in page
    # a possible screening hit is decided on the screening pages, the other questions in the case interview
    question = next(
        m["question_ja"] for m in case.assessment["jp_fefta"]["missing_facts"] if not m["field"].startswith("screening[")
    )
    assert question in page


def test_emails_follow_each_recipients_language(make_case, login, users):
    Profile.objects.filter(user=users["olga"]).update(language="ja")
    case = make_case("alice")
    mail.outbox.clear()
    login("alice").post(f"/cases/{case.pk}/submit/")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "審査を待っています" in by_recipient["olga@example.org"].subject
    assert "awaits your review" in by_recipient["omar@example.org"].subject


def test_memo_pdf_in_both_languages(make_case, login):
    case = make_case("alice")
    for lang, expected in (("en", "determination memo"), ("ja", "該非判定メモ")):
        response = login("alice").get(f"/cases/{case.pk}/memo.pdf?lang={lang}")
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join(page.extract_text() for page in reader.pages)
        assert expected in text, text[:300]
        assert case.reference in text


def test_dashboard_counts_and_exports(make_case, login):
    make_case("alice")
    make_case("alice", title="Second")
    page = login("olga").get("/dashboard/").content.decode()
    assert "<svg" in page and "2 cases" in page
    csv_text = b"".join(login("olga").get("/dashboard/export.csv").streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("reference,title,kind,status")
    assert len(csv_text.splitlines()) == 3
    book = load_workbook(io.BytesIO(b"".join(login("olga").get("/dashboard/export.xlsx").streaming_content)))
    assert book.active.max_row == 3
    header_only = b"".join(login("chen").get("/dashboard/export.csv").streaming_content).decode("utf-8-sig")
    assert header_only.count("\n") == 1  # header only


def test_interview_choice_labels_are_translated():
    from django.utils import translation

    from techguard.web.cases.interview import MissingFactsForm

    missing = [{"field": "recipient.us_person_status", "question_en": "Status?", "question_ja": "ステータスは？",
                "why": "15 CFR 772.1"}]
    with translation.override("ja"):
        form = MissingFactsForm(missing)
        field = form.fields["fact__recipient__us_person_status"]
        assert field.label == "ステータスは？"
        assert "永住者" in [str(label) for _, label in field.choices]
