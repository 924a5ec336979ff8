"""In headless Chromium: a visitor pre-check with a country typed in Japanese, the stay period as dates and the
特定類型 pledge as radio choices; then the researcher corrects the stay on the corrections page, giving a reason,
and the case page's record shows the correction."""

from __future__ import annotations

import pytest
from test_web_browser import _login, browser, server  # noqa: F401 (shared fixtures)

pytestmark = pytest.mark.browser


def test_visitor_with_typed_country_and_stay_then_corrected(server, browser):
    base, _env = server
    page = _login(browser, base, "rita", "ja")
    with page.expect_navigation():
        page.click("#new-visitor")
    # the country picker offers every country by its Japanese name, stored as the code
    assert page.locator('#id_citizenships-countries option[value="CN"]').get_attribute("value") == "CN"
    assert "外為法第6条" in page.locator("#id_stay_start_helptext").inner_text()
    page.fill("#id_title", "Intake walk")
    page.fill("#id_person_name", "Wang Fang")
    page.fill("#id_citizenships", "中国")
    page.fill("#id_description", "Tour of the optics lab")
    page.fill("#id_stay_start", "2026-04-01")
    page.fill("#id_stay_end", "2026-06-30")
    page.select_option("#id_residence_status", "temporary_visitor")
    page.check("#id_employed_in_japan_1")  # no
    for question in ("tokutei_contract", "tokutei_benefit", "tokutei_instructions"):
        page.check(f"#id_{question}_1")  # no
    with page.expect_navigation():
        page.click("#run-checks")
    # stored as the code, shown by its name with the code (the fact's path is the label's title)
    assert page.locator('#facts td[title="recipient.citizenships"] + td').inner_text() == "中国 (CN)"
    case_url = page.url
    page.goto(case_url + "edit/")
    assert page.locator("#id_stay_end").input_value() == "2026-06-30"
    page.fill("#id_stay_end", "2026-12-31")
    page.fill("#id_reason", "滞在延長")
    with page.expect_navigation():
        page.click("#save-correction")
    assert page.url == case_url
    assert "事実の訂正" in page.content() and "滞在延長" in page.content()  # case.facts_corrected, labelled
    page.close()
