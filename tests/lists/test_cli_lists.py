"""``techguard lists …`` through Typer's CliRunner in a fresh data directory."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.lists.sources import SOURCES, OfficialSource
from techguard.lists.store import SnapshotStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lists", *args])
    return result.exit_code, result.stdout, result.stderr


def write_csv(path: Path, count: int) -> Path:
    rows = ["id,name,countries"] + [f"C-{n},Company {n},JP" for n in range(1, count + 1)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_status_and_json_status(data_dir: Path) -> None:
    code, out, _ = run("import", str(FIXTURES / "watchlist.csv"), "--format", "simple_csv")
    assert code == 0 and "custom: activated" in out and "4 entries" in out
    code, out, _ = run("status", "--json")
    assert code == 0
    [row] = json.loads(out)
    assert {"source", "entries", "names", "as_of", "sha256"} <= row.keys()
    assert (
        row["source"] == "custom" and row["entries"] == 4 and row["names"] == 8 and len(row["sha256"]) == 64
    )
    assert (data_dir / "lists" / "active.json").is_file()
    code, out, _ = run("status")
    assert code == 0 and "Active lists / 使用中のリスト" in out and "custom" in out


def test_import_guesses_the_format(data_dir: Path) -> None:
    code, out, err = run("import", str(FIXTURES / "entities.ftm.json"))
    assert code == 0 and "ftm_json" in err and "ftm: activated" in out and "3 entries" in out


def test_bad_input_is_one_clear_line_and_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    run("import", str(write_csv(tmp_path / "good.csv", 3)), "--format", "simple_csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,kind\n1,Alpha,robot\n", encoding="utf-8")
    code, out, err = run("import", str(bad), "--format", "simple_csv")
    assert code == 1
    assert "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert line.startswith("import refused / 取り込みを拒否しました:")
    assert "bad.csv, line 2, field 'kind'" in line
    assert json.loads(run("status", "--json")[1])[0]["entries"] == 3


def test_refused_drop_then_force(data_dir: Path, tmp_path: Path) -> None:
    run("import", str(write_csv(tmp_path / "l.csv", 10)), "--format", "simple_csv")
    code, _, err = run("import", str(write_csv(tmp_path / "l.csv", 5)), "--format", "simple_csv")
    assert code == 1 and "refused" in err and "50%" in err and "--force" in err
    code, out, _ = run("import", str(write_csv(tmp_path / "l.csv", 5)), "--format", "simple_csv", "--force")
    assert code == 0 and "5 entries" in out


def test_history_diff_and_roll_back(data_dir: Path, tmp_path: Path) -> None:
    run("import", str(write_csv(tmp_path / "l.csv", 3)), "--format", "simple_csv", "--source", "acme")
    run("import", str(write_csv(tmp_path / "l.csv", 4)), "--format", "simple_csv", "--source", "acme")
    code, out, _ = run("history", "acme", "--json")
    history = json.loads(out)
    assert code == 0 and [h["entries"] for h in history] == [4, 3] and history[0]["active"]
    code, out, _ = run("diff", "acme")
    assert code == 0 and "1 added, " in out and "追加1件" in out and "+ C-4  Company 4" in out
    code, out, _ = run("diff", "acme", "--json")
    assert [a["source_id"] for a in json.loads(out)["added"]] == ["C-4"]
    old_id = history[1]["snapshot_id"]
    code, out, _ = run("activate", "acme", old_id)
    assert code == 0 and f"{old_id} is now active" in out
    assert json.loads(run("status", "--json")[1])[0]["snapshot_id"] == old_id
    code, _, err = run("activate", "acme", "nope")
    assert code == 1 and "does not exist" in err and "Traceback" not in err


def test_stale_lists_are_marked_and_warned(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    SnapshotStore(data_dir / "lists", now=lambda: long_ago).import_files(
        [write_csv(tmp_path / "l.csv", 2)], "simple_csv", source="us_csl", published="2020-01-01"
    )
    code, out, err = run("status")
    assert code == 0 and "⚠ stale" in out
    assert (
        "warning / 警告: us_csl is" in err and "(limit 7)" in err and "techguard lists update us_csl" in err
    )
    [row] = json.loads(run("status", "--json")[1])
    assert row["stale"] is True and row["as_of"] == "2020-01-01" and row["age_days"] > 7
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "us_csl=100000")
    assert json.loads(run("status", "--json")[1])[0]["stale"] is False
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "weekly")
    code, _, err = run("status")
    assert code == 1 and "TECHGUARD_LIST_MAX_AGE_DAYS='weekly'" in err and "Traceback" not in err


def test_update_reports_refusal_with_exit_code(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = OfficialSource(
        code="test_list",
        title_en="Test",
        publisher="nobody",
        format="simple_csv",
        urls=("https://lists.example.test/l.csv",),
        local_names=("l.csv",),
        covers="tests",
        landing_page="https://lists.example.test/",
        max_age_days=7,
    )
    monkeypatch.setitem(SOURCES, "test_list", source)
    bodies = iter([b"id,name\n1,Alpha\n2,Bravo\n", b"garbage without header\n"])
    mock = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=next(bodies))))
    monkeypatch.setattr("techguard.lists.store.default_client", lambda: mock)
    code, out, _ = run("update", "test_list")
    assert code == 0 and "test_list: activated / 更新しました" in out
    mock = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=next(bodies))))
    code, _, err = run("update", "test_list")
    assert code == 1
    assert "test_list: refused / 更新を拒否しました" in err and "l.csv, line 1" in err
    assert "stays active / 以前のリスト" in err and "を引き続き使用します" in err
    assert json.loads(run("status", "--json")[1])[0]["entries"] == 2


def test_formats_and_sources(data_dir: Path) -> None:
    code, out, _ = run("formats")
    assert code == 0 and "simple_csv" in out and "ftm_json" in out
    code, out, _ = run("sources", "--json")
    codes = {s["code"]: s for s in json.loads(out)}
    assert {
        "us_csl",
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc",
        "jp_meti_eul",
        "uk_ofsi",
        "eu_fsf",
        "us_bis_dpl",
    } <= set(codes)
    assert codes["us_bis_dpl"]["covered_by"] == "us_csl" and not codes["us_bis_dpl"]["updatable"]
    code, out, _ = run("sources")
    assert code == 0 and "外国ユーザーリスト" in out


def test_export_ftm(data_dir: Path, tmp_path: Path) -> None:
    run("import", str(FIXTURES / "watchlist.csv"), "--format", "simple_csv")
    code, out, _ = run("export", "--format", "ftm_json")
    entities = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["id"] for e in entities if e["schema"] != "Sanction"][:2] == [
        "custom-W-001",
        "custom-W-002",
    ]
    target = tmp_path / "out.ftm.json"
    code, _, err = run("export", "--output", str(target), "--source", "custom")
    assert code == 0 and "4 parties" in err and len(target.read_text(encoding="utf-8").splitlines()) == 4
    code, _, err = run("export", "--format", "csv")
    assert code == 1 and "supported: ftm_json" in err
    code, _, err = run("export", "--source", "us_csl")
    assert code == 1 and "no active snapshot for us_csl" in err


def test_empty_status(data_dir: Path) -> None:
    code, _, err = run("status")
    assert code == 0 and "no lists yet" in err
    assert json.loads(run("status", "--json")[1]) == []


def test_import_with_published_and_status_shows_it(data_dir: Path, tmp_path: Path) -> None:
    code, out, err = run("import", str(write_csv(tmp_path / "l.csv", 2)), "--format", "simple_csv",
                         "--published", "2020-03-04")
    assert code == 0 and "published 2020-03-04" in out
    assert "days old" in err  # an old edition is flagged as soon as it is imported
    [row] = json.loads(run("status", "--json")[1])
    assert row["as_of"] == row["publisher_date"] == "2020-03-04" and row["publisher_date_origin"] == "officer"
    code, out, _ = run("history", "custom")
    assert code == 0 and "published 2020-03-04" in out


def test_a_file_without_a_date_shows_unknown_and_is_stale(data_dir: Path, tmp_path: Path) -> None:
    code, out, err = run("import", str(write_csv(tmp_path / "l.csv", 2)), "--format", "simple_csv")
    assert code == 0 and "published unknown (no publisher date)" in out and "公表日の記載なし" in out
    assert "/ 不明" not in out  # each language's sentence says it in its own language, once
    assert "no known publication date" in err and "--published" in err
    today = datetime.now(UTC).date().isoformat()
    [row] = json.loads(run("status", "--json")[1])
    assert row["as_of"] is None and row["age_days"] is None and row["stale"] is True
    code, out, err = run("status")
    assert code == 0 and "⚠ stale" in out and "no known publication date" in err
    code, out, _ = run("history", "custom")
    assert "published unknown / 不明" in out and f"published {today}" not in out


def test_a_bad_published_date_is_refused(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = run("import", str(write_csv(tmp_path / "l.csv", 2)), "--format", "simple_csv",
                       "--published", "04/03/2020")
    assert code == 1 and "YYYY-MM-DD" in err and "Traceback" not in err
    assert json.loads(run("status", "--json")[1]) == []
