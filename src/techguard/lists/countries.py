"""Country names as restricted-party lists write them, resolved to ISO 3166-1 alpha-2 codes.

Lists write countries every way imaginable: ISO codes (``CN``), short English names (``Burma``), OFAC's
inverted forms (``Korea, North``, ``Congo, Democratic Republic of the``), UN formal names (``Iran (Islamic
Republic of)``), METI's (``Islamic Republic of Pakistan``), Japanese (``中華人民共和国``) and Chinese
(``俄罗斯``). :func:`to_iso2` folds all of them to one code, or returns ``None`` when it cannot be sure;
callers then keep the raw text (``Address.country_name``) instead of guessing.

The tables come from CLDR via ``babel`` (English, Japanese, Simplified and Traditional Chinese territory
names, ISO alpha-3 aliases) plus :data:`_ALIASES` for the list-specific spellings CLDR lacks. Lookup is:

1. an exact ISO alpha-2 / alpha-3 code (any case);
2. the *folded key* of the text: NFKC, case-folded, Latin accents removed, punctuation dropped, the words
   "the"/"of"/"and" dropped, "St." read as "Saint", and the remaining words **sorted** so that word order
   does not matter ("Korea, North" = "North Korea"; "Iran (Islamic Republic of)" = "Islamic Republic of
   Iran");
3. the folded key without state-form words ("Islamic", "Republic", "State", "Kingdom", ...), or, for
   Japanese/Chinese, without a state-form suffix ("共和国", "連邦", "王国", ...), accepted only if it
   names a country ("Arab Republic of Egypt" -> "Egypt");
4. for text on several lines (METI's "イラン\\nIslamic Republic of Iran"), each line, if all resolvable
   lines agree.

Deliberately unresolved: ambiguous text ("Korea", "Congo"), defunct countries split into several
(``Netherlands Antilles``), disputed areas with no single code (``Region: Kafia Kingi``), ``undetermined``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from babel import Locale
from babel.core import get_global

__all__ = ["country_name", "known_codes", "to_iso2"]

# CLDR territory codes that are not countries and must never resolve (EU, UN, "unknown region", ...).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})

_CLDR_LOCALES = {"en": "en", "ja": "ja", "zh": "zh_Hans", "zh_Hans": "zh_Hans", "zh_Hant": "zh_Hant"}

# Spellings seen in OFAC, CSL, UN, METI, MOFCOM files (and common usage) that CLDR does not carry.
_ALIASES: dict[str, str] = {
    # English: short forms, list variants, former names
    "Hong Kong": "HK",
    "Hong Kong SAR": "HK",
    "Hong Kong Special Administrative Region": "HK",
    "China, Hong Kong Special Administrative Region": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "Macao Special Administrative Region": "MO",
    "Burma": "MM",
    "Myanmar": "MM",
    "North Korea": "KP",
    "Democratic People's Republic of Korea": "KP",
    "DPRK": "KP",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Korea, Republic of": "KR",
    "ROK": "KR",
    "Iran": "IR",
    "Persia": "IR",
    "Russian Federation": "RU",
    "Syrian Arab Republic": "SY",
    "UAE": "AE",
    "U.A.E.": "AE",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "America": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Czech Republic": "CZ",
    "Slovak Republic": "SK",
    "Cote d Ivoire": "CI",
    "Ivory Coast": "CI",
    "Congo, Democratic Republic of the": "CD",
    "Democratic Republic of Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Zaire": "CD",
    "Congo, Republic of the": "CG",
    "Republic of Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "Bahamas": "BS",
    "Gambia": "GM",
    "Laos": "LA",
    "Lao People's Democratic Republic": "LA",
    "Vietnam": "VN",
    "Viet Nam": "VN",
    "Brunei": "BN",
    "Brunei Darussalam": "BN",
    "Moldova, Republic of": "MD",
    "Republic of Moldova": "MD",
    "Tanzania": "TZ",
    "United Republic of Tanzania": "TZ",
    "Bolivia": "BO",
    "Plurinational State of Bolivia": "BO",
    "Venezuela": "VE",
    "Bolivarian Republic of Venezuela": "VE",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "Macedonia, The Former Yugoslav Republic of": "MK",
    "The former Yugoslav Republic of Macedonia": "MK",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Republic of North Macedonia": "MK",
    "East Timor": "TL",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "Palestinian": "PS",
    "Palestinian Territory": "PS",
    "West Bank": "PS",
    "Gaza": "PS",
    "Gaza Strip": "PS",
    "Region: Gaza": "PS",
    "Holy See": "VA",
    "Vatican": "VA",
    "Virgin Islands, British": "VG",
    "British Virgin Islands": "VG",
    "Virgin Islands, U.S.": "VI",
    "Micronesia, Federated States of": "FM",
    "Saint Kitts and Nevis": "KN",
    "Saint Lucia": "LC",
    "Saint Vincent and the Grenadines": "VC",
    "Bosnia-Herzegovina": "BA",
    "Trinidad & Tobago": "TT",
    "Kyrgyz Republic": "KG",
    "Taiwan, Province of China": "TW",
    "Republic of China": "TW",
    "Chinese Taipei": "TW",
    "Mainland China": "CN",
    "PRC": "CN",
    "P.R. China": "CN",
    # OFAC regions within a country (the region is sanctioned, the country code is still the country's)
    "Region: Crimea": "UA",
    "Crimea": "UA",
    "Crimea Region of Ukraine": "UA",
    "Region: Northern Mali": "ML",
    "Donetsk People's Republic": "UA",
    "Luhansk People's Republic": "UA",
    # Japanese (CLDR has 中国, 北朝鮮, 香港特別行政区 forms; lists also write these)
    "中華人民共和国": "CN",
    "中国本土": "CN",
    "朝鮮民主主義人民共和国": "KP",
    "大韓民国": "KR",
    "米国": "US",
    "合衆国": "US",
    "英国": "GB",
    "ロシア連邦": "RU",
    "香港": "HK",
    "香港特別行政区": "HK",
    "マカオ": "MO",
    "澳門": "MO",
    "ミャンマー": "MM",
    "ビルマ": "MM",
    "イラン・イスラム共和国": "IR",
    "パキスタン・イスラム共和国": "PK",
    "シリア・アラブ共和国": "SY",
    "エジプト・アラブ共和国": "EG",
    "アフガニスタン・イスラム共和国": "AF",
    "トルコ共和国": "TR",
    "トルキエ": "TR",
    "チェコ共和国": "CZ",
    "ベトナム社会主義共和国": "VN",
    "ヴェトナム": "VN",
    "中華民国": "TW",
    "パレスチナ": "PS",
    "クリミア": "UA",
    # Chinese
    "中华人民共和国": "CN",
    "中國大陸": "CN",
    "中国大陆": "CN",
    "中国香港": "HK",
    "中國香港": "HK",
    "中国澳门": "MO",
    "澳门": "MO",
    "中国台湾": "TW",
    "中國台灣": "TW",
    "俄罗斯联邦": "RU",
    "俄羅斯聯邦": "RU",
    "美利坚合众国": "US",
    "美利堅合眾國": "US",
    "英國": "GB",
    "大韩民国": "KR",
    "朝鲜民主主义人民共和国": "KP",
    "伊朗伊斯兰共和国": "IR",
}

# Lower-case "na"/"n/a" in list files means "not available" (UN XML), not Namibia ("NA").
_NOT_AVAILABLE = frozenset({"na", "Na"})
_STOPWORDS = frozenset({"the", "of", "and"})
_WORD_ALIASES = {"st": "saint", "ste": "sainte"}
# Words that name a form of state rather than a country; dropped only as a fallback (step 3).
_STATE_FORM_WORDS = frozenset(
    {
        "republic",
        "islamic",
        "state",
        "kingdom",
        "federation",
        "federal",
        "people",
        "peoples",
        "democratic",
        "socialist",
        "arab",
        "plurinational",
        "bolivarian",
        "commonwealth",
        "principality",
        "grand",
        "duchy",
        "sultanate",
        "hashemite",
        "region",
        "territory",
        "country",
    }
)
_CJK_STATE_SUFFIXES = ("民主共和国", "共和国", "联邦", "連邦", "聯邦", "王国", "王國", "合衆国", "国", "國")
_CJK_SEPARATORS = re.compile(r"[・･·‧\s]+")
_NON_WORD = re.compile(r"[^\w]+")
_LINE_SPLIT = re.compile(r"\s*(?:\n|\r|/|／)\s*")


def _strip_latin_accents(text: str) -> str:
    # Remove combining marks only after Latin letters: Japanese dakuten (ジ = シ + ゛) must survive.
    decomposed = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and out and ord(out[-1]) < 0x0250:
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _is_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)


def _fold(text: str) -> str:
    """The order-insensitive lookup key of a country as written (see the module docstring, step 2)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("'", "").replace("’", "")  # "People's" -> "peoples", "d'Ivoire" -> "divoire"
    text = _strip_latin_accents(text)
    if _is_cjk(text):
        return _CJK_SEPARATORS.sub("", _NON_WORD.sub("", text))
    words = [_WORD_ALIASES.get(word, word) for word in _NON_WORD.sub(" ", text).split()]
    return " ".join(sorted(word for word in words if word not in _STOPWORDS))


def _without_state_form(key: str) -> str:
    if " " in key or key.isascii():
        return " ".join(word for word in key.split() if word not in _STATE_FORM_WORDS)
    for suffix in _CJK_STATE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


@cache
def _territories(locale: str) -> dict[str, str]:
    # babel types the mapping loosely; CLDR territory names are always strings
    return {str(code): str(name) for code, name in Locale.parse(locale).territories.items()}


@cache
def _codes() -> frozenset[str]:
    territories = _territories("en")
    return frozenset(
        code for code in territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def _alpha3() -> dict[str, str]:
    codes = _codes()
    aliases = get_global("territory_aliases")
    return {
        str(alias): str(targets[0])
        for alias, targets in aliases.items()
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and targets[0] in codes
    }


@cache
def _table() -> dict[str, str]:
    """Folded key -> ISO code, built once per process from CLDR plus :data:`_ALIASES`."""
    codes = _codes()
    table: dict[str, str] = {}
    ambiguous: set[str] = set()
    for locale in ("en", "ja", "zh_Hans", "zh_Hant"):
        for code, name in _territories(locale).items():
            if code not in codes:
                continue
            for variant in {
                name,
                re.sub(r"\s*\(.*?\)\s*", " ", name).strip(),
                name.replace(" SAR China", ""),
            }:
                key = _fold(variant)
                if key in table and table[key] != code:
                    ambiguous.add(key)
                table.setdefault(key, code)
    for key in ambiguous:
        del table[key]
    for alias, code in _ALIASES.items():
        table[_fold(alias)] = code  # the explicit aliases win over anything CLDR-derived
    return table


def _lookup(text: str) -> str | None:
    stripped = text.strip().strip(".,;:")
    if not stripped or stripped == "-0-":
        return None
    upper = stripped.upper()
    if stripped.isascii() and stripped.isalpha():
        if len(stripped) == 2 and upper in _codes() and stripped not in _NOT_AVAILABLE:
            return upper
        if len(stripped) == 3 and upper in _alpha3() and upper == stripped:
            # alpha-3 only when written in capitals: "ARE"/"AND"/"CAN" are also English words
            return _alpha3()[upper]
    table = _table()
    key = _fold(stripped)
    found = table.get(key)
    if found is None:
        reduced = _without_state_form(key)
        if reduced and reduced != key:
            found = table.get(reduced)
    return found


@lru_cache(maxsize=65536)  # bounded: callers pass arbitrary user text in long-running processes
def to_iso2(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country as a list writes it, or ``None`` if unknown/ambiguous.

    >>> to_iso2("Korea, North"), to_iso2("中華人民共和国"), to_iso2("Iran (Islamic Republic of)")
    ('KP', 'CN', 'IR')
    """
    if text is None:
        return None
    found = _lookup(text)
    if found is not None:
        return found
    parts = [part for part in _LINE_SPLIT.split(text.strip()) if part]
    if len(parts) > 1:
        resolved = {code for code in map(_lookup, parts) if code is not None}
        if len(resolved) == 1:
            return resolved.pop()
    return None


def known_codes() -> frozenset[str]:
    """Every ISO alpha-2 code :func:`to_iso2` can return."""
    return _codes()


def country_name(code: str, lang: str = "en") -> str:
    """The CLDR name of an ISO alpha-2 ``code`` in ``lang`` ("en", "ja", "zh" = Simplified, "zh_Hant").

    Raises ``KeyError`` for a code that is not a country, ``ValueError`` for an unsupported language.
    """
    locale = _CLDR_LOCALES.get(lang)
    if locale is None:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(sorted(_CLDR_LOCALES))}")
    upper = code.strip().upper()
    if upper not in _codes():
        raise KeyError(f"not an ISO 3166-1 alpha-2 country code: {code!r}")
    return _territories(locale)[upper]
