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

from techguard.text.countries import resolve_country as text_resolve_country


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


class HitStatus(StrEnum):
    """How far a screening hit is established: only a confirmed hit is a fact the rules act on; a possible hit
    (a fuzzy alert still under review) is an open fact, asked like any other; a ruled-out hit is ignored."""

    CONFIRMED = "confirmed"
    POSSIBLE = "possible"
    RULED_OUT = "ruled_out"


class Audience(StrEnum):
    """Who a posting, upload or presentation is for: anyone (the public), or specific recipients only."""

    ANYONE = "anyone"
    SPECIFIC_RECIPIENTS = "specific_recipients"


class LastStatusObtained(StrEnum):
    """Which of citizenship or permanent residence the recipient obtained last (15 CFR 734.13(b): the deemed
    destination is the most recent country of citizenship or permanent residency)."""

    CITIZENSHIP = "citizenship"
    PERMANENT_RESIDENCE = "permanent_residence"


class JpProvisionExemption(StrEnum):
    """貿易外省令9条2項 exemptions beyond 公知 (9号) and 基礎科学 (10号)."""

    PATENT_APPLICATION = "patent_application"  # 工業所有権の出願・登録のための提供
    COMMERCIAL_PROGRAM = "commercial_program"  # 市販プログラム（店頭販売等で誰でも入手可能）
    # 貨物の使用に必要な最小限の技術（輸出許可を受けた貨物等）
    MINIMUM_USE_TECHNOLOGY = "minimum_use_technology"
    NONE = "none"


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
    # Goods of 輸出令別表第二の三 (Russia/Belarus measures; 特定団体 in third countries): listed goods always are.
    jp_appendix_2_3: bool | None = None
    hs_code: str | None = None
    # The item's HTS-6 code is listed in Supp. No. 2, 4, 5 or 6 to Part 746 (EAR99 items to Russia/Belarus).
    hs_listed_part_746: bool | None = None
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
    # Who a posting/presentation is for: a one-hour upload for one recipient is not publication (公知/§734.7).
    audience: Audience | None = None
    # 貿易外省令9条2項 other exemptions (patent application, 市販プログラム, minimum technology to use goods).
    jp_exemption: JpProvisionExemption | None = None
    # US licence exception TSU (15 CFR 740.13): operation technology / software updates / sales technology.
    tsu_eligible: bool | None = None
    # Carried abroad by a traveller (laptop, samples): stays under the traveller's effective control abroad and
    # comes back within a year — the conditions of TMP "tools of trade" (15 CFR 740.9(a)(1)) and of the
    # 携帯品・職業用具 of a person leaving Japan temporarily (輸出令4条1項, 別表第六). Reviewed, never granted.
    kept_under_travellers_control: bool | None = None
    returned_within_one_year: bool | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    jp_resident: bool | None = None
    name: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class JpResidencyFacts:
    entered_japan: dt.date | None = None
    # The day the stay ends (leaves Japan), where known: time in Japan stops counting then, so a stay shorter than
    # six months never makes a resident even when the check runs after it ended.
    leaves_japan: dt.date | None = None
    employed_at_office_in_japan: bool | None = None
    foreign_government_official: bool | None = None  # diplomats, consular staff (never residents)
    # A Japanese national who has their home abroad (works at an office abroad or has stayed abroad 2 years or
    # more): a non-resident (外国為替法令の解釈及び運用について).
    lives_abroad: bool | None = None


@dataclass(frozen=True, slots=True)
class ForeignInfluence:
    """Japan's 特定類型 (みなし輸出, 2022-05): facts that make a resident act under foreign influence."""

    employment_or_contract_with_foreign_government_or_entity: bool | None = None
    japanese_employer_instructions_prevail: bool | None = None
    foreign_party_is_group_company: bool | None = None
    foreign_government_income_share: float | None = None  # share of income in the last year (0..1)
    # 類型② as the METI pledge (誓約書) asks it: receives significant money or other benefit from a foreign
    # government (25 % or more of income) — used when the share itself is not given.
    significant_foreign_government_benefit: bool | None = None
    foreign_company_income_share: float | None = None
    acting_under_foreign_government_instruction: bool | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    kind: RecipientKind | None = None
    name: str | None = None
    citizenships: tuple[str, ...] = ()  # ISO alpha-2, most recent first
    permanent_residence: tuple[str, ...] = ()
    # Which status was obtained last; None = not stated (then both countries are tested, stricter governs).
    last_status_obtained: LastStatusObtained | None = None
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
    # Given by hand: confirmed. From fuzzy screening: possible until an officer confirms or rules it out.
    status: HitStatus = HitStatus.CONFIRMED


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


# A country that is known only as a kind: resolved by the engine trying each country of that kind.
GROUP_A = "GROUP_A"  # a country of 輸出令別表第三 (グループA), not named
ABROAD = "ABROAD"  # some country other than Japan, not named
_PLACEHOLDERS = {
    "group_a": GROUP_A,
    "group a": GROUP_A,
    "a group a country": GROUP_A,
    "グループa": GROUP_A,
    "グループａ": GROUP_A,
    "abroad": ABROAD,
    "foreign": ABROAD,
    "外国": ABROAD,
    "海外": ABROAD,
}

# Every field holding a country (dotted paths, list elements included): all go through resolve_country.
COUNTRY_FIELDS = frozenset(
    {
        "from_country",
        "to_country",
        "use_abroad_country",
        "provider.country",
        "item.origin_country",
        "recipient.citizenships",
        "recipient.permanent_residence",
        "recipient.location_country",
        "end_user.country",
    }
)


def resolve_country(text: str) -> str:
    """ISO 3166-1 alpha-2 code for a country written as a code or a name (en/ja/zh/ko), or the placeholder
    ``GROUP_A`` / ``ABROAD``. Raises :class:`techguard.text.countries.CountryError` (a ``ValueError``) for an
    unknown or ambiguous name ("Korea", "Congo"), naming the candidates."""
    stripped = text.strip()
    placeholder = _PLACEHOLDERS.get(stripped.casefold())
    if placeholder is not None or stripped in (GROUP_A, ABROAD):
        return placeholder or stripped
    return text_resolve_country(stripped)


def confirmed_hits(activity: Activity) -> tuple[ScreeningHit, ...]:
    """The hits the rules act on: confirmed only (a possible hit is an open fact, a ruled-out one ignored)."""
    return tuple(h for h in activity.screening if h.status is HitStatus.CONFIRMED)


class ActivityError(ValueError):
    """An activity document has an unknown field or a value of the wrong kind; names the dotted field path."""

    def __init__(self, path: str, message: str, source: str | None = None) -> None:
        self.path = path
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}field {path!r}: {message}")


# A case keeps the pre-check answers its facts were built from (techguard.rules.intake) beside them, under this
# key; they are the researcher's record, not facts, so the loader skips them.
INTAKE_KEY = "intake"


def activity_from_mapping(data: Mapping[str, Any], *, source: str | None = None) -> Activity:
    """Build an :class:`Activity` from parsed YAML/JSON, rejecting unknown fields and bad values.

    The top-level ``intake`` key (:data:`INTAKE_KEY`, the pre-check answers kept with a case) is not a fact and
    is skipped."""
    if not isinstance(data, Mapping):
        raise ActivityError("(root)", "the activity must be a mapping of fields", source)
    if INTAKE_KEY in data:
        data = {k: v for k, v in data.items() if k != INTAKE_KEY}
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


def _field_of(path: str) -> str:
    """``recipient.citizenships[0]`` -> ``recipient.citizenships``."""
    return path.split("[", 1)[0]


def activity_json_schema(*, inline: bool = False) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the activity document, read from the model's own type hints: the body of
    the API's ``/assess``. Validation itself stays with :func:`activity_from_mapping` (one loader, one message).
    ``inline=True`` gives one self-contained object (no ``$ref``), as OpenAPI generators embed it."""
    defs: dict[str, Any] = {}
    root = _schema_of(Activity, defs)
    if inline:
        return typing.cast(dict[str, Any], _inline(root, defs))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": defs}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _schema_of(tp: Any, defs: dict[str, Any], path: str = "") -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return {"anyOf": [_schema_of(inner, defs, path), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _schema_of(args[0], defs, path)}
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(tp)
            props = {
                f.name: _schema_of(hints[f.name], defs, f"{path}.{f.name}" if path else f.name)
                for f in dataclasses.fields(tp)
            }
            required = [
                f.name
                for f in dataclasses.fields(tp)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ]
            defs[name] = {"type": "object", "properties": props, "additionalProperties": False}
            if required:
                defs[name]["required"] = required
            if tp.__doc__:
                defs[name]["description"] = " ".join(tp.__doc__.split())
        return {"$ref": f"#/$defs/{name}"} if path else dict(defs[name])
    if tp is bool:
        return {"type": "boolean"}
    if tp is float:
        return {"type": "number"}
    if tp is int:
        return {"type": "integer"}
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    if tp is str:
        if path in COUNTRY_FIELDS:
            return {
                "type": "string",
                "description": "ISO 3166-1 alpha-2 code or country name (en/ja/zh); GROUP_A or ABROAD when unnamed",
            }
        return {"type": "string"}
    raise TypeError(f"unsupported field type {tp!r} at {path}")


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
            text = str(raw).strip()
            if _field_of(path) in COUNTRY_FIELDS:
                try:
                    return resolve_country(text)
                except ValueError as exc:
                    raise ActivityError(path, str(exc), source) from None
            return text
        raise ActivityError(path, f"expected text, got {raw!r}", source)
    if tp is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ActivityError(path, f"expected a whole number, got {raw!r}", source)
    raise TypeError(f"unsupported field type {tp!r} at {path}")


__all__ = [
    "ABROAD",
    "COUNTRY_FIELDS",
    "GROUP_A",
    "INTAKE_KEY",
    "Activity",
    "ActivityError",
    "ActivityKind",
    "Audience",
    "EccnControl",
    "EndUse",
    "EndUser",
    "ForeignDirectProduct",
    "ForeignInfluence",
    "FundamentalResearchRole",
    "HitStatus",
    "Item",
    "ItemType",
    "JpProvisionExemption",
    "JpResidencyFacts",
    "LastStatusObtained",
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
    "activity_json_schema",
    "activity_to_mapping",
    "confirmed_hits",
    "resolve_country",
]
