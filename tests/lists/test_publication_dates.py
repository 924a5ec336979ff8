"""The publisher's date of an edition, read from the file where the format carries one; else unknown.

METI (最終更新日 / the file's date), MOF and UK ConList dates are pinned in their own parser tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("format_code", "path", "published"),
    [
        ("un_sc_xml", "other/un_small.xml", "2026-01-15"),  # CONSOLIDATED_LIST/@dateGenerated
        ("eu_fsf_xml", "other/eu_fsf_small.xml", "2025-01-20"),  # export/@generationDate
        ("uk_sanctions_xml", "uk_fcdo/UK-Sanctions-List.xml", "2026-09-02"),  # <DateGenerated>
        ("uk_sanctions_csv", "uk_fcdo/UK-Sanctions-List.csv", "2026-09-02"),  # "Report Date: ..."
        # the US CSV/text formats carry no date at all: only --published can give one
        ("csl_csv", "us/csl/consolidated.csv", None),
        ("csl_json", "us/csl/consolidated.json", None),  # no sources_used in this file
        ("ofac_sdn_csv", "us/ofac_sdn", None),
        ("bis_dpl", "us/dpl", None),
    ],
)
def test_each_format_reads_the_date_it_carries(format_code: str, path: str, published: str | None) -> None:
    result = get_format(format_code).parse([FIXTURES / path])
    assert result.publisher_date == published


def _csl_json(tmp_path: Path, sources_used: object) -> Path:
    data = json.loads((FIXTURES / "us/csl/consolidated.json").read_text(encoding="utf-8"))
    data["sources_used"] = sources_used
    path = tmp_path / "consolidated.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_csl_json_date_is_when_trade_gov_last_imported_its_sources(tmp_path: Path) -> None:
    path = _csl_json(tmp_path, [
        {"source": "Entity List (EL) - Bureau of Industry and Security",
         "source_last_updated": "2023-11-28T20:00:55-05:00", "last_imported": "2023-11-30T04:02:18-05:00"},
        {"source": "Denied Persons List (DPL) - Bureau of Industry and Security",
         "source_last_updated": "2023-10-02T00:00:00-05:00", "last_imported": "2023-11-29T04:02:18-05:00"},
    ])
    assert get_format("csl_json").parse([path]).publisher_date == "2023-11-30"


def test_csl_json_falls_back_to_the_sources_last_update(tmp_path: Path) -> None:
    path = _csl_json(tmp_path, [{"source": "x", "source_last_updated": "2023-10-02T00:00:00-05:00"}])
    assert get_format("csl_json").parse([path]).publisher_date == "2023-10-02"


def test_csl_json_sources_used_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="sources_used"):
        get_format("csl_json").parse([_csl_json(tmp_path, "yesterday")])
