"""Katakana loanwords against Latin-script listings (ロステック = ROSTEC), on the real CSL and SDN files."""

from __future__ import annotations

from pathlib import Path

import pytest
from matching_parties import PARTIES

from techguard.lists.formats import get_format
from techguard.lists.model import Party, PartyKind
from techguard.matching import Screener
from techguard.matching.hits import explanation_text
from techguard.matching.kana import katakana_romaji
from techguard.matching.loanwords import (
    METHOD,
    SHORT_CAP,
    compare_loanword,
    consonant_skeleton,
    loanword_key,
    sound_fold,
    strip_epenthesis,
)
from techguard.matching.screener import ALGORITHM_VERSION, Query
from techguard.matching.tokens import analyse


@pytest.fixture(scope="module")
def real(shared: Path) -> Screener:
    lists = shared / "lists"
    csl = get_format("csl_csv").parse([lists / "us_csl_2023-11-30" / "csl.csv"]).parties
    sdn_dir = lists / "us_ofac_sdn_2021-07-07"
    sdn = get_format("ofac_sdn_csv").parse([sdn_dir / f for f in ("sdn.csv", "add.csv", "alt.csv")]).parties
    return Screener.build([*csl, *sdn])


def test_epenthetic_vowels_are_removed_word_by_word() -> None:
    assert strip_epenthesis(["rosu", "tekku"]) == "rostekk"
    assert strip_epenthesis(["kasu", "peru", "suki"]) == "kasperski"
    assert strip_epenthesis(["gasupuromu"]) == "gasprom"
    assert strip_epenthesis(["yamada"]) == "yamada"  # no vowel after a consonant run is epenthetic here


def test_both_sides_fold_to_what_katakana_distinguishes() -> None:
    assert sound_fold("rostekk") == sound_fold("rostec") == "rostek"
    assert sound_fold("kaspersky") == "kasperski"
    assert sound_fold("kalashnikov") == sound_fold("karasnikof")  # a final -v is written フ
    assert sound_fold("gazprom") == sound_fold("gasprom")
    assert sound_fold("almaz") == sound_fold("armaz") == "armas"
    assert consonant_skeleton("rosutekku") == consonant_skeleton("ROSTEC".lower()) == "rstk"


def test_loanword_key_only_for_katakana() -> None:
    assert loanword_key("Rostec", str) is None
    assert loanword_key("東京大学", str) is None
    key = loanword_key("アルマズ・アンテイ", str)
    assert key is not None and key.phonetics == ("armaz", "antei")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ロステック", "ROSTEC"),
        ("ロステック株式会社", "ROSTEC"),  # the legal form is taken out, as for readings
        ("ウラルヴァゴンザヴォード", "URALVAGONZAVOD"),  # ヴ = v
        ("イラン航空", "IRAN AIR"),  # katakana by sound, a trailing 航空 by meaning (SDN)
        ("マハン航空", "MAHAN AIR"),
        ("アルマズ・アンテイ", "ALMAZ-ANTEY"),
        ("ガスプロム", "GAZPROM"),
        ("ガスプロムバンク", "GAZPROMBANK"),
        ("ロスオボロンエクスポルト", "ROSOBORONEKSPORT"),
        # 2.5: the kana made for foreign sounds read as those sounds, a final チ as T, V before a vowel as B,
        # HU before a vowel as F, business words from their English spelling
        ("ファーウェイ・テクノロジーズ", "HUAWEI TECHNOLOGIES"),
        ("ロスネフチ", "ROSNEFT"),
        ("アエロフロート", "AEROFLOT"),
        ("アルカイダ", "QA"),
        ("トランスネフチ", "TRANSNEFT"),  # retrieved by the word as heard too (チ = T)
        ("ロステック社", "ROSTEC"),  # 社 after the name is "the company"
        ("JSCロステック", "ROSTEC"),  # a Latin legal form beside katakana is a form
        ("ポジティブ・テクノロジーズ", "POSITIVE TECHNOLOGIES"),  # ジ = si (z), ブ = v
    ],
)
def test_katakana_meets_the_real_listing(real: Screener, query: str, listed: str) -> None:
    top = real.screen(Query(query), top=3)[0]
    assert top.alert
    assert listed in top.matched_name.upper()
    assert top.explanation["method"] == METHOD
    assert top.explanation["query_key"]["kind"] == "loanword"
    assert top.explanation["algorithm"].startswith(ALGORITHM_VERSION + " (")
    assert ALGORITHM_VERSION == "techguard-match-2.9"
    assert all(w["how"] in {"loanword", "exact", "vocabulary"} for w in top.explanation["words"])
    assert top.score <= 0.92 + 0.25  # discounted like a reading before any other evidence


@pytest.mark.parametrize(
    "query", ["ヤマダタロウ", "スズキイチロウ", "トヨタ", "ソニー", "ファーウェイ"]
)
def test_person_and_short_katakana_names_do_not_alert(real: Screener, query: str) -> None:
    # ファーウェイ alone meets HUAWEI by sound, but on four sounds (h-a-e-i): too few to alert on
    assert not any(m.alert for m in real.screen(Query(query), top=5))


def test_short_skeleton_is_capped_below_alerting() -> None:
    party = Party(source="test", source_id="1", list="test", kind=PartyKind.ORGANISATION, name="HUAWEI")
    screener = Screener.build([party, *PARTIES])
    query = loanword_key("ファーウェイ", screener.vocabulary.concept)
    assert query is not None
    (listed,) = analyse("HUAWEI", screener.vocabulary)
    # fa-wei sounds exactly like HUAWEI heard in Japanese (h-a-e-i), but a four-sound word with two
    # consonants meets too many other words by sound alone to alert on
    comparison = compare_loanword(query, listed, screener.index.weight)
    assert comparison.pairs[0].similarity == 1.0 and comparison.score == SHORT_CAP
    assert not any(m.alert for m in screener.screen(Query("ファーウェイ")))


def test_katakana_business_words_translate(real: Screener) -> None:
    # ビジョン is a business word with a fixed English spelling: ハイク + VISION, run together, is HIKVISION
    top = real.screen(Query("ハイクビジョン"), top=3)[0]
    assert top.alert and "HIKVISION" in top.matched_name.upper()
    assert top.explanation["query_key"]["words"] == ["haiku", "vision"]
    united = Party(
        source="test",
        source_id="1",
        list="test",
        kind=PartyKind.ORGANISATION,
        name="UNITED AIRCRAFT CORPORATION",
    )
    top = Screener.build([united, *PARTIES]).screen(Query("ユナイテッド・エアクラフト・コーポレーション"))[0]
    assert top.alert and top.party is united


@pytest.mark.parametrize(
    ("katakana", "romaji"),
    [
        ("ファーウェイ", "fawei"),  # the dictionary reads ウェ as e: "fa ei"
        ("ウィキ", "wiki"),
        ("ウォッカ", "wokka"),  # ッ doubles the next consonant
        ("フィルム", "firumu"),  # the dictionary reads フィ as fu
        ("ティー", "ti"),  # ー: Hepburn as users type it keeps no length
        ("ドゥーマ", "duma"),
        ("ツァーリ", "tsari"),  # the dictionary drops ツァ
        ("クァルテット", "kwarutetto"),
        ("シェル", "sheru"),
        ("ジェット", "jetto"),
        ("マッチ", "matchi"),  # ッ before チ is t
        ("キャノン", "kyanon"),
        ("ヴォルガ", "voruga"),
        ("カスペルスキー", "kasuperusuki"),  # one run, not cut into dictionary words
    ],
)
def test_katakana_is_read_sound_by_sound(katakana: str, romaji: str) -> None:
    assert katakana_romaji(katakana) == romaji


def test_loanword_key_reads_the_foreign_sounds() -> None:
    key = loanword_key("ファーウェイ・テクノロジーズ", str)
    assert key is not None and key.tokens == ("fawei", "technologies")
    assert sound_fold("fawei") == sound_fold("huawei")  # HU before a vowel is written F
    assert sound_fold("bijon") == sound_fold("vijon")  # V before a vowel is written B
    assert sound_fold("arkady") == sound_fold(strip_epenthesis(["arukaji"]))  # Japanese writes DI with ジ
    jsc = loanword_key("JSCロステック社", str)
    assert jsc is not None and jsc.tokens == ("rosutekku",) and jsc.legal == {"jsc", "ltd"}
    rosneft = loanword_key("ロスネフチ", str)
    assert rosneft is not None and sound_fold(rosneft.phonetics[0]) == sound_fold("rosneft")


def test_an_exact_sound_alerts_only_on_a_long_enough_word() -> None:
    parties = [
        Party(source="test", source_id=str(i), list="test", kind=PartyKind.ORGANISATION, name=name)
        for i, name in enumerate(["AEROFLOT", "HAMAS", "WAGNER", "SOTO"])
    ]
    screener = Screener.build([*parties, *PARTIES])
    cases = (("アエロフロート", "AEROFLOT", False), ("ハマス", "HAMAS", False), ("ワグネル", "WAGNER", False),
             ("ソト", "SOTO", True))  # fmt: skip
    for katakana, listed, capped in cases:
        query = loanword_key(katakana, screener.vocabulary.concept)
        assert query is not None
        (key,) = analyse(listed, screener.vocabulary)
        comparison = compare_loanword(query, key, screener.index.weight)
        assert comparison.pairs[0].similarity == 1.0
        assert (comparison.score == SHORT_CAP) is capped


def test_russian_and_german_names_as_katakana_hears_them() -> None:
    """A final G is heard devoiced (ベルク = -BERG), ト also writes a real TO (ヴィクトル = VIKTOR) and, in a long word,
    リ before a consonant a soft L (ヴェクセリベルク = VEKSELBERG); a short word keeps its I (マリコ is not MARKO)."""
    parties = [
        Party(source="test", source_id="1", list="test", kind=PartyKind.PERSON, name="VEKSELBERG, Viktor"),
        Party(source="test", source_id="2", list="test", kind=PartyKind.PERSON, name="MARKO"),
        Party(source="test", source_id="3", list="test", kind=PartyKind.PERSON, name="YANUKOVYCH, Viktor"),
        Party(source="test", source_id="4", list="test", kind=PartyKind.PERSON, name="DERIPASKA, Oleg Vladimirovich"),
    ]
    screener = Screener.build([*parties, *PARTIES])
    vekselberg, marko, yanukovych, deripaska = (analyse(p.name, screener.vocabulary, person=True)[0] for p in parties)
    similarities = {}
    for katakana, listed in (("ヴィクトル・ヴェクセルベルク", vekselberg), ("ヴィクトル・ヴェクセリベルク", vekselberg),
                             ("マリコ", marko), ("ヴィクトル・ヤヌコーヴィチ", yanukovych),
                             ("オレグ・ウラジーミロヴィチ・デリパスカ", deripaska)):  # fmt: skip
        query = loanword_key(katakana, screener.vocabulary.concept)
        assert query is not None
        comparison = compare_loanword(query, listed, screener.index.weight)
        similarities[katakana] = sorted((pair.listed, pair.similarity) for pair in comparison.pairs)
    assert similarities["ヴィクトル・ヴェクセルベルク"] == [("vekselberg", 1.0), ("viktor", 1.0)]
    assert similarities["ヴィクトル・ヴェクセリベルク"] == [("vekselberg", 1.0), ("viktor", 1.0)]
    assert all(similarity < 1.0 for _, similarity in similarities["マリコ"])  # spelled alike, not the same sound
    # ヌ is a real NU (ン writes a lone N) and a final チ is also CH: ヤヌコーヴィチ sounds as YANUKOVYCH
    assert similarities["ヴィクトル・ヤヌコーヴィチ"] == [("viktor", 1.0), ("yanukovych", 1.0)]
    # an initial VL is written ウラ (ウラジーミル = VLADIMIR)
    assert similarities["オレグ・ウラジーミロヴィチ・デリパスカ"] == [("deripaska", 1.0), ("oleg", 1.0),
                                                              ("vladimirovich", 1.0)]
    for katakana in ("ヴィクトル・ヴェクセルベルク", "ヴィクトル・ヴェクセリベルク"):
        (best, *_) = screener.screen(Query(katakana, kind="person"))
        assert best.party.name == "VEKSELBERG, Viktor" and best.alert
        # a person's name heard word for word as listed words is judged as that Latin name, and says so
        assert best.explanation["heard_as"] == "viktor vekselberg"
        assert "英字名「viktor vekselberg」として判定" in explanation_text(best.explanation, "ja")
        assert best.explanation["query_key"]["kind"] == "latin" and best.explanation["query_name"] == katakana
        assert best.score == screener.screen(Query("Viktor Vekselberg", kind="person"))[0].score


def test_a_katakana_name_heard_only_in_part_is_not_judged_as_latin(real: Screener) -> None:
    # one word left over, or one word only: compared by sound, discounted, and no "heard_as"
    for katakana in ("ヴィクトル・ヴェクセルベルク・ノヴァク", "ヴェクセルベルク"):
        (best, *_) = real.screen(Query(katakana), top=3)
        assert "VEKSELBERG" in best.matched_name
        assert "heard_as" not in best.explanation and best.explanation["method"] == METHOD
