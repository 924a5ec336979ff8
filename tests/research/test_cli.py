from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techguard.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"
runner = CliRunner()


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_resolve_contract(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "aff.csv"
    source.write_text('id,affiliation\nA1,"Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China"\n'
                      "A2,東京大学大学院工学系研究科\nA3,Northeastern University\n", encoding="utf-8-sig")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["research", "resolve", str(source), "--output", str(out),
                                 "--registry", str(FIXTURES / "ror-v2-sample.json")])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["A1", "A2", "A3"]
    assert list(rows[0]) == ["id", "ror_id", "name", "country", "score", "designations", "assessments", "status"]
    assert {r["status"] for r in rows} <= {"resolved", "ambiguous", "not_resolved"}
    assert rows[0]["ror_id"] == "https://ror.org/01yqg2h08" and rows[0]["country"] == "CN"
    assert rows[1]["name"] == "The University of Tokyo"
    assert rows[2]["ror_id"] is None and rows[2]["score"] == 0.0


def test_resolve_without_registry_says_how_to_load_one(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "aff.csv"
    source.write_text("id,affiliation\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["research", "resolve", str(source), "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "techguard research registry import" in result.output


def test_import_registry_and_designations_then_resolve_cp932(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["research", "registry", "import", str(FIXTURES / "ror-v2-sample.json")])
    assert result.exit_code == 0, result.output
    assert (data_dir / "research" / "registry" / "current.json").is_file()
    listing = tmp_path / "fy2024.csv"
    listing.write_text("fiscal_year,name,aliases,country,table,ror_id,published,source_url\n"
                       "2024,Harbin Institute of Technology,,China,1,,2024-05-01,\n", encoding="utf-8")
    result = runner.invoke(app, ["research", "designations", "import", "--list", "us_1286", str(listing)])
    assert result.exit_code == 0, result.output
    source = tmp_path / "aff.csv"
    source.write_bytes("id,affiliation\n8,東京大学 工学部\n".encode("cp932"))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["research", "resolve", str(source), "-o", str(out), "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    assert _rows(out)[0]["ror_id"] == "https://ror.org/057zh3y96"
    source.write_text("id,affiliation\n7,Harbin Institute of Technology\n", encoding="utf-8")
    runner.invoke(app, ["research", "resolve", str(source), "-o", str(out), "--as-of", "2024-06-01"])
    designations = _rows(out)[0]["designations"]
    assert isinstance(designations, list) and designations[0]["list"] == "us_1286"


def test_bad_header_is_reported(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "aff.csv"
    source.write_text("key,text\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["research", "resolve", str(source), "-o", str(tmp_path / "o.jsonl"),
                                 "--registry", str(FIXTURES / "ror-v2-sample.json")])
    assert result.exit_code == 2 and "line 1" in result.output


def test_validate_and_reconcile_commands(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["research", "validate", str(FIXTURES / "disclosure.json"), "--as-of", "2024-06-01"])
    assert result.exit_code == 1 and "malign" in result.output
    out = tmp_path / "flags.json"
    result = runner.invoke(app, [
        "research", "reconcile", "--disclosure", str(FIXTURES / "disclosure.json"),
        "--orcid", "0000-0002-1825-0097", "--works", str(FIXTURES / "openalex-works.json"),
        "--registry", str(FIXTURES / "ror-v2-sample.json"), "--as-of", "2025-01-01", "--output", str(out)])
    assert result.exit_code == 0, result.output
    flags = json.loads(out.read_text(encoding="utf-8"))
    assert [f["institution"]["ror_id"] for f in flags if f["kind"] == "undeclared_affiliation"] == \
        ["https://ror.org/01scyh794"]


def test_validate_uses_imported_1286_programmes(data_dir: Path, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "disclosure.json").read_text(encoding="utf-8"))
    data["talent_programs"][0]["sponsor"]["country"] = "DE"  # prong (B) now only through a §1286 listing
    data["certifications"] = [{**c, "signed_on": "2024-05-01"} for c in data["certifications"]]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["research", "validate", str(path), "--as-of", "2024-06-01"])
    assert result.exit_code == 0 and "malign" not in result.output, result.output
    listing = tmp_path / "fy.csv"
    listing.write_text("fiscal_year,name,aliases,country,table,ror_id,published,source_url\n"
                       "2024,Example Visiting Scholar Programme,,China,2,,2024-05-01,\n", encoding="utf-8")
    assert runner.invoke(app, ["research", "designations", "import", "--list", "us_1286", str(listing)]).exit_code == 0
    result = runner.invoke(app, ["research", "validate", str(path), "--as-of", "2024-06-01"])
    assert result.exit_code == 1 and "is on the §1286 list" in result.output
