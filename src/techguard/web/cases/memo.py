"""The determination memo of a case as a PDF, in English or Japanese (the CJK font embedded: web/pdf_font.py).

It is the record that has to stand an audit (EAR 15 CFR 762: kept five years; 輸出者等遵守基準: the basis of
each determination kept): who asked what, the facts in readable form, the screening of every named party with
its decisions, both determinations with each step cited, the rule tables and list snapshots they ran on, the
decision with its reason and conditions, and the 決裁欄 (who signed which step, when).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from techguard.web.audit.models import AuditEvent
from techguard.web.cases.intake_fields import intake_rows
from techguard.web.cases.labels import (
    country_text,
    fact_rows,
    localized_text,
    outcome_label,
    party_role_label,
)
from techguard.web.cases.models import Case, CaseApproval
from techguard.web.licences.memo import licence_lines
from techguard.web.pdf_font import cjk_font
from techguard.web.screening.models import Verdict

_WIDTH = A4[0] - 36 * mm


class _Story:
    """The flowables of the memo, in one font, with the few shapes the memo uses."""

    def __init__(self, font: str) -> None:
        base = getSampleStyleSheet()
        self.font = font
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, bulletFontName=font, fontSize=9.5,
                                   leading=13)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10.5)
        self.head = ParagraphStyle("head", parent=base["Heading2"], fontName=font, fontSize=12.5, spaceBefore=8)
        self.sub = ParagraphStyle("sub", parent=base["Heading3"], fontName=font, fontSize=10.5, spaceBefore=4)
        self.title = ParagraphStyle("title", parent=base["Title"], fontName=font, fontSize=16)
        self.items: list[Any] = []

    def para(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.items.append(Paragraph(escape(text), style or self.body))

    def heading(self, text: str) -> None:
        self.para(text, self.head)

    def table(self, rows: list[list[str]], widths: list[float], *, header: bool = False) -> None:
        """Label/value (or header + rows) cells that wrap; borders so a printed copy reads as a form."""
        if not rows:
            return
        cells = [[Paragraph(escape(str(cell)), self.small) for cell in row] for row in rows]
        table = Table(cells, colWidths=[w * _WIDTH for w in widths], repeatRows=1 if header else 0)
        # the cells' own font too: a table sets it on the canvas even when each cell is a Paragraph
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("FONT", (0, 0), (-1, -1), self.font)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")))
        table.setStyle(TableStyle(style))
        self.items.append(table)


def memo_pdf(case: Case, language: str = "en") -> bytes:
    language = "ja" if language.startswith("ja") else "en"
    font, embedded = cjk_font()  # IPAex Gothic embedded where installed (scripts/ensure-build-deps.sh)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=f"{case.reference} determination memo",
                            initialFontName=font)  # else each page also references a non-embedded Helvetica
    story = _Story(font)
    with translation.override(language):
        story.para(_("Export-control determination memo"), story.title)
        _header(story, case, language)
        _facts(story, case, language)
        _screening(story, case, language)
        _determinations(story, case, language)
        _provenance(story, case, language)
        _decision(story, case)
        _approvals(story, case)
        _licences(story, case, language)
        story.items.append(Spacer(1, 4 * mm))
        story.para(f"{_('Memo generated')}: {timezone.localtime():%Y-%m-%d %H:%M %Z}", story.small)
        if not embedded:  # said, not silent: the file then needs a viewer with Japanese fonts
            story.para("Note: no CJK TrueType font was found; the font is not embedded in this file. / 注: CJK "
                       "TrueType フォントが見つからないため、フォントは埋め込まれていません。")
    doc.build(story.items)
    return out.getvalue()


def _date(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def _person(user: Any) -> str:
    if user is None:
        return "—"
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _header(story: _Story, case: Case, language: str) -> None:
    department = case.department
    department_name = "—"
    if department is not None:
        department_name = (department.name_ja or department.name) if language == "ja" else department.name
    story.table([
        [_("Reference"), case.reference],
        [_("Title"), case.title],
        [_("Activity"), str(case.get_kind_display())],
        [_("Researcher"), _person(case.owner)],
        [_("Department"), department_name],
        [_("Status"), str(case.get_status_display())],
        [_("Created"), _date(case.created)],
        [_("Submitted"), _date(case.submitted_at)],
        [_("Decided"), _date(case.decided_at)],
    ], [0.25, 0.75])


def _facts(story: _Story, case: Case, language: str) -> None:
    answers = intake_rows(case.kind, (case.facts or {}).get("intake") or {}, language)
    if answers:  # what the researcher answered, in the form's words; the engine's facts follow
        story.heading(_("Pre-check answers"))
        story.table([[str(question), answer] for question, answer in answers], [0.4, 0.6])
    story.heading(_("Facts given"))
    facts = {key: value for key, value in (case.facts or {}).items() if key != "intake"}
    rows = [[label, value] for path, label, value in fact_rows(facts) if path]
    if rows:
        story.table(rows, [0.4, 0.6])
    else:
        story.para(_("No facts were given."))
    if case.parties:
        story.para(_("Named parties"), story.sub)
        story.table([[_("Name"), _("Role"), _("Country")]]
                    + [[p.get("name", ""), party_role_label(p.get("role")),
                        country_text(p["country"]) if p.get("country") else ""] for p in case.parties],
                    [0.5, 0.25, 0.25], header=True)


def _screening(story: _Story, case: Case, language: str) -> None:
    story.heading(_("Screening of named parties"))
    if not case.screening:
        story.para(_("No named party was screened."))
    for party in case.screening or []:
        verdict = _("possible match — review") if party["alert"] else _("no alert")
        story.para(f"{party['name']} ({party_role_label(party.get('role'))}): {verdict}")
        for match in party["matches"]:
            if not (match["alert"] or match.get("below_threshold") or match.get("decision")):
                continue
            listed = match["party"]
            title = (listed.get("list_title") or {}).get(language) or listed["list"]
            flag = "" if match["alert"] else f" ({_('below threshold')})"
            story.para(f"    {listed['name']} [{title}] {_('score')} {match['score']}{flag}")
            decision = match.get("decision")
            if decision:
                label = _("Allow-listed") if decision["verdict"] == "allow_listed" else \
                    str(Verdict(decision["verdict"]).label)
                evidence = ", ".join(f"{k}: {v}" for k, v in (decision.get("evidence") or {}).items())
                story.para(f"    {_('Decision')}: {label} — {decision['reason']} ({decision['by']}, "
                           f"{str(decision.get('at', ''))[:10]}){'; ' + evidence if evidence else ''}")
            else:
                story.para(f"    {_('Decision')}: {_('not decided yet')}")


def _determinations(story: _Story, case: Case, language: str) -> None:
    story.heading(_("Determinations"))
    assessment = case.assessment
    if not assessment:
        story.para(_("The automatic determination has not run.") + f" {case.checks_error}")
        return
    overall = assessment.get("overall")
    if overall:
        text = localized_text(overall, language)
        story.para(f"{_('Overall (the stricter of the two)')}: {outcome_label(overall['outcome'])} — {text}",
                   story.sub)
    for key, label in (("us_ear", _("United States (EAR)")), ("jp_fefta", _("Japan (外為法 FEFTA)"))):
        result = assessment[key]
        story.para(f"{label}: {outcome_label(result['outcome'])}", story.sub)
        for step in result["steps"]:
            finding = localized_text(step, language)
            story.para(f"• [{step['citation']}] {finding}")
        for exc in result.get("licence_exceptions_to_review", []):
            note = localized_text(exc, language)
            story.para(f"◦ {_('Licence exception to review')}: {exc['code']} ({exc['citation']}) {note}")
        for fact in result.get("missing_facts", []):
            question = localized_text(fact, language)
            story.para(f"? {question}")
    for warning in assessment.get("warnings", []):
        finding = localized_text(warning, language)
        story.para(f"! [{warning['citation']}] {finding}")
    if case.checks_error:
        story.para(f"{_('Checks could not run completely')}: {case.checks_error}")


def _provenance(story: _Story, case: Case, language: str) -> None:
    """The rule tables and list snapshots the checks ran on (not today's): a re-read years later must be able
    to find exactly the texts and lists the answer rested on."""
    story.heading(_("Rules and lists used"))
    assessment = case.assessment or {}
    provenance = assessment.get("provenance")
    if provenance:
        story.para(f"{_('Checks run at')}: {_iso_local(provenance.get('checked_at'))}")
    elif assessment:  # checks run before provenance was kept: the audit trail still says when they ran
        checked = (AuditEvent.objects.filter(action="case.checked", object_type="cases.case", object_id=str(case.pk))
                   .order_by("-id").values_list("at", flat=True).first())
        if checked is not None:
            story.para(f"{_('Checks run at')}: {_date(checked)} ({_('from the audit trail')})")
    if assessment.get("as_of"):
        story.para(f"{_('Rules in force on')}: {assessment['as_of']}")
    tables = assessment.get("tables_as_of") or {}
    if tables:
        story.para(_("Rule tables (date of the official text each was read from)"), story.sub)
        story.table([[name, date] for name, date in sorted(tables.items())], [0.5, 0.5])
    applied = assessment.get("rules_applied") or {}
    if applied:
        story.para(_("Rule versions applied"), story.sub)
        rows = [[_("Rule"), _("In force"), _("Citation"), _("Source")]]
        for name, held in sorted(applied.items()):
            until = held.get("valid_to") or _("in force")
            rows.append([name, f"{held.get('valid_from', '')} – {until}", held.get("citation", ""),
                         held.get("source", "")])
        story.table(rows, [0.3, 0.2, 0.25, 0.25], header=True)
    story.para(_("List snapshots used for screening"), story.sub)
    if not provenance:
        story.para(_("Not recorded (the checks ran before this version recorded them)."))
        return
    lists = provenance.get("lists") or []
    if not lists:
        story.para(_("No list snapshot was active when the checks ran."))
        return
    rows = [[_("List"), _("Publisher's date"), _("Snapshot"), _("Imported")]]
    for entry in lists:
        title = entry.get("title_ja" if language == "ja" else "title_en") or entry.get("source", "")
        sha = str(entry.get("sha256") or "")
        rows.append([title, str(entry.get("as_of") or ""),
                     f"{entry.get('snapshot_id') or ''} SHA-256 {sha[:16]}…" if sha else str(entry.get("snapshot_id")),
                     _iso_local(entry.get("retrieved_at"))])
    story.table(rows, [0.35, 0.15, 0.3, 0.2], header=True)


def _iso_local(value: Any) -> str:
    """An ISO timestamp as stored, shown to the minute (the stored string as it is when it does not parse)."""
    if not value:
        return "—"
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


def _decision_reason(case: Case) -> str:
    """The officer's reason as audited with the decision (the newest ``case.decided`` event), else the comment
    the decider wrote at the decision."""
    event = (AuditEvent.objects.filter(action="case.decided", object_type="cases.case", object_id=str(case.pk))
             .order_by("-id").values_list("reason", flat=True).first())
    if event:
        return str(event)
    if case.decided_by_id and case.decided_at:
        comment = (case.comments.filter(author_id=case.decided_by_id, created__gte=case.decided_at)
                   .order_by("created").values_list("text", flat=True).first())
        return str(comment or "")
    return ""


def _decision(story: _Story, case: Case) -> None:
    story.heading(_("Decision"))
    if not case.is_decided:
        story.para(_("Not decided yet."))
        return
    story.table([
        [_("Decision"), str(case.get_status_display())],
        [_("Decided by"), _person(case.decided_by)],
        [_("Decided"), _date(case.decided_at)],
        [_("Reason"), _decision_reason(case) or "—"],
        [_("Conditions"), case.conditions or "—"],
    ], [0.25, 0.75])


def _approvals(story: _Story, case: Case) -> None:
    story.heading(_("Approvals (決裁欄)"))
    approvals = list(case.approvals.select_related("user").order_by("order", "signed_at", "pk"))
    if not approvals:
        story.para(_("No approval step was signed."))
        return
    rows = [[_("Step"), _("Signed by"), _("Outcome"), _("Date"), _("Comment")]]
    rows += [[f"{a.order}. {a.step_label}", _person(a.user), _approval_outcome(a), _date(a.signed_at),
              a.comment or ""] for a in approvals]
    story.table(rows, [0.22, 0.2, 0.14, 0.16, 0.28], header=True)


def _approval_outcome(approval: CaseApproval) -> str:
    """The box's outcome, and at the last step the decision it recorded (承認 — 条件付き承認)."""
    outcome = str(approval.get_outcome_display())
    return f"{outcome} — {approval.get_decision_display()}" if approval.decision else outcome


def _licences(story: _Story, case: Case, language: str) -> None:
    story.heading(_("Licences"))
    for line in licence_lines(case, language):
        story.para(line)


__all__ = ["memo_pdf"]
