"""Japanese control texts at item level: 輸出令別表第一 (goods), 外為令別表 (technology) and 貨物等省令 (specs).

* 輸出令別表第一 — e-Gov XML through :func:`techguard.rules.jp.egov.parse_export_order` (or a row JSON);
* 外為令別表 — e-Gov XML (its ``AppdxTable`` has the same three-column shape, read by the same row reader) or a
  row JSON with ``sub_items``;
* 貨物等省令 — e-Gov XML (``Article`` > ``Paragraph`` > ``Item`` > ``Subitem1…``) or the Markdown rendering of
  it (one ``##`` per article, items as nested ``-`` lists).

Each paragraph of 貨物等省令 opens with the 項 it defines ("輸出令別表第一の七の項の経済産業省令で定める仕様の
ものは"); items under it carry that 項番 (``7の項（1）`` for 第6条第1号, the 号 numbering of the 省令 following
the 号 of the 項) so a spec is tied to its row.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from techguard.catalogue.model import CatalogueError, Entry, content_hash
from techguard.catalogue.numbers import counts, parameters_ja
from techguard.rules.jp.egov import (
    AppendixRow,
    EgovXmlError,
    _appendix_rows,
    _text,
    normalise_number,
    parse_export_order,
)

KAMOTSU_LAW_ID = "403M50000400049"
FX_ORDER_LAW_ID = "355CO0000000260"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_KANJI_NUM = "〇一二三四五六七八九十百"


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", " ")).strip()


def _row_entries(rows: list[AppendixRow], *, kind: str, prefix: str, source: str, as_of: str) -> list[Entry]:
    out: list[Entry] = []
    seen: dict[str, str] = {}
    for row in rows:
        label = row.label
        if label in seen:  # an unnumbered sentence continuing the 項 heading
            continue
        parents: list[str] = []
        if row.sub:
            head = f"jp:{kind}:{prefix}{row.kou}の項"
            if head in seen.values():
                parents.append(head)
        if row.subitem:
            parents.append(f"jp:{kind}:{prefix}{row.kou}の項（{row.sub}）")
        entry_id = f"jp:{kind}:{prefix}{label}"
        seen[label] = entry_id
        text = _clean(row.text)
        notes = (f"地域: {row.region}",) if row.region else ()
        out.append(Entry(
            id=entry_id, regime="jp", kind=kind,  # type: ignore[arg-type]
            key=f"{prefix}{label}", text=text, parents=tuple(parents), jp_item=f"{prefix}{label}",
            parameters=tuple(parameters_ja(text) + counts(text)), notes=notes, source=source, as_of=as_of,
            content_hash=content_hash(text, notes),
        ))
    return out


def export_order_from_xml(xml: bytes, *, location: str, revision_id: str = "") -> tuple[list[Entry], str]:
    try:
        law = parse_export_order(xml, source=location, revision_id=revision_id)
    except EgovXmlError as exc:
        raise CatalogueError(str(exc)) from None
    return (
        _row_entries(list(law.appendix1), kind="export_order", prefix="", source="export_order",
                     as_of=law.text_date),
        law.text_date,
    )


def export_order_from_json(payload: bytes, *, location: str) -> tuple[list[Entry], str]:
    try:
        data = json.loads(payload)
        rows = [AppendixRow(str(r["kou"]), str(r["sub"]), str(r["subitem"]), str(r["text"]),
                            str(r.get("region", ""))) for r in data["rows"]]
        as_of = re.search(r"\d{4}-\d{2}-\d{2}", str(data.get("source", {}).get("as_of", "")))
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f"{location}: not a 別表第一 row JSON ({exc!r})") from None
    date = as_of.group(0) if as_of else ""
    return _row_entries(rows, kind="export_order", prefix="", source="export_order", as_of=date), date


def fx_order_from_xml(xml: bytes, *, location: str, revision_id: str = "") -> tuple[list[Entry], str]:
    """外為令別表 from the e-Gov XML of 外国為替令."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise CatalogueError(f"{location}: not well-formed XML ({exc})") from None
    table = None
    for appendix in root.iter("AppdxTable"):
        title = appendix.find("AppdxTableTitle")
        if title is not None and _clean(_text(title)).startswith("別表") and appendix.find(".//TableRow") is not None:
            table = appendix
            break
    if table is None:
        raise CatalogueError(f"{location}: no AppdxTable 別表 with rows (is this 外国為替令?)")
    try:
        rows = list(_appendix_rows(table, location))
    except EgovXmlError as exc:
        raise CatalogueError(str(exc)) from None
    date = _revision_date(revision_id)
    return _row_entries(rows, kind="fx_order", prefix="外為令", source="fx_order", as_of=date), date


def fx_order_from_json(payload: bytes, *, location: str) -> tuple[list[Entry], str]:
    try:
        data = json.loads(payload)
        rows: list[AppendixRow] = []
        for row in data["appendix"]:
            kou, region = str(row["kou"]), str(row.get("region", ""))
            if row.get("sub_items"):
                rows.append(AppendixRow(kou, "", "", f"{kou}の項", region))
                rows.extend(AppendixRow(kou, str(s["sub"]), "", str(s["text"]), region) for s in row["sub_items"])
            else:
                rows.append(AppendixRow(kou, "", "", str(row["technology"]), region))
        date = str(data.get("as_of", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f"{location}: not a 外為令別表 row JSON ({exc!r})") from None
    return _row_entries(rows, kind="fx_order", prefix="外為令", source="fx_order", as_of=date), date


def _revision_date(revision_id: str) -> str:
    match = re.match(r"^\w+?_(\d{4})(\d{2})(\d{2})_", revision_id)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else ""


# ---------------------------------------------------------------- 貨物等省令


@dataclass(slots=True)
class OrdinanceNode:
    article: str  # "6", "14の2"
    paragraph: int
    path: list[str]  # ["1", "イ", "（一）", "1"]; [] for the paragraph's own sentence
    text: str
    intro: str = ""  # the paragraph's opening sentence (names the 項)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        number = self.article.split("の")
        out = f"第{number[0]}条" + "".join(f"の{n}" for n in number[1:])
        if self.paragraph > 1:
            out += f"第{self.paragraph}項"
        if self.path:
            number = self.path[0].split("の")
            out += f"第{number[0]}号" + "".join(f"の{n}" for n in number[1:])
            out += "".join(self.path[1:])
        return out


def _label(raw: str, depth: int) -> str:
    """Item labels as written; 号 numbers (depth 0) in digits: 「一」 → ``1``, 「十の二」 → ``10の2``."""
    raw = raw.strip().translate(_FULLWIDTH)
    if depth == 0 and raw and all(ch in _KANJI_NUM or ch == "の" for ch in raw):
        try:
            return normalise_number(raw)
        except ValueError:
            return raw
    return raw


def ordinance_from_markdown(text: str, *, location: str) -> list[OrdinanceNode]:
    nodes: list[OrdinanceNode] = []
    article = ""
    paragraph = 1
    intro = ""
    stack: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            match = re.match(r"^## 第([一二三四五六七八九十百〇]+(?:条の[一二三四五六七八九十]+)?)条?", line)
            if not match:
                article = ""  # 別表 etc.
                continue
            article = normalise_number(match.group(1).replace("条の", "の"))
            paragraph, intro, stack = 1, "", []
            continue
        if not article or not line.strip() or line.startswith("#"):
            continue
        item = re.match(r"^(\s*)- (\S+?)[\s\u3000]+(.*)$", line)
        if item:
            depth = len(item.group(1)) // 2
            label = _label(item.group(2), depth)
            stack = [*stack[:depth], label]
            nodes.append(OrdinanceNode(article, paragraph, list(stack), item.group(3).strip(), intro))
            continue
        if line.startswith(" ") and nodes:
            # ruby kanji dropped by the converter break a line; the rest of the sentence continues here
            nodes[-1].text += line.strip()
            continue
        para = re.match(r"^([０-９0-9]+)[\s\u3000]+(.*)$", line)
        if para:
            paragraph = int(para.group(1).translate(_FULLWIDTH))
            intro, stack = para.group(2).strip(), []
        else:
            intro, stack = line.strip(), []
        nodes.append(OrdinanceNode(article, paragraph, [], intro, intro))
    if not nodes:
        raise CatalogueError(f"{location}: no articles (## 第N条) found")
    return nodes


def ordinance_from_xml(xml: bytes, *, location: str) -> list[OrdinanceNode]:
    """貨物等省令 nodes from e-Gov law XML (``MainProvision`` articles only; 附則 are skipped)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise CatalogueError(f"{location}: not well-formed XML ({exc})") from None
    main = root.find(".//MainProvision")
    if main is None:
        raise CatalogueError(f"{location}: no <MainProvision> element")
    nodes: list[OrdinanceNode] = []

    def sentence(element: ET.Element, tag: str) -> str:
        found = element.find(tag)
        return "" if found is None else _clean(_text(found))

    def walk(element: ET.Element, level: int, article: str, paragraph: int, path: list[str], intro: str) -> None:
        tag = "Item" if level == 0 else f"Subitem{level}"
        for child in element.findall(tag):
            label = _label(sentence(child, f"{tag}Title"), level)
            text = sentence(child, f"{tag}Sentence")
            nodes.append(OrdinanceNode(article, paragraph, [*path, label], text, intro))
            walk(child, level + 1, article, paragraph, [*path, label], intro)

    for article in main.iter("Article"):
        title = sentence(article, "ArticleTitle")
        match = re.match(r"^第([一二三四五六七八九十百〇]+(?:条の[一二三四五六七八九十]+)?)条?", title)
        if not match:
            raise CatalogueError(f"{location}: <ArticleTitle> {title!r} is not 第N条")
        number = normalise_number(match.group(1).replace("条の", "の"))
        for index, para in enumerate(article.findall("Paragraph"), start=1):
            num = int(para.get("Num", index))
            intro = sentence(para, "ParagraphSentence")
            nodes.append(OrdinanceNode(number, num, [], intro, intro))
            walk(para, 0, number, num, [], intro)
    if not nodes:
        raise CatalogueError(f"{location}: no <Article> elements")
    return nodes


_INTRO = re.compile(
    r"(輸出令別表第一|外為令別表|輸出貿易管理令別表第一|外国為替令別表)の"
    r"([一二三四五六七八九〇]+(?:の[一二三四五六七八九〇]+)?)の項((?:（[一二三四五六七八九十]+）)?)"
)


_BOILERPLATE = re.compile(r"(であって|であつて|のうち|次のいずれかに該当するもの|若しくは|又は|これらの|その|もの|設計した|用いる)")


def _bigrams(text: str) -> set[str]:
    text = _BOILERPLATE.sub("", re.sub(r"（[^）]*）", "", text))[:60]
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _item_for(node: OrdinanceNode, rows: dict[str, str]) -> tuple[str, str]:
    """The 項番 an ordinance node specifies and how it was found, from its paragraph's opening sentence.

    ``rows`` maps 項番 → row text of 輸出令別表第一 / 外為令別表. When the paragraph names only the 項, the 号 of
    the 省令 is matched to the row of that 項 whose wording it shares most (same number preferred on a tie):
    the 省令 mostly numbers its 号 after the 項's, but not everywhere (第1条第35号 is not 2の項（35）).
    """
    match = _INTRO.search(re.sub(r"（以下「[^」]*」という。）", "", node.intro))
    if not match:
        return "", ""
    prefix = "外為令" if "外" in match.group(1) else ""
    kou = normalise_number(match.group(2))
    if match.group(3):
        return f"{prefix}{kou}の項（{normalise_number(match.group(3).strip('（）'))}）", "named in the paragraph"
    head = f"{prefix}{kou}の項"
    candidates = {k: v for k, v in rows.items() if k.startswith(head + "（") and k[-1] == "）"}
    if node.path and candidates:
        same = f"{head}（{node.path[0]}）"
        scored = sorted(((_similarity(node.text, text), k) for k, text in candidates.items()), reverse=True)
        best_score, best = scored[0]
        same_score = _similarity(node.text, candidates[same]) if same in candidates else -1.0
        if same_score >= best_score - 0.02 and same_score > 0.05:
            return same, f"号 number and wording ({same_score:.2f})"
        if best_score > 0.1:
            return best, f"wording ({best_score:.2f})"
        if same_score >= 0:
            return same, "号 number only"
    return head, "項 named in the paragraph"


def ordinance_entries(nodes: list[OrdinanceNode], *, rows: dict[str, str], as_of: str) -> list[Entry]:
    """Entries for 貨物等省令 nodes; ``rows`` maps 項番 → row text (to tie each 号 to its row)."""
    out: list[Entry] = []
    ids: set[str] = set()
    item_of_number: dict[tuple[str, int, str], tuple[str, str]] = {}
    for node in nodes:
        key = node.key
        entry_id = f"jp:ordinance:{key}"
        if entry_id in ids or not node.text:
            continue
        ids.add(entry_id)
        parents = []
        for depth in range(len(node.path)):
            parent = OrdinanceNode(node.article, node.paragraph, node.path[:depth], "")
            parent_id = f"jp:ordinance:{parent.key}"
            if parent_id in ids:
                parents.append(parent_id)
        text = unicodedata.normalize("NFC", node.text)
        number = (node.article, node.paragraph, node.path[0] if node.path else "")
        if number not in item_of_number:
            top = OrdinanceNode(node.article, node.paragraph, node.path[:1], text, node.intro)
            item_of_number[number] = _item_for(top, rows)
        jp_item, basis = item_of_number[number]
        notes = (f"項番: {basis}",) if basis else ()
        out.append(Entry(
            id=entry_id, regime="jp", kind="ordinance", key=key, text=text, parents=tuple(parents),
            jp_item=jp_item, jp_article=key, parameters=tuple(parameters_ja(text) + counts(text)), notes=notes,
            source="kamotsu_ordinance", as_of=as_of, content_hash=content_hash(text),
        ))
    return out


def load_json_rows(payload: bytes) -> Any:
    return json.loads(payload)


__all__ = [
    "FX_ORDER_LAW_ID",
    "KAMOTSU_LAW_ID",
    "OrdinanceNode",
    "export_order_from_json",
    "export_order_from_xml",
    "fx_order_from_json",
    "fx_order_from_xml",
    "ordinance_entries",
    "ordinance_from_markdown",
    "ordinance_from_xml",
]
