"""The licences of a case as readable lines for the determination memo (ja/en), e.g.
``日本（外為法） 役務取引許可 …: 許可済 第12345号 有効期間 2026-04-01 – 2027-03-31 条件: …``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from techguard.web.licences.services import licences_for_case

if TYPE_CHECKING:
    from techguard.web.cases.models import Case


def licence_lines(case: Case, language: str) -> list[str]:
    """One line per licence, in ``language`` ("ja" or "en"); a single "none recorded" line when there is none."""
    with translation.override(language):
        licences = list(licences_for_case(case))
        if not licences:
            return [_("No licence recorded.")]
        return [_line(licence) for licence in licences]


def _line(licence: Any) -> str:
    parts = [f"{licence.get_jurisdiction_display()} — {licence.get_kind_display()}:", str(licence.get_status_display())]
    if licence.is_exception:
        parts.append(f"{licence.exception_code} ({licence.exception_citation})")
    elif licence.number:
        parts.append(_("No. %(number)s") % {"number": licence.number})
    if licence.valid_from or licence.valid_until:
        start = licence.valid_from.isoformat() if licence.valid_from else ""
        end = licence.valid_until.isoformat() if licence.valid_until else ""
        parts.append(_("valid %(start)s – %(end)s") % {"start": start, "end": end})
    if licence.conditions:
        parts.append(_("conditions: %(conditions)s") % {"conditions": " ".join(licence.conditions.split())})
    return " ".join(parts)


__all__ = ["licence_lines"]
