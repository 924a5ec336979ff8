"""Observed affiliations from publication and profile records: OpenAlex works, Crossref works, ORCID
employments / works. Read from saved JSON files, or fetched with httpx when online (tests pass a
``httpx.MockTransport``).

Each observation keeps the evidence: the work id, the date, the raw affiliation string as printed, and any ROR
id the source asserted. Resolution against the registry happens in :mod:`techguard.research.reconcile`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from techguard.research.registry import normalise_ror_id

OPENALEX = "https://api.openalex.org"
CROSSREF = "https://api.crossref.org"
ORCID_API = "https://pub.orcid.org/v3.0"


class PublicationFormatError(ValueError):
    def __init__(self, source: str, where: str, message: str) -> None:
        super().__init__(f"{source}: {where}: {message}")
        self.source, self.where, self.message = source, where, message

    def __reduce__(self) -> tuple[type[PublicationFormatError], tuple[str, str, str]]:
        # Raised in a Spark worker, rebuilt on the driver with the same file, place and message.
        return PublicationFormatError, (self.source, self.where, self.message)


@dataclass(frozen=True, slots=True)
class ObservedAffiliation:
    source: str  # "openalex" | "crossref" | "orcid"
    work_id: str  # OpenAlex W-id / DOI / ORCID put-code path
    date: str | None  # ISO (publication date, or start of an ORCID employment)
    raw: str  # the affiliation as printed
    asserted_ror_id: str | None = None  # a ROR id the source itself gives
    title: str = ""
    end: str | None = None  # ORCID employments: end date


def bare_orcid(orcid: str) -> str:
    return orcid.strip().rstrip("/").rsplit("/", 1)[-1]


def _orcid_matches(value: Any, orcid: str) -> bool:
    return isinstance(value, str) and bare_orcid(value) == bare_orcid(orcid)


def _date_parts(value: Any) -> str | None:
    parts = (value or {}).get("date-parts") if isinstance(value, dict) else None
    if not parts or not parts[0] or parts[0][0] is None:
        return None
    numbers = [int(p) for p in parts[0]]
    return "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(numbers))


def openalex_affiliations(data: Any, orcid: str, source: str = "openalex") -> list[ObservedAffiliation]:
    """From an OpenAlex ``/works`` page (``results``) or a single work: the author's raw affiliation strings."""
    works = data.get("results", [data]) if isinstance(data, dict) else None
    if not isinstance(works, list):
        raise PublicationFormatError(source, "$", "expected an OpenAlex work or a /works page with 'results'")
    observed: list[ObservedAffiliation] = []
    for w, work in enumerate(works):
        if not isinstance(work, dict) or "authorships" not in work:
            raise PublicationFormatError(source, f"results[{w}]", "work without 'authorships'")
        for authorship in work["authorships"]:
            if not _orcid_matches((authorship.get("author") or {}).get("orcid"), orcid):
                continue
            rors = {inst.get("id"): inst.get("ror") for inst in authorship.get("institutions") or []}
            pairs = [(a.get("raw_affiliation_string", ""), [rors.get(i) for i in a.get("institution_ids") or []])
                     for a in authorship.get("affiliations") or []]
            if not pairs:
                pairs = [(raw, []) for raw in authorship.get("raw_affiliation_strings") or []]
            for raw, ror_ids in pairs:
                asserted = next((r for r in ror_ids if r), None)
                observed.append(ObservedAffiliation(
                    "openalex", str(work.get("id", "")), work.get("publication_date"), raw,
                    normalise_ror_id(asserted) if asserted else None, str(work.get("title") or "")))
    return observed


def crossref_affiliations(data: Any, orcid: str, source: str = "crossref") -> list[ObservedAffiliation]:
    """From a Crossref ``/works`` response (``message.items``) or a single work (``message``)."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise PublicationFormatError(source, "$", "expected a Crossref response with 'message'")
    works = message.get("items", [message])
    observed: list[ObservedAffiliation] = []
    for w, work in enumerate(works):
        if not isinstance(work, dict) or "DOI" not in work:
            raise PublicationFormatError(source, f"message.items[{w}]", "work without 'DOI'")
        date = _date_parts(work.get("published")) or _date_parts(work.get("issued"))
        for author in work.get("author") or []:
            if not _orcid_matches(author.get("ORCID"), orcid):
                continue
            for affiliation in author.get("affiliation") or []:
                ror = next((i.get("id") for i in affiliation.get("id") or []
                            if str(i.get("id-type", "")).upper() == "ROR"), None)
                observed.append(ObservedAffiliation(
                    "crossref", f"https://doi.org/{work['DOI']}", date, str(affiliation.get("name", "")),
                    normalise_ror_id(ror) if ror else None, " ".join(work.get("title") or [])))
    return observed


def _fuzzy_date(value: Any) -> str | None:
    if not isinstance(value, dict) or not (value.get("year") or {}).get("value"):
        return None
    parts = [value["year"]["value"]]
    for key in ("month", "day"):
        if (value.get(key) or {}).get("value"):
            parts.append(value[key]["value"])
        else:
            break
    return "-".join(parts)


def orcid_affiliations(data: Any, source: str = "orcid") -> list[ObservedAffiliation]:
    """From ORCID v3.0 ``/employments`` (also educations, invited-positions): ``affiliation-group[].summaries``."""
    groups = data.get("affiliation-group") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise PublicationFormatError(source, "$", "expected an ORCID affiliations response with 'affiliation-group'")
    observed: list[ObservedAffiliation] = []
    for g, group in enumerate(groups):
        for summary in group.get("summaries") or []:
            if not isinstance(summary, dict) or not summary:
                raise PublicationFormatError(source, f"affiliation-group[{g}]", "empty summary")
            item = next(iter(summary.values()))
            organisation = item.get("organization") or {}
            disambiguated = organisation.get("disambiguated-organization") or {}
            ror = disambiguated.get("disambiguated-organization-identifier") \
                if disambiguated.get("disambiguation-source") == "ROR" else None
            address = organisation.get("address") or {}
            raw = ", ".join(p for p in (item.get("department-name"), organisation.get("name"), address.get("city"),
                                        address.get("country")) if p)
            observed.append(ObservedAffiliation(
                "orcid", str(item.get("path") or item.get("put-code") or ""), _fuzzy_date(item.get("start-date")),
                raw, normalise_ror_id(ror) if ror else None, str(item.get("role-title") or ""),
                _fuzzy_date(item.get("end-date"))))
    return observed


def read_observations(path: Path, orcid: str) -> list[ObservedAffiliation]:
    """Detect the source from the JSON shape of a saved file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise PublicationFormatError(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from exc
    if isinstance(data, dict) and "message" in data:
        return crossref_affiliations(data, orcid, str(path))
    if isinstance(data, dict) and "affiliation-group" in data:
        return orcid_affiliations(data, str(path))
    if isinstance(data, dict) and ("results" in data or "authorships" in data):
        return openalex_affiliations(data, orcid, str(path))
    raise PublicationFormatError(str(path), "$", "not an OpenAlex, Crossref or ORCID response")


_JSON_LINES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json.gz")
PARQUET_BATCH = 512  # rows decoded at a time: memory stays bounded whatever the file's size


def authorship_row_affiliations(row: dict[str, Any], orcid: str, source: str) -> list[ObservedAffiliation]:
    """One row of a flat authorships table (``work_id``, ``author_orcid``, ``publication_date``,
    ``raw_affiliation_string`` or ``raw_affiliation_strings``, optional ``institution_ror``)."""
    if not _orcid_matches(row.get("author_orcid") or row.get("orcid"), orcid):
        return []
    raws = row.get("raw_affiliation_strings")
    if not isinstance(raws, list):
        raws = [row.get("raw_affiliation_string")]
    ror = row.get("institution_ror")
    return [ObservedAffiliation("openalex", str(row.get("work_id", "")), row.get("publication_date"), str(raw),
                                normalise_ror_id(ror) if isinstance(ror, str) and ror else None,
                                str(row.get("title") or ""))
            for raw in raws if isinstance(raw, str) and raw]


def record_affiliations(record: Any, orcid: str, source: str, where: str) -> list[ObservedAffiliation]:
    if isinstance(record, dict) and "authorships" in record:
        return openalex_affiliations(record, orcid, source)
    if isinstance(record, dict) and "work_id" in record:
        return authorship_row_affiliations(record, orcid, source)
    raise PublicationFormatError(source, where, "neither an OpenAlex work (with 'authorships') nor an authorship "
                                 "row (with 'work_id')")


def iter_observations(path: Path, orcid: str) -> Iterator[ObservedAffiliation]:
    """The person's observed affiliations in a saved file, streamed: JSON lines (``.jsonl``, ``.ndjson``,
    gzipped too) and Parquet (``.parquet``) hold one OpenAlex work or one authorship row per line / row and are
    read a line or a batch of rows at a time, so an OpenAlex snapshot part of any size runs in bounded
    memory; any other file is one JSON response (``read_observations``)."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
            offset = 0
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
                for k, record in enumerate(batch.to_pylist()):
                    yield from record_affiliations(record, orcid, str(path), f"row {offset + k + 1}")
                offset += batch.num_rows
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise PublicationFormatError(str(path), "$", f"unreadable Parquet file ({exc})") from None
        return
    if not name.endswith(_JSON_LINES):
        yield from read_observations(path, orcid)
        return
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PublicationFormatError(str(path), f"line {number}", f"invalid JSON: {exc.msg}") from None
                yield from record_affiliations(record, orcid, str(path), f"line {number}")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise PublicationFormatError(str(path), "$", f"unreadable file ({exc})") from None


def fetch_observations(orcid: str, client: httpx.Client, sources: Iterable[str] = ("openalex", "crossref", "orcid"),
                       mailto: str | None = None) -> list[ObservedAffiliation]:
    """Fetch the person's works / employments by ORCID iD (first page of each; up to 200 works)."""
    orcid = bare_orcid(orcid)
    observed: list[ObservedAffiliation] = []
    params = {"mailto": mailto} if mailto else {}
    for source in sources:
        if source == "openalex":
            response = client.get(f"{OPENALEX}/works",
                                  params={"filter": f"author.orcid:{orcid}", "per-page": "200", **params})
            response.raise_for_status()
            observed.extend(openalex_affiliations(response.json(), orcid, str(response.url)))
        elif source == "crossref":
            response = client.get(f"{CROSSREF}/works", params={"filter": f"orcid:{orcid}", "rows": "200", **params})
            response.raise_for_status()
            observed.extend(crossref_affiliations(response.json(), orcid, str(response.url)))
        elif source == "orcid":
            response = client.get(f"{ORCID_API}/{orcid}/employments", headers={"Accept": "application/json"})
            response.raise_for_status()
            observed.extend(orcid_affiliations(response.json(), str(response.url)))
        else:
            raise ValueError(f"unknown source {source!r}")
    return observed


__all__ = [
    "ObservedAffiliation",
    "PublicationFormatError",
    "authorship_row_affiliations",
    "bare_orcid",
    "crossref_affiliations",
    "fetch_observations",
    "iter_observations",
    "openalex_affiliations",
    "orcid_affiliations",
    "read_observations",
    "record_affiliations",
]
