"""How much a word counts in a comparison: its IDF, capped for generic and place words.

IDF alone lets UNIVERSITY or INSTITUTE weigh a lot on lists with few universities, so 東京大学 (tokyo
university) met "Institute of Science Tokyo" and 北京大学 met "Beijing Institute of Technology" on a place
name and a generic word. Generic organisation words (in every language the keys come in: UNIVERSITY,
DAIGAKU, INSTITUTE, KENKYUJO …) and place names (learnt from the lists' own addresses: the cities and
countries parties are located in) are capped, so a match must rest on a distinctive word to score high.
Persons are compared with plain IDF (a surname may be a city).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from techguard.lists.model import Party
from techguard.text.fold import fold

GENERIC_WEIGHT = 1.0
PLACE_WEIGHT = 2.0
MIN_PLACE_PARTIES = 2
MIN_PLACE_LETTERS = 4

# Vocabulary concepts (see data/vocabulary.tsv) and Japanese readings that name a kind of organisation,
# not an organisation.
GENERIC_WORDS = frozenset(
    {
        "university", "institute", "research", "science", "technology", "academy", "college", "school",
        "center", "laboratory", "laboratories", "lab", "company", "corporation", "group", "holding",
        "holdings", "international", "national", "state", "federal", "industry", "development",
        "engineering", "services", "systems", "trading", "association", "foundation", "organization",
        "organisation", "enterprise", "enterprises", "bureau", "department", "office", "agency", "committee",
        "general", "central", "scientific", "production", "manufacturing", "management", "solutions",
        "global", "limited", "logistics", "shipping", "network", "networks", "software", "digital",
        "energy", "chemical", "medical", "investment", "partners", "airlines", "unitary", "joint", "stock", "public", "society", "union", "ministry",
        "daigaku", "kenkyujo", "kenkyusho", "kenkyu", "gakuin", "gakko", "kogyo", "sangyo", "shoji",
        "gijutsu", "kagaku", "kaisha", "senta", "kyokai", "zaidan", "hojin", "kosha",
    }
)  # fmt: skip


# Japanese readings of the Chinese, Korean and Russian cities most often in listed names: the readings of a
# kanji name are compared with other readings, where the lists' (Latin) addresses do not reach.
PLACE_READINGS = frozenset(
    {"pekin", "nankin", "shanhai", "tenshin", "harubin", "seito", "jukei", "koshu", "shinsen", "bukan",
     "seian", "taigen", "shinyo", "dairen", "heijo", "pyonyan", "soru", "mosukuwa", "tokyo",
     "osaka", "kyoto", "nagoya", "yokohama", "kobe", "fukuoka", "sapporo", "sendai", "hiroshima",
     "beijing", "shanghai", "tianjin", "nanjing", "shenzhen", "guangzhou", "chengdu", "chongqing",
     "wuhan", "xian", "harbin", "shenyang", "dalian", "hangzhou", "changsha", "hefei", "taiyuan"}
)  # fmt: skip


def learn_places(parties: Iterable[Party]) -> frozenset[str]:
    """Folded one-word city and country names that at least :data:`MIN_PLACE_PARTIES` parties' addresses
    give (TOKYO, BEIJING, TEHRAN, MOSCOW)."""
    counts: Counter[str] = Counter()
    for party in parties:
        seen: set[str] = set()
        for address in party.addresses:
            for value in (address.city, address.country_name):
                if not value:
                    continue
                words = fold(value).split()
                if len(words) == 1 and len(words[0]) >= MIN_PLACE_LETTERS and words[0].isalpha():
                    seen.add(words[0])
        counts.update(seen)
    return frozenset(word for word, n in counts.items() if n >= MIN_PLACE_PARTIES) | PLACE_READINGS


def capped_weight(idf: Callable[[str], float], places: frozenset[str]) -> Callable[[str], float]:
    """``idf`` with generic words capped at :data:`GENERIC_WEIGHT` and places at :data:`PLACE_WEIGHT`."""

    def capped(concept: str) -> float:
        value = idf(concept)
        if concept in GENERIC_WORDS:
            return min(value, GENERIC_WEIGHT)
        if concept in places:
            return min(value, PLACE_WEIGHT)
        return value

    # the scorer asks for the same words' weights over and over (every candidate of every query); ``idf``
    # is fixed once the index is built, so the answers are kept (bounded: unseen query words are many)
    memo: dict[str, float] = {}

    def weight(concept: str) -> float:
        value = memo.get(concept)
        if value is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            value = memo[concept] = capped(concept)
        return value

    return weight


_MEMO_LIMIT = 200_000


__all__ = [
    "GENERIC_WEIGHT",
    "GENERIC_WORDS",
    "PLACE_READINGS",
    "PLACE_WEIGHT",
    "capped_weight",
    "learn_places",
]
