"""Name analysis: one listed or queried name → the comparable *keys* it is matched through.

A Latin name gives one key. A Cyrillic, Greek, Arabic or Hangul name gives a romanised key. A Han/kana
name gives a native key (Han variants folded, legal forms stripped, compared by character bigrams) plus
a Japanese reading and/or Mandarin pinyin key depending on its language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from techguard.matching.chinese import japanese_forms, pinyin
from techguard.matching.han_terms import translate
from techguard.matching.japanese import reading
from techguard.matching.legal_forms import cjk_legal_form_span, split_legal_forms
from techguard.matching.legal_forms import table as _legal_form_table
from techguard.matching.translit import greek_english_forms, hangul_to_latin, to_latin
from techguard.matching.vocabulary import Vocabulary, cognate, stem
from techguard.matching.word_weights import GENERIC_WORDS
from techguard.text.fold import fold, split_cjk_runs
from techguard.text.han import fold_han
from techguard.text.korean_names import korean_name_reading
from techguard.text.scripts import Script, char_script, is_cjk, scripts_of

_TRAILING_PARENTHESIS = re.compile(r"^\s*([^()]*[^\s(][^()]*?)\s*\(([^()]+)\)\s*$")

# The Persian ezafe and the Urdu linking vowel written as a hyphenated suffix (BONYAD-E SHAHID, SANA'TI-YE,
# LASHKAR-I-TAIBA) say "of"; translations drop it, so it is not a word of the name.
_EZAFE = re.compile(r"(?<=[A-Za-z'])-(?:e|ye|yi|i)(?=[\s\-]|$)", re.IGNORECASE)

# Russian organisation-type abbreviations written as words, read out in English so that NPO IZHMASH meets
# SCIENTIFIC PRODUCTION ASSOCIATION IZHMASH (and NAUCHNO-PROIZVODSTVENNOE OBEDINENIE meets both through the
# vocabulary). Only abbreviations that are not also common words or initials elsewhere.
ORGANISATION_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "npo": ("scientific", "production", "association"),
    "npp": ("scientific", "production", "enterprise"),
    "npk": ("scientific", "production", "corporation"),
    "okb": ("experimental", "design", "bureau"),
    "skb": ("special", "design", "bureau"),
    "tskb": ("central", "design", "bureau"),
    "nii": ("research", "institute"),
    "tsnii": ("central", "research", "institute"),
    "nits": ("research", "center"),
    "ntts": ("scientific", "technical", "center"),
    # GNTs = Gosudarstvenny Nauchny Tsentr, the status officially given in English as State Research Center
    "gnts": ("state", "research", "center"),
}

# Soviet/Russian research-institute acronyms written as one word (GOSNIIOKHT, TSNIIKHM, CNIIXM): NII =
# Nauchno-Issledovatelsky Institut (scientific research institute), TS = Tsentralny (central), GOS =
# Gosudarstvenny (state). The letters after NII stand for the field, in words that are cognates of the English
# ones (KHimii = Chemistry, Mekhaniki = Mechanics, Organicheskoi = Organic, Tekhnologii = Technology), so they
# are read as English initials: the Cyrillic Х (KH, or X / H in other transliterations) and Ц (TS, C) are C.
# A bare NII + letters is left alone: NIILO, NIINA are Finnish first names (and NIIAO-style acronyms
# already meet their names letter by letter).
_RUSSIAN_INSTITUTE = re.compile(r"^(gos|ts|tc|c)nii([a-z]{2,4})$")
_INSTITUTE_PREFIXES: dict[str, tuple[str, ...]] = {"gos": ("state",), "ts": ("central",), "tc": ("central",),
                                                   "c": ("central",)}  # fmt: skip
_CYRILLIC_INITIALS = re.compile(r"kh|ts|x|(?<![cksz])h")  # not the H of SH, ZH, CH: MASH


def russian_institute(token: str) -> tuple[str, ...] | None:
    """``tsniikhm`` → central scientific research institute c m (the field as initials, see above)."""
    found = _RUSSIAN_INSTITUTE.match(token)
    if found is None:
        return None
    prefix, field = found.groups()
    initials_ = _CYRILLIC_INITIALS.sub("c", field)
    # an acronym aligns with a run of words from 3 letters on (abbreviations.align_span); two are initials
    field_words = (initials_,) if len(initials_) >= 3 else tuple(initials_)
    return (*_INSTITUTE_PREFIXES[prefix], "scientific", "research", "institute", *field_words)


# The Arabic article is written joined to its word (الحمزي) and romanised apart (AL-HAMZI, or left out): it
# is dropped, so that the word's consonants meet the romanised word's (الحمزي = HMZY = HAMZI, not LHMZY).
# Reading it as a word "al" found the same names but weighed every Latin AL less (a listed AL HEBO fell
# below the cut). Not before a ل: الله / اللہ (ALLAH, SANAULLAH) is one word.
_ARABIC_ARTICLE = re.compile(r"(?<!\S)\u0627\u0644(?=[^\s\u0644]\S)")
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[a-z]{3})(?=\d)")

# Russian case and adjective endings a stem of data/russian_phrases.tsv may carry (OFAC/BGN spelling)
_RUSSIAN_ENDINGS = frozenset(
    {"", "i", "y", "a", "e", "u", "o", "yi", "iy", "yy", "ii", "aya", "oe", "oye", "ye", "ie", "ogo", "omu",
     "ykh", "ikh", "ym", "im", "oi", "oy", "uyu", "yu", "iya", "iyu", "iye", "ya", "nyi", "naya",
     "noe", "nye", "nogo", "nykh", "nyy"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _russian_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(stem, English words) from data/russian_phrases.tsv, longest stem first."""
    from importlib import resources

    text = resources.files("techguard.matching").joinpath("data/russian_phrases.tsv").read_text("utf-8")
    rows: list[tuple[str, tuple[str, ...]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, stems = line.split("\t")
        rows.extend((s, tuple(english.split())) for s in stems.split())
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


@lru_cache(maxsize=65536)
def russian_phrase(token: str) -> tuple[str, ...] | None:
    """The English words of a romanised Russian business word (``nedvizhimosti`` → ``real estate``)."""
    for stem_, english in _russian_phrases():
        if token.startswith(stem_) and token[len(stem_) :] in _RUSSIAN_ENDINGS:
            return english
    return None


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{2,11}$")

# Words skipped when reading initials (KCST = Korean Committee for Space Technology): articles,
# conjunctions and prepositions of the languages organisation names on the lists are written in
# (English, Romance, German, Russian "po"/"v"/"na", Persian "va", Arabic "wa", Turkish "ve").
STOPWORDS = frozenset(
    {"of", "for", "and", "the", "de", "del", "la", "le", "des", "du", "di", "da", "i", "e", "y", "et", "en",
     "und", "der", "fur", "fuer", "dos", "das", "do", "po", "v", "na", "va", "wa", "ve"}
)  # fmt: skip


class KeyKind(StrEnum):
    LATIN = "latin"  # written in Latin letters
    TRANSLIT = "translit"  # romanised from Cyrillic, Greek, Hangul, ...
    ABJAD = "abjad"  # romanised from Arabic or Hebrew, short vowels unwritten (compared by consonants)
    HANGUL = "hangul"  # romanised from Hangul, one word per syllable (compared syllable by syllable)
    NATIVE = "native"  # Han/kana as written, variants folded
    READING = "reading"  # Japanese reading (cutlet)
    PINYIN = "pinyin"  # Mandarin reading (pypinyin)
    TRANSLATED = "translated"  # Han organisation words translated, the rest read aloud (han_terms)
    LOANWORD = "loanword"  # katakana read as a foreign word (queries only, see loanwords.py)


@dataclass(frozen=True, slots=True)
class NameKey:
    """One comparable rendering of one name."""

    name: str  # the name as written
    kind: KeyKind
    tokens: tuple[str, ...]  # folded core words (legal forms removed); CJK native: the core runs
    concepts: tuple[str, ...]  # vocabulary concept of each token (same length as ``tokens``)
    stems: tuple[str, ...]
    legal: frozenset[str]  # legal-form classes found in the name
    compact: str  # core words joined without spaces
    phonetics: tuple[str, ...] = ()  # spelling-folded form of each token (see :func:`phonetic`)
    words: tuple[str, ...] = ()  # every word including legal forms (acronyms often include them)

    @property
    def is_native(self) -> bool:
        return self.kind is KeyKind.NATIVE


LATIN_KINDS = frozenset({KeyKind.LATIN, KeyKind.TRANSLIT, KeyKind.ABJAD, KeyKind.HANGUL})
READ_ALOUD_KINDS = frozenset({KeyKind.READING, KeyKind.PINYIN})


def comparable_kinds(query: KeyKind, listed: KeyKind) -> bool:
    """Can a query key of this kind be compared with a listed key of that kind? Retrieval asks the same
    question the scorer does, so that no candidate slot goes to a name the scorer will not compare."""
    if (query is KeyKind.NATIVE) != (listed is KeyKind.NATIVE):
        return False
    if query in READ_ALOUD_KINDS and listed in READ_ALOUD_KINDS:
        # two Han names are compared in writing (the native key); read aloud, unrelated names share
        # syllables (sa-luo-ni-ke / ni-luo-si-ke) and 北京大学 would meet 北京理工大学 on PEKIN DAIGAKU
        return False
    if query is KeyKind.LOANWORD:
        return listed in LATIN_KINDS
    # two Han names meet in writing; their translations share only generic words
    return not (KeyKind.TRANSLATED in (query, listed) and not LATIN_KINDS & {query, listed})


def looks_like_person(name: str) -> bool:
    """ "LAST, First" — a comma with a short surname part before it and no legal form after it."""
    head, sep, tail = name.partition(",")
    if not sep or not tail.strip():
        return False
    _core, legal = split_legal_forms(tuple(fold(name).split()))
    return not legal and len(fold(head).split()) <= 4


def looks_like_personal_name(name: str, vocabulary: Vocabulary) -> bool:
    """2–5 words, each written Like This, none an organisation word or a legal form: "Pietra Ana Luiza
    Moura". Acronym and syllabic rules are not applied to such a query (PALM ≠ Pietra Ana Luiza Moura)."""
    words = name.replace(",", " ").split()
    if not 2 <= len(words) <= 5:
        return False
    if not all(w[:1].isupper() and (len(w) == 1 or w[1:].islower() or w[1:] == ".") for w in words):
        return False
    folded = tuple(fold(name).split())
    _core, legal = split_legal_forms(folded, name)
    if legal:
        return False
    return all(vocabulary.concept(t) == t for t in folded)


def _is_acronym_of(short: str, long: str) -> bool:
    """Is ``short`` (in parentheses after ``long``) its acronym? In a mixed-case name a word in capitals
    is; in an all-capitals name it must also spell the long name's initials or syllables (so "(DALIAN)"
    after a company name stays part of the name)."""
    if not _ACRONYM.match(short):
        return False
    if any(c.islower() for c in long):
        return True
    from techguard.matching.abbreviations import align_span  # abbreviations imports this module

    return align_span(fold(short).replace(" ", ""), tuple(fold(long).split())) is not None


def analyse(
    name: str, vocabulary: Vocabulary, *, lang: str | None = None, person: bool = False
) -> list[NameKey]:
    """Every key of ``name``; empty when nothing comparable is left (e.g. only punctuation)."""
    trailing = _TRAILING_PARENTHESIS.match(name)
    if trailing and _is_acronym_of(trailing.group(2), trailing.group(1)):
        # "Korea Mining Development Trading Corporation (KOMID)": the name and its acronym are two names;
        # compared as one, the acronym would be an unmatched word for every query using either. Only an
        # acronym in capitals is split off: "(Shanghai)" or "(Pakistan Branch)" must not become a name.
        parts = analyse(trailing.group(1), vocabulary, lang=lang, person=person)
        parts += analyse(trailing.group(2), vocabulary, lang=lang, person=person)
        return [replace(k, name=name) for k in parts]
    folded = fold(name if person else _EZAFE.sub("", name))
    if not folded:
        return []
    scripts = scripts_of(folded)
    keys: list[NameKey] = []
    has_han = Script.HAN in scripts
    has_kana = Script.KANA in scripts
    if has_han or has_kana:
        words = split_cjk_runs(folded)
        latin_words = [w for w in words if not any(is_cjk(c) for c in w)]
        if len(latin_words) >= 2:
            # Two renderings in one cell, "Amroggang Development Bank (鴨緑江開発銀行)": each is compared
            # on its own (a lone Latin word beside kanji, as in ABC商事, stays part of the native name).
            latin_text = " ".join(latin_words)
            cjk_text = " ".join(w for w in words if any(is_cjk(c) for c in w))
            keys = [_latin_key(name, fold(to_latin(latin_text)), KeyKind.LATIN, vocabulary, person)]
            keys.extend(k for k in analyse(cjk_text, vocabulary, lang=lang, person=person))
            return [replace(k, name=name) for k in keys if k.tokens]
        native, core_text = _native_key(name, folded)
        if native is not None and latin_words and all(t.isascii() for t in native.tokens):
            # 株式会社SUBARU: once the CJK legal form is gone only Latin words are left, a Latin name
            key = _latin_key(name, fold(" ".join(native.tokens)), KeyKind.LATIN, vocabulary, person)
            return [replace(key, legal=key.legal | native.legal)] if key.tokens else []
        if native is not None:
            keys.append(native)
        japanese = has_kana or lang == "ja"
        chinese = not has_kana and lang in (None, "zh")
        legal = native.legal if native is not None else frozenset()
        if japanese or (lang is None and not has_kana):
            japanese_company = _JAPANESE_COMPANY in folded
            read_text = _japanese_reading(core_text) if japanese_company else reading(core_text)
            key = _latin_key(name, read_text, KeyKind.READING, vocabulary, person)
            keys.append(replace(key, legal=legal))
        if chinese:
            key = _latin_key(name, pinyin(core_text), KeyKind.PINYIN, vocabulary, person)
            keys.append(replace(key, legal=legal))
        if not person and core_text:
            # the rest read aloud as Japanese and/or Chinese, as for the readings above
            readers: list[Callable[[str], str] | None] = []
            if japanese or (lang is None and not has_kana):
                readers.append(_japanese_reading_word if _JAPANESE_COMPANY in folded else _reading_word)
            if chinese:
                readers.append(None)  # pinyin
            texts: list[str] = []
            for read_aloud in readers:
                # Latin words inside a CJK name (JMU防务系统) are words of the name as they stand
                translations = [
                    (run, 1) if run.isascii() else translate(run, read_aloud) for run in core_text.split(" ")
                ]
                english = fold(" ".join(words for words, _found in translations))
                if sum(found for _words, found in translations) and english not in texts:
                    texts.append(english)
                    translated = _latin_key(name, english, KeyKind.TRANSLATED, vocabulary, person)
                    keys.append(replace(translated, legal=legal | translated.legal))
        korean = korean_name_reading(core_text) if not has_kana and not latin_words else None
        if korean is not None:
            # a Korean person written in Han characters (金正恩): the lists romanise the Hangul reading
            key = _latin_key(name, hangul_to_latin(korean), KeyKind.HANGUL, vocabulary, True)
            keys.append(replace(key, legal=legal))
        # Latin words written beside the CJK part ("ABC商事") are kept in the romanised keys above.
        return [k for k in keys if k.tokens]
    non_latin = scripts - {Script.LATIN}
    kind = KeyKind.TRANSLIT if non_latin else KeyKind.LATIN
    if non_latin & {Script.ARABIC, Script.HEBREW}:
        kind = KeyKind.ABJAD
    elif Script.HANGUL in non_latin:
        kind = KeyKind.HANGUL
    if Script.ARABIC in non_latin:
        folded = _ARABIC_ARTICLE.sub("", folded)
    text = fold(to_latin(folded)) if non_latin else folded
    key = _latin_key(name, text, kind, vocabulary, person)
    keys = [key] if key.tokens else []
    if kind is KeyKind.HANGUL and not person:
        # an organisation in Hangul (조선광선은행): its words translated (조선 = KOREA, 은행 = BANK) and the rest
        # read as one word per run (광선 = GWANGSEON ~ KWANGSON), as the lists write North Korean bodies
        english, found = _hangul_translation(folded)
        if found:
            translated = _latin_key(name, english, KeyKind.TRANSLATED, vocabulary, person)
            if translated.tokens:
                keys.append(translated)
    if Script.ARABIC in non_latin:
        # عبد الله, نصر الله, نور الدين are one word as often as two in the lists' romanisations (ABDALLAH,
        # NASRALLAH, NURADDIN): the name with them joined is a key too
        # (ABD with the article the Arabic script leaves out here, ABDULRAHMAN, or assimilated, ABDURRAHMAN)
        seen = {text}
        for article in ("l", ""):
            joined = _ARABIC_AFTER.sub(r"\1\2", _ARABIC_BEFORE.sub(rf"\1{article}\2", text))
            if joined not in seen:
                seen.add(joined)
                other = _latin_key(name, joined, kind, vocabulary, person)
                if other.tokens:
                    keys.append(other)
    if Script.GREEK in non_latin:
        # a Greek name as English writes it (Αλέξανδρος = ALEXANDER) beside its letter-by-letter form
        english = greek_english_forms(text)
        if english != text:
            other = _latin_key(name, english, kind, vocabulary, person)
            if other.tokens:
                keys.append(other)
    return keys


def _hangul_run(text: str) -> str:
    return "".join(hangul_to_latin(text).split())


def _hangul_translation(folded: str) -> tuple[str, int]:
    """English words of a name in Hangul (terms of ``data/han_terms.tsv``; other Hangul read as one word per
    run) and how many terms were used."""
    words: list[str] = []
    found = 0
    for run in folded.split():
        if all(char_script(c) is Script.HANGUL for c in run):
            english, used = translate(run, _hangul_run)
            words.append(english)
            found += used
        else:
            words.append(fold(to_latin(run)))
    return fold(" ".join(words)), found


# عبد (ABD) joins the word after it, الله (ALLAH) and الدين (AL-DIN) the word before, as romanised from Arabic
_ARABIC_BEFORE = re.compile(r"\b(bd) (\w)")
_ARABIC_AFTER = re.compile(r"(\w) (llh|dyn)\b")

# 会社 (kaisha) ends Japanese company names only (Chinese writes 公司): a name in simplified characters that
# carries it is a Japanese company as China's lists write it, and is read in Japanese forms. Other Han names
# are not: Chinese person names read in Japanese (汤 → 湯 = YU) would meet Korean ones by chance.
_JAPANESE_COMPANY = "会社"


def _japanese_reading(text: str) -> str:
    """The Japanese reading of ``text``, written in simplified characters if need be: China's lists write
    Japanese companies so (日东电工株式会社 = 日東電工, NITTO DENKO), and the reader knows only Japanese forms."""
    return reading(text) or reading(japanese_forms(text))


def _reading_word(text: str) -> str:
    return reading(text).replace(" ", "")


def _japanese_reading_word(text: str) -> str:
    return _japanese_reading(text).replace(" ", "")


def _join_letters(words: tuple[str, ...]) -> tuple[str, ...]:
    """Runs of single letters are one acronym: ``t d g`` (T.D.G.) → ``tdg``."""
    out: list[str] = []
    run: list[str] = []
    for word in (*words, ""):
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return tuple(out)


def _latin_key(name: str, text: str, kind: KeyKind, vocabulary: Vocabulary, person: bool) -> NameKey:
    words = tuple(text.split())
    if not person:
        words = _join_letters(words)
    core: tuple[str, ...]
    legal: tuple[str, ...]
    if person:
        core, legal = words, ()
    else:
        # the written form decides ambiguous short forms; romanised text has no capitals to go by
        core, legal = split_legal_forms(words, name if kind is KeyKind.LATIN else None)
        removed = [t for t in words if t not in core]
        if (
            len(removed) == 1
            and len(removed[0]) <= 4
            and all(vocabulary.concept(t) in GENERIC_WORDS for t in core)
        ):
            # a legal form never swallows the only distinctive word: "SRL TRADING", "TBK HOLDING"
            core, legal = words, ()
        if kind in (KeyKind.LATIN, KeyKind.TRANSLIT, KeyKind.ABJAD, KeyKind.HANGUL):
            core = tuple(part for token in core for part in vocabulary.split_compound(token))
            core = tuple(part for token in core for part in ORGANISATION_ABBREVIATIONS.get(token, (token,)))
            core = tuple(part for token in core for part in (russian_institute(token) or (token,)))
            # a designation run together with its number (APT39 = ADVANCED PERSISTENT THREAT 39)
            core = tuple(part for token in core for part in _LETTERS_THEN_DIGITS.split(token))
            core = tuple(part for token in core for part in (russian_phrase(token) or (token,)))
        # 28TH RESEARCH INSTITUTE = 28 RESEARCH INSTITUTE = 第二十八研究所: an ordinal is its number
        core = tuple(_ORDINAL.sub(r"\1", token) for token in core)
    concepts = tuple(vocabulary.concept(t) for t in core)
    return NameKey(
        name=name,
        kind=kind,
        tokens=core,
        concepts=concepts,
        stems=tuple(stem(c if person else cognate(c)) for c in concepts),
        legal=frozenset(legal),
        compact="".join(core),
        phonetics=tuple(phonetic(t if person else cognate(t)) for t in core),
        words=words,
    )


@lru_cache(maxsize=1)
def _cjk_forms() -> dict[str, str]:
    return dict(_legal_form_table().cjk)


_UNIT_AFTER_FORM = re.compile(r"(公司|集[团団團])(?=第)")


def _native_key(name: str, folded: str) -> tuple[NameKey | None, str]:
    """The native key and the core text as written (for readings: cutlet needs the original kanji)."""
    runs: list[str] = []
    written: list[str] = []
    legal: list[str] = []
    # a numbered unit written straight after its group's legal form is a run of its own, as the lists write it
    # (中国電子科技集団公司第十四研究所 = 中国電子科技集団公司 第十四研究所): the form then ends a run and is taken out
    folded = _UNIT_AFTER_FORM.sub(r"\1 ", folded)
    for word in split_cjk_runs(folded):
        han = fold_han(word)
        whole_form = _cjk_forms().get(han)
        if whole_form is not None:
            legal.append(whole_form)  # 株式会社 written apart from the name (株式会社SUBARU)
            continue
        start, end, classes = cjk_legal_form_span(han)
        legal.extend(classes)
        core = han[start:end]
        original = word[start:end] if len(han) == len(word) else word
        if not core or core == "株":
            continue
        runs.append(core)
        written.append(original)
    if not runs:
        return None, ""
    tokens = tuple(runs)
    key = NameKey(
        name=name,
        kind=KeyKind.NATIVE,
        tokens=tokens,
        concepts=tokens,
        stems=tokens,
        legal=frozenset(legal),
        compact="".join(tokens),
        phonetics=tokens,
        words=tokens,
    )
    return key, " ".join(written)


# Spelling folds shared by romanisation systems (OFAC/BGN, German, French, Spanish, English habits):
# NIIGAZECONOMIKA = NIIGAZEKONOMIKA, OBSCHESTVO = OBSHCHESTVO, HAZRAT = HAZRET is left to Levenshtein.
_PHONETIC_RULES = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"),
    ("ck", "k"), ("q", "k"), ("c", "k"), ("x", "ks"), ("w", "v"), ("y", "i"), ("ee", "i"), ("oo", "u"),
    ("ou", "u"),
)  # fmt: skip


@lru_cache(maxsize=131072)
def phonetic(token: str) -> str:
    """A spelling-folded form of a romanised word (``tekhnopromexport`` → ``tehnopromeksport``)."""
    if not token.isascii():
        return token
    if token.startswith("gh"):
        # Persian says ق and غ alike, and romanisations write either as Q or GH: GHASEMI = QASIMI, GHANNADI =
        # QANNADI (only word-initially, where English words rarely begin with gh)
        token = "q" + token[2:]
    if token.startswith("evro"):
        # Russian and Bulgarian say and write EURO- as ЕВРО-, romanised EVRO-: EVROSADRUZHIE = EUROSADRUZHIE,
        # EVROBET = EUROBET (only the prefix: EVRAZ, EVREN stay)
        token = "euro" + token[4:]
    for old, new in _PHONETIC_RULES:
        if old in token:
            token = token.replace(old, new)
    return single_letters(token)


def single_letters(text: str) -> str:
    """``text`` with every run of one repeated letter written once (``tt`` → ``t``): romanisations double
    letters at will (MOHAMMADI / MOHAMADI), and Korean's tense consonants (TT / DD) are the same sound."""
    out: list[str] = []
    for char in text:
        if not out or char != out[-1]:
            out.append(char)
    return "".join(out)


_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=131072)
def skeleton(word: str) -> str:
    """First letter plus the consonants (q/g → k), doubled letters and the h of digraphs dropped: ``sahhaf`` → ``sf``."""
    # a leading vowel is the least stable letter of a romanised Arabic name (IHSAN / EHSAN, OSAMA / USAMA)
    out = ["a" if word[0] in _VOWELS else word[0]]
    for char in word[1:].replace("q", "k").replace("g", "k"):
        if char in _VOWELS or (char == "h" and len(out) > 0 and out[-1] in "sckzgt"):
            continue
        if char != out[-1]:
            out.append(char)
    return "".join(out)


# Compound words that acronyms write with two letters: ZPC = Zagros PetroChemical, IRTVU = Islamic Radio
# and TeleVision Union.
WORD_INITIALS = {"petrochemical": "pc", "petrochemicals": "pc", "television": "tv"}


def initials(tokens: tuple[str, ...]) -> str:
    """First letters of the words that are not stopwords (``korean committee for space technology`` →
    ``kcst``; ``zagros petrochemical`` → ``zpc``, see :data:`WORD_INITIALS`)."""
    return "".join(WORD_INITIALS.get(t, t[0]) for t in tokens if t not in STOPWORDS and t[0].isalpha())


__all__ = [
    "LATIN_KINDS",
    "ORGANISATION_ABBREVIATIONS",
    "READ_ALOUD_KINDS",
    "STOPWORDS",
    "WORD_INITIALS",
    "KeyKind",
    "NameKey",
    "analyse",
    "comparable_kinds",
    "initials",
    "looks_like_person",
    "phonetic",
    "single_letters",
    "skeleton",
]
