"""Name analysis steps, each with real examples from the lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from techguard.matching.abbreviations import align_span
from techguard.matching.chinese import pinyin
from techguard.matching.japanese import fold_long_vowels, reading
from techguard.matching.legal_forms import forms_agree, split_cjk_legal_forms, split_legal_forms
from techguard.matching.tokens import KeyKind, analyse, looks_like_person, looks_like_personal_name, phonetic
from techguard.matching.translit import cyrillic_to_latin, to_latin
from techguard.matching.vocabulary import Vocabulary, learn_pairs, stem
from techguard.text.fold import fold
from techguard.text.han import fold_han


def test_russian_romanisation_follows_ofac() -> None:
    assert cyrillic_to_latin("Щука") == "Shchuka"
    assert cyrillic_to_latin("Цифровые") == "Tsifrovye"
    assert cyrillic_to_latin("Русские Решения") == "Russkie Resheniya"
    assert to_latin("Αθήνα") == "Athina"


def test_han_variants_fold_to_one_form() -> None:
    simplified = fold_han("中国电子科技集团公司")
    assert fold_han("中國電子科技集團公司") == simplified
    assert fold_han("中国電子科技集団公司") == simplified
    # 衛 is both a shinjitai and a traditional form: jp2t alone turns it into the old variant 衞
    assert fold_han("防衛") == fold_han("防卫") == "防卫"
    assert fold_han("労働") == fold_han("勞働")  # a shinjitai only jp2t knows still folds
    assert pinyin("中国") == "zhong guo"


def test_japanese_reading_folds_long_vowels() -> None:
    assert reading("東京大学") == "tokyo daigaku"
    assert reading("トヨタ自動車") == "toyota jidosha"
    assert fold_long_vowels("Toukyou") == "tokyo"


def test_legal_forms_latin_russian_and_cjk() -> None:
    assert split_legal_forms(tuple(["shervud", "premer", "ooo"])) == (("shervud", "premer"), ("llc",))
    core, forms = split_legal_forms(
        tuple(["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu", "gazprom", "flot"])
    )
    assert core == ("gazprom", "flot") and forms == ("llc",)
    assert split_legal_forms(tuple(["ao", "promtekh"])) == (("promtekh",), ("jsc",))
    # a short form only counts at either end of the name
    assert split_legal_forms(tuple(["bank", "ao", "lanka"]))[1] == ()
    # a name that is only a legal form keeps its words
    assert split_legal_forms(("company",)) == (("company",), ())
    assert split_cjk_legal_forms(fold_han("三菱重工業株式会社")) == ("三菱重工业", ("jsc",))
    assert split_cjk_legal_forms(fold_han("国立大学法人東京大学"))[1] == ("public",)
    assert split_cjk_legal_forms(fold_han("华为技术有限公司")) == ("华为技术", ("ltd",))


def test_legal_forms_agree_across_languages() -> None:
    assert forms_agree(frozenset({"jsc"}), frozenset({"jsc"})) is True
    assert forms_agree(frozenset({"jsc"}), frozenset({"llc"})) is None  # generic company forms are compatible
    assert forms_agree(frozenset({"state"}), frozenset({"llc"})) is False
    assert forms_agree(frozenset(), frozenset({"llc"})) is None


def test_analyse_gives_native_reading_and_pinyin_keys() -> None:
    keys = analyse("三菱重工業株式会社", Vocabulary())
    kinds = {k.kind: k for k in keys}
    assert kinds[KeyKind.NATIVE].tokens == ("三菱重工业",)
    assert kinds[KeyKind.READING].tokens == ("mitsubishi", "ju", "kogyo")
    assert KeyKind.PINYIN in kinds
    assert kinds[KeyKind.NATIVE].legal == {"jsc"}
    keys = analyse("Общество с ограниченной ответственностью Русские Цифровые Решения", Vocabulary())
    assert keys[0].kind is KeyKind.TRANSLIT
    assert keys[0].concepts == ("russia", "digital", "solutions")
    assert keys[0].legal == {"llc"}


def test_person_names_in_last_first_form() -> None:
    assert looks_like_person("AL-QAYSI, Nayif Salih Salim")
    assert not looks_like_person("SHERVUD PREMER, OOO")
    assert not looks_like_person("NATIONAL BANK OF CUBA")


def test_abbreviations() -> None:
    span = align_span("promtekh", ("promyshlennye", "tekhnologii"))
    assert span is not None and span.how == "syllabic"
    span = align_span("kcst", ("korean", "committee", "for", "space", "technology"))
    assert span is not None and span.how == "acronym" and (span.start, span.end) == (0, 5)
    span = align_span("aerocaribbean", ("aero", "caribbean"))
    assert span is not None and span.how == "compound"
    span = align_span("sovcomflot", ("sovremennyy", "kommercheskiy", "flot"))
    assert span is not None and span.how == "syllabic"
    assert align_span("kb", ("kathryn", "barr")) is None  # two letters are no acronym
    assert align_span("smith", ("john", "brown")) is None


def test_vocabulary_and_stems() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.concept("tsifrovye") == vocabulary.concept("digital")
    assert vocabulary.concept("intl") == vocabulary.concept("international")
    assert vocabulary.concept("comm") == vocabulary.concept("communications")
    assert vocabulary.concept("grp") == "group"
    # inflected forms meet through their stem: KOMMERCHESKI is not in the table, KOMMERCHESKII is
    assert vocabulary.concept("kommercheski") == vocabulary.concept("commercial")
    assert vocabulary.concept("kathryn") == "kathryn"
    assert stem("systems") == stem("system")
    assert phonetic("tekhnopromexport") == phonetic("tekhnopromeksport")
    assert phonetic("obschestvo") == phonetic("obshchestvo")


def test_vocabulary_bridges_translit_and_translation_across_languages() -> None:
    vocabulary = Vocabulary()
    same = [
        ("obedinennaya", "united"),  # Russian
        ("priborostroitelnyi", "instrument"),
        ("kinostudiya", "studio"),
        ("fanavari", "technology"),  # Persian
        ("pajouheshgah", "institute"),
        ("mosallah", "armed"),
        ("keji", "technology"),  # Mandarin pinyin
        ("yanjiusuo", "institute"),
        ("zhongguo", "china"),
        ("unhaeng", "bank"),  # Korean
        ("choson", "korea"),
        ("havapeyma", "aircraft"),  # Persian: HAVAPEYMA SAZI = aircraft manufacturing
        ("sazi", "manufacturing"),
        ("ihracat", "export"),  # Turkish
        ("importadora", "import"),  # Spanish
    ]
    for word, english in same:
        assert vocabulary.concept(word) == vocabulary.concept(english), word
    # written-out and abbreviated legal forms across languages
    assert split_legal_forms(("beijing", "haili", "keji", "youxian", "gongsi"))[1] == ("ltd",)
    assert split_legal_forms(("zhongguo", "jingmi", "jixie", "zonggongsi"))[1] == ("ltd",)
    assert split_legal_forms(("calidus", "trade", "doo"))[1] == ("llc",)
    # inflected and "of open type" Russian forms, Russian state-institution abbreviations
    core, forms = split_legal_forms(
        tuple(["aktsionernoe", "obshchestvo", "otkrytogo", "tipa", "volgogradneftemash"])
    )
    assert core == ("volgogradneftemash",) and set(forms) == {"jsc"}
    assert split_legal_forms(("fgau", "vit", "era"))[1] == ("state",)


def test_vocabulary_learns_only_recurring_pairs() -> None:
    entities = [
        [("lizing", "alpha"), ("leasing", "alpha")],
        [("lizing", "beta"), ("leasing", "beta")],
        [("gamma", "lizing"), ("gamma", "leasing")],
        [("once", "only"), ("single", "pair")],
    ]
    learnt = learn_pairs(entities)
    assert learnt["lizing"] == learnt["leasing"]
    assert "once" not in learnt and "single" not in learnt


@settings(max_examples=50)
@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), max_size=30))
def test_analyse_never_fails(text: str) -> None:
    for key in analyse(text, Vocabulary()):
        assert key.tokens
        assert len(key.tokens) == len(key.concepts) == len(key.stems)


def test_name_like_short_forms_must_be_written_as_forms() -> None:
    assert split_legal_forms(tuple(fold("Thomas Sá").split()), "Thomas Sá") == (("thomas", "sa"), ())
    assert split_legal_forms(tuple(fold("Sidanco S.A.").split()), "Sidanco S.A.") == (("sidanco",), ("jsc",))
    assert split_legal_forms(tuple(fold("GAZPROM PAO").split()), "GAZPROM PAO") == (("gazprom",), ("jsc",))
    assert split_legal_forms(tuple(fold("Huawei Co., Ltd.").split()), "Huawei Co., Ltd.") == (
        ("huawei",),
        ("ltd",),
    )


def test_partial_readings_are_dropped() -> None:
    assert reading("丹 乔") == ""  # 乔 is simplified Chinese, outside the Japanese dictionary
    kinds = [k.kind for k in analyse("丹 乔", Vocabulary())]
    assert KeyKind.READING not in kinds and KeyKind.PINYIN in kinds


def test_mixed_cell_is_split_into_two_renderings() -> None:
    keys = analyse("Amroggang Development Bank (鴨緑江開発銀行)", Vocabulary())
    latin = [k for k in keys if k.kind is KeyKind.LATIN]
    native = [k for k in keys if k.kind is KeyKind.NATIVE]
    assert latin[0].tokens == ("amroggang", "development", "bank")
    assert native[0].tokens == (fold_han("鴨緑江開発銀行"),)
    # a lone Latin word beside kanji stays part of the name
    assert [k.tokens for k in analyse("ABC商事", Vocabulary()) if k.kind is KeyKind.NATIVE] == [
        ("abc", "商事")
    ]


def test_personal_looking_names() -> None:
    vocabulary = Vocabulary()
    assert looks_like_personal_name("Pietra Ana Luiza Moura", vocabulary)
    assert not looks_like_personal_name("Korean Committee for Space Technology", vocabulary)
    assert not looks_like_personal_name("Acme Holdings", vocabulary)


def test_trailing_acronym_is_a_name_of_its_own() -> None:
    vocabulary = Vocabulary()
    keys = analyse("Korea Mining Development Trading Corporation (KOMID)", vocabulary)
    assert [k.tokens for k in keys] == [("korea", "mining", "development", "trading"), ("komid",)]
    # a place in parentheses is not an acronym, even in capitals
    assert len(analyse("LIMMT ECONOMIC AND TRADE COMPANY (DALIAN)", vocabulary)) == 1
    assert len(analyse("Foo Trading (Shanghai)", vocabulary)) == 1


def test_vowel_variants_of_romanised_names() -> None:
    from techguard.matching.scoring import word_similarity

    vocabulary = Vocabulary()
    [ihsan], [ehsan] = analyse("IHSAN", vocabulary), analyse("EHSAN", vocabulary)
    assert word_similarity(ihsan, 0, ehsan, 0)[0] >= 0.75
    [komid], [chimmed] = analyse("KOMID", vocabulary), analyse("CHIMMED", vocabulary)
    assert word_similarity(komid, 0, chimmed, 0)[0] == 0.0


def test_russian_cognates_meet_their_english_words_by_ending() -> None:
    from techguard.matching.vocabulary import cognate

    assert cognate("biologicheskogo") == "biological"
    assert cognate("informatsionnye") == "information"
    assert cognate("natsionalnaya") == "national"
    assert cognate("veronika") == "veronika"  # other words unchanged
    vocabulary = Vocabulary()
    russian = analyse("Sistemy Biologicheskogo Sinteza", vocabulary)[0]
    english = analyse("Systems of Biological Synthesis", vocabulary)[0]
    assert russian.stems[1] == english.stems[english.tokens.index("biological")]
    # a person's name is never rewritten
    assert analyse("ANALOGIYA, Ivan", vocabulary, person=True)[0].phonetics[0] == phonetic("analogiya")


def test_syllabic_abbreviation_skips_conjunctions_of_other_languages() -> None:
    span = align_span("imcomer", ("importadora", "y", "comercializadora"))  # Spanish "y" = and
    assert span is not None and span.how == "syllabic" and (span.start, span.end) == (0, 3)


def test_persian_ezafe_is_not_a_word_and_conjunctions_meet() -> None:
    vocabulary = Vocabulary()
    key = analyse("BONYAD-E SHAHID VA ISARGARAN", vocabulary)[0]
    assert key.tokens == ("bonyad", "shahid", "va", "isargaran")
    assert key.concepts[:3] == ("foundation", "martyr", "and")
    assert analyse("LASHKAR-I-TAIBA", vocabulary)[0].tokens == ("lashkar", "taiba")


def test_han_organisation_words_are_translated_and_the_rest_read_aloud() -> None:
    from techguard.matching.han_terms import translate

    assert translate("北京動力機械研究所") == ("beijing power machinery institute", 3)
    assert (
        translate("中国电子科技集团公司第二十八研究所")[0]
        == "china electronics technology group corporation 28 institute"
    )
    assert translate("三菱重工業", reading)[0].startswith("mitsubishi heavy")  # 三 is a name here, not 3
    assert translate("三十一研究所")[0] == "31 institute"
    keys = analyse("北京動力機械研究所", Vocabulary(), lang="zh")
    translated = [k for k in keys if k.kind is KeyKind.TRANSLATED]
    assert [k.tokens for k in translated] == [("beijing", "power", "machinery", "institute")]
    # an English ordinal is its number, as the translated one is
    assert analyse("CETC 28th Research Institute", Vocabulary())[0].tokens == (
        "cetc",
        "28",
        "research",
        "institute",
    )


def test_a_country_in_katakana_is_its_english_name_only_as_a_whole_word() -> None:
    from techguard.matching.han_terms import katakana_countries, translate

    assert katakana_countries()["ロシア"] == "russia" and katakana_countries()["ベラルーシ"] == "belarus"
    assert translate("ロシア鉄道", reading) == ("russia railway", 2)
    translated = [k.tokens for k in analyse("ベラルーシ・鉄道", Vocabulary()) if k.kind is KeyKind.TRANSLATED]
    assert translated == [("belarus", "railway")]
    # part of a longer katakana word is not the country: マリア is not Mali (マリ), リチャード not Chad (チャド)
    assert "mali" not in translate("マリア研究所", reading)[0].split()
    assert "chad" not in translate("リチャード研究所", reading)[0].split()


def test_compound_with_other_vowels_of_an_arabic_name() -> None:
    span = align_span("abdelmalek", ("abd", "al", "malik"))
    assert span is not None and span.how == "compound" and (span.start, span.end) == (0, 3)
    assert align_span("abdelmalek", ("abd", "al", "karim")) is None
