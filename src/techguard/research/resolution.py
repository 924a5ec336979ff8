"""What resolving one affiliation string yields: the institution (or an explicit no-match) and its list
memberships, each carrying its explanation as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Membership:
    """An institution's membership of a list, as shown on a resolution (filled by the designations module)."""

    list: str  # "us_1286", "us_1260h", "us_entity_list", "jp_eul", "ca_nro", "aspi_cdut"
    authority: str
    name: str  # the listed name
    edition: str  # fiscal year / list date / snapshot date
    start: str | None = None  # ISO date in force from
    end: str | None = None  # ISO date no longer in force from
    category: str | None = None  # ASPI risk level, §1286 table, ...
    via: str = ""  # "ror_id", "name", "parent"
    source_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome for one affiliation string. ``ror_id is None`` means no match; ``explanation`` says why."""

    text: str
    ror_id: str | None
    name: str | None
    country: str | None
    score: float
    explanation: tuple[str, ...]
    matched: str | None = None  # the part of the text that matched
    designations: tuple[Membership, ...] = ()
    assessments: tuple[Membership, ...] = ()
    others: tuple[str, ...] = ()  # ROR ids of further institutions named in the same text

    @property
    def matched_any(self) -> bool:
        return self.ror_id is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ror_id": self.ror_id,
            "name": self.name,
            "country": self.country,
            "score": round(self.score, 3),
            "designations": [m.as_dict() for m in self.designations],
            "assessments": [m.as_dict() for m in self.assessments],
            "matched": self.matched,
            "others": list(self.others),
            "explanation": list(self.explanation),
        }


__all__ = ["Membership", "Resolution"]
