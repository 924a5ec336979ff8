"""Names as officers write them (issue 9): alternates in parentheses, legal forms, generic words, scripts.

The list entries are the real ones (METI's 外為法 Russia list, METI's End User List, MOFCOM, the CSL and SDN
files in ../shared); persons and a few organisations written in other scripts are hand-made where the
lists have no such pair.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from matching_parties import PARTIES, org, person

from techguard.lists.formats import get_format
from techguard.lists.model import Party
from techguard.matching import Match, Query, Screener
from techguard.matching.loanwords import compare_loanword, loanword_key, transcription_key
from techguard.matching.pair_model import FEATURES, load_model
from techguard.matching.query_forms import alternate_names
from techguard.matching.tokens import analyse
from techguard.matching.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def real(shared: Path) -> Screener:
    lists = shared / "lists"
    ban = lists / "jp_meti_russia_belarus_lists_2025-09-12"
    parties: list[Party] = [
        *get_format("meti_ban_text").parse(sorted(ban.glob("*tokutei*.txt"))).parties,
        *get_format("meti_eul_json").parse([lists / "jp_meti_end_user_list_2025-09-29" / "jp.json"]).parties,
        *get_format("mofcom_json").parse([lists / "cn_mofcom_lists_2026-07-19" / "cn.json"]).parties,
        *get_format("csl_csv").parse([lists / "us_csl_2023-11-30" / "csl.csv"]).parties,
    ]
    return Screener.build(parties)


EXTRA = [
    person("ko1", "KIM Jong Un"),
    person("ko2", "PAK Pong Ju"),
    person("ko3", "KIM Song Chol"),
    person("ar1", "MOHAMED AMIN MOSTAFA"),
    person("ar2", "MOHAMMAD AHMADI"),
    person("he1", "David LEVI"),
    person("he2", "Moshe COHEN"),
    person("gr1", "Alexandros PAPADOPOULOS"),
    person("gr2", "Georgios NIKOLAIDIS"),
    org("hs1", "HENSOLDT AG"),
    org("lk1", "LOCKHEED MARTIN CORPORATION"),
    org("jm1", "JMU Defense Systems Co., Ltd."),
    org("rl1", "ROSTEC LOGISTICS LLC"),
    org("rl2", "ROSTEC"),
    org("nl1", "NOVA LASER CORPORATION"),
    org("nl2", "NOVA INDUSTRIES"),
    org("tb1", "TBK HOLDING"),
    org("tb2", "ARGO HOLDING"),
    org("sr1", "SRL TRADING"),
    person("cj1", "CANO, Jhonny"),
    org("se1", "Shiraz Electronics Industries (SEI)"),
]


@pytest.fixture(scope="module")
def small() -> Screener:
    return Screener.build([*PARTIES, *EXTRA])


def _top(screener: Screener, name: str) -> Match:
    matches = screener.screen(Query(name), top=3)
    assert matches, f"no candidate at all for {name!r}"
    return matches[0]


def _alerts(screener: Screener, name: str) -> list[str]:
    return [m.matched_name for m in screener.screen(Query(name), top=5) if m.alert]


# ----------------------------------------------------------------------------- query alternates


def test_parenthesised_and_slashed_alternates() -> None:
    assert alternate_names("スコルコボ科学技術大学（Skoltech）") == [
        "スコルコボ科学技術大学（Skoltech）",
        "スコルコボ科学技術大学",
        "Skoltech",
    ]
    assert alternate_names("Rosatom / Росатом") == ["Rosatom / Росатом", "Rosatom", "Росатом"]
    # a place or a generic word in parentheses is not a name of its own
    assert alternate_names("Huawei Technologies (Shanghai)", frozenset({"shanghai"})) == [
        "Huawei Technologies (Shanghai)"
    ]
    assert alternate_names("A/S Tallinn") == ["A/S Tallinn"]  # a slash inside a legal form


@pytest.mark.parametrize("query", ["スコルコボ科学技術大学（Skoltech）", "Skoltech", "スコルテク"])
def test_skoltech_alerts_on_metis_entry(real: Screener, query: str) -> None:
    top = _top(real, query)
    assert top.alert, (query, top.matched_name, top.score)
    assert "Skolkovo Institute of Science and Technology" in [n.value for n in top.party.all_names]


@pytest.mark.parametrize("query", ["株式会社SUBARU", "株式会社スバル", "SUBARU CORPORATION"])
def test_subaru_written_any_way(real: Screener, query: str) -> None:
    top = _top(real, query)
    assert top.alert and top.party.name == "SUBARU Corporation", (top.matched_name, top.score)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("中国航天科工集団有限公司", "CHINA AEROSPACE SCIENCE AND INDUSTRY"),  # 科工 = science and industry
        ("国防科技大学", "NATIONAL UNIVERSITY OF DEFENSE TECHNOLOGY"),  # 国防 = national defence
        # 防衛 folds to 防卫 (OpenCC's jp2t alone gives the old variant 衞, which t2s keeps)
        ("イスラム革命防衛隊", "ISLAMIC REVOLUTIONARY GUARD CORPS"),
    ],
)
def test_japanese_kanji_names_of_chinese_entities(real: Screener, query: str, listed: str) -> None:
    top = _top(real, query)
    assert top.alert and listed in top.party.name.upper(), (top.party.name, top.score)
    assert top.explanation["query_key"]["kind"] == "translated"


def test_a_katakana_place_before_kanji_is_written_in_its_own_characters(real: Screener) -> None:
    # ハルビン工業大学: read and translated, "Harbin university of technology" is not Harbin *Institute* of
    # Technology; with the place in Chinese characters it is the listing's Chinese name, 哈尔滨工业大学
    assert alternate_names("ハルビン工業大学")[-1] == "哈尔滨工業大学"
    top = _top(real, "ハルビン工業大学")
    assert top.alert and "HARBIN INSTITUTE OF TECHNOLOGY" in top.party.name.upper(), (top.party.name, top.score)
    assert alternate_names("ハルビン") == ["ハルビン"]  # a place alone is no name
    assert alternate_names("DJI社") == ["DJI社", "DJI"]  # 社 after a Latin or katakana name: the company
    assert alternate_names("新華社") == ["新華社"]  # after kanji it may be a word of the name
    assert _alerts(real, "ペキン大学") == []  # 北京大学 is a generic name


# ------------------------------------------------------------------------- generic words weigh little


@pytest.mark.parametrize(
    "query",
    ["東京大学", "北京大学", "T&D", "電子航法研究所", "SCI Research Institute", "上海大学", "京都大学", "Research Institute of Science",
     "National University"],
)  # fmt: skip
def test_generic_names_do_not_alert(real: Screener, query: str) -> None:
    assert _alerts(real, query) == []


def test_distinctive_word_still_alerts_beside_generic_words(real: Screener) -> None:
    top = _top(real, "北京理工大学")
    assert top.alert and "Beijing Institute of Technology" in [n.value for n in top.party.all_names]


# ------------------------------------------------------------------------------------- legal forms


def test_a_legal_form_never_swallows_the_only_distinctive_word() -> None:
    vocabulary = Vocabulary()
    assert analyse("TBK HOLDING", vocabulary)[0].tokens == ("tbk", "holding")
    assert analyse("SRL TRADING", vocabulary)[0].tokens == ("srl", "trading")
    # ... but is still a legal form beside a distinctive word
    assert analyse("ARGO HOLDING TBK", vocabulary)[0].tokens == ("argo",)


def test_legal_form_lookalike_decides_the_match(small: Screener) -> None:
    assert _alerts(small, "TBK HOLDING") == ["TBK HOLDING"]
    assert _alerts(small, "SRL TRADING") == ["SRL TRADING"]


# ------------------------------------------------------------------------------ scripts and sounds


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김정은", "KIM Jong Un"),
        ("박봉주", "PAK Pong Ju"),
        ("דוד לוי", "David LEVI"),
        ("محمد أمين مصطفى", "MOHAMED AMIN MOSTAFA"),
        ("محمد احمدی", "MOHAMMAD AHMADI"),
        ("משה כהן", "Moshe COHEN"),
        ("Αλέξανδρος Παπαδόπουλος", "Alexandros PAPADOPOULOS"),
        ("亨索尔特", "HENSOLDT AG"),
        ("JMU防务系统株式会社", "JMU Defense Systems Co., Ltd."),
        ("ロステック・ロジスティクス", "ROSTEC LOGISTICS LLC"),
        ("ノヴァ・レーザー", "NOVA LASER CORPORATION"),
    ],
)
def test_other_scripts_reach_the_latin_listing(small: Screener, query: str, listed: str) -> None:
    top = _top(small, query)
    assert top.matched_name == listed, (query, top.matched_name, top.score)
    assert top.alert, (query, top.score, top.explanation["pair_model"])


@pytest.mark.parametrize(
    "query",
    [
        "은정 김",  # 은정 (un jong) is not 정은 (jong un): given-name syllables keep their order
        "상철 김",  # a syllable is a character: 상 (sang) is not 송 (song)
        "کیان جهانی",  # KYAN JAHANI: two consonants and another first letter are not CANO JHONNY
        "成 莫",  # one kanji read aloud (SEI) is not the acronym SEI
    ],
)
def test_script_matches_stay_precise(small: Screener, query: str) -> None:
    assert _alerts(small, query) == []


@pytest.fixture(scope="module")
def renderings() -> Screener:
    return Screener.build(
        [
            *PARTIES,
            org("fo1", "Fortunio Co., Ltd."),
            org("fo2", "FORTUNE TRADING"),
            org("hr1", "FN Herstal, Fabrique Nationale de Herstal"),
            org("hr2", "HESTIA HOLDINGS"),
            org("st1", "Institute of Science Tokyo"),
            org("st2", "Shenzhen Science University"),
        ]
    )


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Xinhua's transcriptions leave out an R after a vowel: fu-tu-ni-ao = FO(R)TUNIO, he-si-ta-er = HE(R)STAL
        ("福图尼奥株式会社", "Fortunio Co., Ltd."),
        ("赫斯塔尔公司", "FN Herstal, Fabrique Nationale de Herstal"),
        # a Japanese place as Chinese writes it is its Japanese name, not its pinyin (东京 = TOKYO, not DONGJING)
        ("东京科学大学", "Institute of Science Tokyo"),
    ],
)
def test_chinese_renderings_of_foreign_names_find_the_listing(
    renderings: Screener, query: str, listed: str
) -> None:
    top = _top(renderings, query)
    assert top.matched_name == listed, (query, top.matched_name, top.score)


def test_a_silent_r_is_left_out_only_of_chinese_transcriptions(renderings: Screener) -> None:
    vocabulary = Vocabulary([])
    listed = analyse("HERSTAL", vocabulary)[0]
    transcribed = transcription_key("赫斯塔尔", vocabulary.concept)
    heard = loanword_key("ヘスタル", vocabulary.concept)  # katakana writes the R it hears (ヘルスタル)
    assert transcribed is not None and heard is not None
    assert compare_loanword(transcribed, listed, lambda _: 1.0).pairs[0].similarity == 1.0
    assert compare_loanword(heard, listed, lambda _: 1.0).score < 1.0
    # generic words and a place alone never alert, whatever script the place is written in
    assert _alerts(renderings, "东京大学") == []


def test_loanword_terms_do_not_match_a_different_name(small: Screener) -> None:
    assert "ROSTEC LOGISTICS LLC" not in _alerts(small, "ノヴァ・ロジスティクス")


# ------------------------------------------------------------------------------------- the model


def test_every_hit_explains_its_score_feature_by_feature() -> None:
    top = _top(Screener.build([*PARTIES, *EXTRA], use_model=True), "ROSTEC LOGISTICS")
    explained = top.explanation["pair_model"]
    model = load_model()
    assert explained["model"] == model.version
    names = set(FEATURES) | {f"{a} × {b}" for a in FEATURES for b in FEATURES}
    assert set(explained["features"]) <= names
    assert any(" × " in name for name in explained["features"])  # the products are explained too
    log_odds = explained["bias"] + sum(t["contribution"] for t in explained["features"].values())
    assert abs(1 / (1 + 2.718281828459045**-log_odds) - top.explanation["name_score"]) < 0.01


def test_no_aligned_word_is_no_match() -> None:
    model = load_model()
    assert model.probability((0.0,) * len(FEATURES)) == 0.0
