"""The web app loads the screening index at start (from the on-disk cache the CLI shares), not on a request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from techguard.web.screening import services

WATCH = "id,name,kind,countries\n1,Example Dual Use Ltd,organisation,CN\n"


@pytest.fixture()
def active_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from techguard import config
    from techguard.lists.store import SnapshotStore

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    config.set_data_dir(None)
    watch = tmp_path / "watch.csv"
    watch.write_text(WATCH, encoding="utf-8")
    SnapshotStore(tmp_path / "lists").import_files([watch], "simple_csv")
    services.set_screener_for_tests(None)
    return tmp_path


def test_warm_up_builds_once_and_later_processes_load_the_cache(
    active_list: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from techguard.matching import Screener

    assert services.warm_up() is True
    assert len(list((active_list / "cache" / "index").glob("*.tgidx"))) == 1
    services.set_screener_for_tests(None)  # as a fresh server process

    def no_build(*_: object, **__: object) -> Screener:
        raise AssertionError("the index was rebuilt although the snapshots did not change")

    monkeypatch.setattr(Screener, "build", no_build)
    assert services.warm_up() is True
    [match] = services.screen_name("Example Dual Use Ltd")
    assert match["party"]["name"] == "Example Dual Use Ltd" and match["alert"]


def test_warm_up_without_lists_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techguard import config

    monkeypatch.setenv("TECHGUARD_DATA_DIR", str(tmp_path))
    config.set_data_dir(None)
    services.set_screener_for_tests(None)
    assert services.warm_up() is False


def test_the_wsgi_application_loads_the_index_when_imported(active_list: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL"))}
    env["TECHGUARD_DATA_DIR"] = str(active_list)
    code = (
        "import techguard.web.wsgi\n"
        "from techguard.web.screening import services\n"
        "print(services._cached is not None and services._cached[0] != ('test',))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert list((active_list / "cache" / "index").glob("*.tgidx"))


def test_the_index_watch_loads_a_new_list_before_any_check(active_list: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list imported by another process (the CLI) is loaded by the server in the background, from the index
    the import cached before its switch: neither a check nor the watch builds it."""
    import time

    from techguard.lists.store import SnapshotStore
    from techguard.matching import Screener
    from techguard.matching.loading import cache_index_of

    assert services.warm_up() is True
    before = services._cached
    newer = active_list / "newer.csv"
    newer.write_text("id,name,kind,countries\n1,Newly Listed Optics Co,organisation,CN\n", encoding="utf-8")
    SnapshotStore(active_list / "lists", prepare=cache_index_of).import_files([newer], "simple_csv", source="newer")

    def no_build(*_: object, **__: object) -> Screener:
        raise AssertionError("the index was built in the server although the import cached it")

    monkeypatch.setattr(Screener, "build", no_build)
    stop = services.start_index_watch(interval=0.05)
    try:
        deadline = time.monotonic() + 30
        while services._cached is before and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert services._cached is not before, "the watch did not load the new lists"
    assert any(m["party"]["name"] == "Newly Listed Optics Co" for m in services.screen_name("Newly Listed Optics Co"))
