"""The list status page never shows the import day as a list's date: an undated file is "unknown" and stale."""

from __future__ import annotations

import datetime as dt


def test_an_undated_list_shows_unknown_and_is_stale(login, tmp_path, monkeypatch):
    from techguard import config
    from techguard.lists.store import SnapshotStore

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    config.set_data_dir(None)
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Ltd,organisation,CN\n", encoding="utf-8")
    today = dt.datetime.now(dt.UTC)
    SnapshotStore(tmp_path / "lists", now=lambda: today).import_files([watch], "simple_csv")
    page = login("alice").get("/screening/lists/").content.decode()
    assert "custom" in page and "unknown / 不明" in page
    assert today.date().isoformat() not in page
    assert 'id="stale-warning"' in page
