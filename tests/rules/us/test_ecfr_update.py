"""The eCFR downloader and XML parser on hand-made fixtures in the eCFR XML structure (no network)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest

from techguard.rules.activity import activity_from_mapping
from techguard.rules.us import assess_us, ecfr
from techguard.rules.us.tables import TABLE_FILES, load_tables

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rules" / "us"
PACKAGE_DATA = Path(ecfr.__file__).with_name("data")


def _transport(requests: list[httpx.Request], *, broken_part: str | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.endswith("/titles.json"):
            return httpx.Response(200, content=(FIXTURES / "titles.json").read_bytes())
        part = request.url.params.get("part")
        if request.url.path.endswith("/full/2026-07-23/title-15.xml") and part in ("738", "740", "774"):
            body = (FIXTURES / f"title-15-part-{part}.xml").read_bytes()
            if part == broken_part:
                body = body[: len(body) // 2]
            return httpx.Response(200, content=body)
        return httpx.Response(404, text="not found")

    return httpx.MockTransport(handler)


def test_update_fetches_the_latest_issue_and_writes_the_tables(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    with httpx.Client(transport=_transport(requests)) as client:
        written = ecfr.update_us_tables(client, tmp_path, minimum_rows=3)
    assert [p.name for p in written] == list(TABLE_FILES)
    assert requests[0].url.path == "/api/versioner/v1/titles.json"
    assert {r.url.params.get("part") for r in requests[1:]} == {"738", "740", "774"}
    chart = json.loads((tmp_path / "country_chart.json").read_text(encoding="utf-8"))
    assert chart["ecfr_date"] == "2026-07-23"
    assert chart["provenance"]["upstream_url"].endswith("title-15.xml?part=738")
    assert chart["rows"]["JP"]["footnotes"] == [3]
    assert set(chart["pointer_rows"]) == {"CU", "KP"}
    assert "742.19" in chart["pointer_rows"]["KP"]["sections"]


def test_parsed_rows_have_the_committed_shape_and_values(tmp_path: Path) -> None:
    with httpx.Client(transport=_transport([])) as client:
        ecfr.update_us_tables(client, tmp_path, minimum_rows=3)
    committed = {n: json.loads((PACKAGE_DATA / n).read_text(encoding="utf-8")) for n in TABLE_FILES}
    parsed = {n: json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in TABLE_FILES}
    for name in TABLE_FILES:
        assert set(parsed[name]) == set(committed[name]), name
    for iso in ("BR", "CN", "DE", "JP", "GB"):
        assert parsed["country_chart.json"]["rows"][iso] == committed["country_chart.json"]["rows"][iso], iso
    for group, members in parsed["country_groups.json"]["groups"].items():
        assert set(members) <= set(committed["country_groups.json"]["groups"][group]), group
    ours = parsed["ccl.json"]["entries"]["3A001"]
    theirs = committed["ccl.json"]["entries"]["3A001"]
    assert set(ours) == set(theirs)
    # The fixture holds 4 of the 3A001 rows; each equals its committed counterpart.
    for row in ours["controls"]:
        assert row in theirs["controls"], row["scope"]
    assert ours["lvs_value_usd"] == 5000.0 and ours["gbs"] == "partial"
    assert parsed["ccl.json"]["entries"]["3E001"]["controls"][0]["columns"] == ["NS1"]
    assert parsed["licence_exceptions.json"]["exceptions"]["STA"]["citation"] == "15 CFR 740.20"


def test_engine_runs_on_updated_tables(tmp_path: Path) -> None:
    with httpx.Client(transport=_transport([])) as client:
        ecfr.update_us_tables(client, tmp_path, minimum_rows=3)
    tables = load_tables(str(tmp_path))
    activity = activity_from_mapping(
        {"activity": "export", "item": {"type": "commodity", "eccn": "3A001.a.2"}, "to_country": "BR"}
    )
    result = assess_us(activity, dt.date(2026, 11, 27), tables=tables)
    assert result.outcome == "licence_required_unless_exception"
    assert {e.code for e in result.licence_exceptions_to_review} == {"LVS", "GBS"}
    load_tables.cache_clear()


def test_broken_xml_names_the_part_and_line_and_writes_nothing(tmp_path: Path) -> None:
    with (
        httpx.Client(transport=_transport([], broken_part="774")) as client,
        pytest.raises(ecfr.EcfrError, match=r"part 774: line \d+"),
    ):
        ecfr.update_us_tables(client, tmp_path, minimum_rows=3)
    assert list(tmp_path.iterdir()) == []


def test_too_few_rows_refuses_to_write(tmp_path: Path) -> None:
    with httpx.Client(transport=_transport([])) as client, pytest.raises(ecfr.EcfrError, match="refusing"):
        ecfr.update_us_tables(client, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_http_error_names_the_url(tmp_path: Path) -> None:
    with httpx.Client(transport=_transport([])) as client, pytest.raises(ecfr.EcfrError, match="2026-01-01"):
        ecfr.update_us_tables(client, tmp_path, issue_date="2026-01-01", minimum_rows=3)


def test_missing_supplement_is_reported() -> None:
    with pytest.raises(ecfr.EcfrError, match=r"Supplement No\. 1 to Part 738"):
        ecfr.parse_country_chart(b"<DIV5 N='738' TYPE='PART'><HEAD>x</HEAD></DIV5>", "2026-07-23", {})


def _chart_fixture() -> bytes:
    return (FIXTURES / "title-15-part-738.xml").read_bytes()


def test_footnotes_in_table_rows_and_after_the_table_are_both_read() -> None:
    chart = ecfr.parse_country_chart(_chart_fixture(), "2026-07-23", {})
    assert chart["footnotes"]["1"].startswith("See § 746.1(b)")  # one-cell row inside the table
    assert chart["footnotes"]["10"].startswith("A license is required")  # paragraph after the table
    assert chart["rows"]["GB"]["footnotes"] == [10]


def test_a_shifted_row_is_refused_not_misread() -> None:
    shifted = _chart_fixture().replace(
        b'scope="row">Germany <SU>3</SU></TD>\n          <TD>X</TD>',
        b'scope="row">Germany <SU>3</SU></TD>\n',
        1,
    )
    assert shifted != _chart_fixture()
    with pytest.raises(ecfr.EcfrError, match=r"'Germany' has 15 cells for 16 columns"):
        ecfr.parse_country_chart(shifted, "2026-07-23", {})


def test_a_mark_other_than_x_is_refused() -> None:
    odd = _chart_fixture().replace(
        b'scope="row">Brazil</TD>\n          <TD>X</TD>', b'scope="row">Brazil</TD>\n          <TD>Y</TD>', 1
    )
    assert odd != _chart_fixture()
    with pytest.raises(ecfr.EcfrError, match="mark other than X"):
        ecfr.parse_country_chart(odd, "2026-07-23", {})


def test_country_groups_from_captions_lists_and_plain_footnote_digits() -> None:
    parsed = ecfr.parse_country_groups((FIXTURES / "title-15-part-740.xml").read_bytes(), "2026-07-23", {})
    committed = load_tables()
    by_country: dict[str, set[str]] = {}
    for group, members in parsed["groups"].items():
        for iso in members:
            by_country.setdefault(iso, set()).add(group)
    assert set(by_country) == {"BR", "DE", "IL", "JP", "TW", "UA", "CN", "CU", "IR", "KP", "MO"}
    for iso, groups in by_country.items():
        assert groups == set(committed.groups_of(iso)), iso  # every table of the fixture lists all its rows
    assert "MO" not in parsed["groups"]["D:5"]
    assert parsed["groups"]["E:1"] == ["IR", "KP"]  # header without codes: labels from the caption


def test_an_update_adds_a_version_and_as_of_picks_the_one_in_force(data_dir: Path) -> None:
    # issue 10: updates add a version (the set already there is kept under versions/<eCFR date>/), never
    # overwrite; the tables in force on as_of are read.
    from techguard.rules.us.tables import forget_active_tables, tables_for, updated_tables_dir

    directory = updated_tables_dir()
    directory.mkdir(parents=True)
    for name in TABLE_FILES:  # an earlier update: the packaged text, re-dated 2026-03-01
        data = json.loads((PACKAGE_DATA / name).read_text(encoding="utf-8"))
        data["ecfr_date"] = "2026-03-01"
        (directory / name).write_text(json.dumps(data), encoding="utf-8")
    with httpx.Client(transport=_transport([])) as client:
        ecfr.update_us_tables(client, minimum_rows=3)  # the fixture issue of 2026-07-23
    kept = directory / "versions" / "2026-03-01"
    assert sorted(p.name for p in kept.iterdir()) == sorted(TABLE_FILES)
    forget_active_tables()
    try:
        assert tables_for(dt.date(2026, 4, 1)).chart["ecfr_date"] == "2026-03-01"
        assert tables_for(dt.date(2026, 11, 27)).chart["ecfr_date"] == "2026-07-23"
        assert tables_for(dt.date(2020, 1, 1)).chart["ecfr_date"] == "2026-03-01"  # before all: the oldest
    finally:
        forget_active_tables()
