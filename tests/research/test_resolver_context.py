"""Context that lets the resolver answer where a name alone would not, and the limits of each rule.

Strings are written from the registry's own names (not taken from the Crossref gold file); each rule has a case
it must answer and a near case it must still refuse."""

from __future__ import annotations

import pytest

from techguard.research.acronyms import spelt_out, text_words
from techguard.research.normalise import fold_tokens
from techguard.research.registry import Institution, InstitutionName, NameKind
from techguard.research.resolver import Resolver

CREAF = Institution(
    ror_id="https://ror.org/03abrgd14",
    name="Centre for Research on Ecology and Forestry Applications",
    names=(
        InstitutionName("Centre for Research on Ecology and Forestry Applications", NameKind.DISPLAY.value),
        InstitutionName("Centre de Recerca Ecològica i Aplicacions Forestals", NameKind.LABEL.value),
        InstitutionName("CREAF", NameKind.ACRONYM.value),
    ),
    country="ES",
)


def _words(text: str) -> frozenset[str]:
    return text_words(fold_tokens(text))


def test_spelt_out_needs_every_content_word_of_one_name() -> None:
    assert (
        spelt_out(CREAF, _words("Center for Research on Ecology and Forestry Applications (CREAF)"))
        == "Centre for Research on Ecology and Forestry Applications"
    )  # "Centre" / "Center" agree
    assert spelt_out(CREAF, _words("Centre de Recerca Ecològica i Aplicacions Forestals, CREAF")) is not None
    # Most, not all, of the words: another organisation may share them.
    assert (
        spelt_out(CREAF, _words("Centre for Ecological Research and Forestry Applications (CREAF)")) is None
    )
    assert spelt_out(CREAF, _words("CREAF")) is None  # the acronym itself spells nothing out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "ror"),
    [
        # An acronym whose registry name the text spells out.
        ("German Center for Lung Research (DZL)", "03dx11k66"),
        ("Max Delbrueck Center for Molecular Medicine (MDC)", "04p5ggc03"),
        # Two acronyms that are ROR parent and child support each other; the parent is the answer.
        ("Laboratory of Immunogenetics, NIAID, NIH", "01cwqze88"),
        # A name shared by institutions of which only one has ROR units of its own.
        ("Department of Pathology, Northwestern University", "000e0be47"),
        # A name without its city that no other institution's name starts with.
        ("Department of Psychology, Justus-Liebig University", "033eqas34"),
        # ... also in another spelling of the registry's name ("Ludwig-Maximilians-Universität München").
        ("Institute of Zoology, Ludwig-Maximilians University", "05591te55"),
        # Plural unit words after a name ("Departments of ...").
        ("University of Washington 3 Departments of Pediatrics and Biochemistry", "00cvxb145"),
    ],
)
def test_context_resolves(real_resolver: Resolver, text: str, ror: str) -> None:
    result = real_resolver.resolve(text)
    assert result.ror_id == f"https://ror.org/{ror}", result.explanation
    assert result.score >= real_resolver.min_score


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "status", "why"),
    [
        # An acronym with nothing in the text to support it.
        ("Department of Electrical Engineering, KAIST", "not_resolved", "acronym 'KAIST': refused"),
        # "National Institute of Genetics" is only partly written: not spelt out.
        ("Institute of Human Genetics (NIG)", "not_resolved", "acronym 'NIG': refused"),
        # Both Northeastern Universities (US, CN) have ROR units: nothing decides.
        ("Department of Physics, Northeastern University", "ambiguous", "ambiguous between"),
        # A hospital named after a university is an institution of its own, not a unit of it.
        ("Goethe University Hospital", "not_resolved", "followed by 'hospital'"),
        # Amherst, Boston, Dartmouth ... all start "University of Massachusetts": which one is not written.
        (
            "Department of Microbiology, University of Massachusetts",
            "not_resolved",
            "city is not in the text",
        ),
    ],
)
def test_context_still_refuses(real_resolver: Resolver, text: str, status: str, why: str) -> None:
    result = real_resolver.resolve(text)
    assert result.status == status and result.ror_id is None, result.explanation
    assert any(why in line for line in result.explanation), result.explanation


@pytest.mark.slow
def test_listed_names_get_no_preference_among_namesakes(real_resolver: Resolver) -> None:
    # Designation linking must not pick the namesake with units: a listed name links only when unambiguous.
    assert real_resolver.resolve_name("Northwestern University").ror_id is None
    assert (
        real_resolver.resolve_name("Northwestern University", country="US").ror_id
        == "https://ror.org/000e0be47"
    )
