"""A licence requirement found outside the Country Chart (parties, embargoes, end uses)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Requirement:
    """Where a General Prohibition 4-10 requirement comes from; it cannot be met by a licence exception unless
    the entry or Part 746 says so."""

    citation: str
    why: str


__all__ = ["Requirement"]
