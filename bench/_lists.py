"""Loading the real list snapshots in ../shared for the screening benchmark (through techguard's parsers)."""

from __future__ import annotations

import os
from pathlib import Path

from techguard.lists.detect import detect_format
from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.model import Party

SHARED = (
    Path(os.environ.get("TECHGUARD_SHARED", Path(__file__).resolve().parents[1].parent / "shared")) / "data"
)
LISTS = SHARED / "lists"
EVAL = SHARED / "eval" / "screening"


def load(relative: str, fmt: str | None = None) -> list[Party]:
    path = LISTS / relative
    if relative.endswith("csl.csv"):
        # the shared CSL file is a subset whose last record is cut off; the strict format refuses it
        from techguard.lists.formats.csl import parse_csv

        return list(parse_csv([path], accept_truncated_end=True).parties)
    code = fmt or detect_format(path)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    return list(get_format(code).parse(files).parties)


def all_lists() -> dict[str, list[Party]]:
    """Every list snapshot a format exists for; a missing parser is reported, not hidden."""
    wanted = {
        "sdn": "us_ofac_sdn_2021-07-07",
        "cons": "us_ofac_consolidated_nonsdn_2025-12-19",
        "csl": "us_csl_2023-11-30/csl.csv",
        "dpl": "us_bis_dpl_2023-11-30/dpl.txt",
        "un": "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
        "meti": "jp_meti_end_user_list_2025-09-29/jp.json",
        "mofcom": "cn_mofcom_lists_2026-07-19/cn.json",
    }
    out: dict[str, list[Party]] = {}
    for label, relative in wanted.items():
        try:
            out[label] = load(relative)
        except (KeyError, ValueError, OSError, ListFormatError) as exc:
            print(f"  ! {label}: not loaded ({exc})")
    return out


def japanese_lists() -> dict[str, list[Party]]:
    """METI's 外為法 export-ban lists (text extracted from the PDFs) and MOF's asset-freeze list: Japanese
    primary names with English renderings, used for the labelled pairs (bench/pairs.py)."""
    from techguard.lists.formats import get_format as format_of

    out: dict[str, list[Party]] = {}
    ban = LISTS / "jp_meti_russia_belarus_lists_2025-09-12"
    try:
        out["meti_ban"] = list(format_of("meti_ban_text").parse(sorted(ban.glob("*tokutei*.txt"))).parties)
        out["mof"] = load("jp_mof_asset_freeze_2026-03-05/shisantouketsu20260305.xlsx")
    except (KeyError, ValueError, OSError, ListFormatError) as exc:
        print(f"  ! Japanese lists: not loaded ({exc})")
    return out
