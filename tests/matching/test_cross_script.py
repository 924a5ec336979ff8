"""Romanisation and translation gaps of issue 9, as regression tests built from list data or a stated rule.

- Ukrainian/Belarusian ↔ Russian romanisations: the SDN list itself spells one person both ways
  (KAZAKEVICH, Henadz / Gennadi; PAULICHENKA, Dzmitry / Dmitry). Every SDN person whose names carry a word
  and the same word with Г as H instead of G, or ДЗ as DZ instead of D, is queried by that name while the
  names sharing a given-name word with it are hidden: what is left is the Russian spelling only.
- Russian transliteration ↔ translation: the consolidated non-SDN list gives VTB NEDVIZHIMOST, OOO and
  VTB REAL ESTATE, LLC for one party; the first is hidden and queried.
- Greek: names English took from Greek drop the nominative ending, -ros after a consonant becoming -er.
- Arabic: the vowels Arabic leaves unwritten are spelled differently by every romanisation; the UN list
  gives persons' names in Arabic script beside OFAC-style romanisations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from matching_parties import person

from techguard.lists.formats import get_format
from techguard.lists.model import Party, PartyKind
from techguard.matching import Query, Screener
from techguard.matching.scoring import compare
from techguard.matching.screener import ABJAD_MODEL_FLOOR, MODEL_FLOOR
from techguard.matching.tokens import analyse, phonetic
from techguard.matching.translit import (
    abjad_skeleton,
    east_slavic_skeleton,
    greek_english_forms,
    hangul_to_latin,
)
from techguard.matching.vocabulary import Vocabulary
from techguard.text.fold import fold
from techguard.text.scripts import Script, scripts_of


@pytest.fixture(scope="module")
def sdn(shared: Path) -> tuple[Screener, list[Party]]:
    folder = shared / "lists" / "us_ofac_sdn_2021-07-07"
    files = [folder / f for f in ("sdn.csv", "add.csv", "alt.csv")]
    parties = list(get_format("ofac_sdn_csv").parse(files).parties)
    return Screener.build(parties), parties


def _words(name: str) -> list[str]:
    return fold(name).replace(",", " ").split()


def _slavic_variant_names(party: Party) -> Iterator[tuple[str, set[str]]]:
    """The party's names holding words whose Russian spelling (G for H, D for DZ) is also in its names,
    with those words."""
    words = {w for n in party.all_names for w in _words(n.value)}
    for name in party.all_names:
        variants = set()
        for word in _words(name.value):
            russian = word.replace("dz", "d")
            russian = russian[0].replace("h", "g") + russian[1:]
            if russian != word and russian in words:
                variants.add(word)
        if variants:
            yield name.value, variants


def test_ukrainian_and_belarusian_spellings_meet_the_russian_one(sdn: tuple[Screener, list[Party]]) -> None:
    screener, parties = sdn
    checked = 0
    for party in parties:
        if party.kind is not PartyKind.PERSON:
            continue
        for query, variants in list(_slavic_variant_names(party))[:1]:
            # every name spelling those words the Ukrainian/Belarusian way is hidden: the Russian spelling is left
            hidden = {n.value for n in party.all_names if variants & set(_words(n.value))}
            if len(hidden) == len(party.all_names):
                continue  # no name left without a shared given name
            matches = screener.screen_excluding(Query(query, kind="person"), party.key, hidden, top=3)
            assert matches and matches[0].party.key == party.key, (query, [m.matched_name for m in matches])
            assert matches[0].alert, (query, matches[0].matched_name, matches[0].score)
            checked += 1
    assert checked >= 3  # KAZAKEVICH, PAULICHENKA, LUKASHENKA, ...


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [
        ("hennadiy", "gennadiy"),
        ("dzmitry", "dmitry"),
        ("kharkiv", "kharkov"),
        ("uladzimiravich", "vladimirovich"),
        ("barsukou", "barsukov"),
    ],
)
def test_east_slavic_skeleton_joins_the_spellings(ukrainian: str, russian: str) -> None:
    assert east_slavic_skeleton(ukrainian) == east_slavic_skeleton(russian)


def test_east_slavic_skeleton_keeps_kh_zh_sh() -> None:
    # KH, ZH, SH, CH are one letter each (Х, Ж, Ш, Ч): their H is not Г
    assert east_slavic_skeleton("khan") != east_slavic_skeleton("gan")
    assert east_slavic_skeleton("shura") != east_slavic_skeleton("sgura")


def test_russian_transliteration_meets_its_translation(shared: Path) -> None:
    folder = shared / "lists" / "us_ofac_consolidated_nonsdn_2025-12-19"
    files = [folder / f for f in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv")]
    parties = list(get_format("ofac_cons_csv").parse(files).parties)
    screener = Screener.build(parties)
    checked = 0
    for party in parties:
        names = [n.value for n in party.all_names]
        russian = [n for n in names if "nedvizhimost" in _words(n)]
        if not russian:
            continue
        matches = screener.screen_excluding(Query(russian[0]), party.key, set(russian), top=3)
        assert matches and matches[0].party.key == party.key, (russian[0], [m.matched_name for m in matches])
        assert "real estate" in fold(matches[0].matched_name)
        assert matches[0].alert, (russian[0], matches[0].score)
        checked += 1
    assert checked >= 1  # VTB NEDVIZHIMOST, OOO ↔ VTB REAL ESTATE, LLC


# Greek names and the English names taken from them (through Latin); the rule, not a table, joins them
GREEK_NAMES = [
    ("Αλέξανδρος", "ALEXANDER"),
    ("Πέτρος", "PETER"),
    ("Χριστόφορος", "CHRISTOPHER"),
    ("Θεόδωρος", "THEODORE"),
    ("Κωνσταντίνος", "CONSTANTINE"),
    ("Νικόλαος", "NICHOLAS"),
]


@pytest.mark.parametrize(("greek", "english"), GREEK_NAMES)
def test_greek_given_names_reach_their_english_form(greek: str, english: str) -> None:
    listed = [person(f"gr{i}", f"PAPADOPOULOS, {name}") for i, (_g, name) in enumerate(GREEK_NAMES)]
    others = [person("x1", "PAPADOPOULOS, Michael"), person("x2", "ANDERSON, Peter")]
    screener = Screener.build([*listed, *others])
    top = screener.screen(Query(f"{greek} Παπαδόπουλος", kind="person"), top=3)[0]
    assert english in top.matched_name, (greek, top.matched_name)
    assert top.alert, (greek, top.score)


def test_greek_ending_rule() -> None:
    assert greek_english_forms("alexandros papadopoulos") == "alexander papadopoul"
    assert greek_english_forms("ilias") == "ili"  # the letter-by-letter key stays beside this one
    assert greek_english_forms("ares") == "ares"  # four letters or fewer: left alone


def test_greek_name_does_not_reach_a_different_name() -> None:
    screener = Screener.build([person("p1", "PAPADOPOULOS, Alexander"), person("p2", "PAPADOPOULOS, Andrew")])
    top = screener.screen(Query("Αντώνιος Παπαδόπουλος", kind="person"), top=3)
    assert not any(m.alert for m in top), [(m.matched_name, m.score) for m in top]


def _arabic_vowel_variant_names(party: Party) -> Iterator[tuple[str, set[str]]]:
    """The party's names holding a word that another of its names spells with other vowels: the same
    consonants (abjad_skeleton, three or more), another spelling."""
    words = {w for n in party.all_names for w in _words(n.value) if w.isalpha()}
    for name in party.all_names:
        variants = set()
        for word in _words(name.value):
            skeleton = abjad_skeleton(word)
            if len(skeleton) < 3 or len(word) < 4:
                continue
            if any(
                other != word and abjad_skeleton(other) == skeleton and other[0] == word[0]
                and phonetic(other) != phonetic(word)
                for other in words
            ):  # fmt: skip
                variants.add(word)
        if variants:
            yield name.value, variants


@pytest.fixture(scope="module")
def un_parties(shared: Path) -> list[Party]:
    path = shared / "lists" / "un_sc_consolidated_2026-02-27" / "UN_consolidated.xml"
    return list(get_format("un_sc_xml").parse([path]).parties)


def _ends_alike(a: str, b: str) -> bool:
    """Vowels *inside* the word differ, not its ending: both end in a vowel (a final H aside) or in the same
    consonant (ABDAL / ABDULLAH or BAKR / BOUBAKEUR are other forms, not other vowels)."""

    def ending(word: str) -> str:
        word = word[:-1] if len(word) > 3 and word.endswith("h") else word
        return "vowel" if word[-1] in "aeiouy" else word[-1]

    return ending(a) == ending(b)


def _vowel_variant_pairs(parties: list[Party]) -> set[tuple[str, str]]:
    """Word pairs one UN person's names spell with other vowels (the publisher's own variants)."""
    pairs: set[tuple[str, str]] = set()
    for party in parties:
        if party.kind is not PartyKind.PERSON:
            continue
        words = {w for n in party.all_names for w in _words(n.value) if w.isalpha()}
        for _name, variants in _arabic_vowel_variant_names(party):
            for word in variants:
                pairs.update(
                    (min(word, other), max(word, other))
                    for other in words
                    if other != word
                    and other[0] == word[0]
                    and abjad_skeleton(other) == abjad_skeleton(word)
                    and phonetic(other) != phonetic(word)
                    and _ends_alike(word, other)
                )
    return pairs


def test_arabic_vowel_variants_are_the_same_word(un_parties: list[Party]) -> None:
    """Every pair of spellings the UN list itself gives for one person's name (SELMAN / SULAYMAN,
    NAUSHAD / NOWSHAD) is compared as the same word with other vowels."""
    vocabulary = Vocabulary({})
    pairs = _vowel_variant_pairs(un_parties)
    assert len(pairs) >= 50
    missed = []
    for a, b in sorted(pairs):
        ka, kb = analyse(a, vocabulary, person=True)[0], analyse(b, vocabulary, person=True)[0]
        if compare(ka, kb, lambda _w: 1.0).score < 0.75:
            missed.append((a, b))
    assert len(missed) <= 0.02 * len(pairs), missed[:20]


def test_arabic_article_written_joined_reaches_the_listing(un_parties: list[Party]) -> None:
    """UN entries give a person's name in Arabic script (the article joined: الحبو) beside its romanisation
    (AL HABBO). Queried in Arabic script with every Arabic-script name hidden, the entry is found among the
    first five through its romanised names."""
    screener = Screener.build(un_parties)
    found = checked = 0
    for party in un_parties:
        arabic = {n.value for n in party.all_names if scripts_of(n.value) & {Script.ARABIC}}
        if not arabic or len(arabic) == len(party.all_names) or party.kind is not PartyKind.PERSON:
            continue
        query = sorted(arabic)[0]
        if not any(w.startswith("ال") for w in query.split()):
            continue
        matches = screener.screen_excluding(Query(query), party.key, arabic, top=5)
        checked += 1
        found += any(m.party.key == party.key for m in matches)
    assert checked >= 30
    assert found / checked >= 0.65, (found, checked)  # 134 of 199 (0.49 before the article was split off)


def test_spellings_that_fold_alike_are_one_word_even_when_short(sdn: tuple[Screener, list[Party]]) -> None:
    """Words of one SDN party's names that fold to the same sound (NOOR / NOUR, ZAID / ZAYD) compare as the
    same word, also when the folded form has three letters or fewer (nur)."""
    _screener, parties = sdn
    vocabulary = Vocabulary({})
    pairs = set()
    for party in parties:
        words = {w for n in party.all_names for w in _words(n.value) if w.isalpha() and len(w) >= 4}
        pairs.update(
            (a, b)
            for a in words
            for b in words
            if a < b and phonetic(a) == phonetic(b) and len(phonetic(a)) <= 3
        )
    assert len(pairs) >= 5
    for a, b in sorted(pairs):
        ka, kb = analyse(a, vocabulary, person=True)[0], analyse(b, vocabulary, person=True)[0]
        assert compare(ka, kb, lambda _w: 1.0).score >= 0.9, (a, b)


@pytest.mark.parametrize(
    ("arabic", "listed"),
    [("حسن نصر الله", "NASRALLAH, Hasan"), ("عبد الرحمن الحسن", "ABDULRAHMAN AL-HASAN")],
)
def test_arabic_compounds_written_as_one_word_reach_the_listing(arabic: str, listed: str) -> None:
    # نصر الله / NASRALLAH, عبد الرحمن / ABDULRAHMAN: the romanisation joins what Arabic writes apart
    party = person("cp1", listed)
    screener = Screener.build([party, person("cp2", "Hasan NASR"), person("cp3", "Omar AL-RAHMAN")])
    top, second = screener.screen(Query(arabic, kind="person"))[:2]
    assert top.party is party and top.score >= 0.75 and second.score < top.score - 0.15, (top.party.name, top.score)
    assert top.explanation["query_key"]["words"][0] in ("hsn", "bdlrhmn")  # the joined key met it


@pytest.mark.parametrize(
    ("arabic", "listed"),
    [
        # ذ ض ظ are Z in Persian, Urdu and Pashto names; the Arabic script's letters romanise as D or DH
        ("فضل محمد مظلوم", "FAZL MOHAMMAD MAZLOOM"),
        # an initial ع is written as a vowel or not at all: عصام = ISAM, عبد = ABDUL
        ("عبدالجبار عمری", "ABDUL JABBAR OMARI"),
        ("عبدالمنان نیازی", "ABDUL MANAN NYAZI"),  # aligned at 0.46 before, and judged by the model from there
    ],
)
def test_arabic_script_meets_persian_and_arabic_romanisations(arabic: str, listed: str) -> None:
    vocabulary = Vocabulary([])
    query = analyse(arabic, vocabulary, person=True)
    target = analyse(listed, vocabulary, person=True)[0]
    assert max(compare(key, target, lambda _w: 1.0, abbreviations=False).score for key in query) >= 0.9


def test_loose_arabic_consonants_stay_within_the_script() -> None:
    vocabulary = Vocabulary([])

    def score(query: str, listed: str) -> float:
        keys = analyse(query, vocabulary, person=True), analyse(listed, vocabulary, person=True)
        return compare(keys[0][0], keys[1][0], lambda _w: 1.0).score

    assert score("Ian OWENS", "يونس") < 0.5  # an initial ي is a consonant (Y), not a vowel to pass over
    assert score("DAWOOD", "زاهد") < 0.5  # Z as D only where the consonants then agree (ZAHID is not DAWOOD)


def test_a_linking_word_is_not_two_arabic_consonants() -> None:
    # NZ (from الناز) shares N and Z≈D with AND, a word that names nothing
    vocabulary = Vocabulary([])
    query = analyse("الناز سلطانی", vocabulary, person=True)[0]
    listed = analyse("AL SULTAN GOLD & JEWELRY", vocabulary)[0]
    assert all(pair.listed != "and" for pair in compare(query, listed, lambda _w: 1.0).pairs)


def test_korean_initial_rieul_is_r() -> None:
    # North Korean names are listed with R for a syllable-initial ㄹ (RI, RYONG); a final one stays L
    assert hangul_to_latin("리병철") == "ri pyong chol"
    assert hangul_to_latin("최룡해") == "choe ryong hae"
    assert hangul_to_latin("김일성") == "kim il song"


@pytest.mark.parametrize(
    ("written", "latin"),
    [("Олег Дерипаска", "Oleg Deripaska"), ("Игорь Сечин", "Igor Sechin"), ("Аркадий Ротенберг", "Arkadiy Rotenberg")],
)
def test_a_name_romanised_into_the_listed_words_scores_as_the_latin_name(
    sdn: tuple[Screener, list[Party]], written: str, latin: str
) -> None:
    # the same words met the same listing: an alert means the same whatever script the officer typed
    # (Аркадий romanises as ARKADII, one letter from the typed ARKADIY: a spelling, judged as in Latin)
    screener, _ = sdn
    romanised, typed = screener.screen(Query(written))[0], screener.screen(Query(latin))[0]
    assert romanised.party is typed.party and romanised.alert and abs(romanised.score - typed.score) < 0.01
    assert romanised.explanation["query_key"]["kind"] == "translit"


@pytest.mark.parametrize(("arabic", "listed"), [("طارق عزيز", "TARIQ AZIZ")])
def test_the_model_judges_arabic_script_queries_from_a_lower_floor(un_parties: list[Party], arabic: str, listed: str) -> None:
    # consonant matches align low even when right (0.47 here): the model judges an Arabic-script query
    # from ABJAD_MODEL_FLOOR, and these UN entries alert once their own Arabic-script name is hidden
    screener = Screener.build(un_parties)
    owner = next(p for p in un_parties if any(n.value == arabic for n in p.all_names))
    top = screener.screen_excluding(Query(arabic), owner.key, [arabic])[0]
    assert top.party is owner and top.alert and top.party.name.upper() == listed
    assert ABJAD_MODEL_FLOOR <= top.explanation["alignment_score"] < MODEL_FLOOR
    assert top.explanation["pair_model"]["judged"] is True
