"""Continuous re-screening: many known parties against only what a list update changed.

After an update, the entries worth looking at are the added ones and the changed ones (a new alias, a new
country); removed entries cannot create a match. A small index is built over just those entries, and every
party is screened against it — so re-screening 100,000 parties costs 100,000 small lookups, not 100,000
full screenings. Word weights are taken from the full index when given: a word's rarity is a property of
all listed names, not of today's fifty new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from techguard.lists.diff import ListDiff
from techguard.lists.model import Party
from techguard.matching.hits import REVIEW_MARGIN, Hit, SnapshotRef, hits_from_matches
from techguard.matching.screener import Query, Screener


@dataclass(frozen=True, slots=True)
class Subject:
    """A party to keep screening: ``key`` is the caller's own reference (a case party, a counterparty)."""

    key: str
    name: str
    kind: str | None = None
    country: str | None = None
    dob: str | None = None
    identifier: str | None = None


def changed_entries(diff: ListDiff, new_parties: Sequence[Party]) -> list[Party]:
    """The added and changed entries of ``diff``, as the new snapshot (``new_parties``) lists them."""
    wanted = {p.source_id for p in diff.added} | {c.source_id for c in diff.changed}
    return [p for p in new_parties if p.source_id in wanted]


def build_change_screener(changed: Sequence[Party], *, weights_from: Screener | None = None) -> Screener:
    """A screener over ``changed`` only; with ``weights_from``, word rarity comes from the full index."""
    if weights_from is None:
        return Screener.build(changed)
    small = Screener.build(changed, threshold=weights_from.threshold)
    # the small index's own document frequencies would make every word of fifty names look rare
    small.index.word_idf = weights_from.index.word_idf
    small.index.max_word_idf = weights_from.index.max_word_idf
    # translations of Japanese/Chinese names learnt from every list still apply to today's entries
    small.bridges = weights_from.bridges
    return small


def rescreen(
    subjects: Iterable[Subject],
    screener: Screener,
    *,
    snapshots: Mapping[str, SnapshotRef] | None = None,
    top: int = 3,
    review_margin: float = REVIEW_MARGIN,
) -> Iterator[tuple[Subject, list[Hit]]]:
    """Each subject that now has an alerting or near-threshold hit, with those hits (others are skipped)."""
    floor = max(0.0, screener.threshold - review_margin)
    for subject in subjects:
        if not subject.name.strip():
            continue
        query = Query(subject.name, kind=subject.kind, country=subject.country, dob=subject.dob,
                      identifier=subject.identifier)
        matches = screener.screen(query, top=top, min_score=floor)
        if not matches:
            continue
        hits = [h for h in hits_from_matches(matches, snapshots=snapshots, threshold=screener.threshold,
                                             review_margin=review_margin) if h.alert or h.below_threshold]
        if hits:
            yield subject, hits


__all__ = ["Subject", "build_change_screener", "changed_entries", "rescreen"]
