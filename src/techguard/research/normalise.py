"""Text folding for institution names: one function used on both registry names and affiliation strings.

Matching is exact lookup of folded keys, so the folding must be symmetric and deterministic:
- Latin script: NFKC, accents stripped, case folded, punctuation to spaces, common affiliation abbreviations
  expanded ("Inst." -> "institute", "Univ." -> "university"), a few spelling variants unified ("centre").
- CJK: traditional Chinese, Japanese shinjitai and simplified Chinese are folded to simplified Chinese by the
  text layer's ``fold_han`` (the one screening uses) so "東京大學", "東京大学" and "东京大学" share one key, as
  do 防衛 and 防卫; spaces inside CJK runs are removed because CJK names are written without them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from techguard.text.fold import strip_accents
from techguard.text.han import fold_han
from techguard.text.scripts import east_asian_runs, has_east_asian, is_east_asian

# Abbreviations seen in affiliation strings, keyed by the folded token without its dot. Only unambiguous ones:
# "St." (Saint/Street) and "Med." (Medicine/Medical) style ambiguities are kept out on purpose, except where
# both readings fold the same way below.
ABBREVIATIONS: dict[str, str] = {
    "inst": "institute",
    "instit": "institute",
    "univ": "university",
    "uni": "university",
    "tech": "technology",
    "technol": "technology",
    "natl": "national",
    "nat'l": "national",
    "sci": "science",
    "sciences": "science",
    "acad": "academy",
    "coll": "college",
    "hosp": "hospital",
    "dept": "department",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    "intl": "international",
    "lab": "laboratory",
    "labs": "laboratories",
    "res": "research",
    "engn": "engineering",
    "eng": "engineering",
    "fac": "faculty",
    "sch": "school",
    "grad": "graduate",
    "hlth": "health",
    "assoc": "association",
    "soc": "society",
    "corp": "corporation",
    "ltd": "limited",
    "mt": "mount",
    "gen": "general",
    "polytech": "polytechnic",
}

# Words dropped from keys entirely: they are written or omitted freely ("The University of Tokyo").
STOPWORDS = frozenset({"the"})

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['’‘`´]")


_HTML_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


@lru_cache(maxsize=65536)
def fold_tokens(text: str) -> tuple[str, ...]:
    """The folded tokens of ``text``; a CJK run is one token (matched by substring, not by word)."""
    if "&" in text and _HTML_ENTITY.search(text):
        text = html.unescape(text)  # publisher metadata often carries "&amp;" / "&quot;" escaped
    text = unicodedata.normalize("NFKC", text)
    text = strip_accents(text).casefold()
    text = text.replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    text = _PUNCT.sub(" ", text).replace("_", " ")
    if has_east_asian(text):
        text = fold_han(text)
    tokens: list[str] = []
    for raw in _SPACE.split(text.strip()):
        if not raw:
            continue
        for part in east_asian_runs(raw):
            if is_east_asian(part[0]):
                # CJK is written without spaces: glue consecutive CJK parts into one run.
                if tokens and is_east_asian(tokens[-1][0]):
                    tokens[-1] += part
                else:
                    tokens.append(part)
                continue
            word = ABBREVIATIONS.get(part, part)
            if word in STOPWORDS:
                continue
            tokens.append(word)
    return tuple(tokens)


def fold(text: str) -> str:
    """The lookup key of ``text``: folded tokens joined by single spaces."""
    return " ".join(fold_tokens(text))


def acronym_key(text: str) -> str:
    """Acronyms compare upper-case without dots or spaces ("U.S.T.C." -> "USTC")."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text)).upper()


__all__ = [
    "ABBREVIATIONS",
    "acronym_key",
    "fold",
    "fold_tokens",
]
