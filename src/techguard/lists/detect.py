"""Guess a list file's format from its name and first bytes, for ``--list-format``-less commands."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from techguard.i18n import multilingual
from techguard.lists.errors import ListFormatError

_SNIFF_BYTES = 64 * 1024

# exact file names (lower case) → format
_BY_NAME = {
    "sdn.csv": "ofac_sdn_csv",
    "alt.csv": "ofac_sdn_csv",
    "add.csv": "ofac_sdn_csv",
    "sdn_comments.csv": "ofac_sdn_csv",
    "cons_prim.csv": "ofac_cons_csv",
    "cons_alt.csv": "ofac_cons_csv",
    "cons_add.csv": "ofac_cons_csv",
    "cons_comments.csv": "ofac_cons_csv",
    "dpl.txt": "bis_dpl",
    "conlist.csv": "uk_conlist_csv",
    "uk-sanctions-list.xml": "uk_sanctions_xml",
    "uk-sanctions-list.csv": "uk_sanctions_csv",
}


def detect_format(path: Path) -> str:
    """The format code for ``path`` (a file, or a folder of OFAC CSVs).

    Raises :class:`ListFormatError` naming the file and the known formats when nothing fits.
    """
    path = Path(path)
    if path.is_dir():
        names = {p.name.lower() for p in path.iterdir()}
        if "sdn.csv" in names:
            return "ofac_sdn_csv"
        if "cons_prim.csv" in names:
            return "ofac_cons_csv"
        raise _unknown(path, "a folder without sdn.csv or cons_prim.csv")
    if not path.is_file():
        raise ListFormatError(path, multilingual("file not found"))
    name = path.name.lower()
    if name in _BY_NAME:
        return _BY_NAME[name]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _detect_xlsx(path)
    if suffix == ".pdf":
        return _detect_pdf(path)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    text = _decode(head)
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _detect_xml(path, stripped)
    if stripped.startswith(("{", "[")):
        return _detect_json(path, stripped)
    return _detect_text(path, text)


def _decode(head: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    # a multi-byte character cut by the sniff limit: good enough for looking at the first lines
    return head.decode("utf-8", errors="ignore")


def _detect_xml(path: Path, text: str) -> str:
    if "<CONSOLIDATED_LIST" in text:
        return "un_sc_xml"
    if "fsd/export" in text or "<sanctionEntity" in text:
        return "eu_fsf_xml"
    if "<Designations" in text and "<Designation>" in text:
        return "uk_sanctions_xml"
    raise _unknown(path, "an XML file that is neither the UN consolidated list nor the EU FSF export")


def _detect_json(path: Path, text: str) -> str:
    first_line = text.split("\n", 1)[0].strip()
    try:
        first = json.loads(first_line)
    except ValueError:
        first = None
    if isinstance(first, dict) and "schema" in first and "properties" in first:
        return "ftm_json"
    if text.startswith("{") and '"results"' in text[:4096]:
        return "csl_json"
    if text.startswith("[") and '"entity_name"' in text:
        # the two third-party parses share a shape; their ids and source URLs tell them apart
        if '"jp-eul-' in text or "meti.go.jp" in text:
            return "meti_eul_json"
        if "mofcom" in text or '"cn-' in text:
            return "mofcom_json"
    raise _unknown(path, "a JSON file of no known shape")


def _detect_text(path: Path, text: str) -> str:
    first = text.split("\n", 1)[0].strip().lower()
    columns = [c.strip().strip('"') for c in first.split(",")]
    if first.startswith("_id,source") or first.startswith('"_id","source"'):
        return "csl_csv"
    if columns[:2] == ["id", "name"]:
        return "simple_csv"
    if first.startswith('"name"\t"street_address"') or first.startswith("name\tstreet_address"):
        return "bis_dpl"
    if first.startswith("report date:") and "unique id" in text[:4096].lower():
        return "uk_sanctions_csv"
    if first.startswith("last updated") or first.startswith(",name 6,name 1") or first.startswith("name 6,"):
        return "uk_conlist_csv"
    if "外務省告示" in text[:2000] or "最終更新日" in text[:2000]:
        return "meti_ban_text"
    raise _unknown(path, f"a text file starting with {first[:60]!r}")


def _detect_xlsx(path: Path) -> str:
    # Look at the workbook's XML directly: openpyxl would parse MOF's 45-sheet workbook for seconds.
    if not zipfile.is_zipfile(path):
        raise ListFormatError(path, "has the .xlsx extension but is not an Excel workbook")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise ListFormatError(path, "is a ZIP file but not an Excel workbook (no xl/workbook.xml)")
        workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="ignore")
        strings = ""
        if "xl/sharedStrings.xml" in names:
            with archive.open("xl/sharedStrings.xml") as fh:
                strings = fh.read(_SNIFF_BYTES * 4).decode("utf-8", errors="ignore")
    if "Company or Organization" in strings or "企業名" in strings:
        return "meti_eul_xlsx"
    if "資産凍結" in strings or "外為法" in strings or workbook.count("<sheet ") > 20:
        return "mof_jp_xlsx"
    raise _unknown(path, "an Excel workbook of no known layout")


def _detect_pdf(path: Path) -> str:
    if "tokutei" in path.name.lower():
        return "meti_ban_pdf"
    raise _unknown(path, "a PDF other than METI's export-ban lists (list_*_tokutei.pdf)")


def _unknown(path: Path, what: str) -> ListFormatError:
    from techguard.lists.formats import all_formats  # lazy: importing every parser is not free

    known = ", ".join(sorted(all_formats()))
    return ListFormatError(
        path,
        f"cannot tell the list format: {what}. Give it with --format (known formats: {known}) "
        "/ 形式を判別できません（--format で指定してください）",
    )


__all__ = ["detect_format"]
