"""Build the catalogue from saved source files (``build --from DIR``) or from eCFR and e-Gov (``update``).

Sources, official first: eCFR XML of Part 774 (else a parsed CCL JSON with paragraph items), e-Gov XML of
輸出令 / 外為令 / 貨物等省令 (else the row JSON / Markdown renderings of them). A missing source is an error
that names what was looked for; nothing is written by these functions (see :mod:`techguard.catalogue.store`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import httpx

from techguard.catalogue import jp, us
from techguard.catalogue.crosswalk import build_crosswalk
from techguard.catalogue.model import Catalogue, CatalogueError, Entry, Source
from techguard.rules.jp.egov import EXPORT_ORDER_LAW_ID
from techguard.rules.jp.update import EGOV_API, UpdateError, decode_law_data
from techguard.rules.us.ecfr import EcfrError, fetch_part, latest_issue_date

Reader = Callable[[Path], tuple[list[Entry], Source]]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _find(dirs: list[Path], patterns: list[str]) -> Path | None:
    for pattern in patterns:
        for directory in dirs:
            found = sorted(p for p in directory.rglob(pattern) if p.is_file() and "crosscheck" not in p.name)
            if found:
                return found[-1]
    return None


def _project_headings() -> dict[str, dict[str, object]]:
    """ECCN headings of the project's rule table (``rules/us/data/ccl.json``), to fill ECCNs a source lacks."""
    path = resources.files("techguard.rules.us") / "data" / "ccl.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("entries", {})
    return entries if isinstance(entries, dict) else {}


def _ccl(path: Path) -> tuple[list[Entry], Source]:
    payload = path.read_bytes()
    if path.suffix == ".xml":
        raws = us.raw_from_ecfr_xml(payload, location=str(path))
        issue = next((part for part in path.stem.split("_") if part[:2] == "20"), "")
        official = True
    else:
        raws, issue = us.raw_from_ccl_json(payload, location=str(path))
        official = False
    raws = us.merge_headings(raws, _project_headings())
    source = Source("ccl", "15 CFR Part 774, Supp. No. 1 (Commerce Control List)", str(path), issue,
                    _sha(payload), official)
    return us.ccl_entries(raws, source="ccl", as_of=issue), source


def _export_order(path: Path) -> tuple[list[Entry], Source]:
    payload = path.read_bytes()
    if path.suffix == ".xml":
        entries, date = jp.export_order_from_xml(payload, location=str(path), revision_id=path.stem)
    else:
        entries, date = jp.export_order_from_json(payload, location=str(path))
    return entries, Source("export_order", "輸出貿易管理令 別表第一", str(path), date, _sha(payload),
                           path.suffix == ".xml")


def _fx_order(path: Path) -> tuple[list[Entry], Source]:
    payload = path.read_bytes()
    if path.suffix == ".xml":
        entries, date = jp.fx_order_from_xml(payload, location=str(path), revision_id=path.stem)
    else:
        entries, date = jp.fx_order_from_json(payload, location=str(path))
    return entries, Source("fx_order", "外国為替令 別表", str(path), date, _sha(payload), path.suffix == ".xml")


def _ordinance_nodes(path: Path) -> tuple[list[jp.OrdinanceNode], Source]:
    payload = path.read_bytes()
    date = next((p[:4] + "-" + p[4:6] + "-" + p[6:8] for p in path.stem.split("_") if p.isdigit() and len(p) == 8), "")
    if path.suffix == ".xml":
        nodes = jp.ordinance_from_xml(payload, location=str(path))
    else:
        text = payload.decode("utf-8")
        nodes = jp.ordinance_from_markdown(text, location=str(path))
        if not date:
            date = next((p for p in path.stem.replace("__", "_").split("_") if p[:2] == "20" and "-" in p), "")
    title = "輸出貿易管理令別表第一及び外国為替令別表の規定に基づき貨物又は技術を定める省令"
    return nodes, Source("kamotsu_ordinance", title, str(path), date, _sha(payload), path.suffix == ".xml")


def assemble(ccl: tuple[list[Entry], Source], export_order: tuple[list[Entry], Source],
             fx_order: tuple[list[Entry], Source],
             ordinance: tuple[list[jp.OrdinanceNode], Source]) -> Catalogue:
    rows = {e.jp_item: e.text for e in [*export_order[0], *fx_order[0]]}
    ordinance_entries = jp.ordinance_entries(ordinance[0], rows=rows, as_of=ordinance[1].as_of)
    entries: dict[str, Entry] = {}
    for entry in [*ccl[0], *export_order[0], *fx_order[0], *ordinance_entries]:
        entries.setdefault(entry.id, entry)
    catalogue = Catalogue(
        entries=entries,
        sources=[ccl[1], export_order[1], fx_order[1], ordinance[1]],
        built_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
    build_crosswalk(catalogue)
    return catalogue


def build_from_dirs(dirs: list[Path]) -> Catalogue:
    """The catalogue from files saved under ``dirs`` (searched recursively; official XML preferred)."""
    for directory in dirs:
        if not directory.is_dir():
            raise CatalogueError(f"{directory}: not a directory")
    wanted = {
        "ccl": ["*774*.xml", "*ccl*.json"],
        "export_order": [f"{EXPORT_ORDER_LAW_ID}*.xml", "*export_order_appendix1*.json"],
        "fx_order": [f"{jp.FX_ORDER_LAW_ID}*.xml", "*gaitamerei_appendix*.json"],
        "kamotsu_ordinance": [f"{jp.KAMOTSU_LAW_ID}*.xml", "*kamotsu_ordinance*.md"],
    }
    found: dict[str, Path] = {}
    for name, patterns in wanted.items():
        path = _find(dirs, patterns)
        if path is None:
            where = ", ".join(str(d) for d in dirs)
            raise CatalogueError(f"{where}: no {name} source found (looked for {' or '.join(patterns)})")
        found[name] = path
    return assemble(_ccl(found["ccl"]), _export_order(found["export_order"]), _fx_order(found["fx_order"]),
                    _ordinance_nodes(found["kamotsu_ordinance"]))


def _egov(client: httpx.Client, law_id: str) -> tuple[str, bytes, str]:
    url = EGOV_API.format(law_id=law_id)
    try:
        response = client.get(url, params={"law_full_text_format": "xml"}, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise CatalogueError(f"{url}: download failed ({exc})") from None
    if response.status_code != 200:
        raise CatalogueError(f"{url}: HTTP {response.status_code}")
    try:
        revision_id, xml = decode_law_data(response.content, url=url)
    except UpdateError as exc:
        raise CatalogueError(str(exc)) from None
    return revision_id, xml, url


def build_online(client: httpx.Client, *, minimum_eccns: int = 500) -> Catalogue:
    """The catalogue from eCFR (latest issue of Title 15, Part 774) and e-Gov (輸出令, 外為令, 貨物等省令).

    A Part 774 parse with fewer than ``minimum_eccns`` ECCNs is refused (a changed XML layout, not a new CCL).
    """
    try:
        issue = latest_issue_date(client)
        xml, url = fetch_part(client, issue, "774")
    except EcfrError as exc:
        raise CatalogueError(str(exc)) from None
    parsed = us.raw_from_ecfr_xml(xml, location=url)
    with_paragraphs = sum(1 for r in parsed if r.paragraphs)
    if len(parsed) < minimum_eccns or with_paragraphs < minimum_eccns // 2:
        raise CatalogueError(f"{url}: only {len(parsed)} ECCNs ({with_paragraphs} with paragraphs) parsed; "
                             "refusing to use it / 解析できたECCNが少なすぎます")
    raws = us.merge_headings(parsed, _project_headings())
    ccl = (us.ccl_entries(raws, source="ccl", as_of=issue),
           Source("ccl", "15 CFR Part 774, Supp. No. 1 (Commerce Control List)", url, issue, _sha(xml), True))
    rev, eo_xml, eo_url = _egov(client, EXPORT_ORDER_LAW_ID)
    eo_entries, eo_date = jp.export_order_from_xml(eo_xml, location=eo_url, revision_id=rev)
    rev, fx_xml, fx_url = _egov(client, jp.FX_ORDER_LAW_ID)
    fx_entries, fx_date = jp.fx_order_from_xml(fx_xml, location=fx_url, revision_id=rev)
    rev, ko_xml, ko_url = _egov(client, jp.KAMOTSU_LAW_ID)
    nodes = jp.ordinance_from_xml(ko_xml, location=ko_url)
    ko_date = jp._revision_date(rev)
    return assemble(
        ccl,
        (eo_entries, Source("export_order", "輸出貿易管理令 別表第一", eo_url, eo_date, _sha(eo_xml), True)),
        (fx_entries, Source("fx_order", "外国為替令 別表", fx_url, fx_date, _sha(fx_xml), True)),
        (nodes, Source("kamotsu_ordinance", "貨物等省令", ko_url, ko_date, _sha(ko_xml), True)),
    )


__all__ = ["assemble", "build_from_dirs", "build_online"]
