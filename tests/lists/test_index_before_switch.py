"""The screening index is built and cached before a list switch, so no check after it waits for a build."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.lists.snapshot import SnapshotInfo
from techguard.lists.store import SnapshotStore
from techguard.matching import Screener
from techguard.matching.loading import screener_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"


def _csv(path: Path, *names: str) -> Path:
    path.write_text("id,name\n" + "".join(f"{n},{name}\n" for n, name in enumerate(names, 1)), encoding="utf-8")
    return path


def test_prepare_sees_the_coming_set_before_the_switch(tmp_path: Path) -> None:
    seen: list[tuple[list[tuple[str, int]], list[str]]] = []

    def prepare(store: SnapshotStore, coming: Sequence[SnapshotInfo]) -> None:
        active_now = [info.source for info in store.active()]
        seen.append(([(info.source, info.entries) for info in coming], active_now))

    store = SnapshotStore(tmp_path / "lists", prepare=prepare)
    store.import_files([_csv(tmp_path / "b.csv", "Beta One")], "simple_csv", source="bravo")
    store.import_files([_csv(tmp_path / "a.csv", "Alpha One", "Alpha Two")], "simple_csv", source="alpha")
    # the set the switch will make active, sorted by source, while the store still shows the previous one
    assert seen == [([("bravo", 1)], []), ([("alpha", 2), ("bravo", 1)], ["bravo"])]


def test_a_failing_prepare_leaves_the_previous_snapshot_active(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "lists")
    first = store.import_files([_csv(tmp_path / "v1.csv", "Alpha One")], "simple_csv", source="alpha")

    def broken(store: SnapshotStore, coming: Sequence[SnapshotInfo]) -> None:
        raise OSError("disk full")

    failing = SnapshotStore(tmp_path / "lists", prepare=broken)
    with pytest.raises(OSError, match="disk full"):
        failing.import_files([_csv(tmp_path / "v2.csv", "Alpha One", "Alpha Two")], "simple_csv", source="alpha")
    [active] = store.active()
    assert active.snapshot_id == first.snapshot_id
    assert [info.snapshot_id for info in store.history("alpha")] == [first.snapshot_id]


def test_cli_import_caches_the_index_the_next_check_loads(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["lists", "import", str(FIXTURES / "watchlist.csv"), "--format", "simple_csv"])
    assert result.exit_code == 0, result.stderr
    assert "screening index ready" in result.stderr
    assert len(list((data_dir / "cache" / "index").glob("*.tgidx"))) == 1

    def no_build(*_: object, **__: object) -> Screener:
        raise AssertionError("the index was built on the check although the import cached it")

    monkeypatch.setattr(Screener, "build", no_build)
    assert screener_for(None).parties  # loaded from the cache the import wrote


def test_a_rollback_checks_the_cached_index_without_loading_it(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from techguard.lists import default_store
    from techguard.matching import index_cache

    runner = CliRunner()
    for name, rows in (("v1.csv", ("Alpha One",)), ("v2.csv", ("Alpha One", "Alpha Two"))):
        result = runner.invoke(app, ["lists", "import", str(_csv(tmp_path / name, *rows)), "--format", "simple_csv",
                                     "--source", "alpha"])
        assert result.exit_code == 0, result.stderr
    first, second = sorted(default_store().history("alpha"), key=lambda info: info.sequence)
    caches = sorted((data_dir / "cache" / "index").glob("*.tgidx"), key=lambda p: p.stat().st_mtime)
    assert len(caches) == 2

    def refuse(*_: object, **__: object) -> Screener:
        raise AssertionError("an index cache that verifies was loaded or rebuilt on a rollback")

    with monkeypatch.context() as patched:
        patched.setattr(index_cache, "loads", refuse)
        patched.setattr(Screener, "build", refuse)
        result = runner.invoke(app, ["lists", "activate", "alpha", first.snapshot_id])
        assert result.exit_code == 0, result.stderr
    # a damaged cache is not trusted: the roll forward rebuilds it, and says so
    caches[1].write_bytes(caches[1].read_bytes()[:-10])
    result = runner.invoke(app, ["lists", "activate", "alpha", second.snapshot_id])
    assert result.exit_code == 0, result.stderr
    assert "index cache ignored and rebuilt" in result.stderr
    assert screener_for(None).parties[-1].name == "Alpha Two"
