"""Name-against-name scoring: an IDF-weighted word alignment with an explanation.

The score of a query key against a listed key is

    Σ_aligned sim · (w_q + w_l)  /  (Σ_aligned (w_q + w_l) + Σ_unaligned-query w_q + β · Σ_unaligned-listed w_l)

where ``w`` is the IDF of the word's concept in the indexed lists (so LIMITED, BANK, AL weigh little
and rare words weigh a lot) and β < 1 because listed names often carry extra words the user does not
type. Word similarity: same concept 1.0 (exact or vocabulary), same stem 0.92, Levenshtein ≥ 0.75
otherwise; initials, acronyms, syllabic abbreviations and compounds align one word with several.
Run-together spellings are also compared as whole strings. Native CJK keys compare by character
bigrams with anchored-substring credit (トヨタ自動車 inside トヨタ自動車販売).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from techguard.matching.abbreviations import align_span, covers_core
from techguard.matching.han_terms import han_numbers
from techguard.matching.korean import is_korean_name, same_korean_word
from techguard.matching.rounding import rounded
from techguard.matching.tokens import READ_ALOUD_KINDS, STOPWORDS, KeyKind, NameKey, skeleton
from techguard.matching.translit import abjad_skeleton, east_slavic_skeleton

UNMATCHED_LISTED_WEIGHT = 0.5  # β above
MIN_FUZZY = 0.75
VOWELS = frozenset("aeiou")
# Romanisations of Korean (McCune-Reischauer / Revised), Chinese (Wade-Giles / pinyin) and Arabic disagree
# on whether a first consonant is voiced: T'AESONG / DAESONG, KANGGYE / GANGGYE, PUSAN / BUSAN.
VOICING = {"t": "d", "d": "t", "k": "g", "g": "k", "p": "b", "b": "p"}
STEM_SIMILARITY = 0.92
PHONETIC_SIMILARITY = 0.95
SKELETON_SIMILARITY = 0.8
INITIAL_SIMILARITY = 0.6
PREFIX_SIMILARITY = 0.8
MIN_COMPACT_LEN = 6
MIN_COMPACT_RATIO = 0.85
MIN_ABJAD_WHOLE = 5  # consonants
MIN_ABJAD_RATIO = 0.93  # consonants only: one consonant more or less is a different name below ~12
HANGUL_REORDERED = 0.7
# Two names that write different numbers (第十四 / 第五十四 研究所, CETC 14 / CETC 28, GRACE 1 / GRACE 2) name
# different bodies however much else they share: shown, never an alert, below the pair model's floor.
OTHER_NUMBER_CAP = 0.45
MAX_VOWEL_LENGTH_GAP = 3  # letters: SELMAN / SULAYMAN
MIN_SPELLING_WORD = 4  # letters as written: CIA / KIA fold alike but are not one word
# Ukrainian/Belarusian H for Russian G (HENADZ / GENNADIY), Belarusian U for V (ULADZIMIR / VLADIMIR)
_SLAVIC_STARTS = frozenset({"hg", "gh", "uv", "vu"})
_SYLLABLES = frozenset({KeyKind.PINYIN, KeyKind.HANGUL})


@dataclass(frozen=True, slots=True)
class WordPair:
    query: str
    listed: str
    similarity: float
    how: str  # exact | vocabulary | stem | fuzzy | initial | prefix | acronym | syllabic | compound

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "listed": self.listed,
            "similarity": rounded(self.similarity, 3),
            "how": self.how,
        }


@dataclass(slots=True)
class AlignmentStats:
    """What the pair model reads from an alignment besides its score (see :mod:`pair_model`): IDF mass
    on each side, aligned and not, and how the aligned mass was reached."""

    query_weight: float = 0.0  # Σ w over the query's words
    listed_weight: float = 0.0
    query_aligned: float = 0.0  # Σ sim · w over aligned query words
    listed_aligned: float = 0.0
    query_words: int = 0
    listed_words: int = 0
    query_words_aligned: int = 0
    listed_words_aligned: int = 0
    max_unaligned_query: float = 0.0  # the rarest query word left unaligned (its IDF)
    max_unaligned_listed: float = 0.0
    max_aligned: float = 0.0  # the rarest aligned word (max of both sides' IDF)
    inexact_weight: float = 0.0  # aligned weight reached by spelling (stem, fuzzy, consonants, ...)
    abbreviation_weight: float = 0.0  # aligned weight reached by initials, acronyms, syllables, compounds
    in_order: bool = True  # aligned words in the same order on both sides
    similarity_sum: float = 0.0  # Σ similarity over aligned pairs (mean = / pairs)
    pairs: int = 0


@dataclass(slots=True)
class NameComparison:
    score: float
    method: str  # "words" | "whole-string" | "native"
    pairs: list[WordPair] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_listed: list[str] = field(default_factory=list)
    stats: AlignmentStats | None = None
    capped: str = ""  # why the score was held down, when it was (explained as is)


def word_similarity(q: NameKey, i: int, c: NameKey, j: int) -> tuple[float, str]:
    qt, ct = q.tokens[i], c.tokens[j]
    if q.concepts[i] == c.concepts[j]:
        return 1.0, "exact" if qt == ct else "vocabulary"
    if q.kind in _SYLLABLES or c.kind in _SYLLABLES:
        # a pinyin or Hangul syllable is one character: chen and cheng are different characters, not a typo
        return 0.0, ""
    if q.stems[i] == c.stems[j]:
        return STEM_SIMILARITY, "stem"
    qp, cp = q.phonetics[i], c.phonetics[j]
    if qp == cp:
        return PHONETIC_SIMILARITY, "spelling"
    short = min(len(qt), len(ct))
    if short == 1:
        if qt[0] == ct[0]:
            return INITIAL_SIMILARITY, "initial"
        return 0.0, ""
    if short <= 3:
        return 0.0, ""
    sim = Levenshtein.normalized_similarity(qp, cp, score_cutoff=MIN_FUZZY)
    if sim >= MIN_FUZZY:
        return sim, "fuzzy"
    if short >= 5 and abs(len(qt) - len(ct)) <= 1:
        # Romanisations of Arabic and Persian disagree mostly on vowels (FAGEAH / FAQIH, RASHID /
        # RASHED): the same consonants in the same order are strong evidence for longer words.
        q_skeleton, c_skeleton = skeleton(qp), skeleton(cp)
        if len(q_skeleton) >= 3 and q_skeleton == c_skeleton:
            return SKELETON_SIMILARITY, "consonants"
    if short >= 4 and (ct.startswith(qt) or qt.startswith(ct)):
        return PREFIX_SIMILARITY, "prefix"
    if short >= 5 and abs(len(qt) - len(ct)) <= 2:
        # Ukrainian/Belarusian and Russian romanisations of one name (HENADZ / GENNADIY, DZMITRY / DMITRY):
        # only where an East Slavic letter correspondence is what joins them, not vowels alone
        # (STEPHANIE / STEPHEN are different names)
        slavic = east_slavic_skeleton(qt)
        if len(slavic) >= 3 and slavic == east_slavic_skeleton(ct) and _consonants(qt) != _consonants(ct):
            return SKELETON_SIMILARITY, "romanisation"
    if short >= 4 and abs(len(qt) - len(ct)) <= MAX_VOWEL_LENGTH_GAP:
        # Arabic leaves short vowels unwritten and romanisations spell them and the long ones (y, w) each
        # their own way: SELMAN / SULAYMAN, SAGHIR / SUGHAYER, NAUSHAD / NOWSHAD, JAMEELA / JAMILEH. Three
        # consonants or more in the same order, the same first letter and the same kind of last one (KING /
        # CHANG, SENSOY / SONS, MARIANNE / MARIN are different names)
        arabic = abjad_skeleton(qt)
        if (
            len(arabic) >= 3
            and qt[0] == ct[0]
            and _ending(qt) == _ending(ct)
            and arabic == abjad_skeleton(ct)
        ):
            return SKELETON_SIMILARITY, "vowels"
    if (is_korean_name(q.words) or is_korean_name(c.words)) and same_korean_word(qt, ct):
        return SKELETON_SIMILARITY, "korean"  # TAEJIN / DAIZIN: Korean romanisations (korean.py)
    return 0.0, ""


def _abjad_form(word: str) -> str:
    """An Arabic-script word and a romanisation compared by consonants, Z as D: ذ ض ظ are Z in Persian, Urdu and
    Pashto names (فضل = FAZL, مظلوم = MAZLOOM) and D or DH in Arabic ones; the script's letters come out as D or
    DH. Only where one side is written in that script: two Latin spellings are compared as they are written."""
    return abjad_skeleton(word).replace("z", "d")


def _first_consonant(word: str) -> str:
    """The first letter after leading vowels: an initial ع or ا is written as a vowel or not at all (عصام =
    ISAM, عبد = ABD), so the romanisation's leading vowel is no letter to compare."""
    return word.lstrip("aeiou")[:1]


def _consonants(word: str) -> str:
    """The consonants, a doubled one once (MARIANNE → mrn)."""
    out: list[str] = []
    for ch in word:
        if ch not in VOWELS and ch != "y" and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


def _ending(word: str) -> str:
    """The last letter, a final H dropped; any vowel (or Y) is one kind: JAMEELA / JAMILEH."""
    last = word[:-1][-1:] if len(word) > 3 and word.endswith("h") else word[-1:]
    return "v" if last in VOWELS or last == "y" else last


def compare(
    q: NameKey, c: NameKey, weight: Callable[[str], float], *, abbreviations: bool = True
) -> NameComparison:
    """Compare two keys of the same family (both native, or both romanised)."""
    if q.is_native or c.is_native:
        return _compare_native(q, c)
    result = _compare_words(q, c, weight, abbreviations)
    if result.score <= OTHER_NUMBER_CAP or q.compact.isalpha() or c.compact.isalpha():
        return result  # (the hot path: most names write no digit)
    return _other_numbers((t for t in q.tokens if t.isdigit()), (t for t in c.tokens if t.isdigit()), result)


def _compare_words(
    q: NameKey, c: NameKey, weight: Callable[[str], float], abbreviations: bool
) -> NameComparison:
    nq, nc = len(q.tokens), len(c.tokens)
    wq = [weight(x) for x in q.concepts]
    wc = [weight(x) for x in c.concepts]
    candidates: list[tuple[float, int, int, str]] = []
    # a pinyin or Hangul syllable is one character: chen / cheng, sang (상) / song (송) are different
    # characters, not spellings of one
    strict = bool({q.kind, c.kind} & _SYLLABLES)
    abjad = q.kind is KeyKind.ABJAD or c.kind is KeyKind.ABJAD
    for i in range(nq):
        q_concept, q_stem, q_phon = q.concepts[i], q.stems[i], q.phonetics[i]
        q_len = len(q_phon)
        for j in range(nc):
            # the common cases inline (this loop is the engine's hot path); the rest in word_similarity
            if q_concept == c.concepts[j]:
                candidates.append((1.0, i, j, "exact" if q.tokens[i] == c.tokens[j] else "vocabulary"))
                continue
            if strict:
                continue
            if abjad:
                # Arabic and Hebrew leave short vowels unwritten: MHMD = MOHAMED, LVY = LEVI; two consonants
                # are a weak clue, so they must also start with the same consonant (KYAN is not CANO) and
                # neither be a linking word (NZ is not AND)
                q_skeleton = _abjad_form(q.tokens[i])
                if (
                    len(q_skeleton) >= 2
                    and q_skeleton == _abjad_form(c.tokens[j])
                    and (
                        len(q_skeleton) >= 3
                        or (
                            _first_consonant(q.tokens[i]) == _first_consonant(c.tokens[j])
                            and q.tokens[i] not in STOPWORDS
                            and c.tokens[j] not in STOPWORDS
                        )
                    )
                ):
                    candidates.append((SKELETON_SIMILARITY, i, j, "consonants"))
                continue
            if q_stem == c.stems[j]:
                candidates.append((STEM_SIMILARITY, i, j, "stem"))
                continue
            c_phon = c.phonetics[j]
            if (
                q_phon == c_phon
                and len(q.tokens[i]) >= MIN_SPELLING_WORD
                and len(c.tokens[j]) >= MIN_SPELLING_WORD
            ):
                # one sound spelled two ways folds to a short form (NOOR / NOUR → nur): not a short word
                candidates.append((PHONETIC_SIMILARITY, i, j, "spelling"))
                continue
            c_len = len(c_phon)
            short = q_len <= 3 or c_len <= 3
            q_first, c_first = q_phon[0], c.phonetics[j][0]
            different_start = (
                q.tokens[i][0] != c.tokens[j][0]
                and q_first != c_first
                and not (q_first in VOWELS and c_first in VOWELS)  # IHSAN / EHSAN, OMAR / UMAR
                and VOICING.get(q_first) != c_first  # DAESONG / TAESONG, GANG / KANG
                and q_first + c_first not in _SLAVIC_STARTS
            )
            if q_len > 1 and c_len > 1 and (short or different_start):
                # Short words must match exactly; fuzzy and prefix matches are only tried between words
                # that start alike (OFAC's search has the same first-letter rule) - cheap and precise.
                continue
            sim, how = word_similarity(q, i, c, j)
            if sim > 0.0:
                candidates.append((sim, i, j, how))
    candidates.sort(key=lambda t: (-t[0], -(wq[t[1]] + wc[t[2]])))
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[WordPair] = []
    numerator = 0.0
    denominator = 0.0
    stats = AlignmentStats(query_weight=sum(wq), listed_weight=sum(wc), query_words=nq, listed_words=nc)
    order: list[tuple[int, int]] = []
    for sim, i, j, how in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pw_q, pw_c = wq[i], wc[j]
        if how == "initial":  # an initial carries no more weight than a common word
            pw_q = pw_c = min(pw_q, pw_c, 1.0)
        numerator += sim * (pw_q + pw_c)
        denominator += pw_q + pw_c
        pairs.append(WordPair(q.tokens[i], c.tokens[j], sim, how))
        _note_pair(stats, sim, how, pw_q, pw_c, 1, 1)
        order.append((i, j))
    if abbreviations and not {q.kind, c.kind} & (READ_ALOUD_KINDS | _SYLLABLES):
        # a reading is one syllable group per character: joined, REI HAN is not the word REIHAN
        numerator, denominator = _align_spans(
            q, c, wq, wc, used_q, used_c, pairs, numerator, denominator, stats
        )
    unmatched_q = [i for i in range(nq) if i not in used_q]
    unmatched_c = [j for j in range(nc) if j not in used_c]
    denominator += sum(wq[i] for i in unmatched_q)
    denominator += UNMATCHED_LISTED_WEIGHT * sum(wc[j] for j in unmatched_c)
    stats.max_unaligned_query = max((wq[i] for i in unmatched_q), default=0.0)
    stats.max_unaligned_listed = max((wc[j] for j in unmatched_c), default=0.0)
    order.sort()
    stats.in_order = all(a[1] < b[1] for a, b in pairwise(order))
    if {q.kind, c.kind} & _SYLLABLES and not _rotation_of_ordered([j for _i, j in order]):
        # a Korean or Chinese name's surname may stand first or last, but its other syllables keep their
        # order: 은정 (un jong) is not 정은 (jong un), 海光 (hai guang) is not GUANG HAI
        numerator *= HANGUL_REORDERED
    score = numerator / denominator if denominator > 0 else 0.0
    result = NameComparison(
        score=score,
        method="words",
        pairs=pairs,
        unmatched_query=[q.tokens[i] for i in unmatched_q],
        unmatched_listed=[c.tokens[j] for j in unmatched_c],
        stats=stats,
    )
    # Whole-string comparison catches names written with different spacing (AERO-CARIBBEAN /
    # AEROCARIBBEAN, HAD KAEW / HATKAEW); with the same number of words the word alignment already
    # decided, and a whole-string ratio would only blur different words (ROGER / ROBERT ANDERSON).
    if abjad and (q.kind is KeyKind.ABJAD) != (c.kind is KeyKind.ABJAD):
        # Arabic and Hebrew names split and join words differently (عبد الله = ABDALLAH, آخوند زاده =
        # AKHUNZADA): compared run together, by their consonants
        q_whole, c_whole = _abjad_form(q.compact), _abjad_form(c.compact)
        if (
            len(q_whole) >= MIN_ABJAD_WHOLE
            and len(c_whole) >= MIN_ABJAD_WHOLE
            and _first_consonant(q.compact) == _first_consonant(c.compact)
        ):
            whole = ratio(q_whole, c_whole, score_cutoff=MIN_ABJAD_RATIO * 100) / 100.0
            if whole > result.score:
                result.score = whole
                result.method = "whole-string"
        return result
    if strict:
        return result  # syllables are characters: run together they are not a spelling to compare
    if len(q.compact) >= MIN_COMPACT_LEN and len(c.compact) >= MIN_COMPACT_LEN and nq != nc:
        whole = ratio(q.compact, c.compact, score_cutoff=MIN_COMPACT_RATIO * 100) / 100.0
        if whole > score:
            result.score = whole
            result.method = "whole-string"
    return result


def _rotation_of_ordered(sequence: list[int]) -> bool:
    """Is ``sequence`` increasing once one cut is made (``[1, 2, 0]`` yes, ``[2, 1, 0]`` no)?"""
    if len(sequence) < 3:
        return True
    descents = sum(1 for a, b in pairwise(sequence) if a > b) + (sequence[-1] > sequence[0])
    return descents <= 1


_EXACT = frozenset({"exact", "vocabulary"})
_ABBREVIATED = frozenset({"initial", "acronym", "syllabic", "compound"})


def _note_pair(
    stats: AlignmentStats, sim: float, how: str, w_q: float, w_c: float, n_q: int, n_c: int
) -> None:
    stats.query_aligned += sim * w_q
    stats.listed_aligned += sim * w_c
    stats.similarity_sum += sim
    stats.pairs += 1
    stats.query_words_aligned += n_q
    stats.listed_words_aligned += n_c
    stats.max_aligned = max(stats.max_aligned, w_q / max(n_q, 1), w_c / max(n_c, 1))
    if how in _ABBREVIATED:
        stats.abbreviation_weight += w_q + w_c
    elif how not in _EXACT:
        stats.inexact_weight += w_q + w_c


def _align_spans(
    q: NameKey,
    c: NameKey,
    wq: list[float],
    wc: list[float],
    used_q: set[int],
    used_c: set[int],
    pairs: list[WordPair],
    numerator: float,
    denominator: float,
    stats: AlignmentStats,
) -> tuple[float, float]:
    """Align leftover single words on either side with runs of leftover words on the other."""
    for one, many, w_one, w_many, used_one, used_many, query_side in (
        (q, c, wq, wc, used_q, used_c, True),
        (c, q, wc, wq, used_c, used_q, False),
    ):
        for i, word in enumerate(one.tokens):
            if i in used_one:
                continue
            free = tuple(t for j, t in enumerate(many.tokens) if j not in used_many)
            free_index = [j for j in range(len(many.tokens)) if j not in used_many]
            if len(free) < 2:
                continue
            span = align_span(word, free)
            if span is None and not used_many and len(many.words) > len(many.tokens):
                # acronyms often keep the legal form's letter: ODK = Obedinennaya Dvigatelestroitelnaya
                # Korporatsiya; then the acronym stands for the whole name
                whole = align_span(word, many.words)
                # (trailing legal forms may be left out: CNEC = China Nuclear Engineering Corporation Limited)
                if whole is not None and covers_core(whole, many.tokens, many.words):
                    span = replace(whole, start=0, end=len(free))
            if span is None:
                continue
            covered = free_index[span.start : span.end]
            used_one.add(i)
            used_many.update(covered)
            weight_many = sum(w_many[j] for j in covered)
            numerator += span.similarity * (w_one[i] + weight_many)
            denominator += w_one[i] + weight_many
            if query_side:
                _note_pair(stats, span.similarity, span.how, w_one[i], weight_many, 1, len(covered))
            else:
                _note_pair(stats, span.similarity, span.how, weight_many, w_one[i], len(covered), 1)
            run = " ".join(many.tokens[j] for j in covered)
            pairs.append(
                WordPair(word, run, span.similarity, span.how)
                if query_side
                else WordPair(run, word, span.similarity, span.how)
            )
    return numerator, denominator


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text}
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _compare_native(q: NameKey, c: NameKey) -> NameComparison:
    if not (q.is_native and c.is_native):
        return NameComparison(0.0, "native")
    a, b = q.compact, c.compact
    pair_how = "exact"
    if a == b:
        score = 1.0
    elif (
        len(a) >= 2 and len(b) >= 2 and (b.startswith(a) or b.endswith(a) or a.startswith(b) or a.endswith(b))
    ):
        # anchored substring: one name is the other with a prefix/suffix (branch, place name, ...)
        score = 0.8 + 0.15 * min(len(a), len(b)) / max(len(a), len(b))
        pair_how = "substring"
    else:
        ga, gb = _bigrams(a), _bigrams(b)
        score = 2 * len(ga & gb) / (len(ga) + len(gb))
        pair_how = "bigrams"
    result = NameComparison(score, "native", pairs=[WordPair(a, b, score, pair_how)])
    return _other_numbers(han_numbers(a), han_numbers(b), result)


def _other_numbers(mine: Iterable[object], theirs: Iterable[object], result: NameComparison) -> NameComparison:
    """``result`` capped at :data:`OTHER_NUMBER_CAP` when both names write numbers and not the same ones."""
    a, b = set(mine), set(theirs)
    if a and b and a != b and result.score > OTHER_NUMBER_CAP:
        result.score = OTHER_NUMBER_CAP
        result.capped = f"other number: {', '.join(sorted(map(str, a)))} / {', '.join(sorted(map(str, b)))}"
    return result


__all__ = ["AlignmentStats", "NameComparison", "WordPair", "compare", "word_similarity"]
