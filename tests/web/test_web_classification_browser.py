"""In headless Chromium against a real `techguard web serve`: a researcher describes an item in her own words
(ja / en) and sees candidates; an officer confirms one into the item master and opens the 該非判定書 PDF."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# the server's and browser's set-up as in the main walk (one copy: test_web_browser)
from test_web_browser import BIN, PASSWORD, SETUP_USERS, _login, browser, e2e_environment, serving  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[str]:
    data = tmp_path_factory.mktemp("e2e-classification")
    env = e2e_environment(data)
    run = {"env": env, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(BIN / "techguard"), "catalogue", "build", "--from", str(shared / "rules")], **run)
    subprocess.run([str(BIN / "techguard"), "web", "migrate"], **run)
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP_USERS}"], **run)
    with serving(env, data / "server.log") as base:
        yield base


@pytest.mark.parametrize(("language", "query", "eccn", "jp_item"), [
    ("ja", "希釈冷凍機（到達温度10 mK）を海外の共同研究先に送りたい", "3A904", "7の項（15の3）"),
    ("en", "FPGA board for detector readout with 2,000 user I/Os", "3A001", "7の項（1）"),
])
def test_description_to_candidates_to_confirmed_classification(
        server, browser, language, query, eccn, jp_item):
    base = server
    page = _login(browser, base, "rita", language)
    page.goto(f"{base}/classification/")
    page.fill("#q", query)
    with page.expect_navigation(timeout=120_000):  # the first search builds the index
        page.click("#search")
    answer = page.locator("#answer").inner_text()
    assert eccn in answer and jp_item in answer
    assert page.locator("form.confirm").count() == 0  # researchers do not confirm
    page.close()

    officer = _login(browser, base, "otto", language)
    officer.goto(f"{base}/classification/")
    officer.fill("#q", query)
    with officer.expect_navigation(timeout=120_000):
        officer.click("#search")
    row = officer.locator("tr.candidate", has_text=eccn).first
    row.locator("input[name=item_name]").fill(f"Item {language}")
    row.locator("textarea[name=reasons]").fill("仕様が閾値を超えるため / exceeds the threshold")
    with officer.expect_navigation():
        row.locator("button[type=submit]").click()
    assert officer.locator("#eccn").inner_text().startswith(eccn)
    assert officer.locator("#jp-item").inner_text() == jp_item
    pdf = httpx.get(officer.url.rstrip("/") + f"/determination.pdf?lang={language}",
                    cookies={c["name"]: c["value"] for c in officer.context.cookies()}, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    officer.close()
