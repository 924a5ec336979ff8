"""Issue 13's "Done when" walk in headless Chromium against a real `techguard web serve`, in Japanese and in
English: a visitor case with a typed country (中国 / China → CN), a stay period, status of residence, employer,
funding and the 特定類型 pledge → officer A returns it (差戻し) with a reason → the researcher corrects a fact on
the corrections page and resubmits → officer A signs 部局確認, officer B decides at 安全保障輸出管理委員会 →
a JP 役務取引許可 and a US BIS licence are recorded → the memo PDF (in the page's language) carries all of it,
its text extracted with pypdf and its fonts embedded → at a phone's 390 px the case page does not scroll
sideways. A second walk: an organisation that requires current training blocks the final approval until the
researcher's training is recorded."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

# the main walk's server, browser and log-in (one copy)
from test_web_browser import PASSWORD, _login, browser, server  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SETUP = """
from techguard.web import bootstrap
bootstrap.setup()
from django.contrib.auth import get_user_model
from techguard.web.accounts.models import Department, Profile
from techguard.web.cases.models import ApprovalRoute, ApprovalStep
dept = Department.objects.get(name="Physics")
people = (("anna", "Anna", "Abe", "officer"), ("ben", "Ben", "Baba", "officer"),
          ("rika_ja", "Rika", "Ito", "researcher"), ("rika_en", "Rika", "Endo", "researcher"))
for name, first, last, role in people:
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=first,
                                                last_name=last)
    Profile.objects.create(user=user, role=role, department=dept)
route = ApprovalRoute.objects.create(name="Physics route", department=dept)
ApprovalStep.objects.create(route=route, order=1, label="部局確認", role="officer")
ApprovalStep.objects.create(route=route, order=2, label="安全保障輸出管理委員会", role="officer")
"""
# the organisation's training policy, set back after the training walk so the test order does not matter
RESET_POLICY = """
from techguard.web import bootstrap
bootstrap.setup()
from techguard.web.training.models import TrainingPolicy
policy = TrainingPolicy.current()
policy.require_current_training = False
policy.save()
"""

COUNTRY = {"ja": ("中国", "中国"), "en": ("China", "China")}  # (typed, named in the memo)
LABELS = {  # the page's and the memo's words, per language
    "ja": {"returned": "差し戻されました", "corrected": "事実の訂正", "residence": "短期滞在",
           "funder": "資金提供者", "memo_title": "輸出管理 該非判定メモ", "provenance": "使用した規則とリスト",
           "lists": "スクリーニングに使用したリストの版", "approvals": "決裁欄",
           "blocked": "承認できません: Rika Ito の輸出管理研修の受講記録がありません。"},
    "en": {"returned": "returned to you for correction", "corrected": "Facts corrected",
           "residence": "Temporary visitor", "funder": "funder", "memo_title": "Export-control determination memo",
           "provenance": "Rules and lists used", "lists": "List snapshots used for screening",
           "approvals": "Approvals (決裁欄)",
           "blocked": "Approval is blocked: Rika Endo has no export-control training on record."},
}
INTERVIEW = {"item__origin_country": "US", "recipient__permanent_regular_employee_of_releasing_entity": "no",
             "item__published": "no", "item__fundamental_research": "no", "item__basic_science": "no"}
RAW_OUTCOMES = ("licence_required", "no_licence_required", "not_applicable", "not_subject", "not_an_export",
                "incomplete", "not_required", "approval_required")


def _run(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{code}"], env=env, check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def _stored_intake(env: dict[str, str], case_pk: str) -> dict[str, Any]:
    """The answers as the database keeps them (what the page shows is derived from these)."""
    code = ("from techguard.web import bootstrap\nbootstrap.setup()\nimport json\n"
            "from techguard.web.cases.models import Case\n"
            f"print(json.dumps(Case.objects.get(pk={int(case_pk)}).facts['intake']))")
    return dict(json.loads(_run(env, code).strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def office(server):
    """Two officers with names (for the 決裁欄), two researchers without training, and the Physics route."""
    base, env = server
    _run(env, SETUP)
    return base, env


def _status(page: Any) -> str:
    return str(page.locator("#case-status").get_attribute("data-status"))


def _new_visitor(page: Any, language: str, title: str) -> str:
    """The researcher's pre-check of a visitor, every field the rules read typed in; returns the case URL."""
    typed, _named = COUNTRY[language]
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", title)
    page.fill("#id_person_name", "Wang Fang")
    page.fill("#id_organisation", "Example University of Science")
    page.fill("#id_citizenships", typed)  # the picker: a name in the page's language, stored as the code
    page.fill("#id_description", "Tour of the optics lab and a seminar on thin films")
    page.fill("#id_eccn", "3E001")
    page.fill("#id_jp_list_item", "7の項（1）")
    page.fill("#id_stay_start", "2027-04-01")
    page.fill("#id_stay_end", "2027-06-30")
    page.select_option("#id_residence_status", "temporary_visitor")
    page.check("#id_employed_in_japan_1")  # no
    page.fill("#id_funding_source", "China Scholarship Council")
    page.check("#id_foreign_government_funding_0")  # yes
    for question in ("tokutei_contract", "tokutei_benefit", "tokutei_instructions"):
        page.check(f"#id_{question}_1")  # no: the pledge (誓約書) answered
    with page.expect_navigation():
        page.click("#run-checks")
    # the interview asks what the determinations still turn on: US-origin technology, neither published nor
    # fundamental research nor 基礎科学, and the visitor is not the university's employee
    for _round in range(3):
        asked = [name for name in INTERVIEW if page.locator(f"#id_fact__{name}").count()]
        if not asked:
            break
        for name in asked:
            field = page.locator(f"#id_fact__{name}")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(INTERVIEW[name])
            else:
                field.fill(INTERVIEW[name])
        with page.expect_navigation():
            page.click("#answer")
    return str(page.url)


def _memo_text(page: Any) -> tuple[str, Any]:
    """The memo as the logged-in user downloads it from the case page (their language), as text and reader."""
    from pypdf import PdfReader

    href = page.locator("#memo-pdf").get_attribute("href")
    response = page.request.get(href if href.startswith("http") else page.url.split("/cases/")[0] + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages), reader


def _font_embedding(reader: Any) -> dict[str, bool]:
    """Each font of the memo (by its name) -> whether its descriptor carries the TrueType program (FontFile2)."""
    embedded: dict[str, bool] = {}
    for pdf_page in reader.pages:
        fonts = pdf_page["/Resources"].get_object().get("/Font")
        for font in (fonts.get_object().values() if fonts is not None else ()):
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants.get_object()[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            name = str(font.get("/BaseFont"))
            has_program = descriptor is not None and "/FontFile2" in descriptor.get_object()
            embedded[name] = embedded.get(name, True) and has_program
    return embedded


@pytest.mark.parametrize("language", ["ja", "en"])
def test_visitor_case_returned_corrected_two_step_licences_memo(office, browser, language):
    base, env = office
    words = LABELS[language]
    _typed, country_named = COUNTRY[language]
    title = f"Visiting researcher walk ({language})"

    # 1. the researcher's pre-check: typed country stored as CN, the stay as dates
    page = _login(browser, base, "rita", language)
    case_url = _new_visitor(page, language, title)
    answers = page.locator("#answers").inner_text()
    for key in ("us_ear", "jp_fefta"):  # 3E001 / 7の項（1） technology to a Chinese non-resident: both need one
        assert page.locator(f"#result-{key} .outcome").get_attribute("data-code") == "licence_required", key
    assert f"{country_named} (CN)" in answers  # resolved to the code, named in the page's language
    assert "2027-04-01" in answers and "2027-06-30" in answers
    assert "China Scholarship Council" in answers and "Example University of Science" in answers
    case_pk = re.search(r"/cases/(\d+)/", case_url).group(1)
    stored = _stored_intake(env, case_pk)
    assert stored["citizenships"] == ["CN"] and stored["stay_start"] == "2027-04-01", stored
    assert stored["residence_status"] == "temporary_visitor" and stored["tokutei_contract"] == "no", stored
    with page.expect_navigation():
        page.click("#submit-case")
    assert _status(page) == "submitted"

    # 2. officer A sends it back with a reason
    anna = _login(browser, base, "anna", language)
    anna.goto(case_url)
    board = anna.locator("#approval-board").inner_text()
    assert "部局確認" in board and "安全保障輸出管理委員会" in board
    anna.click("#return summary")
    reason = "Confirm the end of the stay against the invitation letter."
    anna.fill("#id_return-reason", reason)
    with anna.expect_navigation():
        anna.click("#return-case")
    assert _status(anna) == "returned"

    # the researcher sees the reason, corrects the stay on the corrections page (a reason required), resubmits
    page.goto(case_url)
    assert words["returned"] in page.locator("#returned-notice").inner_text()
    assert reason in page.locator("#approval-board").inner_text()
    with page.expect_navigation():
        page.click("#correct-facts")
    assert page.locator("#id_stay_end").input_value() == "2027-06-30"
    page.fill("#id_stay_end", "2027-09-30")
    # without a reason the form is not sent (the reason is required)
    assert page.eval_on_selector("#correction-form", "form => form.checkValidity()") is False
    correction = "招へい状に合わせて滞在終了日を訂正" if language == "ja" else "End date as in the invitation"
    page.fill("#id_reason", correction)
    with page.expect_navigation():
        page.click("#save-correction")
    assert page.url == case_url
    assert correction in page.content()  # the case's record keeps the correction with its reason
    assert _stored_intake(env, case_pk)["stay_end"] == "2027-09-30"
    assert "2027-09-30" in page.locator("#answers").inner_text()
    with page.expect_navigation():
        page.click("#submit-case")  # labelled "resubmit" now
    assert _status(page) == "submitted"

    # 3. two-step route: officer A signs 部局確認, officer B decides at the committee with conditions
    anna.goto(case_url)
    anna.select_option("#id_step-outcome", "approved")
    anna.fill("#id_step-comment", "Department agrees.")
    with anna.expect_navigation():
        anna.click("#sign-step")
    assert _status(anna) == "under_review"
    ben = _login(browser, base, "ben", language)
    ben.goto(case_url)
    assert ben.locator("#id_decision").input_value() == ""  # nothing preselected
    decision_reason = "3E001 / 7の項（1） technology to a non-resident: both licences obtained before the visit."
    conditions = "Only under the JP and US licences; escorted in the lab; no access to the clean room."
    ben.select_option("#id_decision", "approved_with_conditions")
    ben.fill("#id_conditions", conditions)
    ben.fill("#id_comment", decision_reason)
    with ben.expect_navigation():
        ben.click("#record-decision")
    assert _status(ben) == "approved_with_conditions"
    assert ben.locator("#approval-board tr.approval-box.signed").count() == 2

    # 4. the licences: a JP 役務取引許可 and a US BIS licence, each with number and validity
    jp_number = f"JP-{language}-2026-00123"
    us_number = f"D{'1' if language == 'ja' else '2'}23456"
    for jurisdiction, kind, number in (("jp", "jp_service", jp_number), ("us", "us_licence", us_number)):
        ben.goto(f"{base}/licences/case/{case_pk}/")
        ben.select_option("#id_jurisdiction", jurisdiction)
        ben.select_option("#id_kind", kind)
        ben.select_option("#id_status", "granted")
        ben.fill("#id_number", number)
        ben.fill("#id_valid_from", "2027-03-15")
        ben.fill("#id_valid_until", "2028-03-14")
        ben.fill("#id_granted_on", "2026-11-20")
        with ben.expect_navigation():
            ben.click("#save-licence")
        assert number in ben.locator("#licence-table").inner_text(), ben.locator("main").inner_text()
    ben.goto(case_url)
    outcomes = {key: (ben.locator(f"#result-{key} .outcome").get_attribute("data-code"),
                      ben.locator(f"#result-{key} .outcome").inner_text()) for key in ("us_ear", "jp_fefta")}
    heading = {key: ben.locator(f"#result-{key} h2").inner_text() for key in ("us_ear", "jp_fefta")}
    licences = ben.locator("#licence-table").inner_text()
    assert jp_number in licences and us_number in licences
    record = ben.locator("#record").inner_text()  # the case's record: every event by its name, no raw codes
    assert words["corrected"] in record and correction in record and reason in record
    assert not re.search(r"\b(case|licence)\.[a-z_]+", record), record

    # 5. the memo PDF, in the officer's language, as a record that stands an audit
    text, reader = _memo_text(ben)
    flat = " ".join(text.split())
    squashed = "".join(text.split())  # for free text a table cell may have wrapped (CJK wraps between characters)

    def has(phrase: str) -> bool:
        return "".join(phrase.split()) in squashed

    assert words["memo_title"] in flat
    assert f"{country_named} (CN)" in flat  # the typed country, named
    assert "2027-04-01" in flat and "2027-09-30" in flat and "2027-06-30" not in flat  # the corrected stay
    assert words["residence"] in flat and f"China Scholarship Council ({words['funder']})" in flat
    assert has(decision_reason) and has(conditions) and has(reason)  # the decider's and the returner's reasons
    for key, (code, label) in outcomes.items():  # both determinations, as the words the case page shows
        assert label and label != code and f"{heading[key]}: {label}" in flat, (key, code, label)
    for code in RAW_OUTCOMES:
        assert code not in flat, code
    assert words["provenance"] in flat and words["lists"] in flat  # which rules and list snapshots were used
    assert "jp.tokutei_ruikei" in flat and "us_ccl" in flat and re.search(r"SHA-256 [0-9a-f]{16}", flat)
    assert words["approvals"] in flat and has("1. 部局確認") and has("2. 安全保障輸出管理委員会")
    for person in ("Anna Abe (anna)", "Ben Baba (ben)"):  # the 決裁欄: each signer with the date signed
        assert re.search(re.escape(person) + r".{0,80}?\d{4}-\d{2}-\d{2} \d{2}:\d{2}", flat), (person, flat)
    assert has(jp_number) and has(us_number) and "役務取引許可" in flat and "BIS" in flat
    fonts = _font_embedding(reader)
    assert fonts and all(fonts.values()), fonts

    # 6. the case page at a phone's width does not scroll sideways
    for person in (page, ben):
        person.set_viewport_size(PHONE)
        person.goto(case_url)
        assert int(person.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"], language
    for person in (page, anna, ben):
        person.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_required_training_blocks_final_approval_until_recorded(office, browser, language):
    base, env = office
    words = LABELS[language]
    researcher = f"rika_{language}"
    admin = _login(browser, base, "admin", language)
    admin.goto(f"{base}/training/")
    admin.check("#id_require_current_training")
    with admin.expect_navigation():
        admin.click("#save-policy")
    admin.close()
    try:
        page = _login(browser, base, researcher, language)
        case_url = _new_visitor(page, language, f"Training walk ({language})")
        with page.expect_navigation():
            page.click("#submit-case")
        page.close()

        anna = _login(browser, base, "anna", language)
        anna.goto(case_url)
        anna.select_option("#id_step-outcome", "approved")
        with anna.expect_navigation():
            anna.click("#sign-step")
        assert _status(anna) == "under_review"
        anna.close()

        ben = _login(browser, base, "ben", language)
        ben.goto(case_url)
        assert ben.locator("#training-status").get_attribute("data-current") == "no"
        ben.select_option("#id_decision", "approved")
        ben.fill("#id_comment", "Seminar only.")
        with ben.expect_navigation():
            ben.click("#record-decision")
        assert words["blocked"] in ben.locator(".messages").inner_text()
        assert _status(ben) == "under_review"

        with ben.expect_navigation():  # the case page links to the training page for this researcher
            ben.click("#training-required a")
        ben.fill("#id_person", researcher)
        ben.fill("#id_course", "安全保障輸出管理研修" if language == "ja" else "Export control basics")
        ben.fill("#id_completed_on", date.today().isoformat())
        with ben.expect_navigation():
            ben.click("#save-training")
        assert researcher in ben.locator("#training-records").inner_text()

        ben.goto(case_url)
        assert ben.locator("#training-status").get_attribute("data-current") == "yes"
        ben.select_option("#id_decision", "approved")
        ben.fill("#id_comment", "Seminar only; training on record.")
        with ben.expect_navigation():
            ben.click("#record-decision")
        assert _status(ben) == "approved"
        ben.close()
    finally:
        _run(env, RESET_POLICY)
