from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from techguard.catalogue import store
from techguard.catalogue.build import build_from_dirs, build_online
from techguard.catalogue.model import Catalogue, CatalogueError


def test_save_and_load_round_trip(data_dir: Path, real_catalogue: Catalogue) -> None:
    store.save(real_catalogue)
    loaded = store.load()
    assert loaded.entries["us:3A001.b.3"] == real_catalogue.entries["us:3A001.b.3"]
    assert store.status()["counts"]["export_order"] == 330


def test_failed_update_leaves_the_previous_catalogue_in_force(data_dir: Path, real_catalogue: Catalogue) -> None:
    store.save(real_catalogue)
    before = store.catalogue_path().read_bytes()

    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("titles.json"):
            return httpx.Response(200, json={"titles": [{"number": 15, "latest_issue_date": "2026-11-30"}]})
        return httpx.Response(503, text="maintenance")

    with httpx.Client(transport=httpx.MockTransport(broken)) as client, pytest.raises(CatalogueError, match="503"):
        store.save(build_online(client))
    assert store.catalogue_path().read_bytes() == before
    assert store.load().built_at == real_catalogue.built_at


def test_missing_source_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="no ccl source"):
        build_from_dirs([tmp_path])


def test_corrupt_catalogue_file_is_a_clear_error(data_dir: Path) -> None:
    store.catalogue_path().write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(CatalogueError, match="not a techguard catalogue"):
        store.load()


def test_no_catalogue_says_how_to_build_one(data_dir: Path) -> None:
    with pytest.raises(CatalogueError, match="catalogue update"):
        store.load()


def test_search_index_is_cached_beside_the_catalogue_and_rebuilt_when_stale(
    data_dir: Path, real_catalogue: Catalogue
) -> None:
    from techguard.catalogue import search

    store.save(real_catalogue)
    first = search.current_searcher()
    cache = store.catalogue_dir() / "index.json"
    assert json.loads(cache.read_text(encoding="utf-8"))["built_at"] == real_catalogue.built_at
    search._searchers.clear()
    again = search.current_searcher()
    assert again.index.ids == first.index.ids and again.index.postings["programmable"] == first.index.postings["programmable"]
    cache.write_text("{broken", encoding="utf-8")
    search._searchers.clear()
    assert search.current_searcher().search("FPGA 2000 I/O").candidates[0].eccn.startswith("3A001")
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == search.INDEX_VERSION
