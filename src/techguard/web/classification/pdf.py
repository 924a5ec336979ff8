"""該非判定書 (classification determination) as a PDF in Japanese or English, with a CJK TrueType font embedded.

The font is the first TrueType CJK font found: ``TECHGUARD_PDF_FONT``, then IPAex Gothic / IPA Gothic from the
Debian packages ``fonts-ipaexfont-gothic`` / ``fonts-ipafont-gothic``. Without one the document falls back to
the reader's built-in CID font and says so on the page (the text is then not embedded).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from techguard.web.classification.models import ItemClassification
from techguard.web.pdf_font import cjk_font

LABELS = {
    "title": {"ja": "該非判定書", "en": "Classification determination (該非判定書)"},
    "item": {"ja": "品名", "en": "Item"},
    "description": {"ja": "仕様・説明", "en": "Description"},
    "us": {"ja": "米国 EAR（CCL）", "en": "US EAR (Commerce Control List)"},
    "jp": {"ja": "外為法（輸出令別表第一・貨物等省令）", "en": "Japan FEFTA (輸出令別表第一 / 貨物等省令)"},
    "eccn": {"ja": "ECCN", "en": "ECCN"},
    "reasons_for_control": {"ja": "規制理由", "en": "Reasons for control"},
    "kou": {"ja": "該当項番", "en": "Item number (項番)"},
    "article": {"ja": "貨物等省令の条項", "en": "Ordinance article"},
    "text": {"ja": "条文", "en": "Text"},
    "reasons": {"ja": "判定理由", "en": "Reasons for the determination"},
    "officer": {"ja": "判定者", "en": "Determined by"},
    "date": {"ja": "判定日", "en": "Date"},
    "catalogue": {"ja": "法令の時点", "en": "Legal texts as of"},
    "note": {
        "ja": "本判定は輸出管理担当者が行ったものです。techguard の検索候補は判定の補助にすぎません。",
        "en": "This determination was made by the export-control officer; techguard's search candidates are aids only.",
    },
    "not_listed": {"ja": "非該当", "en": "Not listed (EAR99 / 非該当)"},
    "no_font": {
        "ja": "注: CJK TrueType フォントが見つからないため、フォントは埋め込まれていません。",
        "en": "Note: no CJK TrueType font was found; the font is not embedded in this file.",
    },
}


def determination_pdf(row: ItemClassification, entries: dict[str, Any], language: str = "ja") -> bytes:
    """``entries``: catalogue entries cited (id → Entry), for their text and reasons for control."""
    lang = "ja" if language.startswith("ja") else "en"
    font, embedded = cjk_font()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=13)
    head = ParagraphStyle("head", parent=base["Heading2"], fontName=font)
    title = ParagraphStyle("title", parent=base["Title"], fontName=font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=f"{LABELS['title'][lang]} {row.item_name}")
    story: list[Any] = []

    def label(key: str) -> str:
        return LABELS[key][lang]

    def para(text: str, style: ParagraphStyle = body) -> None:
        story.append(Paragraph(escape(text), style))

    def table(rows: list[tuple[str, str]]) -> None:
        data = [[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in rows]
        grid = Table(data, colWidths=[45 * mm, 125 * mm])
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#999999"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(grid)

    para(label("title"), title)
    table([(label("item"), row.item_name), (label("description"), row.description)])
    us_entry = entries.get(f"us:{row.eccn}")
    para(label("us"), head)
    table([
        (label("eccn"), row.eccn if row.eccn != "EAR99" else f"EAR99 ({label('not_listed')})"),
        (label("reasons_for_control"), ", ".join(us_entry.reasons) if us_entry is not None else "—"),
        (label("text"), us_entry.text if us_entry is not None else "—"),
    ])
    jp_entry = entries.get(f"jp:export_order:{row.jp_item}") or entries.get(f"jp:fx_order:{row.jp_item}")
    article = entries.get(f"jp:ordinance:{row.jp_article}") if row.jp_article else None
    para(label("jp"), head)
    table([
        (label("kou"), row.jp_item),
        (label("article"), row.jp_article or "—"),
        (label("text"), " / ".join(e.text for e in (jp_entry, article) if e is not None) or "—"),
    ])
    para(label("reasons"), head)
    para(row.reasons)
    story.append(Spacer(1, 4 * mm))
    sources = "; ".join(f"{s['name']} {s['as_of']}" for s in row.catalogue_sources)
    table([
        (label("officer"), row.confirmed_by.get_username()),
        (label("date"), f"{row.confirmed_at:%Y-%m-%d}"),
        (label("catalogue"), f"{sources} (catalogue {row.catalogue_built_at})"),
    ])
    story.append(Spacer(1, 4 * mm))
    para(label("note"))
    if not embedded:
        para(label("no_font"))
    doc.build(story)
    return out.getvalue()


__all__ = ["determination_pdf"]
