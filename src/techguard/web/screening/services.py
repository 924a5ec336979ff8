"""One cached screener per process, built from the active list snapshots and rebuilt when they change."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techguard.lists.store import SnapshotStore
    from techguard.matching import Screener
    from techguard.matching.hits import Hit, SnapshotRef


class ScreeningUnavailable(RuntimeError):
    """The screener cannot run: no list snapshots are active yet."""


@dataclass(frozen=True)
class ListStatus:
    source: str
    entries: int
    as_of: str
    age_days: int | None
    stale: bool
    sha256: str
    snapshot_id: str = ""
    retrieved_at: str = ""

    def title(self, lang: str = "en") -> str:
        """The source's official title (lists are shown by title, the code only as a detail)."""
        from techguard.i18n import available_languages
        from techguard.lists.sources import SOURCES

        known = SOURCES.get(self.source)
        if known is None:
            return self.source
        base = lang.split("-")[0]
        return known.title(base) if base in available_languages() else known.title_en

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def title_ja(self) -> str:
        return self.title("ja")


_lock = threading.Lock()
_cached: tuple[tuple[str, ...], Screener] | None = None


def snapshot_store() -> SnapshotStore:
    """The list store; an import or update through it indexes the coming lists (and caches the index on disk)
    before the switch, so the server processes load the index when they notice the switch instead of building
    it on a user's check."""
    import logging

    from techguard.lists import default_store
    from techguard.matching.loading import cache_index_of

    warn = logging.getLogger("techguard.web.screening").warning
    return default_store(prepare=lambda store, snapshots: cache_index_of(store, snapshots, warn=warn))


def list_status() -> list[ListStatus]:
    """The active snapshots, one per source (empty when none was ever downloaded)."""
    out = [
        ListStatus(
            source=info.source,
            entries=info.entries,
            as_of=info.as_of_text,  # "unknown / 不明" when the publisher gave no date
            age_days=info.age_days,
            stale=info.stale,
            sha256=info.sha256,
            snapshot_id=info.snapshot_id,
            retrieved_at=info.retrieved_at,
        )
        for info in snapshot_store().active()
    ]
    return sorted(out, key=lambda s: s.source)


def get_screener() -> Screener:
    """The process-wide screener; rebuilt only when the set of active snapshots (their hashes) changes."""
    global _cached
    if _cached is not None and _cached[0] == ("test",):
        return _cached[1]
    statuses = list_status()
    if not statuses:
        raise ScreeningUnavailable("no list snapshots are active; an administrator must update the lists first")
    key = tuple(f"{s.source}:{s.sha256}" for s in statuses)
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, _load_screener())
        return _cached[1]


def set_screener_for_tests(screener: Screener | None) -> None:
    """Install a screener built from fixture parties (tests only; product code never calls this)."""
    global _cached
    with _lock:
        _cached = None if screener is None else (("test",), screener)


def list_versions() -> list[dict[str, Any]]:
    """The active list versions as plain data (source, titles, snapshot id, as-of date, retrieval time, hash)."""
    try:
        statuses = list_status()
    except ScreeningUnavailable:
        return []
    return [{"source": s.source, "title_en": s.title_en, "title_ja": s.title_ja, "snapshot_id": s.snapshot_id,
             "as_of": s.as_of, "retrieved_at": s.retrieved_at, "sha256": s.sha256, "entries": s.entries}
            for s in statuses]


def snapshot_refs() -> dict[str, SnapshotRef]:
    """Source -> the active snapshot (id, hash, as-of) every hit records, so a decision knows what it saw."""
    from techguard.matching.hits import SnapshotRef

    try:
        return {s.source: SnapshotRef(s.snapshot_id, s.sha256, s.as_of) for s in list_status()}
    except ScreeningUnavailable:
        return {}


def screen_hits(name: str, *, kind: str | None = None, country: str | None = None, dob: str | None = None,
                top: int = 5, identifier: str | None = None) -> list[Hit]:
    """Screen one name; every potential match as a :class:`techguard.matching.hits.Hit`."""
    from techguard.matching import Query
    from techguard.matching.hits import hits_from_matches

    screener = get_screener()
    if not name.strip():
        return []
    query = Query(name, kind=kind or None, country=country or None, dob=dob or None, identifier=identifier or None)
    matches = screener.screen(query, top=top)
    return hits_from_matches(matches, snapshots=snapshot_refs(), threshold=screener.threshold)


def screen_name(name: str, *, kind: str | None = None, country: str | None = None, dob: str | None = None,
                top: int = 5, identifier: str | None = None) -> list[dict[str, Any]]:
    """Screen one name; every hit as stored/served JSON (``Hit.to_json``) with its explanation."""
    hits = screen_hits(name, kind=kind, country=country, dob=dob, top=top, identifier=identifier)
    return [hit.to_json() for hit in hits]


# ---------------------------------------------------------------- index cache and warm-up (helper: scale)
def _load_screener() -> Screener:
    """The screener over the active snapshots from the on-disk index cache (shared with the CLI, which writes
    it on every list import or update); built and cached only when the snapshots or the algorithm changed."""
    import logging

    from techguard.matching.loading import screener_for

    return screener_for(None, warn=logging.getLogger("techguard.web.screening").warning)


def warm_up() -> bool:
    """Load the screener into this process now (server start, after a list update), so that no user's
    request waits for it. False when no list is active yet (nothing to load; not an error)."""
    try:
        get_screener()
    except ScreeningUnavailable:
        return False
    return True


INDEX_WATCH_SECONDS = 5.0  # how soon a server process notices a list import or update made by another process


def start_index_watch(interval: float = INDEX_WATCH_SECONDS) -> threading.Event:
    """Keep this process's screener current in the background: every ``interval`` seconds, load the index of
    the active snapshots if they changed (a list import from the CLI, an update by the background worker), so
    that the first check after the change does not wait for the index either. gunicorn starts one per worker
    after the fork (threads do not survive a fork). Setting the returned event ends the watch."""
    stop = threading.Event()

    def watch() -> None:
        import logging

        log = logging.getLogger("techguard.web.screening")
        while not stop.wait(interval):
            try:
                warm_up()
            except Exception:  # a damaged snapshot must not end the watch; the next check reports the error
                log.exception("the screening index could not be reloaded")

    threading.Thread(target=watch, name="techguard-index-watch", daemon=True).start()
    return stop


__all__ = [
    "INDEX_WATCH_SECONDS",
    "ListStatus",
    "ScreeningUnavailable",
    "get_screener",
    "list_status",
    "list_versions",
    "screen_hits",
    "screen_name",
    "set_screener_for_tests",
    "snapshot_refs",
    "snapshot_store",
    "start_index_watch",
    "warm_up",
]
