"""Every Japanese-rules test runs with a fresh data directory, so tables from a real `rules update --jp` in the
user's data directory never change what the tests see (the packaged tables are used unless a test writes its own)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fresh_data_dir(data_dir: Path) -> Path:
    return data_dir
