"""Rule tables kept by version: an update adds a version, never overwrites one; ``as_of`` picks the one in force.

``techguard rules update`` writes the new tables into the data directory; before it does, the set already
there is moved under ``versions/<date of its text>/`` (a version already kept is never replaced). The engines
then read, for an ``as_of`` date, the newest set whose text date is on or before it — or, for a date before
every set held, the oldest one, with a note in ``details.tables_note``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

VERSIONS_DIR = "versions"
T = TypeVar("T")


def archive_current(directory: Path, files: Sequence[str], date_of: Callable[[Path], str]) -> Path | None:
    """Keep the complete table set in ``directory`` under ``versions/<date>/`` before it is replaced.

    Returns the version directory, or None when there was no complete set. An existing version directory is
    left as it is (the same text date means the same tables)."""
    if not all((directory / name).is_file() for name in files):
        return None
    date = date_of(directory)
    target = directory / VERSIONS_DIR / date
    if target.exists():
        return target
    target.mkdir(parents=True)
    for name in files:
        shutil.copy2(directory / name, target / name)
    return target


def kept_versions(directory: Path, files: Sequence[str]) -> list[Path]:
    """Complete table sets kept under ``directory/versions/``, oldest first."""
    root = directory / VERSIONS_DIR
    if not root.is_dir():
        return []
    return sorted(
        (p for p in root.iterdir() if p.is_dir() and all((p / name).is_file() for name in files)),
        key=lambda p: p.name,
    )


def choose(as_of: dt.date, candidates: Sequence[tuple[str, T]]) -> T:
    """The candidate (text date ISO, tables) in force on ``as_of``: the newest dated on or before it, else the
    oldest (the caller notes that the date is before every version held)."""
    if not candidates:
        raise ValueError("no rule tables to choose from")
    ordered = sorted(candidates, key=lambda c: c[0])
    in_force = [c for c in ordered if c[0] <= as_of.isoformat()]
    return (in_force[-1] if in_force else ordered[0])[1]


__all__ = ["VERSIONS_DIR", "archive_current", "choose", "kept_versions"]
