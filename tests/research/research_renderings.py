"""Japanese renderings of institutions on the designation lists, generated from the lists' own names and the
registry's labels (never typed next to the answer they should give).

For every §1286 / §1260H / Named Research Organizations entry that links (by its listed name, through the
resolver's whole-name linking) to a Chinese or Russian institution of the shared registry:

- Chinese: the registry's Chinese label in Japanese kanji (OpenCC ``s2t`` + ``t2jp``: 哈尔滨工业大学 →
  哈爾濱工業大学), in traditional characters, its short forms (科学技术 → 科技, without 中国人民解放军), and the
  label with its city written in katakana (the city's katakana from ``CITY_KATAKANA`` below: the way a
  Japanese office writes 哈尔滨).
- Russian: the registry's English name with its place in katakana (a plain Latin → katakana transliteration,
  ``katakana()`` below, independent of the resolver's reading path) and its other words in the Japanese
  words an office uses (``ENGLISH_TO_JAPANESE``), when every word has one.

Korean institutions are on none of these lists; Korean renderings are generated from the registry's Korean
(Hangul) labels of universities instead: the label in kanji (Hangul → Han through ``HANGUL_TO_HAN``, the
Japanese ``大学`` for ``대학교``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import opencc

from techguard.research.designations import ListedEntry, read_list
from techguard.research.normalise import fold_tokens
from techguard.research.resolver import Resolver


class Rendering(NamedTuple):
    text: str
    ror_id: str
    source: str  # how it was generated, for the failure message


_S2T = opencc.OpenCC("s2t")
_T2JP = opencc.OpenCC("t2jp")

# How Japanese offices write Chinese cities in katakana (the common renderings; see docs/research-security.md).
CITY_KATAKANA = {
    "哈尔滨": "ハルビン", "北京": "ペキン", "上海": "シャンハイ", "南京": "ナンキン", "西安": "シーアン",
    "武汉": "ウーハン", "重庆": "チョンチン", "天津": "テンシン", "长沙": "チャンシャ", "成都": "チョンドゥ",
    "沈阳": "シェンヤン", "大连": "ダーリエン", "广州": "コワンチョウ", "杭州": "ハンチョウ", "合肥": "ホーフェイ",
}
ENGLISH_TO_JAPANESE = {
    "state": "国立", "university": "大学", "technical": "工科", "polytechnic": "工科", "federal": "連邦",
    "aviation": "航空", "institute": "研究所", "physics": "物理", "technology": "工科", "national": "国立",
    "research": "研究", "academy": "アカデミー", "sciences": "科学", "science": "科学", "naval": "海軍",
    "applied": "応用", "mathematics": "数学", "technological": "工科", "physical": "物理", "central": "中央",
}
_LINKING = {"of", "and", "the", "named", "after"}


def _row(cells: str) -> list[str]:
    """"シャシシュシェショ" → ["シャ", "シ", "シュ", "シェ", "ショ"]."""
    return re.findall(r".[ャュョェァィォ]?", cells)


_ROWS = {consonant: _row(cells) for consonant, cells in {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ", "t": "タチツテト",
    "d": "ダジヅデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ", "p": "パピプペポ", "m": "マミムメモ",
    "r": "ラリルレロ", "l": "ラリルレロ", "v": "ヴァヴィヴヴェヴォ", "f": "ファフィフフェフォ",
    "sh": "シャシシュシェショ", "ch": "チャチチュチェチョ", "kh": "ハヒフヘホ", "zh": "ジャジジュジェジョ",
    "ts": "ツァツィツツェツォ",
}.items()}
_VOWELS = "aiueo"


def katakana(latin: str) -> str:
    """A plain transliteration of a Latin-script (Russian) place into katakana: consonant + vowel syllables,
    a lone consonant with u (o after t/d), n alone as ン, v as ヴ. Enough for place names; independent of the
    resolver's reading path. "" for letters it has no row for."""
    word = re.sub(r"[^a-z]", "", latin.lower().replace("y", "i").replace("w", "v").replace("x", "ks")
                  .replace("c", "k").replace("j", "i"))
    out: list[str] = []
    i = 0
    while i < len(word):
        consonant = next((d for d in ("sh", "ch", "kh", "zh", "ts") if word.startswith(d, i)),
                         "" if word[i] in _VOWELS else word[i])
        i += len(consonant)
        row = _ROWS.get(consonant)
        if row is None:
            return ""
        if i < len(word) and word[i] in _VOWELS:
            out.append(row[_VOWELS.index(word[i])])
            i += 1
        elif consonant == "n":
            out.append("ン")
        elif consonant:
            out.append(row[4 if consonant in ("t", "d") else 2])
    return "".join(out)


HANGUL_TO_HAN = {"대학교": "大学", "한국": "韓国", "과학": "科学", "기술": "技術", "원": "院", "고려": "高麗",
                 "연세": "延世", "성균관": "成均館", "한양": "漢陽", "포항": "浦項", "공과": "工科", "서울": "ソウル",
                 "부산": "釜山", "경북": "慶北", "전남": "全南", "충남": "忠南", "인하": "仁荷", "서강": "西江",
                 "중앙": "中央", "건국": "建国", "광주": "光州", "대전": "大田", "대구": "大邱", "경기": "京畿",
                 "강원": "江原", "이화": "梨花", "여자": "女子", "숙명": "淑明", "단국": "檀国", "숭실": "崇実",
                 "아주": "亜洲", "동국": "東国", "국민": "国民", "경희": "慶熙", "명지": "明知"}


def _entries(shared: Path) -> list[ListedEntry]:
    data = shared / "research"
    return [*read_list("us_1286", data / "us_dod_1286" / "section_1286.csv"),
            *read_list("us_1260h", data / "us_dod_1260h" / "section_1260h.csv"),
            *read_list("ca_nro", data / "ca_nro" / "named_research_organizations.science.gc.ca.2024-04-18.html")]


def listed_institutions(shared: Path, resolver: Resolver) -> dict[str, str]:
    """ROR id -> the listed name, for list entries that link by name to a Chinese or Russian institution."""
    out: dict[str, str] = {}
    for entry in _entries(shared):
        if entry.country not in (None, "CN", "RU"):
            continue
        for name in (entry.name, *entry.aliases):
            resolution = resolver.resolve_name(name, country=entry.country)
            if resolution.ror_id and resolution.country in ("CN", "RU"):
                out.setdefault(resolution.ror_id, name)
                break
    return out


def _japanese_kanji(label: str) -> str:
    return str(_T2JP.convert(_S2T.convert(label)))


def _chinese(resolver: Resolver, ror_id: str) -> Iterator[Rendering]:
    institution = resolver.institution(ror_id)
    assert institution is not None
    for name in institution.names:
        if name.lang != "zh" or not re.fullmatch(r"[\u4e00-\u9fff]+", name.value):
            continue
        simplified = "".join(fold_tokens(name.value))
        yield Rendering(_japanese_kanji(simplified), ror_id, f"zh label {name.value} in Japanese kanji")
        yield Rendering(str(_S2T.convert(simplified)), ror_id, f"zh label {name.value} in traditional")
        short = simplified.removeprefix("中国人民解放军").replace("科学技术", "科技")
        if short != simplified and len(short) >= 4:
            yield Rendering(_japanese_kanji(short), ror_id, f"short form of {name.value}")
        for city, kana in CITY_KATAKANA.items():
            if simplified.startswith(city) and len(simplified) > len(city) + 1:
                rest = _japanese_kanji(simplified[len(city):])
                yield Rendering(kana + rest, ror_id, f"zh label {name.value} with its city in katakana")
        return


def _russian(resolver: Resolver, ror_id: str) -> Iterator[Rendering]:
    institution = resolver.institution(ror_id)
    assert institution is not None and institution.city
    city = institution.city.lower()
    words = [w for w in re.findall(r"[A-Za-z]+", institution.name) if w.lower() not in _LINKING]
    out: list[str] = []
    placed = False
    for word in words:
        lower = word.lower()
        if lower in ENGLISH_TO_JAPANESE:
            out.append(ENGLISH_TO_JAPANESE[lower])
        elif lower == city or lower.startswith(city[:4]) or (not placed and word[0].isupper()):
            place = katakana(city if lower.startswith(city[:4]) else lower)
            if not place:
                return
            out.append(place)
            placed = True
        else:
            return
    if placed and out and not out[0].isascii():
        # Japanese word order: place first, then the English words in the order Japanese reads them (…of
        # Physics and Technology → 物理工科), the head noun (大学/研究所) last.
        # Two katakana words are written with a middle dot between them (ロモノーソフ・モスクワ).
        place = "・".join(o for o in out if re.fullmatch(r"[\u30a0-\u30ff]+", o) and o not in ("アカデミー",))
        rest = [o for o in out if not (re.fullmatch(r"[\u30a0-\u30ff]+", o) and o != "アカデミー")]
        head = [o for o in rest if o in ("大学", "研究所", "アカデミー")]
        body = [o for o in rest if o not in head]
        yield Rendering(place + "".join(body) + "".join(head), ror_id, f"{institution.name} with {city} in katakana")


def korean_universities(resolver: Resolver, limit: int = 20) -> Iterator[Rendering]:
    """Korean universities' Hangul labels in kanji, where every part has a Han form in ``HANGUL_TO_HAN``."""
    count = 0
    parts = sorted(HANGUL_TO_HAN, key=len, reverse=True)
    for institution in resolver.index.institutions:
        if institution.country != "KR" or "education" not in institution.types or institution.status != "active":
            continue
        for name in institution.names:
            if name.lang != "ko" or not name.value.endswith("대학교") or " " in name.value:
                continue
            text, rest = "", name.value
            while rest:
                part = next((p for p in parts if rest.startswith(p)), None)
                if part is None:
                    break
                text += HANGUL_TO_HAN[part]
                rest = rest[len(part):]
            if rest or "ソウル" in text or " ".join(fold_tokens(text)) in resolver.index.names:
                # 中央大学 is also Chuo University (JP), 亜洲大学 Asia University (TW): those kanji name
                # another institution in its own script, which rightly wins.
                continue
            yield Rendering(text, institution.ror_id, f"ko label {name.value} in kanji")
            count += 1
            break
        if count >= limit:
            return


def renderings(shared: Path, resolver: Resolver) -> list[Rendering]:
    out: list[Rendering] = []
    for ror_id in listed_institutions(shared, resolver):
        institution = resolver.institution(ror_id)
        assert institution is not None
        out.extend(_chinese(resolver, ror_id) if institution.country == "CN" else _russian(resolver, ror_id))
    return out


__all__ = ["Rendering", "katakana", "korean_universities", "listed_institutions", "renderings"]
