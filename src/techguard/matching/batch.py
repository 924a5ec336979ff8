"""Batch screening: reading query files (CSV/XLSX in UTF-8, UTF-8 BOM or CP932), screening them on all
cores, and writing results (JSON lines, CSV, XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import multiprocessing
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techguard.matching.hits import Hit, hits_from_matches
from techguard.textio import TextEncodingError, read_text

if TYPE_CHECKING:
    from techguard.matching.screener import Match, Query, Screener

QUERY_COLUMNS = ("id", "name", "kind", "country", "dob", "identifier")
CHUNK = 64


class QueryFileError(ValueError):
    """A query file that cannot be read; the message names the file, line and field."""


def _decode(path: Path) -> str:
    try:
        return read_text(path).text
    except TextEncodingError as error:
        raise QueryFileError(str(error)) from None


# Excel in some locales saves "CSV" with ';', and "Unicode text" / copy-paste gives tab-separated files.
_DELIMITERS = (",", "\t", ";")


def _delimiter(header_line: str) -> str:
    """The header's separator: a comma unless the header has none but has tabs or semicolons."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


# Header names people write, in English, Japanese and Chinese, for each query column.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "no", "no.", "number", "番号", "管理番号", "整理番号", "编号", "序号", "ＩＤ"),
    "name": ("name", "full name", "full_name", "party", "entity", "entity name", "organisation", "organization",
             "名称", "氏名", "名前", "姓名", "企業名", "団体名", "機関名", "会社名", "法人名", "名稱", "名字",
             "公司名称", "单位名称", "機構名称", "机构名称"),
    "kind": ("kind", "type", "entity type", "種別", "区分", "種類", "类型", "類型", "类别"),
    "country": ("country", "nationality", "citizenship", "国", "国名", "国籍", "国・地域", "国/地域", "所在国",
                "國家", "国家", "国家/地区", "国家或地区", "國籍"),
    "dob": ("dob", "date of birth", "date_of_birth", "birth date", "birthdate", "生年月日", "出生日期", "生日"),
    "identifier": ("identifier", "passport", "passport number", "registration number", "registration_no",
                   "登録番号", "識別番号", "旅券番号", "法人番号", "护照号码", "注册号", "统一社会信用代码"),
}
_ALIAS = {alias.casefold(): column for column, aliases in HEADER_ALIASES.items() for alias in aliases}


def canonical_header(text: str) -> str:
    """A header cell as the query column it names (``名称`` → ``name``); other headers are kept as written."""
    import unicodedata

    cleaned = " ".join(unicodedata.normalize("NFKC", text).strip().split())
    return _ALIAS.get(cleaned.casefold(), cleaned.casefold())


def _check_header(path: Path, names: Sequence[str]) -> None:
    if "name" not in names:
        shown = ", ".join(repr(n) for n in names)
        raise QueryFileError(
            f"{path}: line 1: no 'name' column; the header needs one of name/名称/氏名/姓名 (optionally id, kind, "
            f"country/国/国籍, dob/生年月日); got {shown} / 1行目に名称の列（name・名称・氏名・姓名 など）がありません"
            f"（見出し: {shown}）"
        )


def _rows_from_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(path)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        if reader.fieldnames is None:
            raise QueryFileError(f"{path}: empty file (expected a header with at least 'name')")
        reader.fieldnames = [canonical_header(f) for f in reader.fieldnames]
        _check_header(path, reader.fieldnames)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
    except csv.Error as error:
        raise QueryFileError(f"{path}: line {reader.line_num + 1}: unreadable CSV ({error})") from None


def _rows_from_xlsx(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise QueryFileError(f"{path}: not a readable Excel workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise QueryFileError(f"{path}: empty sheet (expected a header with at least 'name')")
        names = [canonical_header(str(h)) if h is not None else "" for h in header]
        _check_header(path, names)
        for line, values in enumerate(rows, 2):
            yield (
                line,
                {n: _cell_text(v) for n, v in zip(names, values, strict=False) if n},
            )
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a user typed: 12 not 12.0 (Excel stores numbers as floats), dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_header(path: Path) -> list[str]:
    """The header cells of a query file as written (for outputs that keep every input column)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
            raise QueryFileError(f"{path}: not a readable Excel workbook ({error})") from None
        try:
            first = next(workbook.worksheets[0].iter_rows(values_only=True), None) or ()
        finally:
            workbook.close()
        return [str(h).strip() if h is not None else "" for h in first]
    text = _decode(path)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    return [h.strip() for h in next(csv.reader([header_line], delimiter=_delimiter(header_line)), [])]


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Every row as (line, {canonical column: text}) — the query columns under their canonical names
    (``名称`` → ``name``), any other column under its header folded to lower case."""
    path = Path(path)
    return _rows_from_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _rows_from_csv(path)


def read_queries(path: Path) -> Iterator[Query]:
    """Queries from a CSV or XLSX file with a header ``id,name`` and optional ``kind,country,dob``.

    A missing ``id`` column numbers the rows from 1. Wholly blank lines are skipped; a row with a blank
    name is kept (it screens to no matches) so that results stay one per row, in input order.
    """
    from techguard.matching.features import parse_kind
    from techguard.matching.screener import Query

    path = Path(path)
    for number, (line, row) in enumerate(read_rows(path), 1):
        if not any(row.values()):
            continue
        name = row.get("name", "")
        kind = row.get("kind") or None
        try:
            parse_kind(kind)
        except ValueError as exc:
            raise QueryFileError(f"{path}: line {line}: field 'kind': {exc}") from None
        yield Query(
            name=name,
            kind=kind,
            country=row.get("country") or None,
            dob=row.get("dob") or None,
            id=row.get("id") or str(number),
            identifier=row.get("identifier") or None,
        )


# ---------------------------------------------------------------- multiprocessing
_SHARED: Screener | None = None
_OPTIONS: tuple[int, float] = (5, 0.3)


# A match crosses the process boundary without its Party (the parent has the same parties, forked):
# (party position, score, alert, matched name, query name, explanation, related matches packed alike).
_Packed = tuple[int, float, bool, str, str, dict[str, Any], tuple[Any, ...]]


def _pack(screener: Screener, match: Match) -> _Packed:
    return (
        screener.position_of(match.party),
        match.score,
        match.alert,
        match.matched_name,
        match.query_name,
        match.explanation,
        tuple(_pack(screener, r) for r in match.related),
    )


def _unpack(screener: Screener, packed: _Packed) -> Match:
    from techguard.matching.screener import Match

    position, score, alert, matched_name, query_name, explanation, related = packed
    return Match(
        party=screener.parties[position],
        score=score,
        alert=alert,
        matched_name=matched_name,
        query_name=query_name,
        explanation=explanation,
        related=tuple(_unpack(screener, r) for r in related),
    )


def _screen_chunk(chunk: Sequence[Query]) -> list[list[_Packed]]:
    assert _SHARED is not None, "worker started without a screener"
    top, min_score = _OPTIONS
    return [[_pack(_SHARED, m) for m in _SHARED.screen(q, top=top, min_score=min_score)] for q in chunk]


def _chunks(items: Iterable[Query], size: int) -> Iterator[list[Query]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def screen_in_processes(
    screener: Screener,
    queries: Iterable[Query],
    *,
    top: int,
    min_score: float,
    workers: int,
    progress: Callable[[int], None] | None,
) -> Iterator[list[Match]]:
    """Results in input order. With ``workers > 1`` the index is built once and shared with forked
    workers (copy-on-write), so nothing large is pickled; only queries and matches cross processes."""
    global _SHARED, _OPTIONS
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in _chunks(queries, CHUNK):
            for query in chunk:
                yield screener.screen(query, top=top, min_score=min_score)
            if progress is not None:
                progress(len(chunk))
        return
    _SHARED, _OPTIONS = screener, (top, min_score)
    context = multiprocessing.get_context("fork")
    # Freeze the heap before forking: the cyclic garbage collector would otherwise walk (and so write
    # to) every object of the index in each worker, turning copy-on-write sharing into full copies.
    gc.freeze()
    try:
        with context.Pool(workers, initializer=gc.disable) as pool:
            for results in pool.imap(_screen_chunk, _chunks(queries, CHUNK)):
                for packed in results:
                    yield [_unpack(screener, p) for p in packed]
                if progress is not None:
                    progress(len(results))
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------- output
def hit_records(hit: Hit) -> list[dict[str, Any]]:
    """A hit as the CLI contract's flat ranking: the hit itself (with ``related``), then each related
    listing as its own record, so every listing keeps its own ``entity_id`` and score. Another source's
    copy of the same designation (SDN in the CSL and in OFAC's file) is named in ``also_listed``."""
    first: dict[str, Any] = {
        "entity_id": hit.listing.entry_id,
        "list": hit.listing.list,
        "name": hit.listing.listed_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "alert": hit.alert,
        "explanation": hit.explanation,
        "explanation_text": hit.explanation_en,
    }
    if len(hit.listings) > 1:
        first["also_listed"] = [{"source": x.source, "entity_id": x.entry_id} for x in hit.listings[1:]]
    related = [
        {
            "entity_id": r.listings[0].entry_id,
            "list": r.listings[0].list,
            "name": r.listings[0].listed_name,
            "matched_name": r.matched_name,
            "score": r.score,
            "alert": r.alert,
            "explanation": r.explanation,
        }
        for r in hit.related
    ]
    if related:
        first["related"] = related
    return [first, *related]


def result_record(query: Query, matches: list[Match], limit: int | None = None) -> dict[str, Any]:
    """The CLI contract: ``{"id", "name", "matches": [...]}`` with the flattened ranking."""
    records = [record for hit in hits_from_matches(matches) for record in hit_records(hit)]
    return {"id": query.id, "name": query.name, "matches": records[: limit if limit is not None else len(records)]}


def flatten(matches: list[Match], limit: int) -> list[Match]:
    """Grouped matches as a flat ranking: each group's best listing, then its other listings, cut to
    ``limit`` (the CLI's table view)."""
    flat: list[Match] = []
    for match in matches:
        flat.append(match)
        flat.extend(match.related)
    return flat[:limit]


FLAT_COLUMNS = (
    "id",
    "name",
    "rank",
    "entity_id",
    "list",
    "listed_name",
    "matched_name",
    "score",
    "alert",
    "related",
)


def flat_rows(query: Query, matches: list[Match], limit: int) -> Iterator[list[Any]]:
    """Rows for CSV/XLSX output: one per listing (hit, then related); no matches gives one blank row."""
    records = result_record(query, matches, limit)["matches"]
    if not records:
        yield [query.id, query.name, "", "", "", "", "", "", False, ""]
        return
    for rank, r in enumerate(records, 1):
        related = "; ".join(f"{x['list']}:{x['entity_id']}" for x in r.get("related", ()))
        yield [query.id, query.name, rank, r["entity_id"], r["list"], r["name"], r["matched_name"],
               r["score"], r["alert"], related]  # fmt: skip


class ResultWriter:
    """Writes results to ``.jsonl``/``.json`` (one object per query), ``.csv`` or ``.xlsx`` by suffix."""

    def __init__(self, path: Path, top: int = 5) -> None:
        self.path = path
        self.top = top
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".json", ".csv", ".xlsx"):
            raise ValueError(f"{path}: output must end in .jsonl, .json, .csv or .xlsx")
        self.suffix = suffix
        self._rows: list[list[Any]] = []
        self._handle = None if suffix == ".xlsx" else path.open("w", encoding="utf-8", newline="")
        if suffix == ".csv" and self._handle is not None:
            self._csv = csv.writer(self._handle)
            self._csv.writerow(FLAT_COLUMNS)

    def write(self, query: Query, matches: list[Match]) -> None:
        if self.suffix in (".jsonl", ".json"):
            assert self._handle is not None
            self._handle.write(json.dumps(result_record(query, matches, self.top), ensure_ascii=False) + "\n")
        elif self.suffix == ".csv":
            self._csv.writerows(flat_rows(query, matches, self.top))
        else:
            self._rows.extend(flat_rows(query, matches, self.top))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            return
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("screening")
        sheet.append(list(FLAT_COLUMNS))
        for row in self._rows:
            sheet.append(row)
        workbook.save(self.path)


__all__ = [
    "HEADER_ALIASES",
    "QueryFileError",
    "ResultWriter",
    "canonical_header",
    "flatten",
    "hit_records",
    "read_header",
    "read_queries",
    "read_rows",
    "result_record",
    "screen_in_processes",
]
