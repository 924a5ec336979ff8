"""The pre-check intake: what a researcher answers for one kind of case, typed, and turned into activity facts.

One model per case kind (visitor, hiring, student, joint research, shipping, technology provision, travel,
publication). The web form and the API both clean their input through :func:`parse_intake`, so both accept and
refuse the same things with the same messages; :meth:`Intake.to_activity` builds the activity mapping the engine
reads and checks it with :func:`techguard.rules.activity.activity_from_mapping`, so an intake and the Activity
model never disagree.

Countries are ISO alpha-2 codes, given as a code or a name in ja/en/zh/ko (one resolver,
:mod:`techguard.text.countries`); yes/no/unknown questions are three-valued (unknown = the engine asks later);
dates are dates; percentages are numbers 0–100. Errors come out as ``(field, message)`` pairs; each message is an
English msgid with its values (:class:`techguard.i18n.Message`, translations in ``techguard.po``, or the country
resolver's own ``CountryError``): ``message.localized(lang)`` in the user's language (web form, API),
``str(message)`` in every output language ("English / 日本語") for the command line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from techguard.i18n import Localizable, Message, Messages
from techguard.rules.activity import INTAKE_KEY, ActivityError, activity_from_mapping
from techguard.text.countries import CountryError, UnknownCountry, resolve_country

JP = "JP"
_LIST_SEPARATORS = re.compile(r"[,、，;；\n]+")
_SIX_MONTHS_DAYS = 183  # only for the stay-length check of the form; residency itself is the engine's


class IntakeKind(StrEnum):
    """The case kinds (the web's CaseKind has the same values)."""

    VISITOR = "visitor"
    HIRING = "hiring"
    STUDENT = "student"
    JOINT_RESEARCH = "joint_research"
    SHIPPING = "shipping"
    TECH_PROVISION = "tech_provision"
    TRAVEL = "travel"
    PUBLICATION = "publication"


class YesNoUnknown(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    def as_bool(self) -> bool | None:
        return {YesNoUnknown.YES: True, YesNoUnknown.NO: False}.get(self)


class ResidenceStatus(StrEnum):
    """在留資格 (出入国管理及び難民認定法 別表第一・第二), the ones a university sees most, and "other"."""

    TEMPORARY_VISITOR = "temporary_visitor"  # 短期滞在
    STUDENT = "student"  # 留学
    PROFESSOR = "professor"  # 教授
    RESEARCHER = "researcher"  # 研究
    ENGINEER_HUMANITIES = "engineer_humanities"  # 技術・人文知識・国際業務
    DESIGNATED_ACTIVITIES = "designated_activities"  # 特定活動
    PERMANENT_RESIDENT = "permanent_resident"  # 永住者
    DIPLOMAT = "diplomat"  # 外交
    OFFICIAL = "official"  # 公用
    OTHER = "other"


# 外交・公用: on a foreign government's official duty — never residents (外国為替法令の解釈及び運用について).
OFFICIAL_STATUSES = frozenset({ResidenceStatus.DIPLOMAT, ResidenceStatus.OFFICIAL})


class ItemKind(StrEnum):
    COMMODITY = "commodity"
    SOFTWARE = "software"
    TECHNOLOGY = "technology"


class Channel(StrEnum):
    EMAIL = "email"
    MEETING = "meeting"
    LAB_TOUR = "lab_tour"
    CLOUD_SHARE = "cloud_share"


class CarriedGoods(StrEnum):
    LAPTOP = "laptop"
    SAMPLES = "samples"
    SOFTWARE = "software"
    DOCUMENTS = "documents"  # technical data on paper or media


# --- messages (English msgids; Japanese and any other language in techguard.po) ----------------------------

REQUIRED = Message("This field is required.")


class IntakeError(ValueError):
    """The intake was refused; ``errors`` are ``(field, message)`` pairs, one per field, each message
    :class:`~techguard.i18n.Localizable`. ``str()`` gives them in every output language."""

    def __init__(self, errors: list[tuple[str, Localizable]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))

    def localized(self, lang: str) -> str:
        """"field: message; …" in ``lang`` (the API's answer)."""
        return "; ".join(f"{field}: {message.localized(lang)}" for field, message in self.errors)


class _Problems(ValueError):
    """Several problems in one answer (a list of countries); pydantic hands it back as the error's context."""

    def __init__(self, problems: list[Localizable]) -> None:
        self.message = Messages(tuple(problems))
        super().__init__(str(self.message))


# --- typed values ------------------------------------------------------------------------------------------


def _country(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # pydantic then says "expected text"
    return resolve_country(value)  # CountryError is a ValueError: its message is the field's message


def _country_list(value: Any) -> Any:
    """Countries as a list, or one text separated by commas, 、 or semicolons ("CN JP" with spaces also works)."""
    if isinstance(value, str):
        parts = [p.strip() for p in _LIST_SEPARATORS.split(value)]
    elif isinstance(value, list | tuple):
        parts = [p.strip() if isinstance(p, str) else p for p in value]
    else:
        return value
    codes: list[str] = []
    problems: list[Localizable] = []
    for part in parts:
        if not part:
            continue
        if not isinstance(part, str):
            problems.append(Message("expected a country, got {value!r}", {"value": part}))
            continue
        try:
            codes.append(resolve_country(part))
        except UnknownCountry as exc:
            words = part.split()
            if len(words) < 2:
                problems.append(exc)
                continue
            for word in words:  # "CN JP": codes separated by spaces
                try:
                    codes.append(resolve_country(word))
                except CountryError as word_exc:
                    problems.append(word_exc)
        except CountryError as exc:
            problems.append(exc)
    if problems:
        raise _Problems(problems)
    return list(dict.fromkeys(codes))


def _lines(value: Any) -> Any:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if not (isinstance(v, str) and not v.strip())]
    return value


def _choices(value: Any) -> Any:
    if isinstance(value, str):
        return [p.strip() for p in _LIST_SEPARATORS.split(value) if p.strip()]
    return value


Country = Annotated[str, BeforeValidator(_country)]
Countries = Annotated[list[str], BeforeValidator(_country_list)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
OptionalName = Annotated[str | None, Field(default=None, max_length=200)]
Lines = Annotated[list[Annotated[str, Field(max_length=200)]], BeforeValidator(_lines)]
Code = Annotated[str | None, Field(default=None, max_length=20)]


# --- the models ----------------------------------------------------------------------------------------------


class Intake(BaseModel):
    """What every kind asks: what is involved, its classification if known (the 該非判定 step fills them), and
    anyone else involved (each screened)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    kind: ClassVar[IntakeKind]

    description: Annotated[str, Field(min_length=1, max_length=4000)]
    eccn: Code = None
    jp_list_item: Code = None
    other_parties: Lines = []

    def problems(self) -> list[tuple[str, Localizable]]:
        """Checks across fields (pydantic checks each field alone)."""
        return []

    def to_activity(self, home: str = JP) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The activity mapping for the engine and the named parties to screen. ``home`` is the organisation's
        country (the provider's, and where a visitor is received). The mapping is checked by the Activity
        loader, so a mapping the engine would refuse never leaves here."""
        item: dict[str, Any] = {"description": self.description}
        if self.eccn:
            item["eccn"] = self.eccn.upper()
        if self.jp_list_item:
            item["jp_list_item"] = self.jp_list_item
        facts: dict[str, Any] = {"from_country": home, "provider": {"jp_resident": home == JP}, "item": item}
        parties: list[dict[str, Any]] = []
        self._facts(facts, item, parties, home)
        parties.extend({"name": name, "role": "intermediate"} for name in self.other_parties)
        try:
            activity_from_mapping(facts, source=f"{self.kind.value} intake")
        except ActivityError as exc:  # a bug in a mapping, not the user's: say which fact
            raise IntakeError([(exc.path, Message("the answers give facts the engine refuses: {detail}",
                                                  {"detail": str(exc)}))]) from None
        return facts, parties

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        raise NotImplementedError

    def to_case(self, home: str = JP) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """:meth:`to_activity` with the answers kept beside the facts (under ``intake``, which the engine skips),
        so the case can be corrected later from what was answered."""
        facts, parties = self.to_activity(home)
        return {**facts, INTAKE_KEY: self.to_json()}, parties

    def to_json(self) -> dict[str, Any]:
        """The answers as stored with the case (JSON values, unanswered fields left out)."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v not in (None, [], "")}


class _PersonIntake(Intake):
    person_name: Name
    organisation: OptionalName = None  # employer / affiliation
    citizenships: Countries = []
    permanent_residence: Countries = []

    def _person(self, location: str | None, parties: list[dict[str, Any]]) -> dict[str, Any]:
        recipient: dict[str, Any] = {"kind": "person", "name": self.person_name}
        if self.citizenships:
            recipient["citizenships"] = list(self.citizenships)
        if self.permanent_residence:
            recipient["permanent_residence"] = list(self.permanent_residence)
        if location:
            recipient["location_country"] = location
        parties.append({"name": self.person_name, "role": "recipient", "kind": "person", "country": location})
        if self.organisation:
            recipient["employer"] = self.organisation
            parties.append({"name": self.organisation, "role": "employer", "kind": "organisation"})
        return recipient


class _StayIntake(_PersonIntake):
    """A person received in Japan: the stay and status decide 居住者/非居住者 (外為法6条1項5号・6号), and the
    特定類型 declaration (役務通達 1(3)サ; METI's model pledge) whether a resident counts as a non-resident."""

    stay_start: dt.date | None = None  # arrival (入国日): residency counts six months from it
    stay_end: dt.date | None = None
    residence_status: ResidenceStatus | None = None
    employed_in_japan: YesNoUnknown = YesNoUnknown.UNKNOWN  # works at an office in Japan (本邦内の事務所に勤務)
    funding_source: OptionalName = None
    foreign_government_funding: YesNoUnknown = YesNoUnknown.UNKNOWN
    # 特定類型 ①②③ as the pledge asks them
    tokutei_contract: YesNoUnknown = YesNoUnknown.UNKNOWN
    tokutei_benefit: YesNoUnknown = YesNoUnknown.UNKNOWN
    tokutei_income_share_percent: Annotated[float | None, Field(default=None, ge=0, le=100)] = None
    tokutei_instructions: YesNoUnknown = YesNoUnknown.UNKNOWN

    def problems(self) -> list[tuple[str, Localizable]]:
        out: list[tuple[str, Localizable]] = []
        if self.stay_start and self.stay_end and self.stay_end < self.stay_start:
            out.append(("stay_end", Message("the end of the stay is before its start")))
        share = self.tokutei_income_share_percent
        answered = self.tokutei_benefit is not YesNoUnknown.UNKNOWN
        if share is not None and answered and (share >= 25) != (self.tokutei_benefit is YesNoUnknown.YES):
            out.append(("tokutei_benefit", Message(
                "the answer contradicts the share of income given ({share:g}%; 25% or more is significant)",
                {"share": share})))
        return out

    @property
    def stay_days(self) -> int | None:
        if self.stay_start and self.stay_end:
            return (self.stay_end - self.stay_start).days
        return None

    @property
    def long_stay(self) -> bool | None:
        """A stay of six months or more (informative: the engine counts from ``stay_start`` to ``stay_end`` or the
        day the rules are applied, whichever comes first)."""
        days = self.stay_days
        return None if days is None else days >= _SIX_MONTHS_DAYS

    def _employed(self) -> bool | None:
        return self.employed_in_japan.as_bool()

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        facts.update(activity="teaching" if self.kind is IntakeKind.STUDENT else "release", to_country=home)
        item["type"] = "technology"
        recipient = self._person(home, parties)
        if self.residence_status is ResidenceStatus.PERMANENT_RESIDENT and home not in self.permanent_residence:
            recipient["permanent_residence"] = [*recipient.get("permanent_residence", []), home]
        residency: dict[str, Any] = {}
        if self.stay_start:
            residency["entered_japan"] = self.stay_start.isoformat()
        if self.stay_end:
            residency["leaves_japan"] = self.stay_end.isoformat()
        employed = self._employed()
        if employed is not None:
            residency["employed_at_office_in_japan"] = employed
        if self.residence_status is not None:
            # 外交・公用 are the statuses of foreign-government officials; every other status is not one
            residency["foreign_government_official"] = self.residence_status in OFFICIAL_STATUSES
        if residency:
            recipient["jp_residency"] = residency
        influence: dict[str, Any] = {}
        for key, answer in (
            ("employment_or_contract_with_foreign_government_or_entity", self.tokutei_contract),
            ("significant_foreign_government_benefit", self.tokutei_benefit),
            ("acting_under_foreign_government_instruction", self.tokutei_instructions),
        ):
            if answer.as_bool() is not None:
                influence[key] = answer.as_bool()
        if self.tokutei_income_share_percent is not None:
            influence["foreign_government_income_share"] = self.tokutei_income_share_percent / 100
        if influence:
            recipient["foreign_influence"] = influence
        facts["recipient"] = recipient
        if self.funding_source:
            parties.append({"name": self.funding_source, "role": "funder", "kind": "organisation"})


class VisitorIntake(_StayIntake):
    kind = IntakeKind.VISITOR


class HiringIntake(_StayIntake):
    kind = IntakeKind.HIRING

    def _employed(self) -> bool | None:
        # a person we hire works at our office in Japan, unless the answer says otherwise (e.g. remote abroad)
        answer = self.employed_in_japan.as_bool()
        return True if answer is None else answer


class StudentIntake(_StayIntake):
    kind = IntakeKind.STUDENT


class TechProvisionIntake(_PersonIntake):
    kind = IntakeKind.TECH_PROVISION
    channel: Channel
    location_country: Country | None = None

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        location = self.location_country or home
        item["type"] = "technology"
        facts.update(activity="release" if location == home else "export", to_country=location)
        facts["recipient"] = self._person(location, parties)


class JointResearchIntake(Intake):
    kind = IntakeKind.JOINT_RESEARCH
    partner_name: Name
    partner_country: Country

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        country = self.partner_country
        item["type"] = "technology"
        facts.update(activity="release" if country == home else "export", to_country=country)
        facts["recipient"] = {"kind": "organisation", "name": self.partner_name, "location_country": country}
        parties.append({"name": self.partner_name, "role": "recipient", "kind": "organisation", "country": country})


class ShippingIntake(Intake):
    kind = IntakeKind.SHIPPING
    item_type: ItemKind
    destination: Country
    consignee: Name
    end_user: OptionalName = None
    origin_country: Country | None = None

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        country = self.destination
        item["type"] = self.item_type.value
        if self.origin_country:
            item["origin_country"] = self.origin_country
        facts.update(activity="export", to_country=country)
        facts["recipient"] = {"kind": "organisation", "name": self.consignee, "location_country": country}
        parties.append({"name": self.consignee, "role": "recipient", "country": country})
        if self.end_user:
            facts["end_user"] = {"name": self.end_user, "country": country}
            parties.append({"name": self.end_user, "role": "end_user", "country": country})


class TravelIntake(Intake):
    """Travel abroad: what is carried (a laptop is goods too), whether it stays the traveller's and comes back —
    TMP/BAG (15 CFR 740.9(a)(1), 740.14) and 携帯品・職業用具 (輸出令4条1項, 別表第六) turn on it."""

    kind = IntakeKind.TRAVEL
    destination: Country
    carried: Annotated[list[CarriedGoods], BeforeValidator(_choices)] = []
    own_use_only: YesNoUnknown = YesNoUnknown.UNKNOWN
    kept_under_control: YesNoUnknown = YesNoUnknown.UNKNOWN
    returned_within_one_year: YesNoUnknown = YesNoUnknown.UNKNOWN
    origin_country: Country | None = None

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        carried = set(self.carried)
        if carried == {CarriedGoods.SAMPLES}:
            item["type"] = "commodity"
        elif carried == {CarriedGoods.SOFTWARE}:
            item["type"] = "software"
        else:  # what is on a laptop or in documents is technology (the laptop itself is a separate good)
            item["type"] = "technology"
        if carried:
            item["description"] = f"{self.description} [{', '.join(sorted(c.value for c in carried))}]"
        for key, answer in (("own_use_only", self.own_use_only),
                            ("kept_under_travellers_control", self.kept_under_control),
                            ("returned_within_one_year", self.returned_within_one_year)):
            if answer.as_bool() is not None:
                item[key] = answer.as_bool()
        if self.origin_country:
            item["origin_country"] = self.origin_country
        facts.update(activity="carry_abroad", to_country=self.destination, use_abroad_country=self.destination)


class PublicationIntake(Intake):
    kind = IntakeKind.PUBLICATION
    venue: Name

    def _facts(self, facts: dict[str, Any], item: dict[str, Any], parties: list[dict[str, Any]], home: str) -> None:
        item["type"] = "technology"
        item["publication_planned"] = "intended"
        item["description"] = f"{self.description} — {self.venue}"
        facts.update(activity="publication")


INTAKE_MODELS: dict[IntakeKind, type[Intake]] = {
    model.kind: model
    for model in (VisitorIntake, HiringIntake, StudentIntake, JointResearchIntake, ShippingIntake,
                  TechProvisionIntake, TravelIntake, PublicationIntake)
}


def intake_model(kind: str) -> type[Intake]:
    try:
        return INTAKE_MODELS[IntakeKind(kind)]
    except ValueError:
        raise IntakeError([("kind", Message("unknown case kind {kind!r}; one of {kinds}",
                                            {"kind": kind, "kinds": ", ".join(IntakeKind)}))]) from None


def parse_intake(kind: str, data: Mapping[str, Any]) -> Intake:
    """The typed intake of ``kind`` from raw answers (a form's strings or an API's JSON). Empty answers ("",
    None) count as not given. Raises :class:`IntakeError` with every problem as ``(field, message)``."""
    model = intake_model(kind)
    if not isinstance(data, Mapping):
        raise IntakeError([("intake", Message("expected a mapping of answers"))])
    given = {k: v for k, v in data.items() if v is not None and v != "" and v != []}
    try:
        intake = model.model_validate(given)
    except ValidationError as exc:
        raise IntakeError(_errors(exc, model)) from None
    problems = intake.problems()
    if problems:
        raise IntakeError(problems)
    return intake


def _errors(exc: ValidationError, model: type[Intake]) -> list[tuple[str, Localizable]]:
    out: dict[str, list[Localizable]] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "intake"
        message = _message(error, model)
        if all(str(message) != str(seen) for seen in out.setdefault(field, [])):
            out[field].append(message)
    return [(field, messages[0] if len(messages) == 1 else Messages(tuple(messages)))
            for field, messages in out.items()]


def _message(error: Any, model: type[Intake]) -> Localizable:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = {"input": error.get("input")}
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, _Problems):
            return cause.message
        if isinstance(cause, CountryError):
            return cause
        return Message("invalid answer: {detail}", {"detail": str(cause or error["msg"])})
    if kind == "missing" or kind == "string_too_short":
        return REQUIRED
    if kind == "extra_forbidden":
        return Message("unknown field; known fields: {known}", {"known": ", ".join(sorted(model.model_fields))})
    if kind == "enum":
        return Message("{input!r} is not one of: {allowed}", {**given, "allowed": ctx.get("expected", "")})
    if kind.startswith("date"):
        return Message("expected a date YYYY-MM-DD, got {input!r}", given)
    if kind in ("float_parsing", "float_type"):
        return Message("expected a number, got {input!r}", given)
    if kind in ("less_than_equal", "greater_than_equal"):
        return Message("must be a number from 0 to 100, got {input!r}", given)
    if kind == "string_too_long":
        return Message("at most {limit} characters", {"limit": ctx.get("max_length")})
    if kind == "list_type":
        return Message("expected a list, got {input!r}", given)
    if kind == "string_type":
        return Message("expected text, got {input!r}", given)
    return Message("invalid answer: {detail}", {"detail": error["msg"]})


# --- corrections -------------------------------------------------------------------------------------------


def flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths -> leaf values (lists are leaves)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def _unflatten(paths: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in paths.items():
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = value
    return out


def rebase_facts(current: Mapping[str, Any], old_derived: Mapping[str, Any],
                 new_derived: Mapping[str, Any]) -> dict[str, Any]:
    """The facts after an intake correction: rebuilt from the corrected intake (``new_derived``), keeping what
    was added since the intake (interview answers, a confirmed 該非判定: paths whose current value differs from
    what the old intake gave) unless the correction itself changed that path."""
    now, old, new = (
        flatten({k: v for k, v in facts.items() if k != INTAKE_KEY})
        for facts in (current, old_derived, new_derived)
    )
    merged = dict(new)
    for path, value in now.items():
        if path in old and old[path] == value:
            continue  # came from the old intake: the new intake decides
        if new.get(path) != old.get(path):
            continue  # the correction changed this fact: the correction wins
        merged[path] = value
    return _unflatten(merged)


__all__ = [
    "INTAKE_MODELS",
    "OFFICIAL_STATUSES",
    "REQUIRED",
    "CarriedGoods",
    "Channel",
    "Countries",
    "Country",
    "HiringIntake",
    "Intake",
    "IntakeError",
    "IntakeKind",
    "ItemKind",
    "JointResearchIntake",
    "PublicationIntake",
    "ResidenceStatus",
    "ShippingIntake",
    "StudentIntake",
    "TechProvisionIntake",
    "TravelIntake",
    "VisitorIntake",
    "YesNoUnknown",
    "flatten",
    "intake_model",
    "parse_intake",
    "rebase_facts",
]
