"""``diff_snapshots`` and ``SnapshotStore.diff``: added, removed and changed entries with field-level changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from techguard.lists.diff import diff_snapshots
from techguard.lists.errors import ListError
from techguard.lists.model import Name, NameType, Party, PartyKind
from techguard.lists.store import SnapshotStore


def party(source_id: str, name: str, **kwargs: object) -> Party:
    return Party("us_csl", source_id, "us_entity_list", PartyKind.ORGANISATION, name, **kwargs)  # type: ignore[arg-type]


def test_added_removed_changed_and_unchanged() -> None:
    old = [party("1", "Alpha"), party("2", "Bravo", countries=("CN",)), party("3", "Charlie")]
    new = [
        party("1", "Alpha"),
        party("2", "Bravo Ltd", countries=("CN", "HK"), names=(Name("Bravo", NameType.FKA),)),
        party("4", "Delta"),
    ]
    diff = diff_snapshots(old, new, source="us_csl", old_id="a", new_id="b")
    assert [p.source_id for p in diff.added] == ["4"]
    assert [p.source_id for p in diff.removed] == ["3"]
    assert diff.unchanged == 1
    [change] = diff.changed
    assert change.source_id == "2" and change.name == "Bravo Ltd"
    by_field = {c.field: (c.old, c.new) for c in change.changes}
    assert by_field == {
        "name": ("Bravo", "Bravo Ltd"),
        "names": (None, [["Bravo", "fka"]]),
        "countries": (["CN"], ["CN", "HK"]),
    }
    assert diff.summary() == "1 added, 1 removed, 1 changed, 1 unchanged / 追加1件、削除1件、変更1件、変更なし1件"
    data = diff.to_json()
    assert data["from"] == "a" and data["to"] == "b"
    assert data["added"] == [{"source_id": "4", "name": "Delta"}]
    assert data["changed"][0]["changes"][0] == {"field": "name", "old": "Bravo", "new": "Bravo Ltd"}


def test_identical_snapshots_have_an_empty_diff() -> None:
    rows = [party("1", "Alpha"), party("2", "Bravo")]
    diff = diff_snapshots(rows, list(rows))
    assert diff.is_empty and diff.unchanged == 2


def test_the_snapshot_label_and_extra_are_not_changes() -> None:
    old = [party("1", "Alpha", extra={"row": 5})]
    new = [Party("custom", "1", "us_entity_list", PartyKind.ORGANISATION, "Alpha", extra={"row": 9})]
    assert diff_snapshots(old, new).is_empty


def test_repeated_ids_are_compared_in_order_not_lost() -> None:
    old = [party("7", "Echo"), party("7", "Echo second")]
    new = [party("7", "Echo")]
    diff = diff_snapshots(old, new)
    assert [p.name for p in diff.removed] == ["Echo second"]


def csv(path: Path, rows: list[str]) -> Path:
    path.write_text("id,name,countries\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_store_diff_defaults_to_previous_versus_active(tmp_path: Path) -> None:
    moments = iter(datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=n) for n in range(100))
    store = SnapshotStore(tmp_path / "lists", now=lambda: next(moments))
    first = store.import_files([csv(tmp_path / "l.csv", ["A,Alpha,JP", "B,Bravo,CN"])], "simple_csv")
    second = store.import_files(
        [csv(tmp_path / "l.csv", ["A,Alpha,JP", "B,Bravo,RU", "C,Charlie,KP"])], "simple_csv"
    )
    diff = store.diff("custom")
    assert (diff.old_id, diff.new_id) == (first.snapshot_id, second.snapshot_id)
    assert [p.source_id for p in diff.added] == ["C"]
    assert [c.source_id for c in diff.changed] == ["B"]
    reverse = store.diff("custom", from_id=second.snapshot_id, to_id=first.snapshot_id)
    assert [p.source_id for p in reverse.removed] == ["C"]
    with pytest.raises(ListError, match="no earlier snapshot"):
        store.diff("custom", to_id=first.snapshot_id)
    with pytest.raises(ListError, match="no snapshots of 'un_sc'"):
        store.diff("un_sc")
