"""The Commerce Control List at paragraph level, from eCFR XML (Supp. No. 1 to Part 774) or a parsed CCL JSON.

Both readers produce :class:`RawEccn` records (heading, reasons, labelled paragraphs in order, notes) and
:func:`ccl_entries` turns them into catalogue entries with parent chains and parameters. The eCFR XML helpers
are the ones of :mod:`techguard.rules.us.ecfr` (one XML reader for the EAR).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from techguard.catalogue.model import CatalogueError, Entry, content_hash
from techguard.catalogue.numbers import counts, parameters_en
from techguard.rules.us.ecfr import _is_element, _parse, _supplement, _text

_ECCN = re.compile(r"^\d[A-E]\d{3}$")
_ECCN_HEAD = re.compile(r"^(\d[A-E]\d{3})\s+(.*)$")
# "a.", "a.1.", "b.3.a.", "a.5.b.2.a.1." at the start of a paragraph: letters and numbers alternate.
_LABEL = re.compile(r"^([a-z](?:\.\d{1,2}(?:\.[a-z](?:\.\d{1,2}(?:\.[a-z](?:\.\d{1,2})?)?)?)?)?)\.\s+(\S.*)$")
_NOTE_HEAD = re.compile(r"^(?:Note|N\.B\.|Technical Note|Nota Bene)s?\b", re.I)


@dataclass(slots=True)
class RawParagraph:
    label: str
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawEccn:
    eccn: str
    heading: str
    reasons: list[str]
    related: str = ""
    notes: list[str] = field(default_factory=list)
    paragraphs: list[RawParagraph] = field(default_factory=list)

    def add_paragraph(self, label: str, text: str) -> None:
        if any(p.label == label for p in self.paragraphs):
            # A second "a." inside a note ("For the purposes of …: a. … b. …") is the note's list, not an item.
            self.add_note(f"{label}. {text}")
            return
        self.paragraphs.append(RawParagraph(label, text))

    def add_note(self, text: str) -> None:
        if self.paragraphs:
            self.paragraphs[-1].notes.append(text)
        else:
            self.notes.append(text)


def _reasons(text: str) -> list[str]:
    return [r for r in re.findall(r"\b(NS|MT|NP|RS|AT|CB|CC|FC|EI|SI|SL|SS|UN|CW)\b", text)]


def raw_from_ccl_json(payload: bytes, *, location: str) -> tuple[list[RawEccn], str]:
    """Records from a CCL JSON with per-entry ``items`` (kind item/text/note), and its eCFR issue date."""
    try:
        data = json.loads(payload)
        entries = data["entries"]
        issue = str(data.get("ecfrIssueDate") or data.get("ecfr_date") or "")
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f"{location}: not a CCL JSON with 'entries' ({exc!r})") from None
    if isinstance(entries, dict):
        entries = list(entries.values())
    out: list[RawEccn] = []
    for index, item in enumerate(entries):
        if not isinstance(item, dict) or not _ECCN.match(str(item.get("eccn", ""))):
            raise CatalogueError(f"{location}: entries[{index}]: field 'eccn' missing or not an ECCN")
        reasons = item.get("reasonForControl") or item.get("reasons") or ""
        raw = RawEccn(
            eccn=str(item["eccn"]),
            heading=str(item.get("heading", "")),
            reasons=_reasons(reasons if isinstance(reasons, str) else " ".join(reasons)),
            related=str(item.get("relatedControls") or ""),
        )
        for part in item.get("items") or []:
            label, text, kind = part.get("paragraph"), str(part.get("text", "")), part.get("kind")
            if kind == "item" and label and re.fullmatch(r"[a-z](?:\.\w+)*", str(label)):
                raw.add_paragraph(str(label), text)
            elif raw.paragraphs or _NOTE_HEAD.match(text):
                # Text before the first paragraph is licence-exception metadata ("$1500: 3A001.c.").
                raw.add_note(text)
        out.append(raw)
    if not out:
        raise CatalogueError(f"{location}: no ECCN entries")
    return out, issue


def raw_from_ecfr_xml(xml: bytes, *, location: str) -> list[RawEccn]:
    """Records from the eCFR XML of Part 774 (``FP-2``/``P`` paragraphs; headings start with a bold ECCN)."""
    try:
        root = _parse(xml, "774")
        supplement = _supplement(root, "774")
    except RuntimeError as exc:
        raise CatalogueError(f"{location}: {exc}") from None
    out: list[RawEccn] = []
    current: RawEccn | None = None
    in_items = False
    for element in supplement.iter():
        if not _is_element(element) or element.tag not in ("P", "FP", "FP-1", "FP-2"):
            continue
        text = _text(element)
        if not text:
            continue
        bold = element.find("B")
        head = _ECCN_HEAD.match(text)
        if head and bold is not None and _text(bold).startswith(head.group(1)):
            current = RawEccn(head.group(1), head.group(2), [])
            out.append(current)
            in_items = False
            continue
        if current is None:
            continue
        if text.startswith("Reason for Control:"):
            current.reasons = _reasons(text.split(":", 1)[1])
        elif text.startswith("Related Controls:"):
            current.related = text.split(":", 1)[1].strip()
        elif re.match(r"^Items?:", text):
            in_items = True
            rest = text.split(":", 1)[1].strip()
            if rest:
                current.add_note(rest)
        elif in_items:
            label = _LABEL.match(text)
            if label:
                current.add_paragraph(label.group(1), label.group(2))
            else:
                current.add_note(text)
    if not out:
        raise CatalogueError(f"{location}: no ECCN headings in Supplement No. 1 to Part 774")
    return out


def _entry_text(eccn: str, heading: str) -> str:
    return re.sub(r"\s+", " ", heading).strip()


def ccl_entries(raws: list[RawEccn], *, source: str, as_of: str) -> list[Entry]:
    """Catalogue entries: one per ECCN (its heading) and one per labelled paragraph, with parent chains."""
    entries: list[Entry] = []
    for raw in raws:
        top_id = f"us:{raw.eccn}"
        notes = tuple(raw.notes + ([f"Related controls: {raw.related}"] if raw.related else []))
        text = _entry_text(raw.eccn, raw.heading)
        entries.append(Entry(
            id=top_id, regime="us", kind="eccn", key=raw.eccn, text=text, parents=(), eccn=raw.eccn,
            reasons=tuple(raw.reasons), parameters=tuple(parameters_en(text) + counts(text)), notes=notes, source=source,
            as_of=as_of, content_hash=content_hash(text, notes),
        ))
        for paragraph in raw.paragraphs:
            parts = paragraph.label.split(".")
            parents = (top_id, *(f"us:{raw.eccn}.{'.'.join(parts[:i])}" for i in range(1, len(parts))))
            key = f"{raw.eccn}.{paragraph.label}"
            ptext = re.sub(r"\s+", " ", paragraph.text).strip()
            pnotes = tuple(paragraph.notes)
            entries.append(Entry(
                id=f"us:{key}", regime="us", kind="eccn", key=key, text=ptext, parents=parents, eccn=key,
                reasons=tuple(raw.reasons), parameters=tuple(parameters_en(ptext) + counts(ptext)), notes=pnotes,
                source=source, as_of=as_of, content_hash=content_hash(ptext, pnotes),
            ))
    return entries


def merge_headings(raws: list[RawEccn], headings: dict[str, Any]) -> list[RawEccn]:
    """Add ECCNs that only the project's rule table (``rules/us/data/ccl.json``) lists, heading only."""
    have = {r.eccn for r in raws}
    extra = [
        RawEccn(eccn, str(row.get("heading", "")), _reasons(" ".join(row.get("reasons") or [])))
        for eccn, row in headings.items()
        if eccn not in have and isinstance(row, dict) and _ECCN.match(eccn)
    ]
    return raws + extra


__all__ = ["RawEccn", "RawParagraph", "ccl_entries", "merge_headings", "raw_from_ccl_json", "raw_from_ecfr_xml"]
