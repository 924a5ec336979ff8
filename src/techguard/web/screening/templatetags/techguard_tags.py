"""Template helpers: readable facts and match explanations."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext

from techguard.i18n import available_languages

register = template.Library()


@register.filter
def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.filter
def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A nested facts mapping as (dotted path, value) rows, lists joined with commas."""
    rows: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key in value:
            rows.extend(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        rows.append((prefix, ", ".join(str(v) for v in value)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            rows.extend(flatten(item, f"{prefix}[{i}]"))
    else:
        # booleans in the page's language (the same "Yes"/"No" as the forms' choices)
        rows.append((prefix, gettext("Yes") if value is True else gettext("No") if value is False else value))
    return rows


def _lang() -> str:
    from django.utils.translation import get_language

    return "ja" if (get_language() or "en").startswith("ja") else "en"


def _language() -> str:
    """The page's language as is (for messages from the catalogues, which any added language may have)."""
    from django.utils.translation import get_language

    return (get_language() or "en").split("-")[0]


@register.filter
def list_title(listing: Any) -> str:
    """A stored listing's list title in the page's language (the code when the hit predates titles)."""
    if not isinstance(listing, dict):
        return str(listing)
    titles = listing.get("list_title") or {}
    return str(titles.get(_lang()) or listing.get("list", ""))


@register.filter
def explanation_text(match: Any) -> str:
    """A stored hit's readable explanation in the page's language."""
    if not isinstance(match, dict):
        return ""
    text = match.get("explanation_text") or {}
    return str(text.get(_lang()) or "")


@register.filter
def source_title(code: str) -> str:
    from techguard.lists.sources import SOURCES

    source = SOURCES.get(str(code))
    if source is None:
        return str(code)
    return source.title(_language()) if _language() in available_languages() else source.title_en


@register.filter
def verdict_label(verdict: str) -> str:
    from django.utils.translation import gettext

    from techguard.web.screening.models import Verdict

    if verdict == "allow_listed":
        return gettext("Allow-listed")
    try:
        return str(Verdict(verdict).label)
    except ValueError:
        return str(verdict)


@register.filter
def rescreen_tasks(case: Any) -> Any:
    """A case's review tasks opened by re-screening after list updates (its own checks' hits show inline)."""
    return case.review_tasks.exclude(trigger="case check").order_by("-created")


@register.filter
def list_code_title(code: str) -> str:
    """A list code (``us_entity_list``) as its title in the page's language."""
    from techguard.matching.hits import list_title as title_of

    return title_of(str(code), _lang())
