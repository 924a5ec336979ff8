"""``techguard research designations update``: the designation lists from their official publishers.

- ``ca_nro``: Canada's Named Research Organizations page (science.gc.ca), dated by the page's own
  "Date modified";
- ``us_1260h``: the DoD §1260H list as published in the Federal Register: the newest Department of Defense
  document about §1260H through the Federal Register API, its full text parsed for the listed names, dated
  by its publication date;
- ``us_1286``: the DoD §1286 list: the PDF linked from the DoD page (a link naming 1286), its Table 1 rows
  (English name, native name, country of concern) read from the PDF text, dated by the fiscal year printed
  and the file's Last-Modified date;
- ``us_entity_list`` / ``jp_eul``: through the list snapshots (``techguard.lists``: the Consolidated
  Screening List and METI's End User List), which the research module already reads.

Refusal rules are those of list updates (``techguard.lists.update``): a download shorter than its
Content-Length or empty, a page or file that parses to no entries, or one with over 20 % fewer entries than
the active version (unless forced) is refused, and the previous version stays active; a byte-identical
download only marks the version as checked. Each active version is kept with its date, URL and sha256
(``designations/meta/<list>.json``) and every replaced one under ``designations/history/``.
Offline, ``research designations import`` is unchanged. ASPI's tracker is an assessment, never updated here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from techguard.lists.errors import ListFormatError, UpdateRefused
from techguard.lists.update import DownloadError, UpdateReport, UpdateStatus, default_client, download_file
from techguard.research.designations import NRO_URL, DesignationBook, ListedEntry, read_nro_html
from techguard.text.countries import to_iso2

FEDERAL_REGISTER_SEARCH = (
    "https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=defense-department"
    "&conditions[term]=%221260H%22&order=newest&per_page=20"
)
SECTION_1286_PAGE = "https://basicresearch.defense.gov/Programs/Research-Security/"
MAX_DROP = 0.20
SNAPSHOT_LISTS = {"us_entity_list": "us_csl", "jp_eul": "jp_meti_eul"}  # list -> techguard.lists source


@dataclass(frozen=True, slots=True)
class Fetched:
    entries: list[ListedEntry]
    sha256: str
    url: str
    edition: str


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _get_json(client: httpx.Client, url: str) -> object:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: download failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise DownloadError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    try:
        return response.json()
    except ValueError as exc:
        raise UpdateRefused(f"{url}: not JSON ({exc})") from None


# -- Canada: Named Research Organizations ------------------------------------------------------------------

_DATE_MODIFIED = re.compile(rb'dateModified"?[^>]*>\s*(\d{4}-\d{2}-\d{2})')


def fetch_nro(client: httpx.Client, url: str, staging: Path) -> Fetched:
    path = staging / "nro.html"
    download_file(client, url, path)
    found = _DATE_MODIFIED.search(path.read_bytes())
    edition = found.group(1).decode() if found else dt.date.today().isoformat()
    return Fetched(read_nro_html(path, edition=edition), _sha(path), url, edition)


# -- US §1260H, as published in the Federal Register --------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|[•·▪-])\s*(.+)$")
_ALIAS = re.compile(r"\s*\((?:a\.?k\.?a\.?|also known as|formerly)?[^()]*\)\s*$", re.I)


def _text_lines(html: bytes) -> list[str]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    items = [" ".join("".join(str(t) for t in li.itertext()).split()) for li in tree.iter("li")]
    if items:
        return items
    lines = []
    for paragraph in tree.iter("p"):
        text = " ".join("".join(str(t) for t in paragraph.itertext()).split())
        numbered = _NUMBERED.match(text)
        if numbered:
            lines.append(numbered.group(1))
    return lines


def parse_1260h_notice(html: bytes, source: str, published: str) -> list[ListedEntry]:
    """The listed companies of a Federal Register §1260H notice: its list items (or numbered paragraphs)."""
    entries = []
    for line in _text_lines(html):
        name = line.rstrip(";.").strip()
        aliases: tuple[str, ...] = ()
        bracket = _ALIAS.search(name)
        if bracket and bracket.start() > 0:
            inside = bracket.group(0).strip(" ()")
            inside = re.sub(r"^(a\.?k\.?a\.?|also known as|formerly)\s*", "", inside, flags=re.I)
            aliases = tuple(a.strip() for a in re.split(r"[;,]\s*", inside) if a.strip())
            name = name[: bracket.start()].strip()
        if len(name) < 3 or len(name) > 300:
            continue
        entries.append(ListedEntry(list="us_1260h", name=name, edition=published, aliases=aliases, country="CN",
                                   start=published, category="chinese_military_company", source_url=source))
    if not entries:
        raise ListFormatError(Path(source), "no listed names (list items or numbered paragraphs) in the notice")
    return entries


def fetch_1260h(client: httpx.Client, url: str, staging: Path) -> Fetched:
    found = _get_json(client, url)
    results = found.get("results") if isinstance(found, dict) else None
    if not isinstance(results, list):
        raise UpdateRefused(f"{url}: expected a Federal Register search answer with 'results'")
    notices = [r for r in results if isinstance(r, dict) and "1260H" in str(r.get("title", ""))
               and r.get("body_html_url") and r.get("publication_date")]
    if not notices:
        raise UpdateRefused(f"{url}: no Department of Defense document about §1260H with a full text")
    notice = max(notices, key=lambda r: str(r["publication_date"]))
    published = str(notice["publication_date"])
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        raise UpdateRefused(f"{url}: publication_date {published!r} is not an ISO date")
    path = staging / "1260h.html"
    body_url = str(notice["body_html_url"])
    download_file(client, body_url, path)
    source = str(notice.get("html_url") or body_url)
    return Fetched(parse_1260h_notice(path.read_bytes(), source, published), _sha(path), source, published)


# -- US §1286: the DoD PDF ------------------------------------------------------------------------------------

_COUNTRIES_OF_CONCERN = ("China", "Russia", "Iran", "North Korea")
_ROW = re.compile(r"^(?P<name>[A-Z0-9][^\u3000-\u9fff\u0400-\u04ff]*?)\s*(?P<native>[\u3000-\u9fff\u0400-\u04ff].*?)?\s+"
                  r"(?P<country>China|Russia|Iran|North Korea)\s*$")
_FISCAL_YEAR = re.compile(r"\b(?:FY\s?|Fiscal Year\s)(20\d{2})\b")
_PDF_LINK = re.compile(rb'href="([^"]*1286[^"]*\.pdf)"', re.I)


def parse_1286_pdf(path: Path, source: str, published: str) -> list[ListedEntry]:
    """Table 1 rows of the §1286 PDF: lines "English name [native name] Country of concern"."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise ListFormatError(path, f"unreadable PDF ({exc})") from None
    year = _FISCAL_YEAR.search(text)
    if year is None:
        raise ListFormatError(path, "no fiscal year (FY20xx) printed in the PDF")
    entries = []
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if row is None or row.group("name").lower().startswith(("table", "foreign", "institution")):
            continue
        aliases = (row.group("native").strip(),) if row.group("native") else ()
        entries.append(ListedEntry(list="us_1286", name=row.group("name").strip(), edition=f"FY{year.group(1)}",
                                   aliases=aliases, country=to_iso2(row.group("country")), start=published,
                                   category="institution", source_url=source))
    if not entries:
        raise ListFormatError(path, "no Table 1 rows (name … country of concern) found: layout changed?")
    return entries


def fetch_1286(client: httpx.Client, url: str, staging: Path) -> Fetched:
    if url.lower().endswith(".pdf"):
        pdf_url = url
    else:
        page = staging / "1286.html"
        download_file(client, url, page)
        link = _PDF_LINK.search(page.read_bytes())
        if link is None:
            raise UpdateRefused(f"{url}: no link to a PDF naming 1286 on the page")
        pdf_url = urljoin(url, link.group(1).decode())
    path = staging / "1286.pdf"
    modified = None
    try:
        head = client.head(pdf_url)
        modified = head.headers.get("Last-Modified")
    except httpx.HTTPError:
        pass  # the date then comes from the download day
    download_file(client, pdf_url, path)
    published = dt.date.today().isoformat()
    if modified:
        with contextlib.suppress(ValueError):  # an odd header: the download day stands
            published = dt.datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT").date().isoformat()
    return Fetched(parse_1286_pdf(path, pdf_url, published), _sha(path), pdf_url, published)


FETCHERS: dict[str, tuple[Callable[[httpx.Client, str, Path], Fetched], str]] = {
    "us_1286": (fetch_1286, SECTION_1286_PAGE),
    "us_1260h": (fetch_1260h, FEDERAL_REGISTER_SEARCH),
    "ca_nro": (fetch_nro, NRO_URL),
}
ALL_LISTS = (*FETCHERS, *SNAPSHOT_LISTS)


# -- activation -------------------------------------------------------------------------------------------------


def _meta_path(data_dir: Path, list_name: str) -> Path:
    return DesignationBook.store_dir(data_dir) / "meta" / f"{list_name}.json"


def active_meta(data_dir: Path, list_name: str) -> dict[str, object] | None:
    """Date, URL, sha256 and entry count of the active version of ``list_name`` (None: never updated)."""
    path = _meta_path(data_dir, list_name)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def _saved_count(data_dir: Path, list_name: str) -> int:
    path = DesignationBook.store_dir(data_dir) / f"{list_name}.json"
    if not path.is_file():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    return len(data) if isinstance(data, list) else 0


def activate(data_dir: Path, list_name: str, fetched: Fetched, *, force: bool, now: str) -> UpdateReport:
    """Check ``fetched`` against the active version and make it active, or refuse with the reason."""
    meta = active_meta(data_dir, list_name)
    if meta is not None and meta.get("sha256") == fetched.sha256:
        meta["checked_at"] = now
        _meta_path(data_dir, list_name).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return UpdateReport(list_name, UpdateStatus.UNCHANGED, f"unchanged since {meta.get('retrieved_at')} / 変更なし")
    previous = _saved_count(data_dir, list_name)
    if previous and not force:
        drop = (previous - len(fetched.entries)) / previous
        if drop > MAX_DROP:
            return UpdateReport(list_name, UpdateStatus.REFUSED,
                                f"{list_name}: {len(fetched.entries)} entries is {drop:.0%} fewer than the active "
                                f"version's {previous} (limit {MAX_DROP:.0%}); the download may be partial. Check "
                                f"it, then use --force / 件数が前回より{drop:.0%}減少したため拒否しました")
    folder = DesignationBook.store_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    current = folder / f"{list_name}.json"
    if current.is_file():
        history = folder / "history"
        history.mkdir(parents=True, exist_ok=True)
        stamp = str((meta or {}).get("retrieved_at", "imported")).replace(":", "")
        shutil.copyfile(current, history / f"{list_name}-{stamp}.json")
    # Written to a temporary file and renamed: a crash never leaves a half-written active list.
    temporary = current.with_suffix(".json.partial")
    temporary.write_text(json.dumps([e.to_json() for e in fetched.entries], ensure_ascii=False, indent=1),
                         encoding="utf-8")
    temporary.replace(current)
    new_meta = {"list": list_name, "edition": fetched.edition, "retrieved_at": now, "checked_at": now,
                "source_url": fetched.url, "sha256": fetched.sha256, "entries": len(fetched.entries)}
    _meta_path(data_dir, list_name).parent.mkdir(parents=True, exist_ok=True)
    _meta_path(data_dir, list_name).write_text(json.dumps(new_meta, indent=1), encoding="utf-8")
    return UpdateReport(list_name, UpdateStatus.ACTIVATED,
                        f"activated {len(fetched.entries)} entries, edition {fetched.edition} / 更新しました")


def update_designations(
    data_dir: Path,
    lists: Sequence[str] | None = None,
    *,
    client: httpx.Client | None = None,
    force: bool = False,
    urls: dict[str, str] | None = None,
    now: Callable[[], str] | None = None,
) -> list[UpdateReport]:
    """Fetch, check and activate each list; one report per list. A failure never touches the active version."""
    wanted = list(lists or ALL_LISTS)
    unknown = [name for name in wanted if name not in ALL_LISTS]
    if unknown:
        raise ValueError(f"unknown list(s) {', '.join(unknown)}; one of {', '.join(ALL_LISTS)}")
    clock = now or (lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    http = client or default_client()
    reports: list[UpdateReport] = []
    try:
        for name in wanted:
            if name in SNAPSHOT_LISTS:
                continue
            fetch, default_url = FETCHERS[name]
            staging = Path(tempfile.mkdtemp(prefix=f"techguard-{name}-"))
            try:
                fetched = fetch(http, (urls or {}).get(name, default_url), staging)
                reports.append(activate(data_dir, name, fetched, force=force, now=clock()))
            except DownloadError as exc:
                reports.append(UpdateReport(name, UpdateStatus.FAILED, str(exc)))
            except (UpdateRefused, ListFormatError) as exc:
                reports.append(UpdateReport(name, UpdateStatus.REFUSED, str(exc)))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        sources = [SNAPSHOT_LISTS[name] for name in wanted if name in SNAPSHOT_LISTS]
        if sources:
            from techguard.lists.store import SnapshotStore

            store = SnapshotStore(data_dir / "lists")
            for name, report in zip([n for n in wanted if n in SNAPSHOT_LISTS],
                                    store.update(sources, force=force, client=http), strict=True):
                reports.append(UpdateReport(name, report.status, f"{report.source}: {report.message}",
                                            report.snapshot, report.previous_id))
    finally:
        if client is None:
            http.close()
    return reports


__all__ = [
    "ALL_LISTS",
    "FEDERAL_REGISTER_SEARCH",
    "FETCHERS",
    "SECTION_1286_PAGE",
    "SNAPSHOT_LISTS",
    "Fetched",
    "activate",
    "active_meta",
    "fetch_1260h",
    "fetch_1286",
    "fetch_nro",
    "parse_1260h_notice",
    "parse_1286_pdf",
    "update_designations",
]
