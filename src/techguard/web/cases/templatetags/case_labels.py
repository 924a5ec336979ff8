"""Template filters over :mod:`techguard.web.cases.labels`: ``{% load case_labels %}`` then
``{{ result.outcome|outcome_label }}``, ``{% for path, label, value in case.facts|fact_rows %}``."""

from __future__ import annotations

from typing import Any

from django import template

from techguard.web.cases import labels

register = template.Library()


@register.filter
def outcome_label(code: Any) -> str:
    return labels.outcome_label(code)


@register.filter
def fact_label(path: str) -> str:
    return labels.fact_label(path)


@register.filter
def fact_rows(facts: Any) -> list[tuple[str, str, str]]:
    return labels.fact_rows(facts)


@register.filter
def party_role_label(role: Any) -> str:
    return labels.party_role_label(role)


@register.filter
def event_label(action: str) -> str:
    from techguard.web.audit.events import event_label as label

    return label(action)


@register.filter
def actor_role_label(role: str) -> str:
    from techguard.web.audit.events import role_label

    return role_label(role)


@register.filter
def in_language(item: dict[str, Any], language: str) -> str:
    """``{{ step|in_language:LANGUAGE_CODE }}``: a finding, overall answer or question in the page's language."""
    return labels.localized_text(item, language)
