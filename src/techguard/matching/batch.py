"""Batch screening: reading query files (CSV/XLSX in UTF-8, UTF-8 BOM or CP932, Parquet), screening them on
all cores, and writing results (JSON lines, CSV, XLSX, Parquet).

Everything streams: queries are read a chunk at a time, at most a few chunks per worker are in flight, and
each result is written as it comes, so memory stays flat whatever the number of names."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import multiprocessing
import os
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from techguard.cells import neutralise_row
from techguard.matching.hits import Hit, hits_from_matches, json_text, listing_of
from techguard.matching.repeat_cache import RepeatCache
from techguard.text.decode import TextEncodingError, detect_file_encoding

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from techguard.matching.screener import Match, Query, Screener

_T = TypeVar("_T")
_U = TypeVar("_U")
QUERY_COLUMNS = ("id", "name", "kind", "country", "dob", "identifier")
CHUNK = 64
PARQUET_BATCH = 8192
# chunks queued per worker process: enough to keep every core busy, few enough to bound memory
IN_FLIGHT_PER_WORKER = 4
# A worker screens this many chunks, then a fresh one is forked from the parent: the per-word caches it
# filled and the index pages it copied (reference counts write to shared pages) go with it, so memory stays
# flat over a batch of any length instead of creeping up to the caches' and the index's full size.
WORKER_CHUNKS = 300
EXCEL_MAX_ROWS = 1_048_576  # per sheet, header included
# a unit sent to the workers holds at most this many rows (cached ones included), so that a file of
# repeats cannot make the parent read far ahead while the workers have nothing to screen
UNIT_ROWS = CHUNK * 8


class QueryFileError(ValueError):
    """A query file that cannot be read; the message names the file, line and field."""


def _encoding(path: Path) -> str:
    try:
        return detect_file_encoding(path)
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
    from techguard.csvstrict import CsvFormatError, header_of, read_records

    with path.open(encoding=_encoding(path), newline="") as handle:
        header_line = next((line for line in handle if line.strip()), "")
        handle.seek(0)
        delimiter = _delimiter(header_line)
        header = [canonical_header(h) for h in header_of(header_line, delimiter)]
        if not header:
            raise QueryFileError(f"{path}: empty file (expected a header with at least 'name')")
        _check_header(path, header)
        try:  # strict and streamed: an unterminated quote or a wrong field count is an error with its line
            yield from read_records(handle, str(path), delimiter, header_name=canonical_header)
        except CsvFormatError as error:
            raise QueryFileError(str(error)) from None


def _rows_from_parquet(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a Parquet file, one record batch at a time; "line" numbers count the header as line 1, as
    in a CSV file of the same rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise QueryFileError(f"{path}: not a readable Parquet file ({error})") from None
    with parquet:
        names = [canonical_header(str(n)) for n in parquet.schema_arrow.names]
        _check_header(path, names)
        wanted = [original for original, n in zip(parquet.schema_arrow.names, names, strict=True) if n in QUERY_COLUMNS]
        line = 1
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH, columns=wanted):
            columns = [canonical_header(n) for n in batch.schema.names]
            for values in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                line += 1
                yield line, {n: cell_text(v) for n, v in zip(columns, values, strict=True)}


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
                {n: cell_text(v) for n, v in zip(names, values, strict=False) if n},
            )
    finally:
        workbook.close()


def cell_text(value: object) -> str:
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
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
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
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return [str(n) for n in pq.read_schema(path).names]
    with path.open(encoding=_encoding(path), newline="") as handle:
        header_line = next((line for line in handle if line.strip()), "")
    return [h.strip() for h in next(csv.reader([header_line], delimiter=_delimiter(header_line)), [])]


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Every row as (line, {canonical column: text}), read lazily — the query columns under their canonical
    names (``名称`` → ``name``), any other column under its header folded to lower case."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _rows_from_xlsx(path)
    if suffix == ".parquet":
        return _rows_from_parquet(path)
    return _rows_from_csv(path)


def read_queries(path: Path) -> Iterator[Query]:
    """Queries from a CSV, XLSX or Parquet file with a header ``id,name`` and optional ``kind,country,dob``,
    read lazily (one chunk of the file at a time).

    A missing ``id`` column numbers the rows from 1. Wholly blank lines are skipped; a row with a blank
    name is kept (it screens to no matches) so that results stay one per row, in input order.
    """
    path = Path(path)
    for number, (line, row) in enumerate(read_rows(path), 1):
        if not any(row.values()):
            continue
        try:
            yield query_from_row(row, number)
        except ValueError as exc:
            raise QueryFileError(f"{path}: line {line}: field 'kind': {exc}") from None


def query_from_row(row: Mapping[str, str], number: int) -> Query:
    """The query of one row of cell texts (columns :data:`QUERY_COLUMNS`; ``id`` defaults to ``number``).
    Files, DataFrames (``techguard.spark``) and uploads all go through here, so a row means the same
    everywhere. :class:`ValueError` for an unknown ``kind``."""
    from techguard.matching.features import parse_kind
    from techguard.matching.screener import Query

    kind = row.get("kind") or None
    parse_kind(kind)
    return Query(
        name=row.get("name", ""),
        kind=kind,
        country=row.get("country") or None,
        dob=row.get("dob") or None,
        id=row.get("id") or str(number),
        identifier=row.get("identifier") or None,
    )


def estimate_rows(path: Path) -> int | None:
    """About how many queries ``path`` holds, for a progress bar, without reading it into memory (CSV: its
    lines; XLSX: the sheet's stated size; Parquet: its metadata). ``None`` when it cannot tell."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                rows = workbook.worksheets[0].max_row
            finally:
                workbook.close()
            return max(0, rows - 1) if rows else None
        lines = 0
        last = b"\n"
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        return max(0, lines - (last == b"\n"))
    except Exception:  # only a progress estimate: reading errors are reported by read_queries
        return None


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


def json_line(screener: Screener, query: Query, top: int, min_score: float) -> tuple[str, bool]:
    """One query's result as its JSON line (the ``.jsonl`` output's bytes) and whether any match alerts."""
    matches = screener.screen(query, top=top, min_score=min_score)
    record = result_record(query, matches, top, shared=True)
    return json_text(record), any(m.alert for m in matches)


def _screen_chunk_lines(chunk: Sequence[Query]) -> list[tuple[str, bool]]:
    assert _SHARED is not None, "worker started without a screener"
    top, min_score = _OPTIONS
    return [json_line(_SHARED, q, top, min_score) for q in chunk]


def _chunks(items: Iterable[Query], size: int) -> Iterator[list[Query]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_processes(
    screener: Screener,
    units: Iterable[_U],
    work: Callable[[_U], list[Query]],
    task: Callable[[Sequence[Query]], list[_T]],
    *,
    top: int,
    min_score: float,
    workers: int,
    prepare: bool = False,
) -> Iterator[tuple[_U, list[_T]]]:
    """Each unit of work with ``task``'s results for its queries to screen (``work(unit)``), in input order,
    from forked workers sharing the index. A unit with nothing to screen gets ``[]`` without a task.
    ``prepare``: a batch long enough for workers to be replaced; the per-party results they share are
    worked out before the first fork."""
    global _SHARED, _OPTIONS
    _SHARED, _OPTIONS = screener, (top, min_score)
    context = multiprocessing.get_context("fork")
    if prepare:
        # what every worker would otherwise work out again after every fork, for the parties its rows meet
        # (≈ 0.9 s for 16k parties, once; a worker lives WORKER_CHUNKS chunks)
        for party in screener.parties:
            screener.signature(party)
            listing_of(party)
    # Freeze the heap before forking: the cyclic garbage collector would otherwise walk (and so write
    # to) every object of the index in each worker, turning copy-on-write sharing into full copies.
    gc.freeze()
    try:
        with context.Pool(workers, initializer=gc.disable, maxtasksperchild=WORKER_CHUNKS) as pool:
            # Pool.imap would read the whole input ahead into its task queue; a window of pending units
            # keeps memory bounded.
            iterator = iter(units)

            def submit(unit: _U) -> tuple[_U, AsyncResult[list[_T]] | None]:
                queries = work(unit)
                return unit, pool.apply_async(task, (queries,)) if queries else None

            pending = deque(submit(unit) for unit in islice(iterator, workers * IN_FLIGHT_PER_WORKER))
            while pending:
                unit, result = pending.popleft()
                results = result.get() if result is not None else []
                following = next(iterator, None)
                if following is not None:
                    pending.append(submit(following))
                yield unit, results
    finally:
        gc.unfreeze()


def _chunks_in_processes(
    screener: Screener,
    queries: Iterable[Query],
    task: Callable[[Sequence[Query]], list[_T]],
    *,
    top: int,
    min_score: float,
    workers: int,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[Query, _T]]:
    """``task``'s result per query, in input order, a chunk of :data:`CHUNK` queries per task."""
    for chunk, results in _in_processes(
        screener, _chunks(queries, CHUNK), list, task, top=top, min_score=min_score, workers=workers
    ):
        yield from zip(chunk, results, strict=True)
        if progress is not None:
            progress(len(chunk))


# One row of a unit of work for screen_lines: the query; its kept line, or the position of the query screened
# for it among the unit's queries to screen (itself or an earlier row with the same key); whether to keep
# its line.
_Row = tuple["Query", tuple[str, bool] | int, bool]


def _units(queries: Iterable[Query], cache: RepeatCache) -> Iterator[tuple[list[_Row], list[Query]]]:
    """Rows in units of up to :data:`CHUNK` queries to screen and :data:`UNIT_ROWS` rows, with the queries
    to screen: those whose line is not kept, each key once per unit."""
    rows: list[_Row] = []
    misses: list[Query] = []
    positions: dict[tuple[object, ...], int] = {}
    for query in queries:
        kept, keep = cache.lookup(query)
        if kept is not None:
            rows.append((query, kept, False))
        else:
            key = cache.key(query)
            position = positions.get(key)
            if position is None:
                position = positions[key] = len(misses)
                misses.append(query)
            else:
                cache.joined += 1
            rows.append((query, position, keep))
        if len(misses) >= CHUNK or len(rows) >= UNIT_ROWS:
            yield rows, misses
            rows, misses, positions = [], [], {}
    if rows:
        yield rows, misses


def _parallel(workers: int) -> bool:
    return workers > 1 and "fork" in multiprocessing.get_all_start_methods()


def screen_stream(
    screener: Screener,
    queries: Iterable[Query],
    *,
    top: int,
    min_score: float,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[Query, list[Match]]]:
    """``(query, matches)`` in input order, reading ``queries`` lazily. With ``workers > 1`` the index is
    built once and shared with forked workers (copy-on-write), so nothing large is pickled; only queries
    and matches cross processes, and at most :data:`IN_FLIGHT_PER_WORKER` chunks per worker are pending,
    so memory does not grow with the input."""
    if not _parallel(workers):
        for chunk in _chunks(queries, CHUNK):
            for query in chunk:
                yield query, screener.screen(query, top=top, min_score=min_score)
            if progress is not None:
                progress(len(chunk))
        return
    for query, packed in _chunks_in_processes(
        screener, queries, _screen_chunk, top=top, min_score=min_score, workers=workers, progress=progress
    ):
        yield query, [_unpack(screener, p) for p in packed]


def screen_lines(
    screener: Screener,
    queries: Iterable[Query],
    *,
    top: int,
    min_score: float,
    workers: int,
    progress: Callable[[int], None] | None = None,
    cache: RepeatCache | None = None,
) -> Iterator[tuple[Query, str, bool]]:
    """``(query, JSON line, alerted)`` in input order, as :func:`screen_stream` screens them; the line is
    what :meth:`ResultWriter.write` writes for the query. Batches to a file use this: each worker builds
    and serialises its own results, so the parent only writes lines (building the records in the parent
    made it a serial step beside the workers, and the matches' explanations cost more to send than the
    finished text). A query repeated in the batch is screened once, its line kept in the parent's
    :class:`~techguard.matching.repeat_cache.RepeatCache` (``cache``; a new one, deleted at the end, by default) and written again with each row's own id."""
    if cache is None:
        with RepeatCache() as owned:
            yield from screen_lines(screener, queries, top=top, min_score=min_score, workers=workers,
                                    progress=progress, cache=owned)  # fmt: skip
        return
    units = _units(queries, cache)
    if _parallel(workers):
        screened: Iterator[tuple[tuple[list[_Row], list[Query]], list[tuple[str, bool]]]] = _in_processes(
            screener, units, lambda unit: unit[1], _screen_chunk_lines, top=top, min_score=min_score,
            workers=workers, prepare=cache.surveyed >= CHUNK * WORKER_CHUNKS,
        )  # fmt: skip
    else:
        screened = ((unit, [json_line(screener, q, top, min_score) for q in unit[1]]) for unit in units)
    for (rows, misses), results in screened:
        for query, source, keep in rows:
            if isinstance(source, int):
                line, alerted = results[source]
                if misses[source] is not query:  # a repeat within the unit: the same line, its own id
                    line = cache.with_id(line, misses[source], query)
                if keep:
                    cache.store(query, line, alerted)
                yield query, line, alerted
            else:
                yield query, *source
        if progress is not None:
            progress(len(rows))


def screen_in_processes(
    screener: Screener,
    queries: Iterable[Query],
    *,
    top: int,
    min_score: float,
    workers: int,
    progress: Callable[[int], None] | None,
) -> Iterator[list[Match]]:
    """The matches of each query in input order (see :func:`screen_stream`)."""
    for _, matches in screen_stream(
        screener, queries, top=top, min_score=min_score, workers=workers, progress=progress
    ):
        yield matches


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


def result_record(
    query: Query, matches: list[Match], limit: int | None = None, *, shared: bool = False
) -> dict[str, Any]:
    """The CLI contract: ``{"id", "name", "matches": [...]}`` with the flattened ranking. ``shared=True``
    for a record serialised at once with ``hits.json_text``: it then holds the
    matches' own explanations, not copies (see :func:`~techguard.matching.hits.hit_from_match`)."""
    # the record carries the English text only (``explanation_text``), so the Japanese one is not built
    hits = hits_from_matches(matches, japanese=False, shared=shared)
    records = [record for hit in hits for record in hit_records(hit)]
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


def flat_rows(query: Query, matches: list[Match], limit: int | None = None) -> Iterator[list[Any]]:
    """Rows for CSV/XLSX/Parquet output: one per listing (hit, then related); no matches gives one blank row."""
    return record_rows(result_record(query, matches, limit))


def record_rows(record: Mapping[str, Any]) -> Iterator[list[Any]]:
    """The flat rows (:data:`FLAT_COLUMNS`) of one result record (:func:`result_record`)."""
    if not record["matches"]:
        yield [record["id"], record["name"], "", "", "", "", "", "", False, ""]
        return
    for rank, m in enumerate(record["matches"], 1):
        related = "; ".join(f"{r['list']}:{r['entity_id']}" for r in m.get("related", ()))
        yield [record["id"], record["name"], rank, m["entity_id"], m["list"], m["name"], m["matched_name"],
               m["score"], m["alert"], related]  # fmt: skip


_PARQUET_ROWS = 65536  # rows per Parquet row group (bounded buffer)


class ResultWriter:
    """Writes results to ``.jsonl``/``.json`` (one object per query), ``.csv``, ``.xlsx`` or ``.parquet``
    (one row per match) by suffix, row by row as they come.

    The file is written under a temporary name beside ``path`` and renamed on :meth:`close`, so a run that
    fails half-way (a bad row, an interrupt) leaves no partial output and keeps any earlier file intact
    (:meth:`abort` removes the temporary file)."""

    def __init__(self, path: Path, top: int = 5) -> None:
        self.path = path
        self.top = top
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".json", ".csv", ".xlsx", ".parquet"):
            raise ValueError(f"{path}: output must end in .jsonl, .json, .csv, .xlsx or .parquet")
        self.suffix = suffix
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(handle)
        self._temporary = Path(temporary)
        self._handle = None
        self._rows: list[list[Any]] = []  # Parquet: the current row group
        self._parquet: Any = None
        self._sheet_rows = 0
        if suffix in (".jsonl", ".json", ".csv"):
            self._handle = self._temporary.open("w", encoding="utf-8", newline="")
            if suffix == ".csv":
                self._csv = csv.writer(self._handle)
                self._csv.writerow(FLAT_COLUMNS)
        elif suffix == ".xlsx":
            from openpyxl import Workbook

            # write-only: rows go to a temporary XML stream, never held in memory
            self._workbook = Workbook(write_only=True)
            self._new_sheet()

    def _new_sheet(self) -> None:
        count = len(self._workbook.worksheets)
        self._sheet = self._workbook.create_sheet("screening" if count == 0 else f"screening-{count + 1}")
        self._sheet.append(list(FLAT_COLUMNS))
        self._sheet_rows = 1

    def write(self, query: Query, matches: list[Match]) -> None:
        self.write_record(result_record(query, matches, self.top))

    def write_json_line(self, line: str) -> None:
        """Write one result given as its JSON line (as :meth:`write_record` would have written it)."""
        if self.suffix in (".jsonl", ".json"):
            assert self._handle is not None
            self._handle.write(line + "\n")
        else:
            self.write_record(orjson.loads(line))

    def write_record(self, record: Mapping[str, Any]) -> None:
        """Write one result record (:func:`result_record`, already cut to ``top``)."""
        if self.suffix in (".jsonl", ".json"):
            assert self._handle is not None
            self._handle.write(json_text(record) + "\n")
        elif self.suffix == ".csv":
            self._csv.writerows(neutralise_row(r) for r in record_rows(record))
        elif self.suffix == ".xlsx":
            for row in record_rows(record):
                if self._sheet_rows >= EXCEL_MAX_ROWS:
                    self._new_sheet()  # Excel's row limit: continue on the next sheet
                self._sheet.append(neutralise_row(row))  # no cell runs as a formula in Excel
                self._sheet_rows += 1
        else:
            self._rows.extend(record_rows(record))
            if len(self._rows) >= _PARQUET_ROWS:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        columns: list[Sequence[Any]] = (
            list(zip(*self._rows, strict=True)) if self._rows else [[] for _ in FLAT_COLUMNS]
        )
        table = pa.Table.from_arrays(
            [
                pa.array(
                    column if pa.types.is_string(field.type) else [None if v == "" else v for v in column],
                    type=field.type,
                )
                for column, field in zip(columns, schema, strict=True)
            ],
            schema=schema,
        )
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._temporary, schema)
        self._parquet.write_table(table)
        self._rows = []

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self._handle is not None:
            self._handle.close()
        elif self.suffix == ".xlsx":
            self._workbook.save(self._temporary)
        else:
            if self._rows or self._parquet is None:
                self._flush_parquet()
            self._parquet.close()
        os.replace(self._temporary, self.path)

    def abort(self) -> None:
        """Drop what was written (the output path is left as it was)."""
        if self._handle is not None:
            self._handle.close()
        elif self._parquet is not None:
            self._parquet.close()
        self._temporary.unlink(missing_ok=True)


def parquet_schema() -> Any:
    """The Parquet columns: those of CSV output, typed (rank int, score float, alert bool)."""
    import pyarrow as pa

    types = {"rank": pa.int32(), "score": pa.float64(), "alert": pa.bool_()}
    return pa.schema([(name, types.get(name, pa.string())) for name in FLAT_COLUMNS])


__all__ = [
    "HEADER_ALIASES",
    "QueryFileError",
    "ResultWriter",
    "canonical_header",
    "cell_text",
    "estimate_rows",
    "flat_rows",
    "flatten",
    "hit_records",
    "parquet_schema",
    "query_from_row",
    "read_header",
    "read_queries",
    "read_rows",
    "record_rows",
    "result_record",
    "screen_in_processes",
    "screen_lines",
    "screen_stream",
]
