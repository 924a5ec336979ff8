"""Parser for e-Gov's official law XML (法令標準XML) as served by the e-Gov 法令API v2.

Reads the appended tables (``AppdxTable``) of 輸出貿易管理令 (輸出令, law ID 324CO0000000378):

* 別表第一 — a three-column ``TableStruct`` (項 / 貨物 / 地域); each ``Sentence`` of the middle column is one
  row: ``（一）　…`` is a 号, ``１　…`` a sub-item of the preceding 号, an unnumbered sentence the 項's heading;
* 別表第三, 別表第三の二, 別表第三の三, 別表第四 — one ``Item`` whose sentence lists countries (or, for 第三の三,
  the 別表第一 rows it covers).

Kanji numerals (``一六``, ``十三の二``) and full-width digits are normalised to ASCII (``16``, ``13の2``).
Only the standard library XML parser is used; the input is e-Gov's own published XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from techguard.text.countries import CountryError, resolve_countries

EXPORT_ORDER_LAW_ID = "324CO0000000378"
FEFTA_LAW_ID = "324AC0000000228"

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class EgovXmlError(ValueError):
    """The law XML does not have the structure this parser reads; names the file and the element."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


def kanji_number(text: str) -> int:
    """``一六`` → 16 (positional form used for 項), ``十三`` → 13, ``二十一`` → 21, ``１２`` → 12."""
    text = text.strip().translate(_FULLWIDTH)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _KANJI_DIGITS and ch not in "十百" for ch in text):
        raise ValueError(f"not a Japanese numeral: {text!r}")
    if "十" not in text and "百" not in text:
        # positional: 一〇, 一六, 三
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total = 0
    current = 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        else:
            unit = 10 if ch == "十" else 100
            total += (current or 1) * unit
            current = 0
    return total + current


def normalise_number(text: str) -> str:
    """``十三の二`` → ``13の2``, ``三の二`` → ``3の2``, ``５の２`` → ``5の2``."""
    return "の".join(str(kanji_number(part)) for part in text.strip().split("の"))


@dataclass(frozen=True, slots=True)
class AppendixRow:
    """One row of 輸出令別表第一: a 項, optionally a 号 ``（n）`` and a sub-item ``n`` under that 号."""

    kou: str  # "1", "3の2", "16"
    sub: str  # "" for the 項 heading, "1", "10の2"
    subitem: str  # "" or "1", "5の2"
    text: str
    region: str

    @property
    def label(self) -> str:
        out = f"{self.kou}の項"
        if self.sub:
            out += f"（{self.sub}）"
        return out + self.subitem


@dataclass(frozen=True, slots=True)
class LawTables:
    """What techguard reads from one revision of 輸出令."""

    law_id: str
    law_title: str
    law_num: str
    revision_id: str  # e.g. 324CO0000000378_20260214_507CO0000000376 ("" when unknown)
    text_date: str  # ISO date the text is in force from (from the revision id), "" when unknown
    appendix1: tuple[AppendixRow, ...]
    group_a: tuple[str, ...]  # 別表第三
    un_arms_embargo: tuple[str, ...]  # 別表第三の二
    appendix3_3_text: str  # 別表第三の三 (goods with the ¥50,000 small-value limit)
    concern: tuple[str, ...]  # 別表第四


def _text(element: ET.Element) -> str:
    """The text of an element without ruby readings (``<Rt>``), which are not part of the law's wording."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag != "Rt":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _child_text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    return "" if found is None else _clean(_text(found))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


_GOU = re.compile(r"^（([一二三四五六七八九十百〇の]+)）[\s\u3000]*(.*)$", re.S)
_SUBITEM = re.compile(r"^([０-９0-9]+(?:の[０-９0-9]+)?)[\s\u3000]+(.*)$", re.S)


def _appendix_rows(table: ET.Element, source: str) -> Iterator[AppendixRow]:
    rows = table.findall(".//TableRow")
    if not rows:
        raise EgovXmlError(source, "別表第一 has no TableRow elements")
    for index, row in enumerate(rows):
        columns = row.findall("TableColumn")
        if len(columns) != 3:
            raise EgovXmlError(
                source, f"別表第一 TableRow {index + 1}: expected 3 TableColumn, found {len(columns)}"
            )
        number = _clean(_text(columns[0]))
        if not number:  # the header row (　 / 貨物 / 地域)
            continue
        try:
            kou = normalise_number(number)
        except ValueError as exc:
            raise EgovXmlError(source, f"別表第一 TableRow {index + 1}: bad 項 number ({exc})") from None
        region = _clean(_text(columns[2]))
        sub = ""
        for sentence in columns[1].iter("Sentence"):
            text = _clean(_text(sentence))
            if not text:
                continue
            if match := _GOU.match(text):
                sub = normalise_number(match.group(1))
                yield AppendixRow(kou, sub, "", _clean(match.group(2)), region)
            elif (match := _SUBITEM.match(text)) and sub:
                yield AppendixRow(kou, sub, normalise_number(match.group(1)), _clean(match.group(2)), region)
            else:
                yield AppendixRow(kou, "", "", text, region)


def _item_sentence(appendix: ET.Element) -> str:
    return "".join(_clean(_text(s)) for s in appendix.iter("Sentence"))


def _revision_date(revision_id: str) -> str:
    match = re.match(r"^\w+?_(\d{4})(\d{2})(\d{2})_", revision_id)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else ""


def parse_export_order(xml: bytes | str, *, source: str, revision_id: str = "") -> LawTables:
    """Parse the 輸出令 law XML (the ``<Law>`` document) into :class:`LawTables`."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise EgovXmlError(source, f"not well-formed XML ({exc})") from None
    law = root if root.tag == "Law" else root.find(".//Law")
    if law is None:
        raise EgovXmlError(source, "no <Law> element")
    title = _child_text(law, ".//LawTitle")
    law_num = _child_text(law, "LawNum")
    if "輸出貿易管理令" not in title:
        raise EgovXmlError(source, f"<LawTitle> is {title!r}, expected 輸出貿易管理令")
    appendices: dict[str, ET.Element] = {}
    for appendix in law.iter("AppdxTable"):
        name = _child_text(appendix, "AppdxTableTitle")
        appendices[name] = appendix

    def need(name: str) -> ET.Element:
        if name not in appendices:
            raise EgovXmlError(source, f"no AppdxTable titled {name!r} (found: {', '.join(appendices)})")
        return appendices[name]

    def countries(name: str) -> tuple[str, ...]:
        try:
            return resolve_countries(_item_sentence(need(name)))
        except CountryError as exc:
            raise EgovXmlError(source, f"{name}: {exc}") from None

    return LawTables(
        law_id=EXPORT_ORDER_LAW_ID,
        law_title=title,
        law_num=law_num,
        revision_id=revision_id,
        text_date=_revision_date(revision_id),
        appendix1=tuple(_appendix_rows(need("別表第一"), source)),
        group_a=countries("別表第三"),
        un_arms_embargo=countries("別表第三の二"),
        appendix3_3_text=_item_sentence(need("別表第三の三")),
        concern=countries("別表第四"),
    )


def parse_export_order_file(path: Path) -> LawTables:
    """Parse a saved e-Gov XML file; its name (``{law_id}_{YYYYMMDD}_{amending law}.xml``) is the revision id."""
    return parse_export_order(path.read_bytes(), source=str(path), revision_id=path.stem)


_REF = re.compile(
    r"([一二三四五六七八九〇]+(?:の[一二三四五六七八九〇]+)?)の項((?:（[^）]+）(?:、|若しくは|又は)?)*)"
)


def appendix3_3_items(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rows of 別表第三の三 as (labels whose goods are covered only when a 告示 designates them, whole 項).

    The text reads "別表第一の五の項（十四）若しくは（十八）、七の項（二）… 八の項の中欄、… に掲げる貨物であつて、
    経済産業大臣が告示で定めるもの又は同表の一五の項の中欄に掲げる貨物".
    """
    text = text.replace("別表第一の", "")  # "別表第一の五の項" must not read as 項 "1の5"
    if "告示で定めるもの" in text:
        designated, _, rest = text.partition("告示で定めるもの")
    else:
        designated, rest = text, ""
    by_notice: list[str] = []
    for match in _REF.finditer(designated):
        kou = normalise_number(match.group(1))
        subs = re.findall(r"（([^）]+)）", match.group(2))
        if subs:
            by_notice.extend(f"{kou}の項（{normalise_number(s)}）" for s in subs)
        else:
            by_notice.append(f"{kou}の項")
    whole = tuple(f"{normalise_number(m.group(1))}の項" for m in _REF.finditer(rest))
    return tuple(by_notice), whole


__all__ = [
    "EXPORT_ORDER_LAW_ID",
    "FEFTA_LAW_ID",
    "AppendixRow",
    "EgovXmlError",
    "LawTables",
    "appendix3_3_items",
    "kanji_number",
    "normalise_number",
    "parse_export_order",
    "parse_export_order_file",
]
