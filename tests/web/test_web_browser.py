"""End to end in headless Chromium against a real `techguard web serve`: researcher submit → automatic checks →
officer approval, in both languages, then the audit chain is verified."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TECHGUARD_CHROMIUM", "/usr/bin/chromium")
BIN = Path(sys.executable).parent
PASSWORD = "e2e-password-Kq8#x"
SETUP_USERS = """
from techguard.web import bootstrap
bootstrap.setup()
from techguard.web.accounts.models import Department, Profile
from django.contrib.auth import get_user_model
dept = Department.objects.create(name="Physics", name_ja="物理学科")
for name, role in (("rita", "researcher"), ("otto", "officer")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
    Profile.objects.create(user=user, role=role, department=dept)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def e2e_environment(data: Path) -> dict[str, str]:
    """The test process's environment less its own techguard/Django settings, with ``data`` as the data dir;
    skips the module where Chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data), TECHGUARD_ADMIN_PASSWORD=PASSWORD)
    return env


@contextmanager
def serving(env: dict[str, str], log_path: Path, *options: str, tries: int = 100) -> Iterator[str]:
    """``techguard web serve`` on a free port until the block ends; yields its base URL once /login/ answers
    (the test fails with the server's log if it never does)."""
    port = _free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen([str(BIN / "techguard"), "web", "serve", "--port", str(port), *options],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(tries):
                try:
                    if httpx.get(f"{base}/login/", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            else:
                pytest.fail("server did not start: " + log_path.read_text())
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    data = tmp_path_factory.mktemp("e2e-data")
    env = e2e_environment(data)
    watch = data / "watch.csv"
    watch.write_text('id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n'
                     '2,"VEKSELBERG, Viktor",person,RU\n', encoding="utf-8")
    subprocess.run([str(BIN / "techguard"), "lists", "import", "--format", "simple_csv", str(watch)],
                   env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([str(BIN / "techguard"), "web", "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP_USERS}"], env=env, check=True,
                   capture_output=True, timeout=120)
    with serving(env, data / "server.log") as base:
        yield base, env


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


def _login(browser: object, base: str, username: str, language: str) -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-button")
    with page.expect_navigation():  # choosing a language submits the form; the choice is kept in the profile
        page.select_option("#language-select", language)
    assert page.locator("html").get_attribute("lang") == language
    return page


@pytest.mark.parametrize(("researcher_lang", "officer_lang"), [("en", "ja"), ("ja", "en")])
def test_submit_check_approve_then_verify_audit(server, browser, researcher_lang, officer_lang):
    base, env = server
    title = f"Visit {researcher_lang}-{officer_lang}"
    page = _login(browser, base, "rita", researcher_lang)
    assert page.locator("html").get_attribute("lang") == researcher_lang
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", title)
    page.fill("#id_person_name", "Zhang San")
    page.fill("#id_organisation", "Example Dual Use Institute")
    page.fill("#id_citizenships", "CN")
    page.fill("#id_description", "Tour of the thin-film lab")
    with page.expect_navigation():
        page.click("#run-checks")
    # automatic checks: both jurisdictions side by side, the screening alert on the employer
    assert page.locator("#result-us_ear").is_visible() and page.locator("#result-jp_fefta").is_visible()
    alert_text = "一致の可能性あり — 要確認" if researcher_lang == "ja" else "Possible match — review"
    assert page.locator("#screening").inner_text().count(alert_text) == 1
    # the interview asks what the engine is missing; answer one question
    page.fill("#id_fact__recipient__jp_residency__entered_japan", "2026-04-01")
    with page.expect_navigation():
        page.click("#answer")
    assert page.locator("#case-status").get_attribute("data-status") == "draft"
    with page.expect_navigation():
        page.click("#submit-case")
    assert page.locator("#case-status").get_attribute("data-status") == "submitted"
    case_url = page.url
    page.close()

    officer = _login(browser, base, "otto", officer_lang)
    officer.goto(case_url)
    officer.select_option("#id_decision", "approved_with_conditions")
    officer.fill("#id_conditions", "No clean-room access")
    officer.fill("#id_comment", "Employer is listed; tour limited to public areas.")
    with officer.expect_navigation():
        officer.click("#record-decision")
    status = officer.locator("#case-status")
    assert status.get_attribute("data-status") == "approved_with_conditions"
    assert status.inner_text() == ("条件付き承認" if officer_lang == "ja" else "Approved with conditions")
    officer.goto(f"{base}/audit/")
    assert officer.locator("#chain-ok").is_visible()
    officer.close()

    verify = subprocess.run([str(BIN / "techguard"), "audit", "verify"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert verify.returncode == 0, verify.stderr
    assert "audit chain intact" in verify.stdout


def test_batch_upload_progress_bar_polls_until_done(server, browser, tmp_path):
    base, _ = server
    names = ["Example Dual Use Institute", "山田太郎", "Acme Trading"] * 40
    upload = tmp_path / "names.csv"
    upload.write_bytes(("id,name\r\n" + "".join(f"{i},{n}\r\n" for i, n in enumerate(names, 1))).encode("cp932"))
    page = _login(browser, base, "rita", "en")
    page.goto(f"{base}/screening/batches/")
    page.set_input_files("#batch-file", str(upload))
    with page.expect_navigation():
        page.click("#upload")
    # htmx replaces the fragment every second until the worker thread of `web serve` has finished
    page.wait_for_selector('#progress[data-status="done"]', timeout=30_000)
    progress = page.locator("#progress").inner_text()
    assert "120/120" in progress and "alerts: 40" in progress
    with page.expect_download() as download:
        page.click('a[href$="results.csv"]')
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.count("Example Dual Use Institute") >= 40
    page.close()


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "judged as the Latin name “viktor vekselberg” the katakana sounds as"),
     ("ja", "カタカナの音から英字名「viktor vekselberg」として判定")],
)
def test_a_katakana_name_says_which_latin_name_it_was_judged_as(server, browser, language, said):
    base, _ = server
    page = _login(browser, base, "otto", language)
    page.goto(f"{base}/screening/?name=ヴィクトル・ヴェクセリベルク")
    match = page.locator(".match").first
    assert "VEKSELBERG, Viktor" in match.inner_text() and match.locator(".alert").count() == 1
    match.locator("summary").click()  # "Why it matched"
    assert said in match.locator(".explanation").inner_text()
    page.close()
