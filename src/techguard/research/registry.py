"""The institution registry: ROR records reduced to what resolution and screening need."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class NameKind(StrEnum):
    """How ROR labels a name (v2 ``names[].types``; the simplified dump's separate fields)."""

    DISPLAY = "ror_display"
    LABEL = "label"
    ALIAS = "alias"
    ACRONYM = "acronym"


class InstitutionName(NamedTuple):
    """One name of an institution. NamedTuples with plain-string kinds keep the pickled index fast to load."""

    value: str
    kind: str  # a NameKind value
    lang: str | None = None


class Relationship(NamedTuple):
    type: str  # "parent", "child", "related", "predecessor", "successor"
    ror_id: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Institution:
    ror_id: str  # the full ROR URL, "https://ror.org/057zh3y96"
    name: str  # the ror_display name
    names: tuple[InstitutionName, ...] = ()  # every name including the display name
    country: str | None = None  # ISO 3166-1 alpha-2
    city: str | None = None
    status: str = "active"  # "active", "inactive", "withdrawn"
    types: tuple[str, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    established: int | None = None
    domains: tuple[str, ...] = field(default=(), compare=False)

    @property
    def acronyms(self) -> tuple[str, ...]:
        return tuple(n.value for n in self.names if n.kind == NameKind.ACRONYM)

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(r.ror_id for r in self.relationships if r.type == "parent")

    @property
    def children(self) -> tuple[str, ...]:
        return tuple(r.ror_id for r in self.relationships if r.type == "child")


class Registry:
    """Institutions by ROR id, with the sha256 of the file they came from (it keys the index cache)."""

    def __init__(self, institutions: Iterable[Institution], *, source: Path | None = None, sha256: str = "") -> None:
        self._by_id: dict[str, Institution] = {}
        for institution in institutions:
            self._by_id[institution.ror_id] = institution
        self.source = source
        self.sha256 = sha256

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Institution]:
        return iter(self._by_id.values())

    def __contains__(self, ror_id: object) -> bool:
        return isinstance(ror_id, str) and normalise_ror_id(ror_id) in self._by_id

    def get(self, ror_id: str) -> Institution | None:
        return self._by_id.get(normalise_ror_id(ror_id))

    def ancestors(self, ror_id: str) -> list[str]:
        """Parents, grandparents, ... (ROR parent links), nearest first, cycle-safe."""
        seen: list[str] = []
        queue = [normalise_ror_id(ror_id)]
        while queue:
            current = self._by_id.get(queue.pop(0))
            if current is None:
                continue
            for parent in current.parents:
                if parent not in seen and parent != ror_id:
                    seen.append(parent)
                    queue.append(parent)
        return seen


def normalise_ror_id(value: str) -> str:
    """"057zh3y96", "ror.org/057zh3y96", "https://ror.org/057zh3y96" -> "https://ror.org/057zh3y96"."""
    value = value.strip()
    if not value:
        return value
    tail = value.rstrip("/").rsplit("/", 1)[-1]
    return f"https://ror.org/{tail.lower()}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


__all__ = [
    "Institution",
    "InstitutionName",
    "NameKind",
    "Registry",
    "Relationship",
    "file_sha256",
    "normalise_ror_id",
]
