"""``{{ code|role_label }}``: a role code shown as its name in the page's language."""

from __future__ import annotations

from django import template

from techguard.web.accounts import models

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    return models.role_label(str(code))
