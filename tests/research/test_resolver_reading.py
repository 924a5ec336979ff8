"""How the resolver reads affiliation strings: joined institutions, units after names, spelling variants,
country mentions, quoting, and the guards that keep near-miss names apart. Real names from the shared registry."""

from __future__ import annotations

import pytest

from techguard.research.normalise import fold
from techguard.research.resolver import Resolver
from techguard.research.segments import split_segments
from techguard.research.variants import loose_key

ROR = "https://ror.org/"


def test_folding_of_letters_nfkd_keeps() -> None:
    assert fold("Wrocław") == "wroclaw"
    assert fold("Sabancı Üniversitesi") == "sabanci universitesi"
    assert fold("Øresund") == "oresund"
    assert fold("Far Eastern Federal University&quot;") == "far eastern federal university"


def test_loose_key_keeps_word_order_and_for() -> None:
    assert loose_key(fold("Humboldt-Universität zu Berlin").split()) == loose_key(
        fold("Humboldt University of Berlin").split())
    assert loose_key(fold("Technical University of Munich").split()) == loose_key(
        fold("Technical University Munich").split())
    # Two institutions each: word order and "for"/"of" are kept.
    assert loose_key(fold("Washington University").split()) != loose_key(fold("University of Washington").split())
    assert loose_key(fold("Center for Life Sciences").split()) != loose_key(fold("Center of Life Sciences").split())


def test_quoted_names_are_segments() -> None:
    segments = split_segments('FSBEI of HE «Pushkin Institute», &quot;Far Eastern University&quot;', {}, ())
    raw = [s.raw for s in segments]
    assert raw[0] == "FSBEI of HE «Pushkin Institute»"  # the outer text keeps its quotes (names contain them)
    assert "Pushkin Institute" in raw and "Far Eastern University" in raw


@pytest.mark.parametrize(
    ("text", "ror", "others"),
    [
        # Two institutions joined in one segment: the first is the author's main affiliation.
        ("Massachusetts Institute of Technology and Harbin Institute of Technology", "042nb2s44", ("01yqg2h08",)),
        ("Harbin Institute of Technology/Massachusetts Institute of Technology", "01yqg2h08", ("042nb2s44",)),
        # Quoted and HTML-escaped names.
        ('Dept. of Physics, &quot;Harbin Institute of Technology&quot;', "01yqg2h08", ()),
        ("School of Physics, «Nanjing University», Nanjing, China", "01rxvg760", ()),
    ],
)
def test_sample_reading(sample_resolver: Resolver, text: str, ror: str, others: tuple[str, ...]) -> None:
    result = sample_resolver.resolve(text)
    assert result.ror_id == ROR + ror, result.explanation
    assert result.others == tuple(ROR + o for o in others)


@pytest.mark.parametrize(
    "text",
    [
        # "and" + something that is not a name or unit: the name may continue.
        "Nanjing University and Astronautics",
        # A city after a name that is not its own: the name may continue ("Nanjing University of ..." elsewhere).
        "Northeastern University Shenzhen",
        # A joined name counts only next to one accepted on its own terms.
        "member of Nanjing University and Harbin Institute of Technology extra",
    ],
)
def test_sample_near_misses(sample_resolver: Resolver, text: str) -> None:
    result = sample_resolver.resolve(text)
    assert result.ror_id is None, result.explanation


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "ror"),
    [
        # A country name inside the institution's name is no mention of that country.
        ("Department of Pathology, University of New Mexico", "05fs6jp91"),
        ("Department of Natural Resource Science, The University of Rhode Island", "013ckk937"),  # not Iceland
        ("Universidad de Granada", "04njjy449"),  # not Grenada
        # Joined institutions; the first named is the affiliation.
        ("Turku PET Centre, University of Turku and Turku University Hospital", "05vghhr25"),
        ("Neuroscience Center Zurich, University of Zurich/ETH Zurich", "02crff812"),
        # A unit named after its institution, before or after the name; a legal form after a company name.
        ("University of Chicago Neuroscience Institute", "024mw5h28"),
        ("Department of Physiology, Perelman School of Medicine University of Pennsylvania", "00b30xv10"),
        ("Genentech Inc, Structural Biology", "04gndp242"),
        # Quoted / escaped names.
        ("FSAEI of HE &quot;Far Eastern Federal University&quot;", "0412y9z21"),
        # Letters NFKD keeps, spelling and language variants.
        ("Wroclaw University of Science and Technology", "008fyn775"),
        ("Faculty of Engineering and Natural Sciences, Sabanci University", "049asqa32"),
        ("Plant Breeding Institute, Christian-Albrechts-University of Kiel", "04v76ef78"),
        ("Humboldt University of Berlin", "01hcx6992"),
        ("Institute of Virology, Technical University Munich", "02kkvpp62"),
        ("Developmental Biology/Signal Transduction, Max Delbrueck Center for Molecular Medicine", "04p5ggc03"),
        # A shared name settled by the ROR relation to another name in the text (the US NCI is an NIH child).
        ("Laboratory of Immune Cell Biology, Center for Cancer Research, National Cancer Institute, "
         "National Institutes of Health", "01cwqze88"),
        # One organisation with sites in several countries under one name: the parent.
        ("European Molecular Biology Laboratory", "03mstc592"),
    ],
)
def test_real_reading(real_resolver: Resolver, text: str, ror: str) -> None:
    result = real_resolver.resolve(text)
    assert result.ror_id == ROR + ror, result.explanation


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "not_ror"),
    [
        # "Washington University" is not "University of Washington": variants keep word order.
        ("Washington University School of Medicine", "00cvxb145"),
        # A hospital named after a university is its own institution in ROR, not a unit of the university.
        ("Ulm University Medical Center", "032000t02"),
        # "Universidad de California" is a label of the University of California *System*; a shortened name.
        ("Kavli Institute for Fundamental Neuroscience, University of California", "00pjdza24"),
        # "for" / "of" are kept: a different institution.
        ("Center of Life Sciences, Skolkovo Institute of Science and Technology", "*"),
        # A variant followed by more name words: "Cancers et Préventions" is not meant.
        ("Cancer Prevention Institute of California", "*"),
        # Companies ROR tells apart by country: which subsidiary is meant is not written.
        ("Translational Sciences, Sanofi", "*"),
    ],
)
def test_real_near_misses(real_resolver: Resolver, text: str, not_ror: str) -> None:
    result = real_resolver.resolve(text)
    if not_ror == "*":
        assert result.ror_id is None, result.explanation
    else:
        assert result.ror_id != ROR + not_ror, result.explanation


def test_typo_rules() -> None:
    from techguard.research.typos import build_blocks, find_typo

    names = ["max planck institute for evolutionary biology", "max planck institute for chemistry",
             "hunan normal university", "indiana institute technology"]
    blocks = build_blocks(names)
    known = {w for n in names for w in n.split()} | {"henan"}
    assert find_typo(["max", "plank", "institute", "for", "evolutionary", "biology"], blocks, known) == (
        "max planck institute for evolutionary biology", "plank", "planck")
    # Another word, not a typo: a longer edit, an ending added, a word the registry uses elsewhere.
    assert find_typo(["max", "planck", "institute", "for", "biochemistry"], blocks, known) is None
    assert find_typo(["indian", "institute", "technology"], blocks, known) is None
    assert find_typo(["henan", "normal", "university"], blocks, known) is None
    # Two words of three or more letters differ / too few words: no typo.
    assert find_typo(["max", "plank", "institute", "for", "evolutionary", "biologie"], blocks, known) is None
    assert find_typo(["hunan", "university"], blocks, known) is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "ror"),
    [
        # A name without its own city, with the city written elsewhere in the text.
        ("Department of Cell Biology and Physiology, Washington University School of Medicine, St. Louis",
         "01yc7t268"),
        ("Biology Department, University of North Carolina 1 , Chapel Hill, NC, USA", "0130frc33"),
        # City-first and city-last orders of a generic name of the city.
        ("Department of Geosciences and Natural Resource Management, Copenhagen University", "035b05819"),
        ("University of Heidelberg", "038t36y30"),
        # A street address after the name.
        ("Centre de Recherches, Université de Limoges 39E Rue Camille Guérin, 87036 Limoges, France", "02cp04407"),
        # A unit-like name ("Institute of Pathology", a label of a German institute) is not taken on a country
        # only inferred from the other institutions named.
        ("Institute of Pathology, University Medical Center Göttingen (UMG)", "021ft0n22"),
        # A registry acronym in capitals after the name; an article before it.
        ("Faculty of Agriculture and Biology, Warsaw University of Life Sciences SGGW", "05srvzs48"),
        ("Les Laboratoires Servier", "034e7c066"),
        # A unit-like name standing alone as the last organisation named, with a distinctive subject.
        ("Collège de France", "04ex24z53"),
        ("The Institute of Statistical Mathematics", "03jcejr58"),
        # ... but followed by an organisation it is that one's unit.
        ("Institute of Neuropathology, University Hospital Erlangen", "0030f2a11"),
        # Several institutions, none the ROR parent of another: the university (employer of record).
        ("Department of Neurology, Massachusetts General Hospital, Harvard University", "03vek6s52"),
        # A name without its city that only organisations named after it extend ("Washington University
        # Physicians"): the city need not be written.
        ("Washington University School of Medicine", "01yc7t268"),
        # One misspelt word of a long name.
        ("Max Plank Institute for Evolutionary Biology", "0534re684"),
        ("Department of Medicine, Dartmouth-Hitchock Medical Center", "00d1dhh09"),
        ("Christian-Albrechts-Univertsität zu Kiel", "04v76ef78"),
    ],
)
def test_real_city_forms_and_typos(real_resolver: Resolver, text: str, ror: str) -> None:
    result = real_resolver.resolve(text)
    assert result.ror_id == ROR + ror, result.explanation
    assert result.score >= 0.8


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # Another site's place after the shortened name (Los Baños is not Manila's).
        "University of the Philippines Los Baños",
        # Amherst, Boston, Lowell ... start "University of Massachusetts"; which campus is not written.
        "Department of Biological Sciences, University of Massachusetts",
        "Department of Biological Sciences, University of North Carolina",  # which campus is not written
        "Henan Normal University",  # not Hunan Normal University (not loaded)
        "Indian Institute of Technology",  # not Indiana Institute of Technology
        "Max Planck Institute for Biochemistry",  # not ... for Chemistry (not loaded)
        "New York City Department of Health and Mental Hygiene",  # "City of New York" is no generic name
        "Institute of Cancer Research",  # a unit-like name of generic words only needs its place
        "Department of Cell Biology, UT Southwestern Medical Center",  # an acronym before a name: a longer name
    ],
)
def test_real_city_forms_and_typos_near_misses(real_resolver: Resolver, text: str) -> None:
    result = real_resolver.resolve(text)
    assert result.ror_id is None, result.explanation


@pytest.mark.parametrize(
    ("text", "ror"),
    [
        # A city written in Chinese / Japanese supports an acronym like its English name would.
        ("HIT, 哈尔滨", "01yqg2h08"),
        ("NEU, 沈阳市", "03awzbc87"),
        ("MIT, 東京", None),  # Tokyo is not MIT's city, and Japan is not its country
        ("HIT, 北京大学", None),  # 北京 starting a longer name is no city mention
    ],
)
def test_cjk_city_context(sample_resolver: Resolver, text: str, ror: str | None) -> None:
    result = sample_resolver.resolve(text)
    assert result.ror_id == (ROR + ror if ror else None), result.explanation
