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


def _egov_response(xml: bytes, revision_id: str) -> httpx.Response:
    import base64

    return httpx.Response(200, json={"revision_info": {"law_revision_id": revision_id},
                                     "law_full_text": base64.b64encode(xml).decode()})


def test_update_from_ecfr_and_egov_builds_an_official_catalogue(data_dir: Path, shared: Path) -> None:
    from .conftest import FIXTURES

    export_order = next((shared / "rules" / "egov_xml").glob("324CO0000000378_*.xml"))

    def serve(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("titles.json"):
            return httpx.Response(200, json={"titles": [{"number": 15, "latest_issue_date": "2026-11-30"}]})
        if "title-15.xml" in path:
            assert request.url.params["part"] == "774"
            return httpx.Response(200, content=(FIXTURES / "ecfr_774_sample.xml").read_bytes())
        if path.endswith("324CO0000000378"):
            return _egov_response(export_order.read_bytes(), export_order.stem)
        if path.endswith("355CO0000000260"):
            return _egov_response((FIXTURES / "fx_order_sample.xml").read_bytes(), "355CO0000000260_20260605_x")
        if path.endswith("403M50000400049"):
            return _egov_response((FIXTURES / "kamotsu_sample.xml").read_bytes(), "403M50000400049_20260214_x")
        return httpx.Response(404)

    with httpx.Client(transport=httpx.MockTransport(serve)) as client:
        with pytest.raises(CatalogueError, match="only 2 ECCNs"):
            build_online(client)  # a two-ECCN Part 774 is a broken download, not a CCL
        catalogue = build_online(client, minimum_eccns=2)
    store.save(catalogue)
    status = store.status()
    assert all(source["official"] for source in status["sources"])
    dates = {source["name"]: source["as_of"] for source in status["sources"]}
    assert dates == {"ccl": "2026-11-30", "export_order": "2026-02-14", "fx_order": "2026-06-05",
                     "kamotsu_ordinance": "2026-02-14"}
    assert store.load().entries["jp:ordinance:第6条第1号ロ"].jp_item == "7の項（1）"
    assert store.load().entries["us:3A001.b.3"].as_of == "2026-11-30"
