"""Aliases shared with other sites, and names written with other punctuation, on small hand-made registries
(fictional institutions): an alias that is also the shortened name of other sites, and same-key candidates told
apart by how the text writes them only when more than punctuation and accents differ. Each rule has a case it
must refuse and a near case it must still answer."""

from __future__ import annotations

import pytest
from made_registries import ROR, institution

from techguard.research.registry import Institution, InstitutionName, NameKind, Registry
from techguard.research.resolver import Resolver, _written_form


def _institution(
    ror: str, name: str, *, country: str, city: str, names: tuple[tuple[str, str], ...] = (),
    parent: str | None = None, children: tuple[str, ...] = (),
) -> Institution:
    return institution(ror, name, country=country, city=city, names=tuple((v, k, None) for v, k in names),
                       parent=parent, children=children, lang="en")


# -- an alias that is also the shortened name of other sites --------------------------------------------------

def _aliases() -> Resolver:
    return Resolver(Registry([
        # "Marlow University" is an alias (a translation) of a Spanish university, and the shortened name of two
        # US universities whose names go on with their city.
        _institution("0000001a1", "Universidad Marlow Andalucía", country="ES", city="Seville",
                     names=(("Marlow University", NameKind.ALIAS.value),)),
        _institution("0000001a2", "Marlow University Riverton", country="US", city="Riverton"),
        _institution("0000001a3", "Marlow University Westfield", country="US", city="Westfield"),
        # "Kestrel College" is a former name of an unrelated university and the shortened name of another.
        _institution("0000001b1", "Northgate University", country="US", city="Northgate",
                     names=(("Kestrel College", NameKind.ALIAS.value),)),
        _institution("0000001b2", "Kestrel College Lakeport", country="GB", city="Lakeport"),
        # The flagship's own short name: an alias that starts its own name (ROR records the flagship).
        _institution("0000001c0", "University of Eastmoor System", country="US", city="Capital",
                     children=("0000001c1", "0000001c2")),
        _institution("0000001c1", "University of Eastmoor at Delta", country="US", city="Delta",
                     names=(("University of Eastmoor", NameKind.ALIAS.value),), parent="0000001c0"),
        _institution("0000001c2", "University of Eastmoor at Gamma", country="US", city="Gamma", parent="0000001c0"),
        # An alias that names its own city: another site named after it does not make it a shortened name.
        _institution("0000001d1", "Institute of Sciences Harwich", country="IN", city="Harwich",
                     names=(("ISH Harwich", NameKind.ALIAS.value),)),
        _institution("0000001d2", "Institute of Sciences Harwich Abu Dhabi", country="AE", city="Abu Dhabi",
                     names=(("ISH Harwich Abu Dhabi", NameKind.ALIAS.value),)),
    ]))


@pytest.mark.parametrize("text", [
    "Department of Biology, Marlow University",
    "Marlow University",
    "Institute of Psychiatry, Kestrel College",
])
def test_alias_shared_with_other_sites_is_ambiguous(text: str) -> None:
    result = _aliases().resolve(text)
    assert result.ror_id is None and result.status == "ambiguous"
    assert len(result.candidates) >= 2
    assert any("shortened name of other sites" in line for line in result.explanation)


def test_alias_shared_with_other_sites_resolves_where_a_site_is_written() -> None:
    # The city written picks the site the shortened name means.
    assert _aliases().resolve("Department of Biology, Marlow University, Riverton").ror_id == ROR + "0000001a2"


@pytest.mark.parametrize(("text", "ror"), [
    ("Department of Chemistry, University of Eastmoor", "0000001c1"),  # the flagship's own short name
    ("ISH Harwich", "0000001d1"),  # names its own city
    ("Department of Biology, Universidad Marlow Andalucía", "0000001a1"),  # its own name
])
def test_alias_still_resolves(text: str, ror: str) -> None:
    assert _aliases().resolve(text).ror_id == ROR + ror


# -- same-key candidates: written exactly so ------------------------------------------------------------------

def _written() -> Resolver:
    return Resolver(Registry([
        # Two aliases written with and without an apostrophe and an accent: the same name to a writer.
        _institution("0000002a1", "Columbine University", country="US", city="Denver",
                     names=(("Saint Anne's College", NameKind.ALIAS.value),)),
        _institution("0000002a2", "The Saint Anne’s University", country="CA", city="Edmonton",
                     names=(("The Sáint Anne’s College", NameKind.ALIAS.value),)),
        # Same key, one with a qualifier the text does not write.
        _institution("0000002b1", "Pearl University of Science", country="HK", city="Hong Kong"),
        _institution("0000002b2", "Pearl University of Science (Guangzhou)", country="CN", city="Guangzhou"),
    ]))


def test_apostrophes_and_accents_tell_no_candidate_apart() -> None:
    result = _written().resolve("Department of Physics, Saint Anne's College")
    assert result.ror_id is None and result.status == "ambiguous"
    assert {c[0] for c in result.candidates} == {ROR + "0000002a1", ROR + "0000002a2"}


def test_a_qualifier_not_written_still_tells_candidates_apart() -> None:
    assert _written().resolve("Division of Life Science, Pearl University of Science").ror_id == ROR + "0000002b1"


def test_written_form() -> None:
    assert _written_form("University of Hawaiʻi") == _written_form("University of Hawaii") == "university of hawaii"
    assert _written_form("The King’s College") == _written_form("Kings College")
    assert _written_form("Université de Nantes") == "universite de nantes"
    # Scripts and kana voicing marks stay: they tell institutions apart.
    assert _written_form("東北大学") != _written_form("东北大学")
    assert _written_form("がっこう") == "がっこう"
    assert _written_form("Pearl University (Guangzhou)") == "pearl university guangzhou"


# -- a shortened name tells the country ---------------------------------------------------------------------

def _countries() -> Resolver:
    def system(ror: str, name: str, country: str, city: str) -> Institution:
        # "Universidad de X" is a label of the X *System*: written "University of X", it is a shortened name.
        return _institution(ror, f"University of {name} System", country=country, city=city,
                            names=((f"Universidad de {name}", NameKind.LABEL.value),))

    return Resolver(Registry([
        Institution(ror_id=ROR + "0000003a1", name="Harbour Heart Hospital",
                    names=(InstitutionName("Harbour Heart Hospital", NameKind.DISPLAY.value, "en"),
                           InstitutionName("Harbour Research Institute", NameKind.ALIAS.value, None)),
                    country="JP", city="Tokyo", types=("healthcare",), relationships=()),
        system("0000003b1", "Westmoor", "US", "Oakland"),
        system("0000003c1", "Kitamoor", "JP", "Osaka"),
    ]))


def test_shortened_name_tells_the_country() -> None:
    result = _countries().resolve("Department of Biochemistry, Harbour Research Institute, University of Westmoor")
    assert result.ror_id is None
    assert any("not in the country of the shortened name" in line for line in result.explanation)


@pytest.mark.parametrize("text", [
    "Department of Biochemistry, Harbour Research Institute",
    "Harbour Research Institute, University of Kitamoor",  # the shortened name's country is the hospital's own
])
def test_institution_in_the_country_of_the_shortened_name_still_resolves(text: str) -> None:
    assert _countries().resolve(text).ror_id == ROR + "0000003a1"
