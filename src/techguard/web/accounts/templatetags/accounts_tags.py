"""``{{ code|role_label }}``: a role code shown as its name in the page's language."""

from __future__ import annotations

from django import template

from techguard.web.accounts import roles

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    return roles.role_label(str(code))
