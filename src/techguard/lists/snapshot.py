"""Snapshot metadata and the on-disk form of parties (gzip-compressed JSON lines).

A snapshot is immutable once written: the raw files as received, ``parties.jsonl.gz`` and ``meta.json``.
Party rows are stored compactly: fields equal to their default are left out, so ~30k parties load fast.
Also here: the durable-write helpers (temp file + fsync + ``os.replace``) and the store's OS file lock.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListError
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind

PARTIES_FILE = "parties.jsonl.gz"
META_FILE = "meta.json"
RAW_DIR = "raw"
META_VERSION = 1
UNKNOWN_DATE = "unknown / 不明"


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """What an officer needs to know about one snapshot of one list."""

    source: str
    snapshot_id: str
    format: str
    entries: int  # parties in the snapshot
    names: int  # every name, the primary names included
    publisher_date: str | None  # ISO date the publisher gives for the edition; None when nobody knows it
    retrieved_at: str  # ISO UTC timestamp the file(s) were downloaded or imported
    sha256: str  # of the raw file (one file) or of the sha256sum-style manifest of all raw files
    source_url: str | None
    files: tuple[str, ...] = ()  # raw file names
    file_sha256: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    max_age_days: int = 7
    active: bool = False
    checked_at: str | None = None  # last time an update confirmed this is still the publisher's current file
    sequence: int = 0  # 1, 2, 3 ... per source in order of creation (timestamps can tie within a second)
    # where publisher_date came from: "file" (read from the publisher's file) or "officer" (lists import
    # --published); None when there is no date
    publisher_date_origin: str | None = None

    @property
    def as_of(self) -> str | None:
        """The publisher's date for the edition; ``None`` when unknown. Never the day the file was imported:
        an old file imported today is not a current list."""
        return self.publisher_date

    @property
    def as_of_text(self) -> str:
        """:attr:`as_of` for display: the date, or "unknown / 不明"."""
        return self.publisher_date or UNKNOWN_DATE

    def age_days_on(self, today: date) -> int | None:
        """Days since the list was last known current: the last online check of the publisher's current file
        if any, else the publisher's date; ``None`` when neither is known."""
        reference = self.checked_at[:10] if self.checked_at else self.publisher_date
        if reference is None:
            return None
        return (today - date.fromisoformat(reference)).days

    @property
    def age_days(self) -> int | None:
        return self.age_days_on(datetime.now(UTC).date())

    @property
    def stale(self) -> bool:
        """Older than allowed, or of unknown age (a list nobody can date counts as out of date)."""
        age = self.age_days
        return age is None or age > self.max_age_days

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "snapshot_id": self.snapshot_id,
            "format": self.format,
            "entries": self.entries,
            "names": self.names,
            "as_of": self.as_of,
            "publisher_date": self.publisher_date,
            "publisher_date_origin": self.publisher_date_origin,
            "retrieved_at": self.retrieved_at,
            "checked_at": self.checked_at,
            "sha256": self.sha256,
            "source_url": self.source_url,
            "files": list(self.files),
            "file_sha256": dict(self.file_sha256),
            "counts": dict(self.counts),
            "warnings": list(self.warnings),
            "age_days": self.age_days,
            "max_age_days": self.max_age_days,
            "stale": self.stale,
            "active": self.active,
            "sequence": self.sequence,
        }


def meta_to_json(info: SnapshotInfo) -> dict[str, Any]:
    """The stored form: facts only (activity, age and staleness are computed when read)."""
    data = info.to_json()
    for computed in ("as_of", "age_days", "stale", "active", "checked_at", "max_age_days"):
        del data[computed]
    data["meta_version"] = META_VERSION
    return data


def meta_from_json(
    data: Mapping[str, Any], *, max_age_days: int, active: bool, checked_at: str | None
) -> SnapshotInfo:
    return SnapshotInfo(
        source=str(data["source"]),
        snapshot_id=str(data["snapshot_id"]),
        format=str(data["format"]),
        entries=int(data["entries"]),
        names=int(data["names"]),
        publisher_date=data.get("publisher_date"),
        retrieved_at=str(data["retrieved_at"]),
        sha256=str(data["sha256"]),
        source_url=data.get("source_url"),
        files=tuple(data.get("files", ())),
        file_sha256=dict(data.get("file_sha256", {})),
        counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
        warnings=tuple(data.get("warnings", ())),
        max_age_days=max_age_days,
        active=active,
        checked_at=checked_at,
        sequence=int(data.get("sequence", 0)),
        publisher_date_origin=data.get("publisher_date_origin"),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def combined_sha256(hashes: Mapping[str, str]) -> str:
    """One file: its own SHA-256 (so ``sha256sum`` on the download matches). Several files: the SHA-256 of
    their ``sha256sum``-style manifest (``<hash>  <name>`` lines sorted by name), which is deterministic."""
    if len(hashes) == 1:
        return next(iter(hashes.values()))
    manifest = "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes))
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


# --- party (de)serialisation -------------------------------------------------------------------------

_TUPLE_STR_FIELDS = ("countries", "birth_dates", "birth_places", "nationalities", "citizenships", "programs")
_OPTIONAL_STR_FIELDS = (
    "title",
    "remarks",
    "licence_requirement",
    "licence_policy",
    "federal_register",
    "listed_on",
    "ends_on",
    "source_url",
)
_ADDRESS_FIELDS = ("street", "city", "state", "postal_code", "country", "country_name")


def party_to_dict(party: Party) -> dict[str, Any]:
    """A JSON-ready dict; defaults are omitted so the stored rows stay small."""
    data: dict[str, Any] = {
        "source": party.source,
        "source_id": party.source_id,
        "list": party.list,
        "kind": party.kind.value,
        "name": party.name,
    }
    if party.names:
        data["names"] = [_name_to_list(n) for n in party.names]
    for name in _TUPLE_STR_FIELDS:
        values: tuple[str, ...] = getattr(party, name)
        if values:
            data[name] = list(values)
    if party.addresses:
        data["addresses"] = [_address_to_dict(a) for a in party.addresses]
    if party.identifiers:
        data["identifiers"] = [_identifier_to_dict(i) for i in party.identifiers]
    for name in _OPTIONAL_STR_FIELDS:
        value: str | None = getattr(party, name)
        if value is not None:
            data[name] = value
    if party.extra:
        data["extra"] = party.extra
    return data


_EMPTY: tuple[Any, ...] = ()
_KIND_BY_VALUE = {k.value: k for k in PartyKind}  # a dict lookup is several times faster than Enum(value)
_NAME_TYPE_BY_VALUE = {t.value: t for t in NameType}


def party_from_dict(data: Mapping[str, Any]) -> Party:
    get = data.get
    names = get("names")
    addresses = get("addresses")
    identifiers = get("identifiers")
    extra = get("extra")
    return Party(
        source=data["source"],
        source_id=data["source_id"],
        list=data["list"],
        kind=_KIND_BY_VALUE[data["kind"]],
        name=data["name"],
        names=tuple(map(_name_from_list, names)) if names else _EMPTY,
        addresses=tuple(map(_address_from_dict, addresses)) if addresses else _EMPTY,
        identifiers=tuple(map(_identifier_from_dict, identifiers)) if identifiers else _EMPTY,
        countries=tuple(get("countries", _EMPTY)),
        birth_dates=tuple(get("birth_dates", _EMPTY)),
        birth_places=tuple(get("birth_places", _EMPTY)),
        nationalities=tuple(get("nationalities", _EMPTY)),
        citizenships=tuple(get("citizenships", _EMPTY)),
        programs=tuple(get("programs", _EMPTY)),
        title=get("title"),
        remarks=get("remarks"),
        licence_requirement=get("licence_requirement"),
        licence_policy=get("licence_policy"),
        federal_register=get("federal_register"),
        listed_on=get("listed_on"),
        ends_on=get("ends_on"),
        source_url=get("source_url"),
        extra=dict(extra) if extra else {},
    )


def _name_to_list(name: Name) -> list[str | None]:
    # a short list instead of a dict: names are most of the stored bytes
    return [name.value, name.type.value, name.lang] if name.lang else [name.value, name.type.value]


def _name_from_list(row: Sequence[str | None]) -> Name:
    return Name(str(row[0]), _NAME_TYPE_BY_VALUE[str(row[1])], row[2] if len(row) > 2 else None)


def _address_to_dict(address: Address) -> dict[str, str]:
    data = {"full": address.full} if address.full else {}
    for name in _ADDRESS_FIELDS:
        value: str | None = getattr(address, name)
        if value is not None:
            data[name] = value
    return data


def _address_from_dict(data: Mapping[str, str]) -> Address:
    return Address(
        full=data.get("full", ""),
        street=data.get("street"),
        city=data.get("city"),
        state=data.get("state"),
        postal_code=data.get("postal_code"),
        country=data.get("country"),
        country_name=data.get("country_name"),
    )


def _identifier_to_dict(ident: Identifier) -> dict[str, str]:
    data = {"type": ident.type, "value": ident.value}
    if ident.country is not None:
        data["country"] = ident.country
    if ident.note is not None:
        data["note"] = ident.note
    return data


def _identifier_from_dict(data: Mapping[str, str]) -> Identifier:
    return Identifier(data["type"], data["value"], data.get("country"), data.get("note"))


def write_parties(path: Path, parties: Iterable[Party]) -> int:
    """Write gzip JSON lines; returns the number written. ``extra`` must hold JSON values only."""
    count = 0
    # mtime=0: the same parties always give the same bytes
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
        for party in parties:
            try:
                line = json.dumps(party_to_dict(party), ensure_ascii=False, separators=(",", ":"))
            except TypeError as exc:
                raise ValueError(
                    f"party {party.key}: cannot store a non-JSON value in 'extra': {exc}"
                ) from exc
            gz.write(line.encode("utf-8"))
            gz.write(b"\n")
            count += 1
    return count


def iter_parties(path: Path) -> Iterator[Party]:
    with gzip.open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield party_from_dict(json.loads(line))


def read_parties(path: Path) -> tuple[Party, ...]:
    return tuple(iter_parties(path))


def count_names(parties: Iterable[Party]) -> int:
    return sum(1 + len(p.names) for p in parties)


# --- durable files and the store lock ----------------------------------------------------------------


def write_json_durably(path: Path, data: Any) -> None:
    """Replace ``path`` atomically: write a temp file beside it, fsync, ``os.replace``, fsync the folder."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileLock:
    """An exclusive OS lock on a file; released by the OS even if the process dies."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fh: Any = None

    def __enter__(self) -> FileLock:
        self._fh = self.path.open("a+b")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                _lock(self._fh)
                return self
            except OSError:
                if time.monotonic() >= deadline:
                    self._fh.close()
                    raise ListError(
                        f"{self.path}: another techguard process is updating the lists; try again later "
                        "/ 他の更新処理が実行中です"
                    ) from None
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        _unlock(self._fh)
        self._fh.close()


if sys.platform == "win32":
    import msvcrt

    def _lock(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


__all__ = [
    "META_FILE",
    "PARTIES_FILE",
    "RAW_DIR",
    "UNKNOWN_DATE",
    "FileLock",
    "SnapshotInfo",
    "combined_sha256",
    "count_names",
    "file_sha256",
    "fsync_dir",
    "fsync_file",
    "iter_parties",
    "meta_from_json",
    "meta_to_json",
    "party_from_dict",
    "party_to_dict",
    "read_parties",
    "write_json_durably",
    "write_parties",
]
