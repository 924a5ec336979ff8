"""The stable ``techguard screen QUERIES --list FILE --top K --output OUT.jsonl`` contract under hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from techguard.cli import app

LIST = "id,name,aliases,kind,countries\nE1,Huawei Technologies Co Ltd,Huawei,organisation,CN\nE2,Ivan Petrov,,person,RU\n"


@pytest.fixture()
def watch_list(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def _screen(
    data_dir: Path, queries: Path, watch_list: Path, *extra: str
) -> tuple[int, str, list[dict[str, object]]]:
    output = data_dir.parent / "out" / "nested" / "result.jsonl"
    result = CliRunner().invoke(
        app,
        ["screen", str(queries), "--list", str(watch_list), "--top", "3", "--output", str(output), *extra],
    )
    assert "Traceback" not in result.output
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    return result.exit_code, result.output, [json.loads(line) for line in lines]


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfID,Name \r\n1,Huawei\r\n",  # BOM, capitals, trailing space, CRLF
        b"name,extra,id\nHuawei,x,1\n",  # columns in another order, an extra column
        b"id;name\n1;Huawei\n",  # Excel's ';' CSV
        b"id\tname\n1\tHuawei\n",  # tab-separated
    ],
)
def test_header_variants_are_read(data_dir: Path, tmp_path: Path, watch_list: Path, content: bytes) -> None:
    queries = tmp_path / "q.csv"
    queries.write_bytes(content)
    code, _, records = _screen(data_dir, queries, watch_list)
    assert code == 0
    assert [r["id"] for r in records] == ["1"]
    assert records[0]["matches"][0]["entity_id"] == "E1"  # type: ignore[index]


def test_blank_names_keep_one_row_per_input_row_in_order(
    data_dir: Path, tmp_path: Path, watch_list: Path
) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Huawei\n\n2,\n3,\u200b\u200b\n4,😀!!\n1,Ivan Petrov\n", encoding="utf-8")
    code, _, records = _screen(data_dir, queries, watch_list)
    assert code == 0
    assert [r["id"] for r in records] == ["1", "2", "3", "4", "1"]
    assert [bool(r["matches"]) for r in records] == [True, False, False, False, True]
    assert records[1] == {"id": "2", "name": "", "matches": []}


def test_cp932_and_xlsx_queries(data_dir: Path, tmp_path: Path, watch_list: Path) -> None:
    cp932 = tmp_path / "q.csv"
    cp932.write_bytes("id,name\nあ,Huawei\n".encode("cp932"))
    assert [r["id"] for r in _screen(data_dir, cp932, watch_list)[2]] == ["あ"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["ID", "Name"], [1.0, "Huawei"], [2, None], [3, "Ivan Petrov"]):
        sheet.append(row)
    xlsx = tmp_path / "q.xlsx"
    workbook.save(xlsx)
    code, _, records = _screen(data_dir, xlsx, watch_list)
    assert code == 0
    assert [(r["id"], bool(r["matches"])) for r in records] == [("1", True), ("2", False), ("3", True)]


def test_top_zero_gives_empty_matches(data_dir: Path, tmp_path: Path, watch_list: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Huawei\n", encoding="utf-8")
    output = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        app, ["screen", str(queries), "--list", str(watch_list), "--top", "0", "--output", str(output)]
    )
    assert result.exit_code == 0
    assert json.loads(output.read_text(encoding="utf-8")) == {"id": "1", "name": "Huawei", "matches": []}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"foo,bar\n", "line 1: no 'name' column"),
        (b'id,name\n1,"' + b"x" * 140_000 + b'"\n', "line 2: unreadable CSV"),
        (b"id,name\n1,Huawei,\n2,x\n" + "\u00e9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_query_files_fail_clearly(
    data_dir: Path, tmp_path: Path, watch_list: Path, content: bytes, expected: str
) -> None:
    queries = tmp_path / "q.csv"
    queries.write_bytes(content)
    code, output, records = _screen(data_dir, queries, watch_list)
    assert code == 1
    assert str(queries) in output and expected in output
    assert records == []


def test_missing_query_file_and_bad_list(data_dir: Path, tmp_path: Path, watch_list: Path) -> None:
    code, output, _ = _screen(data_dir, tmp_path / "nope.csv", watch_list)
    assert code == 1 and "nope.csv: query file not found" in output
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Huawei\n", encoding="utf-8")
    unknown = tmp_path / "unknown.dat"
    unknown.write_text("hello\n", encoding="utf-8")
    code, output, _ = _screen(data_dir, queries, unknown)
    assert code == 1 and "unknown.dat: cannot tell the list format" in output
    assert "--list-format FMT" in output


def test_list_folder_of_mixed_formats_is_read_file_by_file(
    data_dir: Path, tmp_path: Path, watch_list: Path
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "watch.csv").write_text(LIST, encoding="utf-8")
    (folder / "README.txt").write_text("notes about these lists\n", encoding="utf-8")
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Ivan Petrov\n", encoding="utf-8")
    code, output, records = _screen(data_dir, queries, folder)
    assert code == 0
    assert "skipped, format unknown: README.txt" in output
    assert records[0]["matches"][0]["entity_id"] == "E2"  # type: ignore[index]
    (folder / "watch.csv").unlink()
    code, output, _ = _screen(data_dir, queries, folder)
    assert code == 1 and "no file of a known list format" in output


def test_a_list_file_given_twice_is_read_once(data_dir: Path, tmp_path: Path, watch_list: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Ivan Petrov\n", encoding="utf-8")
    output = tmp_path / "o.jsonl"
    args = ["screen", str(queries), "--list", str(watch_list), "--list", str(tmp_path / "." / "list.csv")]
    result = CliRunner().invoke(app, [*args, "--top", "5", "--output", str(output)])
    assert result.exit_code == 0, result.output
    matches = json.loads(output.read_text(encoding="utf-8"))["matches"]
    assert [m["entity_id"] for m in matches] == ["E2"]
