"""The Japanese rule tables as data: building them from parsed e-Gov XML, writing and loading them.

Files (in ``src/techguard/rules/jp/data/``, or a directory written by ``techguard rules update --jp``):

* ``export_order_appendix1.json`` — 輸出令別表第一, one row per 項/号/sub-item with citation and source date;
* ``export_order_destinations.json`` — 別表第三 (グループA), 別表第三の二, 別表第三の三, 別表第四;
* ``catchall_hs.json`` — the HS scope of 16の項（1） (貨物等省令第14条の2, transcribed) and the 関税定率法 chapters
  of 16の項（2） (parsed from 別表第一).

Every row carries ``citation`` and ``source_date`` (the date the law text is in force from).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from techguard.rules.jp.egov import AppendixRow, LawTables, appendix3_3_items, normalise_number

PACKAGE_DATA = Path(__file__).parent / "data"
APPENDIX1_FILE = "export_order_appendix1.json"
DESTINATIONS_FILE = "export_order_destinations.json"
CATCHALL_HS_FILE = "catchall_hs.json"
TABLE_FILES = (APPENDIX1_FILE, DESTINATIONS_FILE, CATCHALL_HS_FILE)
EGOV_LAW_URL = "https://laws.e-gov.go.jp/law/{law_id}"


class TableError(ValueError):
    """A rule-table file is missing or malformed; names the file and the field."""


@dataclass(frozen=True, slots=True)
class JpTables:
    appendix1: dict[str, dict[str, str]]  # label ("7の項（1）") -> row
    group_a: frozenset[str]  # 別表第三
    un_arms_embargo: frozenset[str]  # 別表第三の二
    concern: frozenset[str]  # 別表第四
    small_value_by_notice: frozenset[str]  # 別表第三の三 rows covered when a 告示 designates the goods
    small_value_whole: frozenset[str]  # 別表第三の三 項 covered entirely (15の項)
    catchall_16_1_hs: tuple[str, ...]  # HS prefixes in 16の項（1）
    catchall_16_1_hs_excluded: tuple[str, ...]
    catchall_16_2_chapters: frozenset[str]  # 関税定率法 chapters in 16の項（2）
    dates: dict[str, str]  # table name -> source date


def _chapters_16_2(text: str) -> list[str]:
    """``別表第二五類から第四〇類まで、…第六三類、…又は第九五類`` → ["25", …, "40", …, "63", …, "95"]."""
    chapters: list[str] = []
    for match in re.finditer(
        r"第([〇一二三四五六七八九十]+)類(?:から第([〇一二三四五六七八九十]+)類まで)?", text
    ):
        first = int(normalise_number(match.group(1)))
        last = int(normalise_number(match.group(2))) if match.group(2) else first
        chapters.extend(f"{n:02d}" for n in range(first, last + 1))
    return chapters


def build_documents(law: LawTables, catchall_16_1: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The table files for one 輸出令 revision (``catchall_16_1``: the transcribed 貨物等省令 14条の2 part)."""
    date = law.text_date
    source = {
        "law": law.law_title,
        "law_num": law.law_num,
        "law_id": law.law_id,
        "revision_id": law.revision_id,
        "source_date": date,
        "url": EGOV_LAW_URL.format(law_id=law.law_id),
        "generated_by": "techguard.rules.jp.update (parser: techguard.rules.jp.egov)",
    }

    def row(r: AppendixRow) -> dict[str, str]:
        return {
            "label": r.label,
            "kou": r.kou,
            "sub": r.sub,
            "subitem": r.subitem,
            "text": r.text,
            "region": r.region,
            "citation": f"輸出令別表第一 {r.label}",
            "source_date": date,
        }

    by_notice, whole = appendix3_3_items(law.appendix3_3_text)
    row_16_2 = next((r for r in law.appendix1 if r.kou == "16" and r.sub == "2" and not r.subitem), None)
    if row_16_2 is None:
        raise TableError(f"{law.revision_id or law.law_id}: 別表第一 has no 16の項（2） row")

    def countries(name: str, codes: tuple[str, ...], meaning: str) -> dict[str, Any]:
        return {
            "citation": f"輸出令{name}",
            "source_date": date,
            "meaning": meaning,
            "countries": list(codes),
        }

    return {
        APPENDIX1_FILE: {
            "table": "輸出令別表第一",
            "source": source,
            "rows": [row(r) for r in law.appendix1],
        },
        DESTINATIONS_FILE: {
            "table": "輸出令別表第三・第三の二・第三の三・第四",
            "source": source,
            "group_a": countries("別表第三", law.group_a, "グループA: outside the catch-all (16の項)"),
            "un_arms_embargo": countries(
                "別表第三の二",
                law.un_arms_embargo,
                "UN arms embargo: conventional-weapons 用途要件 for all 16の項",
            ),
            "concern": countries("別表第四", law.concern, "no small-value exemption (輸出令4条1項5号)"),
            "small_value_50000_yen": {
                "citation": "輸出令別表第三の三",
                "source_date": date,
                "meaning": "goods whose small-value limit is ¥50,000 instead of ¥1,000,000 (輸出令4条1項5号)",
                "rows_when_designated_by_notice": list(by_notice),
                "whole_items": list(whole),
                "text": law.appendix3_3_text,
            },
        },
        CATCHALL_HS_FILE: {
            "table": "16の項 HS scope",
            "source": source,
            "16_1": catchall_16_1,
            "16_2": {
                "citation": "輸出令別表第一 16の項（2）",
                "source_date": date,
                "tariff_chapters": _chapters_16_2(row_16_2.text),
                "text": row_16_2.text,
            },
        },
    }


def write_documents(documents: dict[str, dict[str, Any]], out_dir: Path) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for name, document in documents.items():
        path = out_dir / name
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append(str(path))
    return written


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TableError(f"{path}: rule table missing (run `techguard rules update --jp`)") from None
    except json.JSONDecodeError as exc:
        raise TableError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise TableError(f"{path}: expected a JSON object")
    return data


def _field(data: dict[str, Any], path: str, source: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise TableError(f"{source}: field {path!r} missing")
        value = value[key]
    return value


def tables_directory() -> Path:
    """Tables written by ``techguard rules update --jp`` into the data directory win over the packaged ones."""
    from techguard.config import data_dir

    try:
        updated = data_dir() / "rules" / "jp"
    except OSError:  # no writable data directory (read-only install): the packaged tables are all there is
        return PACKAGE_DATA
    if all((updated / name).is_file() for name in TABLE_FILES):
        return updated
    return PACKAGE_DATA


def load_tables(directory: Path = PACKAGE_DATA) -> JpTables:
    """The tables in ``directory``, re-read when a file there changes (e.g. after ``rules update --jp``)."""
    stamps = tuple(
        (directory / name).stat().st_mtime_ns if (directory / name).exists() else 0 for name in TABLE_FILES
    )
    return _load_tables(directory, stamps)


@cache
def _load_tables(directory: Path, stamps: tuple[int, ...]) -> JpTables:  # stamps: part of the cache key
    appendix = _read(directory, APPENDIX1_FILE)
    destinations = _read(directory, DESTINATIONS_FILE)
    hs = _read(directory, CATCHALL_HS_FILE)
    rows: dict[str, dict[str, str]] = {}
    for index, row in enumerate(_field(appendix, "rows", APPENDIX1_FILE)):
        for key in ("label", "kou", "text", "region", "citation", "source_date"):
            if not isinstance(row.get(key), str):
                raise TableError(f"{directory / APPENDIX1_FILE}: record {index + 1}: field {key!r} missing")
        rows[row["label"]] = row
    d_src = str(directory / DESTINATIONS_FILE)
    h_src = str(directory / CATCHALL_HS_FILE)
    return JpTables(
        appendix1=rows,
        group_a=frozenset(_field(destinations, "group_a.countries", d_src)),
        un_arms_embargo=frozenset(_field(destinations, "un_arms_embargo.countries", d_src)),
        concern=frozenset(_field(destinations, "concern.countries", d_src)),
        small_value_by_notice=frozenset(
            _field(destinations, "small_value_50000_yen.rows_when_designated_by_notice", d_src)
        ),
        small_value_whole=frozenset(_field(destinations, "small_value_50000_yen.whole_items", d_src)),
        catchall_16_1_hs=tuple(_field(hs, "16_1.hs_include", h_src)),
        catchall_16_1_hs_excluded=tuple(_field(hs, "16_1.hs_exclude", h_src)),
        catchall_16_2_chapters=frozenset(_field(hs, "16_2.tariff_chapters", h_src)),
        dates={
            "jp_export_order_appendix1": str(_field(appendix, "source.source_date", APPENDIX1_FILE)),
            "jp_export_order_destinations": str(_field(destinations, "source.source_date", d_src)),
            "jp_catchall_hs_16_1": str(_field(hs, "16_1.source_date", h_src)),
        },
    )


__all__ = [
    "CATCHALL_HS_FILE",
    "PACKAGE_DATA",
    "TABLE_FILES",
    "JpTables",
    "TableError",
    "build_documents",
    "load_tables",
    "tables_directory",
    "write_documents",
]
