"""Labelled name pairs built from the lists' own aliases, for fitting and testing the pair model.

    .venv/bin/python bench/pairs.py            # build, then print counts (bench/fit_pair_model.py fits)

Positives: an alias a publisher lists for a party, against the party's best-matching other name (the alias
itself hidden), e.g. AO PROMTEKH ↔ AKTSIONERNOE OBSHCHESTVO PROMTEKH, スコルテク ↔ Skoltech.
Negatives (hard): the best-scoring *other* parties the engine retrieves for that alias — different listed
parties sharing words, persons sharing a surname — and the best hits of synthetic person names that are on
no list. A retrieved party that lists the very same name is left out (two entries with one name are not a
name mismatch).

Aliases that share no name material with any of the party's other names (noms de guerre, front names,
translations with no common word: EL GORDO, PARTY OF GOD = HIZBALLAH) are not name variants; they are
counted apart ("unrelated aliases") and kept out of fitting and of the pairs F1. The rule is neutral
(rapidfuzz token-set ratio, initials, or a change of script), not the engine's own score.

Split by party, never by pair: a party is held out when it was listed late (the temporal hold-out: SDN
entries with the highest ent_nums, UN/CSL/DPL/MOFCOM entries listed on or after :data:`LATE`) or when its
key hashes into one fifth. A fitting pair involves no held-out party on either side.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _lists import EVAL, all_lists, japanese_lists

from techguard.lists.model import Party
from techguard.matching import Query, Screener
from techguard.matching.legal_forms import split_legal_forms
from techguard.matching.screener import MODEL_FLOOR
from techguard.matching.translit import to_latin
from techguard.text.fold import fold
from techguard.text.scripts import Script, scripts_of

SEED = 20261202
ALIASES_PER_PARTY = 3
NEGATIVES_PER_QUERY = 3
SYNTHETIC_QUERIES = 3000
# Further synthetic names, fitting bucket only, for fitting and for calibrating the default screener's alert
# rate on names on no list (source "calibration", never in the held-out pairs): each keeps every candidate
# the default screener may hand to the pair model (alignment at least CALIBRATION_FROM)
CALIBRATION_QUERIES = 12000
CALIBRATION_FROM = 0.4
LATE = {"un": "2020-01-01", "csl": "2021-01-01", "dpl": "2021-01-01", "mofcom": "2025-10-01"}
SDN_LATE_SHARE = 0.15  # the SDN entries with the highest ent_nums (OFAC numbers entries as it lists them)
HOLD_OUT_BUCKETS = 5  # one bucket of this many held out by hash


@dataclass(frozen=True)
class Pair:
    query: str
    listed: str
    label: int  # 1 same party, 0 different party
    features: tuple[float, ...]
    raw_score: float
    query_party: str
    listed_party: str
    held_out: bool
    late: bool
    source: str  # list label, or "synthetic"
    scripts: str  # "Latin", "Han", "Cyrillic→Latin", ...
    unrelated: bool = False  # a positive with no shared name material (see the module docstring)
    judged: bool = (
        False  # a way of meeting the default screener lets the pair model judge (Screener.model_judges)
    )
    floor: float = MODEL_FLOOR  # the alignment from which it judges (Screener.model_floor)


def _bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % HOLD_OUT_BUCKETS


def late_parties(lists: dict[str, list[Party]]) -> set[str]:
    """Keys of parties listed after the simulated snapshot (the temporal hold-out)."""
    late: set[str] = set()
    for label in ("sdn", "cons"):
        parties = lists.get(label, [])
        numbers = sorted(int(p.source_id) for p in parties if p.source_id.isdigit())
        if not numbers:
            continue
        cutoff = numbers[int(len(numbers) * (1 - SDN_LATE_SHARE))]
        late |= {p.key for p in parties if p.source_id.isdigit() and int(p.source_id) >= cutoff}
    for label, date in LATE.items():
        late |= {p.key for p in lists.get(label, []) if p.listed_on and p.listed_on >= date}
    return late


def held_out_parties(lists: dict[str, list[Party]]) -> set[str]:
    keys = {p.key for parties in lists.values() for p in parties}
    return late_parties(lists) | {k for k in keys if _bucket(k) == 0}


def _script_label(query: str, listed: str) -> str:
    def label(text: str) -> str:
        found = scripts_of(text)
        if found & {Script.HAN, Script.KANA}:
            return "Han/Kana"
        return "|".join(sorted(str(s) for s in found)) or "none"

    a, b = label(query), label(listed)
    return a if a == b else f"{a}→{b}"


def _initials(text: str) -> str:
    return "".join(w[0] for w in text.split() if w)


def shares_material(alias: str, name: str) -> bool:
    """Are two names of one party variants of one name (rather than two different names)?"""
    if scripts_of(alias) != scripts_of(name) and (scripts_of(alias) | scripts_of(name)) - {Script.LATIN}:
        return True  # a rendering in another script (the publisher's own bridge)
    a, b = fold(to_latin(alias)), fold(to_latin(name))
    if not a or not b:
        return False
    # the same words in another order or spelling, or one name's words all inside the other's
    if fuzz.token_sort_ratio(a, b) >= 70 or fuzz.token_set_ratio(a, b) >= 90:
        return True
    short, long = sorted((a.replace(" ", ""), b), key=len)
    return len(short) >= 2 and (
        short == _initials(long) or fuzz.partial_ratio(short, long.replace(" ", "")) >= 85
    )


def _core(name: str) -> tuple[str, ...]:
    return tuple(sorted(split_legal_forms(tuple(fold(name).split()))[0]))


def _same_name(party: Party, alias: str) -> bool:
    """Does ``party`` list the same name (words in any order, legal forms aside)? Then it is not a
    negative: two entries with one name (CSL's sub-lists repeat persons) are a same-name pair."""
    core = _core(alias)
    return any(_core(n.value) == core for n in party.all_names)


def list_pairs(
    label: str, parties: list[Party], held_out: set[str], late: set[str], rng: random.Random
) -> Iterator[Pair]:
    screener = Screener.build(parties, use_model=False)
    for position, party in enumerate(parties):
        primary = fold(party.name)
        aliases = [n.value for n in party.names if fold(n.value) and fold(n.value) != primary]
        aliases = list(dict.fromkeys(aliases))
        if len(aliases) > ALIASES_PER_PARTY:
            aliases = rng.sample(aliases, ALIASES_PER_PARTY)
        for alias in aliases:
            folded = fold(alias)
            hidden = frozenset(n.value for n in party.all_names if fold(n.value) == folded)
            query = Query(alias)
            hits = screener.candidate_hits(query, excluded=(party.key, hidden))
            own = [h for h in hits if h.party_index == position]
            if not own:
                own = screener.candidate_hits(query, excluded=(party.key, hidden), party=position)
            common = {
                "query": alias, "query_party": party.key, "held_out": party.key in held_out,
                "late": party.key in late, "source": label,
            }  # fmt: skip
            if own:
                hit = own[0]
                listed = hit.listed_key.name
                yield Pair(
                    listed=listed, label=1, features=hit.features, raw_score=hit.raw_score,
                    listed_party=party.key, scripts=_script_label(alias, listed), judged=Screener.model_judges(hit), floor=Screener.model_floor(hit),
                    unrelated=not any(shares_material(alias, n.value) for n in party.all_names if n.value not in hidden),
                    **common,  # type: ignore[arg-type]
                )  # fmt: skip
            others = sorted((h for h in hits if h.party_index != position), key=lambda h: -h.raw_score)
            taken = 0
            for hit in others:
                other = screener.parties[hit.party_index]
                if _same_name(other, alias):
                    continue
                yield Pair(
                    listed=hit.listed_key.name, label=0, features=hit.features, raw_score=hit.raw_score,
                    listed_party=other.key, scripts=_script_label(alias, hit.listed_key.name),
                    judged=Screener.model_judges(hit), floor=Screener.model_floor(hit), **common,  # type: ignore[arg-type]
                )  # fmt: skip
                taken += 1
                if taken == NEGATIVES_PER_QUERY:
                    break


def synthetic_pairs(everything: list[Party], names: list[str]) -> Iterator[Pair]:
    screener = Screener.build(everything, use_model=False)
    for name in names:
        hits = sorted(screener.candidate_hits(Query(name)), key=lambda h: -h.raw_score)[:2]
        for hit in hits:
            other = screener.parties[hit.party_index]
            if _same_name(other, name):
                continue
            yield Pair(
                query=name, listed=hit.listed_key.name, label=0, features=hit.features, raw_score=hit.raw_score,
                query_party="synthetic:" + name, listed_party=other.key,
                held_out=_bucket("synthetic:" + name) == 0, late=False, source="synthetic",
                scripts=_script_label(name, hit.listed_key.name), judged=Screener.model_judges(hit), floor=Screener.model_floor(hit),
            )  # fmt: skip


def calibration_pairs(
    everything: list[Party], rows: list[dict[str, str]], drawn: set[str], held_out: set[str]
) -> Iterator[Pair]:
    """Every candidate from the alignment floor up of synthetic names in the fitting bucket that the
    synthetic pairs did not draw (a separate seed, so the pairs stay those of earlier versions)."""
    names = sorted({row["full_name"] for row in rows} - drawn)
    names = [n for n in names if _bucket("synthetic:" + n) != 0]
    names = random.Random(SEED + 1).sample(names, min(CALIBRATION_QUERIES, len(names)))
    screener = Screener.build(everything, use_model=False)
    for name in names:
        for hit in screener.candidate_hits(Query(name)):
            other = screener.parties[hit.party_index]
            if hit.raw_score < CALIBRATION_FROM or _same_name(other, name):
                continue
            yield Pair(
                query=name, listed=hit.listed_key.name, label=0, features=hit.features, raw_score=hit.raw_score,
                # against a held-out party: counted by the calibration, never fitted on
                query_party="synthetic:" + name, listed_party=other.key, held_out=other.key in held_out,
                late=False, source="calibration", scripts=_script_label(name, hit.listed_key.name),
                judged=Screener.model_judges(hit), floor=Screener.model_floor(hit),
            )  # fmt: skip


def build_pairs() -> list[Pair]:
    rng = random.Random(SEED)
    lists = {**all_lists(), **japanese_lists()}
    held_out = held_out_parties(lists)
    late = late_parties(lists)
    pairs: list[Pair] = []
    for label, parties in lists.items():
        pairs.extend(list_pairs(label, parties, held_out, late, rng))
        print(f"  pairs: {label} done, {len(pairs)} so far", file=sys.stderr, flush=True)
    everything = [p for ps in lists.values() for p in ps]
    rows = list(csv.DictReader((EVAL / "synthetic_negatives_us.csv").open(encoding="utf-8")))
    drawn = [row["full_name"] for row in rng.sample(rows, SYNTHETIC_QUERIES)]
    pairs.extend(synthetic_pairs(everything, drawn))
    pairs.extend(calibration_pairs(everything, rows, set(drawn), held_out))
    # a fitting pair must involve no held-out party on either side: the others are dropped
    return [p for p in pairs if p.held_out or p.listed_party not in held_out]


def fitting_and_held_out(pairs: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    """Pairs to fit on, pairs to test on (calibration pairs are fitted on, when their listed party is not
    held out, and never tested on)."""
    usable = [p for p in pairs if not p.unrelated]
    return (
        [p for p in usable if not p.held_out],
        [p for p in usable if p.held_out and p.source != "calibration"],
    )


def calibration_names(pairs: list[Pair]) -> list[Pair]:
    """The synthetic names' pairs in the fitting bucket, against every listed party (held out or not)."""
    return [p for p in pairs if p.source == "calibration" or (p.source == "synthetic" and not p.held_out)]


if __name__ == "__main__":
    built = build_pairs()
    print(Counter((p.source, p.label, p.held_out, p.unrelated) for p in built))
