"""Han characters: one form for simplified, traditional and Japanese shinjitai, and Mandarin pinyin.

OpenCC ``jp2t`` (shinjitai → traditional) then ``t2s`` (traditional → simplified) maps 中國電子科技集團公司,
中国电子科技集团公司 and 中国電子科技集団公司 to one string, which is what kanji-to-hanzi matching needs
more than any romanisation.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

from techguard.text.han import convert
from techguard.text.scripts import Script, char_script


@lru_cache(maxsize=65536)
def fold_han(text: str) -> str:
    """Simplified-Chinese form of every Han character (kana and Latin pass through)."""
    if not any(char_script(c) is Script.HAN for c in text):
        return text
    # simplified first where OpenCC knows the character: jp2t turns 衛 into the old variant 衞, which t2s
    # leaves as it is (防衛 would not meet 防卫); then the shinjitai only jp2t knows (労 → 勞 → 劳)
    return convert("t2s", convert("jp2t", convert("t2s", text)))


@lru_cache(maxsize=65536)
def japanese_forms(text: str) -> str:
    """The Japanese (shinjitai) form of every Han character: simplified → traditional (OpenCC ``s2t``) →
    shinjitai (``t2jp``). China's lists write Japanese companies in simplified characters (日东电工株式会社 =
    日東電工株式会社, NITTO DENKO); a Japanese reader reads only the Japanese forms."""
    if not any(char_script(c) is Script.HAN for c in text):
        return text
    return convert("t2jp", convert("s2t", text))


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin, one syllable per Han character, space separated (``中国`` → ``zhong guo``)."""
    return " ".join(s for s in lazy_pinyin(text, errors="default") if s.strip())


__all__ = ["fold_han", "japanese_forms", "pinyin"]
