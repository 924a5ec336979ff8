"""Shared helpers for the matching tests: hand-made parties and a screener over them."""

from __future__ import annotations

from pathlib import Path

from techguard.lists.model import Identifier, Name, NameType, Party, PartyKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"


def org(source_id: str, name: str, *aliases: str, lst: str = "test_list", countries: tuple[str, ...] = (),
        names: tuple[Name, ...] = ()) -> Party:  # fmt: skip
    return Party(
        source="test",
        source_id=source_id,
        list=lst,
        kind=PartyKind.ORGANISATION,
        name=name,
        names=tuple(Name(a, NameType.AKA) for a in aliases) + names,
        countries=countries,
    )


def person(source_id: str, name: str, *aliases: str, dob: tuple[str, ...] = (), countries: tuple[str, ...] = (),
           lst: str = "test_list", identifiers: tuple[Identifier, ...] = ()) -> Party:  # fmt: skip
    return Party(
        source="test",
        source_id=source_id,
        list=lst,
        kind=PartyKind.PERSON,
        name=name,
        names=tuple(Name(a, NameType.AKA) for a in aliases),
        birth_dates=dob,
        countries=countries,
        identifiers=identifiers,
    )


PARTIES = [
    org("1", "RUSSKIE TSIFROVYE RESHENIYA, OOO", countries=("RU",)),
    org("2", "AKTSIONERNOE OBSHCHESTVO PROMYSHLENNYE TEKHNOLOGII", countries=("RU",)),
    org("3", "Korean Committee for Space Technology", countries=("KP",)),
    org("4", "AEROCARIBBEAN AIRLINES", countries=("CU",)),
    org(
        "5", "三菱重工業株式会社", names=(Name("Mitsubishi Heavy Industries, Ltd.", NameType.ENGLISH, "en"),)
    ),
    org("6", "China Electronics Technology Group Corporation", "CETC"),
    org("7", "Guangzhou Haige Communications Group Incorporated Company"),
    org("8", "BANK MELLI IRAN", "NATIONAL BANK OF IRAN", countries=("IR",)),
    person("9", "BARR, Kathryn Ann", dob=("1970-03-02",), countries=("GB",)),
    person("10", "AL-ZAHAR, Mahmoud", "ZAHHAR, Mahmoud Khaled", dob=("1945",)),
    person("11", "Ким Чен Ын", "KIM Jong Un", countries=("KP",)),
    org("12", "SHERVUD PREMER, OOO"),
    org("13", "GAZPROMBANK JOINT STOCK COMPANY", "GAZPROMBANK AO"),
    org("14", "Trading House Northern Star LLC", countries=("AE",)),
]
