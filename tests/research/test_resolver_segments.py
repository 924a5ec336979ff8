"""How an affiliation string is cut into segments before names are looked up, on small hand-made registries
(fictional institutions): the footnote numbers publisher metadata leaves between parts of an address, a slash
with a space beside it, and a "Graduate School of ..." that is a unit of the university named after it even when
an institution elsewhere has it as a label. Each rule has a near case it must leave alone."""

from __future__ import annotations

import pytest
from made_registries import institution

from techguard.research.registry import NameKind, Registry
from techguard.research.resolver import Resolver
from techguard.research.segments import split_segments


def _resolver() -> Resolver:
    return Resolver(Registry([
        institution("0000002a1", "Harwood University", country="US", city="Harwood", lang="en"),
        institution("0000002a2", "Fenmore Hospital", country="US", city="Fenmore", types=("healthcare",), lang="en"),
        institution("0000002a3", "Université Fenmore 1 Belcourt", country="FR", city="Fenmore", lang="fr"),
        institution("0000002a4", "Université Fenmore", country="FR", city="Fenmore", lang="fr"),
        institution("0000002a5", "Kestrel University", country="DK", city="Kestrel", lang="en"),
        institution("0000002a6", "Witten-Marlow University", country="DE", city="Witten", lang="en",
                    names=(("Witten/Marlow University", NameKind.ALIAS.value, "en"),)),
        # A French school whose English label is a unit name every Japanese university has.
        institution("0000002b1", "École Supérieure d'Ingénieurs de Roncourt", country="FR", city="Roncourt", lang="fr",
                    names=(("Graduate School of Engineering", NameKind.LABEL.value, "en"),)),
        institution("0000002b2", "Ashiro University", country="JP", city="Ashiro", lang="en"),
    ]))


def _segments(text: str) -> list[str]:
    return [s.raw for s in split_segments(text, {}, ())]


def test_a_footnote_number_before_a_comma_is_dropped() -> None:
    assert _segments("Fenmore Hospital 5 , Fenmore, USA") == ["Fenmore Hospital", "Fenmore", "USA"]


def test_a_footnote_number_before_a_unit_word_ends_the_segment() -> None:
    assert _segments("Harwood University 1 Department of Pathology, , Harwood, USA") == [
        "Harwood University", "Department of Pathology", "Harwood", "USA"]


def test_a_number_inside_a_name_stays() -> None:
    assert _segments("Université Fenmore 1 Belcourt") == ["Université Fenmore 1 Belcourt"]
    assert _resolver().resolve("Université Fenmore 1 Belcourt").name == "Université Fenmore 1 Belcourt"


@pytest.mark.parametrize("text", [
    "Department of Pathology, Harwood University 3 , Harwood, USA",
    "Harwood University 2 Department of Pathology, , Harwood, USA",
])
def test_names_before_footnote_numbers_resolve(text: str) -> None:
    assert _resolver().resolve(text).name == "Harwood University"


def test_a_spaced_slash_separates_institutions() -> None:
    assert _segments("Kestrel University /DANDRITE") == ["Kestrel University", "DANDRITE"]
    assert _resolver().resolve("Kestrel University /DANDRITE").name == "Kestrel University"


def test_a_slash_without_spaces_stays_inside_a_name() -> None:
    assert _segments("Witten/Marlow University") == ["Witten/Marlow University"]
    assert _resolver().resolve("Witten/Marlow University").name == "Witten-Marlow University"


def test_a_graduate_school_named_before_its_university_is_a_unit() -> None:
    result = _resolver().resolve("Department of Applied Physics, Graduate School of Engineering, Ashiro University")
    assert result.name == "Ashiro University", result.explanation
    assert any("unit-like name" in line for line in result.explanation)


def test_the_graduate_school_label_still_names_its_school_where_the_text_places_it() -> None:
    result = _resolver().resolve("Graduate School of Engineering, Roncourt, France")
    assert result.name == "École Supérieure d'Ingénieurs de Roncourt", result.explanation
