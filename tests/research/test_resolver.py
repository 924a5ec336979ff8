from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techguard.research.normalise import fold
from techguard.research.resolver import Resolver


def test_folding_abbreviations_and_scripts() -> None:
    assert fold("Harbin Inst. of Tech.") == fold("Harbin Institute of Technology")
    assert fold("Natl. Univ.") == "national university"
    assert fold("東京大學") == fold("東京大学") == fold("东京大学")
    # the screening's Han folding (text.han.fold_han): OpenCC's jp2t alone made 防衛 the old variant 防衞
    assert fold("防衛装備庁") == fold("防卫装备厅") == fold("防衛裝備廳")
    assert fold("Université de Montréal") == "universite de montreal"


@pytest.mark.parametrize(
    ("text", "ror"),
    [
        ("Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China", "01yqg2h08"),
        ("東京大学大学院工学系研究科", "057zh3y96"),
        ("東京大學", "057zh3y96"),
        ("北航", "00wk2mp56"),  # a registry alias
        ("北京航空航天大学 计算机学院", "00wk2mp56"),
        ("國立臺灣大學", "05bnh6r87"),
        ("Nanjing University of Aeronautics and Astronautics", "01scyh794"),
        ("School of Physics, Nanjing University, Nanjing 210093, China", "01rxvg760"),
        ("Northeastern University, Shenyang 110819, China", "03awzbc87"),
        ("Department of Chemistry, Northeastern University, Boston, MA, USA", "04t5xt781"),
        ("东北大学", "03awzbc87"),
        ("Department of Physics, MIT, Cambridge, MA, USA", "042nb2s44"),
        ("Spencer School of Medicine at the Massachusetts Institute of Technology", "042nb2s44"),
    ],
)
def test_resolves(sample_resolver: Resolver, text: str, ror: str) -> None:
    result = sample_resolver.resolve(text)
    assert result.ror_id == f"https://ror.org/{ror}", result.explanation
    assert result.score >= 0.8
    assert result.explanation and result.explanation[0].startswith("matched")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Northeastern University", "ambiguous"),  # US or China: nothing decides
        ("Nanjing University of Science and Technology", "continues"),  # near-miss, not in registry
        ("Northeastern University, Tokyo, Japan", "country conflicts"),
        ("MIT", "acronym"),  # an acronym alone, no supporting country or city
        ("Department of Physics", "no registry name"),
        ("", "no registry name"),
    ],
)
def test_explicit_no_match(sample_resolver: Resolver, text: str, why: str) -> None:
    result = sample_resolver.resolve(text)
    assert result.ror_id is None and result.score == 0.0
    assert result.status in ("not_resolved", "ambiguous")
    assert result.explanation[0].startswith(("not resolved — check by hand", "ambiguous")), result.explanation
    assert "clear" not in result.status_text and "該当なし" not in result.designation_text
    assert any(why in line for line in result.explanation), result.explanation


def test_ambiguous_answer_lists_the_candidates(sample_resolver: Resolver) -> None:
    result = sample_resolver.resolve("Northeastern University")
    assert result.status == "ambiguous" and result.ror_id is None
    assert {c[2] for c in result.candidates} == {"US", "CN"}
    assert result.as_dict()["status_text"].startswith("ambiguous")
    assert sample_resolver.resolve("Department of Physics").status == "not_resolved"


def test_the_institution_after_its_unit_wins(sample_resolver: Resolver) -> None:
    result = sample_resolver.resolve("Institute for Cosmic Ray Research, The University of Tokyo, Kashiwa, Japan")
    assert result.ror_id == "https://ror.org/057zh3y96"
    assert result.others == ("https://ror.org/008td3p62",)


def test_resolve_name_is_whole_name_only(sample_resolver: Resolver) -> None:
    assert sample_resolver.resolve_name("Nanjing University", country="CN").ror_id == "https://ror.org/01rxvg760"
    assert sample_resolver.resolve_name("Nanjing University of Posts", country="CN").ror_id is None
    assert sample_resolver.resolve_name("Beijing University of Aeronautics and Astronautics").ror_id == \
        "https://ror.org/00wk2mp56"
    assert sample_resolver.resolve_name("Northeastern University", country="CN").ror_id == \
        "https://ror.org/03awzbc87"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "ror"),
    [
        ("東京大学大学院工学系研究科", "057zh3y96"),
        ("〒113-8656 東京都文京区本郷7-3-1 東京大学大学院工学系研究科", "057zh3y96"),  # not 東京都 (an address)
        ("京都大学大学院理学研究科, 京都市左京区", "02kpeqv85"),
        ("大阪大学 大学院基礎工学研究科", "035t8zc32"),
        ("東北大学 金属材料研究所", "04664mr26"),  # the institute's own ja label
        ("北京市海淀区学院路37号 北京航空航天大学 计算机学院", "00wk2mp56"),
        ("清华大学 物理系, 北京 100084", "03cve4549"),
        ("京都大学", "02kpeqv85"),
        ("哈尔滨工业大学 材料科学与工程学院", "01yqg2h08"),
        ("北京航空航天大学", "00wk2mp56"),
        ("南京大学", "01rxvg760"),
        ("南京航空航天大学", "01scyh794"),
        ("东北大学, 沈阳", "03awzbc87"),
        ("Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China", "01yqg2h08"),
        ("College of Automation, Nanjing University of Aeronautics and Astronautics, Nanjing, China", "01scyh794"),
        ("Northeastern University, Boston, MA 02115, USA", "04t5xt781"),
    ],
)
def test_real_registry(real_resolver: Resolver, text: str, ror: str) -> None:
    result = real_resolver.resolve(text)
    assert result.ror_id == f"https://ror.org/{ror}", result.explanation


@pytest.mark.slow
def test_real_registry_near_misses(real_resolver: Resolver) -> None:
    assert real_resolver.resolve("Northeastern University").ror_id is None
    assert real_resolver.resolve("Nanjing University, China").ror_id == "https://ror.org/01rxvg760"
    # Not loaded in the shared registry: must not fall back to Nanjing University.
    result = real_resolver.resolve("Nanjing University of Information Science and Technology Extra Campus")
    assert result.ror_id != "https://ror.org/01rxvg760"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcXYZ ,;()（）-.'&東京大学北航中国0123456789〒\n")), max_size=60))
def test_any_text_gives_a_resolution(sample_resolver: Resolver, text: str) -> None:
    result = sample_resolver.resolve(text)
    assert (result.ror_id is None) == (result.score == 0.0)
    assert result.explanation


def test_country_of_the_other_institutions_settles_an_ambiguous_name(sample_resolver: Resolver) -> None:
    result = sample_resolver.resolve("Northeastern University; Massachusetts Institute of Technology")
    # Two unrelated universities: which is "the" affiliation is not written, so the answer is "ambiguous" with
    # both -- and the Northeastern among them is the US one, not 东北大学.
    assert result.status == "ambiguous" and result.ror_id is None
    assert {c[0] for c in result.candidates} == {"https://ror.org/042nb2s44", "https://ror.org/04t5xt781"}
    assert set(result.others) == {c[0] for c in result.candidates}
    assert any("taken from the other institution" in line for line in result.explanation)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "status", "ror"),
    [
        # A ROR parent named after its unit: the parent (everything else named is in its family).
        ("Shanghai Institute of Organic Chemistry, Chinese Academy of Sciences, Shanghai, China", "resolved",
         "034t30j35"),
        # One university among unrelated institutions: the university.
        ("Howard Hughes Medical Institute, Stanford University", "resolved", "00f54p054"),
        # Two joined in one segment: the first when it is a university, else the rules above (the university).
        ("University of Turku and Turku University Hospital, Turku, Finland", "resolved", "05vghhr25"),
        ("German Center for Neurodegenerative Diseases and University of Bonn, Bonn, Germany", "resolved",
         "041nas322"),
        # Two unrelated universities, each a whole affiliation: nothing says which one.
        ("School of Physics, Beihang University; Harbin Institute of Technology, China", "ambiguous", None),
        ("Sorbonne Université, Université Paris Cité, Paris, France", "ambiguous", None),
    ],
)
def test_choice_among_several_institutions(real_resolver: Resolver, text: str, status: str, ror: str | None) -> None:
    result = real_resolver.resolve(text)
    assert result.status == status, result.explanation
    if ror is not None:
        assert result.ror_id == f"https://ror.org/{ror}"
    else:
        assert len(result.candidates) == 2 and result.score == 0.0
        assert "check by hand" in result.status_text and "check by hand" in result.designation_text
