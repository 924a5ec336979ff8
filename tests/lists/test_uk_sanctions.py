"""FCDO UK Sanctions List: UK-Sanctions-List.xml and UK-Sanctions-List.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.detect import detect_format
from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.uk_sanctions import (
    fcdo_date,
    parse_uk_sanctions_csv,
    parse_uk_sanctions_xml,
    report_date,
)
from techguard.lists.model import Identifier, Name, NameType, PartyKind
from techguard.lists.sources import get_source
from techguard.text.countries import to_iso2

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "uk_fcdo"
XML = FIXTURES / "UK-Sanctions-List.xml"
CSV = FIXTURES / "UK-Sanctions-List.csv"


def test_xml_parses_every_designation_kind() -> None:
    result = parse_uk_sanctions_xml([XML])
    assert result.publisher_date == "2026-09-02"  # <DateGenerated>
    assert [p.key for p in result.parties] == ["uk_fcdo:RUS9001", "uk_fcdo:AFG9001", "uk_fcdo:RUS9002"]
    assert [p.kind for p in result.parties] == [PartyKind.PERSON, PartyKind.ORGANISATION, PartyKind.VESSEL]
    assert result.counts == {"designations": 3, "names": 9}
    assert result.warnings == ()


def test_xml_person_names_dates_and_countries() -> None:
    person = parse_uk_sanctions_xml([XML]).parties[0]
    assert person.name == "Ivan Petrovich TESTOV"  # Name1 Name2 ... Name6
    assert person.names == (
        Name("Ivan TESTOFF", NameType.AKA),  # Primary name variation
        Name("Vanya", NameType.WEAK_AKA),  # Alias, "Low quality a.k.a"
        Name("Иван Петрович Тестов", NameType.ORIGINAL_SCRIPT, "ru"),
    )
    assert person.birth_dates == ("1969", "1970-05-07")  # dd/mm/1969 keeps only the year
    assert person.birth_places == ("Tula, Russia",)
    assert person.nationalities == (to_iso2("Russia"), to_iso2("Cyprus")) == ("RU", "CY")
    assert person.addresses[0].country == "RU" and person.addresses[0].postal_code == "101000"
    assert person.identifiers == (Identifier("Passport", "123456789", note="Russian passport"),)
    assert person.title == "Dr"
    assert person.listed_on == "2022-03-16"
    assert person.programs == ("The Russia (Sanctions) (EU Exit) Regulations 2019",)
    assert person.extra["sanctions_imposed"] == [
        "Asset freeze",
        "Travel Ban",
        "Director disqualification sanction",
    ]
    assert person.extra["ofsi_group_ids"] == ["90001"]
    assert person.extra["last_updated"] == "2026-04-14"


def test_xml_entity_and_ship() -> None:
    _, entity, ship = parse_uk_sanctions_xml([XML]).parties
    assert entity.names == (
        Name("Test Hawala", NameType.AKA),
        Name("صرافی آزمایشی", NameType.ORIGINAL_SCRIPT, "fa"),
    )
    assert entity.countries == (to_iso2("Afghanistan"), to_iso2("United Arab Emirates")) == ("AF", "AE")
    assert entity.identifiers == (Identifier("Business Registration Number", "TEST-044"),)
    assert entity.extra["un_reference_numbers"] == ["TAe.999"]
    assert "statement_of_reasons" not in entity.extra  # the published element is blank
    assert ship.name == "SEA TEST" and ship.names == (Name("OCEAN TEST", NameType.AKA),)
    assert ship.identifiers == (Identifier("IMO", "IMO9999991"),)
    assert ship.countries == ("GA",)  # the believed flag


def test_csv_groups_rows_by_unique_id() -> None:
    result = parse_uk_sanctions_csv([CSV])
    assert result.publisher_date == "2026-09-02"  # "Report Date: 02-Sep-2026"
    assert result.counts == {"rows": 5, "designations": 2}
    person, ship = result.parties
    assert person.key == "uk_fcdo:RUS9001" and person.kind is PartyKind.PERSON
    assert person.name == "Ivan Petrovich TESTOV"
    assert set(person.names) == {
        Name("Иван Петрович Тестов", NameType.ORIGINAL_SCRIPT, "ru"),
        Name("Ivan TESTOFF", NameType.AKA),
        Name("Vanya", NameType.WEAK_AKA),
    }
    assert person.birth_dates == ("1969",)
    assert person.nationalities == ("RU",)
    assert person.identifiers == (Identifier("Passport", "123456789", note="Russian passport"),)
    assert ship.kind is PartyKind.VESSEL and ship.identifiers == (Identifier("IMO", "IMO9999991"),)


def test_dates() -> None:
    assert fcdo_date("02/03/1958") == "1958-03-02"
    assert fcdo_date("dd/mm/1957") == "1957"
    assert fcdo_date("dd/05/1960") == "1960-05"
    assert fcdo_date("00/00/1975") == "1975"
    assert fcdo_date("") is None
    assert report_date("Report Date: 13-Feb-2026") == "2026-02-13"
    assert report_date("Last Updated") is None


def _xml(tmp_path: Path, designation: str) -> Path:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n<Designations>\n<DateGenerated>02/09/2026</DateGenerated>\n"
        f"{designation}\n</Designations>\n",
        encoding="utf-8",
    )
    return path


def test_malformed_xml_names_file_record_and_field(tmp_path: Path) -> None:
    path = _xml(
        tmp_path,
        "<Designation><UniqueID>RUS1</UniqueID><IndividualEntityShip>Individual</IndividualEntityShip>"
        "<Names><Name><Name6>X</Name6><NameType>Nickname</NameType></Name></Names></Designation>",
    )
    with pytest.raises(ListFormatError) as caught:
        parse_uk_sanctions_xml([path])
    error = caught.value
    assert (error.path, error.record, error.field, error.line) == (path, "RUS1", "NameType", 4)
    assert "Nickname" in str(error) and "UK-Sanctions-List.xml" in str(error)


@pytest.mark.parametrize(
    ("designation", "field"),
    [
        ("<Designation><IndividualEntityShip>Entity</IndividualEntityShip></Designation>", "UniqueID"),
        (
            "<Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Aircraft</IndividualEntityShip></Designation>",
            "IndividualEntityShip",
        ),
        (
            "<Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip></Designation>",
            "Names",
        ),
    ],
)
def test_xml_rejects_missing_or_unknown_fields(tmp_path: Path, designation: str, field: str) -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_uk_sanctions_xml([_xml(tmp_path, designation)])
    assert caught.value.field == field


def test_xml_rejects_other_roots_and_broken_xml(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="expected 'Designations'"):
        parse_uk_sanctions_xml([other])
    broken = tmp_path / "broken.xml"
    broken.write_text("<Designations><Designation>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="not well-formed"):
        parse_uk_sanctions_xml([broken])


def test_malformed_csv_names_line_record_and_column(tmp_path: Path) -> None:
    lines = CSV.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "UK-Sanctions-List.csv"
    path.write_text(
        "\n".join([*lines[:3], lines[3].replace("Primary name variation", "Nickname")]), encoding="utf-8"
    )
    with pytest.raises(ListFormatError) as caught:
        parse_uk_sanctions_csv([path])
    assert (caught.value.line, caught.value.record, caught.value.field) == (4, "RUS9001", "Name type")


def test_registration_source_and_detection() -> None:
    assert get_format("uk_sanctions_xml").default_source == "uk_fcdo"
    assert get_format("uk_sanctions_csv").default_source == "uk_fcdo"
    source = get_source("uk_fcdo")
    assert source.format == "uk_sanctions_xml" and source.updatable
    assert source.urls == ("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",)
    assert detect_format(XML) == "uk_sanctions_xml"
    assert detect_format(CSV) == "uk_sanctions_csv"


def test_detection_by_content(tmp_path: Path) -> None:
    xml = tmp_path / "today.xml"
    xml.write_bytes(XML.read_bytes())
    csv = tmp_path / "today.csv"
    csv.write_bytes(CSV.read_bytes())
    assert detect_format(xml) == "uk_sanctions_xml"
    assert detect_format(csv) == "uk_sanctions_csv"


def test_blank_name_type_and_script_only_names_are_read_with_a_note(tmp_path: Path) -> None:
    path = _xml(
        tmp_path,
        "<Designation><UniqueID>CHN9001</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
        "<Names><Name><Name6>TEST TRADING CO</Name6><NameType /></Name>"
        "<Name><Name6 /><NameType>Alias</NameType></Name></Names>"
        "<NonLatinNames><NonLatinName><NameNonLatinScript>测试贸易公司</NameNonLatinScript>"
        "<NonLatinScriptLanguage>Chinese</NonLatinScriptLanguage></NonLatinName></NonLatinNames></Designation>",
    )
    result = parse_uk_sanctions_xml([path])
    [party] = result.parties
    assert party.name == "TEST TRADING CO"
    assert party.names == (Name("测试贸易公司", NameType.ORIGINAL_SCRIPT, "zh"),)
    assert len(result.warnings) == 2
    assert "1 name(s) with a blank name type" in result.warnings[0] and "CHN9001" in result.warnings[0]
    assert "1 name(s) with Name 1..6 all blank" in result.warnings[1]


def test_lists_update_fetches_the_official_xml(tmp_path: Path) -> None:
    import httpx

    from techguard.lists.store import SnapshotStore
    from techguard.lists.update import UpdateStatus

    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, content=XML.read_bytes())

    store = SnapshotStore(tmp_path / "lists")
    [report] = store.update(["uk_fcdo"], client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    assert requested == ["https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"]
    info = store.active_info("uk_fcdo")
    assert info is not None and info.entries == 3 and info.format == "uk_sanctions_xml"
