"""What changed between two snapshots of one list: added, removed and changed entries, by publisher id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from techguard.i18n import multilingual
from techguard.lists.model import Party
from techguard.lists.snapshot import party_to_dict

# ``source`` is the snapshot's own label and ``extra`` holds format-specific leftovers: neither is a change
# an officer needs to review.
_IGNORED_FIELDS = frozenset({"source", "source_id", "extra"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # JSON-ready value (as stored), None when absent
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class PartyChange:
    source_id: str
    name: str  # the new primary name
    changes: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "name": self.name,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class ListDiff:
    source: str | None
    old_id: str | None
    new_id: str | None
    added: tuple[Party, ...]
    removed: tuple[Party, ...]
    changed: tuple[PartyChange, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return multilingual("{added} added, {removed} removed, {changed} changed, {unchanged} unchanged",
                            added=len(self.added), removed=len(self.removed), changed=len(self.changed),
                            unchanged=self.unchanged)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from": self.old_id,
            "to": self.new_id,
            "added": [{"source_id": p.source_id, "name": p.name} for p in self.added],
            "removed": [{"source_id": p.source_id, "name": p.name} for p in self.removed],
            "changed": [c.to_json() for c in self.changed],
            "unchanged": self.unchanged,
        }


def diff_snapshots(
    old: Sequence[Party],
    new: Sequence[Party],
    *,
    source: str | None = None,
    old_id: str | None = None,
    new_id: str | None = None,
) -> ListDiff:
    """Compare two snapshots entry by entry, keyed by ``source_id``.

    Entries keep their publisher's order; if a publisher repeats an id, the entries are numbered in order
    of appearance (``id``, ``id#2``, ...) so none is silently lost.
    """
    old_by_id = _keyed(old)
    new_by_id = _keyed(new)
    added = tuple(p for key, p in new_by_id.items() if key not in old_by_id)
    removed = tuple(p for key, p in old_by_id.items() if key not in new_by_id)
    changed: list[PartyChange] = []
    unchanged = 0
    for key, new_party in new_by_id.items():
        old_party = old_by_id.get(key)
        if old_party is None:
            continue
        changes = _field_changes(old_party, new_party)
        if changes:
            changed.append(PartyChange(new_party.source_id, new_party.name, changes))
        else:
            unchanged += 1
    return ListDiff(source, old_id, new_id, added, removed, tuple(changed), unchanged)


def _keyed(parties: Sequence[Party]) -> dict[str, Party]:
    result: dict[str, Party] = {}
    seen: dict[str, int] = {}
    for party in parties:
        n = seen.get(party.source_id, 0) + 1
        seen[party.source_id] = n
        result[party.source_id if n == 1 else f"{party.source_id}#{n}"] = party
    return result


def _field_changes(old: Party, new: Party) -> tuple[FieldChange, ...]:
    old_data, new_data = party_to_dict(old), party_to_dict(new)
    fields = [f for f in dict.fromkeys([*old_data, *new_data]) if f not in _IGNORED_FIELDS]
    return tuple(
        FieldChange(f, old_data.get(f), new_data.get(f)) for f in fields if old_data.get(f) != new_data.get(f)
    )


__all__ = ["FieldChange", "ListDiff", "PartyChange", "diff_snapshots"]
