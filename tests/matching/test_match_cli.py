"""The ``techguard screen`` contract, exactly as the issue writes it, and batch file handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matching_parties import FIXTURES
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from techguard.cli import app
from techguard.matching import QueryFileError, read_queries

runner = CliRunner()


def _contract(out: Path, top: int) -> list[dict[str, object]]:
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    for record in records:
        assert set(record) == {"id", "name", "matches"}
        matches = record["matches"]
        assert isinstance(matches, list) and len(matches) <= top
        scores = [m["score"] for m in matches]
        assert scores == sorted(scores, reverse=True)
        for m in matches:
            assert {"entity_id", "list", "name", "matched_name", "score", "alert", "explanation"} <= set(m)
            assert m["score"] >= 0.3 and isinstance(m["alert"], bool)
            assert m["explanation"]["algorithm"]
    return records


def test_contract_on_simple_csv_list(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["screen", str(FIXTURES / "queries.csv"), "--list", str(FIXTURES / "watchlist.csv"),
         "--list-format", "simple_csv", "--top", "3", "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = _contract(out, 3)
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4", "q5"]  # input order
    first = {r["id"]: (r["matches"][0] if r["matches"] else None) for r in records}
    assert first["q1"] is not None and first["q1"]["entity_id"] == "W1" and first["q1"]["alert"]
    assert first["q2"] is not None and first["q2"]["entity_id"] == "W4"
    assert first["q3"] is not None and first["q3"]["entity_id"] == "W5"
    assert first["q4"] is not None and first["q4"]["entity_id"] == "W3"
    assert first["q5"] is None or not first["q5"]["alert"]


def test_contract_detects_the_list_format(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["screen", str(FIXTURES / "queries.csv"), "--list", str(FIXTURES / "watchlist.csv"), "--top", "2",
              "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_contract(out, 2)) == 5


def test_contract_on_a_real_list_file(tmp_path: Path, shared: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text(
        "id,name\na,Korea Mining Development Trading Corporation\nb,KOMID\nc,三菱重工業\n", "utf-8"
    )
    out = tmp_path / "out.jsonl"
    meti = shared / "lists" / "jp_meti_end_user_list_2025-09-29" / "jp.json"
    result = runner.invoke(
        app, ["screen", str(queries), "--list", str(meti), "--top", "5", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    records = _contract(out, 5)
    assert "Korea Mining Development" in records[0]["matches"][0]["name"]
    assert records[0]["matches"][0]["alert"] is True
    assert records[1]["matches"][0]["entity_id"] == records[0]["matches"][0]["entity_id"]


def test_contract_on_an_ofac_directory(tmp_path: Path, shared: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name,kind\n1,BANCO NACIONAL DE CUBA,organisation\n", "utf-8")
    out = tmp_path / "out.jsonl"
    sdn = shared / "lists" / "us_ofac_sdn_2021-07-07"
    result = runner.invoke(
        app, ["screen", str(queries), "--list", str(sdn), "--top", "1", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    [record] = _contract(out, 1)
    assert record["matches"][0]["entity_id"] == "306"  # OFAC ent_num


def test_single_name_table_and_json() -> None:
    result = runner.invoke(
        app, ["screen", "--name", "AO PROMTEKH", "--list", str(FIXTURES / "watchlist.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "ALERT" in result.output and "syllabic" in result.output
    result = runner.invoke(
        app, ["screen", "--name", "Mitsubishi Jukogyo", "--json", "--list", str(FIXTURES / "watchlist.csv")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["matches"][0]["entity_id"] == "W2"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_csv_and_xlsx_output(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    args = [
        "screen",
        str(FIXTURES / "queries.csv"),
        "--list",
        str(FIXTURES / "watchlist.csv"),
        "--output",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        header = out.read_text("utf-8").splitlines()[0]
        assert header.startswith("id,name,rank,entity_id")
    else:
        rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
        assert rows[0][:4] == ("id", "name", "rank", "entity_id")
        assert any(r[0] == "q1" and r[3] == "W1" for r in rows[1:])


def test_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,kind\n1,x,robot\n", "utf-8")
    result = runner.invoke(app, ["screen", str(bad), "--list", str(FIXTURES / "watchlist.csv")])
    assert result.exit_code == 1
    assert "line 2" in result.output and "'kind'" in result.output
    result = runner.invoke(app, ["screen", "--name", "x", "--list", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and "missing.csv" in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_read_queries_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(
        'id,name,kind,country\n1,三菱重工業株式会社,法人,JP\n2,"BARR, Kathryn",person,\n'.encode(encoding)
    )
    queries = list(read_queries(path))
    assert [q.name for q in queries] == ["三菱重工業株式会社", "BARR, Kathryn"]
    assert queries[0].kind == "法人" and queries[0].country == "JP" and queries[1].country is None


def test_read_queries_xlsx_and_errors(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Name", "DOB"])
    sheet.append([7, "Ким Чен Ын", "1984"])
    path = tmp_path / "q.xlsx"
    workbook.save(path)
    [query] = list(read_queries(path))
    assert (query.id, query.name, query.dob) == ("7", "Ким Чен Ын", "1984")
    no_name = tmp_path / "n.csv"
    no_name.write_text("id,title\n1,x\n", "utf-8")
    with pytest.raises(QueryFileError, match="no 'name' column"):
        list(read_queries(no_name))
    bad_kind = tmp_path / "k.csv"
    bad_kind.write_text("id,name,kind\n1,x,spaceship\n", "utf-8")
    with pytest.raises(QueryFileError, match="line 2: field 'kind'"):
        list(read_queries(bad_kind))
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"id,name\n1,\xff\xfe\xfa\n")
    with pytest.raises(QueryFileError, match="not UTF-8"):
        list(read_queries(binary))


def test_without_list_uses_the_active_snapshots(tmp_path: Path, data_dir: Path) -> None:
    from techguard.lists.store import SnapshotStore

    SnapshotStore(data_dir / "lists").import_files([FIXTURES / "watchlist.csv"], "simple_csv")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", str(FIXTURES / "queries.csv"), "--output", str(out)])
    assert result.exit_code == 0, result.output
    records = _contract(out, 5)
    assert records[0]["matches"][0]["entity_id"] == "W1"


def test_without_list_and_no_snapshot_is_a_clear_error(data_dir: Path) -> None:
    result = runner.invoke(app, ["screen", "--name", "anything"])
    assert result.exit_code == 1
    assert "techguard lists update" in result.output


def test_bridge_file_translates_a_japanese_query(tmp_path: Path) -> None:
    english_only = tmp_path / "en.csv"
    english_only.write_text("id,name\nE1,Mitsubishi Heavy Industries Ltd\n", "utf-8")
    args = ["screen", "--name", "三菱重工業株式会社", "--json", "--list", str(english_only)]
    without = runner.invoke(app, args)
    assert without.exit_code == 0, without.output
    # without the bridge only the translated words (重工業 heavy industries) and the reading meet it
    assert not any(m["explanation"]["bridged_via"] for m in json.loads(without.output)["matches"])
    with_bridge = runner.invoke(app, [*args, "--bridge", str(FIXTURES / "watchlist.csv")])
    assert with_bridge.exit_code == 0, with_bridge.output
    [match, *_] = json.loads(with_bridge.output)["matches"]
    assert match["entity_id"] == "E1" and match["alert"]
    assert match["explanation"]["bridged_via"] == "Mitsubishi Heavy Industries Ltd"


def test_row_ids_are_not_compared_as_identifiers(tmp_path: Path) -> None:
    # a query file's id column is the caller's row number; it must never count as a passport/registration match
    from techguard.lists.model import Identifier, Party, PartyKind
    from techguard.matching import Screener
    from techguard.matching.batch import read_queries

    listed = Party(
        "custom", "p1", "custom", PartyKind.PERSON, "Ivan Petrov", identifiers=(Identifier("Passport", "7"),)
    )
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n7,Ivan Petrova\n", encoding="utf-8")
    (query,) = list(read_queries(queries))
    assert query.id == "7" and query.identifier is None
    (match,) = Screener.build([listed]).screen(query)
    assert "identifier" not in match.explanation.get("features", {})
