"""The determination memo of a case as a PDF, in English or Japanese (the CJK font embedded: web/pdf_font.py)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from techguard.web.cases.models import Case
from techguard.web.pdf_font import cjk_font
from techguard.web.screening.models import Verdict


def memo_pdf(case: Case, language: str = "en") -> bytes:
    language = "ja" if language.startswith("ja") else "en"
    font, embedded = cjk_font()  # IPAex Gothic embedded where installed (scripts/ensure-build-deps.sh)
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=13)
    head = ParagraphStyle("head", parent=base["Heading2"], fontName=font)
    title = ParagraphStyle("title", parent=base["Title"], fontName=font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=f"{case.reference} determination memo")
    story: list[Any] = []

    def para(text: str, style: ParagraphStyle = body) -> None:
        story.append(Paragraph(escape(text), style))

    with translation.override(language):
        para(_("Export-control determination memo"), title)
        para(f"{case.reference} — {case.title}")
        para(f"{_('Activity')}: {case.get_kind_display()}")
        para(f"{_('Researcher')}: {case.owner.get_username()}    {_('Status')}: {case.get_status_display()}")
        if case.decided_by:
            para(f"{_('Decided by')}: {case.decided_by.get_username()} ({case.decided_at:%Y-%m-%d})")
        if case.conditions:
            para(f"{_('Conditions')}: {case.conditions}")
        if case.licence_number or case.licence_status:
            para(f"{_('Licence')}: {case.get_licence_status_display()} {case.licence_number} "
                 f"{case.licence_expiry or ''}")
        story.append(Spacer(1, 4 * mm))
        if case.assessment:
            para(f"{_('Rules as of')}: {case.assessment.get('as_of', '')}")
            overall = case.assessment.get("overall")
            if overall:
                para(f"{_('Overall (the stricter of the two)')}: "
                     f"{overall['text_ja'] if language == 'ja' else overall['text_en']}", head)
            for key, label in (("us_ear", _("United States (EAR)")), ("jp_fefta", _("Japan (外為法 FEFTA)"))):
                result = case.assessment[key]
                para(f"{label}: {result['outcome']}", head)
                for step in result["steps"]:
                    finding = step.get("finding_ja") if language == "ja" and step.get("finding_ja") else step["finding"]
                    para(f"• [{step['citation']}] {finding}")
                for exc in result.get("licence_exceptions_to_review", []):
                    para(f"◦ {_('Licence exception to review')}: {exc['code']} ({exc['citation']}) {exc['note']}")
                for fact in result.get("missing_facts", []):
                    question = fact["question_ja"] if language == "ja" else fact["question_en"]
                    para(f"? {question}")
        else:
            para(_("The automatic determination has not run.") + f" {case.checks_error}")
        para(_("Screening of named parties"), head)
        for party in case.screening or []:
            verdict = _("possible match — review") if party["alert"] else _("no alert")
            para(f"{party['name']} ({party.get('role', '')}): {verdict}")
            for match in party["matches"]:
                if not (match["alert"] or match.get("below_threshold") or match.get("decision")):
                    continue
                listed = match["party"]
                title = (listed.get("list_title") or {}).get(language) or listed["list"]
                flag = "" if match["alert"] else f" ({_('below threshold')})"
                para(f"    {listed['name']} [{title}] score {match['score']}{flag}")
                decision = match.get("decision")
                if decision:
                    label = _("Allow-listed") if decision["verdict"] == "allow_listed" else \
                        str(Verdict(decision["verdict"]).label)
                    evidence = ", ".join(f"{k}: {v}" for k, v in (decision.get("evidence") or {}).items())
                    para(f"    {_('Decision')}: {label} — {decision['reason']} ({decision['by']}, "
                         f"{str(decision.get('at', ''))[:10]}){'; ' + evidence if evidence else ''}")
                else:
                    para(f"    {_('Decision')}: {_('not decided yet')}")
        if not embedded:  # said, not silent: the file then needs a viewer with Japanese fonts
            para("Note: no CJK TrueType font was found; the font is not embedded in this file. / 注: CJK TrueType "
                 "フォントが見つからないため、フォントは埋め込まれていません。")
    doc.build(story)
    return out.getvalue()
