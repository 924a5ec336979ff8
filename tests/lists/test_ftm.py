"""``ftm_json``: FollowTheMoney JSON lines in and out, round-trip tested."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techguard.lists.errors import ListFormatError
from techguard.lists.formats.ftm import export_ftm, parse_ftm, write_ftm
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"


def parse_lines(tmp_path: Path, entities: list[dict[str, object]]) -> tuple[Party, ...]:
    path = tmp_path / "out.ftm.json"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8")
    return parse_ftm([path]).parties


def test_the_fixture_imports_people_companies_and_vessels() -> None:
    result = parse_ftm([FIXTURES / "entities.ftm.json"])
    person, company, vessel = result.parties
    assert result.counts["skipped_Ownership"] == 1 and result.counts["parties"] == 3
    assert person.source == "ftm" and person.source_id == "NK-abc123" and person.list == "test_list"
    assert person.kind is PartyKind.PERSON and person.name == "Ivan PETROV"
    assert person.names == (
        Name("Иван Петров", NameType.AKA),
        Name("Ivan Petrov", NameType.AKA),
        Name("Vanya", NameType.WEAK_AKA),
    )
    assert person.birth_dates == ("1970-05-01",) and person.birth_places == ("Moscow",)
    assert person.nationalities == ("RU",) and person.countries == ("RU",)
    assert person.title == "Director"
    assert person.programs == ("RUSSIA-EO14024",) and person.listed_on == "2022-04-06"
    assert person.identifiers == (Identifier("passportNumber", "7500123"),)
    assert person.addresses == (Address(full="Tverskaya 1, Moscow", city="Moscow", country="RU"),)
    assert person.remarks == "Listed for procurement of dual-use goods."
    assert person.source_url == "https://example.test/petrov"
    assert person.extra["topics"] == ["sanction"]
    assert company.kind is PartyKind.ORGANISATION and company.names == (Name("Old Test Plant", NameType.FKA),)
    assert company.identifiers == (
        Identifier("registrationNumber", "1027700000000"),
        Identifier("INN", "7700000000", "RU"),
    )
    assert company.addresses == (Address(full="Moscow, Russia"),)
    assert vessel.kind is PartyKind.VESSEL and vessel.countries == ("KP",)
    assert vessel.identifiers == (Identifier("imoNumber", "IMO 9000001"),)


def test_export_then_import_gives_the_same_parties(tmp_path: Path) -> None:
    parties = parse_ftm([FIXTURES / "entities.ftm.json"]).parties
    again = parse_lines(tmp_path, list(export_ftm(parties)))
    assert again == parties


def test_export_of_other_lists_uses_prefixed_ids_and_sanction_entities() -> None:
    party = Party(
        "us_csl",
        "e-1",
        "us_entity_list",
        PartyKind.ORGANISATION,
        "Example Tech",
        countries=("CN",),
        programs=("EAR",),
        listed_on="2020-05-22",
        identifiers=(Identifier("USCC", "91110000X", "CN"),),
    )
    entities = list(export_ftm([party]))
    assert [e["schema"] for e in entities] == ["Organization", "Identification", "Sanction"]
    assert entities[0]["id"] == "us_csl-e-1" and entities[0]["properties"]["country"] == ["cn"]
    assert entities[1]["properties"] == {
        "holder": ["us_csl-e-1"],
        "number": ["91110000X"],
        "type": ["USCC"],
        "country": ["cn"],
    }
    assert entities[2]["properties"] == {
        "entity": ["us_csl-e-1"],
        "program": ["EAR"],
        "startDate": ["2020-05-22"],
    }
    out = io.StringIO()
    assert write_ftm([party], out) == 3
    assert json.loads(out.getvalue().splitlines()[0])["schema"] == "Organization"


@pytest.mark.parametrize(
    ("line", "message", "field"),
    [
        ("not json", "not a JSON object", None),
        ('["a"]', "one JSON object", None),
        ('{"schema": "Person", "properties": {}}', "missing entity id", "id"),
        ('{"id": "x", "properties": {}}', "missing schema", "schema"),
        (
            '{"id": "x", "schema": "Person", "properties": {"name": "solo"}}',
            "must be a list",
            "properties.name",
        ),
        ('{"id": "x", "schema": "Person", "properties": {"alias": ["a"]}}', "no name", "properties.name"),
    ],
)
def test_bad_lines_name_file_line_and_field(
    tmp_path: Path, line: str, message: str, field: str | None
) -> None:
    path = tmp_path / "bad.ftm.json"
    path.write_text(
        '{"id": "ok", "schema": "Person", "properties": {"name": ["Fine"]}}\n' + line + "\n", encoding="utf-8"
    )
    with pytest.raises(ListFormatError) as caught:
        parse_ftm([path])
    assert caught.value.line == 2 and caught.value.field == field and message in str(caught.value)


def test_nested_entities_are_understood(tmp_path: Path) -> None:
    nested = {
        "id": "p1",
        "schema": "Person",
        "properties": {
            "name": ["Nested Person"],
            "addressEntity": [
                {"id": "a1", "schema": "Address", "properties": {"full": ["Street 1"], "country": ["ir"]}}
            ],
        },
    }
    sanction = {
        "id": "s1",
        "schema": "Sanction",
        "properties": {
            "entity": [{"id": "p1", "schema": "Person", "properties": {"name": ["Nested Person"]}}],
            "program": ["IRAN"],
        },
    }
    [party] = [p for p in parse_lines(tmp_path, [nested, sanction]) if p.source_id == "p1"]
    assert party.addresses == (Address(full="Street 1", country="IR"),)
    assert party.programs == ("IRAN",)


text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=10)
ftm_name_types = st.sampled_from([NameType.AKA, NameType.WEAK_AKA, NameType.FKA])
countries = st.lists(st.sampled_from(["JP", "CN", "RU", "KP", "IR"]), max_size=3, unique=True).map(tuple)
ftm_parties = st.builds(
    Party,
    source=st.sampled_from(["ftm", "us_csl", "custom"]),
    source_id=text,
    list=text,
    kind=st.sampled_from([PartyKind.PERSON, PartyKind.ORGANISATION, PartyKind.VESSEL, PartyKind.AIRCRAFT]),
    name=text,
    names=st.lists(st.builds(Name, text, ftm_name_types), max_size=3).map(tuple),
    countries=countries,
    nationalities=countries,
    addresses=st.lists(st.builds(Address, text), max_size=2).map(tuple),
    identifiers=st.lists(
        st.builds(Identifier, text, text, st.none() | st.sampled_from(["JP", "CN"])), max_size=2
    ).map(tuple),
    programs=st.lists(text, max_size=2, unique=True).map(tuple),
    listed_on=st.none() | st.dates().map(str),
)


def stable(party: Party) -> tuple[object, ...]:
    return (
        party.kind,
        party.name,
        {(n.value, n.type) for n in party.names if n.value != party.name},  # duplicates are merged
        party.countries,
        {a.full for a in party.addresses},
        sorted((i.type, i.value, i.country) for i in party.identifiers),
        party.programs,
        party.listed_on,
    )


@settings(max_examples=120, deadline=None)
@given(st.lists(ftm_parties, max_size=4, unique_by=lambda p: (p.source, p.source_id)))
def test_round_trip_keeps_what_ftm_can_say_and_is_stable(
    tmp_path_factory: pytest.TempPathFactory, parties: list[Party]
) -> None:
    tmp_path = tmp_path_factory.mktemp("ftm")
    once = parse_lines(tmp_path, list(export_ftm(parties)))
    assert len(once) == len(parties)
    for original, back in zip(parties, once, strict=True):
        assert stable(back) == stable(original)
        if original.kind is PartyKind.PERSON:
            assert back.nationalities == original.nationalities
    twice = parse_lines(tmp_path, list(export_ftm(once)))
    assert twice == once
