"""Is a registry name found inside a segment really the institution the segment names?

A name that fills its whole segment is taken. A name that is only part of its segment is accepted when the rest
reads as something other than a longer name:

- before it: a unit of the institution ("Dept. of Physics ...", "Perelman School of Medicine | University of
  Pennsylvania", "Affiliated Hospital of | Soochow University"), a linking word ("... at the University of
  Utah"), or another institution's name joined to it ("University of Zurich / ETH Zurich", "Helsinki University
  Hospital and | University of Helsinki");
- after it: places and postal codes, a unit ("McGill University 3 Department of Medicine"), a unit named after
  the institution ("Ulm University | Medical Center", "University of Chicago | Neuroscience Institute"), a legal
  form ("Genentech | Inc"), a unit code ("Inserm | U1103"), or "and" + another institution or unit.

It is refused when the name visibly continues ("Nanjing University | of Aeronautics and Astronautics"), when it
reads as the subject of a unit ("Department of | Molecular Microbiology"), or when it is made of generic words
only ("University of Technology" inside "Toyohashi University of Technology").
"""

from __future__ import annotations

from collections.abc import Collection

from techguard.research.segments import Segment, Span
from techguard.research.shortforms import MILITARY_PREFIXES
from techguard.research.vocabulary import (
    ADDRESS_WORDS,
    ARTICLES,
    CONTINUATION_WORDS,
    DEPARTMENT_WORDS,
    GENERIC_WORDS,
    INSTITUTION_WORDS,
    LEGAL_FORM_WORDS,
    LINK_WORDS,
    UNIT_CODE_WORDS,
    UNIT_TAIL_WORDS,
)

# Words joining two institutions or an institution and a unit ("University of Turku and Turku University
# Hospital", "UK Dementia Research Institute at Imperial College").
_JOINING_WORDS = frozenset({"and", "at"})
# Unit words that may follow a spelling variant in its segment ("University of California at San Diego | School
# of Medicine"); "Institute" or "Center" may not, they usually continue another name ("Cancer Prevention
# Institute of California" is not "Cancers et Préventions").
_VARIANT_UNIT_WORDS = frozenset({"school", "faculty", "department", "division", "college"})


def _reads_as_unit(tokens: tuple[str, ...]) -> bool:
    """A unit or organisation named by these tokens: "Warren Alpert Medical School", "Neuroscience Institute",
    "Health Sciences Center" — it ends in an organisation word and has no "of"-style continuation first."""
    return bool(tokens) and tokens[-1] in UNIT_TAIL_WORDS and tokens[0] not in CONTINUATION_WORDS


def _reads_as_address(after: tuple[str, ...], after_loc: list[bool]) -> bool:
    """A street address after the name: "Université de Limoges | 39E Rue Camille Guérin", "... | Via Irnerio
    48", "... | Kirchstrasse 5": a house number next to a street word."""
    head = after[:4]
    has_number = any(loc and any(c.isdigit() for c in t) for t, loc in zip(head, after_loc[:4], strict=False))
    return has_number and any(t in ADDRESS_WORDS or t.endswith(("strasse", "str", "weg", "gasse", "plein"))
                              for t in head)


def _after_ok(span: Span, segment: Segment, cities: Collection[str], notes: list[str]) -> bool:
    after = segment.tokens[span.end:]
    after_loc = segment.location[span.end:]
    if not after:
        return True
    if span.variant and not all(after_loc) and after[0] not in _VARIANT_UNIT_WORDS and not span.name_after:
        # A looser key needs firmer ground: nothing but places may follow it in its segment.
        notes.append(f"{span.text!r}: refused, a spelling variant followed by {' '.join(after)!r}")
        return False
    if after[0] in CONTINUATION_WORDS:
        following = after[1:]
        joined = after[0] in _JOINING_WORDS and (
            span.name_after or (following and (following[0] in DEPARTMENT_WORDS or _reads_as_unit(following))))
        if not joined:
            notes.append(f"{span.key!r}: refused, the name continues with {' '.join(after[:3])!r}")
            return False
        return True
    if span.name_after:
        return True  # another institution's name follows directly ("University of Zurich/ETH Zurich")
    # Skip footnote numbers and places first: "McGill University 3 Department of Medicine".
    rest = after[next((k for k, loc in enumerate(after_loc) if not loc), len(after)):]
    medical_unit = len(rest) > 1 and rest[0] == "medical" and rest[1] in ("school", "faculty", "college")
    # A named school of the institution: "Northwestern University | Feinberg School of Medicine".
    named_unit = any(rest[k] in ("school", "faculty", "college", "program", "programme") and
                     k + 1 < len(rest) and rest[k + 1] in ("of", "in", "for")
                     for k in range(1, min(3, len(rest))))
    after_acronym = segment.acronym[span.end:] if segment.acronym else [False] * len(after)
    # "Warsaw University of Life Sciences | SGGW", "Universidad de Buenos Aires | CONICET": acronyms of
    # organisations (its own or a partner's) written after the name.
    acronyms_only = all(loc or acr or t in UNIT_CODE_WORDS
                        for t, loc, acr in zip(after, after_loc, after_acronym, strict=True))
    accepted = (all(after_loc) or acronyms_only or rest[0] in DEPARTMENT_WORDS or medical_unit or named_unit
                or all(t in LEGAL_FORM_WORDS for t in rest)
                or (span.segment == span.last_segment and _reads_as_unit(rest))
                or _reads_as_address(after, after_loc))
    if not accepted:
        notes.append(f"{span.key!r}: refused, followed by {' '.join(after)!r} (not a unit or place)")
        return False
    if all(after_loc):
        # A city right after a name may be part of another name ("Bard College Berlin"): only the
        # institution's own city is accepted there (checked per candidate by the resolver).
        span.trailing = tuple(t for t in after if t in cities)
    return True


def _before_ok(span: Span, segment: Segment, words: list[str], notes: list[str]) -> bool:
    before = segment.tokens[: span.start]
    if not before:
        return True
    if tuple(before) in MILITARY_PREFIXES and any(w in INSTITUTION_WORDS for w in words):
        # "PLA National University of Defense Technology": the army that runs the institution.
        return True
    institution_like = any(w in INSTITUTION_WORDS for w in words)
    if before[0] in DEPARTMENT_WORDS and not institution_like:
        # "Department of | Molecular Microbiology": the unit's subject, not an institution.
        notes.append(f"{span.key!r}: refused, reads as the subject of {' '.join(before)!r}")
        return False
    if span.name_before:
        return True  # right after another institution's name, or after "and" following one
    # "Tongji Medical College of | Huazhong University ...": a unit "of" the institution.
    unit_of = before[-1] == "of" and any(t in DEPARTMENT_WORDS or t in UNIT_TAIL_WORDS for t in before)
    # "Perelman School of Medicine | University of Pennsylvania": a named unit written before its institution.
    named_unit = institution_like and any(t in UNIT_TAIL_WORDS for t in before) and before[-1] not in CONTINUATION_WORDS
    # "Les Laboratoires Servier": an article before the name. (Acronyms before a name are not enough: "UT
    # Southwestern Medical Center", "NC Department of Health" are longer names.)
    if not (before[-1] in LINK_WORDS or before[0] in DEPARTMENT_WORDS or unit_of or named_unit
            or all(t in ARTICLES for t in before)):
        # A place before a name is usually part of it ("Toyohashi University of Technology"): refused too.
        notes.append(f"{span.key!r}: refused, preceded by {' '.join(before)!r} (not a unit, place or link)")
        return False
    return True


def leftover_ok(span: Span, segments: list[Segment], cities: Collection[str], notes: list[str]) -> bool:
    """Whether ``span`` may stand for an institution given the text around it; a refusal is noted."""
    if span.note.startswith(("CJK", "Japanese rendering", "Korean name", "school of")) \
            or span.note in ("acronym", "short CJK alias"):
        return True
    words = span.words()
    if all(w in GENERIC_WORDS for w in words) and (span.partial or len(words) == 1):
        notes.append(f"{span.key!r}: refused, a generic name must be the whole segment")
        return False
    if not span.partial:
        return True
    first = segments[span.segment]
    last = segments[span.last_segment]
    if len(words) == 1:
        rest = first.tokens[span.end:] if span.last_segment == span.segment else ()
        rest_loc = first.location[span.end:] if span.last_segment == span.segment else []
        code_or_form = rest and all(loc or t in UNIT_CODE_WORDS or t in LEGAL_FORM_WORDS
                                    for t, loc in zip(rest, rest_loc, strict=True))
        if not (span.start == 0 and code_or_form and len(words[0]) >= 4):
            # Only "Inserm U1234" / "CNRS UMR 5229" / "Genentech Inc": the name first, then a code or form.
            notes.append(f"{span.key!r}: refused, a one-word name must be the whole segment")
            return False
    return _after_ok(span, last, cities, notes) and _before_ok(span, first, words, notes)


def mark_neighbours(spans: list[Span], segments: list[Segment], names: list[Span]) -> None:
    """Flag spans that another (non-generic) name among ``names`` follows or precedes in the same segment,
    directly or across "and" / "at": two institutions written together ("University of Zurich/ETH Zurich")."""
    named = [s for s in names if not s.note and not all(w in GENERIC_WORDS for w in s.key.split())]
    starts = {(s.segment, s.start) for s in named}
    ends = {(s.last_segment, s.end) for s in named}
    for span in spans:
        if span.note:
            continue
        last = segments[span.last_segment].tokens
        first = segments[span.segment].tokens
        joined_after = span.end < len(last) and last[span.end] in _JOINING_WORDS
        joined_before = span.start > 0 and first[span.start - 1] in _JOINING_WORDS
        span.name_after = (span.last_segment, span.end) in starts or (
            joined_after and (span.last_segment, span.end + 1) in starts)
        span.name_before = (span.segment, span.start) in ends or (
            joined_before and (span.segment, span.start - 1) in ends)


__all__ = ["leftover_ok", "mark_neighbours"]
