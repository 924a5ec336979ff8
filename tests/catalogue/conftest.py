"""Catalogue test helpers: one catalogue built from the real source files in ../shared, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.catalogue.build import build_from_dirs
from techguard.catalogue.model import Catalogue
from techguard.catalogue.search import Searcher

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


@pytest.fixture(scope="session")
def real_catalogue(shared: Path) -> Catalogue:
    return build_from_dirs([shared / "rules"])


@pytest.fixture(scope="session")
def searcher(real_catalogue: Catalogue) -> Searcher:
    return Searcher(real_catalogue)
