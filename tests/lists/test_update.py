"""``SnapshotStore.update``: downloads through an injected httpx client; every fault leaves the old snapshot active."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from techguard.lists.sources import SOURCES, Discovery, OfficialSource, updatable_sources
from techguard.lists.store import SnapshotStore
from techguard.lists.update import DownloadError, UpdateStatus, find_meti_xlsx_link

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"
URL = "https://lists.example.test/watch.csv"
PAGE = "https://www.meti.example.test/policy/anpo/law00.html"


def csv_body(count: int, prefix: str = "Party") -> bytes:
    rows = ["id,name,kind,countries"] + [f"ID-{n},{prefix} {n},organisation,JP" for n in range(1, count + 1)]
    return ("\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture()
def test_source(monkeypatch: pytest.MonkeyPatch) -> OfficialSource:
    source = OfficialSource(
        code="test_list",
        title_en="Test list",
        publisher="nobody",
        format="simple_csv",
        urls=(URL,),
        local_names=("watch.csv",),
        covers="tests",
        landing_page="https://lists.example.test/",
        max_age_days=7,
    )
    monkeypatch.setitem(SOURCES, source.code, source)
    return source


@pytest.fixture()
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "lists")


Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def serve(body: bytes) -> httpx.Client:
    return client(lambda request: httpx.Response(200, content=body))


def activate_first(store: SnapshotStore, count: int = 10) -> str:
    [report] = store.update(["test_list"], client=serve(csv_body(count)))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    assert report.snapshot is not None
    return report.snapshot.snapshot_id


def assert_still_active(store: SnapshotStore, snapshot_id: str) -> None:
    info = store.active_info("test_list")
    assert info is not None and info.snapshot_id == snapshot_id
    assert [i.snapshot_id for i in store.history("test_list")] == [snapshot_id]
    assert not any((store.root / ".staging").glob("*"))


def test_update_downloads_parses_and_activates(store: SnapshotStore, test_source: OfficialSource) -> None:
    [report] = store.update(["test_list"], client=serve(csv_body(10)))
    assert report.status is UpdateStatus.ACTIVATED and report.ok
    assert report.previous_id is None
    info = store.active_info("test_list")
    assert info is not None
    assert info.entries == 10 and info.source_url == URL and info.format == "simple_csv"
    assert info.checked_at is not None  # fetched from the publisher: known current now
    raw = store.snapshots_dir / "test_list" / info.snapshot_id / "raw" / "watch.csv"
    assert raw.read_bytes() == csv_body(10)


def test_an_identical_file_is_reported_unchanged_without_a_new_snapshot(
    store: SnapshotStore, test_source: OfficialSource
) -> None:
    first = activate_first(store)
    [report] = store.update(["test_list"], client=serve(csv_body(10)))
    assert report.status is UpdateStatus.UNCHANGED and report.ok
    assert len(store.history("test_list")) == 1
    info = store.active_info("test_list")
    assert info is not None and info.snapshot_id == first and info.checked_at is not None


def test_a_truncated_download_is_refused(store: SnapshotStore, test_source: OfficialSource) -> None:
    good = activate_first(store)
    body = csv_body(12)

    def truncated(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(len(body) + 500)}, content=body)

    [report] = store.update(["test_list"], client=client(truncated))
    assert report.status is UpdateStatus.REFUSED
    assert "incomplete download" in report.message and f"of {len(body) + 500} bytes" in report.message
    assert report.previous_id == good
    assert_still_active(store, good)


def test_garbage_is_refused_with_the_parser_message(
    store: SnapshotStore, test_source: OfficialSource
) -> None:
    good = activate_first(store)
    [report] = store.update(["test_list"], client=serve(b"<html><body>Service unavailable</body></html>"))
    assert report.status is UpdateStatus.REFUSED
    assert "watch.csv" in report.message and "line 1" in report.message and "'id'" in report.message
    assert_still_active(store, good)


class _BrokenStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield csv_body(10)[:20]
        raise httpx.ReadError("connection reset by peer")


def test_a_connection_dropped_mid_stream_fails_cleanly(
    store: SnapshotStore, test_source: OfficialSource
) -> None:
    good = activate_first(store)
    [report] = store.update(
        ["test_list"], client=client(lambda r: httpx.Response(200, stream=_BrokenStream()))
    )
    assert report.status is UpdateStatus.FAILED
    assert "ReadError" in report.message and "connection reset" in report.message
    assert_still_active(store, good)


def test_an_http_error_fails_cleanly(store: SnapshotStore, test_source: OfficialSource) -> None:
    good = activate_first(store)
    [report] = store.update(["test_list"], client=client(lambda r: httpx.Response(503)))
    assert report.status is UpdateStatus.FAILED and "HTTP 503" in report.message
    assert_still_active(store, good)


def test_an_empty_body_is_refused(store: SnapshotStore, test_source: OfficialSource) -> None:
    good = activate_first(store)
    [report] = store.update(["test_list"], client=serve(b""))
    assert report.status is UpdateStatus.REFUSED and "empty" in report.message
    assert_still_active(store, good)


def test_a_suspicious_drop_is_refused_unless_forced(
    store: SnapshotStore, test_source: OfficialSource
) -> None:
    good = activate_first(store, 100)
    [report] = store.update(["test_list"], client=serve(csv_body(70)))
    assert report.status is UpdateStatus.REFUSED and "30%" in report.message and "--force" in report.message
    assert_still_active(store, good)
    [forced] = store.update(["test_list"], force=True, client=serve(csv_body(70)))
    assert forced.status is UpdateStatus.ACTIVATED
    assert store.active_info("test_list") is not None
    assert store.load_parties(["test_list"])[-1].source_id == "ID-70"


def test_a_crash_during_activation_of_a_download_keeps_the_old_snapshot(
    store: SnapshotStore, test_source: OfficialSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = activate_first(store)
    before = (store.root / "active.json").read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "I/O error while replacing active.json")

    monkeypatch.setattr(store, "_set_active_many", fail)  # the one write of active.json
    [report] = store.update(["test_list"], client=serve(csv_body(11)))
    assert report.status is UpdateStatus.FAILED and "I/O error" in report.message
    assert (store.root / "active.json").read_bytes() == before
    monkeypatch.undo()
    assert_still_active(store, good)


def test_one_failing_source_does_not_stop_the_others(
    store: SnapshotStore, test_source: OfficialSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_url = "https://other.example.test/list.csv"
    monkeypatch.setitem(
        SOURCES,
        "test_other",
        OfficialSource(**{**_fields(test_source), "code": "test_other", "urls": (other_url,)}),
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == URL:
            return httpx.Response(500)
        return httpx.Response(200, content=csv_body(3))

    reports = store.update(["test_list", "test_other", "no_such_list"], client=client(handler))
    assert [(r.source, r.status) for r in reports] == [
        ("test_list", UpdateStatus.FAILED),
        ("test_other", UpdateStatus.ACTIVATED),
        ("no_such_list", UpdateStatus.FAILED),
    ]
    assert "unknown list source 'no_such_list'" in reports[2].message
    assert [i.source for i in store.active()] == ["test_other"]


def _fields(source: OfficialSource) -> dict[str, object]:
    return {name: getattr(source, name) for name in OfficialSource.__slots__}


def test_multi_file_sources_save_each_file_under_its_expected_name(
    store: SnapshotStore, test_source: OfficialSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = ("https://lists.example.test/A.CSV", "https://lists.example.test/B.CSV")
    monkeypatch.setitem(
        SOURCES,
        "test_list",
        OfficialSource(**{**_fields(test_source), "urls": urls, "local_names": ("a.csv", "b.csv")}),
    )
    bodies = {urls[0]: csv_body(2), urls[1]: b"id,name\nB-1,Bravo\n"}
    [report] = store.update(
        ["test_list"], client=client(lambda r: httpx.Response(200, content=bodies[str(r.url)]))
    )
    assert report.status is UpdateStatus.ACTIVATED
    info = store.active_info("test_list")
    assert info is not None and info.files == ("a.csv", "b.csv") and info.entries == 3
    assert info.sha256 not in info.file_sha256.values()  # combined, not one file's hash


def test_meti_two_step_download_follows_the_newest_xlsx_link(
    store: SnapshotStore, test_source: OfficialSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        SOURCES,
        "test_list",
        OfficialSource(**{**_fields(test_source), "urls": (PAGE,), "discovery": Discovery.METI_XLSX_LINK}),
    )
    requested: list[str] = []
    xlsx_url = "https://www.meti.example.test/policy/anpo/law_document/tutatu/20250929_4.xlsx"

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if str(request.url) == PAGE:
            return httpx.Response(200, content=(FIXTURES / "law00.html").read_bytes())
        if str(request.url) == xlsx_url:
            return httpx.Response(200, content=csv_body(4))
        return httpx.Response(404)

    [report] = store.update(["test_list"], client=client(handler))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    assert requested == [PAGE, xlsx_url]
    info = store.active_info("test_list")
    assert info is not None and info.source_url == xlsx_url


def test_find_meti_xlsx_link_prefers_the_latest_end_user_list() -> None:
    html = (FIXTURES / "law00.html").read_bytes()
    link = find_meti_xlsx_link(html, "https://www.meti.go.jp/policy/anpo/law00.html")
    assert link == "https://www.meti.go.jp/policy/anpo/law_document/tutatu/20250929_4.xlsx"


def test_find_meti_xlsx_link_without_excel_links_is_a_clear_error() -> None:
    with pytest.raises(DownloadError, match=r"no \.xlsx link"):
        find_meti_xlsx_link(b"<html><a href='list.pdf'>PDF</a></html>", PAGE)


def test_sources_without_a_download_fail_with_guidance(store: SnapshotStore) -> None:
    reports = store.update(["us_bis_dpl", "jp_meti_ban"], client=serve(b"unused"))
    assert [r.status for r in reports] == [UpdateStatus.FAILED, UpdateStatus.FAILED]
    assert "covered by us_csl" in reports[0].message
    assert "techguard lists import" in reports[1].message


def test_default_update_covers_every_downloadable_official_source(store: SnapshotStore) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(404)

    reports = store.update(client=client(handler))
    assert [r.source for r in reports] == [s.code for s in updatable_sources()]
    assert {r.source for r in reports} == {
        "us_csl",
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc",
        "jp_meti_eul",
        "eu_fsf",
        "uk_fcdo",
    }
    assert all(r.status is UpdateStatus.FAILED for r in reports)
    assert "data.trade.gov" in seen and "scsanctions.un.org" in seen and "www.meti.go.jp" in seen
    assert store.active() == []


def test_a_gzip_encoded_download_is_checked_against_its_wire_length(
    store: SnapshotStore, test_source: OfficialSource
) -> None:
    import gzip

    packed = gzip.compress(csv_body(10))

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(packed))}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(packed))

    [report] = store.update(["test_list"], client=client(handler))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    info = store.active_info("test_list")
    assert info is not None and info.entries == 10


def test_meti_end_user_list_update_end_to_end_with_the_real_workbook(
    store: SnapshotStore, shared: Path
) -> None:
    workbook = (shared / "lists/jp_meti_official_2025/20250929_4.xlsx").read_bytes()
    page = "https://www.meti.go.jp/policy/anpo/law00.html"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == page:
            return httpx.Response(200, content=(FIXTURES / "law00.html").read_bytes())
        if request.url.path.endswith("/20250929_4.xlsx"):
            return httpx.Response(200, content=workbook)
        return httpx.Response(404)

    [report] = store.update(["jp_meti_eul"], client=client(handler))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    info = store.active_info("jp_meti_eul")
    assert info is not None and info.entries == 835 and info.format == "meti_eul_xlsx"
    assert info.source_url == "https://www.meti.go.jp/policy/anpo/law_document/tutatu/20250929_4.xlsx"
    assert info.max_age_days == 30


@pytest.mark.parametrize(
    ("source", "files"),
    [
        ("us_csl", {"consolidated.csv": "format_samples/watchman_cslustest_consolidated.csv"}),
        ("un_sc", {"consolidated.xml": "un_sc_consolidated_2026-02-27/UN_consolidated.xml"}),
        ("eu_fsf", {"content": "format_samples/eu_fsf_excerpt_reke_XMLTest.xml"}),
        (
            "us_ofac_cons",
            {
                f"{name.upper()}": f"us_ofac_consolidated_nonsdn_2025-12-19/{name}"
                for name in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
            },
        ),
    ],
)
def test_each_official_source_is_wired_to_its_format(
    store: SnapshotStore, shared: Path, source: str, files: dict[str, str]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, content=(shared / "lists" / files[name]).read_bytes())

    [report] = store.update([source], client=client(handler))
    assert report.status is UpdateStatus.ACTIVATED, report.message
    info = store.active_info(source)
    assert info is not None and info.entries > 0 and info.format == SOURCES[source].format
    assert info.source_url == SOURCES[source].urls[0]


@pytest.fixture()
def second_source(monkeypatch: pytest.MonkeyPatch, test_source: OfficialSource) -> OfficialSource:
    from dataclasses import replace

    source = replace(test_source, code="test_list_two", urls=("https://lists.example.test/two.csv",),
                     local_names=("two.csv",))
    monkeypatch.setitem(SOURCES, source.code, source)
    return source


def _two_lists(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=csv_body(12 if request.url.path.endswith("two.csv") else 11))


def test_an_update_of_several_lists_prepares_the_index_once_for_all_of_them(
    tmp_path: Path, test_source: OfficialSource, second_source: OfficialSource
) -> None:
    prepared: list[list[tuple[str, int, bool]]] = []
    store = SnapshotStore(tmp_path / "lists", prepare=lambda store, coming: prepared.append(
        [(info.source, info.entries, info.source in {a.source for a in store.active()}) for info in coming]))
    reports = store.update(["test_list", "test_list_two"], client=client(_two_lists))
    assert [r.status for r in reports] == [UpdateStatus.ACTIVATED, UpdateStatus.ACTIVATED]
    # one prepare, seeing both new snapshots while neither is active yet
    assert prepared == [[("test_list", 11, False), ("test_list_two", 12, False)]]
    assert all(r.snapshot is not None and r.snapshot.active and r.snapshot.checked_at for r in reports)
    assert [(i.source, i.entries) for i in store.active()] == [("test_list", 11), ("test_list_two", 12)]


def test_a_failing_prepare_switches_none_of_the_updated_lists(
    tmp_path: Path, test_source: OfficialSource, second_source: OfficialSource
) -> None:
    plain = SnapshotStore(tmp_path / "lists")
    good = activate_first(plain)

    def broken(store: SnapshotStore, coming: object) -> None:
        raise OSError(28, "No space left on device")

    store = SnapshotStore(tmp_path / "lists", prepare=broken)
    reports = store.update(["test_list", "test_list_two"], client=client(_two_lists))
    assert [r.status for r in reports] == [UpdateStatus.FAILED, UpdateStatus.FAILED]
    assert all("No space left" in r.message and r.snapshot is None for r in reports)
    assert_still_active(store, good)
    assert store.active_info("test_list_two") is None and store.history("test_list_two") == []
