"""techguard.spark in local mode: DataFrame screening gives exactly the CLI's results for the same rows."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.spark.screen import _in_order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"
WATCHLIST = FIXTURES / "watchlist.csv"
ROWS = [
    ("a1", "Mitsubishi Heavy Industries", None, "JP"),
    ("a2", "BARR, Kathryn Ann", "person", None),
    ("a3", None, None, None),
    ("a4", "JSC Industrial Technologies", "organisation", "RU"),
    ("a5", "Nobody Known At All", None, None),
    ("a6", "三菱重工業株式会社", None, None),
    ("a7", "Russkie Tsifrovye Resheniya", None, "RU"),
]
runner = CliRunner()


def test_rows_arriving_in_runs_are_written_in_input_order(tmp_path: Path) -> None:
    runs = [list(range(start, min(start + 7, 40))) for start in range(0, 40, 7)]
    random.Random(3).shuffle(runs)
    arrived: Iterator[tuple[int, str]] = ((n, f"line {n}") for run in runs for n in run)
    written: list[str] = []
    assert _in_order(arrived, written.append, tmp_path, None) == 40
    assert written == [f"line {n}" for n in range(40)]
    assert list(tmp_path.iterdir()) == []  # spilled runs removed
    with pytest.raises(RuntimeError, match="rows missing"):
        _in_order(iter([(0, "a"), (2, "c")]), written.append, tmp_path, None)


def test_result_files_are_read_back_in_input_order(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from techguard.spark.screen import RESULT_COLUMN, ROW_COLUMN, _concatenate

    def part(name: str, numbers: range) -> None:
        table = pa.table({ROW_COLUMN: list(numbers), RESULT_COLUMN: [f"line {n}" for n in numbers]})
        pq.write_table(table, tmp_path / name, row_group_size=3)

    part("part-00000.parquet", range(7, 12))  # Spark numbers files by task, not by row
    part("part-00001.parquet", range(0, 7))
    part("part-00002.parquet", range(0, 0))
    written: list[str] = []
    assert _concatenate(tmp_path, written.append) == 12
    assert written == [f"line {n}" for n in range(12)]
    part("part-00003.parquet", range(13, 15))
    with pytest.raises(RuntimeError, match="rows missing from Spark's output before row 13"):
        _concatenate(tmp_path, [].append)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from techguard.spark import spark_session

    session = spark_session("local[2]", "techguard-tests")
    yield session
    session.stop()


def _cli_records(tmp_path: Path, *extra: str) -> list[dict[str, Any]]:
    queries = tmp_path / "q.csv"
    lines = ["id,name,kind,country"] + [",".join(f'"{v}"' if v else "" for v in row) for row in ROWS]
    queries.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / f"out{len(extra)}.jsonl"
    result = runner.invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--top", "3",
                                 "--output", str(output), *extra])  # fmt: skip
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


@pytest.mark.spark
def test_dataframe_matches_are_the_cli_results(spark: Any, tmp_path: Path, data_dir: Path) -> None:
    from techguard.spark import screen_dataframe, ship_index

    expected = _cli_records(tmp_path)
    df = spark.createDataFrame(ROWS, "ref string, company string, kind string, country string")
    index = ship_index(spark, lists=[WATCHLIST], index_path=str(tmp_path / "shared" / "index.tgidx"))
    assert (tmp_path / "shared" / "index.tgidx").is_file()  # executors read it from "shared storage"
    screened = screen_dataframe(df, "company", id_col="ref", kind_col="kind", country_col="country",
                                index=index, top=3, result_column=True)  # fmt: skip
    assert screened.columns == [*df.columns, "matches", "result"]
    rows = screened.orderBy("ref").collect()
    assert [json.loads(r["result"]) for r in rows] == expected
    for row, record in zip(rows, expected, strict=True):
        assert [m["entity_id"] for m in row["matches"]] == [m["entity_id"] for m in record["matches"]]
        for struct, match in zip(row["matches"], record["matches"], strict=True):
            assert struct["score"] == match["score"] and struct["alert"] == match["alert"]
            assert json.loads(struct["explanation"]) == match["explanation"]  # the explanation travels whole
    assert rows[0]["matches"][0]["entity_id"] == "W2" and rows[0]["matches"][0]["alert"]
    assert rows[2]["matches"] == []  # no name: no matches, the row is kept
    with pytest.raises(ValueError, match="no column 'nom'"):
        screen_dataframe(df, "nom", index=index)


@pytest.mark.spark
def test_cli_spark_engine_writes_the_local_engine_file(spark: Any, tmp_path: Path, data_dir: Path) -> None:
    local = _cli_records(tmp_path)
    with_spark = _cli_records(tmp_path, "--engine", "spark", "--master", "local[2]")
    assert with_spark == local


@pytest.mark.spark
def test_ten_thousand_rows_match_the_local_engine_row_for_row(spark: Any, tmp_path: Path, data_dir: Path) -> None:
    """The CI-sized version of bench/screening_batch.py's Spark comparison (several partitions, out of
    order arrival, rows with typos, blanks and CJK)."""
    rng = random.Random(11)
    words = ["Mitsubishi", "Heavy", "Industries", "Kathryn", "Barr", "Industrial", "Technologies", "JSC",
             "Russkie", "Tsifrovye", "Resheniya", "Trading", "三菱", "重工業", "Nobody", "Ltd", ""]  # fmt: skip
    queries = tmp_path / "q10k.csv"
    with queries.open("w", encoding="utf-8") as out:
        out.write("id,name\n")
        for i in range(10_000):
            out.write(f"r{i},{' '.join(rng.choice(words) for _ in range(rng.randint(1, 4))).strip()}\n")
    outputs = {}
    for engine in ("local", "spark"):
        output = tmp_path / f"{engine}.jsonl"
        result = runner.invoke(app, ["screen", str(queries), "--list", str(WATCHLIST), "--engine", engine,
                                     "--output", str(output)])  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs[engine] = output.read_text(encoding="utf-8").splitlines()
    assert len(outputs["local"]) == 10_000
    assert outputs["spark"] == outputs["local"]
    assert sum('"alert":true' in line for line in outputs["local"]) > 100


@pytest.mark.spark
def test_affiliations_resolve_in_a_dataframe_as_in_the_resolver(spark: Any) -> None:
    from techguard.research.index import build_index
    from techguard.research.resolver import Resolver
    from techguard.research.ror import load_registry
    from techguard.spark.research import resolve_dataframe

    registry = Path(__file__).resolve().parents[1] / "fixtures" / "research" / "ror-v2-sample.json"
    resolver = Resolver(build_index(load_registry(registry)))
    texts = [("1", "Dept. of Physics, Harbin Institute of Technology, Harbin, China"), ("2", None),
             ("3", "School of Engineering, The University of Tokyo, Japan"), ("4", "Acme Widgets Inc.")]  # fmt: skip
    df = spark.createDataFrame(texts, "id string, affiliation string")
    rows = resolve_dataframe(df, "affiliation", resolver=resolver).orderBy("id").collect()
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    for (_, text), row in zip(texts, rows, strict=True):
        expected = resolver.resolve(text or "").as_dict()
        got = row["affiliation_match"]
        assert (got["ror_id"], got["name"], got["country"], got["score"]) == (
            expected["ror_id"], expected["name"], expected["country"], expected["score"])  # fmt: skip
        assert json.loads(got["explanation"]) == list(expected["explanation"])
    assert rows[1]["affiliation_match"]["ror_id"] is None
    assert any(r["affiliation_match"]["ror_id"] for r in rows)


@pytest.mark.spark
def test_each_task_runs_in_a_fresh_python_worker(spark: Any) -> None:
    """Memory stays flat over a long run because no Python worker outlives its task (the per-word caches
    it filled go with it): 6 tasks on 2 cores run in 6 processes, not 2."""
    import os as worker_os

    import pyarrow as pa

    def pid_of(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"pid": worker_os.getpid()}])

    pids = [r["pid"] for r in spark.range(0, 600, numPartitions=6).mapInArrow(pid_of, "pid long").collect()]
    assert len(pids) == 6
    assert len(set(pids)) == 6



@pytest.mark.spark
def test_local_workers_find_the_index_loaded_by_their_daemon(spark: Any, tmp_path: Path, data_dir: Path) -> None:
    """screen_file's local mode: the daemon loads the index before forking, so workers share one copy."""
    import pyarrow as pa

    from techguard.spark import ship_index
    from techguard.spark.daemon import INDEX_ENV

    shipped = ship_index(spark, lists=[WATCHLIST], index_path=str(tmp_path / "index.tgidx"))

    def preloaded(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from techguard.spark import screen

        found = shipped.digest in screen._LOADED  # before this task loads anything
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"found": found}])

    def probe() -> list[bool]:
        df = spark.range(0, 40, numPartitions=4).mapInArrow(preloaded, "found boolean")
        return [r["found"] for r in df.collect()]

    assert probe() == [False] * 4  # Spark's own daemon: nothing loaded
    spark.sparkContext.environment[INDEX_ENV] = f"{shipped.digest}:{shipped.path}"
    try:
        assert probe() == [True] * 4
    finally:
        spark.sparkContext.environment.pop(INDEX_ENV)
