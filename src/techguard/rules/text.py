"""Explain an :class:`Assessment` in plain Japanese or English for a researcher (``--format text``)."""

from __future__ import annotations

from techguard.rules.result import Assessment, JurisdictionResult, outcomes_text

_OUTCOME_TEXT: dict[str, tuple[str, str]] = {
    "not_applicable": (
        "Not applicable: this jurisdiction's rules do not reach the activity.",
        "対象外：この法令は本件に及びません。",
    ),
    "not_subject": ("Not subject to the EAR: no US licence is needed.", "EAR非対象：米国の許可は不要です。"),
    "not_an_export": (
        "Not an export under the EAR: no US licence is needed.",
        "EAR上の輸出に当たらず、米国の許可は不要です。",
    ),
    "not_a_deemed_reexport": (
        "Not a deemed reexport (15 CFR 734.20): no US licence is needed for this release.",
        "みなし再輸出に当たりません（15 CFR 734.20）。この提供に米国の許可は不要です。",
    ),
    "no_licence_required": (
        "No licence required (NLR) on the facts given.",
        "示された事実では許可不要（NLR）です。",
    ),
    "licence_required": ("Licence required.", "許可が必要です。"),
    "approval_required": (
        "Approval required: a Japanese country measure (外為法48条3項 / 輸出令2条1項), refused in principle.",
        "承認が必要です（外為法48条3項・輸出令2条1項に基づく国別措置。原則として承認されません）。",
    ),
    "licence_required_unless_exception": (
        "Licence required unless a licence exception applies (review those listed).",
        "許可が必要です（下記の許可例外が使える場合を除く。要確認）。",
    ),
    "incomplete": (
        "Cannot decide yet: answer the questions below.",
        "まだ判定できません：以下の質問に答えてください。",
    ),
    "exempt_public": ("Exempt: publicly available technology (公知).", "許可不要：公知の技術です。"),
    "exempt_basic_science": (
        "Exempt: basic scientific research (基礎科学).",
        "許可不要：基礎科学分野の研究活動です。",
    ),
    "not_a_controlled_provision": (
        "Not a controlled provision of technology.",
        "規制対象の技術提供に当たりません。",
    ),
}

_HEADINGS = {
    "en": {
        "us": "United States — EAR",
        "jp": "Japan — FEFTA (外為法)",
        "steps": "Why",
        "q": "Questions",
        "le": "Licence exceptions to review",
        "asof": "Rules as of",
        "tables": "Tables",
        "overall": "Overall (the stricter of the two)",
        "versions": "Rule versions applied",
        "beside": "Beside the answer",
        "warnings": "Facts to check",
    },
    "ja": {
        "us": "米国 — EAR（輸出管理規則）",
        "jp": "日本 — 外為法",
        "steps": "判断の根拠",
        "q": "確認事項",
        "le": "確認すべき許可例外",
        "asof": "適用基準日",
        "tables": "規則テーブル",
        "overall": "総合判定（日米の厳しい方）",
        "versions": "適用した規則の版",
        "beside": "判定とは別に確認すべき事項",
        "warnings": "確認が必要な事実",
    },
}


def _section(title: str, result: JurisdictionResult, lang: str) -> list[str]:
    h = _HEADINGS[lang]
    en, ja = _OUTCOME_TEXT.get(result.outcome, (result.outcome, result.outcome))
    lines = [f"■ {title}", f"  {ja if lang == 'ja' else en}  [{result.outcome}]"]
    if result.steps:
        lines.append(f"  {h['steps']}:")
        for i, step in enumerate(result.steps, 1):
            finding = step.finding_ja if lang == "ja" and step.finding_ja else step.finding
            lines.append(f"   {i}. {finding} ({step.citation})")
    if result.licence_exceptions_to_review:
        lines.append(f"  {h['le']}:")
        for exc in result.licence_exceptions_to_review:
            lines.append(f"   - {exc.code} ({exc.citation}): {exc.note}")
    if result.missing_facts:
        lines.append(f"  {h['q']}:")
        for fact in result.missing_facts:
            question = fact.question_ja if lang == "ja" else fact.question_en
            lines.append(f"   ? {question}  [{fact.field}; {fact.why}]")
            if fact.outcomes:
                lines.append(f"     → {outcomes_text(fact.outcomes)}")
    return lines


def render_text(assessment: Assessment, *, lang: str = "en") -> str:
    """A plain-text explanation; ``lang`` is ``"ja"`` or ``"en"``."""
    if lang not in _HEADINGS:
        raise ValueError(f"unsupported language {lang!r}; use 'ja' or 'en'")
    h = _HEADINGS[lang]
    overall = assessment.overall
    lines = [
        f"■ {h['overall']}: {overall.text_ja if lang == 'ja' else overall.text_en}  [{overall.outcome}]",
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
                text = step.finding_ja if lang == "ja" and step.finding_ja else step.finding
                lines.append(f"  - {text} ({step.citation})")
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
