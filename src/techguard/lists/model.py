"""The normalised party model every list format is parsed into.

A :class:`Party` is one entry as its publisher lists it: one OFAC ``ent_num``, one CSL ``_id``, one UN
reference number. Nothing is merged across lists here; grouping the same real-world party across lists
is the screening engine's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameType(StrEnum):
    """How the publisher labels a name. ``PRIMARY`` is the listed name itself."""

    PRIMARY = "primary"
    AKA = "aka"  # also known as (OFAC "a.k.a.", CSL alt_names, UN ALIAS "Good")
    WEAK_AKA = "weak_aka"  # OFAC "weak a.k.a." / UN ALIAS "Low" quality
    FKA = "fka"  # formerly known as
    NKA = "nka"  # now known as
    ORIGINAL_SCRIPT = "original_script"  # e.g. UN NAME_ORIGINAL_SCRIPT (Arabic, Cyrillic)
    JAPANESE = "japanese"  # the publisher's Japanese rendering (METI)
    CHINESE = "chinese"  # the publisher's Chinese rendering (MOFCOM)
    ENGLISH = "english"  # an English rendering given beside a non-Latin primary name
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Name:
    value: str
    type: NameType = NameType.AKA
    lang: str | None = None  # ISO 639-1 when the publisher says or the field implies it ("ja", "zh", "en")


@dataclass(frozen=True, slots=True)
class Address:
    full: str = ""  # the address as one line, as published
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when it could be resolved
    country_name: str | None = None  # the country as published


@dataclass(frozen=True, slots=True)
class Identifier:
    type: str  # as published: "Passport", "Unified Social Credit Code (USCC)", "IMO", ...
    value: str
    country: str | None = None  # ISO alpha-2 of the issuing country when known
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """One listed party, as its publisher lists it."""

    source: str  # the snapshot's source code, e.g. "us_ofac_sdn", "us_csl", "un_sc", "jp_meti_eul"
    source_id: str  # the publisher's own stable id (OFAC ent_num, CSL _id, UN reference number, ...)
    list: str  # the list the entry belongs to, e.g. "us_sdn", "us_entity_list", "un_sc", "jp_eul"
    kind: PartyKind
    name: str  # the primary name as published
    names: tuple[Name, ...] = ()  # every other name (not repeating the primary)
    countries: tuple[str, ...] = ()  # ISO alpha-2 countries tied to the party (addresses, nationality, ...)
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    birth_dates: tuple[str, ...] = ()  # ISO dates or partial dates ("1962", "1962-05") or ranges as published
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()  # ISO alpha-2
    citizenships: tuple[str, ...] = ()  # ISO alpha-2
    programs: tuple[str, ...] = ()  # sanctions programs / reasons as published (e.g. "SDGT", "B,C,M,N")
    title: str | None = None
    remarks: str | None = None
    licence_requirement: str | None = None  # Entity List: "For all items subject to the EAR ..."
    licence_policy: str | None = None  # Entity List: "Presumption of denial"
    federal_register: str | None = None  # FR citation(s) as published
    listed_on: str | None = None  # ISO date the entry was listed / took effect
    ends_on: str | None = None  # ISO date the listing expires (DPL orders, ...)
    source_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def all_names(self) -> tuple[Name, ...]:
        """The primary name first, then every other name."""
        return (Name(self.name, NameType.PRIMARY), *self.names)

    @property
    def key(self) -> str:
        """Unique within all snapshots: ``source:source_id``."""
        return f"{self.source}:{self.source_id}"
