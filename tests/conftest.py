"""Shared test helpers: where the real list snapshots and reference data live (``../shared`` beside the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Compile translations whose ``.mo`` is missing or older than its ``.po`` (the ``.mo`` files are not in git;
    ``make`` compiles them at install, this covers a developer running pytest right after editing a ``.po``).

    The whole run gets a throw-away data directory: no test may read or write the user's (audit checkpoints,
    uploads, caches there would leak between runs — a checkpoint left by one run breaks the next run's chain)."""
    import tempfile

    from techguard._build import compile_catalogues

    compile_catalogues(REPO / "src", only_stale=True)
    os.environ["TECHGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="techguard-test-run-")


def shared_root() -> Path:
    return Path(os.environ.get("TECHGUARD_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared/data``; tests that need the real snapshots are skipped, with this reason, where it is absent."""
    root = shared_root() / "data"
    if not root.is_dir():
        pytest.skip(f"real snapshots not found at {root} (set TECHGUARD_SHARED)")
    return root


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh techguard data directory for one test."""
    path = tmp_path / "techguard-data"
    path.mkdir()
    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(path))
    from techguard import config

    config.set_data_dir(None)
    return path
