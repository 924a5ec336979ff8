"""UN Security Council consolidated XML parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.un import parse_un_xml
from techguard.lists.model import NameType, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "other"


def test_small_fixture_maps_every_field() -> None:
    result = parse_un_xml([FIXTURES / "un_small.xml"])
    assert result.publisher_date == "2026-01-15"
    person, entity = result.parties
    assert person.key == "un_sc:QDi.901"
    assert person.kind is PartyKind.PERSON
    assert person.name == "ALPHA BETA GAMMA"
    assert [(n.value, n.type) for n in person.names] == [
        ("ألفا بيتا", NameType.ORIGINAL_SCRIPT),
        ("ALFA BETA", NameType.AKA),
        ("Abu Alfa", NameType.WEAK_AKA),
        ("OLD ALFA", NameType.FKA),
    ]
    assert person.birth_dates == ("1960-05-01", "1961", "1958/1962")
    assert person.extra["birth_dates_detail"][1] == {"value": "1961", "type": "APPROXIMATELY"}
    assert person.birth_places == ("Kandahar, Afghanistan",)
    assert person.nationalities == ("AF",)
    assert person.countries == ("AF",)
    assert person.addresses[0].full == "1 Test Road, Kabul, Afghanistan"
    assert len(person.addresses) == 1  # the all-blank address element is not an address
    (passport,) = person.identifiers
    assert (passport.type, passport.value, passport.country) == ("Passport", "OR801168", "AF")
    assert person.extra["documents_without_number"] == ["National Identification Number; number not known"]
    assert person.programs == ("Al-Qaida",)
    assert person.listed_on == "2001-01-25"
    assert person.title == "Dr."
    assert person.remarks == "Invented test entry. Second line."

    assert entity.kind is PartyKind.ORGANISATION
    assert entity.names == ()
    assert entity.addresses[0].country == "KP"
    assert entity.addresses[0].full.endswith("(previous address)")
    assert entity.remarks is None

    counts = result.counts
    assert counts["entries"] == 2 and counts["individuals"] == 1 and counts["entities"] == 1
    # four published aliases (one repeats another name), one empty alias element skipped
    assert counts["aliases"] == 4
    assert counts["aliases_duplicate"] == 1
    assert counts["aliases_empty"] == 1
    assert counts["original_script_names"] == 1


def test_registered() -> None:
    fmt = get_format("un_sc_xml")
    assert fmt.default_source == "un_sc"
    assert fmt.parse is parse_un_xml


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "un.xml"
    path.write_text(body, encoding="utf-8")
    return path


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "<sdnList><x/></sdnList>")
    with pytest.raises(ListFormatError, match="root element is 'sdnList'") as err:
        parse_un_xml([path])
    assert err.value.path == path


def test_missing_reference_number_names_record_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>A</FIRST_NAME>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    )
    with pytest.raises(ListFormatError) as err:
        parse_un_xml([path])
    assert err.value.field == "REFERENCE_NUMBER"
    assert err.value.record == "DATAID 77"
    assert err.value.line == 2


def test_unknown_alias_quality_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
        "<ENTITY_ALIAS><QUALITY>Medium</QUALITY><ALIAS_NAME>B</ALIAS_NAME></ENTITY_ALIAS>"
        "</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
    )
    with pytest.raises(ListFormatError, match="unknown alias QUALITY 'Medium'") as err:
        parse_un_xml([path])
    assert err.value.record == "X.1"


def test_repeated_reference_number_is_refused(tmp_path: Path) -> None:
    entity = "<ENTITY><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></ENTITY>"
    path = _write(tmp_path, f"<CONSOLIDATED_LIST><ENTITIES>{entity}{entity}</ENTITIES></CONSOLIDATED_LIST>")
    with pytest.raises(ListFormatError, match="repeated"):
        parse_un_xml([path])


def test_malformed_xml_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</CONSOLIDATED_LIST>")
    with pytest.raises(ListFormatError, match="not well-formed") as err:
        parse_un_xml([path])
    assert err.value.line is not None


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no UN consolidated list XML found"):
        parse_un_xml([tmp_path])


def test_real_snapshot_counts(shared: Path) -> None:
    result = parse_un_xml([shared / "lists" / "un_sc_consolidated_2026-02-27"])
    counts = result.counts
    assert len(result.parties) == counts["entries"] == 1003
    assert counts["individuals"] == 730
    assert counts["entities"] == 273
    # alias = an INDIVIDUAL_ALIAS/ENTITY_ALIAS with a non-blank ALIAS_NAME, whatever its QUALITY
    assert counts["aliases"] == 2752
    assert counts["aliases_empty"] == 291
    assert (
        counts["aliases_good"] + counts["aliases_aka"] + counts["aliases_low"] + counts["aliases_fka"] == 2752
    )
    assert counts["original_script_names"] == 378
    assert result.publisher_date == "2026-02-27"
    by_id = {p.source_id: p for p in result.parties}
    assert len(by_id) == 1003
    first = by_id["CDi.001"]
    assert first.name == "ERIC BADEGE"
    assert first.nationalities == ("CD",)
    assert first.birth_dates == ("1971",)
    assert first.addresses[0].country == "RW"
    assert all(p.name for p in result.parties)
