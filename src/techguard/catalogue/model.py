"""The catalogue's records: one :class:`Entry` per paragraph of the CCL, 輸出令別表第一, 外為令別表 or 貨物等省令."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from techguard.catalogue.numbers import Parameter

Regime = Literal["us", "jp"]
# eccn: an ECCN or one of its paragraphs; export_order: 輸出令別表第一 row; fx_order: 外為令別表 row;
# ordinance: 貨物等省令 article/paragraph/item.
Kind = Literal["eccn", "export_order", "fx_order", "ordinance"]
FORMAT_VERSION = 1


class CatalogueError(RuntimeError):
    """The catalogue (or one of its sources) is missing or unusable; names the file or URL and the problem."""


class CatalogueMissing(CatalogueError):
    """No catalogue has been built in this data directory yet (``catalogue update`` / ``build --from``)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a part of the catalogue was read from and which text date it carries."""

    name: str  # "ccl", "export_order", "kamotsu_ordinance", "fx_order"
    title: str
    location: str  # file path or URL
    as_of: str  # date of the legal text (eCFR issue date, e-Gov revision date)
    sha256: str  # of the bytes read
    official: bool  # True for eCFR / e-Gov XML, False for a transcription

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "location": self.location, "as_of": self.as_of,
                "sha256": self.sha256, "official": self.official}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(str(data["name"]), str(data["title"]), str(data["location"]), str(data["as_of"]),
                   str(data["sha256"]), bool(data["official"]))


@dataclass(frozen=True, slots=True)
class Entry:
    """One paragraph of a control list, with its parent chain, parameters, notes and citation."""

    id: str  # "us:3A001.b.3", "jp:export_order:7の項（1）", "jp:ordinance:第6条第1号イ"
    regime: Regime
    kind: Kind
    key: str  # "3A001.b.3", "7の項（1）", "第6条第1号イ"
    text: str
    parents: tuple[str, ...]  # ids, outermost first
    eccn: str = ""  # the ECCN (US entries)
    jp_item: str = ""  # 項番 "7の項（1）" (goods) or "外為令7の項（1）" (technology)
    jp_article: str = ""  # 貨物等省令 "第6条第1号イ"
    reasons: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""  # Source.name
    as_of: str = ""
    content_hash: str = field(default="")

    @property
    def eccn_base(self) -> str:
        return self.eccn[:5]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "regime": self.regime, "kind": self.kind, "key": self.key, "text": self.text,
            "parents": list(self.parents), "eccn": self.eccn, "jp_item": self.jp_item,
            "jp_article": self.jp_article, "reasons": list(self.reasons),
            "parameters": [p.to_dict() for p in self.parameters], "notes": list(self.notes),
            "source": self.source, "as_of": self.as_of, "content_hash": self.content_hash,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(
            id=str(data["id"]), regime=data["regime"], kind=data["kind"], key=str(data["key"]),
            text=str(data["text"]), parents=tuple(data["parents"]), eccn=str(data["eccn"]),
            jp_item=str(data["jp_item"]), jp_article=str(data["jp_article"]), reasons=tuple(data["reasons"]),
            parameters=tuple(Parameter.from_dict(p) for p in data["parameters"]), notes=tuple(data["notes"]),
            source=str(data["source"]), as_of=str(data["as_of"]), content_hash=str(data["content_hash"]),
        )


def content_hash(text: str, notes: tuple[str, ...] = ()) -> str:
    """12 hex digits of the SHA-256 of an entry's wording (text and notes): changes when the law's words do."""
    payload = json.dumps([text, list(notes)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Link:
    """A crosswalk link between a Japanese entry and an ECCN, with why it was made and how sure it is."""

    jp_id: str
    eccn: str  # ECCN or paragraph ("3A001", "3A001.a.5")
    basis: tuple[str, ...]  # e.g. ("structure: 7の項 ↔ Category 3", "threshold: 400 MSa/s on both sides")
    confidence: float  # 0..1
    confirmed_by: str = ""  # officer's name when confirmed; "" for computed links

    def to_dict(self) -> dict[str, Any]:
        return {"jp_id": self.jp_id, "eccn": self.eccn, "basis": list(self.basis),
                "confidence": self.confidence, "confirmed_by": self.confirmed_by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(str(data["jp_id"]), str(data["eccn"]), tuple(data["basis"]), float(data["confidence"]),
                   str(data.get("confirmed_by", "")))


@dataclass(slots=True)
class Catalogue:
    """All entries, the crosswalk and where everything came from."""

    entries: dict[str, Entry]
    sources: list[Source]
    built_at: str
    links: list[Link] = field(default_factory=list)
    only_us: dict[str, str] = field(default_factory=dict)  # ECCN → why it has no Japanese counterpart
    only_jp: dict[str, str] = field(default_factory=dict)  # jp entry id → why it has no ECCN

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION, "built_at": self.built_at,
            "sources": [s.to_dict() for s in self.sources],
            "entries": [e.to_dict() for e in self.entries.values()],
            "links": [link.to_dict() for link in self.links],
            "only_us": self.only_us, "only_jp": self.only_jp,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, location: str = "catalogue") -> Catalogue:
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise CatalogueError(f"{location}: not a techguard catalogue of format {FORMAT_VERSION}")
        try:
            entries = [Entry.from_dict(e) for e in data["entries"]]
            return cls(
                entries={e.id: e for e in entries},
                sources=[Source.from_dict(s) for s in data["sources"]],
                built_at=str(data["built_at"]),
                links=[Link.from_dict(link) for link in data["links"]],
                only_us={str(k): str(v) for k, v in data["only_us"].items()},
                only_jp={str(k): str(v) for k, v in data["only_jp"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogueError(f"{location}: malformed catalogue ({exc!r})") from None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entry in self.entries.values():
            out[entry.kind] = out.get(entry.kind, 0) + 1
        out["eccns"] = len({e.eccn_base for e in self.entries.values() if e.regime == "us"})
        out["links"] = len(self.links)
        return out


__all__ = ["FORMAT_VERSION", "Catalogue", "CatalogueError", "CatalogueMissing", "Entry", "Link", "Source",
           "content_hash"]
