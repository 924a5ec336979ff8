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


# Wording for answers that are not an institution: never anything that reads as "clear".
STATUS_TEXT = {
    "resolved": "resolved / 解決済み",
    "ambiguous": "ambiguous: several institutions remain — check by hand / 曖昧：複数の候補（要確認）",
    "not_resolved": "not resolved — check by hand / 未解決（要確認）",
}

NO_DESIGNATION = ("not on any loaded designation list on this date (check which lists are loaded) / "
                  "読み込み済みの指定リストには、この日付で掲載なし（読み込み済みリストを確認）")
NO_DESIGNATION_AMONG_NAMED = ("none of the institutions named is on a loaded designation list on this date, but which "
                              "one is the affiliation is not resolved — check by hand / 記載された機関はいずれも読み込み済みの"
                              "指定リストにこの日付で掲載なし。ただし所属機関は未確定（要確認）")
DESIGNATIONS_UNCHECKED = ("designations not checked: the institution is not resolved — check by hand / "
                          "機関が未解決のため指定リストは未確認（要確認）")


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
    # ROR ids of further institutions named in the same text; when ambiguous between institutions named
    # (``candidates``), all of them.
    others: tuple[str, ...] = ()
    # No answer because these institutions remain after every check: (ROR id, name, country) each.
    candidates: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def matched_any(self) -> bool:
        return self.ror_id is not None

    @property
    def status(self) -> str:
        """``resolved``, ``ambiguous`` (two or more candidates remain) or ``not_resolved``. Neither of the last
        two says anything about the institution: both mean "check by hand"."""
        if self.ror_id is not None:
            return "resolved"
        return "ambiguous" if self.candidates else "not_resolved"

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def designation_text(self) -> str:
        """What the designation check found, worded so that no unresolved answer reads as clear."""
        if self.ror_id is None:
            if not self.others:
                return DESIGNATIONS_UNCHECKED
            # Ambiguous between institutions the text names: each one's lists were checked.
            return (f"{len(self.designations)} designation(s) among the institutions named / "
                    f"記載された機関に指定 {len(self.designations)} 件" if self.designations
                    else NO_DESIGNATION_AMONG_NAMED)
        return f"{len(self.designations)} designation(s)" if self.designations else NO_DESIGNATION

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_text": self.status_text,
            "ror_id": self.ror_id,
            "name": self.name,
            "country": self.country,
            "score": round(self.score, 3),
            "designations": [m.as_dict() for m in self.designations],
            "assessments": [m.as_dict() for m in self.assessments],
            "matched": self.matched,
            "others": list(self.others),
            "candidates": [{"ror_id": c[0], "name": c[1], "country": c[2]} for c in self.candidates],
            "explanation": list(self.explanation),
        }


__all__ = ["DESIGNATIONS_UNCHECKED", "NO_DESIGNATION", "NO_DESIGNATION_AMONG_NAMED", "STATUS_TEXT", "Membership", "Resolution"]
