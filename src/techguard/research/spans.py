"""Finding the runs of an affiliation string that are registry names: exact folded names (also running over
following comma segments), CJK substrings, spelling variants, names without their city, misspelt names and
acronyms. Which of them stand for the institution is decided by ``leftover`` and the resolver."""

from __future__ import annotations

import re
from collections.abc import Collection

from techguard.research.index import NameIndex, Posting
from techguard.research.normalise import acronym_key, fold_tokens
from techguard.research.registry import NameKind
from techguard.research.segments import Segment as _Segment
from techguard.research.segments import Span as _Span
from techguard.research.shortforms import CJK_MILITARY_PREFIXES
from techguard.research.typos import MIN_WORDS, find_typo
from techguard.research.variants import loose_word
from techguard.research.vocabulary import (
    CJK_LOCATION_ENDINGS,
    CJK_PLACE_SUFFIXES,
    DEPARTMENT_WORDS,
    GENERIC_WORDS,
)
from techguard.text.scripts import is_east_asian

ACRONYM_TOKEN = re.compile(r"(?<![\w.])([A-Z][A-Z0-9&.\-]{1,11})(?![\w])")


def name_spans(index: NameIndex, segments: list[_Segment]) -> list[_Span]:
    found: list[_Span] = []
    names = index.names
    limit = index.max_tokens
    for s, segment in enumerate(segments):
        tokens = segment.tokens
        n = len(tokens)
        if n == 1 and is_east_asian(tokens[0][0]):
            found.extend(_cjk_spans(index, s, tokens[0]))
            continue
        for i in range(n):
            # Runs over following whole segments first: names with commas ("University of California,
            # Davis"; "Academy of Military Medical Sciences, Institute of ...").
            run = list(tokens[i:])
            for extra in (1, 2) if i == 0 else ():
                if s + extra >= len(segments):
                    break
                following = segments[s + extra].tokens
                # Footnote numbers glued to a name ("University of California, Davis 1") are dropped.
                while len(following) > 1 and following[-1].isdigit() and len(following[-1]) <= 2:
                    following = following[:-1]
                # The name may end inside the next segment: "University of Texas, Southwestern Medical
                # Center 1 Department of ..." (the rest is checked like any leftover).
                for cut in range(len(following), 0, -1) if extra == 1 else (len(following),):
                    key = " ".join([*run, *following[:cut]])
                    if key in names:
                        found.append(_Span(s, i, cut, s + extra, key, cut < len(segments[s + extra].tokens)
                                           and cut < len(following)))
                        break
                run += following
                if len(run) > limit:
                    break
            for j in range(min(n, i + limit), i, -1):
                if is_east_asian(tokens[i][0]) and j == i + 1:
                    found.extend(_cjk_spans(index, s, tokens[i], offset=i))
                    break
                key = " ".join(tokens[i:j])
                if key in names:
                    found.append(_Span(s, i, j, s, key, not (i == 0 and j == n)))
                    break
        if not is_east_asian(tokens[0][0]):
            found.extend(_variant_spans(index, s, tokens, {(sp.start, sp.end) for sp in found if sp.segment == s}))
    return maximal(found, segments)


def _variant_spans(index: NameIndex, s: int, tokens: tuple[str, ...], exact: set[tuple[int, int]]) -> list[_Span]:
    """Token runs whose loose key (other language, spelling, linking words; same word order) is a name's."""
    loose_table = index.loose
    names = index.names
    words = [loose_word(t) for t in tokens]
    n = len(tokens)
    spans: list[_Span] = []
    for i in range(n):
        if not words[i]:
            continue  # a name does not start with a linking word
        for j in range(min(n, i + index.max_tokens), i + 1, -1):
            if not words[j - 1] or (i, j) in exact:
                continue
            key = " ".join(w for w in words[i:j] if w)
            if key in loose_table or (key in names and key != " ".join(tokens[i:j])):
                spans.append(_Span(s, i, j, s, key, not (i == 0 and j == n), variant=True,
                                   text=" ".join(tokens[i:j])))
                break
    return spans


def core_spans(index: NameIndex, segments: list[_Segment]) -> list[_Span]:
    """Runs equal to a name without its city ("Washington University" of "Washington University in St.
    Louis", "University of North Carolina" of "... at Chapel Hill"); tried only when no name resolved."""
    cores = index.cores
    loose_cores = index.loose_cores
    found: list[_Span] = []
    for s, segment in enumerate(segments):
        tokens = segment.tokens
        n = len(tokens)
        if not n or is_east_asian(tokens[0][0]):
            continue
        words = [loose_word(t) for t in tokens]
        for i in range(n):
            for j in range(min(n, i + index.max_tokens), i + 1, -1):
                key = " ".join(tokens[i:j])
                if key in cores:
                    found.append(_Span(s, i, j, s, key, not (i == 0 and j == n), core=True))
                    break
                # The same in another spelling or language: "Ludwig-Maximilians University" for the core
                # "ludwig maximilians universitat" (the ``text`` keeps the words written).
                loose = " ".join(w for w in words[i:j] if w)
                if words[i] and words[j - 1] and loose in loose_cores:
                    found.append(_Span(s, i, j, s, loose, not (i == 0 and j == n), core=True, text=key))
                    break
    return maximal(found, segments)


def typo_spans(index: NameIndex, segments: list[_Segment]) -> list[_Span]:
    """The longest run of each segment (up to its trailing places) that misspells one word of a long
    name (see ``typos``); tried only when no name resolved."""
    found: list[_Span] = []
    for s, segment in enumerate(segments):
        tokens = segment.tokens
        if not tokens or is_east_asian(tokens[0][0]):
            continue
        end = len(tokens)
        while end and segment.location[end - 1]:
            end -= 1
        for i in range(end):
            words = [w for w in map(loose_word, tokens[i:end]) if w]
            if len(words) < MIN_WORDS:
                break
            hit = find_typo(words, index.typo_blocks, index.vocabulary)
            if hit is not None:
                key, written, name = hit
                found.append(_Span(s, i, end, s, key, not (i == 0 and end == len(tokens)), variant=True,
                                   text=" ".join(tokens[i:end]), note=f"typo: {written!r} for {name!r}"))
                break
    return found


# Words that open a school of a university written after the university's short name ("Harvard | Medical
# School", "Yale | School of Public Health", "Penn State | College of Medicine"); a school word must be followed
# by "of" / "in" / "for" or preceded by one of ``_SCHOOL_KINDS``. "X College" alone is not taken: "Boston
# College" is not Boston University.
_SCHOOL_WORDS = frozenset({"school", "college", "faculty"})
_SCHOOL_KINDS = frozenset({"medical", "graduate", "dental"})
_SCHOOL_LINKS = frozenset({"of", "in", "for"})
# Words that make a segment another organisation rather than a unit of the school.
_ORGANISATION_WORDS = frozenset({"hospital", "hospitals", "infirmary", "clinic", "university", "universities",
                                 "institute", "center", "centre"})
MAX_SCHOOL_GAP = 3  # name words between the short name and the school ("Harvard | T.H. Chan | School of ...")


def school_spans(index: NameIndex, segments: list[_Segment], places: Collection[str]) -> list[_Span]:
    """A segment that names a school of a university by the university's short name: "Harvard Medical
    School", "Yale School of Medicine", "Penn State College of Medicine", "Harvard T.H. Chan School of Public
    Health". The span's key is the university's name ("harvard university", or the short name itself when it
    is one: "penn state"); only when that name is an education-type institution's and the short name is no
    place ("Cologne Business School" is not the University of Cologne's). Tried only when no name resolved."""
    found: list[_Span] = []
    for s, segment in enumerate(segments):
        tokens = segment.tokens
        start = 1 if tokens and tokens[0] == "the" else 0
        if len(tokens) < start + 3 or is_east_asian(tokens[0][0]):
            continue
        school = _school_at(tokens, start)
        if school is None or not _only_units_beside(segments, s, school):
            continue
        before = len(found)
        for m in range(min(school, start + index.max_tokens), start, -1):
            short = tokens[start:m]
            between = tokens[m:school]
            if len(between) > MAX_SCHOOL_GAP or any(t in GENERIC_WORDS for t in (*short, *between)):
                continue
            written = " ".join(short)
            if written in places:
                break
            key = _university_key(index, short)
            medical = "medical" in tokens[school:school + 1] or "medicine" in tokens[school:]
            if key is not None and medical and f"{written} medicine" in index.names:
                # "Johns Hopkins School of Medicine" beside a registry record "Johns Hopkins Medicine": the
                # university or its medical organisation, which one is meant is not written.
                break
            if key is not None:
                found.append(_Span(s, start, len(tokens), s, key, True, text=written,
                                   note=f"school of {key!r}: {' '.join(tokens[start:])!r}"))
                break
        if len(found) == before:
            # "David Geffen School of Medicine at UCLA": the university's acronym after the school.
            at = tokens.index("at", school) if "at" in tokens[school:] else -1
            tail = tokens[at + 1:] if at > 0 else ()
            key = _university_key(index, tail, acronym_only=True) if len(tail) == 1 else None
            if key is not None:
                found.append(_Span(s, start, len(tokens), s, key, True, text=tail[0],
                                   note=f"school of {key!r}: {' '.join(tokens[start:])!r}"))
    return found


def _university_key(index: NameIndex, short: tuple[str, ...], *, acronym_only: bool = False) -> str | None:
    """The name key of the one education-type institution ``short`` stands for: "<short> university"
    ("harvard university"), ``short`` itself ("penn state"), or the name of the one institution with that
    acronym ("nyu" -> "new york university")."""
    written = " ".join(short)
    keys = [] if acronym_only else [f"{written} university", written]
    acronym = {index.institution(p).ror_id: index.institution(p) for p in index.acronyms.get(acronym_key(written), [])}
    if len(short) == 1 and len(acronym) == 1:
        # "NYU Grossman School of Medicine", "UCLA School of Dentistry": the school is the acronym's context.
        keys.append(" ".join(fold_tokens(next(iter(acronym.values())).name)))
    for key in keys:
        postings = index.names.get(key, [])
        if postings and all("education" in index.institution(p).types for p in postings):
            return key
    return None


def _only_units_beside(segments: list[_Segment], s: int, school: int) -> bool:
    """Nothing but units of the school and places around it: another organisation written beside it
    ("McLean Hospital, Harvard Medical School"; "Harvard Medical School and Harvard Pilgrim Health Care
    Institute") may be the affiliation meant, and the registry may not hold it."""
    tokens = segments[s].tokens
    if "and" in tokens[school:] and any(t in _ORGANISATION_WORDS for t in tokens[tokens.index("and", school):]):
        return False
    for k, segment in enumerate(segments):
        if k == s or not segment.tokens or all(segment.location) or all(t.isdigit() for t in segment.tokens):
            continue
        first = next((t for t, loc in zip(segment.tokens, segment.location, strict=True) if not loc), "")
        if first not in DEPARTMENT_WORDS or any(t in _ORGANISATION_WORDS for t in segment.tokens[1:]):
            return False
    return True


def _school_at(tokens: tuple[str, ...], start: int) -> int | None:
    """Position of the school words after the short name: "medical school", "school of", "college of"."""
    for k in range(start + 1, len(tokens)):
        word = tokens[k]
        if word in _SCHOOL_KINDS and k + 1 < len(tokens) and tokens[k + 1] in _SCHOOL_WORDS:
            return k
        if word in _SCHOOL_WORDS:
            return k if k + 1 < len(tokens) and tokens[k + 1] in _SCHOOL_LINKS else None
    return None


def _cjk_spans(index: NameIndex, s: int, run: str, offset: int = 0) -> list[_Span]:
    names = index.names
    spans: list[_Span] = []
    start = 0
    while start < len(run):
        hit = 0
        for end in range(len(run), start, -1):
            piece = run[start:end]
            if piece in names and (len(piece) >= 3 or (start == 0 and end == len(run))):
                hit = end
                break
        if hit:
            whole = start == 0 and hit == len(run)
            span = _Span(s, offset, offset + 1, s, run[start:hit], not whole)
            span.note = f"CJK substring {run[start:hit]!r} of {run!r}" if not whole else ""
            if not whole and span.key.endswith(CJK_PLACE_SUFFIXES):
                span.key = ""  # refused: an address part
            elif not whole:
                before = run[:start]
                # A place, or the army running the institution (解放军 | 国防科技大学), may precede a name.
                if before and not before.endswith((*CJK_LOCATION_ENDINGS, *CJK_MILITARY_PREFIXES)):
                    span.note += f"; text before it ({before!r}) is not a place name"
                    span.key = ""  # refused below
            spans.append(span)
            start = hit
        else:
            start += 1
    return [s_ for s_ in spans if s_.key]


def maximal(spans: list[_Span], segments: list[_Segment]) -> list[_Span]:
    """Drop spans inside a longer found span; keep text order."""
    offsets: list[int] = []
    total = 0
    for segment in segments:
        offsets.append(total)
        total += len(segment.tokens)

    def bounds(span: _Span) -> tuple[int, int, int]:
        if span.note.startswith("CJK"):
            # Character-level CJK spans: compare by key length inside the same token.
            return offsets[span.segment] + span.start, offsets[span.last_segment] + span.end, len(span.key)
        return offsets[span.segment] + span.start, offsets[span.last_segment] + span.end, 0

    kept: list[_Span] = []
    for span in spans:
        a0, a1, _ = bounds(span)
        contained = False
        for other in spans:
            if other is span or other.note.startswith("CJK") or span.note.startswith("CJK"):
                continue
            b0, b1, _ = bounds(other)
            if b0 <= a0 and a1 <= b1 and (b1 - b0) > (a1 - a0):
                contained = True
                break
        if not contained:
            kept.append(span)
    kept.sort(key=lambda sp: (bounds(sp)[0], -bounds(sp)[1]))
    return kept


def acronym_spans(index: NameIndex, text: str, segments: list[_Segment]) -> list[tuple[_Span, list[Posting]]]:
    out: list[tuple[_Span, list[Posting]]] = []
    seen: set[str] = set()
    whole_segments = {
        acronym_key(" ".join(t for t, loc in zip(seg.tokens, seg.location, strict=True) if not loc))
        for seg in segments
    }
    for match in ACRONYM_TOKEN.finditer(text):
        key = acronym_key(match.group(1))
        if key in seen or len(key) < 2 or key not in whole_segments:
            continue
        seen.add(key)
        postings = index.acronyms.get(key)
        if postings:
            out.append((_Span(0, 0, 0, 0, key, False, note="acronym"), postings))
    # Short CJK aliases ("北航") written as a whole segment.
    for s, segment in enumerate(segments):
        if len(segment.tokens) == 1 and is_east_asian(segment.tokens[0][0]) and len(segment.tokens[0]) <= 2:
            postings = index.names.get(segment.tokens[0], [])
            aliases = [p for p in postings if p.kind in (NameKind.ALIAS, NameKind.ACRONYM)]
            if aliases:
                out.append((_Span(s, 0, 1, s, segment.tokens[0], False, note="short CJK alias"), aliases))
    return out


__all__ = ["ACRONYM_TOKEN", "acronym_spans", "core_spans", "maximal", "name_spans", "school_spans", "typo_spans"]
