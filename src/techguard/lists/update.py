"""Downloading official list files: streamed to disk, checked for completeness, never trusted half-way.

Only fetching lives here; parsing, sanity checks and activation are the store's job
(:meth:`techguard.lists.store.SnapshotStore.update`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx

from techguard import __version__
from techguard.lists.errors import ListError, UpdateRefused
from techguard.lists.snapshot import SnapshotInfo
from techguard.lists.sources import Discovery, OfficialSource

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=20.0)
USER_AGENT = f"techguard/{__version__} (export-control screening; list update)"


class DownloadError(ListError):
    """The file could not be fetched (network, HTTP status, no link found). Nothing was changed."""


class UpdateStatus(StrEnum):
    ACTIVATED = "activated"  # a new snapshot is now active
    UNCHANGED = "unchanged"  # the publisher's file is byte-identical to the active snapshot
    REFUSED = "refused"  # fetched but failed a sanity check / parse; the previous snapshot stays active
    FAILED = "failed"  # could not fetch (or the source cannot be updated); the previous snapshot stays active


@dataclass(frozen=True, slots=True)
class UpdateReport:
    source: str
    status: UpdateStatus
    message: str
    snapshot: SnapshotInfo | None = None  # the active snapshot after the update (new or unchanged)
    previous_id: str | None = None  # the snapshot that was active before

    @property
    def ok(self) -> bool:
        return self.status in (UpdateStatus.ACTIVATED, UpdateStatus.UNCHANGED)

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "status": self.status.value,
            "message": self.message,
            "snapshot_id": self.snapshot.snapshot_id if self.snapshot else None,
            "previous_id": self.previous_id,
        }


def default_client() -> httpx.Client:
    return httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def download_source(source: OfficialSource, client: httpx.Client, dest: Path) -> tuple[list[Path], str]:
    """Fetch every file of ``source`` into ``dest``; returns the local paths and the (first) file URL."""
    if not source.updatable:
        if source.covered_by:
            raise DownloadError(
                f"{source.code} is covered by {source.covered_by}; update that instead, or import the file by hand"
            )
        raise DownloadError(
            f"{source.code} has no automatic download; fetch it from {source.landing_page} and run "
            f"'techguard lists import FILE --format {source.format} --source {source.code}'"
        )
    if source.discovery is Discovery.METI_XLSX_LINK:
        page_url = source.urls[0]
        page = _get(client, page_url)
        urls = [find_meti_xlsx_link(page.content, str(page.url))]
    else:
        urls = list(source.urls)
    paths = []
    for url, name in zip(urls, source.local_names, strict=True):
        target = dest / name
        download_file(client, url, target)
        paths.append(target)
    return paths, urls[0]


def download_file(client: httpx.Client, url: str, target: Path) -> int:
    """Stream ``url`` to ``target``; refuse a body shorter than its Content-Length or an empty one."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            expected = response.headers.get("Content-Length")
            written = 0
            with target.open("wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
                    written += len(chunk)
            # Content-Length counts the bytes on the wire: compressed ones when a Content-Encoding applies
            encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
            received = response.num_bytes_downloaded if encoded else written
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: download failed: {type(exc).__name__}: {exc}") from exc
    if expected is not None and expected.isdigit() and received < int(expected):
        raise UpdateRefused(f"{url}: incomplete download, {received} of {expected} bytes")
    if written == 0:
        raise UpdateRefused(f"{url}: the server sent an empty file")
    return received


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: download failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise DownloadError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    return response


_DATE_IN_NAME = re.compile(r"(20\d{6})")
_EUL_WORDS = ("ユーザーリスト", "end user list", "end-user list")


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, link text)
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def find_meti_xlsx_link(html: bytes, page_url: str) -> str:
    """The newest End User List ``.xlsx`` linked from METI's page.

    METI names the file after the revision date (``20250929_4.xlsx``), so among the Excel links (those
    whose text or name mentions the End User List first) the one with the latest date wins.
    """
    parser = _LinkCollector()
    parser.feed(html.decode("utf-8", errors="replace"))
    xlsx = [(href, text) for href, text in parser.links if href.split("?")[0].lower().endswith(".xlsx")]
    if not xlsx:
        raise DownloadError(f"{page_url}: no .xlsx link found on the page (METI may have changed its layout)")
    about_eul = [(h, t) for h, t in xlsx if any(w in (h + " " + t).lower() for w in _EUL_WORDS)]
    candidates = about_eul or xlsx

    def revision(link: tuple[str, str]) -> str:
        dates = _DATE_IN_NAME.findall(link[0].rsplit("/", 1)[-1])
        return max(dates) if dates else ""

    best = max(candidates, key=revision)  # max() keeps the first of equals: page order breaks ties
    return urljoin(page_url, best[0])


__all__ = [
    "DownloadError",
    "UpdateReport",
    "UpdateStatus",
    "default_client",
    "download_file",
    "download_source",
    "find_meti_xlsx_link",
]
