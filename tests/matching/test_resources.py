"""Language resources: their versions travel in every result's algorithm version; without the optional
Japanese reader, matching says so instead of silently reading nothing."""

from __future__ import annotations

import importlib.util
from importlib.metadata import version

import pytest

from techguard.matching import ALGORITHM_VERSION, Query, Screener, japanese, resources
from techguard.matching.japanese import reading


def test_every_result_carries_the_resource_versions(screener: Screener) -> None:
    stated = resources.algorithm_version()
    for name in ("cutlet", "fugashi", "unidic-lite", "opencc", "pypinyin"):
        assert f"{name} {version(name)}" in stated
    assert stated.startswith(ALGORITHM_VERSION + " (")
    [match, *_] = screener.screen(Query("Bank Melli"))
    assert match.explanation["algorithm"] == stated


def test_an_absent_resource_is_named_in_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import PackageNotFoundError

    def missing_cutlet(name: str) -> str:
        if name == "cutlet":
            raise PackageNotFoundError(name)
        return version(name)

    monkeypatch.setattr(resources, "version", missing_cutlet)
    resources.resource_versions.cache_clear()
    resources.algorithm_version.cache_clear()
    try:
        assert "cutlet absent; fugashi " in resources.algorithm_version()
    finally:
        resources.resource_versions.cache_clear()
        resources.algorithm_version.cache_clear()


def test_without_the_japanese_reader_readings_are_empty_and_a_warning_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n: None if n == "cutlet" else real_find_spec(n))
    monkeypatch.setattr(japanese, "_cutlet", None)
    japanese.readings_available.cache_clear()
    reading.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match=r"techguard\[japanese\]"):
            assert reading("三菱重工業") == ""
    finally:
        monkeypatch.undo()
        japanese.readings_available.cache_clear()
        reading.cache_clear()
    assert reading("三菱重工業") == "mitsubishi ju kogyo"
