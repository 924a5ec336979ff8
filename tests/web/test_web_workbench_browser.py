"""The screening workbench end to end in headless Chromium against a real `techguard web serve`, in Japanese and
English: a possible match ruled out by the officer (determination re-runs, memo shows the decision); a list
import that adds a listed party opens a review task on an approved visitor's case and notifies the officer."""

from __future__ import annotations

import email
import io
import subprocess
import sys
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from test_web_browser import BIN, PASSWORD, _login, browser, e2e_environment, serving  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

CSL_HEADER = ("_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,"
              "end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
              "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
              "dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n")
EL = "Entity List (EL) - Bureau of Industry and Security"


def _csl_row(entry_id: str, name: str) -> str:
    return (f'{entry_id},{EL},,Entity,,{name},,"Beijing, CN",86 FR 1,2021-01-01,,,For all items subject to the EAR.,'
            "Presumption of denial.,,,,,,,,,,,,,,,\n")


FIRST = CSL_HEADER + _csl_row("e1", "Example Dual Use Institute") + _csl_row("e4", "Kestrel Avionics Research Bureau")
# one listed party per language run: a kept decision is (rightly) reused for the same name and entry
LISTED = {"ja": "Example Dual Use Institute", "en": "Kestrel Avionics Research Bureau"}
SECOND = FIRST + _csl_row("e2", "Novosibirsk Quantum Optics Institute")
SETUP_USERS = """
from techguard.web import bootstrap
bootstrap.setup()
from techguard.web.accounts.models import Department, Profile
from django.contrib.auth import get_user_model
dept = Department.objects.create(name="Physics", name_ja="物理学科")
for name, role in (("rita", "researcher"), ("otto", "officer"), ("olivia", "officer"), ("adam", "administrator")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
    Profile.objects.create(user=user, role=role, department=dept, language="ja" if name == "olivia" else "en")
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    data = tmp_path_factory.mktemp("workbench-e2e")
    env = e2e_environment(data)
    csl = data / "csl.csv"
    csl.write_text(FIRST, encoding="utf-8")
    subprocess.run([str(BIN / "techguard"), "lists", "import", "--format", "csl_csv", str(csl)], env=env,
                   check=True, capture_output=True, timeout=120)
    subprocess.run([str(BIN / "techguard"), "web", "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP_USERS}"], env=env, check=True,
                   capture_output=True, timeout=120)
    log_path = data / "server.log"
    with serving(env, log_path) as base:
        yield base, data, log_path




def _new_visitor_case(browser: object, base: str, title: str, organisation: str, language: str) -> str:
    page = _login(browser, base, "rita", language)
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", title)
    page.fill("#id_person_name", "Zhang San")
    page.fill("#id_organisation", organisation)
    page.fill("#id_citizenships", "CN")
    page.fill("#id_description", "Tour of the thin-film lab")
    with page.expect_navigation():
        page.click("#run-checks")
    if page.locator("#id_fact__item__origin_country").count():  # US-origin: the Entity List decides the outcome
        page.fill("#id_fact__item__origin_country", "US")
        for fact in ("published", "fundamental_research"):  # unpublished, not fundamental research
            if page.locator(f"#id_fact__item__{fact}").count():
                page.select_option(f"#id_fact__item__{fact}", "no")
        with page.expect_navigation():
            page.click("#answer")
    with page.expect_navigation():
        page.click("#submit-case")
    url = page.url
    page.close()
    return url


def _memo_text(page: object, url: str, language: str) -> str:
    import pypdf

    response = page.request.get(f"{url}memo.pdf?lang={language}")  # type: ignore[attr-defined]
    assert response.ok and response.body().startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_officer_rules_out_a_possible_match_and_the_determination_and_memo_follow(server, browser, language):
    base, _, _ = server
    url = _new_visitor_case(browser, base, f"Visit {language}", LISTED[language], language)
    officer = _login(browser, base, "otto", language)
    officer.goto(url)
    hit = officer.locator(".hit").first
    assert hit.get_attribute("data-status") == "possible"
    title = "米国 エンティティ・リスト (BIS)" if language == "ja" else "US Entity List (BIS)"
    assert title in hit.inner_text()  # the list by its title
    before = officer.locator("#result-us_ear .outcome").get_attribute("data-code")
    assert before == "incomplete"  # a possible match is an open fact: "licence required if confirmed"
    hit.locator("select.verdict").select_option("false_positive")
    reason = "所在地が異なる別機関" if language == "ja" else "A different institute with a similar name"
    hit.locator("input.reason").fill(reason)
    hit.locator("input[name=address]").fill("Shanghai")
    with officer.expect_navigation():
        hit.locator("button.record-hit-decision").click()
    assert officer.locator(".hit").first.get_attribute("data-status") == "ruled_out"
    decision = officer.locator(".hit .decision").first.inner_text()
    assert reason in decision and ("誤検知" in decision if language == "ja" else "False positive" in decision)
    after = officer.locator("#result-us_ear .outcome").get_attribute("data-code")
    assert after != "licence_required"  # the determination re-ran without the hit
    assert "744.11" not in officer.locator("#result-us_ear").inner_text()
    memo = _memo_text(officer, url, language)
    assert reason in memo and ("誤検知（非該当）" in memo if language == "ja" else "False positive" in memo)
    officer.close()


def _mails(log_path: Path) -> list[email.message.Message]:
    # the console mail backend writes each message to the server's output, between lines of 79 dashes
    text = log_path.read_text(encoding="utf-8", errors="replace")
    chunks = [chunk[chunk.index("Content-Type:"):] for chunk in text.split("-" * 79) if "Content-Type:" in chunk]
    return [m for m in map(email.message_from_string, chunks) if m["Subject"] and m["To"]]


def _subject(message: email.message.Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_list_import_adding_a_listed_party_opens_a_review_task_on_an_approved_visitors_case(
        server, browser, language, tmp_path):
    base, _data, log_path = server
    name = "Novosibirsk Quantum Optics Institute" if language == "en" else "Tomsk Photonics Works"
    url = _new_visitor_case(browser, base, f"Approved visit {language}", name, language)
    officer = _login(browser, base, "otto", language)
    officer.goto(url)
    assert not officer.locator(".hit").count()  # nothing listed under that name yet
    officer.select_option("#id_decision", "approved")
    officer.fill("#id_comment", "No listed party.")
    with officer.expect_navigation():
        officer.click("#record-decision")
    assert officer.locator("#case-status").get_attribute("data-status") == "approved"

    admin = _login(browser, base, "adam", language)
    admin.goto(f"{base}/screening/lists/")
    upload = tmp_path / "csl.csv"
    upload.write_text(SECOND if language == "en" else SECOND + _csl_row("e3", "Tomsk Photonics Works"),
                      encoding="utf-8")
    admin.set_input_files("#import-files", str(upload))
    admin.select_option("#import-format", "csl_csv")
    with admin.expect_navigation():
        admin.click("#import-list")
    assert "US Consolidated Screening List" in admin.locator("#list-table").inner_text() or \
        "米国 統合スクリーニングリスト" in admin.locator("#list-table").inner_text()
    admin.close()

    officer.goto(url)
    task = officer.locator("#review-tasks .task").first
    assert task.get_attribute("data-status") == "open" and name in task.inner_text()
    officer.goto(f"{base}/dashboard/")
    assert name in officer.locator("#dashboard-review").inner_text()
    officer.close()
    subjects = {m["To"]: _subject(m) for m in _mails(log_path) if "potential match" in _subject(m)
                or "該当候補" in _subject(m)}
    # each officer in their own language (otto's is the one he chose at login, kept in his profile)
    expected = "新たな該当候補" if language == "ja" else "new potential matches after a list update"
    assert expected in subjects["otto@example.org"]
    assert "新たな該当候補" in subjects["olivia@example.org"]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_update_lists_now_offline_shows_each_source_failing_without_a_reload(server, browser, language):
    base, _, _ = server
    admin = _login(browser, base, "adam", language)
    admin.goto(f"{base}/screening/lists/")
    admin.evaluate("window.__same_page = true")  # gone if the page reloads
    admin.click("#update-lists")
    admin.wait_for_selector('#update-status[data-status="failed"]', timeout=90_000)
    assert admin.evaluate("window.__same_page === true")
    reports = admin.locator("#update-reports").inner_text()
    assert "us_csl" in reports and "us_ofac_sdn" in reports and "failed" in reports
    warning = "どのリストも更新できませんでした" if language == "ja" else "No list could be updated"
    assert warning in admin.locator("#list-update").inner_text()
    admin.close()
