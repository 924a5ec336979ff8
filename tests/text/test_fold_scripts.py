"""Folding and script detection: the one implementation screening, research and the list parsers share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techguard.research.normalise import fold as research_fold
from techguard.text.fold import fold, split_cjk_runs, strip_accents
from techguard.text.scripts import (
    Script,
    char_script,
    east_asian_runs,
    has_cjk_text,
    has_han,
    has_kana,
    is_cjk,
    is_japanese_or_chinese,
    scripts_of,
)


def test_fold_nfkc_case_accents_and_punctuation() -> None:
    assert fold("ＡＢＣ商事㈱") == "abc商事 株"
    assert fold("AL-QAYSI, Nayif") == "al qaysi nayif"
    assert fold("AL-'ANZI") == "al anzi"
    assert fold("Leão São") == "leao sao"
    assert fold("ガス") == "ガス"  # kana voicing marks survive accent stripping
    assert fold("ｶﾞｽ") == "ガス"  # half-width kana compose under NFKC
    assert fold("M&M") == "m and m"


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Sabancı Holding", "Sabanci Holding"),
        ("Wrocław", "Wroclaw"),
        ("Øresund", "Oresund"),
        ("Đorđević", "Dordevic"),
        ("Straße", "Strasse"),
        ("Ærø", "Aero"),
        ("Œuvre", "Oeuvre"),
        ("Þór", "Thor"),
        ("İstanbul", "Istanbul"),
    ],
)
def test_letters_without_a_decomposition_fold_like_their_plain_spelling(written: str, plain: str) -> None:
    assert fold(written) == fold(plain)
    # research keys fold the same letters the same way (one function underneath)
    assert research_fold(written) == research_fold(plain)


def test_strip_accents_keeps_case_and_leaves_cjk_and_hangul_alone() -> None:
    assert strip_accents("Wrocław Łódź") == "Wroclaw Lodz"
    assert strip_accents("ガス株式会社 김정은") == "ガス株式会社 김정은"
    assert strip_accents("Ἀθῆναι") == "Αθηναι"  # Greek stays Greek, its accents go
    assert strip_accents("Йошкар-Ола") == "Иошкар-Ола"


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_scripts() -> None:
    assert scripts_of("Ким Чен Ын") == {Script.CYRILLIC}
    assert scripts_of("トヨタ自動車") == {Script.KANA, Script.HAN}
    assert scripts_of("김정은") == {Script.HANGUL}
    assert scripts_of("123-45") == frozenset()
    assert scripts_of("محمد") == {Script.ARABIC}
    assert scripts_of("ישראל") == {Script.HEBREW}
    assert scripts_of("Αλέξανδρος") == {Script.GREEK}
    assert scripts_of("ภาษาไทย") == {Script.OTHER}


def test_marks_that_belong_to_kanji_and_kana_words() -> None:
    assert char_script("々") is Script.HAN and char_script("〆") is Script.HAN and char_script("〇") is Script.HAN
    assert char_script("ー") is Script.KANA  # "Common" by Script, but it lengthens kana (レーザー)
    assert char_script("、") is None and char_script("・") is None  # punctuation, not letters
    assert is_cjk("ー") and not is_cjk("a")


def test_japanese_text_detection_for_list_parsers() -> None:
    assert has_kana("スバル") and not has_kana("東京")
    assert has_han("東京") and not has_han("スバル")
    assert is_japanese_or_chinese("Air Koryo 高麗航空") and not is_japanese_or_chinese("Air Koryo")
    assert has_cjk_text("、") and has_cjk_text("ＡＢＣ") and not has_cjk_text("ABC")


def test_cjk_runs_split_from_latin() -> None:
    assert split_cjk_runs("abc商事 株") == ["abc", "商事", "株"]
    assert east_asian_runs("東京大学tlo") == ["東京大学", "tlo"]
    assert east_asian_runs("kaist카이스트") == ["kaist", "카이스트"]


@pytest.mark.parametrize(("listed", "query"), [("Sabancı Holding", "Sabanci Holding"), ("Wrocław Tech", "Wroclaw Tech")])
def test_screening_folds_special_latin_letters(listed: str, query: str) -> None:
    """Issue 9: "Sabancı Holding" scored 0.0 against "Sabanci Holding" before screening shared this folding."""
    from techguard.lists.model import Party, PartyKind
    from techguard.matching import Query, Screener

    party = Party(source="test", source_id="1", list="test", kind=PartyKind.ORGANISATION, name=listed)
    matches = Screener.build([party]).screen(Query(query), top=1)
    assert matches and matches[0].score >= 0.95, matches
