"""``research designations update``: official sources fetched through a mock transport (never the network),
small fixtures written here; a corrupt, partial or empty download leaves the previous version active."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.lists.update import UpdateStatus
from techguard.research.designations import DesignationBook
from techguard.research.updates import (
    FEDERAL_REGISTER_SEARCH,
    NRO_URL,
    SECTION_1286_PAGE,
    active_meta,
    parse_1260h_notice,
    update_designations,
)

Handler = Callable[[httpx.Request], httpx.Response]


def _nro_page(names: list[str], modified: str = "2025-01-15") -> bytes:
    items = "".join(f"<li><strong>{n}</strong> (People’s Republic of China)<p>Known alias(es): A{k}</p></li>"
                    for k, n in enumerate(names))
    return (f'<html><body><div class="wb-filter"><ul>{items}</ul></div>'
            f'<dl id="wb-dtmd"><dt>Date modified:</dt><dd><time property="dateModified">{modified}</time></dd></dl>'
            "</body></html>").encode()


NAMES = [f"Institute {chr(65 + k)} of Defence Technology" for k in range(10)]


def _client(routes: dict[str, Handler | bytes]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        route = routes.get(str(request.url))
        if route is None:
            return httpx.Response(404)
        return route(request) if callable(route) else httpx.Response(200, content=route)

    return httpx.Client(transport=httpx.MockTransport(handle))


def _active(data_dir: Path, name: str) -> list[str]:
    return [e.name for e in DesignationBook.load_saved(data_dir) if e.list == name]


def _clock() -> str:
    return "2025-02-01T00:00:00Z"


def test_nro_update_is_dated_then_refusals_keep_it(tmp_path: Path) -> None:
    reports = update_designations(tmp_path, ["ca_nro"], client=_client({NRO_URL: _nro_page(NAMES)}), now=_clock)
    assert [r.status for r in reports] == [UpdateStatus.ACTIVATED]
    assert _active(tmp_path, "ca_nro") == NAMES
    meta = active_meta(tmp_path, "ca_nro")
    assert meta is not None and meta["edition"] == "2025-01-15" and meta["source_url"] == NRO_URL
    assert {e.start for e in DesignationBook.load_saved(tmp_path)} == {"2025-01-15"}

    # The same bytes again: unchanged, only checked.
    again = update_designations(tmp_path, ["ca_nro"], client=_client({NRO_URL: _nro_page(NAMES)}), now=_clock)
    assert again[0].status is UpdateStatus.UNCHANGED

    page = _nro_page(NAMES)
    bad: dict[str, Handler | bytes] = {
        # cut off: fewer bytes than the Content-Length announced
        "partial": lambda _: httpx.Response(200, content=page[: len(page) // 2],
                                            headers={"Content-Length": str(len(page))}),
        "empty": lambda _: httpx.Response(200, content=b""),
        "layout": lambda _: httpx.Response(200, content=b"<html><body><p>Page moved</p></body></html>"),
        "shrunk": lambda _: httpx.Response(200, content=_nro_page(NAMES[:5])),
        "server": lambda _: httpx.Response(503),
    }
    expected = {"partial": UpdateStatus.REFUSED, "empty": UpdateStatus.REFUSED, "layout": UpdateStatus.REFUSED,
                "shrunk": UpdateStatus.REFUSED, "server": UpdateStatus.FAILED}
    for what, handler in bad.items():
        report = update_designations(tmp_path, ["ca_nro"], client=_client({NRO_URL: handler}), now=_clock)[0]
        assert report.status is expected[what], (what, report.message)
        assert _active(tmp_path, "ca_nro") == NAMES, what  # the previous version is still the active one
        assert active_meta(tmp_path, "ca_nro") == {**meta, "checked_at": _clock()}

    # A list that shrank is accepted when forced, and the replaced version is kept in the history.
    forced = update_designations(tmp_path, ["ca_nro"], client=_client({NRO_URL: _nro_page(NAMES[:5])}),
                                 force=True, now=_clock)
    assert forced[0].status is UpdateStatus.ACTIVATED and _active(tmp_path, "ca_nro") == NAMES[:5]
    assert len(list((DesignationBook.store_dir(tmp_path) / "history").glob("ca_nro-*.json"))) == 1


def test_1260h_from_the_federal_register(tmp_path: Path) -> None:
    body_url = "https://www.federalregister.gov/documents/full_text/html/2025/01/07/2025-00001.html"
    search = {"results": [
        {"title": "Notice of Availability of Designation of Chinese Military Companies (Section 1260H)",
         "publication_date": "2025-01-07", "body_html_url": body_url,
         "html_url": "https://www.federalregister.gov/d/2025-00001"},
        {"title": "Notice of Availability of Designation of Chinese Military Companies (Section 1260H)",
         "publication_date": "2024-01-31", "body_html_url": "https://example.invalid/old.html"},
        {"title": "Unrelated notice", "publication_date": "2025-02-01", "body_html_url": "https://x.invalid/"},
    ]}
    body = (b"<html><body><p>The following entities are listed:</p><ul>"
            b"<li>Aviation Industry Corporation of China (AVIC)</li><li>China Mobile Communications Group Co., Ltd.</li>"
            b"<li>Huawei Technologies Co., Ltd.</li></ul></body></html>")
    client = _client({FEDERAL_REGISTER_SEARCH: json.dumps(search).encode(), body_url: body})
    report = update_designations(tmp_path, ["us_1260h"], client=client, now=_clock)[0]
    assert report.status is UpdateStatus.ACTIVATED, report.message
    entries = [e for e in DesignationBook.load_saved(tmp_path) if e.list == "us_1260h"]
    assert [e.name for e in entries][:1] == ["Aviation Industry Corporation of China"]
    assert entries[0].aliases == ("AVIC",) and {e.start for e in entries} == {"2025-01-07"}
    assert entries[0].source_url == "https://www.federalregister.gov/d/2025-00001"
    # A search answer without a §1260H document changes nothing.
    empty = _client({FEDERAL_REGISTER_SEARCH: b'{"results": []}'})
    assert update_designations(tmp_path, ["us_1260h"], client=empty)[0].status is UpdateStatus.REFUSED
    assert len([e for e in DesignationBook.load_saved(tmp_path) if e.list == "us_1260h"]) == 3


def test_1260h_numbered_paragraphs() -> None:
    html = b"<p>(1) China Electronics Technology Group Corporation;</p><p>(2) Beijing Zhongguancun Development</p>"
    names = [e.name for e in parse_1260h_notice(html, "https://x", "2025-01-07")]
    assert names == ["China Electronics Technology Group Corporation", "Beijing Zhongguancun Development"]


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    y = 750
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 16
    pdf.save()
    return buffer.getvalue()


def test_1286_pdf_linked_from_the_dod_page(tmp_path: Path) -> None:
    pdf_url = "https://basicresearch.defense.gov/Portals/61/Documents/FY25-Section-1286-List.pdf"
    page = b'<html><a href="/Portals/61/Documents/FY25-Section-1286-List.pdf">FY25 Section 1286 list</a></html>'
    pdf = _pdf(["Section 1286 List, FY 2025", "Table 1: Foreign Institutions", "Institution Country",
                "Beihang University China", "Harbin Institute of Technology China",
                "Moscow Institute of Physics and Technology Russia", "Sharif University of Technology Iran"])

    def head_or_get(request: httpx.Request) -> httpx.Response:
        headers = {"Last-Modified": "Tue, 01 Jul 2025 10:00:00 GMT"}
        return httpx.Response(200, headers=headers, content=b"" if request.method == "HEAD" else pdf)

    client = _client({SECTION_1286_PAGE: page, pdf_url: head_or_get})
    report = update_designations(tmp_path, ["us_1286"], client=client, now=_clock)[0]
    assert report.status is UpdateStatus.ACTIVATED, report.message
    entries = [e for e in DesignationBook.load_saved(tmp_path) if e.list == "us_1286"]
    assert [(e.name, e.country) for e in entries] == [
        ("Beihang University", "CN"), ("Harbin Institute of Technology", "CN"),
        ("Moscow Institute of Physics and Technology", "RU"), ("Sharif University of Technology", "IR")]
    assert {(e.edition, e.start) for e in entries} == {("FY2025", "2025-07-01")}
    # A corrupt PDF is refused and the FY2025 list stays.
    corrupt = _client({SECTION_1286_PAGE: page, pdf_url: pdf[: len(pdf) // 3]})
    report = update_designations(tmp_path, ["us_1286"], client=corrupt, now=_clock)[0]
    assert report.status is UpdateStatus.REFUSED
    assert len([e for e in DesignationBook.load_saved(tmp_path) if e.list == "us_1286"]) == 4


def test_entity_list_and_eul_go_through_the_list_snapshots(tmp_path: Path) -> None:
    reports = update_designations(tmp_path, ["us_entity_list", "jp_eul"], client=_client({}), now=_clock)
    assert [(r.source, r.status) for r in reports] == [("us_entity_list", UpdateStatus.FAILED),
                                                       ("jp_eul", UpdateStatus.FAILED)]
    assert reports[0].message.startswith("us_csl: ") and reports[1].message.startswith("jp_meti_eul: ")
    with pytest.raises(ValueError, match="unknown list"):
        update_designations(tmp_path, ["aspi_cdut"], client=_client({}))  # an assessment is never updated here


def test_cli_update(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import techguard.research.updates as updates

    monkeypatch.setattr(updates, "default_client", lambda: _client({NRO_URL: _nro_page(NAMES)}))
    result = CliRunner().invoke(app, ["research", "designations", "update", "ca_nro"])
    assert result.exit_code == 0, result.output
    assert "ca_nro" in result.output and "activated" in result.output
    monkeypatch.setattr(updates, "default_client", lambda: _client({}))
    result = CliRunner().invoke(app, ["research", "designations", "update", "ca_nro"])
    assert result.exit_code == 1 and "failed" in result.output
    assert _active(data_dir, "ca_nro") == NAMES
    result = CliRunner().invoke(app, ["research", "designations", "update", "ca_nro", "--url", "nourl"])
    assert result.exit_code == 2
