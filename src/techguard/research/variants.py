"""Spelling variants of one name: a second, looser key that keeps word order.

"Humboldt University of Berlin" / "Humboldt-Universität zu Berlin", "Justus-Liebig-University of Giessen" /
"Justus-Liebig-Universität Gießen", "Technical University Munich" / "Technical University of Munich",
"Max Delbrueck Center" / "Max Delbrück Center", "Josep Carreras Leukemia Research Institute" / "... Leukaemia ..."
are the same names written in another language or spelling. The loose key

- maps the word "university" in European languages, and a few other cognates, to one English word;
- drops "of"-like linking words and articles ("of", "zu", "de", "der", "la", ...) and spells "for" / "and" one
  way in every language;
- folds German transliterations ("ue" -> "u") and British/American spellings ("ae" -> "e") and plurals;

and keeps the word order, so "Washington University" and "University of Washington" (two institutions) never
share a key. A loose key that leads to several institutions is ambiguous like any other name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

# Cognates written in affiliation strings in the institution's language or in English.
_COGNATES: dict[str, str] = {
    **dict.fromkeys(("universitat", "universite", "universidad", "universidade", "universita", "universiteit",
                     "universitet", "universitetet", "universitas", "uniwersytet", "univerzita", "univerza",
                     "universiti", "universitatea", "universitaet", "universitaria", "universitario"),
                    "university"),
    **dict.fromkeys(("technische", "technischen", "technischer", "tecnica", "tecnico", "technicka", "techniczna",
                     "technique"), "technical"),
    **dict.fromkeys(("medizinische", "medizinischen", "medica", "medico", "medicale"), "medical"),
    **dict.fromkeys(("nacional", "nazionale", "nationale", "nationaal"), "national"),
    **dict.fromkeys(("institut", "instituto", "istituto", "instytut"), "institute"),
    **dict.fromkeys(("hopital", "ospedale"), "hospital"),
    **dict.fromkeys(("centro", "zentrum"), "center"),
    **dict.fromkeys(("akademie", "academie", "academia", "accademia", "akademia"), "academy"),
    **dict.fromkeys(("politecnico", "polytechnique", "politecnica", "politechnika"), "polytechnic"),
    # "for" and "and" are kept, in one spelling: "Institute for X" and "Institute of X", "Center for Life
    # Sciences" and "Center of Life Sciences" are often different institutions.
    **dict.fromkeys(("fur", "pour", "para", "per", "voor"), "for"),
    **dict.fromkeys(("und", "et", "y", "e"), "and"),
}
# "Of"-like linking words and articles, dropped: "Université de Montpellier" = "University of Montpellier",
# "Humboldt-Universität zu Berlin" = "Humboldt University of Berlin" = "Humboldt University Berlin".
_LINKING = frozenset({
    "of", "at", "in", "de", "del", "della", "degli", "dei", "di", "do", "da", "dos", "das", "des", "du", "der",
    "den", "zu", "zum", "zur", "la", "le", "les", "el", "il", "lo", "van", "von", "a", "an",
})
_DIGRAPHS = (("ae", "e"), ("oe", "o"), ("ue", "u"))


@lru_cache(maxsize=65536)
def loose_word(word: str) -> str:
    """One folded word in its loose form ("" for a linking word)."""
    if word in _LINKING:
        return ""
    word = _COGNATES.get(word, word)
    if word.startswith("univer") and 9 <= len(word) <= 13:
        # "Univerzitet", "Universitetet", misspelt "Univertsität"; longer words are compounds naming another
        # institution ("Universitätsklinikum", "Universitätsmedizin": the university hospital).
        word = "university"
    if word.isascii() and word.isalpha():
        for digraph, single in _DIGRAPHS:
            word = word.replace(digraph, single)
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
    return word


def loose_key(tokens: Iterable[str]) -> str:
    """The loose key of folded tokens (see the module docstring)."""
    return " ".join(filter(None, map(loose_word, tokens)))


__all__ = ["loose_key", "loose_word"]
