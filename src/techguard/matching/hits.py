"""The one path from a screening result (:class:`~techguard.matching.screener.Match`) to hits.

A :class:`Hit` is what an officer reviews: the listed entry (list, source, the publisher's stable id, the
snapshot it came from), the listed and matched names, the score, whether it alerts or sits just below the
threshold, and why it matched — as structured features and as readable text in Japanese and English. The
same designation imported from two sources (an SDN entry inside the trade.gov CSL and in OFAC's own SDN
file) is one hit with both listings; the same party on *other* lists rides along as ``related``.

CLI, web and API all go through :func:`hits_from_matches`; :meth:`Hit.to_json` / :meth:`Hit.from_json` are
the stored form, :meth:`Hit.decision_identity` is what a kept review decision is tied to, and
:meth:`Hit.rules_hits` gives the fields ``techguard.rules.activity.ScreeningHit`` reads. No Django here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from techguard.lists.model import Party
from techguard.lists.snapshot import party_to_dict
from techguard.text.fold import fold

if TYPE_CHECKING:
    from techguard.matching.screener import Match

# A candidate this close under the alert threshold is shown as "below threshold" for review, not hidden
# (「スコルコボ科学技術大学（Skoltech）」 at 0.62 must not read as "no match").
REVIEW_MARGIN = 0.20

# List codes -> (English title, Japanese title). Codes without an entry are shown as the code itself.
LIST_TITLES: dict[str, tuple[str, str]] = {
    "us_entity_list": ("US Entity List (BIS)", "米国 エンティティ・リスト (BIS)"),
    "us_meu": ("US Military End-User List (BIS)", "米国 軍事エンドユーザー・リスト (BIS)"),
    "us_uvl": ("US Unverified List (BIS)", "米国 未検証リスト (BIS)"),
    "us_dpl": ("US Denied Persons List (BIS)", "米国 取引禁止顧客リスト (BIS)"),
    "us_sdn": ("OFAC Specially Designated Nationals (SDN)", "米国財務省 OFAC SDN リスト"),
    "us_ssi": ("OFAC Sectoral Sanctions Identifications", "米国財務省 OFAC セクター別制裁リスト"),
    "us_fse": ("OFAC Foreign Sanctions Evaders", "米国財務省 OFAC 制裁回避者リスト"),
    "us_cmic": ("OFAC Chinese Military-Industrial Complex", "米国財務省 OFAC 中国軍産複合体企業リスト"),
    "us_isn": ("US Nonproliferation Sanctions (State)", "米国国務省 不拡散制裁リスト"),
    "us_dtc": ("US ITAR Debarred (State)", "米国国務省 ITAR 取引禁止者リスト"),
    "us_plc": ("OFAC Palestinian Legislative Council", "米国財務省 OFAC パレスチナ立法評議会リスト"),
    "us_mbs": ("OFAC Menu-Based Sanctions", "米国財務省 OFAC メニュー方式制裁リスト"),
    "us_capta": ("OFAC CAPTA List", "米国財務省 OFAC CAPTA リスト"),
    "us_nscmic": ("OFAC Non-SDN CMIC List", "米国財務省 OFAC 非SDN CMIC リスト"),
    "un_sc": ("UN Security Council Consolidated List", "国連安全保障理事会 統合制裁リスト"),
    "jp_eul": ("METI End User List", "経済産業省 外国ユーザーリスト"),
    "jp_mof": ("MOF asset-freeze list", "財務省 資産凍結等経済制裁対象者リスト"),
    "jp_export_ban": ("METI export-ban list", "経済産業省 輸出禁止措置対象者リスト"),
    "eu_fsf": ("EU Financial Sanctions", "EU 金融制裁リスト"),
    "uk_sanctions": ("UK Sanctions List", "英国 制裁リスト"),
    "uk_conlist": ("UK Consolidated List (OFSI)", "英国 OFSI 統合リスト"),
    "cn_mofcom": ("MOFCOM Unreliable Entity / Export Control Control List", "中国商務部 管理リスト"),
}


def list_title(code: str, lang: str = "en") -> str:
    """The title of a list code in ``lang`` (``ja`` or anything else for English); the code if unknown."""
    titles = LIST_TITLES.get(code)
    if titles is None:
        return code
    return titles[1] if lang.startswith("ja") else titles[0]


def normalise_screened_name(name: str) -> str:
    """The screened name as a decision is keyed on: folded (width, case, accents, punctuation, spacing)."""
    return fold(name)


# Fingerprints by party object: a batch hashes the same few thousand listed parties over and over. The
# party is kept with its fingerprint, so an id is never reused while its entry is cached.
_FINGERPRINTS: dict[int, tuple[Party, str]] = {}
_MAX_FINGERPRINTS = 100_000


def entry_fingerprint(party: Party) -> str:
    """A hash of what the publisher says about the entry (names, countries, dates ...), not of where it was
    stored: a decision stays valid across list updates until the entry itself changes."""
    cached = _FINGERPRINTS.get(id(party))
    if cached is not None and cached[0] is party:
        return cached[1]
    if len(_FINGERPRINTS) >= _MAX_FINGERPRINTS:
        _FINGERPRINTS.clear()
    found = _fingerprint(party)
    _FINGERPRINTS[id(party)] = (party, found)
    return found


def _fingerprint(party: Party) -> str:
    data = party_to_dict(party)
    for ignored in ("source", "extra"):
        data.pop(ignored, None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """Which snapshot of a source a hit was found in."""

    snapshot_id: str
    sha256: str
    as_of: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    """One listed entry as one source publishes it."""

    source: str
    entry_id: str  # the publisher's stable id (OFAC ent_num, CSL _id, ...)
    list: str
    listed_name: str
    kind: str
    entry_hash: str
    snapshot_id: str = ""
    snapshot_sha256: str = ""
    snapshot_as_of: str = ""
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    licence_requirement: str | None = None
    licence_policy: str | None = None
    federal_register: str | None = None
    source_url: str | None = None
    fdp_footnote: int | None = None
    designation: str = ""  # the publisher-independent id of the designation (see _designation)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.entry_id}"

    def title(self, lang: str = "en") -> str:
        return list_title(self.list, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "source": self.source,
            "entry_id": self.entry_id,
            "list": self.list,
            "list_title": {"en": list_title(self.list, "en"), "ja": list_title(self.list, "ja")},
            "name": self.listed_name,
            "kind": self.kind,
            "entry_hash": self.entry_hash,
            "snapshot_id": self.snapshot_id,
            "snapshot_sha256": self.snapshot_sha256,
            "snapshot_as_of": self.snapshot_as_of,
            "countries": list(self.countries),
            "programs": list(self.programs),
            "licence_requirement": self.licence_requirement,
            "licence_policy": self.licence_policy,
            "federal_register": self.federal_register,
            "source_url": self.source_url,
            "fdp_footnote": self.fdp_footnote,
            "designation": self.designation,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Listing:
        # results stored before hits existed carry only "key" (source:source_id) and no entry hash
        entry_id = data.get("entry_id") or str(data.get("key", "")).partition(":")[2]
        return cls(
            source=str(data["source"]),
            entry_id=str(entry_id),
            list=str(data["list"]),
            listed_name=str(data["name"]),
            kind=str(data.get("kind", "unknown")),
            entry_hash=str(data.get("entry_hash", "")),
            snapshot_id=str(data.get("snapshot_id") or ""),
            snapshot_sha256=str(data.get("snapshot_sha256") or ""),
            snapshot_as_of=str(data.get("snapshot_as_of") or ""),
            countries=tuple(data.get("countries") or ()),
            programs=tuple(data.get("programs") or ()),
            licence_requirement=data.get("licence_requirement"),
            licence_policy=data.get("licence_policy"),
            federal_register=data.get("federal_register"),
            source_url=data.get("source_url"),
            fdp_footnote=data.get("fdp_footnote"),
            designation=str(data.get("designation") or ""),
        )


@dataclass(frozen=True, slots=True)
class Related:
    """The same party on another list (its own listing, score and matched name)."""

    listings: tuple[Listing, ...]
    matched_name: str
    score: float
    alert: bool
    explanation: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "party": self.listings[0].to_json(),
            "listings": [x.to_json() for x in self.listings[1:]],
            "matched_name": self.matched_name,
            "score": self.score,
            "alert": self.alert,
            "explanation": self.explanation,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Related:
        listings = (Listing.from_json(data["party"]), *(Listing.from_json(x) for x in data.get("listings", ())))
        return cls(listings, str(data["matched_name"]), float(data["score"]), bool(data["alert"]),
                   dict(data.get("explanation") or {}))


@dataclass(frozen=True, slots=True)
class DecisionIdentity:
    """What a kept decision covers: this listed entry (as published, in this snapshot) and this name."""

    source: str
    entry_id: str
    entry_hash: str
    snapshot_id: str
    screened_name: str  # normalised


@dataclass(frozen=True, slots=True)
class Hit:
    """One potential match for an officer to decide, with everything the decision is based on."""

    query_name: str
    listings: tuple[Listing, ...]  # the first is the best; others are the same designation from other sources
    matched_name: str
    score: float
    alert: bool
    below_threshold: bool
    threshold: float
    explanation: dict[str, Any]  # the engine's structured features (matching/explain.py)
    explanation_en: str
    explanation_ja: str
    related: tuple[Related, ...] = ()
    algorithm: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def listing(self) -> Listing:
        return self.listings[0]

    @property
    def list_code(self) -> str:
        return self.listing.list

    @property
    def listed_name(self) -> str:
        return self.listing.listed_name

    def explanation_text(self, lang: str = "en") -> str:
        return self.explanation_ja if lang.startswith("ja") else self.explanation_en

    def decision_identity(self, listing: Listing | None = None) -> DecisionIdentity:
        chosen = listing or self.listing
        return DecisionIdentity(
            chosen.source, chosen.entry_id, chosen.entry_hash, chosen.snapshot_id,
            normalise_screened_name(self.query_name),
        )

    def rules_hits(self) -> list[dict[str, Any]]:
        """One ``ScreeningHit`` field set (without ``party``/``status``) per distinct list of this hit and its
        related listings; the same designation from two sources counts once."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        groups: list[tuple[tuple[Listing, ...], float]] = [(self.listings, self.score)]
        groups.extend((r.listings, r.score) for r in self.related)
        for listings, score in groups:
            first = listings[0]
            if first.designation in seen:
                continue
            seen.add(first.designation)
            out.append({
                "list": first.list,
                "name": first.listed_name,
                "licence_requirement": first.licence_requirement,
                "licence_policy": first.licence_policy,
                "fdp_footnote": first.fdp_footnote,
                "score": score,
            })
        return out

    def to_json(self) -> dict[str, Any]:
        """The stored / API form. ``party`` is the best listing (kept under that name for existing readers)."""
        return {
            "query_name": self.query_name,
            "score": self.score,
            "alert": self.alert,
            "below_threshold": self.below_threshold,
            "threshold": self.threshold,
            "matched_name": self.matched_name,
            "party": self.listing.to_json(),
            "listings": [x.to_json() for x in self.listings[1:]],
            "related": [r.to_json() for r in self.related],
            "explanation": self.explanation,
            "explanation_text": {"en": self.explanation_en, "ja": self.explanation_ja},
            "algorithm": self.algorithm,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Hit:
        text = data.get("explanation_text") or {}
        return cls(
            query_name=str(data.get("query_name", "")),
            listings=(Listing.from_json(data["party"]), *(Listing.from_json(x) for x in data.get("listings", ()))),
            matched_name=str(data["matched_name"]),
            score=float(data["score"]),
            alert=bool(data["alert"]),
            below_threshold=bool(data.get("below_threshold", False)),
            threshold=float(data.get("threshold", 0.0)),
            explanation=dict(data.get("explanation") or {}),
            explanation_en=str(text.get("en", "")),
            explanation_ja=str(text.get("ja", "")),
            related=tuple(Related.from_json(r) for r in data.get("related", ())),
            algorithm=str(data.get("algorithm", "")),
        )


# ------------------------------------------------------------------------------------------ building
def _designation(party: Party) -> str:
    """The designation independent of who republished it: OFAC's entity number for SDN-family entries
    (the CSL carries it as ``entity_number``), else the source's own key."""
    number = party.extra.get("entity_number") if party.extra else None
    if party.source.startswith("us_ofac") or party.list in {"us_sdn", "us_ssi", "us_fse", "us_plc", "us_cmic"}:
        ent = str(number).strip() if number else (party.source_id if party.source.startswith("us_ofac") else "")
        if ent:
            return f"{party.list}#{ent}"
    return party.key


def _footnote(party: Party) -> int | None:
    value = party.extra.get("fdp_footnote") if party.extra else None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# Listings without a snapshot reference (the CLI's) by party object, kept with the party (see _FINGERPRINTS)
_LISTINGS: dict[int, tuple[Party, Listing]] = {}


def listing_of(party: Party, snapshots: Mapping[str, SnapshotRef] | None = None) -> Listing:
    if snapshots:
        return _listing(party, snapshots)
    cached = _LISTINGS.get(id(party))
    if cached is not None and cached[0] is party:
        return cached[1]
    if len(_LISTINGS) >= _MAX_FINGERPRINTS:
        _LISTINGS.clear()
    found = _listing(party, None)
    _LISTINGS[id(party)] = (party, found)
    return found


def _listing(party: Party, snapshots: Mapping[str, SnapshotRef] | None) -> Listing:
    ref = (snapshots or {}).get(party.source)
    return Listing(
        source=party.source,
        entry_id=party.source_id,
        list=party.list,
        listed_name=party.name,
        kind=str(party.kind),
        entry_hash=entry_fingerprint(party),
        snapshot_id=ref.snapshot_id if ref else "",
        snapshot_sha256=ref.sha256 if ref else "",
        snapshot_as_of=ref.as_of if ref else "",
        countries=tuple(party.countries),
        programs=tuple(party.programs),
        licence_requirement=party.licence_requirement,
        licence_policy=party.licence_policy,
        federal_register=party.federal_register,
        source_url=party.source_url,
        fdp_footnote=_footnote(party),
        designation=_designation(party),
    )


def hit_from_match(
    match: Match,
    *,
    snapshots: Mapping[str, SnapshotRef] | None = None,
    threshold: float | None = None,
    review_margin: float = REVIEW_MARGIN,
    japanese: bool = True,
    shared: bool = False,
) -> Hit:
    """One engine match (with its ``related`` listings of the same party on other lists) as a hit.
    ``japanese=False`` leaves ``explanation_ja`` empty, for output that shows only the English text (the
    CLI's result records: building the text per hit of a million-name batch is measurable).
    ``shared=True`` keeps the match's own explanation dicts instead of plain copies, for a caller that
    serialises the hit at once with :func:`json_default` and changes nothing (the batch's JSON lines: the
    copy was a tenth of a name's time); the serialised text is the same."""
    copy = _shared if shared else _plain
    explanation = copy(match.explanation)
    limit = float(threshold if threshold is not None else explanation.get("threshold", 0.8))
    related: list[Related] = []
    for other in match.related:
        listing = listing_of(other.party, snapshots)
        same = next((r for r in related if r.listings[0].designation == listing.designation), None)
        if same is not None:
            index = related.index(same)
            related[index] = Related((*same.listings, listing), same.matched_name, same.score, same.alert,
                                     same.explanation)
            continue
        related.append(Related((listing,), other.matched_name, float(other.score), bool(other.alert),
                               copy(other.explanation)))
    alert = bool(match.alert)
    score = float(match.score)
    return Hit(
        query_name=match.query_name,
        listings=(listing_of(match.party, snapshots),),
        matched_name=match.matched_name,
        score=score,
        alert=alert,
        below_threshold=not alert and score >= limit - review_margin,
        threshold=limit,
        explanation=explanation,
        explanation_en=explanation_text(explanation, "en"),
        explanation_ja=explanation_text(explanation, "ja") if japanese else "",
        related=tuple(related),
        algorithm=str(explanation.get("algorithm", "")),
    )


def hits_from_matches(
    matches: Sequence[Match],
    *,
    snapshots: Mapping[str, SnapshotRef] | None = None,
    threshold: float | None = None,
    review_margin: float = REVIEW_MARGIN,
    japanese: bool = True,
    shared: bool = False,
) -> list[Hit]:
    """Every match as a hit, best first; a designation already shown (the same SDN entry from the CSL and
    from OFAC's own file) is folded into the earlier hit as another listing instead of a second hit."""
    hits: list[Hit] = []
    by_designation: dict[str, int] = {}
    for match in matches:
        hit = hit_from_match(
            match, snapshots=snapshots, threshold=threshold, review_margin=review_margin, japanese=japanese,
            shared=shared,
        )  # fmt: skip
        designation = hit.listing.designation
        where = by_designation.get(designation)
        if where is None:
            for related in hit.related:  # the same entry as a related listing of an earlier hit
                if related.listings[0].designation in by_designation:
                    where = by_designation[related.listings[0].designation]
                    break
        if where is None:
            for index, earlier in enumerate(hits):
                if any(r.listings[0].designation == designation for r in earlier.related):
                    where = index
                    break
        if where is not None:
            hits[where] = _merge(hits[where], hit)
            continue
        by_designation[designation] = len(hits)
        hits.append(hit)
    return hits


def _merge(kept: Hit, other: Hit) -> Hit:
    listings = list(kept.listings)
    related = list(kept.related)
    target = other.listing.designation
    if target == kept.listing.designation:
        listings.extend(x for x in other.listings if x.key not in {y.key for y in listings})
    else:
        for index, r in enumerate(related):
            if r.listings[0].designation == target:
                keys = {y.key for y in r.listings}
                related[index] = Related((*r.listings, *(x for x in other.listings if x.key not in keys)),
                                         r.matched_name, r.score, r.alert, r.explanation)
                break
        else:
            related.append(Related(other.listings, other.matched_name, other.score, other.alert,
                                   other.explanation))
    known = {r.listings[0].designation for r in related} | {kept.listing.designation}
    related.extend(r for r in other.related if r.listings[0].designation not in known)
    return Hit(
        query_name=kept.query_name,
        listings=tuple(listings),
        matched_name=kept.matched_name,
        score=kept.score,
        alert=kept.alert or other.alert,
        below_threshold=kept.below_threshold and not other.alert,
        threshold=kept.threshold,
        explanation=kept.explanation,
        explanation_en=kept.explanation_en,
        explanation_ja=kept.explanation_ja,
        related=tuple(related),
        algorithm=kept.algorithm,
    )


# ------------------------------------------------------------------------------------------ text
_NAME_TYPES_JA = {
    "primary": "正式名称", "aka": "別名", "weak_aka": "弱い別名", "fka": "旧称", "nka": "現称",
    "original_script": "原語表記", "japanese": "日本語表記", "chinese": "中国語表記", "english": "英語表記",
    "other": "その他の名称",
}  # fmt: skip
_FEATURES = {"kind": ("kind", "種別"), "country": ("country", "国"), "birth_date": ("birth date", "生年月日"),
             "identifier": ("identifier", "識別番号")}  # fmt: skip


def _verdict(agree: Any, lang: str) -> str:
    if agree is True:
        return "一致" if lang == "ja" else "agrees"
    if agree is False:
        return "不一致" if lang == "ja" else "differs"
    return "比較不能" if lang == "ja" else "not comparable"


def explanation_text(explanation: Mapping[str, Any], lang: str = "en") -> str:
    """The structured explanation as sentences an officer reads (``ja`` or English)."""
    ja = lang.startswith("ja")
    name_type = str(explanation.get("matched_name_type", ""))
    matched = explanation.get("matched_name", "")
    words = [w for w in explanation.get("words", ()) if isinstance(w, Mapping)]
    pairs = ", ".join(f"{w.get('query')}={w.get('listed')} ({w.get('how')} {w.get('similarity')})" for w in words)
    parts: list[str] = []
    if ja:
        parts.append(f"掲載名「{matched}」（{_NAME_TYPES_JA.get(name_type, name_type)}）と照合")
        if pairs:
            parts.append(f"語の対応: {pairs}")
    else:
        parts.append(f"Matched the listed name “{matched}” ({name_type.replace('_', ' ')})")
        if pairs:
            parts.append(f"words: {pairs}")
    extra_q = explanation.get("unmatched_query_words") or []
    extra_l = explanation.get("unmatched_listed_words") or []
    if extra_q:
        parts.append(("照会名のみの語: " if ja else "only in the screened name: ") + " ".join(map(str, extra_q)))
    if extra_l:
        parts.append(("掲載名のみの語: " if ja else "only in the listed name: ") + " ".join(map(str, extra_l)))
    via = explanation.get("bridged_via")
    if via:
        parts.append(f"対訳「{via}」経由" if ja else f"via the translation “{via}”")
    heard = explanation.get("heard_as")
    if heard:
        parts.append(
            f"カタカナの音から英字名「{heard}」として判定" if ja else f"judged as the Latin name “{heard}” the katakana sounds as"
        )
    features = explanation.get("features") or {}
    for key, detail in features.items():
        if not isinstance(detail, Mapping):
            continue
        label_en, label_ja = _FEATURES.get(str(key), (str(key), str(key)))
        listed = detail.get("listed", detail.get("matched", ""))
        listed_text = ", ".join(map(str, listed)) if isinstance(listed, list | tuple) else str(listed)
        verdict = _verdict(detail.get("agree"), "ja" if ja else "en")
        if ja:
            parts.append(f"{label_ja}: 照会 {detail.get('query')} / 掲載 {listed_text or '—'} → {verdict}")
        else:
            parts.append(f"{label_en}: screened {detail.get('query')} / listed {listed_text or '—'} → {verdict}")
    score, name_score, limit = explanation.get("score"), explanation.get("name_score"), explanation.get("threshold")
    if ja:
        parts.append(f"名称スコア {name_score}、総合スコア {score}（しきい値 {limit}）")
    else:
        parts.append(f"name score {name_score}, overall {score} (threshold {limit})")
    return "; ".join(parts) if not ja else "。".join(parts) + "。"


_ATOMS = frozenset({str, int, float, bool, type(None)})


def _shared(value: Any) -> Any:
    """The explanation itself (see ``hit_from_match(shared=True)``); a non-dict is copied as usual."""
    return value if type(value) is dict else _plain(value)


def json_default(value: Any) -> Any:
    """``json.dumps(default=...)`` for explanations kept as they are (``shared=True``): what :func:`_plain`
    would have made of a value JSON cannot write (an enum, a set, a date), so the text is the same."""
    plain = _plain(value)
    if plain is value:  # (never for the types json calls this for; guards against a loop)
        return str(value)
    return plain


# numpy scalars as numbers; dataclasses and dates through json_default, as json.dumps would take them
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_PASSTHROUGH_DATACLASS | (
    orjson.OPT_PASSTHROUGH_DATETIME
)


def json_text(value: Any) -> str:
    """``value`` as compact JSON text, UTF-8 characters as written: the screening output's lines. orjson, not
    json.dumps: an explained result line (≈ 6 KB) costs a quarter of the time (docs/benchmarks.md,
    "Algorithm 2.7"), and a batch writes one per row."""
    return orjson.dumps(value, default=json_default, option=_JSON_OPTIONS).decode("utf-8")


def _plain(value: Any) -> Any:
    """The explanation as JSON data (enums and other objects as their text)."""
    kind = type(value)  # exact types first: an explanation is almost all plain dicts, lists and atoms
    if kind in _ATOMS:
        return value
    if kind is dict:  # atoms are copied without a call: most of an explanation's leaves
        return {
            k if type(k) is str else str(k): v if type(v) in _ATOMS else _plain(v) for k, v in value.items()
        }
    if kind is list:
        return [v if type(v) in _ATOMS else _plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


__all__ = [
    "LIST_TITLES",
    "REVIEW_MARGIN",
    "DecisionIdentity",
    "Hit",
    "Listing",
    "Related",
    "SnapshotRef",
    "entry_fingerprint",
    "explanation_text",
    "hit_from_match",
    "hits_from_matches",
    "json_default",
    "json_text",
    "list_title",
    "listing_of",
    "normalise_screened_name",
]
