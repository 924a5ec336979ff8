"""OpenCC's converters between Japanese shinjitai, traditional and simplified Han characters, one per process,
and the one folding of Han characters that screening and research share.

Each converter loads its dictionaries when made (milliseconds, a few MB); screening, the Korean-name readings
and research all convert with the same ones.
"""

from __future__ import annotations

from functools import cache, lru_cache

import opencc

from techguard.text.scripts import has_han

CONFIGS = frozenset({"jp2t", "t2jp", "s2t", "t2s"})


@cache
def converter(config: str) -> opencc.OpenCC:
    """The OpenCC converter for ``config``: ``jp2t`` shinjitai → traditional, ``t2jp`` the reverse, ``s2t``
    simplified → traditional, ``t2s`` the reverse."""
    if config not in CONFIGS:
        raise ValueError(f"OpenCC configuration {config!r}: one of {', '.join(sorted(CONFIGS))}")
    return opencc.OpenCC(config)


def convert(config: str, text: str) -> str:
    return str(converter(config).convert(text))


@lru_cache(maxsize=65536)
def fold_han(text: str) -> str:
    """Simplified-Chinese form of every Han character (kana and Latin pass through): 中國電子科技集團公司,
    中国电子科技集团公司 and 中国電子科技集団公司 become one string, as do 東京大學 / 東京大学 / 东京大学."""
    if not has_han(text):
        return text
    # simplified first where OpenCC knows the character: jp2t turns 衛 into the old variant 衞, which t2s
    # leaves as it is (防衛 would not meet 防卫); then the shinjitai only jp2t knows (労 → 勞 → 劳)
    return convert("t2s", convert("jp2t", convert("t2s", text)))


__all__ = ["CONFIGS", "convert", "converter", "fold_han"]
