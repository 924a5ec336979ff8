"""Han characters for screening: the Japanese forms of Chinese-written names, and Mandarin pinyin.

The one simplified form of simplified, traditional and shinjitai characters (``fold_han``) is the text
layer's (``techguard.text.han``), shared with research.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

from techguard.text.han import convert
from techguard.text.scripts import has_han


@lru_cache(maxsize=65536)
def japanese_forms(text: str) -> str:
    """The Japanese (shinjitai) form of every Han character: simplified → traditional (OpenCC ``s2t``) →
    shinjitai (``t2jp``). China's lists write Japanese companies in simplified characters (日东电工株式会社 =
    日東電工株式会社, NITTO DENKO); a Japanese reader reads only the Japanese forms."""
    if not has_han(text):
        return text
    return convert("t2jp", convert("s2t", text))


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin, one syllable per Han character, space separated (``中国`` → ``zhong guo``)."""
    return " ".join(s for s in lazy_pinyin(text, errors="default") if s.strip())


__all__ = ["japanese_forms", "pinyin"]
