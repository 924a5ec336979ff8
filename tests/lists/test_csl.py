"""trade.gov Consolidated Screening List parsers (csl_csv, csl_json)."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ParseResult, get_format
from techguard.lists.formats.csl import list_code_for_source, parse_csv, parse_json, repair_lost_characters
from techguard.lists.model import Address, Identifier, NameType, Party, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "us"


def _by_id(result: ParseResult) -> dict[str, Party]:
    return {party.source_id: party for party in result.parties}


@pytest.fixture(scope="module")
def csv_fixture() -> ParseResult:
    return parse_csv([FIXTURES / "csl"])


def test_registered() -> None:
    assert get_format("csl_csv").default_source == "us_csl"
    assert get_format("csl_json").parse is parse_json


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "us_entity_list"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "us_meu"),
        ("Unverified List (UVL) - Bureau of Industry and Security", "us_uvl"),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", "us_dpl"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "us_sdn"),
        ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", "us_ssi"),
        ("Foreign Sanctions Evaders (FSE) - Treasury Department", "us_fse"),
        ("Nonproliferation Sanctions (ISN) - State Department", "us_isn"),
        ("ITAR Debarred (DTC) - State Department", "us_dtc"),
        ("Palestinian Legislative Council List (PLC) - Treasury Department", "us_plc"),
        (
            "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
            "us_cmic",
        ),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "us_mbs"),
        ("Capta List (CAP) - Treasury Department", "us_capta"),
        ("Brand New List (BNL) - Some Agency", None),
    ],
)
def test_source_to_list_code(source: str, code: str | None) -> None:
    assert list_code_for_source(source) == code


def test_csv_fixture(csv_fixture: ParseResult) -> None:
    assert csv_fixture.counts["records"] == 6 == len(csv_fixture.parties)
    assert csv_fixture.counts["alt_names"] == 4
    assert csv_fixture.warnings == ("line 2 repeats the header row; skipped",)
    entity = _by_id(csv_fixture)["us_entity_list:a1b2c3"]
    assert entity.source == "us_csl" and entity.list == "us_entity_list"
    assert entity.kind is PartyKind.UNKNOWN  # the Entity List does not give a type
    assert [name.value for name in entity.names] == ["EMRI", "Example Micro Institute", "Example Research 13"]
    assert entity.licence_requirement == "For all items subject to the EAR. (See §744.11 of the EAR)."
    assert entity.licence_policy == "Presumption of denial."
    assert entity.federal_register == "88 FR 12345" and entity.listed_on == "2023-03-01"
    assert entity.addresses[0] == Address(
        full="12 Sample Road, Haidian District, Beijing, 100080, CN", country="CN", country_name="CN"
    )
    assert entity.countries == ("CN", "HK")
    assert entity.source_url == "https://www.bis.doc.gov/entity-list"


def test_csv_individual_and_ids(csv_fixture: ParseResult) -> None:
    person = _by_id(csv_fixture)["us_sdn:7001"]
    assert person.kind is PartyKind.PERSON and person.programs == ("SDGT", "IRGC")
    assert person.birth_dates == ("1960-01-01", "circa 1962")
    assert person.nationalities == ("IR",) and person.citizenships == ("IR", "KP")
    assert person.identifiers[0] == Identifier("Passport", "A1234567", "IR")
    assert person.identifiers[1] == Identifier("Gender", "Male")
    assert person.identifiers[2].value == "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201"
    assert person.title == "Commander" and person.extra["entity_number"] == "7001"


def test_same_id_on_two_lists_gets_two_source_ids(csv_fixture: ParseResult) -> None:
    ids = {party.source_id for party in csv_fixture.parties}
    assert {"us_sdn:7001", "us_plc:7001"} <= ids


def test_successor_clause_adds_a_core_name(csv_fixture: ParseResult) -> None:
    party = _by_id(csv_fixture)["us_isn:d9e8"]
    assert party.name.endswith("subsidiary thereof")  # primary kept as published
    assert party.names[0].value == "Sample Import and Export Company"
    assert party.names[0].type is NameType.OTHER


def test_vessel_and_dpl_rows(csv_fixture: ParseResult) -> None:
    parties = _by_id(csv_fixture)
    vessel = parties["us_sdn:v1"]
    assert vessel.kind is PartyKind.VESSEL and vessel.extra["call_sign"] == "HMAB2"
    denied = parties["us_dpl:dp1"]
    assert denied.ends_on == "2030-01-01" and denied.extra["standard_order"] == "Y"
    assert denied.addresses[0].country is None  # a US address without a country code is not guessed


@pytest.mark.parametrize(
    ("published", "repaired"),
    [
        ("Xi?an Research Institute", "Xi'an Research Institute"),
        ("CASIC 3rd Academy?s 159 Factory", "CASIC 3rd Academy's 159 Factory"),
        ("Centre d?Etudes et de Recherches", "Centre d'Etudes et de Recherches"),
        ("AO ?Institute Giprostroymost?Saint-Petersburg?", "AO Institute Giprostroymost Saint-Petersburg"),
        ("Plain Name Ltd.", "Plain Name Ltd."),
    ],
)
def test_repair_lost_characters(published: str, repaired: str) -> None:
    assert repair_lost_characters(published) == repaired


def test_bom_and_unknown_source_warns() -> None:
    result = parse_csv([FIXTURES / "csl_bom_unknown_source.csv"])
    party = result.parties[0]
    assert party.list == "us_csl_brand_new_list_bnl_some_agency"
    assert any("unknown CSL source" in warning for warning in result.warnings)


def test_truncated_file_is_refused_by_the_strict_parser() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_csv([FIXTURES / "csl_truncated.csv"])
    error = caught.value
    assert error.path.name == "csl_truncated.csv" and error.line == 4 and error.field == "addresses"


def test_truncated_end_can_be_accepted_explicitly() -> None:
    result = parse_csv([FIXTURES / "csl_truncated.csv"], accept_truncated_end=True)
    last = result.parties[-1]
    assert last.name == "Cut Off Company" and last.extra["truncated"] is True
    assert last.addresses[0].full == "12 Sample Road, Hai"
    assert result.counts["truncated_records"] == 1
    assert any("incomplete" in warning for warning in result.warnings)


def test_short_row_names_line_and_field() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_csv([FIXTURES / "csl_short_row.csv"])
    assert caught.value.line == 3 and caught.value.field == "title"


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_csv([FIXTURES / "csl_bad_type.csv"])
    assert caught.value.line == 2 and caught.value.field == "type"


def test_json_fixture_matches_csv_fields() -> None:
    result = parse_json([FIXTURES / "csl"])
    assert result.counts["records"] == 2 and result.counts["alt_names"] == 3
    parties = _by_id(result)
    entity = parties["us_entity_list:a1b2c3"]
    assert entity.addresses[0] == Address(
        full="12 Sample Road, Haidian District, Beijing, 100080, CN",
        street="12 Sample Road, Haidian District",
        city="Beijing",
        postal_code="100080",
        country="CN",
        country_name="CN",
    )
    assert entity.licence_policy == "Presumption of denial."
    person = parties["us_sdn:7001"]
    assert person.identifiers == (
        Identifier("Passport", "A1234567", "IR", "issued 2010-02-01 expires 2020-01-31"),
    )
    assert person.citizenships == ("IR", "KP") and person.birth_dates == ("1960-01-01", "circa 1962")


def test_json_wrong_field_type_names_record_and_field() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_json([FIXTURES / "csl_bad_field.json"])
    assert caught.value.record == "#2" and caught.value.field == "alt_names"


def test_garbled_json_names_line() -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_json([FIXTURES / "csl_garbled.json"])
    assert caught.value.line == 3 and "not valid JSON" in str(caught.value)


# --- the real snapshots -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_csl(shared: Path) -> ParseResult:
    # The 2023-11-30 snapshot ends inside a quoted field (its last record is cut off), so it is
    # read with accept_truncated_end; the strict default refuses it (next test).
    return parse_csv([shared / "lists" / "us_csl_2023-11-30"], accept_truncated_end=True)


def test_real_csl_counts(real_csl: ParseResult) -> None:
    assert real_csl.counts["records"] == 4227 == len(real_csl.parties)
    assert real_csl.counts["alt_names"] == 6134
    assert real_csl.counts["truncated_records"] == 1
    per_list = {key[5:]: value for key, value in real_csl.counts.items() if key.startswith("list:")}
    assert per_list == {
        "us_sdn": 1738,
        "us_entity_list": 919,
        "us_dpl": 577,
        "us_ssi": 288,
        "us_uvl": 186,
        "us_isn": 144,
        "us_dtc": 142,
        "us_plc": 78,
        "us_meu": 71,
        "us_cmic": 68,
        "us_mbs": 14,
        "us_fse": 1,
        "us_capta": 1,
    }
    assert real_csl.warnings[0] == "line 2 repeats the header row; skipped"


def test_real_csl_strict_parse_names_the_cut(shared: Path) -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_csv([shared / "lists" / "us_csl_2023-11-30" / "csl.csv"])
    assert caught.value.line == 4233 and caught.value.field == "addresses"


def test_registered_format_keeps_the_cut_off_record_and_flags_it(shared: Path) -> None:
    result = get_format("csl_csv").parse([shared / "lists" / "us_csl_2023-11-30" / "csl.csv"])
    assert len(result.parties) == 4227
    assert result.counts["truncated_records"] == 1
    assert any("incomplete" in warning for warning in result.warnings)


def test_real_entity_list_licence_requirement(real_csl: ParseResult) -> None:
    caep = [p for p in real_csl.parties if p.name == "Chinese Academy of Engineering Physics"]
    assert len(caep) == 1 and caep[0].list == "us_entity_list"
    assert caep[0].licence_requirement == "For all items subject to the EAR. (See §744.11 of the EAR)"
    assert caep[0].licence_policy == "Presumption of Denial"
    assert caep[0].listed_on == "1997-06-30" and caep[0].countries == ("CN",)
    assert len(caep[0].addresses) == 4 and "Ninth Academy" in {name.value for name in caep[0].names}
    assert caep[0].federal_register is not None and caep[0].federal_register.startswith("62 FR 35334")


def test_real_alt_names_lose_the_list_joiner(real_csl: ParseResult) -> None:
    cetc54 = next(p for p in real_csl.parties if p.name == "54th Research Institute of China")
    assert "Shijiazhuang Communication Observation and Control Technology Institute." in {
        name.value for name in cetc54.names
    }


def test_real_bis_names_with_lost_characters_get_a_repaired_spelling(real_csl: ParseResult) -> None:
    party = next(p for p in real_csl.parties if p.name == "Xi?an Research Institute of Navigation Technology")
    assert ("Xi'an Research Institute of Navigation Technology", NameType.OTHER) in {
        (n.value, n.type) for n in party.names
    }
    assert real_csl.counts["repaired_names"] == 113  # all Entity List names with lost quote marks


def test_real_csl_sample_with_current_header(shared: Path) -> None:
    result = parse_csv([shared / "lists" / "format_samples" / "watchman_cslustest_consolidated.csv"])
    assert result.counts["records"] == len(result.parties) == 13 and result.warnings == ()
    plc = [p for p in result.parties if p.list == "us_plc"]
    assert {p.name for p in plc} == {"Mohammed ABU JHEISHEH", "Fathi Mohammed QAR'AWI"}
