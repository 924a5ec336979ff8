"""The snapshot store: immutable list snapshots on disk and an atomically switched set of active ones.

Layout under ``root`` (``config.data_dir() / "lists"``)::

    active.json                         {"format": 1, "active": {source: {"snapshot": id, "checked_at": ...}}}
    snapshots/<source>/<id>/raw/...     the file(s) exactly as downloaded or imported
    snapshots/<source>/<id>/parties.jsonl.gz
    snapshots/<source>/<id>/meta.json   written last: a snapshot without it is not a snapshot
    .staging/                           work space; a snapshot is built here and renamed into place
    .lock                               held while anything is written, so two updaters never race

Every write follows the same order: build the new snapshot in ``.staging``, fsync, rename it into
``snapshots/``, then replace ``active.json`` (temp file + fsync + ``os.replace``). A crash before the last
step leaves the previous snapshot active; a half-built snapshot is never visible.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from techguard.i18n import multilingual
from techguard.lists.diff import ListDiff, diff_snapshots
from techguard.lists.errors import ListError, ListFormatError, UpdateRefused
from techguard.lists.formats import ListFormat, ParseResult, get_format
from techguard.lists.model import Party
from techguard.lists.snapshot import (
    META_FILE,
    PARTIES_FILE,
    RAW_DIR,
    FileLock,
    SnapshotInfo,
    combined_sha256,
    count_names,
    file_sha256,
    fsync_dir,
    fsync_file,
    meta_from_json,
    meta_to_json,
    read_parties,
    write_json_durably,
    write_parties,
)
from techguard.lists.sources import get_source, max_age_days, updatable_sources
from techguard.lists.update import (
    DownloadError,
    UpdateReport,
    UpdateStatus,
    default_client,
    download_source,
)

DEFAULT_MAX_DROP = 0.20
ACTIVE_FILE = "active.json"
_SOURCE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CACHE_SIZE = 16
_party_cache: OrderedDict[tuple[str, str, str], tuple[Party, ...]] = OrderedDict()

# Called with the store and the snapshots that are about to be active (sorted by source), after the new snapshot
# is written and before the switch: e.g. the screening index built and cached for them, so that no check after
# the switch waits for it. An exception cancels the switch (the previous snapshot stays active).
PrepareActivation = Callable[["SnapshotStore", Sequence[SnapshotInfo]], None]


class SnapshotStore:
    def __init__(
        self,
        root: Path,
        *,
        max_drop: float = DEFAULT_MAX_DROP,
        now: Callable[[], datetime] | None = None,
        lock_timeout: float = 30.0,
        prepare: PrepareActivation | None = None,
    ) -> None:
        if not 0.0 <= max_drop <= 1.0:
            raise ValueError(f"max_drop must be between 0 and 1, got {max_drop}")
        self.root = Path(root)
        self.max_drop = max_drop
        self._now = now or (lambda: datetime.now(UTC))
        self._lock_timeout = lock_timeout
        self._prepare = prepare

    # --- reading -----------------------------------------------------------------------------------

    @property
    def snapshots_dir(self) -> Path:
        return self.root / "snapshots"

    def active(self) -> list[SnapshotInfo]:
        """The active snapshot of every source, sorted by source code."""
        return [
            self._read_info(source, entry["snapshot"], active=True, checked_at=entry.get("checked_at"))
            for source, entry in sorted(self._read_active().items())
        ]

    def active_info(self, source: str) -> SnapshotInfo | None:
        entry = self._read_active().get(source)
        if entry is None:
            return None
        return self._read_info(source, entry["snapshot"], active=True, checked_at=entry.get("checked_at"))

    def history(self, source: str) -> list[SnapshotInfo]:
        """Every complete snapshot of ``source``, newest first."""
        folder = self.snapshots_dir / source
        if not folder.is_dir():
            return []
        entry = self._read_active().get(source) or {}
        infos = [
            self._read_info(
                source,
                path.name,
                active=path.name == entry.get("snapshot"),
                checked_at=entry.get("checked_at") if path.name == entry.get("snapshot") else None,
            )
            for path in folder.iterdir()
            if (path / META_FILE).is_file()
        ]
        return sorted(infos, key=lambda i: (i.sequence, i.retrieved_at, i.snapshot_id), reverse=True)

    def get(self, source: str, snapshot_id: str) -> SnapshotInfo:
        entry = self._read_active().get(source) or {}
        is_active = entry.get("snapshot") == snapshot_id
        return self._read_info(
            source, snapshot_id, active=is_active, checked_at=entry.get("checked_at") if is_active else None
        )

    def parties(self, source: str, snapshot_id: str) -> tuple[Party, ...]:
        """The parties of one snapshot (cached in-process by snapshot id: snapshots never change)."""
        key = (str(self.root.resolve()), source, snapshot_id)
        cached = _party_cache.get(key)
        if cached is not None:
            _party_cache.move_to_end(key)
            return cached
        path = self._snapshot_dir(source, snapshot_id) / PARTIES_FILE
        if not path.is_file():
            raise ListError(f"{path}: snapshot {snapshot_id!r} of {source!r} does not exist")
        verify_snapshot_files(path.parent)  # an edited snapshot is refused, never screened against
        parties = read_parties(path)
        _party_cache[key] = parties
        while len(_party_cache) > _CACHE_SIZE:
            _party_cache.popitem(last=False)
        return parties

    def load_parties(self, sources: Sequence[str] | None = None) -> list[Party]:
        """The parties of the active snapshots (of ``sources``, or of all)."""
        active = {info.source: info for info in self.active()}
        wanted = list(active) if sources is None else list(sources)
        missing = [s for s in wanted if s not in active]
        if missing:
            raise ListError(
                multilingual("no active snapshot for {missing} (run 'techguard lists update' or 'techguard lists import';"
                             " active: {active})", missing=", ".join(missing), active=", ".join(active) or "-")
            )
        result: list[Party] = []
        for source in wanted:
            result.extend(self.parties(source, active[source].snapshot_id))
        return result

    def diff(self, source: str, from_id: str | None = None, to_id: str | None = None) -> ListDiff:
        """Differences between two snapshots of ``source``; by default the one before the active vs the active."""
        history = self.history(source)
        if not history:
            raise ListError(f"no snapshots of {source!r}")
        if to_id is None:
            current = next((i for i in history if i.active), history[0])
            to_id = current.snapshot_id
        if from_id is None:
            ids = [i.snapshot_id for i in history]
            if to_id not in ids:
                raise ListError(f"snapshot {to_id!r} of {source!r} does not exist")
            older = ids[ids.index(to_id) + 1 :]
            if not older:
                raise ListError(f"{source}: snapshot {to_id} has no earlier snapshot to compare with")
            from_id = older[0]
        return diff_snapshots(
            self.parties(source, from_id),
            self.parties(source, to_id),
            source=source,
            old_id=from_id,
            new_id=to_id,
        )

    # --- writing -----------------------------------------------------------------------------------

    def import_files(
        self,
        paths: Sequence[Path],
        format: str,
        *,
        source: str | None = None,
        source_url: str | None = None,
        force: bool = False,
        published: date | str | None = None,
    ) -> SnapshotInfo:
        """Parse local file(s), check them and activate them as a new snapshot.

        ``published`` is the publisher's date for the edition as the officer read it (on the web page or in
        the notice); it wins over a date read from the file (a warning records both when they differ). Without
        either, the snapshot's date is unknown and it counts as stale.

        Raises :class:`ListFormatError` (file, line, field) when the file is malformed and
        :class:`UpdateRefused` when a sanity check fails or ``published`` is not a past ISO date; in every
        case nothing stored changes.
        """
        published_date = self._published_date(published)
        with self._locked():
            return self._import(
                list(paths), format, source=source, source_url=source_url, force=force, published=published_date
            )

    def _published_date(self, published: date | str | None) -> str | None:
        if published is None:
            return None
        if isinstance(published, datetime):
            published = published.date()
        if not isinstance(published, date):
            try:
                published = date.fromisoformat(str(published).strip())
            except ValueError:
                raise UpdateRefused(
                    f"--published {published!r}: expected the publication date as YYYY-MM-DD "
                    f"/ 公表日は YYYY-MM-DD 形式で指定してください"
                ) from None
        today = self._now().astimezone(UTC).date()
        if published > today:
            raise UpdateRefused(
                f"--published {published.isoformat()} is in the future (today is {today.isoformat()}) "
                f"/ 公表日が未来の日付です"
            )
        return published.isoformat()

    def activate(self, source: str, snapshot_id: str) -> SnapshotInfo:
        """Make an existing snapshot the active one (roll back or forward)."""
        with self._locked():
            info = self._read_info(source, snapshot_id, active=False, checked_at=None)
            self._prepare_switch(replace(info, active=True))
            self._set_active(source, snapshot_id, checked_at=None)
        return replace(info, active=True)

    def update(
        self,
        sources: Sequence[str] | None = None,
        *,
        force: bool = False,
        client: httpx.Client | None = None,
    ) -> list[UpdateReport]:
        """Download, check and activate the official current files; one report per source.

        A failure of one source never stops the others, and never changes that source's active snapshot. The
        new snapshots are written first and switched together, so the ``prepare`` hook (the screening index)
        runs once for the whole update, not once per list.
        """
        codes = [s.code for s in updatable_sources()] if sources is None else list(sources)
        own_client = client is None
        http = client or default_client()
        try:
            with self._locked():
                return self._switch_staged([self._update_one(code, force=force, client=http) for code in codes])
        finally:
            if own_client:
                http.close()

    def _switch_staged(self, reports: list[UpdateReport]) -> list[UpdateReport]:
        """Make every staged snapshot (an ``activated`` report's, written but not yet active) active at once,
        after one ``prepare`` of the set they make; if that fails, none is switched and their reports say why."""
        staged = [r.snapshot for r in reports if r.status is UpdateStatus.ACTIVATED and r.snapshot is not None]
        if not staged:
            return reports
        try:
            self._prepare_switch(*(replace(info, active=True) for info in staged))
            self._set_active_many({info.source: (info.snapshot_id, info.retrieved_at) for info in staged})
        except Exception as exc:
            for info in staged:  # the switch did not happen: no never-active snapshot is left behind
                shutil.rmtree(self._snapshot_dir(info.source, info.snapshot_id), ignore_errors=True)
            failed = multilingual("the new lists could not be switched to, the previous snapshots stay active: {error}",
                                  error=f"{type(exc).__name__}: {exc}")
            return [
                replace(r, status=UpdateStatus.FAILED, message=failed, snapshot=None)
                if r.status is UpdateStatus.ACTIVATED else r
                for r in reports
            ]
        except BaseException:
            for info in staged:
                shutil.rmtree(self._snapshot_dir(info.source, info.snapshot_id), ignore_errors=True)
            raise
        return [
            replace(r, snapshot=replace(r.snapshot, active=True, checked_at=r.snapshot.retrieved_at))
            if r.status is UpdateStatus.ACTIVATED and r.snapshot is not None else r
            for r in reports
        ]

    def _update_one(self, code: str, *, force: bool, client: httpx.Client) -> UpdateReport:
        try:
            source = get_source(code)
        except KeyError as exc:
            return UpdateReport(code, UpdateStatus.FAILED, str(exc.args[0]))
        previous = self._active_entry_id(code)
        download_dir = self._staging_dir(f"download-{code}")
        try:
            try:
                files, url = download_source(source, client, download_dir)
            except DownloadError as exc:
                return UpdateReport(code, UpdateStatus.FAILED, str(exc), previous_id=previous)
            current = self.active_info(code)
            if current is not None and current.sha256 == _sha_of(files):
                now = self._timestamp()
                self._set_active(code, current.snapshot_id, checked_at=now)
                return UpdateReport(
                    code,
                    UpdateStatus.UNCHANGED,
                    multilingual("unchanged since {retrieved}", retrieved=current.retrieved_at),
                    snapshot=replace(current, checked_at=now),
                    previous_id=previous,
                )
            info = self._import(files, source.format, source=code, source_url=url, force=force, switch=False)
            return UpdateReport(
                code,
                UpdateStatus.ACTIVATED,
                multilingual("activated {snapshot}: {entries} entries, {names} names", snapshot=info.snapshot_id,
                             entries=info.entries, names=info.names),
                snapshot=info,
                previous_id=previous,
            )
        except (UpdateRefused, ListFormatError) as exc:
            return UpdateReport(code, UpdateStatus.REFUSED, str(exc), previous_id=previous)
        except (ListError, OSError) as exc:
            return UpdateReport(
                code, UpdateStatus.FAILED, f"{type(exc).__name__}: {exc}", previous_id=previous
            )
        finally:
            shutil.rmtree(download_dir, ignore_errors=True)

    # --- the import pipeline (caller holds the lock) ---------------------------------------------------

    def _import(
        self,
        paths: list[Path],
        format_code: str,
        *,
        source: str | None,
        source_url: str | None,
        force: bool,
        published: str | None = None,
        switch: bool = True,
    ) -> SnapshotInfo:
        """Parse, check and write a new snapshot; then make it active (``switch``) or leave it staged for
        :meth:`_switch_staged` (an update of several sources switches them together)."""
        try:
            fmt = get_format(format_code)
        except KeyError as exc:
            raise UpdateRefused(str(exc.args[0])) from None
        files = _expand_paths(paths, fmt)
        source = source or fmt.default_source
        if not _SOURCE_CODE.match(source):
            raise UpdateRefused(f"source code {source!r} must be lower-case letters, digits, '_' or '-'")
        result = _parse(fmt, files)
        parties = _with_source(result.parties, source, fmt.default_source)
        if not parties:
            raise UpdateRefused(f"{files[0]}: " + multilingual("no entries found; refusing an empty list"))
        truncated = result.counts.get("truncated_records", 0)
        if truncated and not force:
            # The parser kept a cut-off last record (useful for a one-off screening); never activate it silently.
            raise UpdateRefused(f"{files[0]}: " + multilingual(
                "the file is cut off ({count} incomplete record(s)); the download may be partial. Check it, then use"
                " --force to accept", count=truncated))
        current = self.active_info(source)
        if current is not None and current.entries > 0 and not force:
            drop = (current.entries - len(parties)) / current.entries
            if drop > self.max_drop:
                raise UpdateRefused(f"{source}: " + multilingual(
                    "{entries} entries is {drop:.0%} fewer than the active snapshot's {active} (limit {limit:.0%});"
                    " the file may be partial. Check it, then use --force to accept", entries=len(parties), drop=drop,
                    active=current.entries, limit=self.max_drop))
        hashes = {p.name: file_sha256(p) for p in files}
        retrieved = self._timestamp()
        sha = combined_sha256(hashes)
        warnings = list(result.warnings)
        publisher_date = _checked_date(result.publisher_date, warnings)
        origin = "file" if publisher_date else None
        if published is not None:
            if publisher_date is not None and publisher_date != published:
                warnings.append(
                    f"the file says it was published {publisher_date}; using --published {published} "
                    f"/ ファイル上の公表日 {publisher_date} ではなく指定された {published} を使用しました"
                )
            publisher_date, origin = published, "officer"
        duplicates = len(parties) - len({p.source_id for p in parties})
        if duplicates:
            warnings.append(f"{duplicates} entries share a source_id with another entry")
        info = SnapshotInfo(
            source=source,
            snapshot_id=self._new_id(source, retrieved, sha),
            format=fmt.code,
            entries=len(parties),
            names=count_names(parties),
            publisher_date=publisher_date,
            retrieved_at=retrieved,
            sha256=sha,
            source_url=source_url,
            files=tuple(sorted(hashes)),
            file_sha256=hashes,
            counts=dict(result.counts),
            warnings=tuple(warnings),
            max_age_days=max_age_days(source),
            sequence=max((i.sequence for i in self.history(source)), default=0) + 1,
            publisher_date_origin=origin,
        )
        self._write_snapshot(info, files, parties)
        if not switch:
            return info
        final = self._snapshot_dir(source, info.snapshot_id)
        try:
            self._prepare_switch(replace(info, active=True))
            self._set_active(source, info.snapshot_id, checked_at=None)
        except BaseException:
            # the switch did not happen: do not leave a never-active snapshot behind
            shutil.rmtree(final, ignore_errors=True)
            raise
        return replace(info, active=True, checked_at=None)

    def _write_snapshot(self, info: SnapshotInfo, files: Sequence[Path], parties: Sequence[Party]) -> None:
        staging = self._staging_dir(f"{info.source}-{info.snapshot_id}")
        try:
            raw = staging / RAW_DIR
            raw.mkdir()
            for path in files:
                shutil.copyfile(path, raw / path.name)
                fsync_file(raw / path.name)
            try:
                write_parties(staging / PARTIES_FILE, parties)
            except ValueError as exc:
                raise UpdateRefused(str(exc)) from exc
            fsync_file(staging / PARTIES_FILE)
            (staging / PARTIES_SHA_FILE).write_text(file_sha256(staging / PARTIES_FILE) + "\n", encoding="ascii")
            fsync_file(staging / PARTIES_SHA_FILE)
            write_json_durably(staging / META_FILE, meta_to_json(info))
            final = self._snapshot_dir(info.source, info.snapshot_id)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging, final)
            fsync_dir(final.parent)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # --- active.json -----------------------------------------------------------------------------

    def _read_active(self) -> dict[str, dict[str, Any]]:
        path = self.root / ACTIVE_FILE
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            active = data["active"]
            if not isinstance(active, dict):
                raise TypeError("'active' is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            raise ListError(
                f"{path}: unreadable ({exc}); restore it or re-run 'techguard lists activate'"
            ) from exc
        return {str(k): dict(v) for k, v in active.items()}

    def _active_entry_id(self, source: str) -> str | None:
        entry = self._read_active().get(source)
        return None if entry is None else str(entry["snapshot"])

    def _prepare_switch(self, *coming: SnapshotInfo) -> None:
        if self._prepare is None:
            return
        after = {info.source: info for info in self.active()}
        after.update((info.source, info) for info in coming)
        self._prepare(self, [after[source] for source in sorted(after)])

    def _set_active(self, source: str, snapshot_id: str, *, checked_at: str | None) -> None:
        self._set_active_many({source: (snapshot_id, checked_at)})

    def _set_active_many(self, switches: dict[str, tuple[str, str | None]]) -> None:
        """``{source: (snapshot_id, checked_at)}`` made active in one durable write of active.json."""
        active = self._read_active()
        for source, (snapshot_id, checked_at) in switches.items():
            entry: dict[str, Any] = {"snapshot": snapshot_id}
            previous = active.get(source)
            if checked_at is not None:
                entry["checked_at"] = checked_at
            elif previous is not None and previous.get("snapshot") == snapshot_id and previous.get("checked_at"):
                entry["checked_at"] = previous["checked_at"]
            active[source] = entry
        self.root.mkdir(parents=True, exist_ok=True)
        write_json_durably(self.root / ACTIVE_FILE, {"format": 1, "active": dict(sorted(active.items()))})

    # --- helpers ---------------------------------------------------------------------------------

    def _read_info(
        self, source: str, snapshot_id: str, *, active: bool, checked_at: str | None
    ) -> SnapshotInfo:
        path = self._snapshot_dir(source, snapshot_id) / META_FILE
        if not path.is_file():
            raise ListError(f"{path}: snapshot {snapshot_id!r} of {source!r} does not exist")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return meta_from_json(
                data, max_age_days=max_age_days(source), active=active, checked_at=checked_at
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ListError(f"{path}: unreadable snapshot metadata ({exc})") from exc

    def _snapshot_dir(self, source: str, snapshot_id: str) -> Path:
        if not _SOURCE_CODE.match(source) or not re.fullmatch(r"[0-9A-Za-z_-]+", snapshot_id):
            raise ListError(f"invalid source {source!r} or snapshot id {snapshot_id!r}")
        return self.snapshots_dir / source / snapshot_id

    def _staging_dir(self, label: str) -> Path:
        path = self.root / ".staging" / f"{label}-{secrets.token_hex(4)}"
        path.mkdir(parents=True)
        return path

    def _timestamp(self) -> str:
        return self._now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _new_id(self, source: str, retrieved: str, sha: str) -> str:
        base = f"{retrieved.replace('-', '').replace(':', '')}-{sha[:8]}"
        candidate, n = base, 1
        while (self.snapshots_dir / source / candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with FileLock(self.root / ".lock", self._lock_timeout):
            # leftovers of a crashed run: nobody else can be using them while we hold the lock
            shutil.rmtree(self.root / ".staging", ignore_errors=True)
            yield


def _expand_paths(paths: Sequence[Path], fmt: ListFormat) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            if not fmt.file_names:
                raise ListFormatError(path, f"is a folder; the {fmt.code} format reads single files")
            by_lower = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
            if fmt.file_names[0].lower() not in by_lower:
                raise ListFormatError(path, f"no {fmt.file_names[0]} in this folder (format {fmt.code})")
            files.extend(by_lower[n.lower()] for n in fmt.file_names if n.lower() in by_lower)
        elif path.is_file():
            files.append(path)
        else:
            raise ListFormatError(path, multilingual("file not found"))
    if not files:
        raise UpdateRefused("no files given")
    names = [p.name for p in files]
    if len(set(names)) != len(names):
        raise UpdateRefused(f"two files share a name: {', '.join(names)}; a snapshot keeps files by name")
    return files


def _parse(fmt: ListFormat, files: list[Path]) -> ParseResult:
    try:
        return fmt.parse(files)
    except ListError:
        raise
    except Exception as exc:  # a parser bug or an unexpected layout must still refuse cleanly
        raise UpdateRefused(
            f"{files[0]}: the {fmt.code} reader could not parse this file ({type(exc).__name__}: {exc}) "
            "/ ファイルを読み込めませんでした"
        ) from exc


def _with_source(parties: Sequence[Party], source: str, default_source: str) -> tuple[Party, ...]:
    if all(p.source == source for p in parties):
        return tuple(parties)
    return tuple(
        replace(p, source=source, list=source if p.list == default_source else p.list) for p in parties
    )


def _checked_date(value: str | None, warnings: list[str]) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        warnings.append(multilingual(
            "publisher date {value!r} is not an ISO date; the publication date is unknown (give it with --published)",
            value=value))
        return None


# The SHA-256 of parties.jsonl, written beside it when the snapshot is made (snapshots made before this
# existed have none; their raw files are still checked against meta.json).
PARTIES_SHA_FILE = "parties.sha256"


class SnapshotTampered(ListError):
    """A stored snapshot's files no longer match the hashes recorded when it was made."""


def verify_snapshot_files(directory: Path) -> None:
    """Refuse a snapshot whose parsed parties or raw files differ from the hashes stored with it."""
    problems = []
    sidecar = directory / PARTIES_SHA_FILE
    if sidecar.is_file() and file_sha256(directory / PARTIES_FILE) != sidecar.read_text(encoding="ascii").strip():
        problems.append(PARTIES_FILE)
    try:
        recorded = json.loads((directory / META_FILE).read_text(encoding="utf-8")).get("file_sha256", {})
    except (OSError, ValueError):
        recorded = None
        problems.append(META_FILE)
    for name, digest in (recorded or {}).items():
        raw = directory / RAW_DIR / name
        if not raw.is_file() or file_sha256(raw) != digest:
            problems.append(f"{RAW_DIR}/{name}")
    if problems:
        raise SnapshotTampered(
            f"snapshot {directory.name} of {directory.parent.name}: {', '.join(problems)} changed on disk since the "
            "snapshot was made; refused (re-import or activate another snapshot with 'techguard lists') / "
            "保存済みリストのファイルが変更されています"
        )


def _sha_of(files: Sequence[Path]) -> str:
    return combined_sha256({p.name: file_sha256(p) for p in files})


__all__ = ["DEFAULT_MAX_DROP", "PARTIES_SHA_FILE", "SnapshotStore", "SnapshotTampered", "verify_snapshot_files"]
