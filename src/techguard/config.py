"""Where techguard keeps its data: ``--data-dir`` > ``TECHGUARD_DATA_DIR`` > the per-user data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

_override: Path | None = None


def set_data_dir(path: Path | None) -> None:
    global _override
    _override = path


def data_dir() -> Path:
    """The data directory, created on first use."""
    if _override is not None:
        path = _override
    elif env := os.environ.get("TECHGUARD_DATA_DIR"):
        path = Path(env)
    else:
        path = Path(user_data_dir("techguard", appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


__all__ = ["data_dir", "set_data_dir"]
