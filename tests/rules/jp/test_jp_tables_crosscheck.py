"""The packaged tables are what the parser makes of e-Gov's 輸出令 XML, and agree with the reference copies.

Reference copies in ``../shared/data/rules`` (third-party transcriptions): ``jp_export_order_appendix1__egov_2026-06-05``,
``jp_country_lists__egov_2026-06-05`` and ``jp_catchall_hs__kamotsu_2026-02-14``. Differences are explained where
they are allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from techguard.rules.jp.tables import PACKAGE_DATA, TABLE_FILES, load_tables
from techguard.rules.jp.update import generate_from_xml

XML_NAME = "324CO0000000378_20260214_507CO0000000376.xml"


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_packaged_tables_are_generated_from_the_egov_xml(shared: Path, tmp_path: Path) -> None:
    generate_from_xml(shared / "rules" / "egov_xml" / XML_NAME, tmp_path)
    for name in TABLE_FILES:
        assert read(tmp_path / name) == read(PACKAGE_DATA / name), (
            f"{name}: regenerate with update.generate_from_xml"
        )


def test_every_row_has_citation_and_source_date() -> None:
    document = read(PACKAGE_DATA / "export_order_appendix1.json")
    assert len(document["rows"]) == 330
    for row in document["rows"]:
        assert row["citation"] == f"輸出令別表第一 {row['label']}"
        assert row["source_date"] == "2026-02-14"
    destinations = read(PACKAGE_DATA / "export_order_destinations.json")
    for key in ("group_a", "un_arms_embargo", "concern", "small_value_50000_yen"):
        assert destinations[key]["citation"].startswith("輸出令別表第")
        assert destinations[key]["source_date"] == "2026-02-14"


def test_appendix1_matches_reference(shared: Path) -> None:
    reference = {
        r["label"]: r
        for r in read(shared / "rules" / "jp_export_order_appendix1__egov_2026-06-05.json")["rows"]
    }
    ours = load_tables().appendix1
    # Same 330 rows although the reference is labelled 2026-06-05 and our XML is the 2026-02-14 text: no row was
    # added or removed between them.
    assert set(ours) == set(reference)
    differing = {label for label in ours if ours[label]["text"] != reference[label]["text"]}
    # The reference keeps ruby readings inline (燐りん, 砒ひ素, 勾こう配); the law's wording has no readings —
    # our parser drops <Rt>. Removing the readings from the reference makes every row equal.
    assert differing == {"7の項（20）", "7の項（21）", "10の項（9）", "10の項（10）"}
    for label in differing:
        cleaned = reference[label]["text"]
        for reading in ("りん", "ひ", "こう"):
            cleaned = (
                cleaned.replace("燐" + reading, "燐")
                .replace("砒" + reading, "砒")
                .replace("勾" + reading, "勾")
            )
        assert cleaned == ours[label]["text"]
    for label, row in ours.items():
        assert row["region"] == reference[label]["region"], label


def test_destination_lists_match_reference(shared: Path) -> None:
    reference = read(shared / "rules" / "jp_country_lists__egov_2026-06-05.json")
    tables = load_tables()
    assert tables.group_a == frozenset(reference["groupA"])
    assert tables.un_arms_embargo == frozenset(reference["unArmsEmbargo"])
    assert tables.concern == frozenset(reference["concern"])
    destinations = read(PACKAGE_DATA / "export_order_destinations.json")
    assert destinations["small_value_50000_yen"]["text"] == reference["appendix3_3"]
    assert "KR" in tables.group_a  # restored to 別表第三 in 2023


def test_catch_all_hs_matches_reference(shared: Path) -> None:
    reference = read(shared / "rules" / "jp_catchall_hs__kamotsu_2026-02-14.json")
    tables = load_tables()
    assert list(tables.catchall_16_1_hs) == reference["catchAll16_1"]["include"]
    assert list(tables.catchall_16_1_hs_excluded) == reference["catchAll16_1"]["exclude"]
    # ours is parsed from the 16の項（2） text of 別表第一 itself (関税定率法 chapters)
    assert tables.catchall_16_2_chapters == frozenset(reference["catchAll16_2Chapters"])


@pytest.mark.parametrize("label", ["16の項（1）", "16の項（2）", "7の項（1）", "3の2の項（2）5の2", "8の項"])
def test_known_rows_present(label: str) -> None:
    assert label in load_tables().appendix1
