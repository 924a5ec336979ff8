"""Fixtures for the matching tests."""

from __future__ import annotations

import pytest
from matching_parties import PARTIES

from techguard.matching import Screener


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.build(PARTIES)
