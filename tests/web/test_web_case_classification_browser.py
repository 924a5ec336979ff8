"""In headless Chromium against a real `techguard web serve`, as a new user would: a researcher's shipment
pre-check goes from a free description of the item to the catalogue's candidates, her pick, the officer's
confirmation, and a determination resting on the confirmed ECCN / 項番 — in ja and in en."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    data = tmp_path_factory.mktemp("e2e-case-classification")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data), TECHGUARD_ADMIN_PASSWORD=PASSWORD)
    run = {"env": env, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(BIN / "techguard"), "catalogue", "build", "--from", str(shared / "rules")], **run)
    subprocess.run([str(BIN / "techguard"), "web", "migrate"], **run)
    subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\n{SETUP_USERS}"], **run)
    port = _free_port()
    log = (data / "server.log").open("w")
    process = subprocess.Popen([str(BIN / "techguard"), "web", "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/login/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not start: " + (data / "server.log").read_text())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


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
    with page.expect_navigation():
        page.select_option("#language-select", language)
    return page


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
    us_before = page.locator("#result-us_ear .outcome").inner_text()
    jp_before = page.locator("#result-jp_fefta .outcome").inner_text()
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
    jp_after = officer.locator("#result-jp_fefta .outcome").inner_text()
    assert (jp_before, jp_after) == ("incomplete", "licence_required")
    assert jp_item in officer.locator("#result-jp_fefta").inner_text()  # the answer cites the confirmed 項番
    us_after = officer.locator("#result-us_ear").inner_text()
    assert us_before != "licence_required" and "licence_required" in us_after
    assert "ECCN 3A001" in us_after  # the EAR's answer reads the Country Chart for the confirmed ECCN
    officer.close()
