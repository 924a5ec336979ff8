"""Find catalogue entries from a researcher's own words (ja or en).

Lexical retrieval: BM25 over every entry's text (with its parents' text), Japanese tokenised with fugashi +
unidic-lite (plus character bigrams of kanji/katakana runs), English lower-cased and lightly stemmed. The
query is expanded with the legal terms of the vocabulary records its words hit (``data/vocabulary.yaml``,
ja and en both, so a Japanese query reaches the CCL and an English one 輸出令/貨物等省令), and scores flow
across the crosswalk. Numbers in the query are checked against each candidate's thresholds (meets / fails /
unknown). When nothing clears the bar the answer says so and still lists the nearest entries: "not listed"
is a suggestion for the officer, never a determination.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from techguard.catalogue.model import Catalogue, CatalogueError, Entry, Link
from techguard.catalogue.numbers import Parameter, check, parameters
from techguard.catalogue.vocabulary import VocabularyRecord, packaged_vocabulary
from techguard.i18n import multilingual

MAX_QUERY_CHARS = 2000
INDEX_VERSION = 2  # bump when tokens() or the indexed document text changes (invalidates index.json caches)
K1, B = 1.2, 0.75
NOT_LISTED_BAR = 0.35  # best normalised score below which "not listed" is suggested (set on the dev split)
SENSITIVE_GUARD = 0.3  # a Category 0–2 / quantum candidate at or above this score blocks "not listed"
EXPANSION_WEIGHT = 0.6
SEE_WEIGHT = 0.8  # an index pointer (vocabulary "see") to an ECCN / 項番
SEE_FLOOR = 0.5  # the least score of an entry an index pointer names
# Technology/software entries (D/E groups, 外為令) rank lower unless the query is about technology or software.
TECHNOLOGY_WORDS = re.compile(
    r"software|technology|source code|technical data|know-how|design data|program|ソフト|技術|プログラム|設計データ|"
    r"ソースコード|ノウハウ|図面", re.I)
TECHNOLOGY_FACTOR = 0.6
# Never suggest "not listed" when one of these is among the candidates: nuclear (Category 0, NSG x2xx),
# chemical/biological (x35x) and quantum entries, where a miss costs most.
_NEVER_NOT_LISTED = re.compile(r"^([012][A-E]\d{3}|\d[A-E]2\d\d|3A904|4A906|3A901|3B904|4D906|4E906)")

_EN_STOP = frozenset(
    ["a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "with", "by", "as", "at", "from", "that", "this", "these", "those", "is", "are", "be", "being", "been", "any", "all", "following", "having", "have", "has", "which", "other", "than", "not", "including", "include", "e", "g", "i", "n", "s", "see", "list", "items", "controlled", "item", "specially", "designed", "used", "use", "using", "our", "my", "we", "lab", "laboratory", "research", "university", "want", "need", "export", "ship", "send", "about", "like", "it", "its", "into", "per"]
)
_JA_STOP = frozenset(
    ["もの", "こと", "ため", "次", "いずれ", "該当", "よう", "以下", "以上", "未満", "これ", "それ", "その", "この", "当該", "同じ", "場合", "ところ", "等", "研究", "研究室", "大学", "輸出", "送る", "海外", "使用", "する", "ある", "いる", "なる", "できる", "又は", "若しくは", "及び", "並びに"]
)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u30fc]+")
_EN_WORD = re.compile(r"[a-z][a-z0-9\-/+]*[a-z0-9]|[a-z]")
_ECCN_IN_QUERY = re.compile(r"\b(\d[A-E]\d{3})(?:\.[a-z0-9.]+)?\b", re.I)

_tagger_lock = threading.Lock()
_tagger: Any = None


def _tag(text: str) -> list[tuple[str, str]]:
    global _tagger
    with _tagger_lock:
        if _tagger is None:
            import fugashi

            _tagger = fugashi.Tagger()
        return [(word.surface, word.pos.split(",", 1)[0]) for word in _tagger(text)]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_SPELLING = ((re.compile(r"(fib|met|cent|lit)re(s?)\b"), r"\1er\2"), (re.compile(r"(steril|optim|ionis|utilis|character|organ)is"), r"\1iz"),
             (re.compile(r"\b(colo|behavio|armo|vapo)ur"), r"\1r"), (re.compile(r"\baluminium\b"), "aluminum"),
             (re.compile(r"\blicence"), "license"))


def fold_spelling(text: str) -> str:
    """British spellings as the CCL writes them in American English: fibre → fiber, sterilise → sterilize."""
    for pattern, replacement in _SPELLING:
        text = pattern.sub(replacement, text)
    return text


def tokens(text: str) -> list[str]:
    """Index/query tokens of mixed ja/en text."""
    text = fold_spelling(unicodedata.normalize("NFKC", text).lower())
    out: list[str] = []
    for word in _EN_WORD.findall(text):
        for part in re.split(r"[-/]", word) if "-" in word or "/" in word else [word]:
            if part and part not in _EN_STOP and not part.isdigit():
                out.append(_stem(part))
        if ("-" in word or "/" in word) and word not in _EN_STOP:
            out.append(word)  # "field-programmable", "i/o" also as a whole
    runs = _CJK_RUN.findall(text)
    if runs:
        for surface, pos in _tag(" ".join(runs)):
            if pos in ("名詞", "動詞", "形容詞", "接頭辞") and surface not in _JA_STOP and len(surface) > 1:
                out.append(surface)
    for run in runs:
        cleaned = re.sub(r"[\u3040-\u309f]+", " ", run)  # bigrams of kanji/katakana stretches only
        for piece in cleaned.split():
            out.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return out


@dataclass(slots=True)
class _Index:
    ids: list[str]
    lengths: list[int]
    postings: dict[str, list[tuple[int, int]]]
    average: float
    regime_of: list[str]

    def idf(self, token: str) -> float:
        df = len(self.postings.get(token, ()))
        n = len(self.ids)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def to_dict(self, built_at: str) -> dict[str, Any]:
        return {"version": INDEX_VERSION, "built_at": built_at, "ids": self.ids, "lengths": self.lengths,
                "regime_of": self.regime_of, "average": self.average,
                "postings": {t: [x for pair in p for x in pair] for t, p in self.postings.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Index:
        postings = {t: list(zip(flat[0::2], flat[1::2], strict=True)) for t, flat in data["postings"].items()}
        return cls(list(data["ids"]), list(data["lengths"]), postings, float(data["average"]),
                   list(data["regime_of"]))


def _document(entry: Entry, catalogue: Catalogue) -> str:
    parts = [entry.text]
    if entry.parents:
        root = catalogue.entries.get(entry.parents[0])
        parent = catalogue.entries.get(entry.parents[-1])
        parts += [p.text for p in (root, parent) if p is not None and p is not entry]
    if entry.kind == "ordinance" and entry.jp_item:
        row = catalogue.entries.get(f"jp:export_order:{entry.jp_item}") or catalogue.entries.get(
            f"jp:fx_order:{entry.jp_item}")
        if row is not None:
            parts.append(row.text)
    return " ".join(dict.fromkeys(parts))


def index_token(entry: Entry) -> str:
    """A token naming the entry's ECCN / 項番 (号 level), matched by the vocabulary's "see" pointers."""
    if entry.regime == "us":
        return f"§{entry.eccn_base}"
    return f"§{item_at_gou(entry.jp_item)}" if entry.jp_item else ""


def item_at_gou(label: str) -> str:
    """``3の項（2）1`` → ``3の項（2）`` (a 号's sub-items belong to it)."""
    return re.sub(r"^(外為令)?(.*?の項(?:（[^）]+）)?).*$", r"\1\2", label)


def _build_index(catalogue: Catalogue) -> _Index:
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    ids: list[str] = []
    lengths: list[int] = []
    regimes: list[str] = []
    for entry in catalogue.entries.values():
        if entry.text in ("削除", "") or entry.text.startswith("[Reserved]"):
            continue
        words = tokens(_document(entry, catalogue))
        if marker := index_token(entry):
            words.append(marker)
        counts: dict[str, int] = defaultdict(int)
        for word in words:
            counts[word] += 1
        index = len(ids)
        ids.append(entry.id)
        lengths.append(len(words))
        regimes.append(entry.regime)
        for word, count in counts.items():
            postings[word].append((index, count))
    average = sum(lengths) / max(len(lengths), 1)
    return _Index(ids, lengths, dict(postings), average, regimes)


@dataclass(slots=True)
class Candidate:
    eccn: str
    jp_item: str
    jp_article: str
    score: float
    text: str
    parameters: list[dict[str, Any]]
    why: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"eccn": self.eccn, "jp_item": self.jp_item, "jp_article": self.jp_article,
                "score": round(self.score, 3), "text": self.text, "parameters": self.parameters, "why": self.why}


@dataclass(slots=True)
class Answer:
    query: str
    candidates: list[Candidate]
    not_listed_suggested: bool
    message: str
    expansions: list[str] = field(default_factory=list)

    def to_dict(self, identifier: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {} if identifier is None else {"id": identifier}
        out.update({"candidates": [c.to_dict() for c in self.candidates],
                    "not_listed_suggested": self.not_listed_suggested, "message": self.message})
        return out


class Searcher:
    """Search over one catalogue; build once (≈ seconds), query many times (milliseconds)."""

    def __init__(self, catalogue: Catalogue, links: list[Link] | None = None,
                 vocabulary: tuple[VocabularyRecord, ...] | None = None,
                 confirmed: list[dict[str, Any]] | None = None, index: _Index | None = None) -> None:
        self.catalogue = catalogue
        self.vocabulary = vocabulary if vocabulary is not None else packaged_vocabulary()
        self.index = index if index is not None else _build_index(catalogue)
        self.links_by_eccn: dict[str, list[Link]] = defaultdict(list)
        self.links_by_jp_item: dict[str, list[Link]] = defaultdict(list)
        for link in links if links is not None else catalogue.links:
            self.links_by_eccn[link.eccn[:5]].append(link)
            item = catalogue.entries[link.jp_id].jp_item
            if item:
                self.links_by_jp_item[item].append(link)
        self.confirmed = [(set(tokens(str(r["description"]))), r) for r in confirmed or []]
        self._compile_vocabulary()
        # the CCL's own catch-basins: "3A991 … not controlled by 3A001" receives what fails 3A001's thresholds
        self.fallbacks: dict[str, list[str]] = defaultdict(list)
        for entry in catalogue.entries.values():
            if entry.regime == "us" and not entry.parents and entry.eccn[2:4] == "99":
                for match in re.finditer(r"not (?:controlled|specified) (?:by|in) (?:ECCNs? )?([^.;(]*)", entry.text):
                    for target in re.findall(r"\b(\d[A-E]\d{3})\b", match.group(1)):
                        self.fallbacks[target].append(entry.eccn)
        self.items_at_gou: dict[str, set[str]] = defaultdict(set)
        for entry in catalogue.entries.values():
            if entry.regime == "jp" and entry.jp_item:
                self.items_at_gou[item_at_gou(entry.jp_item)].add(entry.jp_item)

    # -------------------------------------------------------------- query side

    def _compile_vocabulary(self) -> None:
        """Per record: one regex for its ASCII terms (word-bounded), its other terms, its expansion tokens."""
        self._matchers: list[tuple[VocabularyRecord, re.Pattern[str] | None, tuple[str, ...], tuple[str, ...]]] = []
        for record in self.vocabulary:
            ascii_terms = [t for t in record.terms if re.fullmatch(r"[a-z0-9 .\-/+:]+", t)]
            other = tuple(t for t in record.terms if t and t not in ascii_terms)
            pattern = (re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, ascii_terms)) + r")(?![a-z0-9])")
                       if ascii_terms else None)
            expansion = tuple(dict.fromkeys(t for legal in (*record.legal_ja, *record.legal_en) for t in tokens(legal)))
            self._matchers.append((record, pattern, other, expansion))

    def _hits(self, query: str) -> list[tuple[VocabularyRecord, str, tuple[str, ...]]]:
        """(record, the term found, expansion tokens) for every vocabulary record the query mentions."""
        lowered = fold_spelling(unicodedata.normalize("NFKC", query).lower())
        out: list[tuple[VocabularyRecord, str, tuple[str, ...]]] = []
        for record, pattern, other, expansion in self._matchers:
            found = pattern.search(lowered) if pattern is not None else None
            term = found.group(0) if found else next((t for t in other if t in lowered), None)
            if term is not None:
                out.append((record, term, expansion))
        return out

    def _expand(self, query: str, hits: list[tuple[VocabularyRecord, str, tuple[str, ...]]]) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        for token in tokens(query):
            weights[token] = 1.0
        for record, _, expansion in hits:
            for token in expansion:
                weights[token] = max(weights[token], EXPANSION_WEIGHT)
            for pointer in record.see:
                weights[f"§{pointer}"] = max(weights[f"§{pointer}"], SEE_WEIGHT)
        return dict(weights)

    def _bm25(self, weights: dict[str, float]) -> tuple[dict[int, float], dict[int, set[str]], dict[str, float]]:
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        ideal: dict[str, float] = {"us": 0.0, "jp": 0.0}
        index = self.index
        for token, weight in weights.items():
            idf = index.idf(token)
            for regime in ideal:
                ideal[regime] += weight * idf
            for doc, tf in index.postings.get(token, ()):
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * index.lengths[doc] / index.average))
                scores[doc] += weight * idf * norm
                if weight == 1.0 or token.startswith("§"):
                    matched[doc].add(token if not token.startswith("§") else f"index term → {token[1:]}")
        return scores, matched, ideal

    def search(self, query: str, *, top: int = 5, lang: str | None = None) -> Answer:
        query = validate_query(query)
        top = max(1, min(int(top), 50))
        lang = lang or ("ja" if _CJK_RUN.search(query) else "en")
        vocabulary_hits = self._hits(query)
        hits = [term for _, term, _ in vocabulary_hits]
        weights = self._expand(query, vocabulary_hits)
        measured = parameters(query)
        scores, matched, ideal = self._bm25(weights)
        entries = self.catalogue.entries
        technology = bool(TECHNOLOGY_WORDS.search(query))
        # best entry per ECCN / per 項番, scores normalised by what a perfect match would score
        best_us: dict[str, tuple[float, Entry]] = {}
        matched_us: dict[str, list[Entry]] = defaultdict(list)  # every paragraph of an ECCN the query touched
        best_jp: dict[str, tuple[float, Entry]] = {}
        for doc, raw in scores.items():
            entry = entries[self.index.ids[doc]]
            value = raw / max(ideal[entry.regime], 1e-9) * (K1 + 1) ** -1 * 2.2
            value *= _threshold_factor(entry, measured)
            is_technology = (entry.regime == "us" and entry.eccn[1:2] in ("D", "E")) or entry.jp_item.startswith("外為令")
            if is_technology != technology:
                value *= TECHNOLOGY_FACTOR
            if entry.regime == "us":
                key = entry.eccn_base
                matched_us[key].append(entry)
                if key not in best_us or value > best_us[key][0]:
                    best_us[key] = (value, entry)
            elif entry.jp_item:
                key = entry.jp_item
                if key not in best_jp or value > best_jp[key][0]:
                    best_jp[key] = (value, entry)
        why_cross: dict[str, str] = {}
        us_score = {k: v[0] for k, v in best_us.items()}
        jp_score = {k: v[0] for k, v in best_jp.items()}
        for item, (value, _) in best_jp.items():
            for link in self.links_by_jp_item.get(item, ()):
                boosted = value * link.confidence
                if boosted > us_score.get(link.eccn[:5], 0.0):
                    us_score[link.eccn[:5]] = boosted
                    why_cross[link.eccn[:5]] = f"via crosswalk from {item} ({'; '.join(link.basis)[:120]})"
        for eccn, (value, _) in best_us.items():
            for link in self.links_by_eccn.get(eccn, ()):
                item = entries[link.jp_id].jp_item
                boosted = value * link.confidence
                if item and boosted > jp_score.get(item, 0.0):
                    jp_score[item] = boosted
        # index pointers of the vocabulary records the query hit: a floor, ranked among themselves by text score
        for record, _, _ in vocabulary_hits:
            for pointer in record.see:
                if f"us:{pointer}" in entries:
                    us_score[pointer] = SEE_FLOOR + (1 - SEE_FLOOR) * us_score.get(pointer, 0.0)
                    why_cross.setdefault(pointer, f"index term “{record.terms[0]}” → {pointer}")
                elif pointer in self.items_at_gou:
                    for item in self.items_at_gou[pointer]:
                        jp_score[item] = SEE_FLOOR + (1 - SEE_FLOOR) * jp_score.get(item, 0.0)
        if measured:
            for eccn, score in sorted(us_score.items(), key=lambda kv: -kv[1])[: top * 2]:
                if not self.fallbacks.get(eccn):
                    continue
                units = {m.unit for m in measured}
                # a paragraph fails when one of its thresholds the query speaks to fails, applies when all meet
                verdicts = []
                for paragraph in matched_us.get(eccn, ()):
                    results = [check(p, measured)[0] for p in paragraph.parameters
                               if p.comparator != "=" and p.unit in units]
                    if results:
                        verdicts.append("fails" if "fails" in results else "meets")
                if "fails" in verdicts and "meets" not in verdicts:
                    for fallback in self.fallbacks[eccn]:
                        if score * 1.05 > us_score.get(fallback, 0.0):
                            us_score[fallback] = score * 1.05
                            why_cross[fallback] = (f"the query's numbers do not meet the thresholds of {eccn}; "
                                                   f"{fallback} covers items not controlled by {eccn}")
        explicit = {m.group(1).upper() for m in _ECCN_IN_QUERY.finditer(query)}
        for eccn in explicit:
            if f"us:{eccn}" in entries:
                us_score[eccn] = max(us_score.get(eccn, 0.0), 1.0)
        confirmed_why: dict[str, str] = {}
        query_tokens = set(tokens(query))
        for description_tokens, confirmation in self.confirmed:
            overlap = len(query_tokens & description_tokens) / max(len(query_tokens | description_tokens), 1)
            eccn = str(confirmation.get("eccn", ""))[:5]
            if overlap >= 0.5 and f"us:{eccn}" in entries:
                us_score[eccn] = max(us_score.get(eccn, 0.0), 0.5 + overlap / 2)
                confirmed_why[eccn] = (f"officer-confirmed classification of “{confirmation['description']}” "
                                       f"({confirmation['officer']}, {confirmation['date']})")
        candidates = self._assemble(us_score, jp_score, best_us, best_jp, matched, measured, lang, top,
                                    why_cross, confirmed_why, hits)
        best = candidates[0].score if candidates else 0.0
        # never "not listed" when a nuclear / chemical / biological / quantum entry is a close candidate
        sensitive = any(
            c.score >= SENSITIVE_GUARD
            and (_NEVER_NOT_LISTED.match(c.eccn) or c.jp_item.startswith(("2の項", "3の項", "3の2の項")))
            for c in candidates
        )
        not_listed = best < NOT_LISTED_BAR and not hits and not sensitive and not explicit
        if not candidates:
            message = multilingual(
                "No entry matched any word of the query; describe the item's function and key numbers.")
        elif not_listed:
            message = multilingual(
                "Nothing clears the bar: the item may be not listed (EAR99, 非該当), but that is the officer's decision."
                " Nearest entries are shown.")
        else:
            message = multilingual("Candidates for the officer to confirm.")
        return Answer(query, candidates, not_listed, message, hits)

    def _assemble(self, us_score: dict[str, float], jp_score: dict[str, float],
                  best_us: dict[str, tuple[float, Entry]], best_jp: dict[str, tuple[float, Entry]],
                  matched: dict[int, set[str]], measured: list[Parameter], lang: str, top: int,
                  why_cross: dict[str, str], confirmed_why: dict[str, str], hits: list[str]) -> list[Candidate]:
        entries = self.catalogue.entries
        doc_of = {entry_id: i for i, entry_id in enumerate(self.index.ids)}
        ranked_us = sorted(us_score.items(), key=lambda kv: -kv[1])[: top * 2]
        ranked_jp = sorted(jp_score.items(), key=lambda kv: -kv[1])[: top * 2]
        out: list[Candidate] = []
        used_items: set[str] = set()
        for eccn, score in ranked_us:
            entry = best_us[eccn][1] if eccn in best_us else entries[f"us:{eccn}"]
            partner = self._partner_item(eccn, jp_score)
            jp_entry = best_jp[partner][1] if partner in best_jp else None
            if partner:
                used_items.add(partner)
            out.append(self._candidate(entry, jp_entry, partner, score, matched, doc_of, measured, lang,
                                       why_cross.get(eccn), confirmed_why.get(eccn), hits))
        for item, score in ranked_jp:
            if item in used_items:
                continue
            links = sorted(self.links_by_jp_item.get(item, ()), key=lambda link: -link.confidence)
            us_entry = entries.get(f"us:{links[0].eccn}") if links else None
            jp_entry = best_jp[item][1] if item in best_jp else None
            if us_entry is not None and any(c.eccn[:5] == us_entry.eccn_base for c in out):
                us_entry = None
            base = us_entry if us_entry is not None else jp_entry
            if base is None:
                continue
            out.append(self._candidate(base, jp_entry, item, score, matched, doc_of, measured, lang,
                                       f"Japanese item; ECCN via crosswalk {links[0].eccn}" if us_entry else None,
                                       None, hits))
        out.sort(key=lambda c: -c.score)
        return out[:top]

    def _partner_item(self, eccn: str, jp_score: dict[str, float]) -> str:
        links = self.links_by_eccn.get(eccn, [])
        items = {self.catalogue.entries[link.jp_id].jp_item: link.confidence for link in links}
        if not items:
            return ""
        return max(items, key=lambda item: (jp_score.get(item, 0.0) * items[item], items[item]))

    def _candidate(self, entry: Entry, jp_entry: Entry | None, jp_item: str, score: float,
                   matched: dict[int, set[str]], doc_of: dict[str, int], measured: list[Parameter], lang: str,
                   cross: str | None, confirmed: str | None, hits: list[str]) -> Candidate:
        why: list[str] = []
        if confirmed:
            why.append(confirmed)
        for e in (entry, jp_entry):
            if e is not None and e.id in doc_of and matched.get(doc_of[e.id]):
                why.append(f"{e.key}: words matched: {', '.join(sorted(matched[doc_of[e.id]])[:8])}")
        if hits:
            why.append("vocabulary: " + ", ".join(hits[:5]) + " → legal terms")
        if cross:
            why.append(cross)
        checks: list[dict[str, Any]] = []
        for e in (entry, jp_entry):
            if e is None:
                continue
            for threshold in e.parameters:
                if threshold.comparator == "=":
                    continue
                result, value = check(threshold, measured)
                checks.append({"entry": e.key, "quantity": threshold.quantity, "threshold": threshold.text,
                               "comparator": threshold.comparator, "value": threshold.value,
                               "unit": threshold.unit, "query_value": value.value if value else None,
                               "result": result})
        if entry.reasons:
            why.append("reasons for control: " + ", ".join(entry.reasons))
        eccn = entry.eccn if entry.regime == "us" else ""
        if lang == "ja" and jp_entry is not None:
            text = jp_entry.text
        else:
            text = entry.text if entry.regime == "us" or jp_entry is None else jp_entry.text
        if entry.regime == "us" and entry.parents:
            head = self.catalogue.entries.get(entry.parents[0])
            if head is not None and lang != "ja":
                text = f"{head.text} — {text}"
        only_us = self.catalogue.only_us.get(entry.eccn_base) if eccn else None
        if only_us:
            why.append(f"US-only: {only_us}")
        return Candidate(eccn, jp_item, jp_entry.jp_article if jp_entry is not None else "", score, text, checks,
                         why)


def _threshold_factor(entry: Entry, measured: list[Parameter]) -> float:
    """A little up when the query's numbers meet the entry's thresholds, down when they fail them."""
    if not measured:
        return 1.0
    results = [check(p, measured)[0] for p in entry.parameters if p.comparator != "="]
    if not results:
        return 1.0
    if "fails" in results and "meets" not in results:
        return 0.8
    if "meets" in results:
        return 1.1
    return 1.0


def validate_query(query: str) -> str:
    if not isinstance(query, str) or not query.strip():
        raise CatalogueError(multilingual("empty query: describe the item (function, key numbers)"))
    if len(query) > MAX_QUERY_CHARS:
        raise CatalogueError(
            f"query too long: {len(query):,} characters (limit {MAX_QUERY_CHARS:,}); describe the item briefly "
            f"/ 検索語が長すぎます（{MAX_QUERY_CHARS:,}文字まで）"
        )
    return query.strip()


__all__ = ["MAX_QUERY_CHARS", "NOT_LISTED_BAR", "Answer", "Candidate", "Searcher", "tokens", "validate_query"]


# ---------------------------------------------------------------- the searcher in force, and batch files

_searchers: dict[tuple[str, str, float], Searcher] = {}
_searchers_lock = threading.Lock()


def current_searcher(data_dir: Any = None) -> Searcher:
    """The searcher over the catalogue in force, with officers' confirmations (rebuilt when either changes)."""
    from techguard.catalogue.confirmations import confirmations_path, effective_links, load_confirmations
    from techguard.catalogue.store import catalogue_path, load

    catalogue = load(data_dir)
    path = confirmations_path(data_dir)
    key = (str(catalogue_path(data_dir)), catalogue.built_at, path.stat().st_mtime if path.exists() else 0.0)
    with _searchers_lock:
        if key not in _searchers:
            confirmations = load_confirmations(data_dir)
            _searchers.clear()
            _searchers[key] = Searcher(catalogue, effective_links(catalogue, data_dir),
                                       confirmed=confirmations["classifications"],
                                       index=_cached_index(catalogue, catalogue_path(data_dir).with_name("index.json")))
        return _searchers[key]


def _cached_index(catalogue: Catalogue, path: Any) -> _Index:
    """The search index saved beside the catalogue (tokenising takes seconds), rebuilt when stale or unreadable."""
    import json
    import os

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == INDEX_VERSION and data.get("built_at") == catalogue.built_at:
            return _Index.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or an unreadable one: rebuild it below
    index = _build_index(catalogue)
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(index.to_dict(catalogue.built_at), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only data dir still searches, only slower at start
    return index


def read_queries(data: bytes, location: str) -> list[tuple[str, str, int]]:
    """(id, query, line) rows of a CSV with a ``query`` column (and ``id``; the line number when absent)."""
    import csv
    import io

    from techguard.text.decode import TextEncodingError, decode_text

    try:
        text = decode_text(data, location).text
    except TextEncodingError as exc:
        raise CatalogueError(str(exc)) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "query" not in fields:
        raise CatalogueError(
            f"{location}, line 1: " + multilingual("no 'query' column in the header (found: {found}); expected 'id,query'",
                                                   found=", ".join(fields) or "-")
        )
    reader.fieldnames = fields
    rows: list[tuple[str, str, int]] = []
    for row in reader:
        line = reader.line_num
        rows.append(((row.get("id") or str(line)).strip(), (row.get("query") or ""), line))
    return rows


__all__ += ["current_searcher", "read_queries"]
