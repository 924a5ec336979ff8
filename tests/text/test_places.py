"""The katakana places' table the research and screening cores share."""

from __future__ import annotations

from techguard.text.places import katakana_places


def test_places_carry_latin_and_native_names() -> None:
    places = katakana_places()
    harbin = places["ハルビン"]
    assert harbin.latin[0] == "harbin" and harbin.native == ("哈尔滨",) and harbin.country == "CN"
    assert places["ペキン"].latin[:2] == ("beijing", "peking")  # several spellings, the usual one first
    assert all(p.latin for p in places.values())
    assert any(p.country == "KR" and p.native for p in places.values())  # Hangul forms for Korean places
