"""Reading an affiliation string: segments, location tokens and the countries it mentions.

Affiliation strings are comma-separated runs from the unit to the institution to the address ("Dept. of Physics,
Harbin Inst. of Tech., Harbin 150001, China"). Segments are the pieces between commas, semicolons and line breaks;
parenthesised text becomes its own segment. Each token is flagged when it is a location (a country, a registry
city, a postal code, a two-letter state code), which later decides whether the text around a name is an address.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from techguard.research.geo import cjk_cities, english_country_names
from techguard.research.normalise import fold_tokens
from techguard.research.vocabulary import CONTINUATION_WORDS

_CJK_CITY_ENDINGS = frozenset("市区都府县州0123456789")  # after a city name: an address, not a longer name
SEGMENT_SPLIT = re.compile(r"[,;|\n\r\t、，；]+")
PARENTHESIS = re.compile(r"[(（\[]([^()（）\[\]]*)[)）\]]")
# Quoted names are segments of their own too: 'FSBEI HE «Pushkin State Russian Language Institute»'.
QUOTED = re.compile(r"[«\"“„「『]([^«»\"“”„「」『』]{3,})[»\"”“」』]")
# Publisher metadata leaves footnote numbers between the parts of an address: "Renmin Hospital 5 , Wuhan",
# "University of Cambridge 1 Department of Clinical Neurosciences". The number before a comma is dropped; before
# a unit word it ends a segment. "Université Paris 1 Panthéon-Sorbonne" keeps its number.
_FOOTNOTE_BEFORE_COMMA = re.compile(r"(?<=[^\W\d_]|\)) \d{1,2} (?=,)")
_FOOTNOTE_BEFORE_UNIT = re.compile(
    r"(?<=[^\W\d_]|\)) \d{1,2} (?=(?:Departments?|Division|School|Institute|Laboratory|Center|Centre|Faculty|College|"
    r"Program|Programme|Unit|Graduate|Clinic)\b)")
# A slash with a space beside it separates institutions ("Aarhus University /DANDRITE"); one without
# may be inside a name ("Witten/Herdecke University").
_SPACED_SLASH = re.compile(r"\s/|/\s")


@dataclass(slots=True)
class Segment:
    raw: str
    tokens: tuple[str, ...]
    location: list[bool] = field(default_factory=list)  # per token: a country / city / postal code
    acronym: list[bool] = field(default_factory=list)  # per token: a registry acronym written in capitals


@dataclass(slots=True)
class Span:
    """Tokens of the text that equal a registry name key."""

    segment: int
    start: int
    end: int  # exclusive, in the last segment's tokens when ``last_segment`` > ``segment``
    last_segment: int
    key: str
    partial: bool
    note: str = ""
    trailing: tuple[str, ...] = ()  # city tokens right after a partial span
    name_after: bool = False  # another institution's name follows (directly or after "and" / "at")
    name_before: bool = False  # another institution's name precedes (directly or before "and" / "at")
    variant: bool = False  # ``key`` is a loose key (``variants.loose_key``), not an exact folded name
    text: str = ""  # for a variant: the folded tokens of the text it matched
    core: bool = False  # ``key`` is a name without its city (``NameIndex.cores``): the city must be written

    def words(self) -> list[str]:
        """The folded words of the text matched (the key itself for an exact match)."""
        return (self.text or self.key).split()


@dataclass(slots=True)
class Context:
    countries: set[str]
    folded_text: str  # " " + all folded tokens + " " for city lookup
    written: str = ""  # the text NFKC + casefold, unfolded: tells 東北大学 (JP) from 东北大学 (CN)
    nearby: frozenset[str] = frozenset()  # ROR ids the other names in the text may stand for
    inferred: bool = False  # ``countries`` taken from the other institutions named, not written


def split_segments(text: str, countries: Mapping[str, str], cities: Collection[str]) -> list[Segment]:
    segments: list[Segment] = []
    if "&" in text:
        text = html.unescape(text)  # "&quot;" / "&amp;" from publisher metadata; their ";" is no separator
    text = _FOOTNOTE_BEFORE_UNIT.sub(", ", _FOOTNOTE_BEFORE_COMMA.sub(" ", text))
    text = _SPACED_SLASH.sub(", ", text)
    for piece in SEGMENT_SPLIT.split(text):
        inner = [m.group(1) for m in PARENTHESIS.finditer(piece)]
        outer = PARENTHESIS.sub(" ", piece)
        # The outer text keeps its quoted part: quotes are also written inside names ('Banat's University ...
        # "King Michael I of Romania" from Timisoara').
        inner += [m.group(1) for m in QUOTED.finditer(outer)]
        for part in (outer, *inner):
            tokens = fold_tokens(part)
            if tokens:
                segments.append(Segment(part.strip(), tokens))
    for segment in segments:
        segment.location = location_flags(segment.tokens, countries, cities)
    return segments


def location_flags(tokens: tuple[str, ...], countries: Mapping[str, str], cities: Collection[str]) -> list[bool]:
    flags = [t.isdigit() or (len(t) <= 2 and t.isalpha() and t.isascii()) for t in tokens]
    n = len(tokens)
    for i in range(n):
        for j in range(min(n, i + 4), i, -1):
            phrase = " ".join(tokens[i:j])
            if phrase in countries or phrase in cities:
                for k in range(i, j):
                    flags[k] = True
                break
    # Postal codes mixed with letters ("ox1 3pu", "d 69120") count as location too.
    for i, token in enumerate(tokens):
        if any(c.isdigit() for c in token) and len(token) <= 8 and token.isascii():
            flags[i] = True
    return flags


def mentioned_countries(
    segments: list[Segment], countries: Mapping[str, str], names: Collection[str], country_hint: str | None
) -> Context:
    """The countries the text names. A country closes a segment ("Harbin 150001, China", "Boston MA USA") or is
    the whole segment; a country name inside an institution's name is no mention of it ("University of New
    Mexico", "University of Georgia", "Stony Brook University, Long Island" — German "Island" is Iceland)."""
    found: set[str] = set()
    if country_hint:
        found.add(country_hint.upper())
    english = english_country_names()
    for segment in segments:
        kept = [(t, loc) for t, loc in zip(segment.tokens, segment.location, strict=True) if not t.isdigit()]
        tokens = [t for t, _ in kept]
        for size in (3, 2, 1):
            if len(tokens) < size:
                continue
            phrase = " ".join(tokens[-size:])
            code = countries.get(phrase)
            if not code:
                continue
            before = tokens[:-size]
            # After other words, only an English name right after a plain name: "Zhejiang University China",
            # not "State University of New Jersey" (Jersey) or "University of New England".
            if (not before or all(loc for _, loc in kept[:-size])
                    or (phrase in english and before[-1] != "new" and " ".join(tokens) not in names
                        and not any(t in CONTINUATION_WORDS for t in before))):
                found.add(code)
                break
    folded = " " + " ".join(t for s in segments for t in s.tokens) + " "
    # A city written in CJK ("哈尔滨", "北京市海淀区", "東京都文京区") corroborates like its English name; a
    # segment that is only the city also mentions its country. A city starting a longer name ("北京大学") does
    # neither.
    written_cities: list[str] = []
    for segment in segments:
        for token in segment.tokens:
            if not token or token.isascii():
                continue
            for cjk, (city_name, code) in cjk_cities().items():
                if token.startswith(cjk) and (len(token) == len(cjk) or token[len(cjk)] in _CJK_CITY_ENDINGS):
                    written_cities.append(city_name)
                    if len(segment.tokens) == 1 and len(token) <= len(cjk) + 1:
                        found.add(code)
    if written_cities:
        folded += " ".join(written_cities) + " "
    written = unicodedata.normalize("NFKC", " ".join(s.raw for s in segments)).casefold()
    return Context(found, folded, written)


__all__ = ["PARENTHESIS", "QUOTED", "SEGMENT_SPLIT", "Context", "Segment", "Span", "location_flags", "mentioned_countries",
           "split_segments"]
