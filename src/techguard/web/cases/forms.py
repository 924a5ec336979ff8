"""The pre-check forms: one per kind of activity, each asking only the facts every determination of that kind
needs. Anything else the engine needs is asked afterwards from its missing facts (see interview.py)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techguard.text.countries import CountryError, UnknownCountry, resolve_country
from techguard.web.cases.interview import CommaListField
from techguard.web.cases.models import DECISIONS, CaseKind, CaseStatus, LicenceStatus

COUNTRY_HELP = _("ISO country code, e.g. JP, US, CN")
_LIST_SEPARATORS = re.compile(r"[,、，;；\n]+")


class CountryField(forms.CharField):
    """A country as an officer types it: an ISO code or a name in Japanese, English, Chinese or Korean (中国, 米国,
    "Korea, North"), cleaned to its ISO alpha-2 code by the one resolver (:mod:`techguard.text.countries`). An
    ambiguous name ("Korea", 朝鮮) or an unknown one is a form error whose message (Japanese and English) says
    which."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if not text:
            return ""
        try:
            return resolve_country(text)
        except CountryError as exc:
            raise ValidationError(str(exc), code="country") from None


class CountryListField(CommaListField):
    """Several countries (citizenships) separated by commas, 、 or semicolons; "CN JP" (spaces) also works."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = forms.CharField.to_python(self, value) or ""
        codes: list[str] = []
        errors: list[ValidationError] = []
        for part in (p.strip() for p in _LIST_SEPARATORS.split(text)):
            if not part:
                continue
            try:
                codes.append(resolve_country(part))
            except UnknownCountry as exc:
                words = part.split()
                if len(words) < 2:
                    errors.append(ValidationError(str(exc), code="country"))
                    continue
                for word in words:  # "CN JP": codes separated by spaces
                    try:
                        codes.append(resolve_country(word))
                    except CountryError as word_exc:
                        errors.append(ValidationError(str(word_exc), code="country"))
            except CountryError as exc:
                errors.append(ValidationError(str(exc), code="country"))
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(codes))


_FIELDS: dict[str, forms.Field] = {
    "title": forms.CharField(label=_("Short title"), max_length=200),
    "person_name": forms.CharField(label=_("Person's full name"), max_length=200),
    "organisation": forms.CharField(label=_("Organisation / affiliation"), max_length=200, required=False),
    "citizenships": CountryListField(label=_("Citizenships"), required=False, help_text=COUNTRY_HELP),
    "location_country": CountryField(
        label=_("Where the person will receive the technology"), max_length=100, required=False,
        help_text=COUNTRY_HELP,
    ),
    "partner_name": forms.CharField(label=_("Partner organisation"), max_length=200),
    "partner_country": CountryField(label=_("Partner's country"), max_length=100, help_text=COUNTRY_HELP),
    "consignee": forms.CharField(label=_("Consignee (who receives the shipment)"), max_length=200),
    "end_user": forms.CharField(label=_("End user, if different"), max_length=200, required=False),
    "destination": CountryField(label=_("Destination country"), max_length=100, help_text=COUNTRY_HELP),
    "item_type": forms.ChoiceField(
        label=_("What is it?"),
        choices=[("commodity", _("Goods or samples")), ("software", _("Software")), ("technology", _("Technology"))],
    ),
    "channel": forms.ChoiceField(
        label=_("How is it provided?"),
        choices=[("email", _("E-mail")), ("meeting", _("Meeting")), ("lab_tour", _("Lab tour")),
                 ("cloud_share", _("Cloud share"))],
    ),
    "description": forms.CharField(
        label=_("What technology, goods or software is involved?"), widget=forms.Textarea(attrs={"rows": 3}),
    ),
    "eccn": forms.CharField(
        label=_("US classification (ECCN or EAR99), if known"), max_length=20, required=False,
    ),
    "jp_list_item": forms.CharField(
        label=_("Japanese list item (輸出令別表第一 / 外為令別表 項番), if known"), max_length=20, required=False,
    ),
    "venue": forms.CharField(label=_("Journal, conference or venue"), max_length=200),
    "other_parties": forms.CharField(
        label=_("Other people or organisations involved (one per line)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    ),
}

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    CaseKind.VISITOR: ("title", "person_name", "organisation", "citizenships", "description", "eccn",
                       "jp_list_item", "other_parties"),
    CaseKind.HIRING: ("title", "person_name", "organisation", "citizenships", "description", "eccn",
                      "jp_list_item", "other_parties"),
    CaseKind.STUDENT: ("title", "person_name", "organisation", "citizenships", "description", "eccn",
                       "jp_list_item", "other_parties"),
    CaseKind.JOINT_RESEARCH: ("title", "partner_name", "partner_country", "description", "eccn", "jp_list_item",
                              "other_parties"),
    CaseKind.SHIPPING: ("title", "item_type", "description", "destination", "consignee", "end_user", "eccn",
                        "jp_list_item", "other_parties"),
    CaseKind.TECH_PROVISION: ("title", "channel", "person_name", "organisation", "location_country",
                              "citizenships", "description", "eccn", "jp_list_item", "other_parties"),
    CaseKind.TRAVEL: ("title", "destination", "description", "eccn", "jp_list_item", "other_parties"),
    CaseKind.PUBLICATION: ("title", "venue", "description", "eccn", "jp_list_item", "other_parties"),
}


def precheck_form(kind: str, data: Any = None, initial: dict[str, Any] | None = None) -> forms.Form:
    """A form with just the fields of ``kind``."""
    if kind not in KIND_FIELDS:
        raise ValueError(f"unknown case kind {kind!r}")
    form = forms.Form(data=data, initial=initial)
    form.fields = {name: _copy(_FIELDS[name]) for name in KIND_FIELDS[kind]}
    return form


def _copy(field: forms.Field) -> forms.Field:
    import copy

    return copy.deepcopy(field)


def build_case_data(kind: str, cleaned: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The activity mapping for the engine and the named parties to screen, from a valid pre-check form."""
    home = settings.TECHGUARD_HOME_COUNTRY
    item: dict[str, Any] = {"description": cleaned["description"]}
    if cleaned.get("eccn"):
        item["eccn"] = cleaned["eccn"].strip().upper()
    if cleaned.get("jp_list_item"):
        item["jp_list_item"] = cleaned["jp_list_item"].strip()
    facts: dict[str, Any] = {"from_country": home, "provider": {"jp_resident": home == "JP"}, "item": item}
    parties: list[dict[str, Any]] = []

    def person(location: str | None) -> dict[str, Any]:
        recipient: dict[str, Any] = {"kind": "person", "name": cleaned["person_name"].strip()}
        if cleaned.get("citizenships"):
            recipient["citizenships"] = cleaned["citizenships"]
        if cleaned.get("organisation"):
            recipient["employer"] = cleaned["organisation"].strip()
            parties.append({"name": recipient["employer"], "role": "employer", "kind": "organisation"})
        if location:
            recipient["location_country"] = location
        parties.insert(0, {"name": recipient["name"], "role": "recipient", "kind": "person",
                           "country": location})
        return recipient

    if kind in (CaseKind.VISITOR, CaseKind.HIRING, CaseKind.STUDENT):
        facts.update(activity="teaching" if kind == CaseKind.STUDENT else "release", to_country=home)
        item["type"] = "technology"
        facts["recipient"] = person(home)
    elif kind == CaseKind.TECH_PROVISION:
        location = cleaned.get("location_country") or home
        item["type"] = "technology"
        facts.update(activity="release" if location == home else "export", to_country=location)
        facts["recipient"] = person(location)
    elif kind == CaseKind.JOINT_RESEARCH:
        country = cleaned["partner_country"]
        item["type"] = "technology"
        facts.update(activity="release" if country == home else "export", to_country=country)
        facts["recipient"] = {"kind": "organisation", "name": cleaned["partner_name"].strip(),
                              "location_country": country}
        parties.append({"name": cleaned["partner_name"].strip(), "role": "recipient", "kind": "organisation",
                        "country": country})
    elif kind == CaseKind.SHIPPING:
        country = cleaned["destination"]
        item["type"] = cleaned["item_type"]
        facts.update(activity="export", to_country=country)
        facts["recipient"] = {"kind": "organisation", "name": cleaned["consignee"].strip(),
                              "location_country": country}
        parties.append({"name": cleaned["consignee"].strip(), "role": "recipient", "country": country})
        if cleaned.get("end_user"):
            facts["end_user"] = {"name": cleaned["end_user"].strip(), "country": country}
            parties.append({"name": cleaned["end_user"].strip(), "role": "end_user", "country": country})
    elif kind == CaseKind.TRAVEL:
        country = cleaned["destination"]
        item["type"] = "technology"
        facts.update(activity="carry_abroad", to_country=country, use_abroad_country=country)
    elif kind == CaseKind.PUBLICATION:
        item["type"] = "technology"
        item["publication_planned"] = "intended"
        item["description"] = f"{cleaned['description']} — {cleaned['venue'].strip()}"
        facts.update(activity="publication")
    else:
        raise ValueError(f"unknown case kind {kind!r}")
    for line in (cleaned.get("other_parties") or "").splitlines():
        if line.strip():
            parties.append({"name": line.strip(), "role": "intermediate"})
    return facts, parties


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[(d.value, d.label) for d in DECISIONS])
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    licence_status = forms.ChoiceField(label=_("Licence status"), choices=LicenceStatus.choices, required=False)
    licence_number = forms.CharField(label=_("Licence / application number"), max_length=100, required=False)
    licence_expiry = forms.DateField(
        label=_("Licence expiry"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(label=_("Reason / comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == CaseStatus.APPROVED_WITH_CONDITIONS and not data.get("conditions"):
            self.add_error("conditions", _("Give the conditions of the approval."))
        return data


class LicenceForm(forms.Form):
    licence_status = forms.ChoiceField(label=_("Licence status"), choices=LicenceStatus.choices, required=False)
    licence_number = forms.CharField(label=_("Licence / application number"), max_length=100, required=False)
    licence_expiry = forms.DateField(
        label=_("Licence expiry"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(label=_("Reason / comment"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
