"""Country names -> ISO 3166-1 alpha-2 codes: ONE resolver for lists, forms, rules and research.

People and publishers write countries every way imaginable: ISO codes (``CN``, ``CHN``), short English names
(``Burma``), OFAC's inverted forms (``Korea, North``), UN formal names (``Iran (Islamic Republic of)``),
Japanese (``中華人民共和国``, ``米国``), Chinese (``俄罗斯``), Korean (``대한민국``). The names come from CLDR via
``babel`` (English, Japanese, Simplified and Traditional Chinese, Korean) plus :data:`_ALIASES` for the
spellings CLDR lacks. Lookup is:

1. an exact ISO alpha-2 / alpha-3 code (alpha-3 only in capitals: "AND", "ARE", "CAN" are also words);
2. the *folded key* of the text: NFKC, case-folded, Latin accents removed, punctuation dropped, the words
   "the"/"of"/"and" dropped, "St." read as "Saint", and the remaining words **sorted** so that word order
   does not matter ("Korea, North" = "North Korea"; "Iran (Islamic Republic of)" = "Islamic Republic of
   Iran");
3. the folded key without state-form words ("Islamic", "Republic", "State", ...), or, for Japanese/Chinese,
   without a state-form suffix ("共和国", "連邦", ...), accepted only if it names a country;
4. for text on several lines or split by "/" (METI's "イラン\\nIslamic Republic of Iran"), each part, if all
   resolvable parts agree.

Names that stand for more than one country are refused, never guessed: "Korea" (KR or KP), 朝鮮, "Congo"
(CG or CD), "Virgin Islands" and any CLDR name two countries share. :func:`resolve_country` raises
:class:`AmbiguousCountry` (carrying the candidates) or :class:`UnknownCountry` with a Japanese/English
message; :func:`to_iso2` is the lenient form list parsers use on published addresses (``None`` instead of an
error, the published text is kept beside it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache

from babel import Locale, localedata
from babel.core import get_global

from techguard.i18n import gettext
from techguard.text.fold import strip_accents

# CLDR territory codes that are not countries and must never resolve (EU, UN, "unknown region", ...).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})

_CLDR_LOCALES = {
    "en": "en", "ja": "ja", "zh": "zh_Hans", "zh_Hans": "zh_Hans", "zh_Hant": "zh_Hant", "ko": "ko",
}
_RESOLVED_LOCALES = ("en", "ja", "zh_Hans", "zh_Hant", "ko")

# Names that stand for several countries: refused with the candidates, whatever CLDR or an alias says.
AMBIGUOUS_NAMES: Mapping[str, tuple[str, ...]] = {
    "Korea": ("KR", "KP"),
    "朝鮮": ("KP", "KR"),
    "조선": ("KP", "KR"),
    "코리아": ("KR", "KP"),
    "Congo": ("CG", "CD"),
    "コンゴ": ("CG", "CD"),
    "刚果": ("CG", "CD"),
    "剛果": ("CG", "CD"),
    "콩고": ("CG", "CD"),
    "Virgin Islands": ("VG", "VI"),
}

_ALIASES: dict[str, str] = {
    # (from the lists: OFAC, CSL, UN, METI, MOFCOM spellings)
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
    # what officers type and affiliation strings write (forms, research)
    "US": "US",
    "United States": "US",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Holland": "NL",
    "The Netherlands": "NL",
    "KSA": "SA",
    "S. Korea": "KR",
    "PR China": "CN",
    "People's Republic of China": "CN",
    "Iran, Islamic Republic of": "IR",
    "Hong Kong SAR China": "HK",
    "Macao SAR": "MO",
    "Russia": "RU",
    "アメリカ": "US",
    "日本国": "JP",
    "中華民國": "TW",
    "中华民国": "TW",
    "中國": "CN",
    "中央アフリカ": "CF",
    "アメリカ合衆国": "US",
    "ロシア": "RU",
    "ベラルーシ": "BY",
    "コンゴ民主共和国": "CD",
    "北朝鮮": "KP",
    # the EAR's Country Chart / Country Group spellings (15 CFR 738, 740), typos of the eCFR text included
    "China (PRC)": "CN",
    "Micronesia (Federated State of)": "FM",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "Cote d'lvoire": "CI",  # sic
    "Seycheles": "SC",  # sic
    # Korean
    "한국": "KR",
    "남한": "KR",
    "대한민국": "KR",
    "북한": "KP",
    "북조선": "KP",
    "조선민주주의인민공화국": "KP",
    "중화인민공화국": "CN",
    "러시아": "RU",
    "미합중국": "US",
}

# Lower-case "na"/"n/a" in list files means "not available" (UN XML), not Namibia ("NA").
_NOT_AVAILABLE = frozenset({"na", "Na"})
_STOPWORDS = frozenset({"the", "of", "and"})
_WORD_ALIASES = {"st": "saint", "ste": "sainte"}
# Words that name a form of state rather than a country; dropped only as a fallback (step 3).
_STATE_FORM_WORDS = frozenset(
    {
        "republic", "islamic", "state", "kingdom", "federation", "federal", "people", "peoples", "democratic",
        "socialist", "arab", "plurinational", "bolivarian", "commonwealth", "principality", "grand", "duchy",
        "sultanate", "hashemite", "region", "territory", "country",
    }
)
_CJK_STATE_SUFFIXES = ("民主共和国", "共和国", "联邦", "連邦", "聯邦", "王国", "王國", "合衆国", "国", "國")
_CJK_SEPARATORS = re.compile(r"[・･·‧\s]+")
_NON_WORD = re.compile(r"[^\w]+")
_LINE_SPLIT = re.compile(r"\s*(?:\n|\r|/|／)\s*")
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")


class CountryError(ValueError):
    """A country as written could not be resolved to one ISO code; ``text`` is what was written.

    ``str(error)`` is English and Japanese together (what the API and forms have always shown);
    :meth:`localized` gives the message in one language, through the gettext catalogues (``techguard.i18n``).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{self.localized('en')} / {self.localized('ja')}")

    def localized(self, lang: str) -> str:
        raise NotImplementedError


class UnknownCountry(CountryError):
    def localized(self, lang: str) -> str:
        return gettext("unknown country {text!r}: write an ISO code (JP, US, CN) or a country name", lang).format(
            text=self.text
        )


class AmbiguousCountry(CountryError):
    """The name stands for several countries; ``candidates`` are their ISO codes."""

    def __init__(self, text: str, candidates: tuple[str, ...]) -> None:
        self.candidates = candidates
        super().__init__(text)

    def localized(self, lang: str) -> str:
        separator = gettext(", ", lang)  # the list separator of the language (、 in Japanese)
        names = separator.join(
            gettext("{code} ({name})", lang).format(code=code, name=country_name(code, lang)) for code in self.candidates
        )
        return gettext(
            "{text!r} is ambiguous: it may mean {names}; write the code or the full name", lang
        ).format(text=self.text, names=names)


def _is_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)  # any CJK/Hangul: keys of those are unspaced


def _fold(text: str) -> str:
    """The order-insensitive lookup key of a country as written (see the module docstring, step 2)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("'", "").replace("’", "")  # "People's" -> "peoples", "d'Ivoire" -> "divoire"
    text = strip_accents(text).casefold()
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
def _table() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(folded key -> ISO code, folded key -> candidate codes), built once from CLDR and the aliases."""
    codes = _codes()
    table: dict[str, str] = {}
    shared: dict[str, set[str]] = {}
    for locale in _RESOLVED_LOCALES:
        for code, name in _territories(locale).items():
            if code not in codes:
                continue
            name = unicodedata.normalize("NFKC", name)
            for variant in {name, re.sub(r"\s*\(.*?\)\s*", " ", name).strip(), name.replace(" SAR China", "")}:
                key = _fold(variant)
                shared.setdefault(key, set()).add(code)
                table.setdefault(key, code)
    ambiguous = {key: tuple(sorted(found)) for key, found in shared.items() if len(found) > 1}
    for key in ambiguous:
        del table[key]
    for alias, code in _ALIASES.items():
        key = _fold(alias)
        table[key] = code  # the explicit aliases win over anything CLDR-derived
        ambiguous.pop(key, None)
    for name, candidates in AMBIGUOUS_NAMES.items():
        key = _fold(name)
        table.pop(key, None)
        ambiguous[key] = candidates
    return table, ambiguous


_Found = str | tuple[str, ...] | None  # a code, the candidates of an ambiguous name, or nothing


def _lookup(text: str) -> _Found:
    stripped = text.strip().strip(".,;:")
    if not stripped or stripped == "-0-":
        return None
    upper = stripped.upper()
    if stripped.isascii() and stripped.isalpha():
        if len(stripped) == 2 and upper in _codes() and stripped not in _NOT_AVAILABLE:
            return upper
        if len(stripped) == 3 and upper in _alpha3() and upper == stripped:
            return _alpha3()[upper]
    table, ambiguous = _table()
    key = _fold(stripped)
    found: _Found = table.get(key) or ambiguous.get(key)
    if found is None:
        reduced = _without_state_form(key)
        if reduced and reduced != key:
            found = table.get(reduced) or ambiguous.get(reduced)
    return found


@lru_cache(maxsize=65536)  # bounded: callers pass arbitrary user text in long-running processes
def _resolve(text: str) -> _Found:
    found = _lookup(text)
    if found is not None:
        return found
    parts = [part for part in _LINE_SPLIT.split(text.strip()) if part]
    if len(parts) > 1:
        resolved = {code for code in map(_lookup, parts) if isinstance(code, str)}
        if len(resolved) == 1:
            return resolved.pop()
    return None


def resolve_country(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country code or name, in en/ja/zh/ko.

    Raises :class:`AmbiguousCountry` ("Korea", 朝鮮, "Congo") or :class:`UnknownCountry` ("Atlantis").

    >>> resolve_country("中華人民共和国"), resolve_country("Korea, North"), resolve_country("usa")
    ('CN', 'KP', 'US')
    """
    found = _resolve(text)
    if isinstance(found, str):
        return found
    if found:
        raise AmbiguousCountry(text.strip(), found)
    raise UnknownCountry(text.strip())


def resolve_countries(text: str) -> tuple[str, ...]:
    """Each country of a list written ``A、B、C`` / ``A, B; C`` (the law's order kept), as by
    :func:`resolve_country`; the first name that does not resolve raises."""
    names: list[str] = []
    for part in _LIST_SPLIT.split(text.strip().rstrip("。")):
        # Japanese/Chinese lists may also separate by spaces; English names contain them ("United States")
        names.extend(part.split() if _is_cjk(part) else [part.strip()])
    names = [name for name in names if name]
    return tuple(resolve_country(name) for name in names)


def to_iso2(text: str | None) -> str | None:
    """Lenient :func:`resolve_country` for published addresses: ``None`` when unknown or ambiguous.

    >>> to_iso2("Korea, North"), to_iso2("Iran (Islamic Republic of)"), to_iso2("Korea")
    ('KP', 'IR', None)
    """
    if text is None:
        return None
    found = _resolve(text)
    return found if isinstance(found, str) else None


def known_codes() -> frozenset[str]:
    """Every ISO alpha-2 code the resolver can return."""
    return _codes()


def country_name(code: str, lang: str = "en") -> str:
    """The CLDR name of an ISO alpha-2 ``code`` in ``lang`` ("en", "ja", "zh" = Simplified, "zh_Hant", "ko", or
    any other locale CLDR has, such as "fr" — so a language added as a catalogue gets its country names too).

    Raises ``KeyError`` for a code that is not a country, ``ValueError`` for a language CLDR does not have.
    """
    locale = _CLDR_LOCALES.get(lang) or (lang if localedata.exists(lang) else None)
    if locale is None:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(sorted(_CLDR_LOCALES))} or a CLDR locale")
    upper = code.strip().upper()
    if upper not in _codes():
        raise KeyError(f"not an ISO 3166-1 alpha-2 country code: {code!r}")
    return _territories(locale)[upper]


def cldr_country_names(locale: str) -> dict[str, str]:
    """ISO code -> CLDR name of every country in any CLDR ``locale`` (for callers that scan free text in more
    languages than the resolver reads, like research's affiliation strings)."""
    codes = _codes()
    return {code: name for code, name in _territories(locale).items() if code in codes}


def country_aliases() -> Mapping[str, str]:
    """The spellings CLDR lacks (list, legal and everyday forms) -> ISO code."""
    return _ALIASES


__all__ = [
    "AMBIGUOUS_NAMES",
    "AmbiguousCountry",
    "CountryError",
    "UnknownCountry",
    "cldr_country_names",
    "country_aliases",
    "country_name",
    "known_codes",
    "resolve_countries",
    "resolve_country",
    "to_iso2",
]
