"""Japanese renderings of Chinese, Korean and Russian institutions resolve to the same ROR id as their listed
names. The renderings are generated (``research_renderings.py``) from the designation lists' own names and the
registry's labels; see that module for how."""

from __future__ import annotations

from pathlib import Path

import pytest
from research_renderings import katakana, korean_universities, listed_institutions, renderings

from techguard.research.japanese import to_hangul
from techguard.research.readings import PlaceIndex, place_table
from techguard.research.resolver import Resolver


def test_place_table_loads_and_readings_fold() -> None:
    table = place_table()
    assert table["ハルビン"].latin == ("harbin",) and "哈尔滨" in table["ハルビン"].native
    assert table["ソウル"].native == ("서울",)


def test_hanja_reading() -> None:
    assert to_hangul("高麗大学") == "고려대학"
    assert to_hangul("韓国科学技術院") == "한국과학기술원"
    assert to_hangul("哈爾濱大学") == ""  # a character without a Korean reading in the table: no guess


def test_katakana_generator_is_plain_transliteration() -> None:
    assert katakana("Novosibirsk") == "ノヴォシビルスク"
    assert katakana("Tomsk") == "トムスク"


@pytest.mark.slow
def test_sound_reading_finds_registry_places(real_resolver: Resolver) -> None:
    places = PlaceIndex(real_resolver.index)
    # Not in the table: read by sound against the registry's cities and name words.
    assert "novosibirsk" in {r.latin[0] for r in places.places("ノボシビルスク")}
    assert "tomsk" in {r.latin[0] for r in places.places("トムスク")}
    assert places.places("トゥラ") == []  # short runs (t-r) are read only through the table


@pytest.mark.slow
def test_renderings_of_listed_institutions(shared: Path, real_resolver: Resolver) -> None:
    generated = renderings(shared, real_resolver)
    institutions = {r.ror_id for r in generated}
    assert len(institutions) >= 50, len(institutions)
    wrong, missed, right = [], [], set()
    for rendering in generated:
        result = real_resolver.resolve(rendering.text)
        if result.ror_id == rendering.ror_id:
            right.add(rendering.ror_id)
        elif result.ror_id is None:
            missed.append(f"{rendering.text} ({rendering.source}): {result.explanation[-1]}")
        else:
            wrong.append(f"{rendering.text} ({rendering.source}) -> {result.name}")
    assert not wrong, wrong  # a rendering never resolves to another institution
    assert len(right) >= 50, missed
    assert len(missed) <= 0.1 * len(generated), missed
    countries = {real_resolver.institution(r).country for r in right}  # type: ignore[union-attr]
    assert {"CN", "RU"} <= countries


@pytest.mark.slow
def test_renderings_reach_the_listed_entry(shared: Path, real_resolver: Resolver) -> None:
    listed = listed_institutions(shared, real_resolver)
    assert real_resolver.resolve("ハルビン工業大学").ror_id == real_resolver.resolve_name(
        listed["https://ror.org/01yqg2h08"], country="CN").ror_id


@pytest.mark.slow
def test_korean_universities_in_kanji(real_resolver: Resolver) -> None:
    generated = list(korean_universities(real_resolver))
    assert len(generated) >= 8
    results = [(r, real_resolver.resolve(r.text)) for r in generated]
    wrong = [(r.text, res.name) for r, res in results if res.ror_id not in (None, r.ror_id)]
    assert not wrong
    assert sum(res.ror_id == r.ror_id for r, res in results) >= 0.9 * len(generated)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "same_as"), [
    ("中国人民解放军国防科技大学", "National University of Defense Technology"),
    ("国防科技大学", "National University of Defense Technology"),
    ("解放軍国防科技大学", "National University of Defense Technology"),
    ("中国人民解放軍国防科技大学 計算機学院", "National University of Defense Technology"),
    ("PLA National University of Defense Technology", "National University of Defense Technology"),
    ("哈爾濱工業大学", "哈尔滨工业大学"),
    ("ハルビン工業大学", "Harbin Institute of Technology"),
    ("ソウル大学", "Seoul National University"),
])
def test_forms_resolve_like_the_name(real_resolver: Resolver, text: str, same_as: str) -> None:
    expected = real_resolver.resolve(same_as)
    assert expected.ror_id is not None
    assert real_resolver.resolve(text).ror_id == expected.ror_id


@pytest.mark.slow
@pytest.mark.parametrize(("text", "same_as"), [
    # a unit written after the rendered name: the name still resolves, the unit is left over
    ("ハルビン工業大学材料科学工学院", "Harbin Institute of Technology"),
    ("ノヴォシビルスク国立大学物理学部", "Novosibirsk State University"),
    ("ソウル大学医学部", "Seoul National University"),
    ("高麗大学医学部", "Korea University"),
])
def test_rendering_with_a_unit_after_it(real_resolver: Resolver, text: str, same_as: str) -> None:
    assert real_resolver.resolve(text).ror_id == real_resolver.resolve(same_as).ror_id is not None


@pytest.mark.slow
def test_unread_katakana_is_no_guess(real_resolver: Resolver) -> None:
    # A katakana word that is neither a place nor a term (a person's name) leaves the string unresolved.
    assert real_resolver.resolve("ロモノーソフ記念大学").ror_id is None
    # A loanword that only sounds like a word of some name is no place (ロボティクス = "robotics").
    assert real_resolver.resolve("ロボティクス研究所").ror_id is None  # not "Institute of Robotics" somewhere
    assert real_resolver.resolve("エネルギー研究センター").ror_id is None
    # Translated words must all be used: "Moscow State University" is not モスクワ大学 (国立 missing).
    assert real_resolver.resolve("モスクワ大学").ror_id is None


@pytest.mark.slow
def test_a_place_in_the_table_keeps_its_country(real_resolver: Resolver) -> None:
    # サンクトペテルブルク is the Russian city: not St. Petersburg College in Florida (セントピーターズバーグ).
    florida = real_resolver.resolve("St. Petersburg College, St. Petersburg, Florida, USA")
    assert florida.country == "US"
    assert real_resolver.resolve("サンクトペテルブルク大学").ror_id != florida.ror_id
    assert real_resolver.resolve("サンクトペテルブルク国立工科大学").country == "RU"


@pytest.mark.slow
def test_acronyms_only_with_context(real_resolver: Resolver) -> None:
    nudt = real_resolver.resolve("National University of Defense Technology").ror_id
    assert real_resolver.resolve("NUDT").ror_id is None  # an acronym alone is no answer
    assert real_resolver.resolve("NUDT").status == "not_resolved"
    assert real_resolver.resolve("College of Computer, NUDT, Changsha 410073, China").ror_id == nudt
