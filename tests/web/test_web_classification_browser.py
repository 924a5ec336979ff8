"""In headless Chromium against a real `techguard web serve`: a researcher describes an item in her own words
(ja / en) and sees candidates; an officer confirms one into the item master and opens the 該非判定書 PDF."""

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
    data = tmp_path_factory.mktemp("e2e-classification")
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
    ("ja", "希釈冷凍機（到達温度10 mK）を海外の共同研究先に送りたい", "3A904", "7の項（15の3）"),
    ("en", "FPGA board for detector readout with 2,000 user I/Os", "3A001", "7の項（1）"),
])
def test_description_to_candidates_to_confirmed_classification(server, browser, language, query, eccn, jp_item):
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
