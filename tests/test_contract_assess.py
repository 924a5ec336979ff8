"""The stable ``techguard assess ACTIVITY.yaml [--as-of DATE] --format json`` contract under hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.cli import app

runner = CliRunner()
CONTRACT_KEYS = {"outcome", "steps", "licence_exceptions_to_review", "missing_facts"}


@pytest.fixture(autouse=True)
def _fresh_data_dir(data_dir: Path) -> Path:
    return data_dir  # no active list snapshots: the assessment does not screen


def _assess(tmp_path: Path, name: str, content: str | bytes, *extra: str) -> tuple[int, str]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    result = runner.invoke(app, ["assess", str(path), *extra, "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())  # rich wraps usage errors in a box


@pytest.mark.parametrize("as_of", ["1990-01-01", "2026-11-27", "2099-12-31"])
def test_json_shape_for_any_date(tmp_path: Path, as_of: str) -> None:
    activity = "activity: export\nitem:\n  eccn: 3A001\n  origin_country: US\nto_country: CN\n"
    code, output = _assess(tmp_path, "a.yaml", activity, "--as-of", as_of)
    assert code == 0, output
    data = json.loads(output)
    assert {"us_ear", "jp_fefta"} <= set(data)
    assert all(set(data[j]) >= CONTRACT_KEYS for j in ("us_ear", "jp_fefta"))


def test_norway_and_code_like_numbers_keep_their_text(tmp_path: Path) -> None:
    from techguard.commands.rules import _load_document

    path = tmp_path / "a.yaml"
    path.write_text("to_country: NO\nitem:\n  hs_code: 8542.10\n  jp_list_item: 0016\n  eccn: 5\n", "utf-8")
    data = _load_document(path)
    assert data["to_country"] == "NO"  # YAML 1.1 would read Norway as false
    assert [str(data["item"][k]) for k in ("hs_code", "jp_list_item", "eccn")] == ["8542.10", "0016", "5"]
    code, output = _assess(tmp_path, "b.yaml", "activity: export\nitem:\n  eccn: EAR99\nto_country: NO\n")
    assert code == 0, output
    assert json.loads(output)["us_ear"]["outcome"] == "no_licence_required"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.yaml", "", "empty.yaml: empty file"),
        ("blank.yaml", "\n  \n", "blank.yaml: empty file"),
        ("list.yaml", "- export\n- release\n", "list.yaml: field '(root)'"),
        (
            "unknown.yaml",
            "activity: export\nitem:\n  eccn: 3A001\n  bogus: 1\n",
            "field 'item.bogus': unknown field",
        ),
        (
            "twice.yaml",
            "activity: export\nactivity: release\n",
            "twice.yaml: line 2: invalid YAML (key 'activity'",
        ),
        (
            "twice.json",
            '{"activity": "export", "activity": "release"}',
            "twice.json: invalid JSON (key 'activity'",
        ),
        ("broken.json", '{"activity": ', "broken.json: line 1: invalid JSON"),
        (
            "flag.yaml",
            "activity: export\nitem:\n  published: yes\n",
            "field 'item.published': expected true or",
        ),
    ],
)
def test_bad_activities_exit_2_naming_file_and_field(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    code, output = _assess(tmp_path, name, content)
    assert code == 2
    assert expected in _flat(output)


def test_cp932_yaml(tmp_path: Path) -> None:
    content = "activity: export\nitem:\n  eccn: EAR99\n  description: 工作機械\nto_country: DE\n".encode(
        "cp932"
    )
    code, output = _assess(tmp_path, "a.yaml", content)
    assert code == 0, output
    assert json.loads(output)["us_ear"]["outcome"] == "no_licence_required"
