"""In headless Chromium against a real `techguard web serve`, in ja and en: the researcher submits, an officer
sends the case back (差戻し) with a reason, the researcher resubmits, officer A signs 部局確認, officer B decides
at 委員会, and the 決裁欄 shows both names and dates."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

# the server, browser and log-in of the main walk (one copy)
from test_web_browser import PASSWORD, _login, browser, server  # noqa: F401

pytestmark = pytest.mark.browser

SETUP_ROUTE = """
from techguard.web import bootstrap
bootstrap.setup()
from django.contrib.auth import get_user_model
from techguard.web.accounts.models import Department, Profile
from techguard.web.cases.models import ApprovalRoute, ApprovalStep
dept = Department.objects.get(name="Physics")
for name, first, last in (("anna", "Anna", "Abe"), ("ben", "Ben", "Baba")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=first,
                                                last_name=last)
    Profile.objects.create(user=user, role="officer", department=dept)
route = ApprovalRoute.objects.create(name="Physics route", department=dept)
ApprovalStep.objects.create(route=route, order=1, label="部局確認", role="officer")
ApprovalStep.objects.create(route=route, order=2, label="委員会", role="officer")
"""


@pytest.fixture(scope="module")
def route(server):
    base, env = server
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP_ROUTE}"], env=env, check=True,
                   capture_output=True, timeout=120)
    return base


def _status(page) -> str:
    return page.locator("#case-status").get_attribute("data-status")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_return_resubmit_two_signatures_decision(route, browser, language):
    base = route
    page = _login(browser, base, "rita", language)
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", f"Visiting researcher ({language})")
    page.fill("#id_person_name", "Zhang San")
    page.fill("#id_organisation", "Example Dual Use Institute")
    page.fill("#id_citizenships", "CN")
    page.fill("#id_description", "Tour of the thin-film lab")
    with page.expect_navigation():
        page.click("#run-checks")
    with page.expect_navigation():
        page.click("#submit-case")
    assert _status(page) == "submitted"
    case_url = page.url

    anna = _login(browser, base, "anna", language)
    anna.goto(case_url)
    board = anna.locator("#approval-board")
    assert "部局確認" in board.inner_text() and "委員会" in board.inner_text()
    anna.click("#return summary")
    anna.fill("#id_return-reason", "Give the stay period and attach the invitation letter.")
    with anna.expect_navigation():
        anna.click("#return-case")
    assert _status(anna) == "returned"

    page.goto(case_url)
    notice = page.locator("#returned-notice").inner_text()
    assert ("差し戻されました" if language == "ja" else "returned to you for correction") in notice
    assert "Give the stay period" in page.locator("#approval-board").inner_text()  # the reason, in its box
    with page.expect_navigation():
        page.click("#submit-case")  # now labelled "resubmit"
    assert _status(page) == "submitted"

    anna.goto(case_url)
    anna.select_option("#id_step-outcome", "approved")
    anna.fill("#id_step-comment", "Department agrees.")
    with anna.expect_navigation():
        anna.click("#sign-step")
    assert _status(anna) == "under_review"
    assert anna.locator("#review-form").count() == 0  # the same officer does not also sign the last step

    ben = _login(browser, base, "ben", language)
    ben.goto(case_url)
    assert ben.locator("#id_decision").input_value() == ""  # no decision preselected
    ben.select_option("#id_decision", "approved_with_conditions")
    ben.fill("#id_conditions", "Escorted visits only")
    ben.fill("#id_comment", "Committee approves with conditions.")
    with ben.expect_navigation():
        ben.click("#record-decision")
    assert _status(ben) == "approved_with_conditions"

    signed = ben.locator("#approval-board tr.approval-box.signed")
    assert signed.count() == 2
    first, second = signed.nth(0), signed.nth(1)
    assert first.locator(".signer").inner_text() == "Anna Abe"
    assert second.locator(".signer").inner_text() == "Ben Baba"
    for box in (first, second):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", box.locator(".signed-at").inner_text())
    heading = ben.locator("#approvals h2").inner_text()
    assert heading == ("決裁欄" if language == "ja" else "Approvals (決裁欄)")
    assert ben.locator("#earlier-rounds").count() == 1  # the 差戻し of the first round stays on the record
    for person in (page, anna, ben):
        person.close()
