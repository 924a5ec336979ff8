"""In headless Chromium against a real `techguard web serve`, as a new user would: a researcher's shipment
pre-check goes from a free description of the item to the catalogue's candidates, her pick, the officer's
confirmation, and a determination resting on the confirmed ECCN / 項番 — in ja and in en."""

from __future__ import annotations

import pytest

# the server with a built catalogue, the browser and the log-in of the classification walk (one copy)
from test_web_classification_browser import _login, browser, server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "query", "eccn", "jp_item"), [
    ("ja", "検出器読み出し用のFPGAボード（ユーザI/O 2,000本）", "3A001", "7の項（1）"),
    ("en", "FPGA board for detector readout with 2,000 user I/Os", "3A001", "7の項（1）"),
])
def test_case_from_free_description_to_confirmed_classification_to_determination(
        server, browser, language, query, eccn, jp_item):
    base = server
    page = _login(browser, base, "rita", language)
    with page.expect_navigation():
        page.click("#new-shipping")
    page.fill("#id_title", f"Readout board ({language})")
    page.select_option("#id_item_type", "commodity")
    page.fill("#id_description", query)
    page.fill("#id_destination", "CN")
    page.fill("#id_consignee", "Shanghai Jiao Tong University")
    with page.expect_navigation():
        page.click("#run-checks")
    case_url = page.url
    if page.locator("#id_fact__item__origin_country").count():  # US-made: the EAR's answer rests on the ECCN
        page.fill("#id_fact__item__origin_country", "US")
        with page.expect_navigation():
            page.click("#answer")
    us_before = page.locator("#result-us_ear .outcome").get_attribute("data-code")
    jp_before = page.locator("#result-jp_fefta .outcome").get_attribute("data-code")
    heading = page.locator("#classify h2").inner_text()
    assert heading.startswith("該非判定" if language == "ja" else "Classify the item")
    # the researcher describes the item in her own words and sees the catalogue's candidates
    page.fill("#classify-q", query)
    with page.expect_navigation(timeout=120_000):  # the first search builds the index
        page.click("#classify-search-button")
    candidates = page.locator("tr.classify-candidate")
    assert candidates.count() >= 1
    assert page.locator("#classify-confirm").count() == 0  # researchers do not confirm
    row = candidates.filter(has_text=eccn).first
    row.locator("input[type=radio]").check()
    with page.expect_navigation(timeout=120_000):
        page.click("#classify-propose")
    assert eccn in page.locator("#proposal").inner_text() and jp_item in page.locator("#proposal").inner_text()
    with page.expect_navigation():
        page.click("#submit-case")
    page.close()

    officer = _login(browser, base, "otto", language)
    officer.goto(case_url)
    assert officer.locator("#confirm-eccn").input_value().startswith(eccn)  # prefilled from the pick
    assert officer.locator("#confirm-jp-item").input_value() == jp_item
    officer.fill("#confirm-eccn", "3A001.a.7.a")  # the officer narrows it to the sub-paragraph
    officer.fill("#confirm-reasons", "ユーザI/O 700本超 / more than 700 user I/Os")
    with officer.expect_navigation(timeout=120_000):
        officer.click("#classify-confirm-button")
    assert officer.locator("#confirmed-eccn").inner_text() == "3A001.a.7.a"
    assert officer.locator("#confirmed-jp-item").inner_text() == jp_item
    facts = officer.locator("#facts").inner_text()
    assert "3A001.A.7.A" in facts and jp_item in facts
    jp_after = officer.locator("#result-jp_fefta .outcome").get_attribute("data-code")
    assert (jp_before, jp_after) == ("incomplete", "licence_required")
    assert jp_item in officer.locator("#result-jp_fefta").inner_text()  # the answer cites the confirmed 項番
    us_after = officer.locator("#result-us_ear").inner_text()
    us_after_code = officer.locator("#result-us_ear .outcome").get_attribute("data-code")
    assert us_before != "licence_required" and us_after_code == "licence_required"
    assert "ECCN 3A001" in us_after  # the EAR's answer reads the Country Chart for the confirmed ECCN
    officer.close()
