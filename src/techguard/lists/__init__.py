"""Restricted-party lists: parsing official files, keeping immutable snapshots, updating and diffing them.

The public API is re-exported here lazily (importing :mod:`techguard.lists.model` from a parser must not
pull in the store and its HTTP client).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techguard.lists.detect import detect_format
    from techguard.lists.diff import FieldChange, ListDiff, PartyChange, diff_snapshots
    from techguard.lists.errors import ListError, ListFormatError, UpdateRefused
    from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
    from techguard.lists.snapshot import SnapshotInfo, party_from_dict, party_to_dict
    from techguard.lists.sources import SOURCES, OfficialSource, get_source
    from techguard.lists.store import PrepareActivation, SnapshotStore
    from techguard.lists.update import UpdateReport, UpdateStatus

_EXPORTS = {
    "detect_format": "techguard.lists.detect",
    "FieldChange": "techguard.lists.diff",
    "ListDiff": "techguard.lists.diff",
    "PartyChange": "techguard.lists.diff",
    "diff_snapshots": "techguard.lists.diff",
    "ListError": "techguard.lists.errors",
    "ListFormatError": "techguard.lists.errors",
    "UpdateRefused": "techguard.lists.errors",
    "Address": "techguard.lists.model",
    "Identifier": "techguard.lists.model",
    "Name": "techguard.lists.model",
    "NameType": "techguard.lists.model",
    "Party": "techguard.lists.model",
    "PartyKind": "techguard.lists.model",
    "SnapshotInfo": "techguard.lists.snapshot",
    "party_from_dict": "techguard.lists.snapshot",
    "party_to_dict": "techguard.lists.snapshot",
    "SOURCES": "techguard.lists.sources",
    "OfficialSource": "techguard.lists.sources",
    "get_source": "techguard.lists.sources",
    "SnapshotStore": "techguard.lists.store",
    "UpdateReport": "techguard.lists.update",
    "UpdateStatus": "techguard.lists.update",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'techguard.lists' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def default_store(*, prepare: PrepareActivation | None = None) -> SnapshotStore:
    """The store in techguard's data directory (``config.data_dir() / "lists"``); ``prepare`` runs before each
    switch of the active snapshots (see :data:`techguard.lists.store.PrepareActivation`)."""
    from techguard.config import data_dir
    from techguard.lists.store import SnapshotStore

    return SnapshotStore(data_dir() / "lists", prepare=prepare)


__all__ = [
    "SOURCES",
    "Address",
    "FieldChange",
    "Identifier",
    "ListDiff",
    "ListError",
    "ListFormatError",
    "Name",
    "NameType",
    "OfficialSource",
    "Party",
    "PartyChange",
    "PartyKind",
    "SnapshotInfo",
    "SnapshotStore",
    "UpdateRefused",
    "UpdateReport",
    "UpdateStatus",
    "default_store",
    "detect_format",
    "diff_snapshots",
    "get_source",
    "party_from_dict",
    "party_to_dict",
]
