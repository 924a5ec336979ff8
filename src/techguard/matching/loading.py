"""Loading what a screener is built from: list files (any known format, folders of them) or the active
snapshots, and the screener itself through the on-disk index cache. Used by the CLI, ``assess``, the Spark
adapter and the benchmarks alike (one way to turn ``--list`` arguments into a screener)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from techguard.lists.errors import ListError
from techguard.lists.model import Party
from techguard.lists.snapshot import SnapshotInfo
from techguard.lists.store import SnapshotStore
from techguard.matching.index_cache import (
    CacheKey,
    IndexCacheError,
    cache_path,
    cached_screener,
    key_for_files,
    key_for_snapshots,
    verify,
)
from techguard.matching.screener import Screener

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def load_list_files(
    paths: Sequence[Path], list_format: str | None, *, warn: Warn = _stderr
) -> list[Party]:
    """Parse every ``--list`` file (a directory for multi-file formats such as OFAC's CSVs).

    A directory that is not one multi-file list (e.g. METI's PDFs and workbook together) is read file by
    file, each in its detected format; files of no known format are named on stderr, and a directory with
    none at all is an error."""
    from techguard.lists.formats import get_format

    parties: list[Party] = []
    seen: set[Path] = set()  # a file given twice (or as a file and within its folder) is read once
    for path in paths:
        if not path.exists():
            raise ListError(f"{path}: list file not found / リストファイルがありません")
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        files = [f for f in files if f.resolve() not in seen]
        seen.update(f.resolve() for f in files)
        if not files:
            continue
        if list_format is not None:
            groups = {list_format: files}
        elif path.is_dir():
            groups = _detect_each(path, files, warn)
        else:
            groups = {_detect(path): files}
        for code, group in groups.items():
            parties.extend(get_format(code).parse(group).parties)
    return parties


def _detect(path: Path) -> str:
    from techguard.lists.detect import detect_format

    try:
        return detect_format(path)
    except ListError as error:
        # detect's hint names 'lists import --format'; this command's option is --list-format
        raise ListError(
            f"{error} [techguard screen: --list-format FMT / 形式は --list-format で指定]"
        ) from None


def _detect_each(directory: Path, files: list[Path], warn: Warn) -> dict[str, list[Path]]:
    from techguard.lists.detect import detect_format

    try:
        return {detect_format(directory): files}
    except ListError:
        pass
    groups: dict[str, list[Path]] = {}
    skipped: list[str] = []
    for file in files:
        try:
            groups.setdefault(detect_format(file), []).append(file)
        except ListError:
            skipped.append(file.name)
    if not groups:
        raise ListError(
            f"{directory}: no file of a known list format in this folder / 既知の形式のリストがありません "
            "(see 'techguard lists formats', or give --list-format)"
        )
    if skipped:
        warn(f"warning / 警告: {directory}: skipped, format unknown: {', '.join(skipped)}")
    return groups


def load_active_snapshots() -> list[Party]:
    from techguard.lists import default_store

    parties = default_store().load_parties()
    if not parties:
        # screening against nothing would report every name as clear
        raise ListError(
            "no list snapshot is active, nothing to screen against / 有効なリストがありません "
            "(run 'techguard lists update' or 'techguard lists import', or give --list FILE)"
        )
    return parties


def cache_index_of(store: SnapshotStore, snapshots: Sequence[SnapshotInfo], *, warn: Warn = _stderr) -> None:
    """Build the screening index of ``snapshots`` (the set about to become active) and cache it on disk, under
    the key the CLI and the web app compute once they are active: a store's ``prepare`` hook, so that the first
    check after a list import or update loads the index instead of building it."""

    def build() -> Screener:
        return Screener.build([party for s in snapshots for party in store.parties(s.source, s.snapshot_id)])

    key = key_for_snapshots(snapshots)
    if _trusted_cache_exists(key):
        return  # a rollback to a set indexed before: checked, not loaded only to be thrown away
    cached_screener(key, build, warn=warn)


def _trusted_cache_exists(key: CacheKey) -> bool:
    """Is there a cache file for ``key`` that passes every check short of unpickling it?"""
    try:
        verify(cache_path(key).read_bytes(), key)
    except (OSError, IndexCacheError):
        return False  # missing or damaged: cached_screener builds it (and reports the damage)
    return True


def _list_file_roles(lists: Sequence[Path], bridges: Sequence[Path]) -> list[tuple[str, Path]]:
    """Every file the build reads, in the order it reads them, labelled by role, position and name (the
    grouping of a folder's files depends on which folder was given)."""
    roles: list[tuple[str, Path]] = []
    for role, paths in (("list", lists), ("bridge", bridges)):
        for position, path in enumerate(paths):
            if not path.exists():
                raise ListError(f"{path}: list file not found / リストファイルがありません")
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            roles.extend((f"{role}:{position}:{'dir/' if path.is_dir() else ''}{f.name}", f) for f in files)
    return roles


def screener_key(
    lists: Sequence[Path] | None, list_format: str | None = None, bridges: Sequence[Path] | None = None
) -> CacheKey:
    """The index cache key of these inputs: the files' SHA-256 (default: the active snapshots' hashes)."""
    if lists:
        return key_for_files(_list_file_roles(lists, bridges or []), [("list_format", list_format or "")])
    from techguard.lists import default_store

    active = default_store().active()
    if not active:
        load_active_snapshots()  # raises the "no list snapshot is active" error
    return key_for_snapshots(active, key_for_files(_list_file_roles([], bridges or [])).inputs)


def screener_for(
    lists: Sequence[Path] | None,
    list_format: str | None = None,
    bridges: Sequence[Path] | None = None,
    *,
    use_cache: bool = True,
    warn: Warn = _stderr,
) -> Screener:
    """The screener over list files (default: the active snapshots), from the on-disk index cache when
    one was built from the same inputs (file / snapshot SHA-256 hashes) by the same algorithm."""

    def build() -> Screener:
        parties = load_list_files(lists, list_format, warn=warn) if lists else load_active_snapshots()
        if not parties:
            raise ListError(f"the --list files hold no entries: {', '.join(map(str, lists or []))}")
        bridge_parties = load_list_files(bridges, None, warn=warn) if bridges else []
        return Screener.build(parties, bridges=bridge_parties)

    if not use_cache:
        return build()
    return cached_screener(screener_key(lists, list_format, bridges), build, warn=warn)


__all__ = ["cache_index_of", "load_active_snapshots", "load_list_files", "screener_for", "screener_key"]
