"""The rules a licence record must meet — one set, read by the model's ``clean()`` and so by the web form, the
API and the admin alike (same messages, in the request's language).

- the kind belongs to the jurisdiction (a JP licence is not a BIS licence);
- a licence exception names its code (TSU, ENC, TMP, BAG …), one of the 15 CFR Part 740 exceptions in the rule
  table in force; other kinds carry no code;
- a granted licence (not an exception, which BIS does not grant) has its number and the date it is valid until;
- the validity does not end before it starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from techguard.rules.us.tables import active_tables

if TYPE_CHECKING:
    from techguard.web.licences.models import Licence


def exception_codes() -> dict[str, str]:
    """Licence exception code -> its citation (e.g. ``"TSU": "15 CFR 740.13"``), from the active rule table."""
    table = active_tables().exceptions["exceptions"]
    return {code: str(entry.get("citation", "15 CFR Part 740")) for code, entry in sorted(table.items())}


def exception_choices() -> list[tuple[str, str]]:
    table = active_tables().exceptions["exceptions"]
    return [(code, f"{code} — {entry.get('citation', '')} {entry.get('title', '')}".strip())
            for code, entry in sorted(table.items())]


def normalise(licence: Licence) -> None:
    """Codes in capitals; an exception's citation copied from the table (kept as recorded afterwards)."""
    licence.exception_code = (licence.exception_code or "").strip().upper()
    licence.number = (licence.number or "").strip()
    citation = exception_codes().get(licence.exception_code)
    if licence.is_exception and citation:
        licence.exception_citation = citation
    elif not licence.is_exception:
        licence.exception_citation = ""


def problems(licence: Licence) -> dict[str, list[str]]:
    """Field name -> messages; empty when the licence may be saved."""
    from techguard.web.licences.models import KINDS_OF, LicenceStatus

    found: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    kinds = KINDS_OF.get(licence.jurisdiction)
    if kinds is not None and licence.kind and licence.kind not in kinds:
        add("kind", _("This kind of licence does not belong to the chosen jurisdiction."))
    if licence.is_exception:
        if not licence.exception_code:
            add("exception_code", _("A licence exception needs its code (e.g. TSU, ENC, TMP, BAG)."))
        elif licence.exception_code not in exception_codes():
            add("exception_code", _("Unknown licence exception code “%(code)s” (15 CFR Part 740).")
                % {"code": licence.exception_code})
    elif licence.exception_code:
        add("exception_code", _("Only a licence exception has an exception code."))
    if licence.status == LicenceStatus.GRANTED and not licence.is_exception:
        if not licence.number:
            add("number", _("A granted licence needs its licence number."))
        if licence.valid_until is None:
            add("valid_until", _("A granted licence needs the date it is valid until."))
    if licence.valid_from and licence.valid_until and licence.valid_until < licence.valid_from:
        add("valid_until", _("“Valid until” cannot be before “valid from”."))
    return found


__all__ = ["exception_choices", "exception_codes", "normalise", "problems"]
