"""Japanese country names as the 輸出令 writes them → ISO 3166-1 alpha-2 codes.

CLDR (via babel) knows the everyday names; the law uses a few formal names CLDR spells differently.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

# Formal names used in 輸出令の別表 that CLDR's Japanese territory names spell differently.
_LEGAL_NAMES = {
    "大韓民国": "KR",
    "英国": "GB",
    "中央アフリカ": "CF",
    "コンゴ民主共和国": "CD",
    "中華人民共和国": "CN",
    "北朝鮮": "KP",
    "アメリカ合衆国": "US",
    "ロシア": "RU",
    "ベラルーシ": "BY",
}


@cache
def _cldr_names() -> dict[str, str]:
    territories = Locale("ja").territories
    return {name: code for code, name in territories.items() if len(code) == 2 and code.isalpha()}


def country_code(name: str) -> str:
    """ISO alpha-2 code for a Japanese country name; ``KeyError`` naming it when unknown."""
    name = name.strip()
    code = _LEGAL_NAMES.get(name) or _cldr_names().get(name)
    if code is None:
        raise KeyError(name)
    return code


def country_codes_from_japanese_list(text: str) -> tuple[str, ...]:
    """``アルゼンチン、オーストラリア、…`` → ``("AR", "AU", …)`` in the law's order."""
    names = [n for n in re.split(r"[、,，\s]+", text.strip().rstrip("。")) if n]
    return tuple(country_code(n) for n in names)


__all__ = ["country_code", "country_codes_from_japanese_list"]
