"""The screening engine end to end on hand-made parties (real names from the lists)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from matching_parties import PARTIES, org, person

from techguard.lists.model import Identifier, Name, NameType
from techguard.matching import ALGORITHM_VERSION, Query, Screener
from techguard.matching.batch import flatten
from techguard.matching.index import listed_index_keys, query_index_keys
from techguard.matching.scoring import compare
from techguard.matching.tokens import analyse
from techguard.matching.vocabulary import Vocabulary


def top_ids(screener: Screener, name: str, **kwargs: str) -> list[str]:
    return [m.party.source_id for m in screener.screen(Query(name, **kwargs))]


def test_translation_of_a_transliterated_name(screener: Screener) -> None:
    matches = screener.screen(Query("LIMITED LIABILITY COMPANY RUSSIAN DIGITAL SOLUTIONS"))
    assert matches[0].party.source_id == "1"
    assert matches[0].alert
    how = {w["how"] for w in matches[0].explanation["words"]}
    assert "vocabulary" in how
    assert matches[0].explanation["legal_form"]["agree"] is True  # LLC = OOO


def test_syllabic_abbreviation_and_legal_form_abbreviation(screener: Screener) -> None:
    matches = screener.screen(Query("AO PROMTEKH"))
    assert matches[0].party.source_id == "2"
    assert any(w["how"] == "syllabic" for w in matches[0].explanation["words"])


def test_acronym_and_compound(screener: Screener) -> None:
    assert top_ids(screener, "KCST")[0] == "3"
    assert top_ids(screener, "AERO-CARIBBEAN")[0] == "4"


def test_company_abbreviations(screener: Screener) -> None:
    matches = screener.screen(Query("GUANGZHOU HAIGE COMM GRP"))
    assert matches[0].party.source_id == "7" and matches[0].alert


def test_japanese_and_chinese(screener: Screener) -> None:
    assert top_ids(screener, "三菱重工業")[0] == "5"  # legal form missing
    assert top_ids(screener, "三菱重工业股份有限公司")[0] == "5"  # simplified, Chinese legal form
    assert top_ids(screener, "Mitsubishi Jukogyo")[0] == "5"  # a romanised reading
    # without a bilingual bridge, a Chinese name meets an English-only listing through its translated
    # organisation words (中國 china, 電子 electronics, 科技 technology, 集團 group)
    [match, *_] = screener.screen(Query("中國電子科技集團公司"))
    assert match.party.source_id == "6"
    assert match.explanation["query_key"]["kind"] == "translated"
    assert match.explanation["query_key"]["words"] == ["china", "electronics", "technology"]


def test_bridge_through_bilingual_sources() -> None:
    meti = org(
        "m1",
        "China Electronics Technology Group Corporation",
        names=(Name("中国电子科技集团公司", NameType.CHINESE, "zh"),),
    )
    csl_only = org("c1", "CHINA ELECTRONICS TECHNOLOGY GROUP CORPORATION", lst="us_entity_list")
    screener = Screener.build([csl_only], bridges=[meti])
    matches = screener.screen(Query("中國電子科技集團公司"))
    assert matches and matches[0].party.source_id == "c1"
    assert matches[0].explanation["bridged_via"] == "China Electronics Technology Group Corporation"
    pairs = Screener.build(
        [csl_only], bridges=[("中国电子科技集团公司", "China Electronics Technology Group")]
    )
    assert pairs.screen(Query("中国电子科技集团"))[0].party.source_id == "c1"


def test_cyrillic_query_meets_romanised_listing(screener: Screener) -> None:
    assert top_ids(screener, "Ким Чен Ын", kind="person")[0] == "11"
    assert top_ids(screener, "KIM JONG UN")[0] == "11"


def test_person_name_order_and_initials(screener: Screener) -> None:
    assert top_ids(screener, "Kathryn Ann Barr")[0] == "9"
    assert top_ids(screener, "Barr, K. A.")[0] == "9"
    assert top_ids(screener, "Mahmoud Khaled Zahar")[0] == "10"


def test_no_acronym_matches_for_people(screener: Screener) -> None:
    built = Screener.build([org("kb", "KB LINES LIMITED")])
    matches = built.screen(Query("Kathryn Barr"))
    assert not any(m.alert for m in matches)


def test_country_only_corroborates(screener: Screener) -> None:
    plain = screener.screen(Query("TRADING HOUSE NORTHERN STAR"))[0]
    same = screener.screen(Query("TRADING HOUSE NORTHERN STAR", country="AE"))[0]
    other = screener.screen(Query("TRADING HOUSE NORTHERN STAR", country="JP"))[0]
    assert other.score < plain.score <= same.score
    assert same.explanation["features"]["country"]["agree"] is True
    # a country alone never produces a hit: an unrelated name from the same country finds nothing alerting
    assert not any(m.alert for m in screener.screen(Query("Sunrise Bakery", country="IR")))


def test_birth_date_kind_and_identifier() -> None:
    passport = Identifier("Passport", "AB 123456")
    people = [
        person("p1", "HASSAN, Ali", dob=("1960",), identifiers=(passport,)),
        org("o1", "ALI HASSAN TRADING"),
    ]
    screener = Screener.build(people)
    near = screener.screen(Query("Ali Hassan", kind="person", dob="1960-01-01"))[0]
    far = screener.screen(Query("Ali Hassan", kind="person", dob="1990"))[0]
    assert near.party.source_id == "p1" and near.score > far.score
    assert near.explanation["features"]["birth_date"]["agree"] is True
    with_id = screener.screen(Query("Ali Hasan", identifier="AB123456"))[0]
    assert with_id.explanation["features"]["identifier"]["agree"] is True
    org_query = screener.screen(Query("Ali Hassan", kind="organisation"))
    person_hit = next(m for m in org_query if m.party.source_id == "p1")
    assert person_hit.explanation["features"]["kind"]["agree"] is False


def test_grouping_across_lists() -> None:
    parties = [
        org("sdn-1", "GAZPROMBANK JOINT STOCK COMPANY", lst="us_sdn"),
        org("ssi-1", "GAZPROMBANK JSC", "GAZPROMBANK JOINT STOCK COMPANY", lst="us_ssi"),
        org("sdn-2", "GAZPROMBANK AO", lst="us_sdn"),  # same list: a separate designation, never merged
    ]
    matches = Screener.build(parties).screen(Query("Gazprombank"))
    first = matches[0]
    assert {first.party.source_id, *(r.party.source_id for r in first.related)} == {"sdn-1", "ssi-1"}
    assert len(flatten(matches, 5)) == 3


def test_explanation_is_json_data(screener: Screener) -> None:
    match = screener.screen(Query("Bank Melli", country="IR"))[0]
    data = json.loads(json.dumps(match.explanation))
    assert data["algorithm"].startswith(ALGORITHM_VERSION + " (cutlet ")  # + language resources' versions
    assert data["threshold"] == screener.threshold
    for field in ("name_score", "query_name", "matched_name", "words", "unmatched_query_words",
                  "unmatched_listed_words", "legal_form", "features", "method"):  # fmt: skip
        assert field in data
    assert match.matched_name in {"BANK MELLI IRAN", "NATIONAL BANK OF IRAN"}


def test_unrelated_name_does_not_alert(screener: Screener) -> None:
    assert not any(m.alert for m in screener.screen(Query("Totally Unrelated Bakery")))


def test_screen_many_keeps_order_across_processes(screener: Screener) -> None:
    queries = [Query(p.name) for p in PARTIES] * 3
    seen: list[int] = []
    serial = [[m.party.key for m in ms] for ms in screener.screen_many(queries, workers=1)]
    forked = [
        [m.party.key for m in ms] for ms in screener.screen_many(queries, workers=2, progress=seen.append)
    ]
    assert serial == forked
    assert sum(seen) == len(queries)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([n.value for p in PARTIES for n in p.all_names]))
def test_a_listed_name_finds_itself_first(name: str) -> None:
    screener = _shared()
    matches = screener.screen(Query(name))
    owners = {p.key for p in PARTIES if name in {n.value for n in p.all_names}}
    assert matches and matches[0].party.key in owners
    assert matches[0].score >= screener.threshold


_SCREENER: list[Screener] = []


def _shared() -> Screener:
    if not _SCREENER:
        _SCREENER.append(Screener.build(PARTIES))
    return _SCREENER[0]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
names = st.lists(words, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=80)
@given(names, names)
def test_score_in_unit_interval_and_symmetric_on_exact_words(a: str, b: str) -> None:
    vocabulary = Vocabulary()
    ka, kb = analyse(a, vocabulary), analyse(b, vocabulary)
    if not ka or not kb:
        return
    forward = compare(ka[0], kb[0], lambda _: 1.0).score
    assert 0.0 <= forward <= 1.0
    assert compare(ka[0], ka[0], lambda _: 1.0).score == 1.0


def test_person_looking_query_gets_no_acronym_hit() -> None:
    built = Screener.build([org("palm", "PALM SERVICE LIMITED")])
    assert not any(m.alert for m in built.screen(Query("Pietra Ana Luiza Moura")))
    assert built.screen(Query("PALM SERVICE"))[0].alert


def test_screen_excluding_hides_one_name() -> None:
    built = Screener.build([org("a", "ALPHA BRAVO", "CHARLIE DELTA"), org("b", "CHARLIE DELTA ECHO")])
    assert built.screen(Query("CHARLIE DELTA"))[0].party.source_id == "a"
    assert (
        built.screen_excluding(Query("CHARLIE DELTA"), "test:a", {"CHARLIE DELTA"})[0].party.source_id == "b"
    )


def test_every_sampled_un_name_finds_its_own_entry_first(shared: Path) -> None:
    """On the real UN list: each listed name (primary, alias, original script) finds its own entry at the
    top score (several entries may share a name, so ties count)."""
    import random

    from techguard.lists.formats import get_format

    xml = shared / "lists" / "un_sc_consolidated_2026-02-27" / "UN_consolidated.xml"
    parties = get_format("un_sc_xml").parse([xml]).parties
    built = Screener.build(parties)
    names = [(p, n) for p in parties for n in p.all_names]
    for party, name in random.Random(5).sample(names, 80):
        matches = flatten(built.screen(Query(name.value), top=10), 10)
        assert matches, name.value
        best = matches[0].score
        assert any(m.party.key == party.key and m.score == best for m in matches), name.value


def test_a_legal_form_in_the_query_implies_an_organisation() -> None:
    built = Screener.build([person("p", "KIM, Chin-Sok"), org("o", "CHINA TELECOM CORPORATION LIMITED")])
    matches = built.screen(Query("China Telecom Corp Ltd"))
    assert matches[0].party.source_id == "o"
    person_hit = [m for m in matches if m.party.source_id == "p"]
    assert not person_hit or person_hit[0].explanation["features"]["kind"]["agree"] is False


def test_other_spacing_survives_many_names_sharing_a_common_word() -> None:
    # Thirty listed names share the common word SANAT (industry); the one written run together must still
    # reach the scorer for a query that splits it.
    prefixes = [
        "PARTO",
        "MAROU",
        "TIVA",
        "ASRE",
        "EBTEKAR",
        "TAJHIZ",
        "SHAKAD",
        "MATIN",
        "FANAVARAN",
        "ARTIN",
    ]
    parties = [org(f"s{i}", f"{p} SANAT {q}") for i, (p, q) in enumerate(
        (p, q) for p in prefixes for q in ("COMPANY", "GROUP", "KISH", "PARS", "ARAS", "SABZ", "YAR")
    )]  # fmt: skip
    parties.append(org("joined", "YARSANAT"))
    screener = Screener.build(parties)
    matches = screener.screen(Query("YAR SANAT"))
    assert matches[0].party.source_id == "joined" and matches[0].alert


def test_written_out_name_finds_its_syllabic_abbreviation_in_the_index() -> None:
    vocabulary = Vocabulary()
    listed = analyse("JOINT STOCK COMPANY SOVCOMFLOT", vocabulary)[0]
    query = analyse("PAO SOVREMENNYY KOMMERCHESKIY FLOT", vocabulary)[0]
    shared = query_index_keys(query) & listed_index_keys(listed)
    assert "y:so|ko" in shared  # SOVremennyy KOMmercheskiy: the c/k spelling folded
    screener = Screener.build([org("1", "JOINT STOCK COMPANY SOVCOMFLOT"), org("2", "GAZPROM FLOT, OOO")])
    matches = screener.screen(Query("PAO SOVREMENNYY KOMMERCHESKIY FLOT"))
    assert matches[0].party.source_id == "1"
    assert any(w["how"] == "syllabic" for w in matches[0].explanation["words"])


def test_run_together_names_ending_in_an_organisation_word() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.split_compound("uralmashzavod") == ("uralmash", "zavod")
    assert vocabulary.split_compound("international") == ("international",)  # a known word stays whole
    assert vocabulary.split_compound("vargas") == ("vargas",)  # too short to be a compound
    screener = Screener.build(
        [org("1", "URALMASHZAVOD OAO"), org("2", "SBERBANK"), org("3", "URAL AIRLINES")]
    )
    assert top_ids(screener, "URALMASH PLANT")[0] == "1"  # ZAVOD = PLANT
    matches = screener.screen(Query("SBER BANK"))
    assert matches[0].party.source_id == "2" and matches[0].alert


def test_voiced_and_voiceless_first_consonants_of_romanisations_meet() -> None:
    screener = Screener.build([org("1", "KOREA DAESONG BANK"), org("2", "KOREA TAESONG TRADING COMPANY")])
    [first, *_] = screener.screen(Query("TAESONG BANK"))
    assert first.party.source_id == "1"
    assert any(w["query"] == "taesong" and w["listed"] == "daesong" for w in first.explanation["words"])


def test_a_reading_of_two_characters_is_not_a_run_together_word() -> None:
    # 玲 潘 (a Chinese personal name) read as Japanese is "rei han": not the word REIHAN of a listed name
    screener = Screener.build([org("1", "ABU REIHAN GROUP")])
    for match in screener.screen(Query("玲 潘"), min_score=0.0):
        assert not match.alert
        assert all(w["how"] != "compound" for w in match.explanation["words"])


def test_russian_organisation_type_abbreviations_read_in_english() -> None:
    screener = Screener.build(
        [org("1", "Scientific Production Association Izhmash"), org("2", "Izhevsk Mechanical Plant")]
    )
    [first, *_] = screener.screen(Query("JSC NPO Izhmash"))
    assert first.party.source_id == "1" and first.alert


def test_one_rare_shared_word_outranks_several_common_ones_in_retrieval() -> None:
    from itertools import product

    syllables = ["ba", "ko", "ri", "tu", "me", "sa", "lo", "vi", "da", "ne"]
    words = ["".join(p) for p in product(syllables, repeat=4)]
    common = [org(f"c{i}", f"{words[i]} INTERNATIONAL TRADING COMPANY") for i in range(60)]
    filler = [org(f"f{i}", f"{words[100 + i]} {words[5000 + i]}") for i in range(2000)]
    screener = Screener.build([*common, *filler, org("k", "Kinglead Electronics Co., Ltd.")])
    assert "k" in top_ids(screener, "Kinglead International Trading Limited")
