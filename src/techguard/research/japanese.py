"""Foreign institutions as a Japanese office writes them: ハルビン工業大学 (哈尔滨工业大学, Harbin Institute of
Technology), ノヴォシビルスク国立大学 (Novosibirsk State University), ソウル大学 (서울대학교), 高麗大学 (고려대학교).

Such a name is a place in katakana (read by ``readings``) followed by words in kanji or katakana. The
registry holds the institution under its native name (Chinese characters, Hangul, Cyrillic) and a Latin one,
so a rendering is accepted when, for an institution at that place (its city, or a word of its Latin name):

1. *native*: the place's native form followed by the rest is one of its names (哈尔滨 + 工业大学; Korean
   大学 is 대학교, 大学校 being the full Korean word the Japanese form drops);
2. *same ending*, for a place read by sound (no native form known): one of its Chinese-character names is
   a short place part (1–4 characters) followed by exactly the rest (…工业大学, three characters or more), or
3. *same words*: its Latin name, without the place, is made of the rest's words translated through a small
   term table (``data/japanese_terms.tsv``: 国立 = state | national, 工科 = technical | polytechnic …): every
   word of the name covered and every term used.

Korean institutions written wholly in kanji (高麗大学, 韓国科学技術院) are read in Hangul character by
character (``data/hanja_readings.tsv``) and looked up like any Hangul name.
The resolver checks the candidates like any other name (country, city, ambiguity).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from techguard.research.index import NameIndex, Posting
from techguard.research.normalise import fold_tokens
from techguard.research.readings import KATAKANA_RUN, PlaceIndex, PlaceReading, read_data
from techguard.research.registry import NameKind
from techguard.research.variants import loose_word
from techguard.text.han import convert, fold_han
from techguard.text.scripts import has_east_asian

MAX_PLACE_CHARACTERS = 4  # 哈尔滨, 乌鲁木齐: the place part of a Chinese-character name
_SEPARATORS = re.compile(r"[\s・･=＝]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HANGUL = re.compile("[\uac00-\ud7af]")
_HANGUL_UNIVERSITY = ("대학", "대학교")  # Japanese 大学 for Korean 大學校


@dataclass(frozen=True, slots=True)
class Term:
    written: str
    english: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of loose words
    hangul: str = ""


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    table: dict[str, Term] = {}
    for cells in read_data("japanese_terms.tsv"):
        written = fold_han(cells[0])
        english = tuple(tuple(w for w in (loose_word(t) for t in fold_tokens(alt)) if w)
                        for alt in cells[1].split("|"))
        table[written] = Term(written, english, cells[2] if len(cells) > 2 else "")
    return table


@lru_cache(maxsize=1)
def hanja() -> dict[str, str]:
    table: dict[str, str] = {}
    for cells in read_data("hanja_readings.tsv"):
        characters, hangul = cells[0], cells[1]
        if len(characters) != len(hangul):
            raise ValueError(f"research/data/hanja_readings.tsv: {characters!r} and {hangul!r} differ in length")
        for char, syllable in zip(characters, hangul, strict=True):
            if table.setdefault(char, syllable) != syllable:
                raise ValueError(f"research/data/hanja_readings.tsv: two readings for {char!r}")
    return table


def _traditional(text: str) -> str:
    # reading Korean kanji needs traditional characters: Japanese shinjitai and simplified forms converted first
    return convert("s2t", convert("jp2t", text))


def to_hangul(han: str, *, prefix: bool = False) -> str:
    """Korean reading of Han characters, or "" when one is not in the table (with ``prefix``: the reading of
    the characters up to the first one not in the table — a unit written after the name)."""
    table = hanja()
    out: list[str] = []
    for char in _traditional(han):
        syllable = table.get(char)
        if syllable is None:
            return "".join(out) if prefix else ""
        out.append(syllable)
    return "".join(out)


@dataclass(slots=True)
class Piece:
    written: str  # katakana as written, or Han folded to simplified Chinese
    places: list[PlaceReading]
    kana: bool


@dataclass(frozen=True, slots=True)
class Rendering:
    postings: tuple[Posting, ...]
    reason: str


def _pieces(raw: str, places: PlaceIndex) -> list[Piece] | None:
    """The chunk as places and words, or None when it is not wholly katakana and Han."""
    pieces: list[Piece] = []
    for chunk in _SEPARATORS.split(unicodedata.normalize("NFKC", raw).strip()):
        position = 0
        while position < len(chunk):
            kana = KATAKANA_RUN.match(chunk, position)
            if kana:
                run = kana.group(0)
                term = terms().get(run)
                pieces.append(Piece(run, [] if term else places.places(run), True))
                position = kana.end()
                continue
            han = _HAN.match(chunk, position)
            if not han:
                return None  # Latin letters, digits, hiragana: not a rendering this module reads
            pieces.append(Piece(fold_han(han.group(0)), [], False))
            position = han.end()
    return pieces


def _split_terms(text: str) -> list[Term] | None:
    """``text`` as terms of the table, longest first; None when a character is not covered."""
    table = terms()
    longest = max(map(len, table))
    out: list[Term] = []
    position = 0
    while position < len(text):
        for end in range(min(len(text), position + longest), position, -1):
            term = table.get(text[position:end])
            if term is not None:
                out.append(term)
                position = end
                break
        else:
            return None
    return out


def _covers(words: list[str], wanted: list[Term]) -> bool:
    """Every word of the name is some term's English and every term finds its English among the words."""
    if not words or not wanted:
        return False
    covered: set[int] = set()
    for term in wanted:
        hit = False
        for alternative in term.english:
            spots = [k for k, w in enumerate(words) if w in alternative]
            if alternative and {words[k] for k in spots} >= set(alternative):
                covered.update(spots)
                hit = True
        if not hit:
            return False
    return len(covered) == len(words)


def _native_keys(pieces: list[Piece]) -> list[tuple[str, int]]:
    """The name with each place in its native form — in Chinese characters as written, or all in Hangul — and
    the length a prefix of it must exceed to be the name (the places plus a word: a unit may follow it)."""
    keys: list[tuple[str, int]] = []
    for hangul in (False, True):
        options: list[list[str]] = []
        places_end = 0
        for position, piece in enumerate(pieces):
            if piece.places:
                native = [n for r in piece.places for n in r.native if bool(_HANGUL.search(n)) == hangul]
                places_end = position + 1
            elif not hangul:
                native = [] if piece.kana else [piece.written]
            else:
                term = terms().get(piece.written)
                read = term.hangul if term and term.hangul else ("" if piece.kana else
                                                                  to_hangul(piece.written, prefix=True))
                native = [read] if read else []
            if not native:
                if position < places_end or not options:
                    break  # a place without a native form: no native key
                options = options[:position]
                break  # what follows is not read (a unit, in kana or unread kanji): the prefix is the key
            options.append(native)
        if not options or places_end == 0 or len(options) < places_end:
            continue
        for combination in list(product(*options))[:16]:
            keys.append(("".join(combination), len("".join(combination[:places_end])) + 1))
    return keys


def _longest_name(index: NameIndex, key: str, minimum: int) -> tuple[str, list[Posting]] | None:
    """The longest prefix of ``key`` longer than ``minimum`` characters that is a registry name."""
    for end in range(len(key), minimum, -1):
        prefix = key[:end]
        # Korean 대학교 is written 大学 in Japanese: 서울대학 is 서울대학교.
        for candidate in (prefix, prefix + "교") if prefix.endswith(_HANGUL_UNIVERSITY[0]) else (prefix,):
            postings = index.names.get(candidate)
            if postings:
                return candidate, postings
    return None


def _same_words(index: NameIndex, at: set[int], placed: list[Piece], rest_pieces: list[Piece]
                ) -> tuple[dict[int, Posting], str]:
    """Institutions at the place whose Latin name, without the place, is the rest's words; a unit written
    after the name (物理学部) is dropped from the end, a character at a time, until the words fit."""
    place_words = {loose_word(w) for p in placed for r in p.places for latin in r.latin for w in latin.split()}
    found: dict[int, Posting] = {}
    written = [(p.written, p.kana) for p in rest_pieces]
    for _ in range(8):
        wanted: list[Term] = []
        for text, kana in written:
            split = ([terms()[text]] if text in terms() else None) if kana else _split_terms(text)
            if split is None:
                wanted = []
                break
            wanted.extend(split)
        if wanted:
            for position in sorted(at):
                for name in index.institutions[position].names:
                    if name.kind == NameKind.ACRONYM or has_east_asian(name.value):
                        continue
                    words = [w for w in map(loose_word, fold_tokens(name.value)) if w and w not in ("and", "for")]
                    rest_words = [w for w in words if w not in place_words]
                    if len(rest_words) < len(words) and _covers(rest_words, wanted):
                        found.setdefault(position, Posting(position, name.kind, name.value))
            if found:
                return found, "same words: " + " ".join(t.written for t in wanted)
        # Drop the last character (or the last katakana word) and try again.
        if not written:
            break
        text, kana = written[-1]
        written = written[:-1] if kana or len(text) <= 1 else [*written[:-1], (text[:-1], kana)]
        if not written:
            break
    return {}, ""


def render(index: NameIndex, places: PlaceIndex, raw: str) -> Rendering | None:
    """Institutions a Japanese rendering ``raw`` (one segment) names, with the reason; None if none."""
    pieces = _pieces(raw, places)
    if not pieces or not any(p.kana for p in pieces):
        return _korean_kanji(index, pieces) if pieces else None
    if any(p.kana and not p.places and p.written not in terms() for p in pieces):
        return None  # a katakana word that is neither a place nor a term: a proper name not read
    placed = [p for p in pieces if p.places]
    if not any(r.city for p in placed for r in p.places):
        # At least one place must be a place: a katakana word that only sounds like a word of some name
        # (マテリアル = "material", エネルギー = "energy") is a loanword, not where the institution is.
        return None
    said = ", ".join(f"{p.written} = {' / '.join(r.latin[0] for r in p.places)}"
                     + (f" [{p.places[0].how}]" if p.places[0].how != "table" else "") for p in placed)
    # Exact characters (native form, same ending) outweigh translated words: 大学 reads as "university" and
    # as "institute", so ソウル大学 = 서울대학교 (Seoul National University), not "The Seoul Institute".
    found: dict[int, Posting] = {}
    how: set[str] = set()
    for key, minimum in _native_keys(pieces):
        named = _longest_name(index, key, minimum)
        if named is not None:
            for posting in named[1]:
                found.setdefault(posting.institution, posting)
            how.add(f"native form {named[0]!r}" + (f" (of {key!r})" if named[0] != key else ""))
    at: set[int] | None = None
    for piece in placed if not found else ():  # the native form decided: no need for the place index
        here: set[int] = set()
        for reading in piece.places:
            # A table place names its country: サンクトペテルブルク is the Russian city (Florida's is
            # セントピーターズバーグ).
            here |= {k for k in places.institutions_at(reading)
                     if reading.country is None or index.institutions[k].country == reading.country}
        at = here if at is None else at & here
    rest_pieces = pieces[pieces.index(placed[-1]) + 1:]
    if at and rest_pieces and pieces[0] is placed[0]:
        rest = "".join(p.written for p in rest_pieces)
        # Only for places read by sound (no Chinese-character form known): with one, the native form says it.
        if len(placed) == 1 and not any(p.kana for p in rest_pieces) and len(rest) >= 3 and not found and \
                not any(has_east_asian(n) for r in placed[0].places for n in r.native):
            for position in sorted(at):
                for name in index.institutions[position].names:
                    folded = "".join(fold_tokens(name.value))
                    if has_east_asian(folded) and folded.endswith(rest) and \
                            1 <= len(folded) - len(rest) <= MAX_PLACE_CHARACTERS and \
                            not KATAKANA_RUN.search(folded[: -len(rest)]):
                        found.setdefault(position, Posting(position, name.kind, name.value))
                        how.add(f"same ending {rest!r}")
        # Translated words only where no native form is known (Russian places, places read by sound): with a
        # native form the characters decide, and 大学 read as "institute" would find namesakes.
        if not found and not any(r.native for p in placed for r in p.places):
            words_found, rule = _same_words(index, at, placed, rest_pieces)
            if words_found:
                found.update(words_found)
                how.add(rule)
    if not found:
        return None
    return Rendering(tuple(found.values()), f"Japanese rendering: {said}; {'; '.join(sorted(how))}")


def _korean_kanji(index: NameIndex, pieces: list[Piece]) -> Rendering | None:
    """A name wholly in kanji read in Hangul (高麗大学 → 고려대학교); a unit after it (医学部) may stay unread."""
    written = "".join(p.written for p in pieces)
    hangul = to_hangul(written, prefix=True)
    if len(hangul) < 3:
        return None
    named = _longest_name(index, hangul, 2)
    if named is None:
        return None
    # A Korean reading names a Korean institution; a Hangul label elsewhere is not what the kanji meant.
    korean = tuple(p for p in named[1] if index.institution(p).country in ("KR", "KP"))
    return Rendering(korean, f"Korean name in kanji read as {named[0]!r}") if korean else None


__all__ = ["Rendering", "Term", "hanja", "render", "terms", "to_hangul"]
