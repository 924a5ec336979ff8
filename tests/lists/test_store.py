"""The snapshot store: atomic activation, sanity checks, history and roll back, party (de)serialisation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techguard.lists.detect import detect_format
from techguard.lists.errors import ListError, ListFormatError, UpdateRefused
from techguard.lists.formats import FORMATS, ListFormat, ParseResult
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.lists.snapshot import (
    SnapshotInfo,
    combined_sha256,
    party_from_dict,
    party_to_dict,
    read_parties,
    write_parties,
)
from techguard.lists.sources import max_age_days
from techguard.lists.store import SnapshotStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "store"


def write_csv(path: Path, count: int, *, start: int = 1, prefix: str = "Party") -> Path:
    lines = ["id,name,aliases,kind,countries"]
    lines += [f"ID-{n},{prefix} {n},Alias {n},organisation,JP" for n in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture()
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "lists", now=Clock())


def snapshot_dirs(store: SnapshotStore, source: str) -> list[str]:
    folder = store.snapshots_dir / source
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_import_creates_an_active_snapshot_with_metadata(store: SnapshotStore, tmp_path: Path) -> None:
    info = store.import_files([FIXTURES / "watchlist.csv"], "simple_csv")
    assert info.source == "custom" and info.active
    assert info.entries == 4
    assert info.names == 4 + 4  # primaries + aliases (W-001 has two, W-002 two)
    assert info.sha256 == combined_sha256({"watchlist.csv": info.file_sha256["watchlist.csv"]})
    # the file carries no date: unknown (never the import day), and a list of unknown age is stale
    assert info.as_of is None and info.as_of_text == "unknown / 不明" and info.publisher_date_origin is None
    assert info.age_days is None and info.stale
    [active] = store.active()
    assert active.snapshot_id == info.snapshot_id
    raw = store.snapshots_dir / "custom" / info.snapshot_id / "raw" / "watchlist.csv"
    assert raw.read_bytes() == (FIXTURES / "watchlist.csv").read_bytes()
    assert (
        json.loads((store.root / "active.json").read_text())["active"]["custom"]["snapshot"]
        == info.snapshot_id
    )


def test_source_override_relabels_parties(store: SnapshotStore) -> None:
    store.import_files([FIXTURES / "watchlist.csv"], "simple_csv", source="acme_denials")
    parties = store.load_parties(["acme_denials"])
    assert {p.source for p in parties} == {"acme_denials"}
    assert {p.list for p in parties} == {"acme_denials"}
    assert parties[0].key == "acme_denials:W-001"


def test_previous_snapshots_are_kept_and_can_be_reactivated(store: SnapshotStore, tmp_path: Path) -> None:
    first = store.import_files([write_csv(tmp_path / "a.csv", 10)], "simple_csv")
    second = store.import_files([write_csv(tmp_path / "a.csv", 11)], "simple_csv")
    assert [i.snapshot_id for i in store.history("custom")] == [second.snapshot_id, first.snapshot_id]
    assert [i.active for i in store.history("custom")] == [True, False]
    assert len(store.load_parties()) == 11
    store.activate("custom", first.snapshot_id)
    assert store.active()[0].snapshot_id == first.snapshot_id
    assert len(store.load_parties()) == 10


def test_activate_unknown_snapshot_is_an_error(store: SnapshotStore, tmp_path: Path) -> None:
    store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv")
    with pytest.raises(ListError, match="does not exist"):
        store.activate("custom", "20990101T000000Z-deadbeef")


def test_empty_list_is_refused_and_nothing_changes(store: SnapshotStore, tmp_path: Path) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 5)], "simple_csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(UpdateRefused, match="no entries"):
        store.import_files([empty], "simple_csv")
    assert store.active()[0].snapshot_id == good.snapshot_id
    assert snapshot_dirs(store, "custom") == [good.snapshot_id]


def test_big_drop_is_refused_unless_forced(store: SnapshotStore, tmp_path: Path) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 100)], "simple_csv")
    store.import_files([write_csv(tmp_path / "a.csv", 80)], "simple_csv")  # exactly 20 %: allowed
    with pytest.raises(UpdateRefused, match=r"fewer than the active snapshot's 80 .*--force"):
        store.import_files([write_csv(tmp_path / "a.csv", 63)], "simple_csv")  # 21.25 % drop
    assert store.active()[0].entries == 80
    forced = store.import_files([write_csv(tmp_path / "a.csv", 63)], "simple_csv", force=True)
    assert store.active()[0].snapshot_id == forced.snapshot_id
    assert len(store.history("custom")) == 3
    assert good.snapshot_id in {i.snapshot_id for i in store.history("custom")}


def test_max_drop_is_a_setting(tmp_path: Path) -> None:
    strict = SnapshotStore(tmp_path / "lists", max_drop=0.05, now=Clock())
    strict.import_files([write_csv(tmp_path / "a.csv", 100)], "simple_csv")
    with pytest.raises(UpdateRefused):
        strict.import_files([write_csv(tmp_path / "a.csv", 94)], "simple_csv")
    with pytest.raises(ValueError):
        SnapshotStore(tmp_path, max_drop=1.5)


def test_parse_error_names_file_line_and_field_and_changes_nothing(
    store: SnapshotStore, tmp_path: Path
) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,countries\nX1,Alpha,JP\nX2,Beta,Atlantis\n", encoding="utf-8")
    with pytest.raises(ListFormatError) as caught:
        store.import_files([bad], "simple_csv")
    assert caught.value.line == 3 and caught.value.field == "countries"
    assert "bad.csv" in str(caught.value) and "line 3" in str(caught.value)
    assert store.active()[0].snapshot_id == good.snapshot_id
    assert snapshot_dirs(store, "custom") == [good.snapshot_id]


@pytest.fixture()
def crashing_format() -> Iterator[ListFormat]:
    def parse(paths: object) -> ParseResult:
        raise RuntimeError("boom inside the parser")

    fmt = ListFormat("test_crashing", "raises", "custom", parse)
    FORMATS[fmt.code] = fmt
    yield fmt
    del FORMATS[fmt.code]


def test_a_crashing_parser_is_refused_cleanly(
    store: SnapshotStore, tmp_path: Path, crashing_format: ListFormat
) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv")
    with pytest.raises(UpdateRefused, match=r"a\.csv: the test_crashing reader could not parse.*boom"):
        store.import_files([tmp_path / "a.csv"], crashing_format.code)
    assert store.active()[0].snapshot_id == good.snapshot_id


def test_a_crash_during_activation_leaves_the_old_snapshot_active(
    store: SnapshotStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 5)], "simple_csv")
    active_before = (store.root / "active.json").read_bytes()

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("killed between writing and activation")

    monkeypatch.setattr(store, "_set_active", killed)
    with pytest.raises(KeyboardInterrupt):
        store.import_files([write_csv(tmp_path / "a.csv", 6)], "simple_csv")
    assert (store.root / "active.json").read_bytes() == active_before
    assert [i.snapshot_id for i in store.history("custom")] == [good.snapshot_id]
    assert snapshot_dirs(store, "custom") == [good.snapshot_id]
    assert not any((store.root / ".staging").glob("*"))


def test_a_crash_while_writing_leaves_no_visible_half_snapshot(
    store: SnapshotStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = store.import_files([write_csv(tmp_path / "a.csv", 5)], "simple_csv")
    import techguard.lists.store as store_module

    def disk_full(path: Path, parties: object) -> int:
        path.write_bytes(b"\x1f\x8b partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "write_parties", disk_full)
    with pytest.raises(OSError, match="No space"):
        store.import_files([write_csv(tmp_path / "a.csv", 6)], "simple_csv")
    assert snapshot_dirs(store, "custom") == [good.snapshot_id]
    assert store.active()[0].snapshot_id == good.snapshot_id


def test_leftover_staging_from_a_killed_process_is_ignored_and_cleaned(
    store: SnapshotStore, tmp_path: Path
) -> None:
    store.import_files([write_csv(tmp_path / "a.csv", 5)], "simple_csv")
    leftover = store.root / ".staging" / "custom-20260101T000000Z-x"
    leftover.mkdir(parents=True)
    (leftover / "parties.jsonl.gz").write_bytes(b"half")
    assert len(store.history("custom")) == 1
    store.import_files([write_csv(tmp_path / "a.csv", 5, prefix="Renamed")], "simple_csv")
    assert not leftover.exists()


def test_a_snapshot_folder_without_meta_is_not_listed(store: SnapshotStore, tmp_path: Path) -> None:
    store.import_files([write_csv(tmp_path / "a.csv", 5)], "simple_csv")
    (store.snapshots_dir / "custom" / "20260101T000000Z-half").mkdir()
    assert len(store.history("custom")) == 1


def test_the_lock_keeps_a_second_updater_out(store: SnapshotStore, tmp_path: Path) -> None:
    from techguard.lists.snapshot import FileLock

    store.root.mkdir(parents=True)
    other = SnapshotStore(store.root, lock_timeout=0.2)
    with FileLock(store.root / ".lock", 1.0), pytest.raises(ListError, match="another techguard process"):
        other.import_files([write_csv(tmp_path / "a.csv", 2)], "simple_csv")
    assert other.active() == []


def test_missing_file_and_unknown_format_are_clear_errors(store: SnapshotStore, tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"nope\.csv: file not found"):
        store.import_files([tmp_path / "nope.csv"], "simple_csv")
    with pytest.raises(UpdateRefused, match=r"unknown list format 'no_such'.*simple_csv"):
        store.import_files([write_csv(tmp_path / "a.csv", 2)], "no_such")


def test_load_parties_of_a_source_without_snapshot_names_it(store: SnapshotStore) -> None:
    with pytest.raises(ListError, match="no active snapshot for us_csl"):
        store.load_parties(["us_csl"])


def test_load_parties_is_cached_per_snapshot(store: SnapshotStore, tmp_path: Path) -> None:
    info = store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv")
    assert store.parties("custom", info.snapshot_id) is store.parties("custom", info.snapshot_id)


def test_combined_sha256_is_order_independent_and_single_file_is_plain() -> None:
    one = {"a.csv": "1" * 64}
    assert combined_sha256(one) == "1" * 64
    assert combined_sha256({"a": "1" * 64, "b": "2" * 64}) == combined_sha256({"b": "2" * 64, "a": "1" * 64})
    assert combined_sha256({"a": "1" * 64, "b": "2" * 64}) != combined_sha256({"a": "2" * 64, "b": "1" * 64})


def make_info(**changes: object) -> SnapshotInfo:
    base = SnapshotInfo(
        source="us_csl",
        snapshot_id="x",
        format="csl_csv",
        entries=1,
        names=1,
        publisher_date="2026-01-01",
        retrieved_at="2026-01-05T00:00:00Z",
        sha256="0" * 64,
        source_url=None,
        max_age_days=7,
    )
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def test_age_counts_from_the_last_online_check_else_the_publisher_date() -> None:
    info = make_info()
    assert info.as_of == "2026-01-01"
    assert info.age_days_on(date(2026, 1, 9)) == 8
    checked = make_info(checked_at="2026-01-08T10:00:00Z")
    assert checked.age_days_on(date(2026, 1, 9)) == 1
    unknown = make_info(publisher_date=None)
    assert unknown.as_of is None and unknown.age_days_on(date(2026, 1, 9)) is None and unknown.stale
    # a downloaded list confirmed current online is as old as that check, even without a publisher date
    confirmed = make_info(publisher_date=None, checked_at="2026-01-08T10:00:00Z")
    assert confirmed.age_days_on(date(2026, 1, 9)) == 1 and confirmed.as_of is None


def test_max_age_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TECHGUARD_LIST_MAX_AGE_DAYS", raising=False)
    assert max_age_days("us_csl") == 7
    assert max_age_days("jp_meti_eul") == 30
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "10")
    assert max_age_days("us_csl") == 10 and max_age_days("jp_meti_eul") == 10
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "us_csl=3,*=14")
    assert max_age_days("us_csl") == 3 and max_age_days("un_sc") == 14
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "us_csl=soon")
    with pytest.raises(ValueError, match="not a whole number"):
        max_age_days("us_csl")


def test_stale_flag_follows_the_configured_age(
    store: SnapshotStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv", source="us_csl", published="2026-01-10")
    # published 2026-01-10; today is later, so a limit of 0 days makes it stale
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "0")
    assert store.active()[0].stale
    monkeypatch.setenv("TECHGUARD_LIST_MAX_AGE_DAYS", "100000")
    assert not store.active()[0].stale


# --- party (de)serialisation -----------------------------------------------------------------------

text = st.text(min_size=1, max_size=12)
opt_text = st.none() | text
names = st.builds(
    Name, text, st.sampled_from(list(NameType)), st.none() | st.sampled_from(["ja", "zh", "en"])
)
addresses = st.builds(
    Address, st.text(max_size=20), opt_text, opt_text, opt_text, opt_text, opt_text, opt_text
)
identifiers = st.builds(Identifier, text, text, opt_text, opt_text)
small = {"max_size": 3}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
parties = st.builds(
    Party,
    source=st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
    source_id=text,
    list=text,
    kind=st.sampled_from(list(PartyKind)),
    name=text,
    names=st.lists(names, **small).map(tuple),
    countries=st.lists(st.sampled_from(["JP", "CN", "RU", "KP"]), **small).map(tuple),
    addresses=st.lists(addresses, **small).map(tuple),
    identifiers=st.lists(identifiers, **small).map(tuple),
    birth_dates=st.lists(text, **small).map(tuple),
    birth_places=st.lists(text, **small).map(tuple),
    nationalities=st.lists(text, **small).map(tuple),
    citizenships=st.lists(text, **small).map(tuple),
    programs=st.lists(text, **small).map(tuple),
    title=opt_text,
    remarks=opt_text,
    licence_requirement=opt_text,
    licence_policy=opt_text,
    federal_register=opt_text,
    listed_on=opt_text,
    ends_on=opt_text,
    source_url=opt_text,
    extra=st.dictionaries(st.text(max_size=5), json_values, max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(parties)
def test_party_dict_round_trip(party: Party) -> None:
    back = party_from_dict(json.loads(json.dumps(party_to_dict(party))))
    assert back == party
    assert back.extra == party.extra


def test_party_file_round_trip(tmp_path: Path) -> None:
    rows = [
        Party(
            "s", "1", "l", PartyKind.PERSON, "山田 太郎", names=(Name("Taro Yamada", NameType.ENGLISH, "en"),)
        ),
        Party(
            "s",
            "2",
            "l",
            PartyKind.VESSEL,
            "X",
            identifiers=(Identifier("IMO", "9000001"),),
            extra={"k": [1]},
        ),
    ]
    path = tmp_path / "p.jsonl.gz"
    assert write_parties(path, rows) == 2
    assert read_parties(path) == tuple(rows)
    assert read_parties(path)[1].extra == {"k": [1]}
    with pytest.raises(ValueError, match="non-JSON value"):
        write_parties(path, [Party("s", "3", "l", PartyKind.PERSON, "Y", extra={"d": date(2020, 1, 1)})])


# --- format detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("sdn.csv", '36,"AEROCARIBBEAN AIRLINES",-0-', "ofac_sdn_csv"),
        ("CONS_PRIM.CSV", '1,"X"', "ofac_cons_csv"),
        ("list.csv", "_id,source,entity_number,type\n", "csl_csv"),
        ("consolidated.json", '{"total": 1, "results": [{"name": "X"}]}', "csl_json"),
        ("list.xml", '<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="x">', "un_sc_xml"),
        ("eu.xml", '<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export">', "eu_fsf_xml"),
        ("mine.csv", "id,name,aliases\n1,A,\n", "simple_csv"),
        ("x.txt", '"Name"\t"Street_Address"\t"City"\n', "bis_dpl"),
        ("entities.ftm.json", '{"id": "a", "schema": "Person", "properties": {}}\n', "ftm_json"),
    ],
)
def test_detect_format(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == expected


def test_detect_format_on_fixtures_and_folders(tmp_path: Path) -> None:
    assert detect_format(FIXTURES / "watchlist.csv") == "simple_csv"
    assert detect_format(FIXTURES / "entities.ftm.json") == "ftm_json"
    (tmp_path / "SDN.CSV").write_text("1", encoding="utf-8")
    assert detect_format(tmp_path) == "ofac_sdn_csv"


def test_detect_format_unknown_lists_known_formats(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"notes\.txt: cannot tell the list format.*simple_csv"):
        detect_format(path)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("jp_meti_official_2025/20250929_4.xlsx", "meti_eul_xlsx"),
        ("un_sc_consolidated_2026-02-27/UN_consolidated.xml", "un_sc_xml"),
        ("format_samples/pabora8_ConList.csv", "uk_conlist_csv"),
        ("format_samples/eu_fsf_excerpt_reke_XMLTest.xml", "eu_fsf_xml"),
        ("jp_mof_asset_freeze_2026-03-05/shisantouketsu20260305.xlsx", "mof_jp_xlsx"),
        ("jp_meti_official_2025/list_russia_tokutei.pdf", "meti_ban_pdf"),
        ("jp_meti_russia_belarus_lists_2025-09-12/list_belarus_tokutei.pdf.txt", "meti_ban_text"),
        ("jp_meti_end_user_list_2025-09-29/jp.json", "meti_eul_json"),
        ("cn_mofcom_lists_2026-07-19/cn.json", "mofcom_json"),
        ("us_csl_2023-11-30/csl.csv", "csl_csv"),
        ("us_bis_dpl_2023-11-30/dpl.txt", "bis_dpl"),
        ("us_ofac_sdn_2021-07-07", "ofac_sdn_csv"),
    ],
)
def test_detect_format_on_the_real_files(shared: Path, relative: str, expected: str) -> None:
    assert detect_format(shared / "lists" / relative) == expected


# --- real snapshots --------------------------------------------------------------------------------


def test_real_lists_survive_the_store_unchanged(store: SnapshotStore, shared: Path) -> None:
    from techguard.lists.formats import get_format

    folder = shared / "lists/us_ofac_consolidated_nonsdn_2025-12-19"
    parsed = get_format("ofac_cons_csv").parse(sorted(folder.iterdir()))
    info = store.import_files([folder], "ofac_cons_csv")
    assert info.source == "us_ofac_cons" and info.entries == len(parsed.parties) == 442
    assert len(info.files) == 4 and info.sha256 == combined_sha256(info.file_sha256)
    stored = store.load_parties(["us_ofac_cons"])
    assert stored == list(parsed.parties)
    assert [p.extra for p in stored] == [p.extra for p in parsed.parties]
    un = store.import_files([shared / "lists/un_sc_consolidated_2026-02-27/UN_consolidated.xml"], "un_sc_xml")
    assert un.publisher_date == "2026-02-27" and un.as_of == "2026-02-27" and un.entries == 1003


def test_public_api_is_reexported_and_default_store_uses_the_data_dir(data_dir: Path) -> None:
    import techguard.lists as lists

    assert lists.SnapshotStore is SnapshotStore
    assert lists.detect_format is detect_format
    assert set(lists.__all__) <= set(dir(lists)) | set(lists._EXPORTS)
    assert lists.default_store().root == data_dir.resolve() / "lists"
    with pytest.raises(AttributeError):
        _ = lists.no_such_name  # type: ignore[attr-defined]


def test_detect_format_rejects_fake_workbooks(tmp_path: Path) -> None:
    import zipfile

    not_zip = tmp_path / "list.xlsx"
    not_zip.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="not an Excel workbook"):
        detect_format(not_zip)
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ListFormatError, match=r"no xl/workbook\.xml"):
        detect_format(other_zip)


def test_cut_off_csl_file_is_refused_unless_forced(tmp_path: Path, shared: Path) -> None:
    store = SnapshotStore(tmp_path / "lists")
    csl = shared / "lists" / "us_csl_2023-11-30" / "csl.csv"
    with pytest.raises(UpdateRefused, match="cut off"):
        store.import_files([csl], "csl_csv")
    assert store.active() == []
    info = store.import_files([csl], "csl_csv", force=True)
    assert info.entries == 4227


# --- publication dates ----------------------------------------------------------------------------------


def test_published_date_given_on_import(store: SnapshotStore, tmp_path: Path) -> None:
    info = store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv", published="2026-01-02")
    assert info.as_of == "2026-01-02" and info.publisher_date_origin == "officer" and not info.warnings
    [active] = store.active()  # stored in meta.json, read back
    assert active.publisher_date == "2026-01-02" and active.publisher_date_origin == "officer"
    assert active.age_days_on(date(2026, 1, 5)) == 3


UN_SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "other" / "un_small.xml"


def test_published_date_read_from_the_file(store: SnapshotStore) -> None:
    info = store.import_files([UN_SMALL], "un_sc_xml")  # dateGenerated="2026-01-15..."
    assert info.as_of == "2026-01-15" and info.publisher_date_origin == "file"


def test_published_date_overrides_the_files_with_a_warning(store: SnapshotStore) -> None:
    info = store.import_files([UN_SMALL], "un_sc_xml", published="2026-01-09")
    assert info.as_of == "2026-01-09" and info.publisher_date_origin == "officer"
    assert any("2026-01-15" in w and "2026-01-09" in w for w in info.warnings)


@pytest.mark.parametrize(
    ("published", "message"),
    [("2026/01/02", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD"), ("2026-02-01", "in the future")],
)
def test_a_bad_published_date_is_refused_and_nothing_changes(
    store: SnapshotStore, tmp_path: Path, published: str, message: str
) -> None:
    with pytest.raises(UpdateRefused, match=message):  # the test clock says 2026-01-10
        store.import_files([write_csv(tmp_path / "a.csv", 3)], "simple_csv", published=published)
    assert store.active() == [] and snapshot_dirs(store, "custom") == []
