"""UK OFSI ConList.csv and EU Financial Sanctions Files XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.eu_fsf import parse_eu_fsf
from techguard.lists.formats.uk_conlist import numbered_values, parse_uk_conlist, uk_date
from techguard.lists.model import Name, NameType, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "other"


# --- UK -----------------------------------------------------------------------------------------------


def test_uk_fixture_groups_rows() -> None:
    result = parse_uk_conlist([FIXTURES / "uk_conlist_small.csv"])
    assert result.publisher_date == "2024-03-05"  # from the "Last Updated" first line
    person, ship = result.parties
    assert person.key == "uk_ofsi:90001"
    assert person.kind is PartyKind.PERSON
    assert person.name == "Ivan Petrovich TESTOV"
    assert person.names == (
        Name("Иван Тестов", NameType.ORIGINAL_SCRIPT, "ru"),
        Name("Ivan TESTOFF", NameType.WEAK_AKA),
    )
    assert person.birth_dates == ("1970-05",)
    assert person.nationalities == ("RU", "CY")
    assert person.identifiers[0].type == "Passport" and person.identifiers[0].value == "123456"
    assert person.addresses[0].country == "RU"
    assert person.programs == ("Russia",)
    assert person.listed_on == "2022-03-16"
    assert person.extra["uk_sanctions_list_refs"] == ["RUS0001"]
    assert ship.kind is PartyKind.VESSEL and ship.name == "SEA TEST"
    assert result.counts == {
        "rows": 3,
        "groups": 2,
        "aliases": 1,
        "original_script_names": 1,
        "groups_without_primary": 0,
    }


def test_uk_cp1252_and_no_last_updated_line(tmp_path: Path) -> None:
    header = "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Group ID"
    row = "O\x92BRIEN,Sean,,,,,,01/02/1960,Ireland,note,Individual,Prime Alias,Test,01/01/2020,7"
    path = tmp_path / "ConList.csv"
    path.write_bytes(f"{header}\r\n{row}\r\n".encode("latin-1"))
    result = parse_uk_conlist([tmp_path])
    (party,) = result.parties
    assert party.name == "Sean O’BRIEN"  # 0x92 is a right single quote in Windows-1252
    assert result.publisher_date is None


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("X,,,,,,,,,,Vessel,Prime Alias,,,1", "Group Type", "unknown Group Type 'Vessel'"),
        ("X,,,,,,,,,,Individual,Prime Alias,,,", "Group ID", "no Group ID"),
        (",,,,,,,,,,Entity,Prime Alias,,,1", "Name 6", "no name"),
        ("X,,,,,,,,,,Entity,Nickname,,,1", "Alias Type", "unknown Alias Type"),
    ],
)
def test_uk_faults(tmp_path: Path, row: str, field: str, message: str) -> None:
    header = "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Group ID"
    path = tmp_path / "ConList.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as err:
        parse_uk_conlist([path])
    assert err.value.field == field
    assert err.value.line == 2


def test_uk_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    path.write_text("Name 6,Name 1\nX,Y\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="header lacks column"):
        parse_uk_conlist([path])


def test_uk_helpers() -> None:
    assert uk_date("00/00/1980") == "1980"
    assert uk_date("00/07/1980") == "1980-07"
    assert uk_date("31/12/1980") == "1980-12-31"
    assert numbered_values("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]


def test_uk_real_sample(shared: Path) -> None:
    result = parse_uk_conlist([shared / "lists" / "format_samples" / "pabora8_ConList.csv"])
    # 77 rows of a partial copy: its header has a stray empty first cell and no "Last Updated" line
    assert result.counts["rows"] == 77
    assert result.counts["groups"] == len(result.parties) == 41
    assert result.publisher_date is None
    by_id = {p.source_id: p for p in result.parties}
    qahtani = by_id["13349"]
    assert qahtani.name == "Sheikh Farooq AL-QAHTANI"
    assert qahtani.nationalities == ("SA", "QA")
    assert qahtani.birth_dates == ("1980", "1981")
    assert qahtani.addresses[0].country == "AF"  # "Afghanistan (since 2009)"
    # the copy lacks many groups' primary rows; that is reported, not hidden
    assert result.counts["groups_without_primary"] == 23
    assert result.warnings


def test_uk_registered() -> None:
    assert get_format("uk_conlist_csv").default_source == "uk_ofsi"


# --- EU -----------------------------------------------------------------------------------------------


def test_eu_fixture() -> None:
    result = parse_eu_fsf([FIXTURES / "eu_fsf_small.xml"])  # the older namespace
    assert result.publisher_date == "2025-01-20"
    firm, person = result.parties
    assert firm.key == "eu_fsf:9001"
    assert firm.kind is PartyKind.ORGANISATION
    assert firm.name == "Test Machine Works JSC"
    assert firm.names == (
        Name("АО Тестовый завод", NameType.ORIGINAL_SCRIPT, "ru"),
        Name("TMW", NameType.WEAK_AKA),
    )
    assert firm.programs == ("UKR", "RUS")
    assert firm.listed_on == "2022-03-15"
    assert firm.addresses[0].full == "1 Lenina Street, Moscow, 101000, RUSSIAN FEDERATION"
    assert firm.identifiers[0].value == "1027700000000" and firm.identifiers[0].country == "RU"
    assert person.name == "Alpha Beta"  # built from first/last name when wholeName is empty
    assert person.citizenships == ("IQ",)  # code "00" resolved from the description
    assert person.birth_dates == ("1950",)
    assert person.extra["birth_dates_circa"] == ["1950"]
    assert person.title == "Dr"
    assert result.counts["names_empty"] == 1


def _eu(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "eu.xml"
    path.write_text(f'<export xmlns="http://eu.europa.ec/fpi/fsd/export">{body}</export>', encoding="utf-8")
    return path


def test_eu_faults(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="unknown subjectType code 'ship'") as err:
        parse_eu_fsf(
            [_eu(tmp_path, '<sanctionEntity logicalId="1"><subjectType code="ship"/></sanctionEntity>')]
        )
    assert err.value.record == "1"
    with pytest.raises(ListFormatError, match="no logicalId"):
        parse_eu_fsf([_eu(tmp_path, '<sanctionEntity><subjectType code="person"/></sanctionEntity>')])
    with pytest.raises(ListFormatError, match="no nameAlias"):
        parse_eu_fsf(
            [_eu(tmp_path, '<sanctionEntity logicalId="2"><subjectType code="person"/></sanctionEntity>')]
        )
    path = tmp_path / "other.xml"
    path.write_text("<sdnList/>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="expected 'export'"):
        parse_eu_fsf([path])


def test_eu_real_sample(shared: Path) -> None:
    result = parse_eu_fsf([shared / "lists" / "format_samples" / "eu_fsf_excerpt_reke_XMLTest.xml"])
    (saddam,) = result.parties
    assert saddam.key == "eu_fsf:13"
    assert saddam.kind is PartyKind.PERSON
    assert saddam.name == "Saddam Hussein Al-Tikriti"
    assert saddam.names == (Name("Abu Ali", NameType.AKA), Name("Abou Ali", NameType.AKA, "fr"))
    assert saddam.birth_dates == ("1937-04-28",)
    assert saddam.citizenships == ("IQ",)
    assert saddam.programs == ("IRQ",)
    assert result.publisher_date == "2024-12-11"


def test_eu_registered() -> None:
    assert get_format("eu_fsf_xml").parse is parse_eu_fsf
