"""Layout in headless Chromium, ja and en: at a phone's 390 px the case page and the home page fit the screen
(no horizontal scroll: tables scroll in their own box, long values wrap); at 1280 px the header is one line."""

from __future__ import annotations

from typing import Any

import pytest

# the main walk's server, browser and log-in (one copy)
from test_web_browser import _login, browser, server  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_WORD = "Averyveryveryverylongorganisationnamewithoutanyspacesthatwouldoverflowatable"

# True when every child of the header sits on the same row (none wrapped below another).
HEADER_ON_ONE_LINE = """() => {
  const boxes = [...document.querySelector('header').children].map(e => e.getBoundingClientRect())
    .filter(b => b.height > 0);
  return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
}"""


def _case_with_long_values(page: Any, base: str, language: str) -> str:
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.click("#new-visitor")
    page.fill("#id_title", f"Layout check {language}: a visiting researcher with a long title and long names")
    page.fill("#id_person_name", "Alexander Maximilian Zhang San-Feng")
    page.fill("#id_organisation", LONG_WORD)
    page.fill("#id_citizenships", "CN")
    page.fill("#id_description", "Tour of the thin-film deposition laboratory and the dilution refrigerator " * 4)
    with page.expect_navigation():
        page.click("#run-checks")
    case_url = str(page.url)
    with page.expect_navigation():
        page.click("#submit-case")  # submitted: the officer's page carries the review form too
    return case_url


def _scroll_width(page: Any, url: str) -> int:
    page.goto(url)
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_phone_width_has_no_horizontal_scroll_and_header_is_one_line(server, browser, language):
    base, _env = server
    researcher = _login(browser, base, "rita", language)
    case_url = _case_with_long_values(researcher, base, language)
    officer = _login(browser, base, "otto", language)
    for page in (researcher, officer):
        page.set_viewport_size(PHONE)
        assert _scroll_width(page, case_url) <= PHONE["width"], (language, case_url)
        assert LONG_WORD in page.locator("#facts").inner_text()  # measured with the long value on the page
        assert _scroll_width(page, f"{base}/") <= PHONE["width"], (language, "home")
    officer.goto(f"{base}/dashboard/")
    assert int(officer.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"]
    for page in (researcher, officer):
        page.set_viewport_size({"width": 1280, "height": 900})
        for url in (case_url, f"{base}/"):
            page.goto(url)
            assert page.evaluate(HEADER_ON_ONE_LINE), (language, url)
            assert int(page.evaluate("document.documentElement.scrollWidth")) <= 1280
        page.close()
