"""The committed US tables: provenance, reproducible from the reference copies, and cross-checked against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from techguard.rules.us import build_tables
from techguard.rules.us.table_shape import control_row, normalise_column
from techguard.rules.us.tables import TABLE_FILES, TableError, load_tables, split_eccn
from techguard.text.countries import UnknownCountry, resolve_country

PACKAGE_DATA = Path(build_tables.__file__).with_name("data")


def _committed(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PACKAGE_DATA / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", TABLE_FILES)
def test_every_table_and_row_records_its_source_and_date(name: str) -> None:
    table = _committed(name)
    assert table["ecfr_date"] == "2026-07-23"
    assert table["provenance"]["source_file"].endswith("__ecfr_2026-07-23.json")
    assert len(table["provenance"]["source_sha256_12"]) == 12
    rows: dict[str, Any] = {
        "country_chart.json": table.get("rows", {}),
        "ccl.json": table.get("entries", {}),
        "licence_exceptions.json": table.get("exceptions", {}),
    }.get(name, {})
    for key, row in rows.items():
        assert row["source_date"] == "2026-07-23", key
        assert "citation" in row, key


@pytest.mark.slow
def test_committed_tables_are_what_the_builder_makes_from_the_reference(shared: Path) -> None:
    built = build_tables.build_all(shared / "rules")
    for name in TABLE_FILES:
        assert built[name] == _committed(name), name


def test_chart_rows_match_the_reference_marks(shared: Path) -> None:
    reference = json.loads((shared / "rules" / build_tables.CHART_FILE).read_text(encoding="utf-8"))
    chart = _committed("country_chart.json")
    assert len(chart["rows"]) == len(reference["countries"])
    assert set(chart["pointer_rows"]) == {"CU", "IR", "KP", "SY"}
    for name, row in reference["countries"].items():
        ours = chart["rows"][resolve_country(name)]
        assert ours["marks"] == sorted({normalise_column(m) for m in row["marks"]}, key=ours["marks"].index)
        assert set(ours["marks"]) == {m.replace(" ", "") for m in row["marks"]}, name
    assert chart["rows"]["JP"]["marks"] == ["CB1", "NS1", "MT1", "RS1"]
    assert "HK" not in chart["rows"]  # no row since 85 FR 83788; the China row governs
    assert chart["territories"]["HK"]["row"] == "CN" and chart["territories"]["KY"]["row"] == "GB"


def test_country_groups_match_the_reference_counts(shared: Path) -> None:
    reference = json.loads((shared / "rules" / build_tables.GROUPS_FILE).read_text(encoding="utf-8"))
    groups = _committed("country_groups.json")["groups"]
    for code, members in reference["groups"].items():
        # Same count: each EAR name maps to one distinct ISO code.
        assert len(groups[code]) == len(set(members)), code
    assert groups["E:1"] == ["IR", "KP", "SY"] and groups["E:2"] == ["CU"]
    assert "CN" in groups["D:5"] and "MO" not in groups["D:5"]
    assert "JP" in groups["A:5"] and "JP" in groups["B"]


def test_ccl_differs_from_the_reference_only_where_the_reference_is_wrong(shared: Path) -> None:
    """Three reference entries have run-on headings: 3E001 swallowed 3E002, 0D606 swallowed 0D614 and 2B351
    swallowed 2B352 — the heading holds the entry's own License Requirements as prose, the structured fields are
    the swallowed entry's, and the swallowed ECCN is missing. The builder reads each entry's own prose and gives
    the structured fields back to the swallowed ECCN."""
    reference = json.loads((shared / "rules" / build_tables.CCL_FILE).read_text(encoding="utf-8"))
    ccl = _committed("ccl.json")["entries"]
    assert reference["entryCount"] == 633
    recovered = {k: v["recovered_from"] for k, v in ccl.items() if "recovered_from" in v}
    assert recovered == {
        "3E002": "reference entry 3E001 (run-on heading)",
        "0D614": "reference entry 0D606 (run-on heading)",
        "2B352": "reference entry 2B351 (run-on heading)",
    }
    assert len(ccl) == 633 + 3
    by_eccn = {e["eccn"]: e for e in reference["entries"]}
    for eccn, entry in by_eccn.items():
        structured = [control_row(r["control"], r["countryChart"]) for r in entry["countryChart"]]
        if structured != ccl[eccn]["controls"]:
            assert eccn in ("3E001", "0D606"), eccn  # 2B351 happens to have the same rows as 2B352
    for swallowed, owner in (("3E002", "3E001"), ("0D614", "0D606"), ("2B352", "2B351")):
        rows = [control_row(r["control"], r["countryChart"]) for r in by_eccn[owner]["countryChart"]]
        assert ccl[swallowed]["controls"] == rows, swallowed
    assert ccl["3E001"]["reasons"] == ["NS", "MT", "NP", "RS", "AT"]
    assert ccl["3E001"]["controls"][0]["columns"] == ["NS1"]
    assert "3A001, 3A002, 3A003" in ccl["3E001"]["controls"][0]["scope"]
    assert ccl["3E002"]["reasons"] == ["NS", "AT"] and ccl["3E002"]["tsr"] == "yes"
    assert ccl["0D606"]["controls"][2]["destinations"]["countries"] == ["CN", "RU", "VE"]


def test_load_tables_is_cached_and_answers_lookups() -> None:
    assert load_tables() is load_tables()
    tables = load_tables()
    assert tables.chart_for("KY").row_iso == "GB"
    assert tables.chart_for("HK").row_iso == "CN"
    assert tables.chart_for("IR").pointer is not None
    assert tables.chart_for("XX").row_iso is None
    assert tables.in_group("HK", "D:5")
    assert split_eccn("3a001.a.2") == ("3A001", "a.2")


def test_malformed_table_names_the_file(tmp_path: Path) -> None:
    for name in TABLE_FILES:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "ccl.json").write_text('{"table": "ccl",\n  "ecfr_date": }', encoding="utf-8")
    with pytest.raises(TableError, match=r"country_chart.json: missing field 'table'"):
        load_tables(str(tmp_path))
    (tmp_path / "country_chart.json").write_text(
        json.dumps(_committed("country_chart.json")), encoding="utf-8"
    )
    (tmp_path / "country_groups.json").write_text(
        json.dumps(_committed("country_groups.json")), encoding="utf-8"
    )
    load_tables.cache_clear()
    with pytest.raises(TableError, match=r"ccl.json: line 2"):
        load_tables(str(tmp_path))
    load_tables.cache_clear()


def test_unknown_ear_country_name_fails_loudly() -> None:
    assert resolve_country("Korea, South") == "KR"
    assert resolve_country("Cote d'lvoire") == "CI"  # the eCFR's own typo
    with pytest.raises(UnknownCountry):
        resolve_country("Atlantis")
