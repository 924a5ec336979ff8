"""The stable ``techguard research resolve AFFILIATIONS.csv --output OUT.jsonl [--registry FILE]`` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.cli import app

REGISTRY = Path(__file__).resolve().parent / "fixtures" / "research" / "ror-v2-sample.json"
KEYS = ["id", "ror_id", "name", "country", "score", "designations", "assessments", "status"]
TOKYO = "https://ror.org/057zh3y96"
runner = CliRunner()


def _resolve(tmp_path: Path, content: bytes, *extra: str) -> tuple[int, str, list[dict[str, object]]]:
    source = tmp_path / "aff.csv"
    source.write_bytes(content)
    out = tmp_path / "missing" / "folder" / "out.jsonl"
    args = ["research", "resolve", str(source), "--output", str(out), *extra]
    result = runner.invoke(app, args if "--registry" in extra else [*args, "--registry", str(REGISTRY)])
    assert "Traceback" not in result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()] if out.exists() else []
    return result.exit_code, result.output, rows


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfID,Affiliation \r\nA1,The University of Tokyo\r\n",  # BOM, capitals, trailing space, CRLF
        b"affiliation,note,id\nThe University of Tokyo,x,A1\n",  # other order, extra column
        b"id;affiliation\nA1;The University of Tokyo\n",
        b"id\taffiliation\nA1\tThe University of Tokyo\n",
        "id,affiliation\nA1,東京大学\n".encode("cp932"),
    ],
)
def test_header_variants_and_encodings(data_dir: Path, tmp_path: Path, content: bytes) -> None:
    code, output, rows = _resolve(tmp_path, content)
    assert code == 0, output
    assert [(r["id"], r["ror_id"]) for r in rows] == [("A1", TOKYO)]
    assert list(rows[0]) == KEYS


def test_every_row_kept_in_order_blank_and_odd_affiliations_are_no_match(
    data_dir: Path, tmp_path: Path
) -> None:
    content = "id,affiliation\nA1,\n\nA2,!!!\nA3,😀\u200b\nA1,東京大学\nA4\nA5," + "x" * 10_000 + "\n"
    code, output, rows = _resolve(tmp_path, content.encode("utf-8"))
    assert code == 0, output
    assert [r["id"] for r in rows] == ["A1", "A2", "A3", "A1", "A4", "A5"]
    assert [r["ror_id"] for r in rows] == [None, None, None, TOKYO, None, None]
    assert rows[0] == dict(zip(KEYS, ["A1", None, None, None, 0.0, [], [], "not_resolved"], strict=True))


def test_without_a_registry_exit_2_with_how_to_load_one(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "aff.csv"
    source.write_text("id,affiliation\nA1,東京大学\n", "utf-8")
    result = runner.invoke(app, ["research", "resolve", str(source), "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "techguard research registry import" in result.output


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("reg.txt", b"x", "reg.txt: unknown registry file type"),
        ("reg.jsonl", b'{"x": 1\n', "reg.jsonl, line 1: invalid JSON"),
        ("reg.jsonl.gz", b"not gzip", "reg.jsonl.gz: cannot read the registry"),
    ],
)
def test_bad_registry_files_exit_2_naming_the_file(
    data_dir: Path, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    registry = tmp_path / name
    registry.write_bytes(content)
    code, output, rows = _resolve(tmp_path, b"id,affiliation\nA1,x\n", "--registry", str(registry))
    assert code == 2 and expected in output
    assert rows == []


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [
        (b"id,name\nA1,x\n", (), "line 1: header must contain 'id' and 'affiliation'"),
        (b"", (), "line 1: header must contain"),
        (b'id,affiliation\nA1,"' + b"x" * 140_000 + b'"\n', (), "line 2: unreadable CSV"),
        (b"id,affiliation\nA1,x\n", ("--as-of", "2026-13-01"), "--as-of '2026-13-01': expected a date"),
    ],
)
def test_bad_input_exit_2(
    data_dir: Path, tmp_path: Path, content: bytes, extra: tuple[str, ...], expected: str
) -> None:
    code, output, rows = _resolve(tmp_path, content, *extra)
    assert code == 2 and expected in output
    assert rows == []
