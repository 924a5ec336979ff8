"""The built catalogue as data in ``<data dir>/catalogue/``: written whole or not at all.

``catalogue.json`` is replaced atomically only after the new file has been written and read back; a failed
build or update therefore leaves the previous catalogue in force. ``confirmations.json`` holds officers'
confirmed crosswalk links and classifications (see :mod:`techguard.catalogue.confirmations`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from techguard.catalogue.model import Catalogue, CatalogueError, CatalogueMissing

_cache: dict[Path, tuple[float, Catalogue]] = {}


def catalogue_dir(data_dir: Path | None = None) -> Path:
    if data_dir is None:
        from techguard.config import data_dir as configured

        data_dir = configured()
    path = data_dir / "catalogue"
    path.mkdir(parents=True, exist_ok=True)
    return path


def catalogue_path(data_dir: Path | None = None) -> Path:
    return catalogue_dir(data_dir) / "catalogue.json"


def save(catalogue: Catalogue, data_dir: Path | None = None) -> Path:
    """Write the catalogue; the previous file stays until the new one has been read back whole."""
    path = catalogue_path(data_dir)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(catalogue.to_dict(), ensure_ascii=False), encoding="utf-8")
    try:
        _read(tmp)
    except CatalogueError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    _cache.pop(path, None)
    return path


def _read(path: Path) -> Catalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue ({exc})") from None
    return Catalogue.from_dict(data, location=str(path))


def load(data_dir: Path | None = None) -> Catalogue:
    """The catalogue in force (cached while the file is unchanged)."""
    path = catalogue_path(data_dir)
    if not path.exists():
        raise CatalogueMissing(
            f"{path}: no catalogue built yet; run `techguard catalogue update` (eCFR + e-Gov) or "
            "`techguard catalogue build --from DIR` / 該非カタログがありません。`techguard catalogue update` を実行してください"
        )
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    catalogue = _read(path)
    _cache[path] = (mtime, catalogue)
    return catalogue


def status(data_dir: Path | None = None) -> dict[str, Any]:
    path = catalogue_path(data_dir)
    if not path.exists():
        return {"path": str(path), "built": False}
    catalogue = load(data_dir)
    return {
        "path": str(path),
        "built": True,
        "built_at": catalogue.built_at,
        "sources": [s.to_dict() for s in catalogue.sources],
        "counts": catalogue.counts(),
    }


__all__ = ["catalogue_dir", "catalogue_path", "load", "save", "status"]
