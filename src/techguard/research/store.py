"""Where imported research data lives in the techguard data directory, and how it is opened again.

``<data_dir>/research/registry/<file>`` + ``current.json`` — the imported ROR file and its sha256;
``<data_dir>/research/cache/`` — the pickled name index, keyed by that sha256;
``<data_dir>/research/designations/<list>.json`` — imported designation / assessment lists.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from techguard.lists.model import Party
from techguard.research.index import NameIndex, cached_index_for_file, load_or_build_index
from techguard.research.registry import file_sha256
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry

NO_REGISTRY_MESSAGE = (
    "No institution registry is loaded. Import a ROR data dump first:\n"
    "  techguard research registry import ror-data.zip   (or a .json / .jsonl.gz file)\n"
    "or pass --registry FILE.\n"
    "機関レジストリが読み込まれていません。先に ROR データダンプを取り込んでください:\n"
    "  techguard research registry import ror-data.zip  (または --registry FILE を指定)"
)


class RegistryMissing(RuntimeError):
    """No registry was given and none has been imported."""


def research_dir(data_dir: Path) -> Path:
    path = data_dir / "research"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_registry(source: Path, data_dir: Path) -> dict[str, object]:
    """Validate ``source`` (by loading it), copy it into the data dir, build the index cache, mark it current."""
    registry = load_registry(source)
    target_dir = research_dir(data_dir) / "registry"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    load_or_build_index(registry, research_dir(data_dir) / "cache")
    info: dict[str, object] = {"file": target.name, "sha256": registry.sha256, "records": len(registry)}
    (target_dir / "current.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def current_registry(data_dir: Path) -> tuple[Path, str] | None:
    marker = data_dir / "research" / "registry" / "current.json"
    if not marker.is_file():
        return None
    info = json.loads(marker.read_text(encoding="utf-8"))
    return marker.parent / str(info["file"]), str(info["sha256"])


def open_index(data_dir: Path, registry_file: Path | None = None) -> NameIndex:
    """The name index for ``registry_file``, or for the imported registry; cached under the data dir."""
    cache = research_dir(data_dir) / "cache"
    if registry_file is None:
        current = current_registry(data_dir)
        if current is None:
            raise RegistryMissing(NO_REGISTRY_MESSAGE)
        registry_file, sha256 = current
        cached = cached_index_for_file(registry_file, sha256, cache)
        if cached is not None:
            return cached
    else:
        cached = cached_index_for_file(registry_file, file_sha256(registry_file), cache)
        if cached is not None:
            return cached
    return load_or_build_index(load_registry(registry_file), cache)


def list_parties(data_dir: Path) -> list[Party]:
    """Entity List / METI EUL parties from the active list snapshots (``techguard lists``), if any."""
    from techguard.lists.store import SnapshotStore

    root = data_dir / "lists"
    if not root.is_dir():
        return []
    store = SnapshotStore(root)
    wanted = [info.source for info in store.active()]
    parties = store.load_parties(wanted) if wanted else []
    return [p for p in parties if p.list in ("us_entity_list", "jp_eul")]


def open_resolver(data_dir: Path, registry_file: Path | None = None, *, with_lists: bool = True) -> Resolver:
    """A resolver over the registry, with the designation lists imported into ``data_dir`` attached (and the
    Entity List / METI EUL from the active list snapshots when ``with_lists``)."""
    from techguard.research.designations import DesignationBook

    index = open_index(data_dir, registry_file)
    resolver = Resolver(index)
    parties = list_parties(data_dir) if with_lists else []
    book = DesignationBook.from_data_dir(data_dir, resolver, parties)
    return resolver.with_memberships(book.memberships) if book else resolver


__all__ = [
    "NO_REGISTRY_MESSAGE",
    "RegistryMissing",
    "current_registry",
    "import_registry",
    "list_parties",
    "open_index",
    "open_resolver",
    "research_dir",
]
