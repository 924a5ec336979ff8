"""The printable screening record of one name (PDF, Japanese or English): what was screened, when, by whom,
against which list versions (snapshot ids, as-of dates, hashes), every potential match with its readable
explanation and the officer's decision. The CJK font is embedded in the file, so the record prints the same
anywhere (a CID font would depend on the reader's fonts)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from techguard.web.pdf_font import FontMissing, embedded_font, font_path

_TEXT = {
    "title": ("Screening record", "スクリーニング記録"),
    "name": ("Screened name", "照会した名称"),
    "given": ("Given with the name", "名称とともに入力された項目"),
    "when": ("Screened", "スクリーニング日時"),
    "by": ("Requested by", "依頼者"),
    "file": ("Batch file", "一括ファイル"),
    "lists": ("Lists screened against (versions)", "照合したリスト（版）"),
    "result": ("Result", "結果"),
    "none": ("No potential match.", "該当候補なし。"),
    "alert": ("possible match", "一致の可能性"),
    "near": ("below threshold — shown for review", "しきい値未満（確認用に表示）"),
    "other": ("candidate", "候補"),
    "score": ("score", "スコア"),
    "entry": ("entry", "掲載番号"),
    "snapshot": ("snapshot", "版"),
    "why": ("Why", "理由"),
    "decision": ("Decision", "判断"),
    "undecided": ("not decided yet", "未判断"),
    "also": ("Also listed", "他の掲載"),
    "algorithm": ("Matching algorithm", "照合アルゴリズム"),
}
_VERDICTS = {
    "true_match": ("True match", "真の該当"), "false_positive": ("False positive", "誤検知（非該当）"),
    "needs_info": ("Needs more information", "追加情報が必要"), "allow_listed": ("Allow-listed", "許可リスト登録済み"),
}


def record_pdf(*, name: str, matches: list[dict[str, Any]], lists: list[dict[str, Any]], language: str,
               screened_at: str, requested_by: str, given: dict[str, str] | None = None,
               filename: str = "") -> bytes:
    """The record as PDF bytes; ``matches`` are stored hits (``Hit.to_json``, with ``decision`` when decided)."""
    ja = language.startswith("ja")

    def t(key: str) -> str:
        return _TEXT[key][1 if ja else 0]

    font = embedded_font()  # a record that must stand an audit embeds its font
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10.5)
    head = ParagraphStyle("head", parent=base["Heading2"], fontName=font)
    title = ParagraphStyle("title", parent=base["Title"], fontName=font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=f"{t('title')}: {name}")
    story: list[Any] = []

    def para(text: str, style: ParagraphStyle = body) -> None:
        story.append(Paragraph(escape(text), style))

    para(t("title"), title)
    para(f"{t('name')}: {name}")
    if given:
        para(f"{t('given')}: " + ", ".join(f"{k}: {v}" for k, v in given.items() if v))
    para(f"{t('when')}: {screened_at}    {t('by')}: {requested_by}")
    if filename:
        para(f"{t('file')}: {filename}")
    algorithm = next((m.get("algorithm") for m in matches if m.get("algorithm")), "")
    if algorithm:
        para(f"{t('algorithm')}: {algorithm}")
    para(t("lists"), head)
    for version in lists:
        label = version.get("title_ja" if ja else "title_en") or version["source"]
        para(f"• {label} ({version['source']}): {t('snapshot')} {version.get('snapshot_id', '')}, as of "
             f"{version.get('as_of', '')}, retrieved {str(version.get('retrieved_at', ''))[:19]}, "
             f"sha256 {str(version.get('sha256', ''))[:16]}", small)
    para(t("result"), head)
    shown = [m for m in matches if m.get("alert") or m.get("below_threshold")]
    if not shown:
        para(t("none"))
    for match in shown:
        listed = match["party"]
        list_title = (listed.get("list_title") or {}).get("ja" if ja else "en") or listed["list"]
        kind = "alert" if match["alert"] else "near"
        para(f"{listed['name']} — {list_title} [{t(kind)}] {t('score')} {match['score']}")
        para(f"{listed['source']} {t('entry')} {listed['entry_id']}, {t('snapshot')} {listed.get('snapshot_id', '')}"
             f" ({listed.get('snapshot_as_of', '')})", small)
        others = [f"{x['source']}:{x['entry_id']}" for x in match.get("listings", ())]
        others += [f"{(r['party'].get('list_title') or {}).get('ja' if ja else 'en', r['party']['list'])}: "
                   f"{r['party']['name']}" for r in match.get("related", ())]
        if others:
            para(f"{t('also')}: " + "; ".join(others), small)
        text = (match.get("explanation_text") or {}).get("ja" if ja else "en", "")
        if text:
            para(f"{t('why')}: {text}", small)
        decision = match.get("decision")
        if decision:
            verdict = _VERDICTS.get(decision["verdict"], (decision["verdict"],) * 2)[1 if ja else 0]
            evidence = ", ".join(f"{k}: {v}" for k, v in (decision.get("evidence") or {}).items())
            para(f"{t('decision')}: {verdict} — {decision.get('reason', '')} ({decision.get('by', '')}, "
                 f"{str(decision.get('at', decision.get('expires', '')))[:10]}){'; ' + evidence if evidence else ''}")
        else:
            para(f"{t('decision')}: {t('undecided')}")
        story.append(Spacer(1, 2 * mm))
    doc.build(story)
    return out.getvalue()


__all__ = ["FontMissing", "font_path", "record_pdf"]
