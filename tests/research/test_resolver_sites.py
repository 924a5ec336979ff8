"""Session 6 rules, each on a small hand-made registry (fictional institutions, so that no other record of the
shared registry interferes): a name shortened from its sites, a school named after its university, namesakes
told apart by the language of the name written. Each rule has a case it must answer and a near case it must
still refuse."""

from __future__ import annotations

import pytest
from made_registries import ROR, institution

import techguard.research.geo as geo
from techguard.research.registry import Institution, NameKind, Registry
from techguard.research.resolver import Resolver


def _units(parent: str, *rors: str, country: str, city: str) -> list[Institution]:
    return [institution(r, f"Unit {r} of {parent}", country=country, city=city, types=("facility",), parent=parent)
            for r in rors]


# -- a name without its city --------------------------------------------------------------------------------

def _sites() -> Resolver:
    return Resolver(Registry([
        # One institution shortened to "Harbour University"; an organisation named after it (no place in the
        # rest of its name) and one that holds its whole name do not make the shortened name ambiguous.
        institution("0000000a1", "Harbour University in Lakeport", country="US", city="Lakeport"),
        institution("0000000a2", "Harbour University Physicians", country="US", city="Lakeport",
                     types=("healthcare",)),
        institution("0000000a3", "Harbour University in Lakeport Diabetes Centre", country="AE", city="Dubai",
                     types=("healthcare",)),
        # "Bay University" of "Bay University Riverton": another site's name goes on with a place.
        institution("0000000b1", "Bay University Riverton", country="US", city="Riverton"),
        institution("0000000b2", "Bay University Westfield Campus", country="US", city="Westfield"),
        # "Coast University" of "Coast University Manila"; Los Baños is the city of an unrelated record.
        institution("0000000c1", "Coast University Manila", country="PH", city="Manila"),
        institution("0000000c9", "Rice Research Station", country="PH", city="Los Baños", types=("facility",)),
        # Three sites shortened to "University of Westland": only Alpha has ROR units of its own.
        institution("0000000d0", "University of Westland System", country="US", city="Capital",
                     children=("0000000d1", "0000000d2", "0000000d3")),
        institution("0000000d1", "University of Westland at Alpha", country="US", city="Alpha",
                     parent="0000000d0", children=("0000000d7", "0000000d8")),
        institution("0000000d2", "University of Westland at Beta", country="US", city="Beta", parent="0000000d0"),
        institution("0000000d3", "University of Westland at Gamma", country="US", city="Gamma",
                     parent="0000000d0"),
        *_units("0000000d1", "0000000d7", "0000000d8", country="US", city="Alpha"),
        # Two sites of "University of Eastland", each with units: nothing tells them apart.
        institution("0000000e1", "University of Eastland at Delta", country="US", city="Delta",
                     children=("0000000e7", "0000000e8")),
        institution("0000000e2", "University of Eastland at Epsilon", country="US", city="Epsilon",
                     children=("0000000e9",)),
        *_units("0000000e1", "0000000e7", "0000000e8", country="US", city="Delta"),
        *_units("0000000e2", "0000000e9", country="US", city="Epsilon"),
    ]))


@pytest.mark.parametrize(
    ("text", "ror"),
    [
        ("Department of Biology, Harbour University", "0000000a1"),
        ("Harbour University School of Medicine", "0000000a1"),
    ],
)
def test_shortened_name_resolves(text: str, ror: str) -> None:
    result = _sites().resolve(text)
    assert result.ror_id == ROR + ror, result.explanation
    assert result.score >= 0.8


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # Another organisation's name goes on after "Bay University" with a place: another site.
        ("Department of Physics, Bay University", "city is not in the text"),
        # A place after the shortened name that is not the candidate's city.
        ("College of Agriculture, Coast University Los Baños", "followed by a place that is not its city"),
        # Both sites of "University of Eastland" have units of their own.
        ("Department of Chemistry, University of Eastland", "city is not in the text"),
        # Three sites shortened to "University of Westland", one with units of its own: still not written
        # which (guessing the one with units was right 83 % of the time on the development part: a guess
        # where the issue asks for "check by hand")
        ("Department of Genetics, University of Westland", "city is not in the text"),
    ],
)
def test_shortened_name_still_refused(text: str, why: str) -> None:
    result = _sites().resolve(text)
    assert result.ror_id is None, result.explanation
    assert any(why in line for line in result.explanation), result.explanation


def test_shortened_name_with_its_city_written() -> None:
    # The city settles the site, units or not.
    result = _sites().resolve("Department of Chemistry, University of Westland, Beta")
    assert result.ror_id == ROR + "0000000d2", result.explanation


# -- a school named after its university --------------------------------------------------------------------

def _schools() -> Resolver:
    return Resolver(Registry([
        institution("0000000f1", "Crimson University", country="US", city="Cambridge"),
        institution("0000000f2", "New Zork University", country="US", city="New Zork",
                     names=(("NZU", NameKind.ACRONYM.value, None),)),
        institution("0000000f3", "Hopewell University", country="US", city="Baltimore"),
        institution("0000000f4", "Hopewell Medicine", country="US", city="Baltimore", types=("healthcare",)),
        institution("0000000f5", "Springfield University", country="US", city="Springfield"),
        institution("0000000f6", "Goldman Foundation", country="US", city="Boston", types=("nonprofit",)),
    ]))


@pytest.mark.parametrize(
    ("text", "ror"),
    [
        ("Department of Genetics, Crimson Medical School", "0000000f1"),
        ("Crimson School of Public Health", "0000000f1"),
        ("Department of Nutrition, Crimson T.H. Chan School of Public Health", "0000000f1"),
        ("Department of Pathology, NZU Grossman School of Medicine", "0000000f2"),
        ("Department of Neurology, David Geffen School of Medicine at NZU", "0000000f2"),
        # Hopewell Medicine is a registry record of its own, but this school is not a medical one.
        ("Hopewell Bloomberg School of Public Health", "0000000f3"),
    ],
)
def test_school_resolves_to_its_university(text: str, ror: str) -> None:
    result = _schools().resolve(text)
    assert result.ror_id == ROR + ror, result.explanation
    assert any("school of" in line for line in result.explanation), result.explanation
    assert result.score >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        # Another organisation beside the school may be the affiliation (and the registry may not hold it).
        "Department of Psychiatry, Lakeside Hospital, Crimson Medical School",
        "Crimson Medical School and Crimson Pilgrim Health Care Institute",
        # "X College" alone is not a school of X University ("Boston College").
        "Department of Biology, Crimson College",
        # The university or its medical organisation: which one is not written.
        "Department of Neurology, Hopewell School of Medicine",
        # A place name before the school is no university's short name.
        "Springfield School of Medicine",
        # Not an education-type institution.
        "Goldman School of Medicine",
    ],
)
def test_school_still_refused(text: str) -> None:
    result = _schools().resolve(text)
    assert result.ror_id is None, result.explanation


# -- namesakes told apart by the language of the name written ----------------------------------------------

def _namesakes() -> Resolver:
    return Resolver(Registry([
        # Each one's own name is in its country's language; the other's is a translation.
        institution("0000000g1", "University of Valle Alto", country="CL", city="Valle Alto", lang="en",
                     names=(("Universidad de Valle Alto", NameKind.LABEL.value, "es"),)),
        institution("0000000g2", "Valle Alto University", country="US", city="Valle Alto City", lang="en",
                     names=(("Universidad de Valle Alto", NameKind.LABEL.value, "es"),)),
        # One English name, the US university's own and the Chinese university's translation: English is what
        # researchers everywhere write, so it tells nothing.
        institution("0000000h1", "Northridge University", country="US", city="Boston", lang="en",
                     children=("0000000h7", "0000000h8")),
        institution("0000000h2", "Northridge University", country="CN", city="Shenyang", lang="en",
                     names=(("北岭大学", NameKind.LABEL.value, "zh"),), children=("0000000h9",)),
        *_units("0000000h1", "0000000h7", "0000000h8", country="US", city="Boston"),
        *_units("0000000h2", "0000000h9", country="CN", city="Shenyang"),
        # No language known for one of them: nothing decides.
        institution("0000000i1", "Southvale University", country="US", city="Southvale", lang="en"),
        institution("0000000i2", "Southvale University", country="EG", city="Qena"),
        # A leading article is written or not: "Open Mind University" is the first one's name as written.
        institution("0000000j1", "The Open Mind University", country="GB", city="Milton"),
        institution("0000000j2", "Universidade Mente Aberta", country="PT", city="Lisbon",
                     names=(("Open Mind University", NameKind.LABEL.value, None),)),
    ]))


@pytest.mark.parametrize(
    ("text", "ror"),
    [
        ("Universidad de Valle Alto", "0000000g1"),
        ("Open Mind University", "0000000j1"),
    ],
)
def test_namesakes_told_apart_by_language(text: str, ror: str) -> None:
    result = _namesakes().resolve(text)
    assert result.ror_id == ROR + ror, result.explanation


@pytest.mark.parametrize(
    "text", ["Department of Physics, Southvale University", "Department of Physics, Northridge University"]
)
def test_namesakes_without_a_telling_language_stay_ambiguous(text: str) -> None:
    result = _namesakes().resolve(text)
    assert result.ror_id is None and result.status == "ambiguous", result.explanation


def test_namesakes_told_apart_by_the_country_written() -> None:
    assert _namesakes().resolve("Northridge University, Shenyang, China").ror_id == ROR + "0000000h2"
    assert _namesakes().resolve("Northridge University, Boston, MA, USA").ror_id == ROR + "0000000h1"


def test_listed_names_get_no_language_preference() -> None:
    # Designation linking: a listed name links only when it is unambiguous as written.
    assert _namesakes().resolve_name("Universidad de Valle Alto").ror_id is None
    assert _namesakes().resolve_name("Universidad de Valle Alto", country="CL").ror_id == ROR + "0000000g1"


def test_country_languages() -> None:
    assert geo.country_languages("CL") == {"es"}
    assert "en" in geo.country_languages("US") and "zh" not in geo.country_languages("US")
    assert geo.country_languages("XX") == frozenset()
