"""Crosswalk placeholder (filled in the next step)."""

from __future__ import annotations

from techguard.catalogue.model import Catalogue


def build_crosswalk(catalogue: Catalogue) -> None:
    catalogue.links = []


__all__ = ["build_crosswalk"]
