"""One cached screener per process, built from the active list snapshots and rebuilt when they change."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


class ScreeningUnavailable(RuntimeError):
    """The screener cannot run: no list snapshots yet, or the matching package is missing."""


@dataclass(frozen=True)
class ListStatus:
    source: str
    entries: int
    as_of: str
    age_days: int | None
    stale: bool
    sha256: str


_lock = threading.Lock()
_cached: tuple[tuple[str, ...], Any] | None = None


def snapshot_store() -> Any:
    from techguard.lists import default_store

    return default_store()


def list_status() -> list[ListStatus]:
    """The active snapshots, one per source (empty when none was ever downloaded)."""
    try:
        active = snapshot_store().active()
    except ImportError as exc:
        raise ScreeningUnavailable(f"the list store is not installed: {exc}") from exc
    infos = active.values() if isinstance(active, dict) else active
    out = []
    for info in infos:
        age = getattr(info, "age_days", None)
        out.append(
            ListStatus(
                source=str(info.source),
                entries=int(getattr(info, "entries", 0) or 0),
                as_of=str(getattr(info, "as_of_text", "")),  # "unknown / 不明" when the publisher gave no date
                age_days=int(age) if age is not None else None,
                stale=bool(getattr(info, "stale", False)),
                sha256=str(getattr(info, "sha256", "")),
            )
        )
    return sorted(out, key=lambda s: s.source)


def get_screener() -> Any:
    """The process-wide screener; rebuilt only when the set of active snapshots (their hashes) changes."""
    global _cached
    try:
        from techguard.matching import Screener
    except ImportError as exc:
        raise ScreeningUnavailable(f"the matching engine is not installed: {exc}") from exc
    if _cached is not None and _cached[0] == ("test",):
        return _cached[1]
    statuses = list_status()
    if not statuses:
        raise ScreeningUnavailable("no list snapshots are active; an administrator must update the lists first")
    key = tuple(f"{s.source}:{s.sha256}" for s in statuses)
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, _load_screener(Screener))
        return _cached[1]


def set_screener_for_tests(screener: Any | None) -> None:
    """Install a screener built from fixture parties (tests only; product code never calls this)."""
    global _cached
    with _lock:
        _cached = None if screener is None else (("test",), screener)


def screen_name(name: str, *, kind: str | None = None, country: str | None = None, dob: str | None = None,
                top: int = 5) -> list[dict[str, Any]]:
    """Screen one name; every match comes back as plain data with its explanation."""
    from techguard.matching import Query

    screener = get_screener()
    matches = screener.screen(Query(name, kind=kind or None, country=country or None, dob=dob or None), top=top)
    return [match_to_json(m) for m in matches]


def match_to_json(match: Any) -> dict[str, Any]:
    party = match.party
    return {
        "score": round(float(match.score), 4),
        "alert": bool(match.alert),
        "matched_name": str(match.matched_name),
        "explanation": _plain(match.explanation),
        "party": {
            "key": f"{party.source}:{party.source_id}",
            "source": party.source,
            "list": party.list,
            "name": party.name,
            "kind": str(party.kind),
            "countries": list(party.countries),
            "programs": list(party.programs),
            "licence_requirement": party.licence_requirement,
            "licence_policy": party.licence_policy,
            "federal_register": party.federal_register,
            "source_url": party.source_url,
        },
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- index cache and warm-up (helper: scale)
def _load_screener(screener_class: Any) -> Any:
    """The screener over the active snapshots from the on-disk index cache (shared with the CLI); built and
    cached only when the snapshots or the algorithm changed since it was written."""
    import logging

    from techguard.matching.index_cache import cached_screener, key_for_snapshots

    store = snapshot_store()
    return cached_screener(
        key_for_snapshots(store.active()),
        lambda: screener_class.build(store.load_parties()),
        warn=logging.getLogger("techguard.web.screening").warning,
    )


def warm_up() -> bool:
    """Load the screener into this process now (server start, after a list update), so that no user's
    request waits for it. False when no list is active yet (nothing to load; not an error)."""
    try:
        get_screener()
    except ScreeningUnavailable:
        return False
    return True


__all__ = [
    "ListStatus",
    "ScreeningUnavailable",
    "get_screener",
    "list_status",
    "match_to_json",
    "screen_name",
    "set_screener_for_tests",
    "snapshot_store",
    "warm_up",
]
