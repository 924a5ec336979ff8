"""METI 外為法 export-ban lists (Russia 特定団体, third-country 特定団体, Belarus 特定団体).

METI publishes each list as a PDF; ``meti_ban_pdf`` extracts its text with ``pypdf`` and ``meti_ban_text``
reads text already extracted. Both run the same parser. The text is a header (title naming the
外務省告示, 指定日, 最終更新日) and numbered entries::

    12 国際量子光学・量子技術センター（別称、ロシア量子センター及び RQC）
    International Center for Quantum Optics and Quantum Technologies LLS, a.k.a. the
    following two aliases:
    -Russian Quantum Center; and
    -RQC
    所在地：Business Center "Ural", 100 Novaya Street, Skolkovo, Russia.

Newer entries put the aliases after ``別称：`` lines (Japanese aliases, then English aliases, ``;``-
separated) and Chinese names in brackets after the English name. Text extraction glues lines
together at page breaks (``...Belarus７ 株式会社...``) and spaces out characters (``所 在 地 ：``).

Entries are found by their numbers, in order: entry *n* starts where the number *n* stands at a line
start (or right after the previous entry's last character) followed by a line holding Japanese. If
a higher entry number appears after the last entry found, an entry was lost and the file is refused:
a dropped row is a bug, never a shorter list.

Names: the Japanese name is the primary name (the list is Japanese law); the English name becomes
:attr:`NameType.ENGLISH`, English aliases :attr:`NameType.AKA`, Japanese aliases
:attr:`NameType.JAPANESE`, bracketed Chinese names :attr:`NameType.CHINESE`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._text import (
    expand_paths,
    join_wrapped,
    outside_brackets,
    split_listing,
    squash,
    trailing_group,
    unique,
)
from techguard.lists.model import Address, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2
from techguard.text.scripts import has_han, has_kana, is_japanese_or_chinese

SOURCE = "jp_meti_ban"
LIST_RUSSIA = "jp_ban_russia"
LIST_THIRD_COUNTRY = "jp_ban_third_country"
LIST_BELARUS = "jp_ban_belarus"

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ADDRESS = re.compile(r"所\s*在\s*地\s*[：:]")
_BULLET = re.compile(r"^[-—−‐–―]\s*")
_BETSU = re.compile(r"^別\s*称\s*[：:]\s*")
_OPEN = "（(「『"
_CLOSE = "）)」』"
_FOLLOWING = re.compile(
    r"^(?P<name>.*?)[\s,]*(?:a\.k\.a\.?[\s,]*)?(?:the\s*)?follow(?:ing)?\s*\w*?\s*alias(?:es)?\s*:?\s*(?P<rest>.*)$",
    re.I,
)
_AKA_INLINE = re.compile(r"^(?P<name>.*?)[\s,]*a\.k\.a\.?[\s,]*(?P<aliases>.*)$", re.I)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NOTICE = re.compile(r"（([^（）]*外務省告示[^（）]*)）")


def list_code_for(header: str, path: Path) -> str:
    """Which of the three lists a text is, from its title (third countries first: it names the others)."""
    flat = re.sub(r"\s+", "", header)
    if "以外の国" in flat:
        return LIST_THIRD_COUNTRY
    if "ベラルーシ共和国の団体" in flat:
        return LIST_BELARUS
    if "ロシア連邦の団体" in flat:
        return LIST_RUSSIA
    raise ListFormatError(
        path, "title names none of the Russia / Belarus / third-country export-ban lists", line=1
    )


def _entry_start(text: str, number: int, pos: int) -> re.Match[str] | None:
    pattern = rf"(?:^|(?<=[A-Za-z.,)）」]))[ \u3000]*{number}[ \u3000]+(?=[^\n]*[^\x00-\x7f])"
    return re.compile(pattern, re.M).search(text, pos)


# an entry number followed, on the same line, by kana or kanji (Unicode's script properties, not a range table)
_ANY_ENTRY = regex.compile(r"^[ \u3000]*(\d{1,4})[ \u3000]+(?=[^\n]*[\p{Hiragana}\p{Katakana}\p{Han}])", regex.M)


def split_entries(text: str, path: Path) -> list[tuple[int, int, str]]:
    """``(number, line, entry text)`` for every numbered entry, checked to run 1..N without a gap."""
    digits = text.translate(_DIGITS)  # one character for one, so offsets match the original text
    starts: list[tuple[int, int, int]] = []  # number, offset of the number, offset after it
    number, pos = 1, 0
    while (match := _entry_start(digits, number, pos)) is not None:
        starts.append((number, match.start(), match.end()))
        pos, number = match.end(), number + 1
    if not starts:
        raise ListFormatError(path, "no numbered entries found (expected 1, 2, 3, ... before Japanese names)")
    for later in _ANY_ENTRY.finditer(digits, starts[-1][2]):
        if int(later.group(1)) > starts[-1][0]:
            line = digits.count("\n", 0, later.start()) + 1
            raise ListFormatError(
                path,
                f"entry {starts[-1][0] + 1} is missing: numbering jumps to {later.group(1)}",
                line=line,
                record=f"{later.group(1)}",
            )
    entries: list[tuple[int, int, str]] = []
    for index, (num, begin, body) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        entries.append((num, text.count("\n", 0, begin) + 1, text[body:end]))
    return entries


def _depth_change(text: str) -> int:
    return sum(1 for c in text if c in _OPEN) - sum(1 for c in text if c in _CLOSE)


def _glued_english(text: str, *, loose: bool = False) -> tuple[str, str]:
    """Split ``"...テッドHong Kong Qisu Co Ltd（香港旗速電子有限公司）"`` into Japanese and English parts.

    The English part starts right after Japanese text or a closing bracket; with ``loose`` (no English
    line follows at all) a space may stand between them too (``"BSVT 新技術 BSVT-New Technologies"``).
    """
    depth = 0
    for index, char in enumerate(text):
        before = text[index - 1 : index]
        if loose and before == " " and index > 1:
            before = text[index - 2]
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif (
            depth == 0
            and index > 0
            and char.isascii()
            and char.isalpha()
            and (is_japanese_or_chinese(before) or before in _CLOSE)
            and not is_japanese_or_chinese(outside_brackets(text[index:]))
            and "別称" not in text[index:]
        ):
            return text[:index].strip(), text[index:].strip()
    return text, ""


@dataclass
class _Entry:
    japanese: str = ""
    english: str = ""
    names: list[Name] = field(default_factory=list)

    def add(self, value: str, name_type: NameType, lang: str | None) -> None:
        value = squash(value).strip(" ,;")
        if not value or value in (self.japanese, self.english):
            return
        if any(n.value == value for n in self.names):
            return
        if name_type is NameType.JAPANESE and not is_japanese_or_chinese(value):
            name_type, lang = NameType.AKA, None  # a Latin alias inside the Japanese listing ("RQC")
        self.names.append(Name(value, name_type, lang))


def _line_kind(line: str) -> str:
    if _BULLET.match(line) and not has_kana(line[:2]):
        return "alias"
    if _BETSU.match(line):
        return "betsu"
    if is_japanese_or_chinese(outside_brackets(line)) or line[:1] in "（「『":
        return "ja"
    return "en"


def _classify(lines: list[str]) -> list[str]:
    kinds: list[str] = []
    depth = 0
    for line in lines:
        kind = kinds[-1] if depth > 0 and kinds else _line_kind(line)
        if depth > 0 and kind in ("alias", "betsu"):
            kind = kinds[-1]
        kinds.append(kind)
        depth = max(0, depth + _depth_change(line))
    return kinds


def _join(lines: list[str]) -> str:
    joined = ""
    for line in lines:
        joined = join_wrapped(joined, line) if joined else line
    return joined


def _japanese_part(entry: _Entry, text: str) -> None:
    base = text
    while True:
        head, inner = trailing_group(base)
        if inner is None or not head:
            break
        if _BETSU.sub("", inner) != inner or inner.startswith(("別称、", "別称､", "別称,")):
            for alias in split_listing(re.sub(r"^別\s*称\s*[：:、､,]?", "", inner)):
                _japanese_alias(entry, alias)
        elif has_han(inner) and not has_kana(inner):
            for chinese in split_listing(inner):
                entry.add(chinese, NameType.CHINESE, "zh")
        else:
            break
        base = head
    entry.japanese = squash(base)


def _japanese_alias(entry: _Entry, alias: str) -> None:
    head, inner = trailing_group(alias)
    if inner and head and has_han(inner) and not has_kana(inner):
        for chinese in split_listing(inner):
            entry.add(chinese, NameType.CHINESE, "zh")
        alias = head
    entry.add(alias, NameType.JAPANESE, "ja")


def _english_part(entry: _Entry, text: str) -> None:
    base = text
    head, inner = trailing_group(base)
    if inner and has_han(inner) and not has_kana(inner):
        for chinese in split_listing(inner):
            entry.add(chinese, NameType.CHINESE, "zh")
        base = head
    following = _FOLLOWING.match(base)
    if following:
        entry.english = squash(following.group("name")).rstrip(" ,")
        # the first alias sometimes follows on the same line ("... aliases:—Win Key; and")
        for alias in split_listing_semicolons(_BULLET.sub("", following.group("rest"))):
            _english_alias(entry, alias.rstrip("."))
        return
    inline = _AKA_INLINE.match(base)
    if inline:
        entry.english = squash(inline.group("name")).rstrip(" ,")
        for alias in re.split(r";\s*(?:and\s+)?", inline.group("aliases")):
            entry.add(alias.rstrip("."), NameType.AKA, None)
        return
    entry.english = squash(base).rstrip(" ,")


def parse_entry(body: str) -> tuple[_Entry, str]:
    """Names of one entry and its address text (``""`` when it gives none)."""
    match = _ADDRESS.search(body)
    address = body[match.end() :] if match else ""
    head = body[: match.start()] if match else body
    lines = [squash(line) for line in head.splitlines() if squash(line)]
    kinds = _classify(lines)
    if kinds:
        kinds[0] = "ja"  # the entry number stands before the Japanese name (found so by split_entries)
    entry = _Entry()
    index = 0
    japanese: list[str] = []
    while index < len(lines) and kinds[index] == "ja":
        japanese.append(lines[index])
        index += 1
    english: list[str] = []
    while index < len(lines) and kinds[index] == "en":
        english.append(lines[index])
        index += 1
    japanese_text = _join(japanese)
    split_text, glued = _glued_english(japanese_text, loose=not english)
    if glued and (not english or " " in glued or english[0][:1].islower()):
        # the English name was glued to the Japanese one at a line or page break
        japanese_text = split_text
        english.insert(0, glued)
    _japanese_part(entry, japanese_text)
    _english_part(entry, _join(english))
    _aliases(entry, lines[index:], kinds[index:])
    return entry, _join([squash(line) for line in address.splitlines() if squash(line)])


def _aliases(entry: _Entry, lines: list[str], kinds: list[str]) -> None:
    """The ``-``-bulleted English aliases and the ``別称：`` blocks after the English name."""
    bulleted: list[str] = []
    betsu_ja: list[str] = []
    betsu_en: list[str] = []
    mode = ""
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "alias":
            bulleted.append(_BULLET.sub("", line))
            mode = "alias"
        elif kind == "betsu":
            rest = _BETSU.sub("", line)
            (betsu_ja if is_japanese_or_chinese(rest) else betsu_en).append(rest)
            mode = "betsu_ja" if is_japanese_or_chinese(rest) else "betsu_en"
        elif mode == "alias" and bulleted:
            bulleted[-1] = join_wrapped(bulleted[-1], line) if bulleted[-1] else line
        elif kind == "ja" and mode in ("betsu_ja", ""):
            betsu_ja.append(line)
            mode = "betsu_ja"
        else:
            betsu_en.append(line)
            mode = "betsu_en"
    # two bulleted aliases can share a line ("—A;—B;")
    bulleted = [_BULLET.sub("", p) for b in bulleted for p in re.split(r"[;；]\s*(?=[-—−‐–―])", b)]
    for position, alias in enumerate(bulleted):
        alias = re.sub(r"[;；,]?\s*(?:\band)?\s*$", "", alias.strip()).strip()
        if position == len(bulleted) - 1:
            alias = alias.rstrip(".")
        _english_alias(entry, alias)
    for alias in split_listing_semicolons(_join(betsu_ja)):
        for part in split_listing(alias) if "及び" in alias else [alias]:
            _japanese_alias(entry, part)
    for alias in split_listing_semicolons(_join(betsu_en)):
        _english_alias(entry, alias.rstrip("."))


def split_listing_semicolons(text: str) -> list[str]:
    return [squash(p) for p in re.split(r"[;；]\s*(?:and\b\s*)?", text) if squash(p)]


def _english_alias(entry: _Entry, alias: str) -> None:
    head, inner = trailing_group(alias)
    if inner and has_han(inner) and not has_kana(inner):
        for chinese in split_listing(inner):
            entry.add(chinese, NameType.CHINESE, "zh")
        alias = head
    entry.add(alias, NameType.AKA, None)


def split_addresses(text: str) -> list[Address]:
    addresses: list[Address] = []
    for part in re.split(r";\s*(?:and\s+)?", text):
        full = squash(part).rstrip(".")
        full = re.sub(r"^and\s+", "", full)
        if not full:
            continue
        code, country_name = address_country(full)
        addresses.append(Address(full=full, country=code, country_name=country_name))
    return addresses


def address_country(full: str) -> tuple[str | None, str | None]:
    """The country of a one-line address: the last comma part naming one, postcodes ignored.

    METI writes ``"..., Moscow, Russia, 119048"``, ``"..., Moscow, 107076 Russia"`` and
    ``"All address located in Russia"``; the country is whichever of the last three parts (or its last
    word) resolves.
    """
    for part in reversed(full.split(",")[-3:]):
        words = squash(re.sub(r"[\d\-–]+", " ", part)).strip(" .").split(" ")
        for candidate in (" ".join(words), words[-1]):
            # three letters or fewer would read "St" (St. Petersburg) as the ISO code of Sao Tome
            code = to_iso2(candidate) if len(candidate) > 3 else None
            if code:
                return code, candidate
    return None, None


def parse_ban_text(text: str, path: Path) -> ParseResult:
    """Parse one list's text (as extracted from METI's PDF)."""
    header_end = _entry_start(text.translate(_DIGITS), 1, 0)
    header = text[: header_end.start()] if header_end else text[:500]
    list_code = list_code_for(header, path)
    dates = _DATE.findall(header.translate(_DIGITS))
    # the header gives 指定日 (designation) then 最終更新日 (last update): the edition is the last update
    publisher_date = "{}-{:0>2}-{:0>2}".format(*dates[-1]) if dates else None
    notice = _NOTICE.search(re.sub(r"\s+", "", header))
    parties: list[Party] = []
    counts = {
        "entries": 0,
        "aliases": 0,
        "japanese_aliases": 0,
        "chinese_names": 0,
        "without_address": 0,
        "without_english_name": 0,
    }
    for number, line, body in split_entries(text, path):
        entry, address_text = parse_entry(body)
        record = f"{list_code}-{number}"
        if not entry.japanese and not entry.english:
            raise ListFormatError(path, "entry has no name", line=line, record=record)
        if not address_text:
            counts["without_address"] += 1
        if not entry.english:
            counts["without_english_name"] += 1
        addresses = split_addresses(address_text)
        names = list(entry.names)
        if entry.japanese and entry.english:
            names.insert(0, Name(entry.english, NameType.ENGLISH, "en"))
        counts["entries"] += 1
        counts["aliases"] += sum(1 for n in names if n.type is NameType.AKA)
        counts["japanese_aliases"] += sum(1 for n in names if n.type is NameType.JAPANESE)
        counts["chinese_names"] += sum(1 for n in names if n.type is NameType.CHINESE)
        parties.append(
            Party(
                source=SOURCE,
                source_id=record,
                list=list_code,
                kind=PartyKind.ORGANISATION,
                name=entry.japanese or entry.english,
                names=tuple(names),
                countries=unique(a.country or "" for a in addresses),
                addresses=tuple(addresses),
                programs=(notice.group(1),) if notice else (),
                extra={"number": number, "line": line, "address_text": address_text},
            )
        )
    return ParseResult(tuple(parties), publisher_date, (), counts)


def _merge(results: list[ParseResult]) -> ParseResult:
    if len(results) == 1:
        return results[0]
    counts: dict[str, int] = {}
    for result in results:
        for key, value in result.counts.items():
            counts[key] = counts.get(key, 0) + value
    dates = [r.publisher_date for r in results if r.publisher_date]
    return ParseResult(
        tuple(p for r in results for p in r.parties),
        max(dates) if dates else None,
        tuple(w for r in results for w in r.warnings),
        counts,
    )


def parse_meti_ban_text(paths: Sequence[Path]) -> ParseResult:
    """Parse text extractions of the export-ban lists (``*tokutei*.txt`` in a directory, or given files)."""
    results = []
    for path in expand_paths(paths, ("*tokutei*.txt",), "METI export-ban list text (*tokutei*.txt)"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ListFormatError(path, f"not UTF-8 text: {exc.reason}") from exc
        results.append(parse_ban_text(text, path))
    return _merge(results)


def pdf_text(path: Path) -> str:
    """The text of a PDF, page after page, as ``pypdf`` extracts it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise ListFormatError(path, f"not a readable PDF: {exc}") from exc


def parse_meti_ban_pdf(paths: Sequence[Path]) -> ParseResult:
    """Parse METI's export-ban list PDFs (``list_*_tokutei.pdf`` in a directory, or given files)."""
    files = expand_paths(paths, ("*tokutei*.pdf",), "METI export-ban list PDF (list_*_tokutei.pdf)")
    return _merge([parse_ban_text(pdf_text(path), path) for path in files])


METI_BAN_TEXT = register(
    ListFormat(
        code="meti_ban_text",
        description="METI 外為法 export-ban lists (Russia / third countries / Belarus), text extracted from the PDFs",
        default_source=SOURCE,
        parse=parse_meti_ban_text,
        file_names=(
            "list_russia_tokutei.pdf.txt",
            "list_daisangoku_tokutei.pdf.txt",
            "list_belarus_tokutei.pdf.txt",
        ),
    )
)
METI_BAN_PDF = register(
    ListFormat(
        code="meti_ban_pdf",
        description="METI 外為法 export-ban lists (Russia / third countries / Belarus), official PDFs",
        default_source=SOURCE,
        parse=parse_meti_ban_pdf,
        file_names=("list_russia_tokutei.pdf", "list_daisangoku_tokutei.pdf", "list_belarus_tokutei.pdf"),
    )
)

__all__ = [
    "LIST_BELARUS",
    "LIST_RUSSIA",
    "LIST_THIRD_COUNTRY",
    "METI_BAN_PDF",
    "METI_BAN_TEXT",
    "SOURCE",
    "address_country",
    "list_code_for",
    "outside_brackets",
    "parse_ban_text",
    "parse_entry",
    "parse_meti_ban_pdf",
    "parse_meti_ban_text",
    "pdf_text",
    "split_addresses",
    "split_entries",
    "split_listing",
    "trailing_group",
]
