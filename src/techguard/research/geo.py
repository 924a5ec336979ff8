"""Country and city mentions in affiliation strings.

Country names come from the one resolver's tables (:mod:`techguard.text.countries`: CLDR plus the aliases
lists, officers and affiliations write), read here in more languages and folded the research way, so that a
country can be spotted *inside* free text; names that stand for several countries ("Korea") are left out.
"""

from __future__ import annotations

from functools import lru_cache

from techguard.research.normalise import fold
from techguard.text.countries import AMBIGUOUS_NAMES, cldr_country_names, country_aliases

# Affiliations are written in many languages; CLDR names in these are all recognised as mentions.
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh", "zh_Hant", "ko", "ru")

# A mention of the first country does not contradict an institution in the second (affiliations written
# "Hong Kong, China" or "Taipei, Taiwan, China" are common; matching must not fail on that).
COMPATIBLE: dict[str, frozenset[str]] = {
    "CN": frozenset({"HK", "MO", "TW"}),
    "HK": frozenset({"CN"}),
    "MO": frozenset({"CN"}),
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name -> ISO alpha-2 code."""
    names: dict[str, str] = {}
    for language in _LANGUAGES:
        for code, name in cldr_country_names(language).items():
            names.setdefault(fold(name), code)
    for name, code in country_aliases().items():
        names[fold(name)] = code
    for name in AMBIGUOUS_NAMES:
        names.pop(fold(name), None)
    names.pop("", None)
    return names


@lru_cache(maxsize=1)
def english_country_names() -> frozenset[str]:
    """Folded English country names (CLDR + the ASCII aliases): the only ones trusted when written right
    after other words ("Zhejiang University China"); a German "Island" (Iceland) or a Spanish "Granada" (Grenada)
    written that way is part of a name ("Long Island", "Universidad de Granada")."""
    names = {fold(name) for name in cldr_country_names("en").values()}
    names.update(fold(name) for name in country_aliases() if name.isascii())
    names.difference_update(fold(name) for name in AMBIGUOUS_NAMES)
    names.discard("")
    return frozenset(names)


# Major research cities written in Chinese, Japanese or Korean, with the English name ROR records use and the
# country. Hand-written (ROR gives cities in English only); keys are folded like any text, so traditional,
# simplified and shinjitai spellings all match ("東京" = "东京", "哈爾濱" = "哈尔滨").
_CJK_CITIES: dict[str, tuple[str, str]] = {
    "北京": ("Beijing", "CN"), "上海": ("Shanghai", "CN"), "天津": ("Tianjin", "CN"), "重庆": ("Chongqing", "CN"),
    "广州": ("Guangzhou", "CN"), "深圳": ("Shenzhen", "CN"), "南京": ("Nanjing", "CN"), "杭州": ("Hangzhou", "CN"),
    "武汉": ("Wuhan", "CN"), "成都": ("Chengdu", "CN"), "西安": ("Xi'an", "CN"), "哈尔滨": ("Harbin", "CN"),
    "沈阳": ("Shenyang", "CN"), "长春": ("Changchun", "CN"), "大连": ("Dalian", "CN"), "济南": ("Jinan", "CN"),
    "青岛": ("Qingdao", "CN"), "合肥": ("Hefei", "CN"), "长沙": ("Changsha", "CN"), "福州": ("Fuzhou", "CN"),
    "厦门": ("Xiamen", "CN"), "昆明": ("Kunming", "CN"), "兰州": ("Lanzhou", "CN"), "太原": ("Taiyuan", "CN"),
    "郑州": ("Zhengzhou", "CN"), "南昌": ("Nanchang", "CN"), "苏州": ("Suzhou", "CN"), "绵阳": ("Mianyang", "CN"),
    "香港": ("Hong Kong", "HK"), "澳门": ("Macau", "MO"), "台北": ("Taipei", "TW"), "新竹": ("Hsinchu", "TW"),
    "台南": ("Tainan", "TW"), "东京": ("Tokyo", "JP"), "大阪": ("Osaka", "JP"), "京都": ("Kyoto", "JP"),
    "名古屋": ("Nagoya", "JP"), "仙台": ("Sendai", "JP"), "札幌": ("Sapporo", "JP"), "福冈": ("Fukuoka", "JP"),
    "横滨": ("Yokohama", "JP"), "神戸": ("Kobe", "JP"), "神户": ("Kobe", "JP"), "广岛": ("Hiroshima", "JP"),
    "筑波": ("Tsukuba", "JP"), "千叶": ("Chiba", "JP"), "서울": ("Seoul", "KR"), "대전": ("Daejeon", "KR"),
    "부산": ("Busan", "KR"),
}


@lru_cache(maxsize=1)
def cjk_cities() -> dict[str, tuple[str, str]]:
    """Folded CJK city name -> (folded English city name, ISO country code)."""
    return {fold(cjk): (fold(english), code) for cjk, (english, code) in _CJK_CITIES.items()}


def countries_agree(mentioned: str, institution_country: str | None) -> bool:
    if institution_country is None:
        return True
    return mentioned == institution_country or institution_country in COMPATIBLE.get(mentioned, frozenset())


@lru_cache(maxsize=512)
def country_languages(code: str) -> frozenset[str]:
    """Official and de-facto official languages of a country (CLDR territory data): "CL" -> {"es"},
    "US" -> {"en"}, "CA" -> {"en", "fr"}; empty for an unknown code."""
    from babel.languages import get_official_languages

    try:
        return frozenset(lang.split("_")[0] for lang in get_official_languages(code.upper(), de_facto=True))
    except (KeyError, ValueError):
        return frozenset()


__all__ = ["COMPATIBLE", "cjk_cities", "countries_agree", "country_languages", "country_names",
           "english_country_names"]
