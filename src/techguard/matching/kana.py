"""Katakana written for a foreign name, in Hepburn letters, sound by sound (ファーウェイ → ``fawei``).

The dictionary reader (cutlet over MeCab, :mod:`techguard.matching.japanese`) is right for Japanese words
but wrong for the kana Japanese invented to write foreign sounds: it reads ウェ as ``e``, フィ as ``fu``,
drops ツァ, and cuts an unknown katakana name into dictionary words (カスペルスキー → ``kasu peru suki``).
A loanword is compared with its Latin original by sound, so it is read here from a table instead: the
extended kana (ウィ ウェ ウォ ヴァ ファ フィ ティ ディ トゥ ドゥ ツァ クァ グァ シェ ジェ チェ イェ …) as the
sounds they were made for, ッ as a doubled consonant, ー dropped (Hepburn as users type it: no length).
"""

from __future__ import annotations

from functools import lru_cache

_SINGLE = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n",
    "ヴ": "vu", "ヵ": "ka", "ヶ": "ke",
    # a small vowel alone (after ー or at the start) is its vowel
    "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo", "ヮ": "wa",
}  # fmt: skip

# A kana followed by a small kana: one sound. The consonant of the first, the vowel (or y + vowel) of the
# second; where the first kana's consonant is written otherwise in Hepburn (シ sh, チ ch, ジ j, フ f, ツ ts,
# ウ w, ヴ v, テ/デ t/d before i and u) the table says so.
_ONSETS = {
    "キ": "k", "ギ": "g", "シ": "sh", "ジ": "j", "チ": "ch", "ヂ": "j", "ニ": "n", "ヒ": "h", "ビ": "b",
    "ピ": "p", "ミ": "m", "リ": "r", "フ": "f", "ヴ": "v", "ウ": "w", "ツ": "ts", "テ": "t", "デ": "d",
    "ト": "t", "ド": "d", "ス": "s", "ズ": "z", "ク": "kw", "グ": "gw", "イ": "y",
}  # fmt: skip
_SMALL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}
# y-glides keep the y after an i-column kana (キャ kya) but not after sh/ch/j (シャ sha); テュ tyu, フュ fyu
_NO_GLIDE = frozenset({"sh", "ch", "j"})


def _pair(first: str, small: str) -> str | None:
    onset = _ONSETS.get(first)
    if onset is None:
        return None
    vowel = _SMALL[small]
    if vowel.startswith("y"):
        if first in "ウイクグ":
            return None  # no such sound: read the two kana one by one
        return onset + (vowel[1:] if onset in _NO_GLIDE else vowel)
    if first == "イ" and vowel != "e":
        return None
    if onset in ("kw", "gw") and vowel == "u":
        return None
    return onset + vowel


@lru_cache(maxsize=65536)
def katakana_romaji(text: str) -> str:
    """Hepburn letters of a katakana run (``ロスネフチ`` → ``rosunefuchi``); other characters are dropped.
    Empty when the run holds no katakana."""
    out: list[str] = []
    double = False
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1] if index + 1 < len(text) else ""
        if char == "ッ":
            double = True
            index += 1
            continue
        if char in "ー・＝":
            index += 1
            continue
        sound = _pair(char, following) if following in _SMALL else None
        if sound is not None:
            index += 2
        else:
            sound = _SINGLE.get(char)
            index += 1
            if sound is None:
                double = False
                continue
        if double and sound[0] not in "aeiou":
            sound = ("t" + sound) if sound.startswith("ch") else sound[0] + sound
        double = False
        out.append(sound)
    return "".join(out)


__all__ = ["katakana_romaji"]
