"""EAR country names (as the Country Chart and Country Group tables spell them) <-> ISO 3166 alpha-2 codes.

The eCFR tables key rows by the EAR's own English names ("Korea, South", "Burma", "China (PRC)"); the
activity model uses ISO codes. Babel's English territory names resolve most names; the EAR spellings that
differ are listed here explicitly so a new, unknown spelling fails loudly instead of being dropped.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

# EAR spellings Babel does not produce (including typos present in the eCFR text itself).
_EAR_NAME_OVERRIDES: dict[str, str] = {
    "antigua and barbuda": "AG",
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "bosnia and herzegovina": "BA",
    "burma": "MM",
    "china (prc)": "CN",
    "congo (democratic republic of the)": "CD",
    "congo (democratic republic of)": "CD",
    "congo (republic of the)": "CG",
    "cote d'ivoire": "CI",
    "cote d'lvoire": "CI",  # sic, a typo in the eCFR table
    "czech republic": "CZ",
    "gambia, the": "GM",
    "korea, north": "KP",
    "korea, south": "KR",
    "macau": "MO",
    "micronesia (federated state of)": "FM",
    "micronesia, federated states of": "FM",
    "saint kitts & nevis": "KN",
    "st. kitts and nevis": "KN",
    "saint lucia": "LC",
    "saint vincent and the grenadines": "VC",
    "st. vincent and the grenadines": "VC",
    "sao tome & principe": "ST",
    "sao tome and principe": "ST",
    "seycheles": "SC",  # sic
    "sint maarten (the dutch two-fifths of the island of saint martin)": "SX",
    "south sudan, republic of": "SS",
    "trinidad and tobago": "TT",
    "turkey": "TR",
    "türkiye": "TR",
    "vatican city": "VA",
    "hong kong": "HK",
    "cayman islands": "KY",
    "liechtenstein": "LI",
}


class UnknownCountryName(ValueError):
    """An EAR table names a country this module cannot map to an ISO code."""


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower().replace("\u2019", "'"))


@cache
def _babel_index() -> dict[str, str]:
    territories = Locale("en").territories
    return {_normalise(v): k for k, v in territories.items() if len(k) == 2 and k.isalpha()}


def iso_for_ear_name(name: str) -> str:
    """The ISO alpha-2 code for an EAR table's country name; raises :class:`UnknownCountryName`."""
    key = _normalise(name)
    if key in _EAR_NAME_OVERRIDES:
        return _EAR_NAME_OVERRIDES[key]
    found = _babel_index().get(key)
    if found is None:
        raise UnknownCountryName(f"no ISO code known for the EAR country name {name!r}")
    return found


@cache
def english_name(iso: str) -> str:
    return str(Locale("en").territories.get(iso.upper(), iso.upper()))


@cache
def japanese_name(iso: str) -> str:
    return str(Locale("ja").territories.get(iso.upper(), iso.upper()))


__all__ = ["UnknownCountryName", "english_name", "iso_for_ear_name", "japanese_name"]
