"""Template helpers: readable facts and match explanations."""

from __future__ import annotations

import json
from typing import Any

from django import template

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
        rows.append((prefix, "yes" if value is True else "no" if value is False else value))
    return rows
