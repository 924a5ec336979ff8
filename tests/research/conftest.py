"""Fixtures for the research tests: the hand-made ROR sample and (slow) the shared 51k registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard.research.index import build_index, load_or_build_index
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"


@pytest.fixture(scope="session")
def sample_resolver() -> Resolver:
    return Resolver(build_index(load_registry(FIXTURES / "ror-v2-sample.json")))


@pytest.fixture(scope="session")
def real_resolver(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    registry = load_registry(shared / "research" / "ror" / "ror_records_union.jsonl.gz")
    return Resolver(load_or_build_index(registry, tmp_path_factory.mktemp("ror-cache")))
