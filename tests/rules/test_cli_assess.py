"""`techguard assess FILE --format json|text` and `techguard rules status` through the Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_data_dir(data_dir: Path) -> Path:
    # assess screens against the active snapshots of the data directory: keep the user's out of the tests
    return data_dir


ACTIVITY = """\
activity: release
item:
  type: technology
  eccn: 3E001
  origin_country: US
  published: false
  fundamental_research: false
recipient:
  citizenships: [CN]
  location_country: US
"""


def test_assess_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(ACTIVITY, encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path), "--as-of", "2026-11-27", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    us = data["us_ear"]
    assert us["outcome"] == "licence_required"
    assert {"rule", "citation", "finding"} <= set(us["steps"][0])
    # unstated, the exclusions are asked: published or fundamental-research information is not subject
    path.write_text(ACTIVITY.replace("  published: false\n", ""), encoding="utf-8")
    open_result = runner.invoke(app, ["assess", str(path), "--as-of", "2026-11-27", "--format", "json"])
    (question,) = json.loads(open_result.output)["us_ear"]["missing_facts"]
    assert question["field"] == "item.published"
    assert question["outcomes"] == {"true": "not_subject", "false": "licence_required"}
    assert any(s["citation"].startswith("15 CFR 734.13(a)(2), (b)") for s in us["steps"])
    assert data["jp_fefta"]["outcome"] in {
        "not_applicable",
        "exempt_public",
        "exempt_basic_science",
        "not_a_controlled_provision",
        "no_licence_required",
        "licence_required",
        "incomplete",
    }


def test_assess_reads_cp932_and_bom_json(tmp_path: Path) -> None:
    cp932 = tmp_path / "a.yaml"
    cp932.write_bytes((ACTIVITY + "provider: {name: 東京大学}\n").encode("cp932"))
    bom = tmp_path / "b.json"
    bom.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"activity": "export", "item": {"eccn": "EAR99"}, "to_country": "DE"}).encode()
    )
    for path in (cp932, bom):
        result = runner.invoke(app, ["assess", str(path), "--as-of", "2026-11-27"])
        assert result.exit_code == 0, result.output
        json.loads(result.output)


def test_assess_text_japanese(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(ACTIVITY, encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path), "--format", "text", "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "許可が必要です" in result.output and "みなし輸出" in result.output


def test_assess_bad_field_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("activity: export\nitem: {ecn: 3A001}\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert "item.ecn" in result.output and "bad.yaml" in result.output


def test_assess_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("activity: export\nitem: [\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code != 0
    assert "bad.yaml" in result.output and "line" in result.output


def test_rules_status_lists_table_dates() -> None:
    result = runner.invoke(app, ["rules", "status"])
    assert result.exit_code == 0, result.output
    assert "us_country_chart: 2026-07-23" in result.output
    assert "jp.north_korea_all_goods: 2009-06-18 – 2027-04-13" in result.output  # versions with their periods


def test_rules_update_us_reports_written_files_and_failures(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    from techguard.rules.us import ecfr

    calls: list[str | None] = []

    def fake_update(issue_date: str | None = None) -> list[Path]:
        calls.append(issue_date)
        return [data_dir / "rules" / "us" / "country_chart.json"]

    monkeypatch.setattr(ecfr, "update_us_tables", fake_update)
    result = runner.invoke(app, ["rules", "update", "--us", "--date", "2026-07-23"])
    assert result.exit_code == 0, result.output
    assert calls == ["2026-07-23"] and "country_chart.json" in result.output

    def failing_update(issue_date: str | None = None) -> list[Path]:
        raise ecfr.EcfrError("https://www.ecfr.gov/api/versioner/v1/titles.json: 503")

    monkeypatch.setattr(ecfr, "update_us_tables", failing_update)
    result = runner.invoke(app, ["rules", "update", "--us"])
    assert result.exit_code == 1
    assert "titles.json: 503" in result.output


SCREENED_ACTIVITY = """\
activity: export
item: {type: commodity, eccn: EAR99, origin_country: US}
from_country: US
to_country: CN
end_user: {name: Northern Star Photonics Co Ltd, country: CN}
"""


def _watch_list(tmp_path: Path) -> Path:
    path = tmp_path / "entity_list.csv"
    path.write_text(
        "id,name,aliases,kind,countries\nel-1,Northern Star Photonics Co. Ltd.,,organisation,CN\n"
    )
    return path


def test_assess_screens_the_end_user_against_given_lists(tmp_path: Path) -> None:
    activity = tmp_path / "a.yaml"
    activity.write_text(SCREENED_ACTIVITY, encoding="utf-8")
    plain = json.loads(runner.invoke(app, ["assess", str(activity), "--as-of", "2026-11-27"]).output)
    result = runner.invoke(
        app, ["assess", str(activity), "--as-of", "2026-11-27", "--list", str(_watch_list(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    screened = json.loads(result.output)
    hits = [s for s in screened["us_ear"]["steps"] if s["rule"] == "screening_hit"]
    assert hits and "Northern Star Photonics" in hits[0]["finding"]
    assert not [s for s in plain["us_ear"]["steps"] if s["rule"] == "screening_hit"]


def test_assess_screens_against_active_snapshots_unless_told_not_to(tmp_path: Path) -> None:
    activity = tmp_path / "a.yaml"
    activity.write_text(SCREENED_ACTIVITY, encoding="utf-8")
    imported = runner.invoke(app, ["lists", "import", str(_watch_list(tmp_path)), "--format", "simple_csv"])
    assert imported.exit_code == 0, imported.output
    screened = json.loads(runner.invoke(app, ["assess", str(activity), "--as-of", "2026-11-27"]).output)
    assert any(s["rule"] == "screening_hit" for s in screened["us_ear"]["steps"])
    off = json.loads(
        runner.invoke(app, ["assess", str(activity), "--as-of", "2026-11-27", "--no-screen"]).output
    )
    assert not any(s["rule"] == "screening_hit" for s in off["us_ear"]["steps"])


def test_assess_refuses_to_screen_against_nothing(tmp_path: Path) -> None:
    activity = tmp_path / "a.yaml"
    activity.write_text(SCREENED_ACTIVITY, encoding="utf-8")
    result = runner.invoke(app, ["assess", str(activity), "--screen"])
    assert result.exit_code == 2
    assert "no list snapshot is active" in result.output
