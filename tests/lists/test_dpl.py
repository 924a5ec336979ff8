"""BIS Denied Persons List parser (bis_dpl): grouping rows into parties."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ParseResult, get_format
from techguard.lists.formats.dpl import grouping_key, parse_dpl, source_id_for
from techguard.lists.model import NameType, Party

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "us"


@pytest.fixture(scope="module")
def fixture_result() -> ParseResult:
    return parse_dpl([FIXTURES / "dpl"])


def _named(result: ParseResult, name: str) -> Party:
    return next(party for party in result.parties if grouping_key(party.name) == grouping_key(name))


def test_registered() -> None:
    assert get_format("bis_dpl").parse is parse_dpl


def test_grouping_key() -> None:
    assert grouping_key(" I. ASH") == grouping_key("I. ASH") == "I ASH"
    assert grouping_key("AL-NASER  AIRLINES") == grouping_key("AL NASER AIRLINES")
    assert grouping_key("ALNASER AIRLINES") != grouping_key("AL NASER AIRLINES")


def test_rows_become_parties(fixture_result: ParseResult) -> None:
    assert fixture_result.counts["rows"] == 6
    assert fixture_result.counts["parties"] == 3 == len(fixture_result.parties)
    assert fixture_result.counts["distinct_raw_names"] == 6


def test_person_with_two_addresses(fixture_result: ParseResult) -> None:
    party = _named(fixture_result, "JOHN SAMPLE")
    assert party.source == "us_bis_dpl" and party.list == "us_dpl"
    assert party.name == "JOHN SAMPLE" and party.names == ()  # " JOHN SAMPLE" is the same spelling trimmed
    assert [a.city for a in party.addresses] == ["EL PASO", "ANTHONY"]
    assert party.addresses[0].country is None and party.addresses[1].country == "US"
    assert party.listed_on == "2022-08-24" and party.ends_on == "2026-01-14"
    assert len(party.extra["orders"]) == 1 and party.extra["lines"] == [2, 3]
    assert party.federal_register == "87 F.R. 52741 8/29/2022"


def test_company_with_renewed_orders_and_spellings(fixture_result: ParseResult) -> None:
    party = _named(fixture_result, "EXAMPLE AIRLINES")
    assert party.name == "EXAMPLE  AIRLINES"
    assert [(n.value, n.type) for n in party.names] == [
        ("EXAMPLE-AIRLINES", NameType.OTHER),
        ("EXAMPLE AIRLINES", NameType.OTHER),
    ]
    assert [a.country for a in party.addresses] == ["AE", "IR"]
    assert party.countries == ("AE", "IR")
    assert party.listed_on == "2023-04-30" and party.ends_on == "2024-10-30"
    assert party.federal_register == "88 F.R. 1 1/1/2023; 87 F.R. 2 5/1/2023"
    actions = [order["action"] for order in party.extra["orders"]]
    assert actions == ["TDO RENEWAL", "TDO RENEWAL"]


def test_open_ended_order(fixture_result: ParseResult) -> None:
    party = _named(fixture_result, "MARIA MUESTRA")
    assert party.ends_on is None and party.extra["orders"][0]["standard_order"] == "N"


def test_source_id_is_stable_hash_of_normalised_name(fixture_result: ParseResult) -> None:
    party = _named(fixture_result, "EXAMPLE AIRLINES")
    assert party.source_id == source_id_for("EXAMPLE-AIRLINES") == source_id_for("example airlines")
    assert party.source_id.startswith("dpl-") and len(party.source_id) == 20


def test_short_row_names_file_line_and_field() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_dpl([FIXTURES / "dpl_short_row.txt"])
    error = caught.value
    assert error.path.name == "dpl_short_row.txt" and error.line == 4 and error.field == "State"


def test_bad_date_names_field() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_dpl([FIXTURES / "dpl_bad_date.txt"])
    assert caught.value.line == 2 and caught.value.field == "Effective_Date"


def test_wrong_header_is_refused() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_dpl([FIXTURES / "dpl_bad_header.txt"])
    assert caught.value.line == 1 and "unexpected header" in str(caught.value)


def test_real_dpl_665_rows_544_parties(shared: Path) -> None:
    result = parse_dpl([shared / "lists" / "us_bis_dpl_2023-11-30" / "dpl.txt"])
    assert result.counts["rows"] == 665
    assert result.counts["parties"] == 544 == len(result.parties)
    assert result.counts["distinct_raw_names"] == 546
    assert len({party.source_id for party in result.parties}) == 544
    ash = _named(result, "I. ASH")
    assert len(ash.addresses) == 3 and ash.listed_on == "2002-03-04" and ash.ends_on == "2056-06-29"
    naser = _named(result, "AL NASER AIRLINES")
    assert "AL-NASER  AIRLINES" in {name.value for name in naser.names}
    assert {a.country for a in naser.addresses} == {"IQ", "JO", "AE"}
