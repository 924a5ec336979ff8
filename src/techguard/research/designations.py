"""Designations (government acts) and assessments (ASPI), as dated entries linked to ROR institutions.

A *designation* is a government list: US DoD §1286 (by fiscal-year edition), US DoD §1260H, the BIS Entity List,
Japan's METI End User List, Canada's Named Research Organizations. An *assessment* is a third party's view
(ASPI's China Defence Universities Tracker); it is kept apart and never counts as a designation.

Entries link to institutions by ROR id when the list gives one, else by resolving the listed name and each
alias as a whole name (never a part of it) with the listed country: "Nanjing University of Aeronautics and
Astronautics" links to NUAA and never to Nanjing University.

Input formats (``techguard research designations import FILE --list LIST``):
- ``us_1286``: a CSV an officer transcribes from the official DoD PDF, header
  ``fiscal_year,name,aliases,country,table,ror_id,published,source_url`` (aliases separated by ``;``; ``table``
  1 = institutions, 2 = talent programs; ``published`` ISO date of the edition), or the OpenSanctions
  transcription format (``name,aliases,…,report-date,…,country,…,source_url``).
- ``us_1260h``: a CSV ``Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url``
  (the simple format ``name,aliases,start,end,ror_id,source_url`` also works).
- ``ca_nro``: the saved HTML page of science.gc.ca's Named Research Organizations list.
- ``aspi_cdut``: the MISP galaxy JSON of ASPI's tracker.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from techguard.lists.errors import ListFormatError
from techguard.lists.model import Party
from techguard.research.registry import Institution, normalise_ror_id
from techguard.research.resolver import Membership, Resolver
from techguard.text.countries import to_iso2
from techguard.text.decode import TextEncodingError, read_text

DESIGNATION_LISTS = {
    "us_1286": "US Department of Defense (FY2019 NDAA §1286)",
    "us_1260h": "US Department of Defense (FY2021 NDAA §1260H)",
    "us_entity_list": "US Department of Commerce, BIS (EAR Supplement No. 4 to Part 744)",
    "jp_eul": "Japan METI (外国ユーザーリスト / End User List)",
    "ca_nro": "Government of Canada (Named Research Organizations)",
}
NRO_URL = ("https://science.gc.ca/site/science/en/safeguarding-your-research/guidelines-and-tools-implement-"
           "research-security/sensitive-technology-research-and-affiliations-concern/named-research-organizations")
ASSESSMENT_LISTS = {"aspi_cdut": "Australian Strategic Policy Institute (China Defence Universities Tracker)"}


@dataclass(frozen=True, slots=True)
class ListedEntry:
    list: str
    name: str
    edition: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    start: str | None = None  # ISO date the entry is in force from
    end: str | None = None  # ISO date it is no longer in force from (None: still in force)
    category: str | None = None
    ror_id: str | None = None
    source_url: str | None = None

    @property
    def is_assessment(self) -> bool:
        return self.list in ASSESSMENT_LISTS

    @property
    def authority(self) -> str:
        return DESIGNATION_LISTS.get(self.list) or ASSESSMENT_LISTS.get(self.list, self.list)

    def in_force(self, on: str) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListedEntry:
        return cls(**{**data, "aliases": tuple(data.get("aliases") or ())})


# -- readers --------------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        text = read_text(path).text
    except TextEncodingError as error:
        raise ListFormatError(path, error.reason, line=error.line) from None
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split(";") if a.strip())


def _talent_program(name: str) -> bool:
    return bool(re.search(r"\b(program|programme|plan|scholar|talents?|professorship)\b", name, re.I))


def read_1286_csv(path: Path) -> list[ListedEntry]:
    """§1286 editions; one full block of rows per fiscal year (each edition replaces the previous one)."""
    rows = _read_csv(path)
    if not rows:
        raise ListFormatError(path, "no rows")
    simple = "fiscal_year" in rows[0]
    if not simple and "report-date" not in rows[0]:
        raise ListFormatError(path, "expected a 'fiscal_year' (simple format) or 'report-date' column", line=1)
    entries: list[ListedEntry] = []
    for number, row in enumerate(rows, start=2):
        year = row.get("fiscal_year" if simple else "report-date", "")
        if not re.fullmatch(r"(FY)?\d{4}", year):
            raise ListFormatError(path, f"fiscal year must be like 2024, got {year!r}", line=number,
                                  field="fiscal_year" if simple else "report-date")
        year = year.removeprefix("FY")
        name = row.get("name", "")
        if not name:
            raise ListFormatError(path, "empty name", line=number, field="name")
        published = row.get("published") or None
        if published and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
            raise ListFormatError(path, f"published must be an ISO date, got {published!r}", line=number,
                                  field="published")
        table = row.get("table") or ("2" if _talent_program(name) else "1")
        country = row.get("country") or None
        entries.append(ListedEntry(
            list="us_1286", name=name, edition=f"FY{year}", aliases=_aliases(row.get("aliases", "")),
            country=(to_iso2(country) or country.upper()[:2]) if country else None,
            start=published or f"{year}-01-01", category="talent_program" if table == "2" else "institution",
            ror_id=normalise_ror_id(row["ror_id"]) if row.get("ror_id") else None,
            source_url=row.get("source_url") or None,
        ))
    return _close_editions(entries)


def _close_editions(entries: list[ListedEntry]) -> list[ListedEntry]:
    """An edition is in force until the next edition starts."""
    starts = sorted({e.start for e in entries if e.start})
    following = {s: (starts[i + 1] if i + 1 < len(starts) else None) for i, s in enumerate(starts)}
    return [ListedEntry(**{**asdict(e), "end": e.end or following.get(e.start or "")}) for e in entries]


def read_1260h_csv(path: Path) -> list[ListedEntry]:
    rows = _read_csv(path)
    if not rows:
        raise ListFormatError(path, "no rows")
    official = "Clean Name" in rows[0]
    entries = []
    for number, row in enumerate(rows, start=2):
        name = row.get("Clean Name" if official else "name", "") or row.get("Name", "")
        if not name:
            raise ListFormatError(path, "empty name", line=number, field="Clean Name" if official else "name")
        start = row.get("Start date" if official else "start") or None
        end = row.get("End date" if official else "end") or None
        for label, value in (("start", start), ("end", end)):
            if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ListFormatError(path, f"{label} date must be ISO, got {value!r}", line=number, field=label)
        aliases = (*_aliases(row.get("Alias", "")), *_aliases(row.get("Previous Name", ""))) if official else \
            _aliases(row.get("aliases", ""))
        entries.append(ListedEntry(
            list="us_1260h", name=name, edition=start or "", aliases=aliases, country="CN", start=start, end=end,
            category="chinese_military_company", ror_id=normalise_ror_id(row["ror_id"]) if row.get("ror_id") else None,
            source_url=(row.get("Source Url") if official else row.get("source_url")) or None,
        ))
    return entries


def read_nro_html(path: Path, edition: str | None = None) -> list[ListedEntry]:
    """Canada's Named Research Organizations page: ``<li><strong>Name</strong> (Country)<p>Known alias(es): …``."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(path.read_bytes())
    if edition is None:
        found = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
        edition = found.group(1) if found else dt.date.today().isoformat()
    entries = []
    for container in tree.iter("div"):
        if "wb-filter" not in (container.get("class") or ""):
            continue
        for item in container.iter("li"):
            strong = item.find("strong")
            if strong is None:
                continue
            name = " ".join("".join(str(t) for t in strong.itertext()).split())
            tail = (strong.tail or "").strip()
            country_text = tail.strip("() ") if tail.startswith("(") else ""
            aliases: tuple[str, ...] = ()
            for paragraph in item.iter("p"):
                text = " ".join("".join(str(t) for t in paragraph.itertext()).split())
                if text.lower().startswith("known alias"):
                    aliases = _aliases(text.split(":", 1)[1] if ":" in text else "")
            country = to_iso2(country_text.replace("People’s", "Peoples")) if country_text else None
            entries.append(ListedEntry(list="ca_nro", name=name, edition=edition, aliases=aliases, country=country,
                                       start=edition, source_url=NRO_URL))
    if not entries:
        raise ListFormatError(path, "no <li><strong>name</strong> entries inside div.wb-filter: page layout changed?")
    return entries


def read_aspi_misp(path: Path) -> list[ListedEntry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ListFormatError(path, "expected a MISP galaxy object with 'values'", field="values")
    entries = []
    for position, value in enumerate(data["values"]):
        raw = value.get("value") if isinstance(value, dict) else None
        if not isinstance(raw, str):
            raise ListFormatError(path, "entry without a value", record=f"#{position}", field="value")
        meta = value.get("meta") or {}
        name = re.sub(r"\s*\([^()]*\)\s*$", "", raw).strip() or raw
        aliases = tuple(a for a in meta.get("aliases", []) if isinstance(a, str))
        entries.append(ListedEntry(list="aspi_cdut", name=name, edition=f"misp-galaxy v{data.get('version', '?')}",
                                   aliases=aliases, country="CN",
                                   category=", ".join(meta.get("categories", [])) or None,
                                   source_url=(meta.get("refs") or [None])[0]))
    return entries


def entries_from_parties(parties: Iterable[Party]) -> list[ListedEntry]:
    """Entity List and METI EUL parties (from ``techguard.lists``) as entries."""
    entries = []
    for party in parties:
        if party.list not in ("us_entity_list", "jp_eul"):
            continue
        entries.append(ListedEntry(
            list=party.list, name=party.name, edition=party.listed_on or "",
            aliases=tuple(n.value for n in party.names), country=party.countries[0] if party.countries else None,
            start=party.listed_on, end=party.ends_on, category=party.kind.value, source_url=party.source_url,
        ))
    return entries


READERS = {"us_1286": read_1286_csv, "us_1260h": read_1260h_csv, "ca_nro": read_nro_html,
           "aspi_cdut": read_aspi_misp}


def read_list(list_name: str, path: Path) -> list[ListedEntry]:
    if list_name not in READERS:
        raise ValueError(f"unknown list {list_name!r}; one of {', '.join(READERS)}")
    return READERS[list_name](path)


# -- the book: entries linked to institutions --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    entry: ListedEntry
    ror_id: str
    via: str  # "ror_id" or the name that resolved


class DesignationBook:
    """Entries of every imported list, linked to ROR ids; answers "which lists, in force on date D"."""

    def __init__(self, entries: Sequence[ListedEntry], resolver: Resolver) -> None:
        self.entries = list(entries)
        self.unlinked: list[ListedEntry] = []
        self._links: dict[str, list[Link]] = {}
        self._parents: dict[str, tuple[str, ...]] = {
            i.ror_id: i.parents for i in resolver.index.institutions
        }
        for entry in self.entries:
            link = self._link(entry, resolver)
            if link is None:
                self.unlinked.append(entry)
            else:
                self._links.setdefault(link.ror_id, []).append(link)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @staticmethod
    def _link(entry: ListedEntry, resolver: Resolver) -> Link | None:
        if entry.ror_id:
            return Link(entry, entry.ror_id, "ror_id")
        for name in (entry.name, *entry.aliases):
            resolution = resolver.resolve_name(name, country=entry.country)
            if resolution.ror_id is not None:
                return Link(entry, resolution.ror_id, f"name {name!r}")
        return None

    def links(self, ror_id: str) -> list[Link]:
        return list(self._links.get(normalise_ror_id(ror_id), []))

    def memberships(self, institution: Institution, as_of: str | None) -> tuple[
            tuple[Membership, ...], tuple[Membership, ...]]:
        """Memberships in force on ``as_of`` (default today) of the institution and of its ROR parents."""
        on = as_of or dt.date.today().isoformat()
        chain = [(institution.ror_id, "")]
        seen = {institution.ror_id}
        queue = list(self._parents.get(institution.ror_id, ()))
        while queue:
            parent = queue.pop(0)
            if parent in seen:
                continue
            seen.add(parent)
            chain.append((parent, f"parent {parent}"))
            queue.extend(self._parents.get(parent, ()))
        designations: list[Membership] = []
        assessments: list[Membership] = []
        for ror_id, through in chain:
            for link in self._links.get(ror_id, []):
                entry = link.entry
                if not entry.in_force(on):
                    continue
                membership = Membership(
                    list=entry.list, authority=entry.authority, name=entry.name, edition=entry.edition,
                    start=entry.start, end=entry.end, category=entry.category,
                    via="; ".join(v for v in (link.via, through) if v), source_url=entry.source_url)
                (assessments if entry.is_assessment else designations).append(membership)
        return tuple(designations), tuple(assessments)

    def section_1286_names(self, as_of: str | None = None) -> frozenset[str]:
        """Folded names and aliases of §1286 entries (institutions and talent programmes) in force on
        ``as_of`` — the list prong (B) of the MFTRP definition refers to."""
        from techguard.research.normalise import fold

        on = as_of or dt.date.today().isoformat()
        return frozenset(fold(name) for e in self.entries if e.list == "us_1286" and e.in_force(on)
                         for name in (e.name, *e.aliases))

    # -- persistence in the data dir ------------------------------------------------------------------

    @staticmethod
    def store_dir(data_dir: Path) -> Path:
        return data_dir / "research" / "designations"

    @classmethod
    def save_list(cls, data_dir: Path, list_name: str, entries: Sequence[ListedEntry]) -> Path:
        target = cls.store_dir(data_dir)
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{list_name}.json"
        path.write_text(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load_saved(cls, data_dir: Path) -> list[ListedEntry]:
        entries: list[ListedEntry] = []
        folder = cls.store_dir(data_dir)
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                entries.extend(ListedEntry.from_json(item) for item in json.loads(path.read_text(encoding="utf-8")))
        return entries

    @classmethod
    def from_data_dir(cls, data_dir: Path, resolver: Resolver, parties: Iterable[Party] = ()) -> DesignationBook:
        return cls([*cls.load_saved(data_dir), *entries_from_parties(parties)], resolver)


__all__ = [
    "ASSESSMENT_LISTS",
    "DESIGNATION_LISTS",
    "DesignationBook",
    "Link",
    "ListedEntry",
    "entries_from_parties",
    "read_1260h_csv",
    "read_1286_csv",
    "read_aspi_misp",
    "read_list",
    "read_nro_html",
]
