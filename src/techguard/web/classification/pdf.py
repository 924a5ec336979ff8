"""該非判定書 (classification determination) as a PDF in Japanese or English, with a CJK TrueType font embedded.

The font is the first TrueType CJK font found: ``TECHGUARD_PDF_FONT``, then IPAex Gothic / IPA Gothic from the
Debian packages ``fonts-ipaexfont-gothic`` / ``fonts-ipafont-gothic``. Without one the document falls back to
the reader's built-in CID font and says so on the page (the text is then not embedded).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import pgettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from techguard.web.classification.models import ItemClassification
from techguard.web.pdf_font import cjk_font

# the document's labels (gettext; Japanese in classification/locale); the msgctxt keeps them apart from the same
# English words elsewhere in the app
LABELS = {
    "title": pgettext_lazy("classification determination", "Classification determination (該非判定書)"),
    "item": pgettext_lazy("classification determination", "Item"),
    "description": pgettext_lazy("classification determination", "Description"),
    "us": pgettext_lazy("classification determination", "US EAR (Commerce Control List)"),
    "jp": pgettext_lazy("classification determination", "Japan FEFTA (輸出令別表第一 / 貨物等省令)"),
    "eccn": pgettext_lazy("classification determination", "ECCN"),
    "reasons_for_control": pgettext_lazy("classification determination", "Reasons for control"),
    "kou": pgettext_lazy("classification determination", "Item number (項番)"),
    "article": pgettext_lazy("classification determination", "Ordinance article"),
    "text": pgettext_lazy("classification determination", "Text"),
    "reasons": pgettext_lazy("classification determination", "Reasons for the determination"),
    "officer": pgettext_lazy("classification determination", "Determined by"),
    "date": pgettext_lazy("classification determination", "Date"),
    "catalogue": pgettext_lazy("classification determination", "Legal texts as of"),
    "note": pgettext_lazy("classification determination", "This determination was made by the export-control officer;"
                          " techguard's search candidates are aids only."),
    "not_listed": pgettext_lazy("classification determination", "Not listed (EAR99 / 非該当)"),
    "no_font": pgettext_lazy("classification determination", "Note: no CJK TrueType font was found; the font is not"
                             " embedded in this file."),
}


def determination_pdf(row: ItemClassification, entries: dict[str, Any], language: str = "ja") -> bytes:
    """``entries``: catalogue entries cited (id → Entry), for their text and reasons for control; ``language``: any
    language with a catalogue (labels in English where it has none)."""
    with translation.override(language):
        return _render(row, entries)


def _render(row: ItemClassification, entries: dict[str, Any]) -> bytes:
    font, embedded = cjk_font()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=13)
    head = ParagraphStyle("head", parent=base["Heading2"], fontName=font)
    title = ParagraphStyle("title", parent=base["Title"], fontName=font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=f"{LABELS['title']} {row.item_name}")
    story: list[Any] = []

    def label(key: str) -> str:
        return str(LABELS[key])

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
