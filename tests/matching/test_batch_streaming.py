"""Streaming batch screening: lazy input (CSV/XLSX/Parquet), bounded work in flight, output as it comes."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from techguard.cli import app
from techguard.matching import Query, Screener, batch
from techguard.matching.batch import FLAT_COLUMNS, estimate_rows, read_queries, screen_stream
from techguard.text import decode as textio

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"
WATCHLIST = FIXTURES / "watchlist.csv"
NAMES = ["Mitsubishi Heavy Industries", "Kathryn Barr", "", "JSC Industrial Technologies", "Nobody Known", "三菱重工業"]
runner = CliRunner()


def _queries_csv(tmp_path: Path) -> Path:
    path = tmp_path / "q.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "country"])
        writer.writerows([[f"r{i}", name, "JP" if i % 2 else ""] for i, name in enumerate(NAMES)])
    return path


def _run(queries: Path, output: Path, *extra: str) -> None:
    result = runner.invoke(
        app, ["screen", str(queries), "--list", str(WATCHLIST), "--top", "3", "--output", str(output), *extra]
    )
    assert result.exit_code == 0, result.output


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def test_parquet_and_xlsx_in_and_out_give_the_csv_rows(tmp_path: Path, data_dir: Path) -> None:
    queries = _queries_csv(tmp_path)
    _run(queries, tmp_path / "out.csv")
    expected = _csv_rows(tmp_path / "out.csv")
    assert expected[0] == list(FLAT_COLUMNS) and len(expected) > len(NAMES)

    table = pa.table({"ID": [f"r{i}" for i in range(len(NAMES))], "Name": NAMES,
                      "country": ["JP" if i % 2 else None for i in range(len(NAMES))]})
    pq.write_table(table, tmp_path / "q.parquet")
    _run(tmp_path / "q.parquet", tmp_path / "out.parquet")
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.schema.names == list(FLAT_COLUMNS)
    assert written.schema.field("score").type == pa.float64() and written.schema.field("alert").type == pa.bool_()
    rows = [[_text(v) for v in row.values()] for row in written.to_pylist()]
    assert rows == expected[1:]

    _run(queries, tmp_path / "out.xlsx")
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    from_excel = [[_text(c) for c in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    score = FLAT_COLUMNS.index("score")  # Excel keeps 1.0 as the number 1

    def scores_as_floats(rows: list[list[str]]) -> list[list[str]]:
        return [[*r[:score], str(float(r[score])) if r[score] else "", *r[score + 1 :]] for r in rows]

    assert from_excel[0] == expected[0]
    assert scores_as_floats(from_excel[1:]) == scores_as_floats(expected[1:])


def test_results_are_the_same_with_worker_processes(tmp_path: Path, data_dir: Path) -> None:
    queries = _queries_csv(tmp_path)
    _run(queries, tmp_path / "one.jsonl", "--workers", "1")
    _run(queries, tmp_path / "two.jsonl", "--workers", "2")
    one = (tmp_path / "one.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in one] == [f"r{i}" for i in range(len(NAMES))]
    assert (tmp_path / "two.jsonl").read_text("utf-8").splitlines() == one


@pytest.mark.parametrize("workers", [1, 2])
def test_input_is_consumed_lazily(workers: int) -> None:
    screener = Screener.build([])
    pulled: list[int] = []

    def queries() -> Iterator[Query]:
        for i in range(100_000):
            pulled.append(i)
            yield Query(f"name {i}", id=str(i))

    stream = screen_stream(screener, queries(), top=3, min_score=0.3, workers=workers)
    first_query, _ = next(stream)
    assert first_query.id == "0"
    bound = batch.CHUNK * (workers * batch.IN_FLIGHT_PER_WORKER + 1)
    assert len(pulled) <= bound  # not the 100,000 names: memory does not grow with the input
    stream.close()


def test_a_bad_row_half_way_leaves_no_partial_output(tmp_path: Path, data_dir: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name,kind\n" + "".join(f"{i},Name {i},\n" for i in range(300)) + "301,x,spaceship\n",
                       encoding="utf-8")
    output = tmp_path / "out.jsonl"
    output.write_text("an earlier result\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--output", str(output)])
    assert result.exit_code == 1 and "line 302: field 'kind'" in result.output
    assert output.read_text(encoding="utf-8") == "an earlier result\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_excel_output_continues_on_a_new_sheet_at_the_row_limit(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "EXCEL_MAX_ROWS", 4)
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n" + "".join(f"{i},Nobody {i}\n" for i in range(7)), encoding="utf-8")
    _run(queries, tmp_path / "out.xlsx")
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    rows = [[list(r) for r in s.iter_rows(values_only=True)] for s in workbook.worksheets]
    assert [s.title for s in workbook.worksheets] == ["screening", "screening-2", "screening-3"]
    workbook.close()
    assert all(r[0] == list(FLAT_COLUMNS) and len(r) <= 4 for r in rows)
    assert [row[0] for sheet in rows for row in sheet[1:]] == [str(i) for i in range(7)]


@pytest.mark.parametrize(
    "data",
    [
        "id,name\n1,三菱重工業\n2,Ivan\n".encode(),
        b"\xef\xbb\xbfid,name\n1,\xe4\xb8\x89\xe8\x8f\xb1\n",
        "id,name\n1,三菱重工業\n2,ｱｲｳ\n".encode("cp932"),
        b"id,name\n1,ok\n2,ok\n3,\xe9t\xe9\n",  # Latin-1: neither
        b"id,name\n" + b"1,\xe4\xb8\x89\n" * 20 + b"2,\xff\n",
        b"id,name\n1,\xe4\xb8",  # a character cut off at the end
    ],
)
def test_streamed_encoding_detection_agrees_with_the_whole_file_decoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    monkeypatch.setattr(textio, "_STREAM_CHUNK", 7)  # characters and lines split across chunks
    path = tmp_path / "q.csv"
    path.write_bytes(data)
    try:
        expected: str | int = textio.read_text(path).encoding
    except textio.TextEncodingError as error:
        expected = error.line
    try:
        got: str | int = textio.detect_file_encoding(path)
    except textio.TextEncodingError as error:
        got = error.line
    assert got == expected


def test_queries_from_every_format_and_row_estimates(tmp_path: Path) -> None:
    queries = _queries_csv(tmp_path)
    from_csv = list(read_queries(queries))
    assert [q.name for q in from_csv] == NAMES and estimate_rows(queries) == len(NAMES)
    pq.write_table(pa.table({"id": [q.id for q in from_csv], "name": NAMES, "dob": [1970] * len(NAMES)}),
                   tmp_path / "q.parquet")
    from_parquet = list(read_queries(tmp_path / "q.parquet"))
    assert [(q.id, q.name, q.dob) for q in from_parquet] == [(q.id, q.name, "1970") for q in from_csv]
    assert estimate_rows(tmp_path / "q.parquet") == len(NAMES)
    pq.write_table(pa.table({"nom": ["x"]}), tmp_path / "bad.parquet")
    with pytest.raises(batch.QueryFileError, match="no 'name' column"):
        list(read_queries(tmp_path / "bad.parquet"))
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(batch.QueryFileError, match="not a readable Parquet file"):
        list(read_queries(tmp_path / "broken.parquet"))
