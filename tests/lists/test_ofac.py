"""OFAC legacy CSV parsers: hand-made fixtures for behaviour, the real 2021/2025 snapshots for counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ParseResult, get_format
from techguard.lists.formats.ofac import (
    iso_date,
    list_for_programs,
    parse_cons,
    parse_remarks,
    parse_sdn,
    split_programs,
)
from techguard.lists.model import Identifier, NameType, Party, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "us"


def _by_id(result: ParseResult) -> dict[str, Party]:
    return {party.source_id: party for party in result.parties}


@pytest.fixture(scope="module")
def sdn_fixture() -> ParseResult:
    return parse_sdn([FIXTURES / "ofac_sdn"])


def test_formats_are_registered() -> None:
    assert get_format("ofac_sdn_csv").parse is parse_sdn
    assert get_format("ofac_cons_csv").default_source == "us_ofac_cons"


def test_fixture_counts(sdn_fixture: ParseResult) -> None:
    assert sdn_fixture.counts["entries"] == 4
    assert sdn_fixture.counts["aliases"] == 4
    assert sdn_fixture.counts["addresses"] == 4
    assert sdn_fixture.counts["weak_aliases"] == 2
    assert sdn_fixture.counts["remarks_continued"] == 1
    assert sdn_fixture.warnings == ()


def test_entity_fields(sdn_fixture: ParseResult) -> None:
    party = _by_id(sdn_fixture)["101"]
    assert party.source == "us_ofac_sdn" and party.list == "us_sdn"
    assert party.kind is PartyKind.ORGANISATION  # SDN_Type -0-
    assert party.name == "EXAMPLE TRADING CO., LTD."
    assert party.programs == ("SDGT", "IRGC")
    kinds = {(name.value, name.type) for name in party.names}
    assert ("EXAMPLE TRADING COMPANY LIMITED", NameType.AKA) in kinds
    assert ("OLD EXAMPLE TRADING", NameType.FKA) in kinds
    assert ("EXTRACO", NameType.WEAK_AKA) in kinds  # only in Remarks
    assert [address.country for address in party.addresses] == ["AE", "CN"]
    assert party.addresses[1].full == "Room 5, 2 Sample Street, Hong Kong, China"
    assert party.countries == ("AE", "CN")
    assert party.extra["websites"] == ["www.example-trading.test"]
    assert party.extra["emails"] == ["info@example-trading.test"]
    assert party.extra["linked_to"] == ["SAMPLE HOLDING GROUP"]
    assert party.remarks is not None and party.remarks.startswith("Website www.example-trading.test")


def test_individual_remarks_are_structured(sdn_fixture: ParseResult) -> None:
    party = _by_id(sdn_fixture)["102"]
    assert party.kind is PartyKind.PERSON
    assert party.name == "DOE, John Quincy"  # kept as published, LAST, First
    assert party.birth_dates == ("1960-01-01", "1962")
    assert party.birth_places == ("Tehran, Iran",)
    assert party.nationalities == ("IR",)
    assert party.citizenships == ("KP",)
    assert party.extra["gender"] == "Male"
    assert (
        Identifier("Passport", "A1234567", "IR", "issued 01 Feb 2010 expires 31 Jan 2020")
        in party.identifiers
    )
    assert Identifier("National ID No.", "99-888", "IR", None) in party.identifiers
    assert ("DOE, Johnny", NameType.WEAK_AKA) in {(n.value, n.type) for n in party.names}


def test_vessel_columns(sdn_fixture: ParseResult) -> None:
    party = _by_id(sdn_fixture)["103"]
    assert party.kind is PartyKind.VESSEL
    assert party.identifiers[0] == Identifier("Call Sign", "HMAB2")
    assert Identifier("Vessel Registration Identification", "IMO 9999999") in party.identifiers
    assert party.extra["vessel_flag"] == "Korea, North" and party.extra["vessel_flag_iso2"] == "KP"
    assert party.extra["tonnage"] == "5000"
    assert ("NEW SEA EXAMPLE", NameType.NKA) in {(n.value, n.type) for n in party.names}


def test_comments_file_continues_remarks(sdn_fixture: ParseResult) -> None:
    party = _by_id(sdn_fixture)["104"]
    assert party.remarks is not None and party.remarks.endswith("Linked To: SECOND EXAMPLE.")
    assert party.extra["linked_to"] == ["FIRST EXAMPLE", "SECOND EXAMPLE"]


def test_explicit_file_paths_match_case_insensitively(tmp_path: Path) -> None:
    for source in (FIXTURES / "ofac_sdn").iterdir():
        (tmp_path / source.name.upper()).write_bytes(source.read_bytes())
    result = parse_sdn(sorted(tmp_path.iterdir()))
    assert result.counts["entries"] == 4


def test_missing_comments_file_is_a_warning(tmp_path: Path) -> None:
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        (tmp_path / name).write_bytes((FIXTURES / "ofac_sdn" / name).read_bytes())
    result = parse_sdn([tmp_path])
    assert any("sdn_comments.csv not given" in warning for warning in result.warnings)


def test_missing_alt_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes((FIXTURES / "ofac_sdn" / "sdn.csv").read_bytes())
    with pytest.raises(ListFormatError, match=r"alt\.csv"):
        parse_sdn([tmp_path])


def test_consolidated_lists_from_programs() -> None:
    result = parse_cons([FIXTURES / "ofac_cons"])
    lists = {party.source_id: party.list for party in result.parties}
    assert lists == {"201": "us_ssi", "202": "us_plc", "203": "us_cmic", "204": "us_mbs"}
    assert all(party.source == "us_ofac_cons" for party in result.parties)
    assert _by_id(result)["203"].identifiers == (
        Identifier("Unified Social Credit Code (USCC)", "91110000000000000X", "CN"),
    )


def test_truncated_row_names_file_line_and_field() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_sdn([FIXTURES / "ofac_truncated"])
    error = caught.value
    assert error.path.name == "sdn.csv" and error.line == 2 and error.field == "Tonnage"
    assert "expected 12" in str(error)


def test_alias_for_unknown_entry_is_an_error() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_sdn([FIXTURES / "ofac_badref"])
    assert caught.value.path.name == "alt.csv" and caught.value.line == 2 and caught.value.field == "ent_num"


def test_cp1252_legacy_file_is_read_with_a_warning() -> None:
    result = parse_sdn([FIXTURES / "ofac_cp1252"])
    party = result.parties[0]
    assert party.name == "CAFÉ EXEMPLAIRE S.A."
    assert party.addresses[0].city == "Bogotá" and party.addresses[0].country == "CO"
    assert any("cp1252" in warning for warning in result.warnings)


def test_bytes_undecodable_in_any_allowed_encoding_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(
        b'1,"OK",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n2,"BAD \x81",-0- \r\n'
    )
    (tmp_path / "alt.csv").write_bytes(b"")
    (tmp_path / "add.csv").write_bytes(b"")
    with pytest.raises(ListFormatError) as caught:
        parse_sdn([tmp_path])
    assert caught.value.line == 2 and "0x81" in str(caught.value)


def test_helpers() -> None:
    assert split_programs("SDGT] [IFSR") == ("SDGT", "IFSR")
    assert split_programs(None) == ()
    assert list_for_programs(("SDGT",), sdn=True) == "us_sdn"
    assert list_for_programs(("UKRAINE-EO13662", "RUSSIA-EO14024"), sdn=False) == "us_ssi"
    assert list_for_programs(("SOMETHING-NEW",), sdn=False) == "us_ofac_cons"
    assert iso_date("5 Mar 1971") == "1971-03-05" and iso_date("Mar 1971") == "1971-03"
    assert iso_date("circa 1971") is None
    facts = parse_remarks("Job title 5th Division; POB Aleppo, Syria; nationality Atlantis.")
    assert facts.identifiers == () and facts.birth_places == ("Aleppo, Syria",)
    assert facts.unresolved_countries == ("Atlantis",)


# --- the real snapshots -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_sdn(shared: Path) -> ParseResult:
    return parse_sdn([shared / "lists" / "us_ofac_sdn_2021-07-07"])


def test_real_sdn_counts(real_sdn: ParseResult) -> None:
    assert real_sdn.counts["entries"] == 8976 == len(real_sdn.parties)
    assert real_sdn.counts["aliases"] == 11910
    assert real_sdn.counts["addresses"] == 13837
    assert real_sdn.counts["remarks_continued"] == 5
    assert real_sdn.warnings == ()
    assert {party.list for party in real_sdn.parties} == {"us_sdn"}
    kinds = {kind: sum(1 for p in real_sdn.parties if p.kind is kind) for kind in PartyKind}
    assert kinds[PartyKind.PERSON] == 4620 and kinds[PartyKind.VESSEL] == 406
    assert kinds[PartyKind.AIRCRAFT] == 277 and kinds[PartyKind.ORGANISATION] == 3673


def test_real_sdn_known_entries(real_sdn: ParseResult) -> None:
    parties = _by_id(real_sdn)
    bank = parties["306"]
    assert bank.name == "BANCO NACIONAL DE CUBA" and bank.programs == ("CUBA",)
    assert ("BNC", NameType.WEAK_AKA) in {(n.value, n.type) for n in bank.names}
    assert {a.country for a in bank.addresses} == {"CH", "ES", "JP", "PA"}
    tian = parties["28263"]  # remarks continued in sdn_comments.csv
    assert tian.name == "TIAN, Yinyin" and tian.birth_dates == ("1986-07-12",)
    assert tian.nationalities == ("CN",) and tian.extra["linked_to"] == ["LAZARUS GROUP"]
    assert "snowsjohn" in {name.value for name in tian.names}
    assert Identifier("Identification Number", "321284198607120616", "CN") in tian.identifiers
    assert parties["12300"].remarks is not None and len(parties["12300"].remarks) > 1000


def test_real_sdn_addresses_resolve_countries(real_sdn: ParseResult) -> None:
    unresolved = {
        a.country_name for p in real_sdn.parties for a in p.addresses if a.country_name and not a.country
    }
    # only what has no single ISO code: an undetermined country, a disputed area, a dissolved country
    assert unresolved == {"undetermined", "Region: Kafia Kingi", "Netherlands Antilles"}


def test_real_non_sdn_counts(shared: Path) -> None:
    result = parse_cons([shared / "lists" / "us_ofac_consolidated_nonsdn_2025-12-19"])
    assert result.counts["entries"] == 442 == len(result.parties)
    assert result.counts["aliases"] == 1073
    lists = {
        code: sum(1 for p in result.parties if p.list == code) for code in {p.list for p in result.parties}
    }
    assert lists == {"us_ssi": 286, "us_plc": 78, "us_cmic": 68, "us_mbs": 9, "us_capta": 1}


def test_non_sdn_garbled_quote_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "cons_prim.csv").write_bytes(
        b'201,"SAMPLE",-0- ,"NS-PLC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'202,"BROKEN"QUOTE",-0- ,"NS-PLC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    for name in ("cons_alt.csv", "cons_add.csv"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(ListFormatError) as caught:
        parse_cons([tmp_path])
    assert caught.value.path.name == "cons_prim.csv" and caught.value.line == 2
    assert "malformed CSV" in str(caught.value)


def test_non_numeric_ent_num_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(b'X1,"SAMPLE",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n')
    for name in ("alt.csv", "add.csv"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(ListFormatError) as caught:
        parse_sdn([tmp_path])
    assert caught.value.line == 1 and caught.value.field == "ent_num"
