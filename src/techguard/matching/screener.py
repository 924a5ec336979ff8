"""The screening engine: build an index over listed parties once, then screen names against it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from techguard.lists.model import NameType, Party, PartyKind
from techguard.matching.features import compare_features, parse_kind
from techguard.matching.grouping import group_hits
from techguard.matching.index import IndexedName, NameIndex
from techguard.matching.legal_forms import forms_agree, split_legal_forms
from techguard.matching.loanwords import LOANWORD_FACTOR, compare_loanword, loanword_key, transcription_key
from techguard.matching.pair_model import GENERIC_ONLY_CAP, PairModel, load_model, pair_features
from techguard.matching.query_forms import alternate_names
from techguard.matching.rounding import rounded
from techguard.matching.scoring import NameComparison, compare
from techguard.matching.tokens import (
    LATIN_KINDS,
    READ_ALOUD_KINDS,
    STOPWORDS,
    KeyKind,
    NameKey,
    analyse,
    comparable_kinds,
    looks_like_person,
    looks_like_personal_name,
)
from techguard.matching.vocabulary import Vocabulary, learn_pairs
from techguard.matching.word_weights import GENERIC_WORDS, capped_weight, learn_places
from techguard.text.fold import fold
from techguard.text.scripts import Script, has_katakana, scripts_of

ALGORITHM_VERSION = "techguard-match-2.9"
DEFAULT_THRESHOLD = 0.80
# A hit alerts only when the name score alone is at least this close to the threshold: other evidence
# (country, birth date) can tip a near match over, never lift a weak one.
NAME_MARGIN = 0.05
LEGAL_FORM_AGREES = 0.02
MAX_BONUS = 0.25
GROUPING_WINDOW = 4  # hits considered for grouping, per requested result  # the most that kind/country/birth date/identifier can add to a name score
LEGAL_FORM_DIFFERS = -0.03
WEAK_ALIAS_FACTOR = 0.9
# Reading Han characters aloud loses information (which language? which of many homophones?), so a match
# found only through a reading or pinyin is worth a little less than the same match in writing.
ROMANISED_HAN_FACTOR = 0.92  # OFAC "weak a.k.a." names are low-quality by the publisher's own word

Bridge = Party | tuple[str, str]
MAX_ACRONYM_HEARD = 3
# The default scorer (2.4): the pair model judges a candidate only where it was fitted to judge (names met
# in Latin letters, romanised or through a bridge, in an index as large as the lists it was fitted on) and
# only when the alignment puts the candidate within reach of the threshold; elsewhere the alignment score
# stands. Candidates far below the line never reach the model, so it costs little per query.
MODEL_FLOOR = 0.5
ABJAD_MODEL_FLOOR = 0.4
MIN_JUDGED_ENTRIES = 850  # the smallest list the pairs were built on (MOFCOM, 240 parties) indexes 870 keys
EXPLAINED_TERMS = 8  # a judged hit shows the model's largest terms, the rest summed
_NOT_JUDGED_QUERY = frozenset(
    {KeyKind.NATIVE, KeyKind.READING, KeyKind.PINYIN, KeyKind.TRANSLATED, KeyKind.LOANWORD}
)


@dataclass(frozen=True)
class Query:
    name: str
    kind: str | None = None
    country: str | None = None
    dob: str | None = None
    id: str | None = None  # the caller's own row id (query files' ``id`` column), echoed in results
    identifier: str | None = None  # a passport / registration / IMO number, compared with the listed ones


@dataclass(frozen=True)
class Match:
    party: Party
    score: float
    alert: bool
    matched_name: str
    query_name: str
    explanation: dict[str, Any]
    related: tuple[Match, ...] = ()  # the same party on other lists


@dataclass(slots=True)
class _Hit:
    party_index: int
    name_score: float  # the pair model's probability (the raw alignment score without a model)
    comparison: NameComparison
    query_key: NameKey
    listed_key: NameKey
    name_type: NameType
    via_bridge: str | None = None
    heard_as: str | None = None  # the Latin words a katakana person's name was judged as (Screener._heard_as)
    raw_score: float = 0.0  # the alignment score with the hand-set factors, used to pick the best key pair
    features: tuple[float, ...] = ()  # pair_model.FEATURES (with the model on, or from candidate_hits)
    person: bool = False
    judged: bool = False  # the pair model decided the name score (see MODEL_FLOOR)
    probability: float = 0.0  # the pair model's probability, when it judged
    not_judged: str = ""  # why the model did not judge, as decided in _best_key_match (explained as is)


def _is_person(party: Party, name: str) -> bool:
    return party.kind is PartyKind.PERSON or (party.kind is PartyKind.UNKNOWN and looks_like_person(name))


_LISTED_LOANWORDS: dict[str, NameKey | None] = {}


def _listed_loanword(name: str, vocabulary: Vocabulary) -> NameKey | None:
    """The loanword key of a listed katakana name, computed once per name (bounded cache)."""
    if name in _LISTED_LOANWORDS:
        return _LISTED_LOANWORDS[name]
    found = loanword_key(name, vocabulary.concept)
    if len(_LISTED_LOANWORDS) < 200_000:
        _LISTED_LOANWORDS[name] = found
    return found


def _has_cjk(text: str) -> bool:
    return bool(scripts_of(text) & {Script.HAN, Script.KANA})


class Screener:
    """Screen names against an in-memory index of listed parties (see ``docs/screening.md``)."""

    def __init__(
        self,
        parties: list[Party],
        index: NameIndex,
        vocabulary: Vocabulary,
        bridges: dict[str, list[str]],
        threshold: float = DEFAULT_THRESHOLD,
        *,
        use_model: bool | None = None,
    ) -> None:
        self.parties = parties
        self.index = index
        self.vocabulary = vocabulary
        self.bridges = bridges
        self.threshold = threshold
        self._signatures: dict[int, frozenset[str]] = {}
        self._positions = {id(party): position for position, party in enumerate(parties)}
        self._names = [party.all_names for party in parties]  # the property builds a new tuple per call
        # use_model: None (the default) lets the model judge where it was fitted to (see MODEL_FLOOR); True
        # makes its probability the name score of every hit (2.1); False keeps the alignment score alone
        # (used to build the labelled pairs, bench/pairs.py)
        self.model: PairModel | None = None if use_model is False else load_model()
        self.model_everywhere = use_model is True
        self._judging = len(index.entries) >= MIN_JUDGED_ENTRIES
        self.places = learn_places(parties)
        self._organisation_weight = capped_weight(index.weight, self.places)
        self._entries_of: dict[int, list[int]] | None = None

    def position_of(self, party: Party) -> int:
        """Where ``party`` (an object of this screener) sits in :attr:`parties`."""
        return self._positions[id(party)]

    # ------------------------------------------------------------------ build
    @classmethod
    def build(
        cls,
        parties: Iterable[Party],
        *,
        bridges: Iterable[Bridge] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        use_model: bool | None = None,
    ) -> Screener:
        """Index ``parties``. ``bridges`` are extra name equivalences used only to translate queries:
        parties from bilingual sources (METI Japanese renderings, MOFCOM Chinese/English pairs) or plain
        ``(foreign name, English name)`` pairs. Bilingual names of the indexed parties are bridges too."""
        party_list = list(parties)
        vocabulary = Vocabulary(learn_pairs(_entity_names(party_list)))
        entries: list[IndexedName] = []
        for p_index, party in enumerate(party_list):
            for n_index, name in enumerate(party.all_names):
                person = _is_person(party, name.value)
                for key in analyse(name.value, vocabulary, lang=name.lang, person=person):
                    entries.append(IndexedName(p_index, n_index, key))
        bridge_map: dict[str, list[str]] = {}
        for item in [*party_list, *(bridges or ())]:
            for foreign, english in _bridge_pairs(item):
                for key in analyse(foreign, vocabulary):
                    if key.is_native:
                        targets = bridge_map.setdefault(key.compact, [])
                        if english not in targets:
                            targets.append(english)
        return cls(party_list, NameIndex(entries), vocabulary, bridge_map, threshold, use_model=use_model)

    # ----------------------------------------------------------------- screen
    def screen(self, query: Query, *, top: int = 5, min_score: float = 0.3) -> list[Match]:
        """The ``top`` best-matching parties with score ≥ ``min_score``, best first (grouped across lists)."""
        return self._screen(query, top=top, min_score=min_score)

    def screen_excluding(
        self, query: Query, party_key: str, names: Collection[str], *, top: int = 5, min_score: float = 0.3
    ) -> list[Match]:
        """Screen as if the party ``party_key`` did not carry ``names`` (used by the benchmark's "alias
        removed from its entity" protocol, without rebuilding the index per query)."""
        return self._screen(query, top=top, min_score=min_score, excluded=(party_key, frozenset(names)))

    def screen_many(
        self,
        queries: Iterable[Query],
        *,
        top: int = 5,
        min_score: float = 0.3,
        workers: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[list[Match]]:
        """Screen many queries, results in input order; ``workers > 1`` forks processes sharing the index."""
        from techguard.matching.batch import screen_in_processes

        return screen_in_processes(
            self, queries, top=top, min_score=min_score, workers=workers, progress=progress
        )

    def _screen(
        self, query: Query, *, top: int, min_score: float, excluded: tuple[str, frozenset[str]] | None = None
    ) -> list[Match]:
        query_kind, best = self._collect(query, excluded)
        return self._finish(query, query_kind, best, top, min_score)

    def _query_keys(self, query: Query) -> tuple[list[NameKey], list[tuple[NameKey, str]], bool, bool]:
        """The query's keys (its alternates' too), its bridged keys, and whether it names a person."""
        query_kind = parse_kind(query.kind)
        person = query_kind is PartyKind.PERSON or (query_kind is None and looks_like_person(query.name))
        personal = person or (query_kind is None and looks_like_personal_name(query.name, self.vocabulary))
        query_keys: list[NameKey] = []
        seen: set[tuple[KeyKind, tuple[str, ...]]] = set()
        for name in alternate_names(query.name, self.places):
            for key in analyse(name, self.vocabulary, person=person):
                if (key.kind, key.tokens) not in seen:
                    seen.add((key.kind, key.tokens))
                    query_keys.append(key)
        bridged: list[tuple[NameKey, str]] = []
        for key in query_keys:
            if key.is_native:
                for english in self.bridges.get(key.compact, ()):
                    bridged.extend((k, english) for k in analyse(english, self.vocabulary))
        return query_keys, bridged, person, personal

    def _collect(
        self, query: Query, excluded: tuple[str, frozenset[str]] | None = None, *, only: int | None = None
    ) -> tuple[PartyKind | None, dict[int, _Hit]]:
        """The best hit per candidate party (or, with ``only``, for that party position alone)."""
        query_kind = parse_kind(query.kind)
        query_keys, bridged, _person, personal = self._query_keys(query)
        all_keys = query_keys + [k for k, _ in bridged]
        # katakana may be a foreign name written by sound (ロステック = ROSTEC, see loanwords.py); its
        # candidates are retrieved on their own, or the readings' many weak keys would crowd them out
        loan = None
        if _has_cjk(query.name):
            loan = loanword_key(query.name, self.vocabulary.concept) or transcription_key(
                query.name, self.vocabulary.concept
            )
        inferred = query_kind is None and not personal and any(k.legal - {"group"} for k in query_keys)
        # a legal form in the query ("... Corp Ltd") says it names an organisation, not a person
        kind = PartyKind.ORGANISATION if inferred else query_kind
        if not all_keys and loan is None:
            return kind, {}
        if only is not None:
            entry_ids = self._entries_of_party(only)
            if loan is not None:
                query_keys = [*query_keys, loan]
        else:
            entry_ids = self.index.candidates(all_keys) if all_keys else []
            if loan is not None:
                query_keys = [*query_keys, loan]
                entry_ids = list(dict.fromkeys([*entry_ids, *self.index.candidates([loan])]))
        best: dict[int, _Hit] = {}
        compared: dict[tuple[Any, ...], NameComparison] = {}
        options: list[tuple[NameKey, str | None]] = [(k, None) for k in query_keys] + list(bridged)
        for entry_id in entry_ids:
            entry = self.index.entries[entry_id]
            party = self.parties[entry.party]
            name = self._names[entry.party][entry.name]
            if excluded is not None and party.key == excluded[0] and name.value in excluded[1]:
                continue
            person = personal or party.kind is PartyKind.PERSON
            hit = self._best_key_match(query_keys, bridged, entry, name.type, person, compared, options)
            if hit is None:
                continue
            current = best.get(entry.party)
            if current is None or hit.name_score > current.name_score:
                best[entry.party] = hit
        return kind, best

    def _generic_match(self, comparison: NameComparison, person: bool) -> bool:
        """Does the match rest only on generic and place words or initials, with something left over or
        inexact? (東京大学 / Institute of Science Tokyo; T&D / TECHNOLOGY AND DEVELOPMENT)."""
        if person or not comparison.pairs or comparison.method == "native":
            return False
        whole = (
            not comparison.unmatched_query
            and not comparison.unmatched_listed
            and all(pair.how in ("exact", "vocabulary") for pair in comparison.pairs)
        )
        if whole:
            return False  # the listed name is exactly these generic words
        for pair in comparison.pairs:
            if pair.how == "initial":
                continue
            for word in pair.query.split():
                concept = self.vocabulary.concept(word)
                if concept not in GENERIC_WORDS and concept not in self.places and word not in STOPWORDS:
                    return False
        return True

    def _entries_of_party(self, position: int) -> list[int]:
        if self._entries_of is None:
            entries_of: dict[int, list[int]] = {}
            for entry_id, entry in enumerate(self.index.entries):
                entries_of.setdefault(entry.party, []).append(entry_id)
            self._entries_of = entries_of
        return self._entries_of.get(position, [])

    def candidate_hits(
        self, query: Query, *, excluded: tuple[str, frozenset[str]] | None = None, party: int | None = None
    ) -> list[_Hit]:
        """Every candidate party's best hit, unranked (for fitting and benchmarking the pair model);
        with ``party`` (a position in :attr:`parties`), that party's best hit whether retrieved or not."""
        hits = list(self._collect(query, excluded, only=party)[1].values())
        for hit in hits:
            if not hit.features:
                self._add_features(hit)
        return hits

    def _best_key_match(
        self,
        query_keys: list[NameKey],
        bridged: list[tuple[NameKey, str]],
        entry: IndexedName,
        name_type: NameType,
        person: bool,
        compared: dict[tuple[Any, ...], NameComparison] | None = None,
        options: list[tuple[NameKey, str | None]] | None = None,
    ) -> _Hit | None:
        """The best of the query's keys against one listed key. ``compared`` memoises word comparisons
        within one query: the same name is often listed by several sources (an SDN entry in the CSL and in
        OFAC's file), and its keys differ only in the name as written, which the comparison does not read."""
        listed = entry.key
        listed_words = (listed.kind, listed.tokens, listed.concepts, listed.stems, listed.phonetics,
                        listed.compact, listed.words)  # fmt: skip
        best: _Hit | None = None
        abbreviations = not person
        weight = self.index.weight if person else self._organisation_weight
        if options is None:
            options = [(k, None) for k in query_keys] + [(k, e) for k, e in bridged]
        for key, via in options:
            if not comparable_kinds(key.kind, listed.kind):
                continue
            if key.kind in READ_ALOUD_KINDS and len(listed.compact) <= MAX_ACRONYM_HEARD:
                # one kanji read aloud (成 = SEI) is not an acronym (SEI) written in Latin letters
                continue
            heard: str | None = None
            if key.kind is KeyKind.LOANWORD:
                comparison = compare_loanword(key, listed, weight)
                latin = self._heard_as(key, comparison) if person else None
                if latin is not None:
                    # a person's name in katakana that sounds word for word as listed words is judged as that
                    # Latin name (ヴィクトル・ヤヌコーヴィチ = VIKTOR YANUKOVYCH), as a Cyrillic one is as its
                    # romanisation: an alert means the same whatever script the officer typed
                    heard, key = " ".join(latin.tokens), latin
                    comparison = compare(latin, listed, weight, abbreviations=False)
            elif listed.kind is KeyKind.READING and key.kind in LATIN_KINDS and has_katakana(listed.name):
                # a listed name written only in katakana (MOF's イワン・クソフ) read as a loanword, as a
                # katakana query is: the Latin query then meets it by sound
                listed_loan = _listed_loanword(listed.name, self.vocabulary)
                if listed_loan is None:
                    continue
                comparison = compare_loanword(listed_loan, key, weight)
            elif compared is None:
                comparison = compare(key, listed, weight, abbreviations=abbreviations)
            else:
                memo = (id(key), person, listed_words)
                found = compared.get(memo)
                if found is None:
                    found = compared[memo] = compare(key, listed, weight, abbreviations=abbreviations)
                comparison = found
            score = comparison.score
            agree = forms_agree(key.legal, listed.legal)
            if score > 0 and agree is True:
                score = min(1.0, score + LEGAL_FORM_AGREES)
            elif score > 0 and agree is False:
                score = max(0.0, score + LEGAL_FORM_DIFFERS)
            if name_type is NameType.WEAK_AKA:
                score *= WEAK_ALIAS_FACTOR
            if via is not None:
                score *= 0.98  # a bridged name is one step removed from what was typed
            if key.kind is KeyKind.LOANWORD:
                score *= LOANWORD_FACTOR
            elif {key.kind, listed.kind} & {KeyKind.PINYIN, KeyKind.READING, KeyKind.TRANSLATED}:
                score *= ROMANISED_HAN_FACTOR
            if best is None or score > best.raw_score:
                best = _Hit(entry.party, score, comparison, key, listed, name_type, via, heard, raw_score=score)
        if best is None:
            return None
        best.person = person
        if self.model is not None and self.model_everywhere:
            self._add_features(best)
            best.name_score = self.model.probability(best.features)
            return best
        # (a score already at or under the cap cannot change: the check is skipped for it)
        if best.name_score > GENERIC_ONLY_CAP and self._generic_match(best.comparison, person):
            # the expert rule the model also applies: generic and place words alone never alert
            best.name_score = min(best.name_score, GENERIC_ONLY_CAP)
        if self.model is None:
            return best
        floor = self.model_floor(best)
        if not self._judging:
            best.not_judged = "index too small for the model's word weights"
        elif best.raw_score < floor:
            best.not_judged = "alignment below the model's floor"
        elif not self.model_judges(best):
            best.not_judged = "a way of meeting the model was not fitted to judge"
        elif best.name_score < floor:
            best.not_judged = "alignment below the model's floor"  # lowered to it by the generic-words rule
        else:
            self._add_features(best)
            best.probability = self.model.probability(best.features)
            best.name_score = judged_score(best.name_score, best.probability, self.threshold)
            best.judged = True
        return best  # otherwise features are computed on demand (candidate_hits), not on the screening path

    def _heard_as(self, key: NameKey, comparison: NameComparison) -> NameKey | None:
        """The Latin key of the listed words a katakana name sounds as, word for word and exactly (two words
        or more, none left over, none met by meaning); else ``None``."""
        pairs = comparison.pairs
        if (
            len(pairs) < 2
            or len(pairs) != len(key.tokens)
            or comparison.unmatched_query
            or any(pair.similarity < 1.0 or pair.how != "loanword" for pair in pairs)
        ):
            return None
        order = {token: position for position, token in enumerate(key.tokens)}
        words = [pair.listed for pair in sorted(pairs, key=lambda pair: order.get(pair.query, 0))]
        latin = [k for k in analyse(" ".join(words), self.vocabulary, person=True) if k.kind is KeyKind.LATIN]
        return replace(latin[0], name=key.name) if latin else None

    @staticmethod
    def model_floor(hit: _Hit) -> float:
        """The alignment score from which the model judges: :data:`MODEL_FLOOR`, lower for a query in Arabic
        or Hebrew script, whose consonant matches align low even when right (fitting pairs, Arabic→Latin: F1
        0.848 at 0.5, 0.876 at 0.4; lower still gained on the pairs, but at 0.30 the model called حسن نصر الله
        AL-NUSRAH FRONT at 0.98: it extrapolates below what it was shown)."""
        return ABJAD_MODEL_FLOOR if hit.query_key.kind is KeyKind.ABJAD else MODEL_FLOOR

    @staticmethod
    def model_judges(hit: _Hit) -> bool:
        """Is this a way of meeting the pair model was fitted to judge? Not a Han/kana query read, translated
        or heard as a loanword (the lists give no right match of that kind: a party's Japanese alias reaches
        its English name through the publisher's bridge), not Han/kana compared in writing, and not the very
        same words (identity needs no judge)."""
        if hit.query_key.kind in _NOT_JUDGED_QUERY or hit.listed_key.is_native:
            return False
        comparison = hit.comparison
        identical = (
            comparison.pairs
            and not comparison.unmatched_query
            and not comparison.unmatched_listed
            and all(pair.how == "exact" for pair in comparison.pairs)
        )
        return not identical

    def model_explanation(self, hit: _Hit) -> dict[str, Any] | None:
        """What the pair model said of a hit: every term (model everywhere), the largest terms of a judged
        hit, or why it did not judge."""
        if self.model is None:
            return None
        if self.model_everywhere:
            return self.model.explain(hit.features)
        if hit.judged:
            explained = self.model.explain(hit.features, top=EXPLAINED_TERMS)
            explained["judged"] = True
            explained["probability"] = rounded(hit.probability, 4)
            return explained
        return {"judged": False, "why": hit.not_judged}

    def _add_features(self, best: _Hit) -> None:
        query_key = best.query_key
        if best.person and (
            query_key.kind is KeyKind.TRANSLIT
            or (
                query_key.kind is KeyKind.HANGUL
                and best.comparison.pairs
                and not best.comparison.unmatched_query
                and not best.comparison.unmatched_listed
                and all(pair.how == "exact" for pair in best.comparison.pairs)
            )
        ):
            # A person's name in Cyrillic or Greek romanises letter for letter (Олег Дерипаска = OLEG
            # DERIPASKA, Аркадий = ARKADII ~ ARKADY), a Hangul one that is the very words listed: judged as
            # the Latin name it now is, so that an alert means the same whatever script the officer typed
            # (the model's weights for romanised names were fitted mostly on Arabic-script ones, whose vowels
            # are guessed). Organisations keep them: a Cyrillic organisation name is as often a Russian
            # rendering of Arabic words (Катиба ат-Таухид = KHATIBA AL-TAWHID), which they judge better.
            query_key = replace(query_key, kind=KeyKind.LATIN)
        best.features = pair_features(
            best.comparison,
            query_key,
            best.listed_key,
            person=best.person,
            legal_agrees=forms_agree(best.query_key.legal, best.listed_key.legal),
            name_type=best.name_type,
            bridged=best.via_bridge is not None,
            max_weight=self.index.max_word_idf,
            generic_match=self._generic_match(best.comparison, best.person),
        )

    def _finish(
        self, query: Query, query_kind: PartyKind | None, best: dict[int, _Hit], top: int, min_score: float
    ) -> list[Match]:
        scored: list[tuple[float, bool, _Hit, dict[str, Any]]] = []
        for hit in best.values():
            if hit.name_score + MAX_BONUS < min_score:
                continue
            party = self.parties[hit.party_index]
            features = compare_features(
                party, kind=query_kind, country=query.country, dob=query.dob, identifier=query.identifier
            )
            final = max(0.0, min(1.0, hit.name_score + features.adjustment))
            near = hit.name_score >= self.threshold - NAME_MARGIN
            alert = final >= self.threshold and (
                near or (features.identifier_match and hit.name_score >= 0.5)
            )
            if final >= min_score:
                scored.append((final, alert, hit, features.details))
        # equal scores keep the alignment's order: the candidates the model turned down all sit just under
        # the line (judged_score), and the best aligned of them is the likeliest right one
        scored.sort(key=lambda t: (-t[0], -t[2].raw_score, self.parties[t[2].party_index].key))
        # only the head of the ranking can reach the output; grouping the tail would be wasted work
        head = scored[: top * GROUPING_WINDOW]
        groups = group_hits(head, lambda t: self.parties[t[2].party_index], self.signature)
        matches: list[Match] = []
        for members in groups[:top]:
            built = [self._to_match(query, *member) for member in members]
            matches.append(_with_related(built[0], tuple(built[1:])))
        return matches

    def _to_match(
        self, query: Query, final: float, alert: bool, hit: _Hit, features: dict[str, Any]
    ) -> Match:
        from techguard.matching.explain import explanation

        party = self.parties[hit.party_index]
        return Match(
            party=party,
            score=rounded(final, 4),
            alert=alert,
            matched_name=hit.listed_key.name,
            query_name=query.name,
            explanation=explanation(self, hit, final, alert, features),
        )

    def signature(self, party: Party) -> frozenset[str]:
        """The party's names as sorted core words (legal forms dropped): how results group one entity's
        listings across sources. Kept per party (a batch fills it before forking its workers)."""
        key = id(party)
        found = self._signatures.get(key)
        if found is None:
            sigs: set[str] = set()
            for name in party.all_names:
                words = tuple(fold(name.value).split())
                core, _ = split_legal_forms(words)
                if core:
                    sigs.add(" ".join(sorted(core)))
            found = frozenset(sigs)
            self._signatures[key] = found
        return found


def judged_score(alignment: float, probability: float, threshold: float) -> float:
    """A judged hit's name score: the model's probability once it reaches the line below which nothing
    alerts on the name alone; below it, the alignment score held under that line, so the candidates the
    model turns down keep the alignment's order (bare probabilities near 0 do not rank)."""
    line = threshold - NAME_MARGIN
    if probability >= line:
        return probability
    return min(alignment, line - 0.01)


def _with_related(match: Match, related: tuple[Match, ...]) -> Match:
    if not related:
        return match
    return Match(
        party=match.party,
        score=match.score,
        alert=match.alert or any(r.alert for r in related),
        matched_name=match.matched_name,
        query_name=match.query_name,
        explanation=match.explanation,
        related=related,
    )


def _entity_names(parties: list[Party]) -> Iterator[list[tuple[str, ...]]]:
    """Per organisation, its Latin names as core words (for vocabulary learning)."""
    for party in parties:
        if party.kind is PartyKind.PERSON:
            continue
        cores: list[tuple[str, ...]] = []
        for name in party.all_names[:12]:
            if _has_cjk(name.value) or scripts_of(name.value) - {Script.LATIN}:
                continue
            core, _ = split_legal_forms(tuple(fold(name.value).split()))
            if core and core not in cores:
                cores.append(core)
        if len(cores) > 1:
            yield cores


def _bridge_pairs(item: Bridge) -> Iterator[tuple[str, str]]:
    if isinstance(item, tuple):
        yield item
        return
    names = item.all_names
    foreign = [n.value for n in names if _has_cjk(n.value)]
    latin = [n.value for n in names if not _has_cjk(n.value) and scripts_of(n.value) <= {Script.LATIN}]
    for f in foreign:
        for english in latin[:3]:
            yield f, english


__all__ = [
    "ABJAD_MODEL_FLOOR",
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLD",
    "MODEL_FLOOR",
    "Bridge",
    "Match",
    "Query",
    "Screener",
    "judged_score",
]
