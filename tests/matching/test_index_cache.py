"""The on-disk index cache: same results as a fresh build, keyed by inputs and algorithm, never trusted when damaged."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from pathlib import Path

import pytest
from matching_parties import PARTIES
from typer.testing import CliRunner

from techguard.cli import app
from techguard.matching import Query, Screener
from techguard.matching import index_cache as ic
from techguard.matching.batch import result_record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"
QUERIES = ["AO PROMTEKH", "LIMITED LIABILITY COMPANY RUSSIAN DIGITAL SOLUTIONS", "Gazprombank", "北京大学", "ロステック"]
KEY = ic.CacheKey(inputs=(("list:test", "0" * 64),))


def _results(screener: Screener) -> list[dict[str, object]]:
    return [result_record(Query(q), screener.screen(Query(q))) for q in QUERIES]


def test_a_loaded_index_screens_exactly_like_the_built_one(screener: Screener, tmp_path: Path) -> None:
    path = ic.store(screener, KEY, tmp_path)
    loaded = ic.load(KEY, tmp_path)
    assert path.is_file() and loaded is not None and loaded is not screener
    assert isinstance(loaded.index.postings, ic.PackedArrays)  # posting lists stored as one flat array
    # the per-query lookup tables are derived on load, not stored
    stored = ic.screener_state(screener)["index"][1]
    assert stored and not [name for name in stored if name.startswith("_")]
    assert loaded.index._sketches == screener.index._sketches
    assert loaded.index._weights == screener.index._weights
    keys = [k for q in QUERIES for k in screener._query_keys(Query(q))[0]]
    assert keys and loaded.index.candidates(keys) == screener.index.candidates(keys)
    assert _results(loaded) == _results(screener)
    assert [p.key for p in loaded.parties] == [p.key for p in screener.parties]


def test_the_key_covers_inputs_options_and_algorithm(monkeypatch: pytest.MonkeyPatch) -> None:
    other_input = ic.CacheKey(inputs=(("list:test", "1" * 64),))
    other_option = ic.CacheKey(inputs=KEY.inputs, options=(("list_format", "csl_csv"),))
    digests = {KEY.digest(), other_input.digest(), other_option.digest()}
    from techguard.matching import resources

    monkeypatch.setattr(resources, "algorithm_version", lambda: "techguard-match-99")
    digests.add(KEY.digest())
    assert len(digests) == 4


def test_missing_cache_is_built_once_then_reused(tmp_path: Path) -> None:
    builds: list[int] = []

    def build() -> Screener:
        builds.append(1)
        return Screener.build(PARTIES[:5])

    first = ic.cached_screener(KEY, build, directory=tmp_path)
    second = ic.cached_screener(KEY, build, directory=tmp_path)
    assert builds == [1]
    assert _results(first) == _results(second)
    other = ic.CacheKey(inputs=(("list:test", "2" * 64),))
    ic.cached_screener(other, build, directory=tmp_path)
    assert builds == [1, 1]  # other inputs: another file, built anew


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_cache_is_rebuilt_with_a_warning(tmp_path: Path, damage: str) -> None:
    small = Screener.build(PARTIES[:5])
    path = ic.store(small, KEY, tmp_path)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-100] ^= 0xFF
    elif damage == "truncate":
        del data[len(data) // 2 :]
    else:
        data[:] = b"not a cache"
    path.write_bytes(bytes(data))
    warnings: list[str] = []
    builds: list[int] = []

    def build() -> Screener:
        builds.append(1)
        return small

    ic.cached_screener(KEY, build, directory=tmp_path, warn=warnings.append)
    assert builds == [1]
    assert len(warnings) == 1 and str(path) in warnings[0] and "rebuilt" in warnings[0]
    assert ic.load(KEY, tmp_path) is not None  # the rebuilt file is whole again


def test_a_payload_naming_foreign_code_is_refused_even_with_a_valid_checksum(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            import os

            return (os.getcwd, ())

    buffer = io.BytesIO()
    pickle.Pickler(buffer, protocol=5).dump(Evil())
    payload = buffer.getvalue()
    header = json.dumps(
        {"key": KEY.digest(), "payload_bytes": len(payload), "payload_sha256": hashlib.sha256(payload).hexdigest()}
    ).encode()
    data = ic.MAGIC + len(header).to_bytes(8, "little") + header + payload
    with pytest.raises(ic.IndexCacheError, match=r"posix\.getcwd|os\.getcwd"):
        ic.loads(data, KEY)


def test_a_file_written_for_other_inputs_is_not_used(tmp_path: Path) -> None:
    small = Screener.build(PARTIES[:5])
    other = ic.CacheKey(inputs=(("list:test", "3" * 64),))
    ic.cache_path(KEY, tmp_path).parent.mkdir(parents=True, exist_ok=True)
    ic.cache_path(KEY, tmp_path).write_bytes(ic.dumps(small, other))  # e.g. a file copied by hand
    with pytest.raises(ic.IndexCacheError, match="other lists"):
        ic.load(KEY, tmp_path)


runner = CliRunner()


def test_cli_reuses_the_cache_for_the_same_list_files(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["screen", "--name", "Huawei", "--json", "--list", str(FIXTURES / "watchlist.csv")]
    fresh = runner.invoke(app, [*args, "--no-index-cache"])
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert list((data_dir / "cache" / "index").glob("*.tgidx"))

    def no_build(*_: object, **__: object) -> Screener:
        raise AssertionError("the index was rebuilt although the lists did not change")

    monkeypatch.setattr(Screener, "build", no_build)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert json.loads(second.output) == json.loads(first.output) == json.loads(fresh.output)
    changed = tmp_path / "watchlist.csv"
    changed.write_bytes((FIXTURES / "watchlist.csv").read_bytes() + b"W99,Another Listed Name,,,\n")
    rebuilt = runner.invoke(app, ["screen", "--name", "Huawei", "--json", "--list", str(changed)])
    assert rebuilt.exit_code == 1 and "rebuilt although" in str(rebuilt.exception)


def test_cli_cache_follows_the_active_snapshots(data_dir: Path) -> None:
    from techguard.lists.store import SnapshotStore

    store = SnapshotStore(data_dir / "lists")
    store.import_files([FIXTURES / "watchlist.csv"], "simple_csv")
    assert runner.invoke(app, ["screen", "--name", "Huawei", "--json"]).exit_code == 0
    cache = data_dir / "cache" / "index"
    assert len(list(cache.glob("*.tgidx"))) == 1
    assert runner.invoke(app, ["screen", "--name", "Huawei", "--json"]).exit_code == 0
    assert len(list(cache.glob("*.tgidx"))) == 1  # same snapshot: same file
    extra = data_dir / "w2.csv"
    extra.write_bytes((FIXTURES / "watchlist.csv").read_bytes() + b"W99,Another Listed Name,,,\n")
    store.import_files([extra], "simple_csv", source="simple_csv")
    result = runner.invoke(app, ["screen", "--name", "Another Listed Name", "--json"])
    assert result.exit_code == 0, result.output
    assert len(list(cache.glob("*.tgidx"))) == 2  # a new snapshot: a new index
    assert json.loads(result.output)["matches"][0]["entity_id"] == "W99"


def test_evidence_is_summed_in_an_order_independent_of_set_iteration(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Executors (Spark) run with other string-hash seeds than the driver, so sets iterate in another
    order; retrieval must not sum float evidence in set order, or near-ties rank differently from one
    process to another (seen on 1 of 20,000 names before the fix)."""
    import random

    import numpy as np

    from techguard.matching import index as index_module
    from techguard.matching.tokens import analyse

    def shuffled_set(seed: int) -> type:
        class Shuffled(set):  # type: ignore[type-arg]
            def __iter__(self):  # type: ignore[no-untyped-def]
                items = sorted(super().__iter__())
                random.Random(seed).shuffle(items)
                return iter(items)

        return Shuffled

    orders: list[list[list[int]]] = []
    real_concatenate = np.concatenate
    for seed in (1, 2):
        seen: list[list[int]] = []
        monkeypatch.setattr(index_module, "set", shuffled_set(seed), raising=False)
        monkeypatch.setattr(index_module.np, "concatenate", lambda arrays, seen=seen: seen.append([len(a) for a in arrays])
                            or real_concatenate(arrays))  # fmt: skip
        for name in QUERIES:
            screener.index.candidates(analyse(name, screener.vocabulary))
        monkeypatch.undo()
        orders.append(seen)
    assert orders[0] and orders[0] == orders[1]
