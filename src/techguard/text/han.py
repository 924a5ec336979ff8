"""OpenCC's converters between Japanese shinjitai, traditional and simplified Han characters, one per process.

Each converter loads its dictionaries when made (milliseconds, a few MB); screening, the Korean-name readings
and research all convert with the same ones.
"""

from __future__ import annotations

from functools import cache

import opencc

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


__all__ = ["CONFIGS", "convert", "converter"]
