"""Country resolution: every way lists, officers and affiliations write a country, to ISO 3166-1 alpha-2."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from techguard.text.countries import (
    AmbiguousCountry,
    UnknownCountry,
    country_name,
    known_codes,
    resolve_countries,
    resolve_country,
    to_iso2,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        (" China ", "CN"),
        ("CHN", "CN"),
        ("Korea, North", "KP"),
        ("North Korea", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Korea, South", "KR"),
        ("Republic of Korea", "KR"),
        ("Iran", "IR"),
        ("Islamic Republic of Iran", "IR"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Burma", "MM"),
        ("Myanmar", "MM"),
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Hong Kong", "HK"),
        ("China, Hong Kong Special Administrative Region", "HK"),
        ("Macau", "MO"),
        ("Taiwan", "TW"),
        ("UAE", "AE"),
        ("United Arab Emirates", "AE"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Region: Crimea", "UA"),
        ("Region: Northern Mali", "ML"),
        ("West Bank", "PS"),
        ("State of Palestine", "PS"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo, Republic of the", "CG"),
        ("Bahamas, The", "BS"),
        ("The Gambia", "GM"),
        ("Cote d Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Saint Kitts and Nevis", "KN"),
        ("Virgin Islands, British", "VG"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("United States of America", "US"),
        ("United Republic of Tanzania", "TZ"),
        ("Viet Nam", "VN"),
        ("Arab Republic of Egypt", "EG"),
        ("Republic of Lebanon", "LB"),
        ("State of Israel", "IL"),
        ("Kosovo", "XK"),
        # Japanese
        ("中国", "CN"),
        ("中華人民共和国", "CN"),
        ("イラン", "IR"),
        ("イラン・イスラム共和国", "IR"),
        ("北朝鮮", "KP"),
        ("朝鮮民主主義人民共和国", "KP"),
        ("ロシア", "RU"),
        ("ロシア連邦", "RU"),
        ("アラブ首長国連邦", "AE"),
        ("香港", "HK"),
        ("台湾", "TW"),
        ("大韓民国", "KR"),
        ("米国", "US"),
        ("ベラルーシ共和国", "BY"),
        ("ドイツ", "DE"),
        # Chinese (Simplified and Traditional)
        ("俄罗斯", "RU"),
        ("美国", "US"),
        ("日本", "JP"),
        ("中國", "CN"),
        ("北韓", "KP"),
        # METI writes Japanese and English in one cell, one per line
        ("イラン\nIslamic Republic of Iran", "IR"),
        ("中国\nPeople's Republic of China", "CN"),
    ],
)
def test_known_spellings(text: str, code: str) -> None:
    assert to_iso2(text) == code


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "-0-",
        "Korea",
        "Congo",
        "undetermined",
        "Netherlands Antilles",
        "Region: Kafia Kingi",
        "na",
        "Atlantis",
    ],
)
def test_unknown_or_ambiguous_is_none(text: str | None) -> None:
    assert to_iso2(text) is None


def test_alpha3_only_in_capitals() -> None:
    assert to_iso2("USA") == "US"
    assert to_iso2("and") is None and to_iso2("Are") is None  # English words, not ARE/AND codes


def test_known_codes_are_countries_only() -> None:
    codes = known_codes()
    assert {"CN", "JP", "US", "XK", "HK"} <= codes
    assert not {"EU", "UN", "ZZ"} & codes
    assert all(len(code) == 2 for code in codes)


def test_country_name() -> None:
    assert country_name("CN", "ja") == "中国"
    assert country_name("kp") == "North Korea"
    assert country_name("RU", "zh") == "俄罗斯"
    assert country_name("TW", "zh_Hant") == "台灣"
    with pytest.raises(KeyError):
        country_name("EU")
    assert country_name("KR", "ko") == "대한민국"
    # any CLDR locale works, so a language added as a catalogue (docs: Translations) gets country names too
    assert country_name("CN", "fr") == "Chine"
    with pytest.raises(ValueError, match="unsupported language"):
        country_name("CN", "xx")


def test_every_name_round_trips() -> None:
    for code in known_codes():
        for lang in ("en", "ja", "zh", "zh_Hant", "ko"):
            assert to_iso2(country_name(code, lang)) == code, (code, lang, country_name(code, lang))


# --- country strings as the real files write them ----------------------------------------------------


def test_ofac_add_csv_countries(shared: Path) -> None:
    text = (shared / "lists" / "us_ofac_sdn_2021-07-07" / "add.csv").read_text(encoding="utf-8")
    written = {row[4].strip() for row in csv.reader(io.StringIO(text)) if len(row) == 6}
    unresolved = {country for country in written if to_iso2(country) is None}
    assert unresolved == {"-0-", "undetermined", "Region: Kafia Kingi", "Netherlands Antilles"}
    assert len(written) > 170


def test_un_xml_countries(shared: Path) -> None:
    text = (shared / "lists" / "un_sc_consolidated_2026-02-27" / "UN_consolidated.xml").read_text(
        encoding="utf-8"
    )
    written = set(re.findall(r"<COUNTRY>([^<]+)</COUNTRY>", text))
    written |= set(re.findall(r"<NATIONALITY>\s*<VALUE>([^<]+)</VALUE>", text))
    unresolved = {country for country in written if to_iso2(country) is None}
    assert unresolved == {"na"}  # "not available"
    assert to_iso2("Iran (Islamic Republic of)") == "IR"


def test_meti_end_user_list_countries(shared: Path) -> None:
    records = json.loads(
        (shared / "lists" / "jp_meti_end_user_list_2025-09-29" / "jp.json").read_text("utf-8")
    )
    written = {address for record in records for address in record["addresses"]}
    # the third-party parse glued some company names onto the country; only clean country cells count
    clean = {text for text in written if not text.startswith("People's Republic of China ")}
    assert {text: to_iso2(text) for text in clean if to_iso2(text) is None} == {}
    assert to_iso2("Islamic Republic of Pakistan") == "PK"


def test_csl_country_codes(shared: Path) -> None:
    text = (shared / "lists" / "us_csl_2023-11-30" / "csl.csv").read_text(encoding="utf-8")
    codes: set[str] = set()
    for row in csv.DictReader(io.StringIO(text + '"')):  # the snapshot is cut off inside a quote
        if row["_id"] == "_id":
            continue  # the repeated header row
        for column in ("citizenships", "nationalities"):
            codes.update(code.strip() for code in (row.get(column) or "").split(";") if code.strip())
        for address in (row.get("addresses") or "").split(";"):
            last = address.rsplit(",", 1)[-1].strip()
            if re.fullmatch(r"[A-Z]{2}", last):
                codes.add(last)
    # AN: Netherlands Antilles, dissolved 2010 into CW/SX/BQ; NM: a US state (New Mexico) at the end of a
    # Denied Persons address that has no country. Neither may resolve to a country.
    assert {code for code in codes if to_iso2(code) != code} == {"AN", "NM"}
    assert len(codes) > 80


# --- the strict resolver: what officers type into forms and activity files ---------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("中国", "CN"), ("中華人民共和国", "CN"), ("中华人民共和国", "CN"), ("韓国", "KR"), ("大韓民国", "KR"),
        ("北朝鮮", "KP"), ("朝鮮民主主義人民共和国", "KP"), ("米国", "US"), ("アメリカ", "US"), ("英国", "GB"),
        ("ロシア", "RU"), ("イラン", "IR"), ("台湾", "TW"), ("香港", "HK"), ("Russia", "RU"),
        ("Russian Federation", "RU"), ("USA", "US"), ("UK", "GB"), ("Iran", "IR"), ("Czechia", "CZ"),
        ("jp", "JP"), ("CHN", "CN"), ("한국", "KR"), ("북한", "KP"), ("미국", "US"), ("中央アフリカ", "CF"),
        ("England", "GB"), ("South Korea", "KR"), ("Korea, North", "KP"),
    ],
)
def test_officers_spellings(typed: str, code: str) -> None:
    assert resolve_country(typed) == code


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [("Korea", {"KR", "KP"}), ("korea", {"KR", "KP"}), ("朝鮮", {"KR", "KP"}), ("Congo", {"CG", "CD"}),
     ("コンゴ", {"CG", "CD"}), ("刚果", {"CG", "CD"}), ("Virgin Islands", {"VG", "VI"})],
)
def test_ambiguous_names_are_refused_with_the_candidates(typed: str, candidates: set[str]) -> None:
    with pytest.raises(AmbiguousCountry) as caught:
        resolve_country(typed)
    assert set(caught.value.candidates) == candidates
    message = str(caught.value)
    assert "ambiguous" in message and "複数の国" in message
    assert all(code in message for code in candidates)
    assert to_iso2(typed) is None  # the lenient form never guesses either


def test_korea_is_decided_once_everywhere() -> None:
    """The old resolvers disagreed (research read "Korea" as KR, lists refused it); now every caller refuses."""
    from techguard.research.geo import country_names, english_country_names

    assert "korea" not in country_names() and "korea" not in english_country_names()
    assert country_names()["south korea"] == "KR" and country_names()["북한"] == "KP"


@pytest.mark.parametrize("typed", ["Atlantis", "ナルニア", "", "  "])
def test_unknown_names_are_refused(typed: str) -> None:
    with pytest.raises(UnknownCountry) as caught:
        resolve_country(typed)
    assert "unknown country" in str(caught.value) and "国名を判別できません" in str(caught.value)


def test_a_written_list_of_countries() -> None:
    assert resolve_countries("アルゼンチン、オーストラリア、オーストリア。") == ("AR", "AU", "AT")
    assert resolve_countries("United States, Russian Federation; 中国") == ("US", "RU", "CN")
    with pytest.raises(UnknownCountry, match="ナルニア"):
        resolve_countries("アルゼンチン、ナルニア")
