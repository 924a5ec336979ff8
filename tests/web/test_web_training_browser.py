"""In headless Chromium against a real `techguard web serve`, in Japanese and in English: the administrator
requires current training; an officer's approval is refused with the ja/en message until the officer records
the researcher's training, then it goes through."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from test_web_browser import BIN, PASSWORD, _login, browser, e2e_environment, serving  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
SETUP = """
from techguard.web import bootstrap
bootstrap.setup()
from techguard.web.accounts.models import Department, Profile
from django.contrib.auth import get_user_model
dept = Department.objects.create(name="Physics", name_ja="物理学科")
for name, role in (("rika_en", "researcher"), ("rika_ja", "researcher"), ("otto", "officer")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
    Profile.objects.create(user=user, role=role, department=dept)
"""
BLOCKED = {
    "en": "Approval is blocked: rika_{lang} has no export-control training on record.",
    "ja": "承認できません: rika_{lang} の輸出管理研修の受講記録がありません。",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("e2e-training")
    env = e2e_environment(data)
    subprocess.run([str(BIN / "techguard"), "web", "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP}"], env=env, check=True,
                   capture_output=True, timeout=120)
    with serving(env, data / "server.log", "--no-worker", tries=150) as base:
        yield base


def _approve(page: object, comment: str) -> None:
    page.select_option("#id_decision", "approved")  # type: ignore[attr-defined]
    page.fill("#id_comment", comment)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#record-decision")  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_training_required_blocks_approval_until_recorded(server, browser, language):
    base = server
    researcher = f"rika_{language}"
    admin = _login(browser, base, "admin", language)
    admin.goto(f"{base}/training/")
    admin.check("#id_require_current_training")
    with admin.expect_navigation():
        admin.click("#save-policy")
    expected = "承認の前に有効な輸出管理研修" if language == "ja" else "requires current export-control training"
    assert expected in admin.locator("#training-policy").inner_text()
    admin.close()

    page = _login(browser, base, researcher, language)
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", f"Visit {language}")
    page.fill("#id_person_name", "Zhang San")
    page.fill("#id_organisation", "Example University")
    page.fill("#id_citizenships", "CN")
    page.fill("#id_description", "Seminar talk")
    with page.expect_navigation():
        page.click("#run-checks")
    with page.expect_navigation():
        page.click("#submit-case")
    assert page.locator("#case-status").get_attribute("data-status") == "submitted"
    case_url = page.url
    page.close()

    officer = _login(browser, base, "otto", language)
    officer.goto(case_url)
    assert officer.locator("#training-status").get_attribute("data-current") == "no"
    _approve(officer, "Open seminar.")
    assert BLOCKED[language].format(lang=language) in officer.locator(".messages").inner_text()
    assert officer.locator("#case-status").get_attribute("data-status") == "submitted"

    with officer.expect_navigation():  # the case page links to the training page for this researcher
        officer.click("#training-required a")
    officer.fill("#id_person", researcher)
    officer.fill("#id_course", "安全保障輸出管理研修" if language == "ja" else "Export control basics")
    officer.fill("#id_completed_on", date.today().isoformat())
    with officer.expect_navigation():
        officer.click("#save-training")
    assert researcher in officer.locator("#training-records").inner_text()

    officer.goto(case_url)
    assert officer.locator("#training-status").get_attribute("data-current") == "yes"
    _approve(officer, "Open seminar; training on record.")
    assert officer.locator("#case-status").get_attribute("data-status") == "approved"
    officer.close()
