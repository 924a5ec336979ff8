"""Katakana loanwords meet Latin-script names: ロステック = ROSTEC, カスペルスキー = KASPERSKY.

Japanese writes a foreign name by sound and inserts vowels after consonants that stand alone in the
original (ROS-TEK → ro-su-te-k-ku, GAZPROM → ga-su-pu-ro-mu). So a katakana run's Hepburn reading is
compared twice with the listed Latin word — as read, and with those *epenthetic* vowels removed
(u after any consonant, o after t/d, before a consonant or at a word's end; a final chi is t) — after both sides are folded
to the sounds Japanese can tell apart: l = r, z = s, sh = s, c/k/q = k, x = ks, ph = f, w dropped, y = i,
doubled letters single, v = f = h (KALASHNIKOV = カラシニコフ), di = ji = si (ARKADY = アルカジー, POSITIVE = ポジティブ). Retrieval uses the consonant skeleton of each
word (``l:rstk``). Kanji beside katakana (イラン航空) are translated through the Han term table.

Only queries get loanword keys; a match through one is worth :data:`LOANWORD_FACTOR` (a reading of a
reading), and a match resting on fewer than :data:`MIN_CONSONANTS` consonants is capped below alerting:
short loanwords (ファーウェイ = fa-ei) meet too many unrelated Latin words by sound alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from techguard.matching.han_terms import han_terms, katakana_countries, translate
from techguard.matching.japanese import fold_long_vowels, reading
from techguard.matching.kana import katakana_romaji
from techguard.matching.legal_forms import table as legal_form_table
from techguard.matching.query_forms import without_company_suffix
from techguard.matching.scoring import UNMATCHED_LISTED_WEIGHT, NameComparison, WordPair
from techguard.matching.tokens import KeyKind, NameKey
from techguard.matching.tokens import _native_key as native_key
from techguard.text.fold import fold
from techguard.text.scripts import has_katakana, is_katakana

METHOD = "katakana-loanword"
LOANWORD_FACTOR = 0.92  # as ROMANISED_HAN_FACTOR: sound carries less than writing
MIN_WORD_SIMILARITY = 0.8
MIN_WHOLE_SIMILARITY = 0.85
MIN_CONSONANTS = 4
TRANSLATED_MARK = "="
TRANSCRIBED_MARK = "~"  # stems of a Chinese transcription key (see transcription_key)
SHORT_CAP = 0.7  # below threshold − margin: a short loanword match is shown, never alerts on its own
# ... unless every word sounds exactly like the listed one and that has at least this many letters as heard
# (アエロフロート = AEROFLOT, ハマス = HAMAS, ワグネル = WAGNER: the same sound is what an alert is for); four are
# too few (ファーウェイ alone = h-a-e-i: folded sounds are looser than spellings)
MIN_EXACT_SOUND = 5
# A word whose consonant skeleton is the listed word's, with at least this many consonants, sounds like it
# whatever its vowels (at this similarity): five consonants in order are rarely a coincidence.
MIN_SKELETON_CONSONANTS = 5
SKELETON_SIMILARITY = 0.9

# (not after N: ン writes a lone N, so ヌ is always a real NU — ヤヌコーヴィチ = YANUKOVYCH)
_EPENTHETIC_U = r"(?<=[bcdfghjkmprstvz])u(?=[bcdfghjkmnprstvz]|$)"
_EPENTHETIC = re.compile(_EPENTHETIC_U + r"|(?<=[td])o(?=[bcdfghjkmnprstvz]|$)")
# ト and ド also write a T or D followed by a real O (ヴィクトル = VIKTOR, not VIKTR), and リ before a consonant
# writes a Russian soft L (ヴェクセリベルク = VEKSELBERG): words are also compared with only the U removed and,
# in a long word, such an I dropped (not in short ones: マリコ is MARIKO, not MARKO)
_EPENTHETIC_U_ONLY = re.compile(_EPENTHETIC_U)
_SOFT_L = re.compile(r"(?<=r)i(?=[bcdfghjkmnpstvz])")
SOFT_L_MIN_LETTERS = 10  # as read (vekuseriberuku: 14; mariko: 6)
# a final チ writes a Russian soft T (ロスネフチ = ROSNEFT, ネフチ = NEFT'), the lists' commonest case
_FINAL_CHI = re.compile(r"t?chi$")
_SOUND_RULES = (
    ("sch", "sh"), ("tch", "ch"), ("ph", "f"), ("kh", "h"), ("th", "t"), ("dh", "d"), ("gh", "g"),
    ("zh", "j"), ("sh", "s"), ("ch", "t"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", ""), ("y", "i"), ("di", "ji"), ("ji", "si"),
    ("v", "f"), ("f", "h"), ("l", "r"), ("z", "s"), ("mb", "nb"), ("mp", "np"), ("dt", "t"),
)  # fmt: skip
# Japanese writes a V before a vowel with the B kana (ビジョン = VISION, ボルガ = VOLGA; ヴ is rare), a final
# or pre-consonant V as F (カラシニコフ = KALASHNIKOV); and a HU before a vowel as F (ファーウェイ = HUAWEI,
# ファン = HUANG): both sides fold to h + the vowel
_V_BEFORE_VOWEL = re.compile(r"v(?=[aeiouy])")
_GLIDE = re.compile(r"hu(?=[aeio])")
# After a foreign name, 航空 names an airline (イラン航空 = IRAN AIR, as 日本航空 = Japan Airlines); the Han
# term table reads it as "aviation", right for 航空工業 (aviation industry) but not here.
# 国 after one is its state (イスラム国 = ISLAMIC STATE), not a country word read alone.
_TRAILING_TERMS = {"航空": "airlines", "国": "state"}
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def sound_fold(word: str) -> str:
    """Both sides' spelling folded to what katakana can distinguish (``kaspersky`` → ``kasperski``)."""
    text = _SOFT_C.sub("s", word.lower()).replace("c", "k") if "c" in word else word.lower()
    if "v" in text:
        text = _V_BEFORE_VOWEL.sub("b", text)
    for old, new in _SOUND_RULES:
        if old in text:
            text = text.replace(old, new)
    out: list[str] = []
    for char in text:
        if char.isalpha() and (not out or char != out[-1]):
            out.append(char)
    if len(out) > 3 and out[-1] == "h" and out[-2] in _VOWELS:
        out.pop()  # a final H after a vowel is not heard (HIZBALLAH = ヒズボラ, ALLAH = アッラー)
    return _GLIDE.sub("h", "".join(out))


@lru_cache(maxsize=65536)
def consonant_skeleton(word: str) -> str:
    """Leading vowel as ``a``, then the consonants of the sound-folded word (``rostec`` → ``rstk``)."""
    folded = sound_fold(word)
    if not folded:
        return ""
    head = "a" if folded[0] in _VOWELS else folded[0]
    return head + "".join(c for c in folded[1:] if c not in _VOWELS and c != "h")


def consonant_count(skeleton: str) -> int:
    return sum(1 for c in skeleton if c not in _VOWELS)


def strip_epenthesis(romaji_words: list[str]) -> str:
    """``["rosu", "tekku"]`` → ``rostekk``: epenthetic vowels removed word by word, then joined."""
    return "".join(_EPENTHETIC.sub("", _FINAL_CHI.sub("t", word)) for word in romaji_words)


_EPENTHETIC_O = re.compile(r"(?<=[td])o(?=[bcdfghjkmnprstvz])")
_FINAL_U = re.compile(r"(?<=[bcdfghjkmprstvz])u$")


@lru_cache(maxsize=65536)
def _real_u_reading(word: str) -> str:
    """A reading that keeps every U but the last: in a Russian name ル, ク, チュ mostly write a real U
    (パトルシェフ = PATRUSHEV, コヴァリチュク = KOVALCHUK), which the phonetics take out before a consonant. A soft
    L's I is dropped in a long word and an O after T or D before a consonant (ト) is taken out, as elsewhere."""
    if len(word) >= SOFT_L_MIN_LETTERS:
        word = _SOFT_L.sub("", word)
    return _FINAL_U.sub("", _EPENTHETIC_O.sub("", word))


@lru_cache(maxsize=65536)
def _other_reading(word: str) -> str:
    """The reading the phonetics do not take: only the epenthetic U removed (ヴィクトル = ``viktor``), a soft
    L's I dropped in a long word (ヴェクセリベルク = ``vekserberk``, see :data:`_EPENTHETIC_U_ONLY`), an initial
    ウ before R as V, and a final チ as CH (ヤヌコーヴィチ = YANUKOVYCH; the phonetics read it as T, ロスネフチ =
    ROSNEFT)."""
    if len(word) >= SOFT_L_MIN_LETTERS:
        word = _SOFT_L.sub("", word)
    if word.startswith("ur"):
        word = "v" + word[1:]  # an initial VL written ウラ, ウリ (ウラジーミル = VLADIMIR, ウラジオストク = VLADIVOSTOK)
    # ツ also writes a Russian TU (ツポレフ = TUPOLEV, ツーラ = TULA), as older transcriptions do
    word = word.replace("tsu", "tU")  # (its U is a real vowel: kept from the epenthesis rule below)
    return _EPENTHETIC_U_ONLY.sub("", _FINAL_CHI.sub("ch", word)).replace("U", "u")


def loanword_key(name: str, concept: Callable[[str], str]) -> NameKey | None:
    """The loanword key of a query with katakana, or ``None``. ``tokens`` hold each katakana run's reading
    (epenthetic vowels kept), ``phonetics`` the same with them removed; kanji runs are translated."""
    folded = fold(name)
    if not has_katakana(folded):
        return None
    bare = without_company_suffix(folded)  # ロステック社: 社 is "the company"
    company = ("ltd",) if bare != folded else ()
    native, core_text = native_key(name, bare)  # legal forms (株式会社, (株)) taken out, as for readings
    if native is None:
        return None
    tokens: list[str] = []
    stripped: list[str] = []
    forms: set[str] = {*native.legal, *company}
    translated: set[int] = set()  # tokens translated from kanji: meaning, not sound
    for run in core_text.split():
        for segment in _script_segments(run):
            # a business loanword with a fixed English spelling (ロジスティクス = LOGISTICS), or a country (ロシア)
            known = (han_terms().get(segment) or katakana_countries().get(segment)
                     if all(is_katakana(c) for c in segment) else None)
            known_form = legal_form_table().latin.get(tuple(fold(known).split())) if known is not None else None
            if known_form is not None:
                # a legal form in katakana (グループ, コーポレーション) is a form, as its English is on the
                # listed side (ラザルス・グループ = LAZARUS GROUP)
                forms.add(known_form)
            elif known is not None:
                for word in fold(known).split():
                    tokens.append(word)
                    stripped.append(word)
                    translated.add(len(tokens) - 1)
            elif all(is_katakana(c) for c in segment):
                # read by the kana table, not the dictionary: MeCab cuts an unknown name into words and reads
                # the kana made for foreign sounds as Japanese ones (ウェ = e, フィ = fu; see kana.py)
                word = fold_long_vowels(katakana_romaji(segment))
                if not word:
                    continue
                tokens.append(word)
                stripped.append(strip_epenthesis([word]))
            elif segment.isascii():
                # a Latin legal form beside the katakana name (JSCロステック) is a form, not a word of it
                for word in segment.split():
                    form = legal_form_table().latin.get((word,))
                    if form is not None:
                        forms.add(form)
                    else:
                        tokens.append(word)
                        stripped.append(word)
            else:
                english = _TRAILING_TERMS.get(segment) if run.endswith(segment) else None
                if english is None:
                    english, _found = translate(segment, lambda text: reading(text).replace(" ", ""))
                for word in fold(english).split():
                    tokens.append(word)
                    stripped.append(word)
                    translated.add(len(tokens) - 1)
    if not tokens:
        return None
    core = tuple(tokens)
    return NameKey(
        name=name,
        kind=KeyKind.LOANWORD,
        tokens=core,
        concepts=tuple(concept(t) for t in core),
        # a translated word's stem carries a mark (see _is_translated): the short-skeleton cap is about
        # sound alone, and a kanji term matched by meaning (航空 = AIR) is evidence of its own
        stems=tuple(TRANSLATED_MARK + t if i in translated else t for i, t in enumerate(core)),
        legal=frozenset(forms),
        compact="".join(stripped),
        phonetics=tuple(stripped),
        words=core,
    )


# Characters Chinese uses to write foreign names by sound (亨索尔特 = HENSOLDT, 洛克希德 = LOCKHEED): a Han
# run made mostly of these is read as a foreign name. Only characters that are rare in Chinese words.
TRANSCRIPTION_CHARACTERS = frozenset(
    "阿埃艾爱安奥澳巴拜班邦贝本比彼波伯博布达戴丹道德迪蒂丁杜多厄恩尔法菲费芬丰弗福伽盖甘冈戈格"
    "古圭哈海汉豪赫亨洪胡霍基吉加贾杰捷金卡凯坎康柯科克肯库奎昆拉莱赖兰朗劳勒雷蕾里利莉林琳卢鲁"
    "伦罗洛吕马玛迈麦曼梅蒙孟米明摩莫姆穆纳娜奈南内尼宁纽努诺帕派潘庞佩彭皮珀普奇乔切琼丘萨塞桑"
    "瑟森沙莎尚舍施什斯松苏索塔泰坦汤唐特提廷通图托瓦万旺威韦维温沃乌西希锡夏谢辛休雅亚扬耶伊英"
    "尤约泽扎詹兹卓"
)  # fmt: skip
MIN_TRANSCRIPTION_SHARE = 0.75
MIN_TRANSCRIPTION_LENGTH = 3
# pinyin syllables as foreign sounds: 尔 er = l/r, a final -ng is -n (亨 heng = HEN), 特 te / 德 de / 克 ke /
# 斯 si / 兹 zi after the first syllable are a lone consonant (T, D, K, S, Z)
# (Xinhua's transcription table) 姆 mu / 布 bu / 普 pu / 夫 fu after the first syllable are a lone M, B, P,
# F (奥姆尼波尔 = OMNIPOL); 奥 ao is O, a bare 艾 ai is A, 维 wei is VE (艾维奥克斯 = AVEOX)
_PINYIN_SOUNDS = (
    (re.compile(r"^er$"), "r"), (re.compile(r"ng$"), "n"), (re.compile(r"^(t|d|k|g|s|z|c)(e|i)$"), r"\1"),
    (re.compile(r"uo$"), "o"), (re.compile(r"^(m|b|p|f)u$"), r"\1"), (re.compile(r"^ao$"), "o"),
    (re.compile(r"^ai$"), "a"), (re.compile(r"^wei$"), "vei"),
)  # fmt: skip
# Pinyin b, d, g are voiceless: transcriptions write a foreign P, T, K with them as often as B, D, G
# (波 bo = PO in 奥姆尼波尔 = OMNIPOL), so the skeletons are also looked up devoiced.
_DEVOICE = str.maketrans("bdg", "ptk")
# Xinhua's transcriptions follow a pronunciation where an R after a vowel is silent (马丁 = MARTIN, 卡特 =
# CARTER, 赫斯塔尔 = HERSTAL, 福图尼奥 = FORTUNIO): a listed word is also heard without it, and looked up with
# an R put back at each place of the transcription's skeleton
_SILENT_R = re.compile(r"(?<=[aeiou])r(?=[^aeiou]|$)")
_HEARD_G = ("ruku", "nku")  # ルク, ンク: a final G after R or N as katakana hears it (-BERG, -BURG)


def _foreign_sound(syllables: list[str]) -> str:
    out: list[str] = []
    for position, syllable in enumerate(syllables):
        for pattern, sound in _PINYIN_SOUNDS:
            if position == 0 and sound == r"\1":
                continue
            syllable = pattern.sub(sound, syllable)
        out.append(syllable)
    return "".join(out)


def transcription_key(name: str, concept: Callable[[str], str]) -> NameKey | None:
    """A Han name written by sound (亨索尔特) as a loanword key (``hensort``), or ``None``."""
    from techguard.matching.chinese import pinyin
    from techguard.text.han import fold_han

    folded = fold(name)
    native, core_text = native_key(name, folded)
    if native is None:
        return None
    tokens: list[str] = []
    for run in core_text.split():
        simplified = fold_han(run)
        share = sum(c in TRANSCRIPTION_CHARACTERS for c in simplified) / max(len(simplified), 1)
        if len(simplified) < MIN_TRANSCRIPTION_LENGTH or share < MIN_TRANSCRIPTION_SHARE:
            return None
        tokens.append(_foreign_sound(pinyin(simplified).split()))
    if not tokens:
        return None
    core = tuple(tokens)
    return NameKey(
        name=name, kind=KeyKind.LOANWORD, tokens=core, concepts=tuple(concept(t) for t in core),
        stems=tuple(TRANSCRIBED_MARK + t for t in core),
        legal=native.legal, compact="".join(core), phonetics=core, words=core,
    )  # fmt: skip


def _is_translated(key: NameKey, i: int) -> bool:
    return key.stems[i].startswith(TRANSLATED_MARK)


def _is_transcription(key: NameKey) -> bool:
    """Is ``key`` a Chinese transcription (:func:`transcription_key` marks every stem)?"""
    return bool(key.stems) and key.stems[0].startswith(TRANSCRIBED_MARK)


def _script_segments(run: str) -> list[str]:
    """``イラン航空`` → ``イラン``, ``航空``: katakana apart from everything else."""
    segments: list[str] = []
    for char in run:
        kana = is_katakana(char)
        if segments and is_katakana(segments[-1][-1]) == kana:
            segments[-1] += char
        else:
            segments.append(char)
    return segments


def loanword_lookup_keys(key: NameKey) -> set[str]:
    """Index keys a loanword query key looks up (``l:`` skeletons, see :func:`listed_loanword_keys`).
    A Chinese transcription drops consonants the original has (洛克希德 = luo-ke-xi-de = LOCKHEED:
    ``rksd`` for ``rkd``), so its skeletons are also looked up with one consonant left out."""
    # the words as read and as heard (a final チ is a T only in the latter: トランスネフチ = TRANSNEFT)
    words = (*key.tokens, *key.phonetics, *(_other_reading(t) for t in key.tokens if "tsu" in t))
    keys = {"l:" + consonant_skeleton(t) for t in words if len(consonant_skeleton(t)) >= 3}
    if _is_transcription(key):
        for token in key.tokens:
            for skeleton in {consonant_skeleton(token), consonant_skeleton(token).translate(_DEVOICE)}:
                keys.add("l:" + skeleton)
                keys.update("l:" + skeleton[:k] + skeleton[k + 1 :] for k in range(1, len(skeleton)))
                keys.update("l:" + skeleton[:k] + "r" + skeleton[k:] for k in range(1, len(skeleton) + 1))
    if len(key.tokens) > 1:
        keys.add("l:" + consonant_skeleton("".join(key.tokens)))
    # words known by meaning (a country, 航空 = AIRLINES) are looked up as the listed words they mean: IRAN AIR
    # has no skeleton key for AIR (three letters) and its run-together form is not the query's
    keys.update("t:" + key.concepts[i] for i in range(len(key.tokens)) if _is_translated(key, i))
    # katakana writes a name's final G as it is heard, devoiced: ベルク = -BERG, ブルク = -BURG (ヴェクセルベルク =
    # VEKSELBERG, サンクトペテルブルク = SANKT-PETERBURG)
    for token, heard in zip(key.tokens, key.phonetics, strict=True):
        if token.endswith(_HEARD_G):
            keys.update("l:" + consonant_skeleton(word)[:-1] + "g" for word in (token, heard))
    if len(key.tokens) > 1 and key.tokens[-1].endswith(_HEARD_G):
        keys.add("l:" + consonant_skeleton("".join(key.tokens))[:-1] + "g")
    return keys


def listed_loanword_keys(tokens: tuple[str, ...], compact: str) -> set[str]:
    """``l:`` keys a listed Latin key is posted under: its words' and its run-together skeletons."""
    keys = {"l:" + consonant_skeleton(t) for t in tokens if len(t) >= 4 and t.isalpha()}
    if len(tokens) > 1 and compact.isalpha():
        keys.add("l:" + consonant_skeleton(compact))
    return keys


def _heard_forms(listed: str, transcribed: bool) -> tuple[str, ...]:
    """A listed word as katakana or, for a Chinese transcription, also as Xinhua hears it (no R after a
    vowel); empty when nothing is left."""
    target = sound_fold(listed)
    if not target:
        return ()
    if transcribed and (silent := sound_fold(_SILENT_R.sub("", listed))) != target:
        return (target, silent)
    return (target,)


def _word_similarity(q: NameKey, i: int, listed: str) -> float:
    targets = _heard_forms(listed, _is_transcription(q))
    if not targets:
        return 0.0
    target = targets[0]
    if q.tokens[i].startswith("di") and not listed.startswith("d"):
        return 0.0  # ディ writes a D (ディスコ = DISCO): the folding of DI with JI and SI (ラジオ = RADIO) is not for it
    best = 0.0
    skeleton = consonant_skeleton(listed)
    for form in (q.tokens[i], q.phonetics[i], _other_reading(q.tokens[i]), _real_u_reading(q.tokens[i])):
        mine = sound_fold(form)
        if not mine or (mine[0] != target[0] and not (mine[0] in _VOWELS and target[0] in _VOWELS)):
            continue
        if q.tokens[i].endswith(_HEARD_G) and target.endswith("g") and mine.endswith("k"):
            mine = mine[:-1] + "g"  # heard devoiced (ベルク = -BERG, see loanword_lookup_keys)
        best = max(best, *(Levenshtein.normalized_similarity(mine, t) for t in targets))
        if consonant_count(skeleton) >= MIN_SKELETON_CONSONANTS and consonant_skeleton(form) == skeleton:
            # the same consonants in the same order: English spelling hides the vowels katakana writes
            # (センスタイム = SENSETIME: sensutaimu / sensetime)
            best = max(best, SKELETON_SIMILARITY)
    return best


def compare_loanword(q: NameKey, c: NameKey, weight: Callable[[str], float]) -> NameComparison:
    """Compare a loanword query key with a listed Latin key, word by word and run together."""
    candidates: list[tuple[float, int, int, str]] = []
    for i in range(len(q.tokens)):
        for j, listed in enumerate(c.tokens):
            if q.concepts[i] == c.concepts[j]:
                candidates.append((1.0, i, j, "exact" if q.tokens[i] == listed else "vocabulary"))
                continue
            sim = _word_similarity(q, i, listed)
            if sim >= MIN_WORD_SIMILARITY:
                candidates.append((sim, i, j, "loanword"))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[WordPair] = []
    numerator = denominator = 0.0
    consonants = 0
    by_meaning = False
    for sim, i, j, how in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        w = weight(c.concepts[j])
        numerator += sim * 2 * w
        denominator += 2 * w
        pairs.append(WordPair(q.tokens[i], c.tokens[j], sim, how))
        consonants += consonant_count(consonant_skeleton(c.tokens[j]))
        by_meaning = by_meaning or _is_translated(q, i)
    unmatched_q = [i for i in range(len(q.tokens)) if i not in used_q]
    unmatched_c = [j for j in range(len(c.tokens)) if j not in used_c]
    denominator += sum(weight(q.concepts[i]) for i in unmatched_q)
    denominator += UNMATCHED_LISTED_WEIGHT * sum(weight(c.concepts[j]) for j in unmatched_c)
    score = numerator / denominator if denominator > 0 else 0.0
    result = NameComparison(
        score=score,
        method=METHOD,
        pairs=pairs,
        unmatched_query=[q.tokens[i] for i in unmatched_q],
        unmatched_listed=[c.tokens[j] for j in unmatched_c],
    )
    if len(q.tokens) != len(c.tokens):
        # spacing differs (ロスアトム / ROS ATOM): compare the names run together
        mine = sound_fold(q.compact)
        targets = _heard_forms(c.compact, _is_transcription(q))
        whole = max((Levenshtein.normalized_similarity(mine, t) for t in targets), default=0.0) if mine else 0.0
        if whole >= MIN_WHOLE_SIMILARITY and whole > score:
            result.score = whole
            result.pairs = [WordPair(q.compact, c.compact, whole, "loanword")]
            result.unmatched_query, result.unmatched_listed = [], []
            consonants = consonant_count(consonant_skeleton(c.compact))
    exact_sound = bool(result.pairs) and all(
        pair.similarity >= 1.0 and len(sound_fold(pair.listed)) >= MIN_EXACT_SOUND for pair in result.pairs
    )
    if consonants < MIN_CONSONANTS and not by_meaning and not exact_sound:
        result.score = min(result.score, SHORT_CAP)
    return result


__all__ = [
    "LOANWORD_FACTOR",
    "METHOD",
    "compare_loanword",
    "consonant_skeleton",
    "listed_loanword_keys",
    "loanword_key",
    "loanword_lookup_keys",
    "sound_fold",
    "strip_epenthesis",
    "transcription_key",
]
