"""The built screening index, cached on disk per set of list inputs, so a start costs a file load, not a build.

Building a :class:`~techguard.matching.screener.Screener` over every list (parsing, name analysis, posting
lists) takes seconds of CPU; loading the result back takes a fraction of a second. A cache file is keyed by

- the SHA-256 hashes of its inputs (the active snapshots' hashes, or the ``--list``/``--bridge`` files'),
- the algorithm version and the versions of the language resources it depends on
  (:func:`techguard.matching.resources.algorithm_version`),
- a fingerprint of the code that builds the index (``techguard.matching``/``lists``/``text`` sources and
  data files), the cache format, and the Python and numpy versions,

so a change to any of them selects another file, and a stale file is never read.

Format (version :data:`CACHE_FORMAT`): ``MAGIC``, an 8-byte header length, a JSON header (key, inputs,
payload length and SHA-256), then a pickle (protocol 5) of the screener's state. Why pickle: the index is a
graph of typed objects that the ``scorer`` side changes freely; pickle serialises it generically and loads it
about as fast as Python can allocate the objects. Safety: techguard only ever reads cache files that it
wrote itself into its own data directory, under a name derived from the key; the payload's SHA-256 is
checked before unpickling, and the unpickler resolves only techguard, numpy and plain builtin types. A
file that fails any check (truncated, corrupt, foreign) is reported as a warning and rebuilt, never used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import io
import json
import os
import pickle
import platform
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from techguard.matching.index import PackedArrays

if TYPE_CHECKING:
    from techguard.lists.snapshot import SnapshotInfo
    from techguard.matching.screener import Screener

CACHE_FORMAT = 1
MAGIC = b"TGIDX\x00\x01\n"
SUFFIX = ".tgidx"
# cache files kept per directory; older ones (other list versions) are removed after a write
KEEP_FILES = 4

Warn = Callable[[str], None]


class IndexCacheError(ValueError):
    """A cache file that cannot be used (truncated, corrupt, written for other inputs)."""


@dataclass(frozen=True)
class CacheKey:
    """What a cached index was built from. ``inputs`` are ``(label, sha256)`` pairs in build order."""

    inputs: tuple[tuple[str, str], ...]
    options: tuple[tuple[str, str], ...] = ()  # anything else the build depends on (e.g. a list format)

    def as_json(self) -> dict[str, Any]:
        from techguard.matching.resources import algorithm_version

        return {
            "format": CACHE_FORMAT,
            "algorithm": algorithm_version(),
            "code": code_fingerprint(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "inputs": [list(pair) for pair in self.inputs],
            "options": [list(pair) for pair in self.options],
        }

    def digest(self) -> str:
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode("ascii")).hexdigest()


def default_directory() -> Path:
    from techguard.config import data_dir

    return data_dir() / "cache" / "index"


@cache
def code_fingerprint() -> str:
    """SHA-256 over the sources and data files of the packages that shape the index (milliseconds)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in ("matching", "lists", "text"):
        folder = root / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------- state of a screener
def _packed(value: Any) -> Any:
    """A dict of many small 1-d numpy arrays (posting lists) as one flat array: loading 10⁵ arrays one by
    one costs most of a cache load; one array and a key → slot table cost almost nothing."""
    if (
        isinstance(value, dict)
        and len(value) > 64
        and all(isinstance(v, np.ndarray) and v.ndim == 1 for v in value.values())
        and len({v.dtype for v in value.values()}) == 1
    ):
        return PackedArrays.from_dict(value)
    return value


def screener_state(screener: Screener) -> dict[str, Any]:
    """What rebuilds ``screener`` through its constructor; the index's big posting dicts packed."""
    index = screener.index
    # what is derived from the state on load (NameIndex.prepare) is not stored
    index_state = {name: _packed(value) for name, value in index.state().items()}
    return {
        "parties": screener.parties,
        "index": (type(index), index_state),
        "vocabulary": screener.vocabulary,
        "bridges": screener.bridges,
        "threshold": screener.threshold,
    }


def screener_from_state(state: dict[str, Any]) -> Screener:
    from techguard.matching.screener import Screener

    index_type, index_state = state["index"]
    index = index_type.from_state(index_state)  # the built object's state: nothing is built again
    return Screener(state["parties"], index, state["vocabulary"], state["bridges"], state["threshold"])


# ---------------------------------------------------------------- pickling
@cache
def _init_fields(cls: type) -> tuple[str, ...] | None:
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        return None
    return tuple(f.name for f in fields)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        # Slotted dataclasses pickle through a Python __setstate__ per object; rebuilding them through the
        # constructor from a tuple is about twice as fast to load (tens of thousands of parties and keys).
        # Compiled ones (techguard.native: no __dict__, and a frozen one refuses __setstate__) must be.
        cls = type(obj)
        if dataclasses.is_dataclass(cls) and ("__slots__" in cls.__dict__ or hasattr(cls, "__mypyc_attrs__")):
            names = _init_fields(cls)
            if names is not None:
                return (cls, tuple(getattr(obj, n) for n in names))
        return NotImplemented


_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "bytearray", "complex", "slice"})


class _Unpickler(pickle.Unpickler):
    """Resolves only techguard's own classes, numpy's array reconstruction and plain builtins."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = (
            module == "techguard"
            or module.startswith("techguard.")
            or module == "numpy"
            or module.startswith(("numpy.core.", "numpy._core."))
            or (module == "builtins" and name in _BUILTINS)
        )
        if not allowed:
            raise IndexCacheError(f"the cache refers to {module}.{name}, which techguard never writes")
        return super().find_class(module, name)


def dumps(screener: Screener, key: CacheKey) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=5).dump(screener_state(screener))
    payload = buffer.getvalue()
    header = json.dumps(
        {
            "key": key.digest(),
            "described": key.as_json(),
            "payload_bytes": len(payload),
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
        },
        ensure_ascii=True,
    ).encode("ascii")
    return MAGIC + len(header).to_bytes(8, "little") + header + payload


def verify(data: bytes | memoryview, key: CacheKey | None = None) -> memoryview:
    """The payload of a cache file's bytes after every check short of unpickling it (magic, header, key,
    length, SHA-256); :class:`IndexCacheError` naming what failed."""
    view = memoryview(data)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise IndexCacheError("not a techguard index cache (or another cache format)")
    start = len(MAGIC) + 8
    header_length = int.from_bytes(view[len(MAGIC) : start], "little")
    try:
        header = json.loads(bytes(view[start : start + header_length]))
        expected_length = int(header["payload_bytes"])
        expected_sha = str(header["payload_sha256"])
        stored_key = str(header["key"])
    except (ValueError, KeyError, TypeError) as error:
        raise IndexCacheError(f"unreadable header ({error})") from None
    if key is not None and stored_key != key.digest():
        raise IndexCacheError("written for other lists or another algorithm version")
    payload = view[start + header_length :]
    if len(payload) != expected_length:
        raise IndexCacheError(f"truncated: {len(payload)} of {expected_length} payload bytes")
    if hashlib.sha256(payload).hexdigest() != expected_sha:
        raise IndexCacheError("payload checksum mismatch (the file was damaged)")
    return payload


def loads(data: bytes | memoryview, key: CacheKey | None = None) -> Screener:
    """The screener in ``data``; :class:`IndexCacheError` if it is damaged or (given ``key``) for other inputs."""
    payload = verify(data, key)
    try:
        with _without_gc():
            state = _Unpickler(io.BytesIO(payload)).load()
            return screener_from_state(state)
    except IndexCacheError:
        raise
    except Exception as error:  # a payload that passed the checksum but does not fit this code
        raise IndexCacheError(
            f"does not load with this version of techguard ({type(error).__name__}: {error})"
        ) from None


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """Create a large, long-lived, acyclic object graph: the cyclic GC would otherwise walk it dozens of
    times while it is created (3x slower) and once more, in full, on the next allocation burst. Frozen
    objects are never scanned again (they are freed by reference counting as usual), and forked workers
    then share their pages instead of copying them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# ---------------------------------------------------------------- files
def cache_path(key: CacheKey, directory: Path | None = None) -> Path:
    return (directory or default_directory()) / f"{key.digest()[:32]}{SUFFIX}"


def load(key: CacheKey, directory: Path | None = None) -> Screener | None:
    """The cached screener for ``key``, or ``None`` when there is no cache file yet.

    Raises :class:`IndexCacheError` (naming the file) for a file that exists but cannot be trusted."""
    path = cache_path(key, directory)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return loads(data, key)
    except IndexCacheError as error:
        raise IndexCacheError(f"{path}: {error}") from None


def store(screener: Screener, key: CacheKey, directory: Path | None = None) -> Path:
    """Write the cache file atomically (a reader sees the old file or the complete new one)."""
    path = cache_path(key, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dumps(screener, key)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _prune(path.parent, keep=path)
    return path


def _prune(directory: Path, keep: Path) -> None:
    files = sorted(directory.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != keep][KEEP_FILES - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def cached_screener(
    key: CacheKey,
    build: Callable[[], Screener],
    *,
    directory: Path | None = None,
    warn: Warn = _stderr,
) -> Screener:
    """The screener for ``key`` from the cache; built with ``build()`` and cached when missing or unusable.

    A damaged cache file is reported through ``warn`` and rebuilt; a cache directory that cannot be
    written is reported too, and the screener still returned (caching is an optimisation)."""
    try:
        found = load(key, directory)
    except IndexCacheError as error:
        warn(f"warning / 警告: index cache ignored and rebuilt / 索引キャッシュを再構築します: {error}")
        found = None
    if found is not None:
        return found
    with _without_gc():
        screener = build()
    try:
        store(screener, key, directory)
    except OSError as error:
        warn(f"warning / 警告: index cache not written / 索引キャッシュを書けません: {error}")
    return screener


def key_for_snapshots(snapshots: Iterable[SnapshotInfo], extra: Sequence[tuple[str, str]] = ()) -> CacheKey:
    """A key from list snapshots (their combined SHA-256), e.g. the store's active ones; the CLI and the
    web app build the same key for the same snapshots, so they share the cache file."""
    inputs = tuple((f"snapshot:{s.source}:{s.snapshot_id}", s.sha256) for s in snapshots)
    return CacheKey(inputs=inputs + tuple(extra))


def key_for_files(
    paths: Sequence[tuple[str, Path]], options: Sequence[tuple[str, str]] = ()
) -> CacheKey:
    """A key from files: ``(role, path)`` pairs hashed by content (the name is not part of the key)."""
    from techguard.lists.snapshot import file_sha256

    return CacheKey(
        inputs=tuple((role, file_sha256(path)) for role, path in paths),
        options=tuple(options),
    )


__all__ = [
    "CACHE_FORMAT",
    "CacheKey",
    "IndexCacheError",
    "PackedArrays",
    "cache_path",
    "cached_screener",
    "code_fingerprint",
    "dumps",
    "key_for_files",
    "key_for_snapshots",
    "load",
    "loads",
    "screener_from_state",
    "screener_state",
    "store",
    "verify",
]
