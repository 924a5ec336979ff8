"""The activity model: the facts of one export, release or provision, as a researcher or officer gives them.

Every fact is optional except ``activity``; ``None`` means "not known yet". The engine derives what the law
derives (Japanese residency, the deemed destination) and asks for a fact only when an answer turns on it.
Load with :func:`activity_from_mapping` (YAML/JSON) which rejects unknown fields and bad values with the
field's dotted path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ActivityKind(StrEnum):
    EXPORT = "export"
    REEXPORT = "reexport"
    RELEASE = "release"  # showing, telling, giving access to technology/source code (deemed (re-)export)
    TRANSFER_IN_COUNTRY = "transfer_in_country"
    PUBLICATION = "publication"
    TEACHING = "teaching"
    STORAGE = "storage"
    CARRY_ABROAD = "carry_abroad"


class ItemType(StrEnum):
    COMMODITY = "commodity"
    SOFTWARE = "software"
    TECHNOLOGY = "technology"


class SoftwareForm(StrEnum):
    """Source code is released (deemed export) like technology; object code is not (15 CFR 734.13(a)(2))."""

    SOURCE_CODE = "source_code"
    OBJECT_CODE = "object_code"


class PublicationPlan(StrEnum):
    SUBMITTED = "submitted"
    INTENDED = "intended"
    NONE = "none"


class FundamentalResearchRole(StrEnum):
    RESULT = "result"
    INPUT = "input"


class RecipientKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class UsPersonStatus(StrEnum):
    CITIZEN = "citizen"
    PERMANENT_RESIDENT = "permanent_resident"
    PROTECTED_INDIVIDUAL = "protected_individual"
    TEMPORARY_VISA = "temporary_visa"
    NONE = "none"
    UNKNOWN = "unknown"


class EndUse(StrEnum):
    NUCLEAR = "nuclear"
    MISSILE = "missile"
    CHEMICAL_BIOLOGICAL = "chemical_biological"
    MILITARY = "military"
    MILITARY_INTELLIGENCE = "military_intelligence"
    ADVANCED_COMPUTING = "advanced_computing"
    SEMICONDUCTOR_MANUFACTURING = "semiconductor_manufacturing"
    CIVIL = "civil"
    UNKNOWN = "unknown"


class ScreeningParty(StrEnum):
    RECIPIENT = "recipient"
    END_USER = "end_user"
    INTERMEDIATE = "intermediate"


@dataclass(frozen=True, slots=True)
class EccnControl:
    """Reasons for control etc. for an ECCN the tables do not hold (or to override them)."""

    reasons: tuple[str, ...] = ()  # e.g. ("NS2", "AT1")
    lvs_value_usd: float | None = None
    gbs: bool | None = None


@dataclass(frozen=True, slots=True)
class ForeignDirectProduct:
    us_technology_or_software_eccn: str | None = None
    made_by_plant_or_equipment_that_is_direct_product: bool | None = None


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class Item:
    type: ItemType | None = None
    description: str | None = None
    eccn: str | None = None  # "3E001", "EAR99", None = not classified yet
    eccn_control: EccnControl | None = None
    jp_list_item: str | None = None  # 輸出令別表第一 / 外為令別表 項番, e.g. "2(1)", "16"
    jp_list_controlled: bool | None = None  # controlled under items 1-15 though the 項番 is not known
    hs_code: str | None = None
    origin_country: str | None = None
    us_content_percent: float | None = None  # controlled US content counted for de minimis
    us_content_total_percent: float | None = None
    us_content_eccns: tuple[str, ...] = ()
    foreign_direct_product: ForeignDirectProduct | None = None
    value: Money | None = None
    published: bool | None = None
    publication_planned: PublicationPlan | None = None
    event_open_to_public: bool | None = None
    in_patent_or_open_application: bool | None = None
    fundamental_research: bool | None = None
    fundamental_research_role: FundamentalResearchRole | None = None
    kept_restricted: bool | None = None
    basic_science: bool | None = None
    catalog_course: bool | None = None
    # For software: source code or object code (a release of object code is not a deemed export, 734.13(a)(2)).
    software_form: SoftwareForm | None = None
    # Carried or sent abroad only for the provider's own use there: no one else is shown or given access to it
    # (METI 大学Q&A 令和3年2月 A1: taking technology abroad without providing it is not a 25条1項 provision).
    own_use_only: bool | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    jp_resident: bool | None = None
    name: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class JpResidencyFacts:
    entered_japan: dt.date | None = None
    employed_at_office_in_japan: bool | None = None
    foreign_government_official: bool | None = None  # diplomats, consular staff (never residents)


@dataclass(frozen=True, slots=True)
class ForeignInfluence:
    """Japan's 特定類型 (みなし輸出, 2022-05): facts that make a resident act under foreign influence."""

    employment_or_contract_with_foreign_government_or_entity: bool | None = None
    japanese_employer_instructions_prevail: bool | None = None
    foreign_party_is_group_company: bool | None = None
    foreign_government_income_share: float | None = None  # share of income in the last year (0..1)
    foreign_company_income_share: float | None = None
    acting_under_foreign_government_instruction: bool | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    kind: RecipientKind | None = None
    name: str | None = None
    citizenships: tuple[str, ...] = ()  # ISO alpha-2, most recent first
    permanent_residence: tuple[str, ...] = ()
    us_person_status: UsPersonStatus | None = None
    location_country: str | None = None
    jp_residency: JpResidencyFacts | None = None
    jp_resident: bool | None = None  # when known directly
    employer: str | None = None
    permanent_regular_employee_of_releasing_entity: bool | None = None
    releasing_entity_screening_done: bool | None = None  # 15 CFR 734.20(c)
    releasing_entity_authorised_to_receive: bool | None = None  # 15 CFR 734.20
    foreign_influence: ForeignInfluence | None = None
    # 15 CFR 744.11(a)(1) Affiliates rule: owned 50 % or more (directly/indirectly, alone or together) by
    # Entity List (or MEU) entities; same effect as a screening hit on list "us_entity_list_affiliate".
    owned_50_percent_or_more_by_listed_entities: bool | None = None


@dataclass(frozen=True, slots=True)
class EndUser:
    name: str | None = None
    country: str | None = None
    # 15 CFR 744.11(a)(1) Affiliates rule (see Recipient.owned_50_percent_or_more_by_listed_entities).
    owned_50_percent_or_more_by_listed_entities: bool | None = None


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A restricted-party hit on one party of the activity (from screening, or given by hand)."""

    party: ScreeningParty
    list: str  # us_entity_list | us_meu | us_uvl | us_dpl | us_sdn | jp_eul | ...
    name: str | None = None
    licence_requirement: str | None = None
    licence_policy: str | None = None
    fdp_footnote: int | None = None  # Entity List footnote 1-5 (foreign direct product rules)
    score: float | None = None
    status: str = "possible"  # confirmed | possible | ruled_out (the officer's review decision)


@dataclass(frozen=True, slots=True)
class Activity:
    activity: ActivityKind
    as_of: dt.date | None = None  # the rules in force on this date (default: today)
    item: Item = field(default_factory=Item)
    from_country: str | None = None
    to_country: str | None = None
    use_abroad_country: str | None = None
    provider: Provider = field(default_factory=Provider)
    recipient: Recipient | None = None
    end_user: EndUser | None = None
    end_use: tuple[EndUse, ...] = ()
    jp_inform_received: bool | None = None
    encrypted_end_to_end: bool | None = None
    screening: tuple[ScreeningHit, ...] = ()


class ActivityError(ValueError):
    """An activity document has an unknown field or a value of the wrong kind; names the dotted field path."""

    def __init__(self, path: str, message: str, source: str | None = None) -> None:
        self.path = path
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}field {path!r}: {message}")


def activity_from_mapping(data: Mapping[str, Any], *, source: str | None = None) -> Activity:
    """Build an :class:`Activity` from parsed YAML/JSON, rejecting unknown fields and bad values."""
    if not isinstance(data, Mapping):
        raise ActivityError("(root)", "the activity must be a mapping of fields", source)
    if "activity" not in data or data["activity"] is None:
        raise ActivityError(
            "activity", f"is required; one of {', '.join(k.value for k in ActivityKind)}", source
        )
    result = _build(Activity, data, "", source)
    assert isinstance(result, Activity)
    return result


def activity_to_mapping(activity: Activity) -> dict[str, Any]:
    """The inverse of :func:`activity_from_mapping`: plain JSON-ready values, ``None`` fields left out."""
    return typing.cast(dict[str, Any], _dump(activity))


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = _dump(getattr(value, f.name))
            if v is None or v == () or v == []:
                continue
            out[f.name] = v
        return out
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


def _build(cls: type, data: Any, prefix: str, source: str | None) -> Any:
    if not isinstance(data, Mapping):
        raise ActivityError(prefix or "(root)", f"expected a mapping, got {type(data).__name__}", source)
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if key not in names:
            raise ActivityError(path, f"unknown field; known fields here: {', '.join(sorted(names))}", source)
        kwargs[key] = _convert(hints[key], raw, path, source)
    return cls(**kwargs)


def _convert(tp: Any, raw: Any, path: str, source: str | None) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if raw is None:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, raw, path, source)
    if origin is tuple:
        if raw is None:
            return ()
        if not isinstance(raw, list | tuple):
            raw = [raw]
        return tuple(_convert(args[0], v, f"{path}[{i}]", source) for i, v in enumerate(raw))
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        try:
            return tp(str(raw).strip())
        except ValueError:
            allowed = ", ".join(m.value for m in tp)
            raise ActivityError(path, f"{raw!r} is not one of: {allowed}", source) from None
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _build(tp, raw, path, source)
    if tp is bool:
        if isinstance(raw, bool):
            return raw
        raise ActivityError(path, f"expected true or false, got {raw!r}", source)
    if tp is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        raise ActivityError(path, f"expected a number, got {raw!r}", source)
    if tp is dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ActivityError(path, f"expected a date YYYY-MM-DD, got {raw!r}", source) from None
    if tp is str:
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            # YAML reads 16 or 3E001-like values as numbers; keep what the user wrote as text
            return str(raw).strip()
        raise ActivityError(path, f"expected text, got {raw!r}", source)
    if tp is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ActivityError(path, f"expected a whole number, got {raw!r}", source)
    raise TypeError(f"unsupported field type {tp!r} at {path}")


__all__ = [
    "Activity",
    "ActivityError",
    "ActivityKind",
    "EccnControl",
    "EndUse",
    "EndUser",
    "ForeignDirectProduct",
    "ForeignInfluence",
    "FundamentalResearchRole",
    "Item",
    "ItemType",
    "JpResidencyFacts",
    "Money",
    "Provider",
    "PublicationPlan",
    "Recipient",
    "RecipientKind",
    "ScreeningHit",
    "ScreeningParty",
    "SoftwareForm",
    "UsPersonStatus",
    "activity_from_mapping",
    "activity_to_mapping",
]
