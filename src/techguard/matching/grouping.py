"""One real-world party listed by several publishers comes back as one match with ``related`` listings.

Two hits are grouped when they are on *different* lists, their kinds are compatible and they share a
name (same folded core words, in any order). Entries of the same list are never merged: two SDN
entries with one name are two designations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from techguard.lists.model import Party, PartyKind

T = TypeVar("T")


def kinds_compatible(a: Party, b: Party) -> bool:
    return a.kind is b.kind or PartyKind.UNKNOWN in (a.kind, b.kind)


def group_hits(
    hits: Sequence[T], party_of: Callable[[T], Party], signatures: Callable[[Party], frozenset[str]]
) -> list[list[T]]:
    """Group ``hits`` (best first); each group's first hit is its best. Order of groups is kept."""
    groups: list[list[T]] = []
    group_sigs: list[set[str]] = []
    group_lists: list[set[str]] = []
    for hit in hits:
        party = party_of(hit)
        sigs = signatures(party)
        placed = False
        for g, members in enumerate(groups):
            if party.list in group_lists[g] or not (sigs & group_sigs[g]):
                continue
            if not all(kinds_compatible(party, party_of(m)) for m in members):
                continue
            members.append(hit)
            group_sigs[g] |= sigs
            group_lists[g].add(party.list)
            placed = True
            break
        if not placed:
            groups.append([hit])
            group_sigs.append(set(sigs))
            group_lists.append({party.list})
    return groups


__all__ = ["group_hits", "kinds_compatible"]
