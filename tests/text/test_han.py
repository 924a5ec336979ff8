"""The text layer's OpenCC converters: one per configuration and process, used by screening and research."""

from __future__ import annotations

import pytest

from techguard.text.han import convert, converter, fold_han


def test_each_configuration_converts_its_way() -> None:
    assert convert("jp2t", "国際") == "國際"
    assert convert("t2s", "國際") == "国际"
    assert convert("s2t", "国际") == "國際"
    assert convert("t2jp", "國際") == "国際"


def test_a_converter_is_made_once() -> None:
    assert converter("jp2t") is converter("jp2t")


def test_an_unknown_configuration_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"'s2jp'.*jp2t"):
        converter("s2jp")


def test_one_han_folding_for_screening_and_research() -> None:
    from techguard.research.normalise import fold

    assert fold_han("防衛装備庁") == fold_han("防卫装备厅") == fold_han("防衛裝備廳") == "防卫装备厅"
    assert fold_han("ロステック Rostec") == "ロステック Rostec"  # kana and Latin pass through
    assert fold_han("ガス會社 Gas") == "ガス会社 Gas"
    assert fold("東京大學 School") == f"{fold_han('東京大学')} school"
