"""Officers' confirmations, kept as data in ``<data dir>/catalogue/confirmations.json``.

* ``links`` — a crosswalk link confirmed or rejected (``jp_id``, ``eccn``, ``action``, ``officer``, ``reason``,
  ``date``); confirmed links count with confidence 1.0, rejected ones are dropped from the computed crosswalk.
* ``classifications`` — an item classified by an officer (description, ECCN, 項番, reasons, as-of date of the
  catalogue it was made on, content hashes of the entries). Their descriptions also extend the vocabulary.

The file is rewritten whole through a temporary file, so a failed write never loses earlier confirmations.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from techguard.catalogue.model import Catalogue, CatalogueError, Link
from techguard.catalogue.store import catalogue_dir
from techguard.i18n import multilingual


@dataclass(frozen=True, slots=True)
class Classification:
    description: str
    eccn: str
    jp_item: str
    reasons: str
    officer: str
    catalogue_as_of: str  # built_at of the catalogue the decision was made on
    entry_hashes: dict[str, str]  # entry id → content hash at the time (a change flags the record for review)
    date: str

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "eccn": self.eccn, "jp_item": self.jp_item,
                "reasons": self.reasons, "officer": self.officer, "catalogue_as_of": self.catalogue_as_of,
                "entry_hashes": self.entry_hashes, "date": self.date}


def confirmations_path(data_dir: Path | None = None) -> Path:
    return catalogue_dir(data_dir) / "confirmations.json"


def load_confirmations(data_dir: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    path = confirmations_path(data_dir)
    if not path.exists():
        return {"links": [], "classifications": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{path}: cannot read confirmations ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        raise CatalogueError(f"{path}: field 'links' missing")
    data.setdefault("classifications", [])
    return data


def _write(data: dict[str, list[dict[str, Any]]], data_dir: Path | None) -> None:
    path = confirmations_path(data_dir)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def record_link(catalogue: Catalogue, jp_id: str, eccn: str, *, officer: str, reason: str, reject: bool = False,
                data_dir: Path | None = None) -> dict[str, Any]:
    """Confirm (or reject) a crosswalk link; both ends must exist in the catalogue."""
    if jp_id not in catalogue.entries or catalogue.entries[jp_id].regime != "jp":
        raise CatalogueError(f"jp_id {jp_id!r}: no such Japanese entry in the catalogue")
    if f"us:{eccn}" not in catalogue.entries:
        raise CatalogueError(f"eccn {eccn!r}: no such ECCN or paragraph in the catalogue")
    if not officer.strip() or not reason.strip():
        raise CatalogueError(multilingual("officer and reason are required"))
    record = {"jp_id": jp_id, "eccn": eccn, "action": "reject" if reject else "confirm", "officer": officer,
              "reason": reason, "date": _today()}
    data = load_confirmations(data_dir)
    data["links"] = [r for r in data["links"] if (r["jp_id"], r["eccn"]) != (jp_id, eccn)] + [record]
    _write(data, data_dir)
    return record


def record_classification(catalogue: Catalogue, classification: Classification,
                          data_dir: Path | None = None) -> None:
    data = load_confirmations(data_dir)
    data["classifications"].append(classification.to_dict())
    _write(data, data_dir)


def classification_for(catalogue: Catalogue, description: str, eccn: str, jp_item: str, reasons: str,
                       officer: str) -> Classification:
    """A classification record stamped with the catalogue date and the content hashes of its entries."""
    if not description.strip() or not officer.strip() or not reasons.strip():
        raise CatalogueError(multilingual("description, officer and reasons are required"))
    hashes: dict[str, str] = {}
    if eccn and eccn.upper() != "EAR99":
        entry = catalogue.entries.get(f"us:{eccn}")
        if entry is None:
            raise CatalogueError(f"eccn {eccn!r}: not in the catalogue")
        hashes[entry.id] = entry.content_hash
    if jp_item and jp_item != "非該当":
        entry = catalogue.entries.get(f"jp:export_order:{jp_item}") or catalogue.entries.get(f"jp:fx_order:{jp_item}")
        if entry is None:
            raise CatalogueError(f"jp_item {jp_item!r}: not in the catalogue")
        hashes[entry.id] = entry.content_hash
    return Classification(description.strip(), eccn, jp_item, reasons.strip(), officer.strip(), catalogue.built_at,
                          hashes, _today())


def stale(catalogue: Catalogue, record: dict[str, Any]) -> list[str]:
    """Entry ids whose wording changed (or vanished) since the classification: flag it for review."""
    return [entry_id for entry_id, digest in dict(record.get("entry_hashes", {})).items()
            if entry_id not in catalogue.entries or catalogue.entries[entry_id].content_hash != digest]


def effective_links(catalogue: Catalogue, data_dir: Path | None = None) -> list[Link]:
    """Computed links with officers' rejections removed and confirmations added at confidence 1.0."""
    data = load_confirmations(data_dir)
    decided = {(r["jp_id"], r["eccn"]): r for r in data["links"]}
    out = [link for link in catalogue.links if (link.jp_id, link.eccn) not in decided]
    for (jp_id, eccn), record in decided.items():
        if record["action"] == "confirm":
            out.append(Link(jp_id, eccn, (f"confirmed by {record['officer']} on {record['date']}: {record['reason']}",),
                            1.0, confirmed_by=str(record["officer"])))
    return out


__all__ = [
    "Classification",
    "classification_for",
    "confirmations_path",
    "effective_links",
    "load_confirmations",
    "record_classification",
    "record_link",
    "stale",
]
