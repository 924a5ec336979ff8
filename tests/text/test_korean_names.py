"""Korean personal names written in Han characters, read in Hangul."""

from __future__ import annotations

import pytest

from techguard.text.korean_names import korean_name_reading


@pytest.mark.parametrize(
    ("han", "hangul"),
    [("金正恩", "김정은"), ("金与正", "김여정"), ("崔竜海", "최룡해"), ("李炳哲", "리병철"), ("朴奉珠", "박봉주")],
)
def test_korean_names_in_kanji_are_read(han: str, hangul: str) -> None:
    # 竜 and 与 are the Japanese forms of 龍 and 與; 李 is read 리 (RI), as the North Korean names are listed
    assert korean_name_reading(han) == hangul


@pytest.mark.parametrize("han", ["张伟", "王偉", "三菱重工", "東京大学", "金", "柳 秦", "金正恩金正恩", "株式会社金"])
def test_what_does_not_look_like_a_korean_name_is_not_read(han: str) -> None:
    assert korean_name_reading(han) is None
