from __future__ import annotations

from pathlib import Path

import pytest

from techguard.catalogue import store
from techguard.catalogue.confirmations import effective_links, record_link
from techguard.catalogue.crosswalk import in_scope, us_only_reason
from techguard.catalogue.model import Catalogue, CatalogueError


def _links(catalogue: Catalogue, jp_id: str) -> dict[str, float]:
    return {link.eccn[:5]: link.confidence for link in catalogue.links if link.jp_id == jp_id}


def test_structure_limits_which_eccns_a_kou_can_reach() -> None:
    assert in_scope("7", "3A001.a.5", technology=False)
    assert not in_scope("7", "6A003", technology=False)
    assert not in_scope("7", "3E001", technology=False) and in_scope("7", "3E001", technology=True)
    assert in_scope("2", "3A201", technology=False) and not in_scope("2", "3A001", technology=False)
    assert in_scope("3の2", "1C351", technology=False) and not in_scope("3", "1C351", technology=False)


def test_rows_link_to_their_eccns_with_basis(real_catalogue: Catalogue) -> None:
    assert "7A001" in _links(real_catalogue, "jp:export_order:11の項（1）")  # accelerometers
    assert "2A001" in _links(real_catalogue, "jp:export_order:6の項（1）")  # bearings
    # ADC thresholds equal on both sides: 第6条第1号ホ（一）3 ↔ 3A001.a.5.a.3
    adc = [link for link in real_catalogue.links if link.jp_id == "jp:ordinance:第6条第1号ホ（一）3"]
    assert any(link.eccn == "3A001.a.5.a.3" and any("thresholds" in b for b in link.basis) for link in adc)
    assert all(0 < link.confidence <= 0.95 for link in real_catalogue.links)


def test_us_only_and_japan_only_are_flagged(real_catalogue: Catalogue) -> None:
    assert "3A090" in real_catalogue.only_us and "4A090" in real_catalogue.only_us
    assert "4A906" not in real_catalogue.only_us  # Japan lists quantum computers in 第7条第6号
    assert _links(real_catalogue, "jp:export_order:8の項")["4A906"] == 0.8
    assert us_only_reason("5A992").startswith("anti-terrorism") and us_only_reason("3A001") == ""
    assert any(k.startswith("jp:export_order:16の項") for k in real_catalogue.only_jp)


def test_officer_confirmation_is_kept_as_data(data_dir: Path, real_catalogue: Catalogue) -> None:
    store.save(real_catalogue)
    catalogue = store.load()
    record_link(catalogue, "jp:export_order:7の項（12）", "3A002.d", officer="Sato", reason="signal generators")
    wrong = next(link for link in catalogue.links if link.jp_id == "jp:export_order:11の項（1）")
    record_link(catalogue, wrong.jp_id, wrong.eccn, officer="Sato", reason="checked", reject=True)
    links = effective_links(catalogue)
    assert any(link.eccn == "3A002.d" and link.confirmed_by == "Sato" and link.confidence == 1.0 for link in links)
    assert not any((link.jp_id, link.eccn) == (wrong.jp_id, wrong.eccn) for link in links)
    with pytest.raises(CatalogueError, match="no such ECCN"):
        record_link(catalogue, "jp:export_order:7の項（12）", "3A999.zz", officer="Sato", reason="x")


def test_crosswalk_and_confirm_link_commands(data_dir: Path, real_catalogue: Catalogue) -> None:
    import json as jsonlib

    from typer.testing import CliRunner

    from techguard.cli import app

    store.save(real_catalogue)
    runner = CliRunner()
    shown = runner.invoke(app, ["catalogue", "crosswalk", "11の項（1）"])
    assert shown.exit_code == 0
    links = [jsonlib.loads(line) for line in shown.output.splitlines()]
    assert links and all(link["jp_item"] == "11の項（1）" for link in links)
    assert any(link["eccn"].startswith("7A001") and link["basis"] for link in links)
    confirmed = runner.invoke(app, ["catalogue", "confirm-link", "jp:export_order:11の項（1）", "7A001",
                                    "--officer", "Sato", "--reason", "accelerometers"])
    assert confirmed.exit_code == 0 and '"action": "confirm"' in confirmed.output
    again = [jsonlib.loads(line) for line in runner.invoke(app, ["catalogue", "crosswalk", "7A001"]).output.splitlines()]
    assert any(link["confirmed_by"] == "Sato" and link["confidence"] == 1.0 for link in again)
    bad = runner.invoke(app, ["catalogue", "confirm-link", "jp:export_order:99の項", "7A001", "--officer", "S",
                              "--reason", "r"])
    assert bad.exit_code == 2
    status = jsonlib.loads(runner.invoke(app, ["catalogue", "status"]).output)
    assert status["built"] and status["counts"]["links"] > 1000
