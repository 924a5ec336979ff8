"""Affiliation string -> one institution, with a score and the reasons, or an explicit "not resolved" /
"ambiguous" answer (with the candidates) that never reads as clear.

Lookup is of folded name spans, never open-ended fuzzy similarity, because a near-miss name is usually a
different institution ("Nanjing University" vs "Nanjing University of Aeronautics and Astronautics"):

1. ``segments``: split at commas, semicolons and line breaks; parenthesised and quoted text become segments of
   their own; HTML entities are decoded. Countries that close a segment (not inside a name: "University of New
   Mexico"), registry cities and postal codes are location tokens.
2. ``spans``: every token run (and runs over following segments, "University of California, Davis") equal to a
   registry name; CJK runs by substring ("東京大学大学院工学系研究科" finds "東京大学"); runs equal to a name in
   another language or spelling with the same word order (``variants``: "Humboldt University of Berlin").
3. ``leftover``: a name that is only part of its segment is accepted when the rest is a unit, a place, an
   address, a legal form, a linking word, or another institution joined to it ("A and B", "A/B"); refused when
   the name visibly continues ("Nanjing University | of Aeronautics ...").
4. Candidates whose country contradicts a written country are dropped (Northeastern University US vs CN);
   then city, ROR relations to the other names in the text, script (a leading "The", accents on Latin letters,
   apostrophes and other punctuation aside: "Hawaiʻi" = "Hawaii"), the language of
   the name written (one's own name in its country's language over another's translation: "Universidad de
   Valparaíso" CL vs US; never English, which researchers everywhere write), name kind and status narrow them;
   several left -> "ambiguous", a no-match. One display name shared by an organisation's sites -> the ROR
   parent; a name shared by institutions of which only one has ROR units of its own (Northwestern University
   US vs PH) -> that one (affiliation strings only, never when linking a listed name). An alias that is another
   name altogether and also the shortened name of other sites ("Loyola University" of Universidad Loyola
   Andalucía and of "Loyola University Chicago"; "King's College", a former name of Columbia University) ->
   "ambiguous", unless the text names its city; the flagship's own short name ("University of Illinois") stays.
   A name refused as a shortened form ("University of California") still tells the country: an institution of
   another country named beside it (the Tokyo hospital whose alias is "Cardiovascular Research Institute") is
   refused.
5. Only when no name resolved: names without their own city when the text names that city ("Washington
   University" + "St. Louis") or when no other institution's name starts so, organisations named after it
   aside ("Justus-Liebig University"; "Washington University" beside "Washington University Physicians"),
   unless another site's place follows ("University of the Philippines | Los Baños"; several sites so
   shortened stay refused: "University of North Carolina" does not say which campus); one misspelt word of a
   long name (``typos``); a school named after its university's short name or acronym with only units and
   places beside it ("Harvard Medical School", "NYU Grossman School of Medicine",
   "David Geffen School of Medicine at UCLA": ``spans.school_spans``); acronyms with a country or city, their
   name spelt out in the text or a ROR parent/child among the other acronyms (``acronyms``).
5b. A segment with katakana (or wholly in kanji with no name found) no name filled: a Japanese rendering of a
   foreign institution (``japanese``: ハルビン工業大学, ノヴォシビルスク国立大学, ソウル大学, 高麗大学).
6. Several institutions found (``_choose``): the last one that is a ROR ancestor of another named (when all
   the others are its descendants), else the one education-type one; of two joined in one segment whose first
   is a university, the first.
   Anything else ("Inserm, CNRS"; two unrelated universities) -> "ambiguous" with what was named.
   Opt-in (``Resolver(choice=True)``): a fitted choice model (``choice``) decides instead, from the same
   candidates and the rule's own pick; it was measured no better than the rule and is off by default.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Sequence

from techguard.research.acronyms import spelt_out, text_words
from techguard.research.choice import Candidate, ChoiceModel, load_model
from techguard.research.choice import features as choice_features
from techguard.research.geo import countries_agree, country_languages, country_names
from techguard.research.index import KIND_ORDER, NameIndex, Posting, build_index
from techguard.research.japanese import render
from techguard.research.leftover import leftover_ok, mark_neighbours
from techguard.research.normalise import acronym_key, fold_tokens
from techguard.research.readings import KATAKANA_RUN, PlaceIndex
from techguard.research.registry import Institution, NameKind, Registry, normalise_ror_id
from techguard.research.resolution import STATUS_TEXT, Membership, Resolution
from techguard.research.segments import PARENTHESIS as _PARENTHESIS
from techguard.research.segments import Context as _Context
from techguard.research.segments import Segment as _Segment
from techguard.research.segments import Span as _Span
from techguard.research.segments import mentioned_countries, split_segments
from techguard.research.spans import (
    ACRONYM_TOKEN,
    acronym_spans,
    core_spans,
    name_spans,
    school_spans,
    typo_spans,
)
from techguard.research.variants import loose_key
from techguard.research.vocabulary import (
    CONTINUATION_WORDS,
    DEPARTMENT_WORDS,
    GENERIC_WORDS,
    INSTITUTION_WORDS,
)
from techguard.text.scripts import has_east_asian

MIN_SCORE = 0.8
# Fewest ROR child records that make one of several same-name candidates the organisation meant.
MIN_UNITS = 2
MAX_CANDIDATES = 8  # an "ambiguous" answer lists at most this many institutions

_KIND_SCORE: dict[str, float] = {NameKind.DISPLAY: 1.0, NameKind.LABEL: 1.0, NameKind.ALIAS: 0.95, NameKind.ACRONYM: 0.88}


# First words of unit-like names that are also whole institutions ("Institute of Photonic Sciences", "College
# of the Holy Cross"); "Department of ...", "Division of ..." never stand alone.
_STANDALONE_FIRST_WORDS = frozenset({"institute", "institut", "instituto", "istituto", "center", "centro",
                                     "college", "academy", "academia"})


# Apostrophes and the ʻokina: written or left out at will ("King's College" / "Kings College", "Hawaiʻi").
_APOSTROPHES = frozenset("'’‘`´ʻʼʹ")
_LAST_LATIN = "\u024f"  # accents are dropped from Latin letters only: kana voicing marks stay (か / が)


def _written_form(name: str) -> str:
    """A name as it would be written, for telling same-key candidates apart by how the text writes them:
    casefolded, without a leading article ("The Open University" is written "Open University" as often as
    not), and without what writers add or leave out at will — accents on Latin letters, apostrophes, hyphens
    and other punctuation ("University of Hawaiʻi" = "University of Hawaii"). What is left tells a script
    apart (東北大学 JP / 东北大学 CN) and a qualifier the text does not write ("... (Guangzhou)")."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", name.casefold()):
        if unicodedata.combining(char):
            if not kept or kept[-1] > _LAST_LATIN:
                kept.append(char)
        elif char not in _APOSTROPHES:
            kept.append(char if char.isalnum() else " ")
    folded = " ".join(unicodedata.normalize("NFKC", "".join(kept)).split())
    return folded[4:] if folded.startswith("the ") else folded


def _starts_own_name(span: _Span, institution: Institution) -> bool:
    """Is the loose key a variant span matched the start of the institution's own name ("Universidad de
    California" of the University of California System): a shortened name, not a spelling of it?"""
    return loose_key(fold_tokens(institution.name)).startswith(span.key + " ")


def _stands_alone(span: _Span, segments: list[_Segment], words: list[str]) -> bool:
    """A unit-like name taken without its place: the whole segment, a distinctive subject ("Photonic
    Sciences", not "Cancer Research"), and no organisation named after it (else it is that one's unit)."""
    if span.partial or span.segment != span.last_segment or words[0] not in _STANDALONE_FIRST_WORDS:
        return False
    if all(w in GENERIC_WORDS for w in words[2:]):
        return False
    return not any(t in INSTITUTION_WORDS for seg in segments[span.last_segment + 1:] for t in seg.tokens)


class Resolver:
    """Resolve affiliation strings against one registry index. Thread-safe: it keeps no per-call state."""

    def __init__(
        self,
        index: NameIndex | Registry,
        *,
        memberships: Callable[[Institution, str | None], tuple[tuple[Membership, ...], tuple[Membership, ...]]]
        | None = None,
        min_score: float = MIN_SCORE,
        choice: ChoiceModel | bool = False,
    ) -> None:
        # A Registry is indexed here (seconds for 50k records); pass a cached NameIndex to skip that.
        self.index = build_index(index) if isinstance(index, Registry) else index
        self._memberships = memberships
        self.min_score = min_score
        # The fitted choice among several institutions named (``choice``): opt-in, because on the development
        # part of the Crossref set it does no better than the hand-written rule of ``_choose`` (docs/benchmarks.md,
        # "Research security", 2026-12-02 fourth run). False: the rule only.
        self._choice = load_model() if choice is True else (choice or None)
        self._countries = country_names()
        self._by_id: dict[str, Institution] | None = None  # built on first use
        self._places = PlaceIndex(self.index)  # katakana place readings; built on first use
        self._core_extensions: dict[str, frozenset[int]] | None = None  # see ``_extensions``
        self._places_written: frozenset[str] | None = None  # registry cities and country names; on first use

    def with_memberships(
        self,
        memberships: Callable[[Institution, str | None], tuple[tuple[Membership, ...], tuple[Membership, ...]]],
    ) -> Resolver:
        return Resolver(self.index, memberships=memberships, min_score=self.min_score,
                        choice=self._choice or False)

    # -- public -----------------------------------------------------------------------------------------

    def institution(self, ror_id: str) -> Institution | None:
        """The indexed institution with this ROR id (withdrawn records are not indexed)."""
        if self._by_id is None:
            self._by_id = {i.ror_id: i for i in self.index.institutions}
        return self._by_id.get(normalise_ror_id(ror_id))

    def memberships_of(
        self, institution: Institution, as_of: str | None
    ) -> tuple[tuple[Membership, ...], tuple[Membership, ...]]:
        """(designations, assessments) of ``institution`` in force on ``as_of``; empty without lists."""
        return self._memberships(institution, as_of) if self._memberships is not None else ((), ())

    def lineage(self, ror_id: str) -> list[str]:
        """``ror_id`` and its ROR ancestors, nearest first."""
        out = [normalise_ror_id(ror_id)]
        i = 0
        while i < len(out):
            current = self.institution(out[i])
            for parent in current.parents if current else ():
                if parent not in out:
                    out.append(parent)
            i += 1
        return out

    def resolve(self, text: str, *, as_of: str | None = None, country_hint: str | None = None) -> Resolution:
        """Resolve ``text``; ``as_of`` (ISO date) selects list memberships; ``country_hint`` adds a country."""
        segments, context, found, notes, ambiguous = self._find(text, country_hint)
        if found:
            return self._answer(text, found, segments, context, notes, as_of)
        if not notes or all(n.startswith("country mentioned") for n in notes):
            notes.append("no registry name, alias or acronym found in the text")
        candidates = self._candidates(ambiguous)
        status = STATUS_TEXT["ambiguous" if candidates else "not_resolved"]
        return Resolution(text, None, None, None, 0.0, (status, *notes), candidates=candidates)

    def choice_candidates(self, text: str, *, country_hint: str | None = None, least: int = 2) -> list[Candidate]:
        """The institutions ``text`` names, each with the choice model's features (``choice``), when it names
        at least ``least``; else empty. What ``bench/fit_research_choice.py`` fits on."""
        segments, context, found, _, _ = self._find(text, country_hint)
        if not found or len({o[0].ror_id for _, o in found}) < least:
            return []
        chosen = self._choose(found, [])
        return self._choice_candidates(found, None if chosen is None else chosen[1][0].ror_id, segments, context)

    def _find(
        self, text: str, country_hint: str | None
    ) -> tuple[list[_Segment], _Context, list[tuple[_Span, tuple[Institution, Posting, list[str]]]], list[str],
               list[list[Posting]]]:
        """Segments, context, the institutions named (in order of appearance), notes and ambiguous names."""
        segments = self._segments(text)
        context = self._context(segments, country_hint)
        ambiguous: list[list[Posting]] = []  # candidate sets that stayed ambiguous
        notes: list[str] = []
        if context.countries:
            notes.append(f"country mentioned: {', '.join(sorted(context.countries))}")
        found: list[tuple[_Span, tuple[Institution, Posting, list[str]]]] = []
        spans = name_spans(self.index, segments)
        mark_neighbours(spans, segments, spans)
        contexts = self._nearby_contexts(spans, context)
        span_notes: list[list[str]] = [[] for _ in spans]
        outcomes = [self._decide(span, self._postings(span), contexts[k], segments, span_notes[k],
                                 ambiguous=ambiguous)
                    for k, span in enumerate(spans)]
        if any(span.name_after or span.name_before for span in spans):
            # A joined name counts only next to a name accepted on its own terms: in "corporate member of
            # Freie Universität Berlin and Humboldt-Universität zu Berlin" neither is the affiliation.
            mark_neighbours(spans, segments, [span for span, o in zip(spans, outcomes, strict=True) if o])
            span_notes = [[] for _ in spans]
            ambiguous.clear()
            outcomes = [self._decide(span, self._postings(span), contexts[k], segments, span_notes[k],
                                     ambiguous=ambiguous)
                        for k, span in enumerate(spans)]
        countries = {o[0].country for o in outcomes if o is not None and o[0].country}
        if not context.countries and len(countries) == 1 and None in outcomes:
            # Institutions named together are almost always in one country: "National Institute of Mental
            # Health, National Institutes of Health" -> the US NIH, not a namesake elsewhere.
            for k, span in enumerate(spans):
                if outcomes[k] is None:
                    inferred = dataclasses.replace(contexts[k], countries=countries, inferred=True)
                    outcomes[k] = self._decide(span, self._postings(span), inferred, segments, [], ambiguous=ambiguous)
                    if outcomes[k] is not None:
                        span_notes[k] = [f"{span.key!r}: country {next(iter(countries))} taken from the other "
                                         "institution(s) named"]
        if not context.countries:
            self._check_shortened_countries(spans, outcomes, contexts, segments, span_notes, ambiguous)
        notes.extend(note for k in range(len(spans)) for note in span_notes[k])
        found.extend((span, o) for span, o in zip(spans, outcomes, strict=True) if o is not None)
        self._renderings(segments, context, found, notes, ambiguous)
        if not found:
            for span in core_spans(self.index, segments):
                outcome = self._decide(span, self._postings(span), context, segments, notes, ambiguous=ambiguous)
                if outcome is not None:
                    found.append((span, outcome))
        if not found:
            for span in typo_spans(self.index, segments):
                outcome = self._decide(span, self._postings(span), context, segments, notes, ambiguous=ambiguous)
                if outcome is not None:
                    found.append((span, outcome))
        if not found:
            if self._places_written is None:
                self._places_written = frozenset(self.index.cities | self._countries.keys())
            for span in school_spans(self.index, segments, self._places_written):
                outcome = self._decide(span, self._postings(span), context, segments, notes, ambiguous=ambiguous)
                if outcome is not None:
                    found.append((span, outcome))
        if not found:
            hits = acronym_spans(self.index, text, segments)
            for k, (span, postings) in enumerate(hits):
                # The other acronyms' institutions: a ROR parent or child among them supports this one.
                nearby = frozenset(self.index.institution(p).ror_id for j, (_, other) in enumerate(hits)
                                   if j != k and len(other) <= 8 for p in other)
                outcome = self._decide(span, postings, dataclasses.replace(context, nearby=nearby), segments, notes,
                                       acronym=True, ambiguous=ambiguous)
                if outcome is not None:
                    found.append((span, outcome))
        return segments, context, found, notes, ambiguous

    def _check_shortened_countries(
        self,
        spans: list[_Span],
        outcomes: list[tuple[Institution, Posting, list[str]] | None],
        contexts: list[_Context],
        segments: list[_Segment],
        span_notes: list[list[str]],
        ambiguous: list[list[Posting]],
    ) -> None:
        """A name refused only because it does not say which site ("University of California") still says which
        country the text is in: an institution accepted elsewhere in the text from another country is decided
        again with that country ("Cardiovascular Research Institute, University of California" is not the
        Tokyo hospital of that alias)."""
        implied = {country for k, span in enumerate(spans)
                   if outcomes[k] is None and (country := self._shortened_country(span, segments))}
        if len(implied) != 1:
            return
        for k, span in enumerate(spans):
            outcome = outcomes[k]
            if outcome is None or not outcome[0].country or any(countries_agree(c, outcome[0].country)
                                                                for c in implied):
                continue
            inferred = dataclasses.replace(contexts[k], countries=implied, inferred=True)
            outcomes[k] = self._decide(span, self._postings(span), inferred, segments, span_notes[k],
                                       ambiguous=ambiguous)
            if outcomes[k] is None:
                span_notes[k].append(f"{span.key!r}: refused, {outcome[0].name!r} ({outcome[0].country}) is not in "
                                     f"the country of the shortened name written beside it ({next(iter(implied))})")

    def _shortened_country(self, span: _Span, segments: list[_Segment]) -> str | None:
        """The one country of the institutions a written name is the shortened form of (``_decide`` refuses it:
        "Universidad de California" starts the University of California System's names), else ``None``."""
        postings = self._postings(span) if span.variant else []
        institutions = [self.index.institution(p) for p in postings]
        if not institutions or not all(_starts_own_name(span, i) for i in institutions):
            return None
        countries = {i.country for i in institutions}
        if len(countries) != 1 or not leftover_ok(span, segments, self.index.cities, []):
            return None
        return next(iter(countries))

    def _answer(
        self,
        text: str,
        found: list[tuple[_Span, tuple[Institution, Posting, list[str]]]],
        segments: list[_Segment],
        context: _Context,
        notes: list[str],
        as_of: str | None,
    ) -> Resolution:
        """One institution named -> it; several -> the rule of ``_choose``, then (when a choice model is
        loaded) the model's most probable candidate, or "ambiguous" when even that one is below its threshold."""
        chosen = self._choose(found, notes)
        if self._choice is not None and len({o[0].ror_id for _, o in found}) > 1:
            candidates = self._choice_candidates(found, None if chosen is None else chosen[1][0].ror_id, segments,
                                                 context)
            model = self._choice
            probabilities = [model.probability(c.values) for c in candidates]
            best = max(range(len(candidates)), key=lambda k: probabilities[k])
            line = model.explain(candidates[best], [c for k, c in enumerate(candidates) if k != best])
            if probabilities[best] < model.threshold:
                notes.append(f"ambiguous: {line}, below the model's threshold {model.threshold:.2f}")
                chosen = None
            else:
                notes.append(line)
                chosen = next(item for item in reversed(found) if item[1][0].ror_id == candidates[best].ror_id)
        if chosen is None:
            return self._ambiguous_choice(text, [o[0] for _, o in found], notes, as_of)
        span, outcome = chosen
        others = tuple(dict.fromkeys(o[0].ror_id for _, o in found if o[0].ror_id != outcome[0].ror_id))
        return self._finish(text, outcome, span, segments, notes, as_of, others)

    def _choice_candidates(
        self,
        found: list[tuple[_Span, tuple[Institution, Posting, list[str]]]],
        rule_pick: str | None,
        segments: list[_Segment],
        context: _Context,
    ) -> list[Candidate]:
        """Each distinct institution of ``found``, in order of appearance, with the choice model's features."""
        spans: dict[str, list[tuple[_Span, Institution, Posting]]] = {}
        for span, (institution, posting, _) in found:
            spans.setdefault(institution.ror_id, []).append((span, institution, posting))
        ids = list(spans)
        lineages = {i: self.lineage(i) for i in ids}
        education = [i for i in ids if "education" in spans[i][0][1].types]
        taken = {span.segment for span, _ in found} | {span.last_segment for span, _ in found}
        out: list[Candidate] = []
        for k, ror_id in enumerate(ids):
            items = spans[ror_id]
            institution = items[0][1]
            others = [o for o in ids if o != ror_id]
            related = {r.ror_id for r in institution.relationships if r.type == "related"}
            coverage = 0.0
            for span, _, _ in items:
                tokens = len(segments[span.segment].tokens) if 0 <= span.segment < len(segments) else 0
                coverage = max(coverage, 1.0 if span.last_segment != span.segment or not tokens
                               else min(1.0, (span.end - span.start) / tokens))
            kind = min((p.kind for _, _, p in items), key=KIND_ORDER.index)
            city = " ".join(fold_tokens(institution.city or ""))
            out.append(Candidate(ror_id, institution.name, choice_features(
                rule_pick=ror_id == rule_pick,
                rule_ambiguous=rule_pick is None,
                index=k,
                count=len(ids),
                last_segment=max(span.last_segment for span, _, _ in items),
                segments=len(segments),
                types=institution.types,
                name=institution.name,
                only_education=education == [ror_id],
                ancestor_of_named=any(ror_id in lineages[o][1:] for o in others),
                descendant_of_named=any(o in lineages[ror_id][1:] for o in others),
                related_to_named=any(o in related for o in others),
                has_parent=bool(institution.parents),
                units=len(institution.children),
                whole_segment=any(not span.partial for span, _, _ in items),
                coverage=coverage,
                kind=kind,
                variant=any(span.variant or span.core or (span.note and span.note != "acronym")
                            for span, _, _ in items),
                joined_first=any(span.name_after for span, _, _ in items),
                joined_second=any(span.name_before for span, _, _ in items),
                country_written=any(countries_agree(c, institution.country) for c in context.countries)
                if institution.country else False,
                city_written=bool(city) and f" {city} " in context.folded_text,
                mentions=len(items),
                starts_string=any(span.segment == 0 and span.start == 0 for span, _, _ in items),
                unit_before=self._unit_before(items[0][0], segments, taken),
            )))
        return out

    def resolve_name(self, name: str, *, country: str | None = None) -> Resolution:
        """Resolve a listed *name* as a whole (designation linking): no segments, no partial spans."""
        notes: list[str] = []
        context = _Context({country.upper()} if country else set(), " " + " ".join(fold_tokens(name)) + " ",
                           unicodedata.normalize("NFKC", name).casefold())
        variants = dict.fromkeys([name, _PARENTHESIS.sub(" ", name)])
        for variant in variants:
            key = " ".join(fold_tokens(variant))
            postings = self.index.names.get(key, [])
            span = _Span(0, 0, len(key.split()), 0, key, False)
            # A listed name is linked only when it is unambiguous: no preference among same-name candidates.
            outcome = self._decide(span, postings, context, [], notes, prefer_units=False)
            if outcome is not None:
                return self._finish(name, outcome, span, [], notes, None)
        key = acronym_key(name)
        if ACRONYM_TOKEN.fullmatch(name.strip()) and key in self.index.acronyms and country:
            span = _Span(0, 0, 1, 0, key, False, note="acronym")
            outcome = self._decide(span, self.index.acronyms[key], context, [], notes, acronym=True)
            if outcome is not None:
                return self._finish(name, outcome, span, [], notes, None)
        return Resolution(name, None, None, None, 0.0,
                          (f"{STATUS_TEXT['not_resolved']}: no registry name equals the whole name", *notes))

    def resolve_many(self, texts: Sequence[str], *, as_of: str | None = None) -> list[Resolution]:
        return [self.resolve(t, as_of=as_of) for t in texts]

    def _renderings(
        self,
        segments: list[_Segment],
        context: _Context,
        found: list[tuple[_Span, tuple[Institution, Posting, list[str]]]],
        notes: list[str],
        ambiguous: list[list[Posting]],
    ) -> None:
        """Japanese renderings of foreign institutions (``japanese``): a segment with katakana, or one wholly in
        kanji where no name was found (Korean names), that no registry name filled."""
        whole = {span.segment for span, _ in found if not span.partial}
        for s, segment in enumerate(segments):
            if s in whole or not any(has_east_asian(t) for t in segment.tokens):
                continue
            if not KATAKANA_RUN.search(segment.raw) and any(span.segment == s for span, _ in found):
                continue
            rendering = render(self.index, self._places, segment.raw)
            if rendering is None:
                continue
            span = _Span(s, 0, len(segment.tokens), s, " ".join(segment.tokens), False, note=rendering.reason)
            outcome = self._decide(span, list(rendering.postings), context, segments, notes, ambiguous=ambiguous)
            if outcome is not None:
                found[:] = [item for item in found if item[0].segment != s]
                found.append((span, outcome))
                found.sort(key=lambda item: item[0].segment)

    def _ambiguous_choice(
        self, text: str, institutions: list[Institution], notes: list[str], as_of: str | None
    ) -> Resolution:
        """Several institutions named and none is "the" affiliation: no answer, but every institution named is
        listed (``candidates`` and ``others``) and the lists of each are checked, so that a designated
        institution named beside another is never hidden by the ambiguity."""
        named = list({i.ror_id: i for i in institutions}.values())
        designations: tuple[Membership, ...] = ()
        assessments: tuple[Membership, ...] = ()
        if self._memberships is not None:
            for institution in named:
                found_designations, found_assessments = self._memberships(institution, as_of)
                via = f"; named in the text: {institution.name}"
                designations += tuple(dataclasses.replace(m, via=m.via + via) for m in found_designations)
                assessments += tuple(dataclasses.replace(m, via=m.via + via) for m in found_assessments)
        listed = "; ".join(f"{i.name} ({i.country}, {i.ror_id})" for i in named)
        return Resolution(text, None, None, None, 0.0,
                          (STATUS_TEXT["ambiguous"], *notes, f"institutions named: {listed}"),
                          designations=designations, assessments=assessments,
                          others=tuple(i.ror_id for i in named),
                          candidates=tuple((i.ror_id, i.name, i.country) for i in named[:MAX_CANDIDATES]))

    def _candidates(self, ambiguous: list[list[Posting]]) -> tuple[tuple[str, str, str | None], ...]:
        """The institutions left by ambiguous names, once each, at most ``MAX_CANDIDATES``."""
        seen: dict[str, tuple[str, str, str | None]] = {}
        for postings in ambiguous:
            for posting in postings:
                institution = self.index.institution(posting)
                seen.setdefault(institution.ror_id, (institution.ror_id, institution.name, institution.country))
        return tuple(seen.values())[:MAX_CANDIDATES]

    # -- segmentation -----------------------------------------------------------------------------------

    def _segments(self, text: str) -> list[_Segment]:
        segments = split_segments(text, self._countries, self.index.cities)
        acronyms = self.index.acronyms
        for segment in segments:
            # Registry acronyms written in capitals ("CNRS", "SGGW"): organisations named beside a name.
            written = set(ACRONYM_TOKEN.findall(segment.raw))
            segment.acronym = [len(t) >= 2 and t.isalnum() and t.upper() in written and acronym_key(t) in acronyms
                               for t in segment.tokens]
        return segments

    def _context(self, segments: list[_Segment], country_hint: str | None) -> _Context:
        return mentioned_countries(segments, self._countries, self.index.names, country_hint)

    # -- candidate spans --------------------------------------------------------------------------------

    def _nearby_contexts(self, spans: list[_Span], context: _Context) -> list[_Context]:
        """Per span, the context plus the institutions the *other* names may stand for: names written together
        are usually related ("National Cancer Institute, National Institutes of Health" -> the US NCI and NIH,
        parent and child in ROR), which settles a name shared by institutions in several countries."""
        if len(spans) < 2:
            return [context] * len(spans)
        ids: list[frozenset[str]] = []
        for span in spans:
            postings = self._postings(span)
            # A name shared by many institutions ("Department of Health") says nothing about the others.
            ids.append(frozenset(self.index.institution(p).ror_id for p in postings) if len(postings) <= 8
                       else frozenset())
        return [dataclasses.replace(context, nearby=frozenset().union(*(x for j, x in enumerate(ids) if j != k)))
                for k in range(len(spans))]

    def _postings(self, span: _Span) -> list[Posting]:
        if span.core:
            return self.index.cores.get(span.key) or self.index.loose_cores.get(span.key, [])
        if not span.variant:
            return self.index.names.get(span.key, [])
        postings = [*self.index.loose.get(span.key, []), *self.index.names.get(span.key, [])]
        return list({p.institution: p for p in reversed(postings)}.values())

    # -- decisions --------------------------------------------------------------------------------------

    def _decide(
        self,
        span: _Span,
        postings: list[Posting],
        context: _Context,
        segments: list[_Segment],
        notes: list[str],
        *,
        acronym: bool = False,
        ambiguous: list[list[Posting]] | None = None,
        prefer_units: bool = True,
    ) -> tuple[Institution, Posting, list[str]] | None:
        if not postings or not leftover_ok(span, segments, self.index.cities, notes):
            return None
        reasons: list[str] = []
        candidates = list(postings)
        # A city inside the matched name ("Newcastle University") corroborates nothing.
        context = dataclasses.replace(
            context, folded_text=context.folded_text.replace(f" {span.text or span.key} ", " ", 1))
        if span.variant:
            # "Universidad de California" is a label of the University of California *System*: a variant that
            # is only the start of the institution's own name is a shortened name, not a spelling of it.
            full = [p for p in candidates if not _starts_own_name(span, self.index.institution(p))]
            if not full:
                notes.append(f"{span.text!r}: refused, a shortened form of {self.index.institution(candidates[0]).name!r}")
                return None
            candidates = full
        if span.trailing:
            own_city = [p for p in candidates if " ".join(fold_tokens(self.index.institution(p).city or ""))
                        in " ".join(span.trailing)]
            if not own_city:
                notes.append(f"{span.key!r}: refused, followed by the city {' '.join(span.trailing)!r} "
                             "which is not its own (the name may continue)")
                return None
            candidates = own_city
        if span.core:
            # The city the name ends with must be written elsewhere in the text.
            in_city = [p for p in candidates if self._city_written(p, context)]
            if in_city:
                reasons.append(f"{span.key!r} is {self.index.institution(in_city[0]).name!r} without its city, "
                               "which the text names")
            elif self._other_place_after(span, segments, candidates):
                notes.append(f"{span.key!r}: refused, a shortened name followed by a place that is not its city "
                             "(another site of the name)")
                return None
            elif self._only_shortening(span, candidates):
                in_city = candidates
                reasons.append(f"{span.key!r} is {self.index.institution(in_city[0]).name!r} without its city: no "
                               "other institution's name starts so")
            if not in_city:
                notes.append(f"{span.key!r}: refused, a shortened name whose city is not in the text")
                return None
            candidates = in_city
        words = span.words()
        # "Graduate School of Engineering" opens a unit too ("Research Centre for Natural Sciences" is an institute).
        opening = 2 if len(words) >= 3 and words[0] == "graduate" and words[1] in DEPARTMENT_WORDS else 1
        unit_like = len(words) > opening and words[0] in DEPARTMENT_WORDS and words[opening] in CONTINUATION_WORDS
        if unit_like and len(words) <= 3 + opening and not acronym:
            # "Department of Biological Sciences", "Institute of Mathematics": names many units share;
            # accepted only when the text names the institution's country or city.
            supported = [p for p in candidates if self._place_named(p, context) and not context.inferred]
            if not supported and len(candidates) == 1 and _stands_alone(span, segments, words):
                reasons.append(f"{span.key!r} is the last organisation named and the only institution so named")
                supported = candidates
            if not supported:
                notes.append(f"{span.key!r}: refused, a unit-like name needs its country or city in the text")
                return None
            candidates = supported
        if context.countries:
            agreeing = [p for p in candidates
                        if any(countries_agree(c, self.index.institution(p).country) for c in context.countries)]
            if not agreeing:
                names = "; ".join(f"{self.index.institution(p).name} ({self.index.institution(p).country})"
                                  for p in candidates[:3])
                notes.append(f"{span.key!r}: refused, country conflicts with the text: {names}")
                return None
            if len(agreeing) < len(candidates):
                reasons.append(f"{len(candidates) - len(agreeing)} same-name candidate(s) in other countries set aside")
            candidates = agreeing

        def city_named(p: Posting) -> bool:
            city = self.index.institution(p).city
            return bool(city) and f" {' '.join(fold_tokens(city or ''))} " in context.folded_text

        if acronym:
            candidates = self._supported_acronym(span, candidates, context, city_named, notes, reasons)
            if not candidates:
                return None
        written = _written_form(context.written) if len(candidates) > 1 else ""
        candidates = self._narrow(candidates, [
            ("city named in the text", city_named),
            ("name written exactly so (same script)",
             lambda p: _written_form(p.value) in written),
            # Affiliation strings only: a listed name links only when it is unambiguous as written.
            ("name in a language of the institution's own country (not a translation)",
             self._native_name if prefer_units else lambda p: None),
            ("related (ROR parent or child) to another institution named in the text",
             lambda p: self._related(self.index.institution(p).ror_id, context.nearby)),
            ("strongest name kind", None),
            ("active record", lambda p: self.index.institution(p).status == "active"),
        ], reasons)
        if len(candidates) > 1:
            # One organisation with sites in several countries under one display name ("European Molecular
            # Biology Laboratory" in DE, ES, FR, IT, GB): the parent of all the others is the name's plain
            # meaning. Companies ROR tells apart by country ("Sanofi (France)", "Sanofi (United States)") stay
            # ambiguous: which subsidiary is meant is not written.
            ids = {self.index.institution(p).ror_id for p in candidates}
            same_name = len({self.index.institution(p).name for p in candidates}) == 1
            parents = [p for p in candidates if same_name and all(self.index.institution(p).ror_id in self.lineage(other)[1:]
                              for other in ids - {self.index.institution(p).ror_id})]
            if len(parents) == 1:
                reasons.append(f"kept the ROR parent of the {len(candidates) - 1} other same-name candidate(s)")
                candidates = parents
        if len(candidates) > 1 and prefer_units and not acronym:
            # A name shared by institutions in several places, nothing in the text to tell them apart, and only
            # one of them an organisation with units of its own in the registry (Northwestern University US,
            # 3 ROR child records, vs PH, none): the name's plain meaning is the organisation with units.
            with_units = [p for p in candidates if len(self.index.institution(p).children) >= MIN_UNITS]
            if len(with_units) == 1 and all(not self.index.institution(p).children
                                            for p in candidates if p is not with_units[0]):
                reasons.append(f"kept the only one of {len(candidates)} same-name candidates with ROR units of its "
                               f"own ({len(self.index.institution(with_units[0]).children)}); the others have none")
                candidates = with_units
        if len(candidates) > 1:
            listed = "; ".join(f"{self.index.institution(p).name} ({self.index.institution(p).country}, "
                               f"{self.index.institution(p).ror_id})" for p in candidates[:4])
            notes.append(f"{span.key!r}: ambiguous between {len(candidates)} institutions: {listed}")
            if ambiguous is not None:
                ambiguous.append(candidates)
            return None
        chosen = candidates[0]
        sites = self._alias_shared_by_sites(span, chosen)
        if sites and not city_named(chosen):
            listed = "; ".join(self.index.institutions[k].name for k in sites[:3])
            notes.append(f"{span.key!r}: ambiguous, an alias of {self.index.institution(chosen).name!r} that is also "
                         f"the shortened name of other sites ({listed}); the text names no place")
            if ambiguous is not None:
                ambiguous.append([chosen, *(Posting(k, NameKind.ALIAS.value, self.index.institutions[k].name)
                                            for k in sites)])
            return None
        if city_named(chosen):
            reasons.append(f"city {self.index.institution(chosen).city!r} appears in the text")
        return self.index.institution(chosen), chosen, reasons

    def _choose(
        self, found: list[tuple[_Span, tuple[Institution, Posting, list[str]]]], notes: list[str]
    ) -> tuple[_Span, tuple[Institution, Posting, list[str]]] | None:
        """Several institutions named: affiliation strings run from the unit to the institution it belongs to
        ("Lab, Institute, University, City"), so the affiliation of record is the last named institution that
        is a ROR ancestor of another one named, provided everything else named is that institution or its ROR
        descendant; among unrelated institutions, the one university or other education-type institution
        (a researcher's employer of record; hospitals, facilities and funders named beside it are where the
        work was done or who paid). Two institutions written together in one segment whose first is a
        university ("University of Turku and Turku University Hospital") are one entry whose first name is the
        author's main affiliation.

        ``None`` (an explicit "ambiguous" answer listing what was named) when that rule does not single one
        out: an institution outside the family of the named parent ("Institut Curie, PSL" beside a ROR
        parent/child pair), two unrelated universities ("Sorbonne Université, Université Paris Cité"), or
        unrelated institutions none of which is a university ("Inserm, CNRS"). Which one is "the"
        affiliation is then each publisher's convention, not something the text says."""
        named = [outcome[0].ror_id for _, outcome in found]
        # A joined pair counts as its first name only when that one is a university: "DZNE and University of
        # Bonn", "Centenary Institute, and The University of Sydney" are left to the rules below.
        found = [item for k, item in enumerate(found)
                 if not (k and item[0].name_before and found[k - 1][0].last_segment == item[0].segment
                         and found[k - 1][0].end in (item[0].start, item[0].start - 1)
                         and "education" in found[k - 1][1][0].types)]
        distinct = list(dict.fromkeys(outcome[0].ror_id for _, outcome in found))
        if len(distinct) == 1:
            return found[-1]
        for span, outcome in reversed(found):
            ror_id = outcome[0].ror_id
            if any(ror_id in self.lineage(other)[1:] for other in named):
                outside = [o for o in distinct if o != ror_id and ror_id not in self.lineage(o)[1:]]
                if outside:
                    notes.append(f"ambiguous: {outcome[0].name!r} is the ROR parent of another institution named, "
                                 f"but {len(outside)} unrelated institution(s) are named too")
                    return None
                return span, outcome
        education = [item for item in found if "education" in item[1][0].types]
        universities = dict.fromkeys(outcome[0].ror_id for _, outcome in education)
        if len(universities) == 1:
            return education[-1]
        notes.append("ambiguous: several unrelated institutions named and "
                     + ("none is a university" if not universities else f"{len(universities)} are universities"))
        return None

    @staticmethod
    def _unit_before(span: _Span, segments: list[_Segment], taken: set[int]) -> bool:
        """A unit word ("Department", "Laboratory") right before ``span``: in its own segment, or in the segment
        before it when no institution was found there ("Department of X, University Y")."""
        if not 0 <= span.segment < len(segments):
            return False
        if any(t in DEPARTMENT_WORDS for t in segments[span.segment].tokens[:span.start]):
            return True
        before = span.segment - 1
        return before >= 0 and before not in taken and any(t in DEPARTMENT_WORDS for t in segments[before].tokens)

    def _only_shortening(self, span: _Span, candidates: list[Posting]) -> bool:
        """A name without its city that can only be one institution: "Justus-Liebig University",
        "University of Texas Medical Branch". Not when the shortened name is itself an institution's name
        ("Northeastern University"), is generic ("Medical University"), or starts the names of institutions
        outside the candidate's ROR family ("University of Massachusetts" -> Amherst, Boston, Lowell ...)."""
        ids = {self.index.institution(p).ror_id for p in candidates}
        if (len(ids) != 1 or span.key in self.index.names or span.key in self.index.loose
                or all(w in GENERIC_WORDS for w in span.words())):
            return False
        only = next(iter(ids))
        return not self._other_sites(span.key, only)

    def _other_sites(self, shortened: str, ror_id: str) -> list[int]:
        """Positions of the institutions outside ``ror_id``'s family whose names start with ``shortened`` and go
        on with a place: other sites of the shortened name ("University of Massachusetts" -> Amherst, Boston,
        Lowell ...), not organisations named after the institution."""
        institution = self.institution(ror_id)
        # Its own family: ROR ancestors, descendants and "related" records ("Radboud University Medical Center"
        # is related to Radboud University Nijmegen, so it does not make "Radboud University" ambiguous).
        family = {*self.lineage(ror_id), *(r.ror_id for r in institution.relationships if r.type == "related")} \
            if institution else {ror_id}
        return [position for position in self._extensions().get(shortened, ())
                if (other := self.index.institutions[position]).ror_id not in family
                and ror_id not in self.lineage(other.ror_id)
                and not any(r.type == "related" and r.ror_id == ror_id for r in other.relationships)
                and not self._named_after(other, institution, shortened)]

    def _alias_shared_by_sites(self, span: _Span, posting: Posting) -> list[int]:
        """Other sites whose names an alias is also the shortened form of: "Loyola University" is an alias (a
        translation) of Universidad Loyola Andalucía and the start of "Loyola University Chicago"; "King's
        College" a former name of Columbia University and the start of "King's College London". Which one the
        text means it does not say, as for any shortened name. Empty for an alias that names the institution's
        own city ("IIT Delhi"), and for one that starts the institution's own name: that is ROR recording the
        flagship's short name ("University of Illinois" of "University of Illinois Urbana-Champaign")."""
        if posting.kind != NameKind.ALIAS or span.core:
            return []
        institution = self.index.institution(posting)
        written = set(span.words())
        if any(w in written for w in fold_tokens(institution.city or "") if w not in GENERIC_WORDS):
            return []
        own = fold_tokens(institution.name)
        if any(key.startswith(span.key + " ") for key in (" ".join(own), loose_key(own))):
            return []
        return self._other_sites(span.key, institution.ror_id)

    def _other_place_after(self, span: _Span, segments: list[_Segment], candidates: list[Posting]) -> bool:
        """A shortened name followed in its segment by a place that is not the candidate's own city:
        "University of the Philippines | Los Baños" names another site than "... Manila"."""
        if not 0 <= span.last_segment < len(segments):
            return False
        segment = segments[span.last_segment]
        after = segment.tokens[span.end:]
        if not after or not segment.location[span.end] or after[0].isdigit():
            return False
        written = " ".join(after)
        if any(" ".join(after[:k]) in self._countries for k in range(1, min(3, len(after)) + 1)):
            return False
        return not any(written.startswith(" ".join(fold_tokens(self.index.institution(p).city or "")) or "\0")
                       for p in candidates)

    def _named_after(self, other: Institution, institution: Institution | None, core: str) -> bool:
        """``other`` is an organisation named after ``institution``, not another site of the shortened name:
        its name holds ``institution``'s full name ("Imperial College London Diabetes Centre"), or goes on
        after ``core`` with no place ("Washington University Physicians", "Imperial College Healthcare
        Charity") — unlike "University of Massachusetts Boston" or "Northeastern University London"."""
        if institution is None:
            return False
        # Its own names other than the shortened one itself (an alias may be exactly that: "University of
        # Tennessee" of the Knoxville campus; every extension would "hold" it).
        own = [key for n in institution.names if n.kind != NameKind.ACRONYM
               if (key := " ".join(fold_tokens(n.value))) != core]
        cities = self.index.cities
        extends = False
        for name in other.names:
            if name.kind == NameKind.ACRONYM:
                continue
            key = " ".join(fold_tokens(name.value))
            loose = loose_key(key.split())
            if not (key.startswith(core + " ") or loose.startswith(core + " ")):
                continue
            extends = True
            if any(key.startswith(o + " ") for o in own if o):
                continue  # holds the institution's own full name
            rest = (key if key.startswith(core + " ") else loose)[len(core) + 1:].split()
            places = {" ".join(rest[i:j]) for i in range(len(rest)) for j in range(i + 1, min(len(rest), i + 3) + 1)}
            own_city = " ".join(fold_tokens(other.city or ""))
            if places & cities or places & self._countries.keys() or (own_city and own_city in " ".join(rest)):
                return False
        return extends

    def _extensions(self) -> dict[str, frozenset[int]]:
        """Core key (``NameIndex.cores``) -> institutions with a name that starts with it and goes on; built
        on first use (one pass over the name keys, well under a second)."""
        if self._core_extensions is None:
            cores = self.index.cores
            found: dict[str, set[int]] = {}
            for key, postings in self.index.names.items():
                words = key.split(" ")
                for k in range(1, len(words)):
                    prefix = " ".join(words[:k])
                    if prefix in cores:
                        found.setdefault(prefix, set()).update(p.institution for p in postings)
                        # Keyed by the loose form too, for shortened names written in another spelling.
                        found.setdefault(loose_key(words[:k]), set()).update(p.institution for p in postings)
            self._core_extensions = {key: frozenset(value) for key, value in found.items()}
        return self._core_extensions

    def _supported_acronym(
        self,
        span: _Span,
        candidates: list[Posting],
        context: _Context,
        city_named: Callable[[Posting], bool],
        notes: list[str],
        reasons: list[str],
    ) -> list[Posting]:
        """The candidates of an acronym that the text supports (``acronyms``): its city or a country written,
        its name spelt out in the text, or its ROR parent or child among the other acronyms written."""
        words = text_words(context.folded_text.split())
        supported: list[Posting] = []
        for p in candidates:
            institution = self.index.institution(p)
            if city_named(p) or (context.countries and institution.country is not None):
                supported.append(p)
            elif (spelt := spelt_out(institution, words)) is not None:
                supported.append(p)
                reasons.append(f"acronym {span.key!r}: the text spells out {spelt!r}")
            elif self._related(institution.ror_id, context.nearby):
                supported.append(p)
                reasons.append(f"acronym {span.key!r}: its ROR parent or child is written as an acronym too")
        if not supported:
            notes.append(f"acronym {span.key!r}: refused, no country, city, spelt-out name or related acronym "
                         "in the text to support it")
        return supported

    def _unit_memberships(
        self,
        institution: Institution,
        others: tuple[str, ...],
        as_of: str | None,
        designations: tuple[Membership, ...],
        assessments: tuple[Membership, ...],
    ) -> tuple[tuple[Membership, ...], tuple[Membership, ...]]:
        """Add the lists of units of the answer that the text names ("State Key Laboratory of X, Harbin
        Institute of Technology" -> the laboratory's own listings too). Only ROR descendants of the answer:
        a sibling or an unrelated institution named beside it is not the affiliation's."""
        assert self._memberships is not None
        for other in others:
            if institution.ror_id not in self.lineage(other)[1:]:
                continue
            unit = self.institution(other)
            if unit is None:
                continue
            unit_designations, unit_assessments = self._memberships(unit, as_of)
            # Listings of the answer itself reach the unit through its ROR parent: those are already there.
            designations += tuple(dataclasses.replace(m, via=f"{m.via}; unit named in the text: {unit.name}")
                                  for m in unit_designations if "parent " not in m.via)
            assessments += tuple(dataclasses.replace(m, via=f"{m.via}; unit named in the text: {unit.name}")
                                 for m in unit_assessments if "parent " not in m.via)
        return designations, assessments

    def _native_name(self, posting: Posting) -> bool | None:
        """The name matched is in a language of the institution's country, not a translation: "Universidad de
        Valparaíso" is the Chilean university's own name and a Spanish rendering of the US one's (Valparaiso
        University). ``None`` when the name's language or the country's languages are not known, and for English
        names (see below)."""
        institution = self.index.institution(posting)
        lang = next((n.lang for n in institution.names if n.value == posting.value and n.lang), None)
        languages = country_languages(institution.country) if institution.country else frozenset()
        if lang is None or not languages or lang.split("-")[0] == "en":
            # Not known, or English, the language researchers everywhere write affiliations in: "Northeastern
            # University" is written so in Shenyang as in Boston. The preference is then not applied (``_narrow``).
            return None
        return lang.split("-")[0] in languages

    def _city_written(self, posting: Posting, context: _Context) -> bool:
        city = " ".join(fold_tokens(self.index.institution(posting).city or ""))
        if not city:
            return False
        # "St. Louis" / "Saint Louis": the registry and the text abbreviate differently.
        variants = {city, city.replace("saint ", "st "), city.replace("st ", "saint ")}
        return any(f" {v} " in context.folded_text for v in variants)

    def _related(self, ror_id: str, nearby: frozenset[str]) -> bool:
        """``ror_id`` is a ROR ancestor or descendant of one of ``nearby``."""
        if not nearby:
            return False
        return any(a in nearby for a in self.lineage(ror_id)[1:]) or any(
            ror_id in self.lineage(other)[1:] for other in nearby)

    def _place_named(self, posting: Posting, context: _Context) -> bool:
        institution = self.index.institution(posting)
        if institution.country and institution.country in context.countries:
            return True
        city = " ".join(fold_tokens(institution.city or ""))
        return bool(city) and f" {city} " in context.folded_text

    def _narrow(
        self,
        candidates: list[Posting],
        preferences: list[tuple[str, Callable[[Posting], bool | None] | None]],
        reasons: list[str],
    ) -> list[Posting]:
        for label, test in preferences:
            if len(candidates) <= 1:
                break
            if test is None:
                best = min(KIND_ORDER.index(p.kind) for p in candidates)
                preferred = [p for p in candidates if KIND_ORDER.index(p.kind) == best]
            else:
                verdicts = [test(p) for p in candidates]
                if any(v is None for v in verdicts):
                    continue  # the test cannot tell for every candidate: no preference
                preferred = [p for p, v in zip(candidates, verdicts, strict=True) if v]
            if preferred and len(preferred) < len(candidates):
                reasons.append(f"kept {len(preferred)} of {len(candidates)} candidates: {label}")
                candidates = preferred
        return candidates

    def _finish(
        self,
        text: str,
        outcome: tuple[Institution, Posting, list[str]],
        span: _Span,
        segments: list[_Segment],
        notes: list[str],
        as_of: str | None,
        others: tuple[str, ...] = (),
    ) -> Resolution:
        institution, posting, reasons = outcome
        score = _KIND_SCORE[posting.kind]
        if span.partial:
            score *= 0.92
        if span.variant:
            score *= 0.95  # written in another language or spelling than the registry's name
        if span.note.startswith("typo"):
            score *= 0.95  # and one word misspelt
        if span.note.startswith(("Japanese rendering", "Korean name")):
            score *= 0.95  # a reading of a reading
        if span.note.startswith("school of"):
            score *= 0.95  # a school named after its university: the university, one step removed
        if others and not all(institution.ror_id in self.lineage(other)[1:] for other in others):
            # Several institutions named: which one is "the" affiliation is a convention, so be less sure
            # (not when all the others are its own ROR units: "NIAID, NIH" names one organisation).
            score *= 0.9
        explanation = [
            f"matched {posting.kind} {posting.value!r} "
            + ("(part of the segment)" if span.partial else "(whole segment)")
            + (f" [{span.note}]" if span.note else "")
            + (f" [spelling variant: {span.key!r}]" if span.variant else ""),
            *reasons,
            *notes,
        ]
        if others:
            explanation.append(f"also named in the text: {', '.join(others)}")
        if score < self.min_score:
            return Resolution(text, None, None, None, score,
                              (f"{STATUS_TEXT['not_resolved']}: best score below threshold", *explanation))
        designations: tuple[Membership, ...] = ()
        assessments: tuple[Membership, ...] = ()
        if self._memberships is not None:
            designations, assessments = self._memberships(institution, as_of)
            designations, assessments = self._unit_memberships(institution, others, as_of, designations, assessments)
        matched = posting.value
        return Resolution(text, institution.ror_id, institution.name, institution.country, round(score, 3),
                          tuple(explanation), matched, designations, assessments, others)


__all__ = ["CONTINUATION_WORDS", "DEPARTMENT_WORDS", "MIN_SCORE", "Membership", "Resolution", "Resolver"]
