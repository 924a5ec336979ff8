"""Regenerate the Japanese rule tables from e-Gov 法令API v2 (``techguard rules update --jp``).

``GET https://laws.e-gov.go.jp/api/2/law_data/{law_id}?law_full_text_format=xml`` answers JSON:
``{"law_info": {...}, "revision_info": {"law_revision_id": "324CO0000000378_20260214_…",
"amendment_enforcement_date": "2026-02-14", ...}, "law_full_text": "<base64 of the law XML>"}``.
The XML is parsed by :mod:`techguard.rules.jp.egov` and written as the table files of
:mod:`techguard.rules.jp.tables`. Nothing is written unless every table parses.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

import httpx

from techguard.rules.jp.egov import EXPORT_ORDER_LAW_ID, EgovXmlError, LawTables, parse_export_order
from techguard.rules.jp.tables import (
    PACKAGE_DATA,
    TABLE_FILES,
    TableError,
    build_documents,
    load_tables,
    write_documents,
)
from techguard.rules.table_versions import archive_current

EGOV_API = "https://laws.e-gov.go.jp/api/2/law_data/{law_id}"
CATCHALL_16_1_SOURCE = PACKAGE_DATA / "catchall_16_1_source.json"


class UpdateError(RuntimeError):
    """The e-Gov download or its content was unusable; names the URL and what was wrong."""


def decode_law_data(payload: bytes, *, url: str) -> tuple[str, bytes]:
    """(revision id, law XML bytes) from an e-Gov API v2 ``law_data`` JSON response."""
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UpdateError(f"{url}: response is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UpdateError(f"{url}: expected a JSON object")
    revision = data.get("revision_info")
    revision_id = revision.get("law_revision_id") if isinstance(revision, dict) else None
    if not isinstance(revision_id, str) or not revision_id:
        raise UpdateError(f"{url}: field 'revision_info.law_revision_id' missing")
    full_text = data.get("law_full_text")
    if not isinstance(full_text, str) or not full_text:
        raise UpdateError(f"{url}: field 'law_full_text' missing (ask with law_full_text_format=xml)")
    if full_text.lstrip().startswith("<"):
        return revision_id, full_text.encode("utf-8")
    try:
        return revision_id, base64.b64decode(full_text, validate=True)
    except (binascii.Error, ValueError):
        raise UpdateError(f"{url}: field 'law_full_text' is neither XML nor base64") from None


def fetch_export_order(client: httpx.Client, law_id: str = EXPORT_ORDER_LAW_ID) -> LawTables:
    url = EGOV_API.format(law_id=law_id)
    try:
        response = client.get(
            url, params={"law_full_text_format": "xml"}, headers={"Accept": "application/json"}
        )
    except httpx.HTTPError as exc:
        raise UpdateError(f"{url}: download failed ({exc})") from None
    if response.status_code != 200:
        raise UpdateError(f"{url}: HTTP {response.status_code}")
    revision_id, xml = decode_law_data(response.content, url=url)
    try:
        return parse_export_order(xml, source=url, revision_id=revision_id)
    except EgovXmlError as exc:
        raise UpdateError(str(exc)) from None


def _catchall_16_1() -> dict[str, Any]:
    data = json.loads(CATCHALL_16_1_SOURCE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("hs_include"), list):
        raise TableError(f"{CATCHALL_16_1_SOURCE}: field 'hs_include' missing")
    return data


def update_tables(client: httpx.Client | None = None, out_dir: Path | None = None) -> list[str]:
    """Download 輸出令 from e-Gov, parse it and write the table files; returns the paths written.

    ``out_dir`` defaults to ``<data dir>/rules/jp`` (read in preference to the packaged tables).
    """
    if out_dir is None:
        from techguard.config import data_dir

        out_dir = data_dir() / "rules" / "jp"
    own_client = client is None
    http = client or httpx.Client(timeout=60.0, follow_redirects=True, headers={"User-Agent": "techguard"})
    try:
        law = fetch_export_order(http)
    finally:
        if own_client:
            http.close()
    if len(law.appendix1) < 100 or not law.group_a:
        raise UpdateError(
            f"{law.revision_id}: only {len(law.appendix1)} 別表第一 rows parsed; refusing to write"
        )
    # an update adds a version: the set there now is kept under versions/<its text date>/ first
    archive_current(out_dir, TABLE_FILES, lambda d: load_tables(d).dates["jp_export_order_appendix1"])
    return write_documents(build_documents(law, _catchall_16_1()), out_dir)


def generate_from_xml(xml_path: Path, out_dir: Path) -> list[str]:
    """Write the table files from a saved e-Gov XML file (how the packaged tables were produced)."""
    from techguard.rules.jp.egov import parse_export_order_file

    return write_documents(build_documents(parse_export_order_file(xml_path), _catchall_16_1()), out_dir)


__all__ = [
    "EGOV_API",
    "UpdateError",
    "decode_law_data",
    "fetch_export_order",
    "generate_from_xml",
    "update_tables",
]
