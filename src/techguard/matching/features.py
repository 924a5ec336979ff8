"""Non-name evidence: kind, country, birth date, identifiers. Each only *adjusts* a name match.

Country and nationality corroborate or weaken a name match; they never create one (a party is never
flagged for its nationality): the adjustments are small, and :mod:`screener` requires the name score
itself to be near the threshold before anything alerts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from techguard.lists.model import Party, PartyKind
from techguard.text.countries import to_iso2

KIND_MISMATCH = -0.10
COUNTRY_AGREES = 0.03
COUNTRY_DIFFERS = -0.03
DOB_AGREES = 0.05
DOB_DIFFERS = -0.10
IDENTIFIER_AGREES = 0.15

_KIND_ALIASES: dict[str, PartyKind | None] = {
    "person": PartyKind.PERSON, "individual": PartyKind.PERSON, "people": PartyKind.PERSON,
    "organisation": PartyKind.ORGANISATION, "organization": PartyKind.ORGANISATION,
    "entity": PartyKind.ORGANISATION, "company": PartyKind.ORGANISATION, "org": PartyKind.ORGANISATION,
    "vessel": PartyKind.VESSEL, "aircraft": PartyKind.AIRCRAFT,
    "個人": PartyKind.PERSON, "人": PartyKind.PERSON, "団体": PartyKind.ORGANISATION,
    "法人": PartyKind.ORGANISATION, "企業": PartyKind.ORGANISATION, "組織": PartyKind.ORGANISATION,
    "船舶": PartyKind.VESSEL, "航空機": PartyKind.AIRCRAFT, "unknown": None,
}  # fmt: skip
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def parse_kind(value: str | None) -> PartyKind | None:
    """``"Individual"`` → PERSON, ``"entity"`` → ORGANISATION; ``None``/empty → ``None``; else ValueError."""
    if value is None or not value.strip():
        return None
    key = value.strip().lower()
    if key not in _KIND_ALIASES:
        raise ValueError(f"unknown kind {value!r}; use person, organisation, vessel or aircraft")
    return _KIND_ALIASES[key]


@dataclass(frozen=True, slots=True)
class FeatureResult:
    adjustment: float
    identifier_match: bool
    details: dict[str, Any]


def compare_features(
    party: Party, *, kind: PartyKind | None, country: str | None, dob: str | None, identifier: str | None
) -> FeatureResult:
    details: dict[str, Any] = {}
    total = 0.0
    if kind is not None and party.kind is not PartyKind.UNKNOWN:
        agree = kind is party.kind
        details["kind"] = {"query": str(kind), "listed": str(party.kind), "agree": agree}
        if not agree:
            total += KIND_MISMATCH
    if country:
        listed_countries = sorted(set(party.countries) | set(party.nationalities) | set(party.citizenships))
        # the query's country as typed ("China", "中国", "cn"); one that names no single country corroborates
        # nothing (agree None) rather than counting as a different country
        code = to_iso2(country)
        agree_c: bool | None = code in listed_countries if listed_countries and code else None
        details["country"] = {"query": code or country.strip(), "listed": listed_countries, "agree": agree_c}
        if code is None:
            details["country"]["unresolved"] = True
        if agree_c is True:
            total += COUNTRY_AGREES
        elif agree_c is False:
            total += COUNTRY_DIFFERS
    if dob:
        query_year = _YEAR.search(dob)
        listed_years = sorted({int(m.group(1)) for d in party.birth_dates for m in _YEAR.finditer(d)})
        if query_year and listed_years:
            year = int(query_year.group(1))
            exact = any(year == y for y in listed_years)
            near = any(abs(year - y) <= 1 for y in listed_years)
            details["birth_date"] = {"query": dob, "listed": list(party.birth_dates), "agree": exact or near}
            if exact:
                total += DOB_AGREES
            elif not near:
                total += DOB_DIFFERS
    identifier_match = False
    if identifier:
        wanted = _NON_ALNUM.sub("", identifier).upper()
        hits = [
            i.value for i in party.identifiers if wanted and _NON_ALNUM.sub("", i.value).upper() == wanted
        ]
        details["identifier"] = {"query": identifier, "matched": hits, "agree": bool(hits)}
        if hits:
            identifier_match = True
            total += IDENTIFIER_AGREES
    return FeatureResult(total, identifier_match, details)


__all__ = ["FeatureResult", "compare_features", "parse_kind"]
