"""When an acronym written in an affiliation string may stand for an institution.

An acronym alone ("MIT", "KAIST", "NCI") names many organisations worldwide, so it is never taken on its own.
Besides a country or city in the text (checked by the resolver), two kinds of context support it:

- the text spells the institution's name out: "Centre for Ecological Research and Forestry Applications
  (CREAF)", "Max Delbrueck Center for Molecular Medicine (MDC)" — most of the content words of one of its
  registry names are written in the same string (in their loose form, ``variants.loose_word``, so "Centre" /
  "Center", "Delbrueck" / "Delbrück" agree);
- another acronym of the same string stands for its ROR parent or child: "Cellular and Systems Neurobiology
  Section, NINDS, NIH" (the US NINDS is a child of the US NIH; the two support each other and nothing else).
"""

from __future__ import annotations

from collections.abc import Iterable

from techguard.research.normalise import fold_tokens
from techguard.research.registry import Institution, NameKind
from techguard.research.variants import loose_word
from techguard.text.scripts import has_east_asian

# Share of a name's content words the text must write, and the fewest words that count as spelling it out:
# one shared word ("Institute", "Cancer") is never enough.
SPELT_OUT_SHARE = 1.0
SPELT_OUT_MIN_WORDS = 2
_FUNCTION_WORDS = frozenset({"", "for", "and", "the"})


def text_words(folded_tokens: Iterable[str]) -> frozenset[str]:
    """The loose words of a folded text (see ``variants.loose_word``)."""
    return frozenset(w for w in map(loose_word, folded_tokens) if w not in _FUNCTION_WORDS)


def _content_words(name: str) -> frozenset[str]:
    return text_words(fold_tokens(name))


def spelt_out(institution: Institution, words: frozenset[str]) -> str | None:
    """The first registry name of ``institution`` (not an acronym, not CJK) whose content words the text
    ``words`` mostly contains, or ``None``."""
    for name in institution.names:
        if name.kind == NameKind.ACRONYM or has_east_asian(name.value):
            continue
        content = _content_words(name.value)
        if len(content) < SPELT_OUT_MIN_WORDS:
            continue
        shared = len(content & words)
        if shared >= SPELT_OUT_MIN_WORDS and shared >= SPELT_OUT_SHARE * len(content):
            return name.value
    return None


__all__ = ["SPELT_OUT_MIN_WORDS", "SPELT_OUT_SHARE", "spelt_out", "text_words"]
