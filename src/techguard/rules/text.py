"""Explain an :class:`Assessment` in plain Japanese or English for a researcher (``--format text``)."""

from __future__ import annotations

from techguard.i18n import N_, translations
from techguard.rules.result import Assessment, JurisdictionResult, outcomes_text

# English msgids, translated at render time (techguard.i18n; catalogues in src/techguard/locale)
_OUTCOME_TEXT: dict[str, str] = {
    "not_applicable": N_("Not applicable: this jurisdiction's rules do not reach the activity."),
    "not_subject": N_("Not subject to the EAR: no US licence is needed."),
    "not_an_export": N_("Not an export under the EAR: no US licence is needed."),
    "not_a_deemed_reexport": N_(
        "Not a deemed reexport (15 CFR 734.20): no US licence is needed for this release."
    ),
    "no_licence_required": N_("No licence required (NLR) on the facts given."),
    "licence_required": N_("Licence required."),
    "approval_required": N_(
        "Approval required: a Japanese country measure (外為法48条3項 / 輸出令2条1項), refused in principle."
    ),
    "licence_required_unless_exception": N_(
        "Licence required unless a licence exception applies (review those listed)."
    ),
    "incomplete": N_("Cannot decide yet: answer the questions below."),
    "exempt_public": N_("Exempt: publicly available technology (公知)."),
    "exempt_basic_science": N_("Exempt: basic scientific research (基礎科学)."),
    "not_a_controlled_provision": N_("Not a controlled provision of technology."),
}

_HEADINGS = {
    "us": N_("United States — EAR"),
    "jp": N_("Japan — FEFTA (外為法)"),
    "steps": N_("Why"),
    "q": N_("Questions"),
    "le": N_("Licence exceptions to review"),
    "asof": N_("Rules as of"),
    "tables": N_("Tables"),
    "overall": N_("Overall (the stricter of the two)"),
    "versions": N_("Rule versions applied"),
    "beside": N_("Beside the answer"),
    "warnings": N_("Facts to check"),
}


def _section(title: str, result: JurisdictionResult, lang: str) -> list[str]:
    _ = translations(lang).gettext
    outcome = _OUTCOME_TEXT.get(result.outcome)
    lines = [f"■ {title}", f"  {_(outcome) if outcome else result.outcome}  [{result.outcome}]"]
    if result.steps:
        lines.append(f"  {_(_HEADINGS['steps'])}:")
        for i, step in enumerate(result.steps, 1):
            lines.append(f"   {i}. {step.localized(lang)} ({step.citation})")
    if result.licence_exceptions_to_review:
        lines.append(f"  {_(_HEADINGS['le'])}:")
        for exc in result.licence_exceptions_to_review:
            lines.append(f"   - {exc.code} ({exc.citation}): {exc.localized(lang)}")
    if result.missing_facts:
        lines.append(f"  {_(_HEADINGS['q'])}:")
        for fact in result.missing_facts:
            question = fact.question_ja if lang == "ja" else fact.question_en
            lines.append(f"   ? {question}  [{fact.field}; {fact.why}]")
            if fact.outcomes:
                lines.append(f"     → {outcomes_text(fact.outcomes)}")
    return lines


def render_text(assessment: Assessment, *, lang: str = "en") -> str:
    """A plain-text explanation in ``lang`` (any language with a catalogue; ``UnknownLanguage`` otherwise)."""
    _ = translations(lang).gettext
    h = {key: _(message) for key, message in _HEADINGS.items()}
    overall = assessment.overall
    lines = [
        f"■ {h['overall']}: {overall.localized(lang)}  [{overall.outcome}]",
        "",
        *_section(h["us"], assessment.us_ear, lang),
        "",
        *_section(h["jp"], assessment.jp_fefta, lang),
    ]
    for title, items in ((h["beside"], assessment.beside), (h["warnings"], assessment.warnings)):
        if items:
            lines.append("")
            lines.append(f"■ {title}")
            for step in items:
                lines.append(f"  - {step.localized(lang)} ({step.citation})")
    lines.append("")
    lines.append(f"{h['asof']}: {assessment.as_of}")
    if assessment.rules_applied:
        lines.append(
            f"{h['versions']}: "
            + ", ".join(
                f"{name} {v['valid_from']}–{v['valid_to'] or ''}"
                for name, v in sorted(assessment.rules_applied.items())
            )
        )
    if assessment.tables_as_of:
        lines.append(
            f"{h['tables']}: " + ", ".join(f"{k} {v}" for k, v in sorted(assessment.tables_as_of.items()))
        )
    return "\n".join(lines) + "\n"


__all__ = ["render_text"]
