"""The widgets, labels and guidance of the pre-check questions. Values are not checked here: every field passes
what was typed to the core intake model (techguard.rules.intake), which gives the web and the API the same
answers and messages. Each question carries its guidance and the provision behind it (help_text)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from techguard.rules.intake import ResidenceStatus
from techguard.text.countries import country_name, known_codes

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known yet"))]
RESIDENCE_STATUSES = [
    ("", "—"),
    (ResidenceStatus.TEMPORARY_VISITOR.value, _("Temporary visitor (短期滞在)")),
    (ResidenceStatus.STUDENT.value, _("Student (留学)")),
    (ResidenceStatus.PROFESSOR.value, _("Professor (教授)")),
    (ResidenceStatus.RESEARCHER.value, _("Researcher (研究)")),
    (ResidenceStatus.ENGINEER_HUMANITIES.value,
     _("Engineer / Specialist in Humanities / International Services (技術・人文知識・国際業務)")),
    (ResidenceStatus.DESIGNATED_ACTIVITIES.value, _("Designated activities (特定活動)")),
    (ResidenceStatus.PERMANENT_RESIDENT.value, _("Permanent resident (永住者)")),
    (ResidenceStatus.DIPLOMAT.value, _("Diplomat (外交)")),
    (ResidenceStatus.OFFICIAL.value, _("Official (公用)")),
    (ResidenceStatus.OTHER.value, _("Other status")),
]
ITEM_TYPES = [("commodity", _("Goods or samples")), ("software", _("Software")), ("technology", _("Technology"))]
CHANNELS = [("email", _("E-mail")), ("meeting", _("Meeting")), ("lab_tour", _("Lab tour")),
            ("cloud_share", _("Cloud share"))]
CARRIED = [("laptop", _("Laptop, tablet or phone")), ("samples", _("Samples or equipment")),
           ("software", _("Software")), ("documents", _("Technical documents or data"))]


@lru_cache(maxsize=8)
def _country_options(language: str) -> tuple[tuple[str, str], ...]:
    lang = language if language in ("ja", "zh", "ko") else "en"
    rows = []
    for code in known_codes():
        try:
            rows.append((code, country_name(code, lang)))
        except KeyError:
            continue
    return tuple(sorted(rows, key=lambda row: row[1]))


class CountryInput(forms.TextInput):
    """A searchable country picker without JavaScript: a text input with a ``<datalist>`` of every country,
    named in the user's language with its code. Picking one stores the ISO code; a typed name (中国, Korea,
    North) is read by the core's resolver."""

    def __init__(self, language: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.language = language

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-countries"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', _country_options(self.language))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


@dataclass(frozen=True)
class FieldSpec:
    label: Any
    help_text: Any = ""
    widget: Callable[[str], forms.Widget] = lambda language: forms.TextInput()
    required: bool = False
    initial: Any = None

    def field(self, name: str, language: str) -> forms.Field:
        widget = self.widget(language)
        if self.required:
            widget.attrs["required"] = True
        # required=False: the intake model says what is required, in the same words as the API
        return forms.Field(label=self.label, help_text=self.help_text, widget=widget, required=False,
                           initial=self.initial)


def _text(language: str) -> forms.Widget:
    return forms.TextInput(attrs={"maxlength": 200})


def _lines(language: str) -> forms.Widget:
    return forms.Textarea(attrs={"rows": 2})


def _country(language: str) -> forms.Widget:
    return CountryInput(language)


def _date(language: str) -> forms.Widget:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _yes_no(language: str) -> forms.Widget:
    return forms.RadioSelect(choices=YES_NO_UNKNOWN)


def _percent(language: str) -> forms.Widget:
    return forms.NumberInput(attrs={"min": 0, "max": 100, "step": "any"})


def _select(choices: list[tuple[str, Any]]) -> Callable[[str], forms.Widget]:
    return lambda language: forms.Select(choices=choices)


def _checkboxes(choices: list[tuple[str, Any]]) -> Callable[[str], forms.Widget]:
    return lambda language: forms.CheckboxSelectMultiple(choices=choices)


CLASSIFICATION_HELP = _("Leave empty if not known: the classification step (該非判定) fills it in.")
TOKUTEI = "役務通達 1(3)サ"

FIELD_SPECS: dict[str, FieldSpec] = {
    "person_name": FieldSpec(
        _("Person's full name"),
        _("Screened against the restricted-party lists (EAR Part 744; 外国ユーザーリスト)."), _text, required=True),
    "organisation": FieldSpec(
        _("Employer / affiliation"),
        _("Screened too. A foreign employer matters for 特定類型① (役務通達 1(3)サ①)."), _text),
    "citizenships": FieldSpec(
        _("Citizenships"),
        _("Every citizenship, codes or names separated by commas (中国, US …). The deemed export goes to the most"
          " recent citizenship or permanent residence (EAR §734.13(b))."), _country),
    "permanent_residence": FieldSpec(
        _("Countries of permanent residence"),
        _("Where the person holds permanent residence, if anywhere (EAR §734.13(b); 永住者 of Japan are residents,"
          " 外為法第6条)."), _country),
    "stay_start": FieldSpec(
        _("Start of the stay (arrival in Japan)"),
        _("A foreign national becomes a resident (居住者) six months after entry, or from the start when working at"
          " an office in Japan (外為法第6条第1項第5号; 外国為替法令の解釈及び運用について)."), _date),
    "stay_end": FieldSpec(
        _("End of the stay"),
        _("A stay of less than six months keeps a visitor a non-resident (非居住者) unless employed in Japan;"
          " technology provided to a non-resident needs checking (外為法第25条第1項; 外為令第17条)."), _date),
    "residence_status": FieldSpec(
        _("Status of residence (在留資格)"),
        _("外交・公用 holders are non-residents however long they stay; 永住者 are residents (外為法第6条)."),
        _select(RESIDENCE_STATUSES)),
    "employed_in_japan": FieldSpec(
        _("Will the person work at an office in Japan (employed here)?"),
        _("Working at an office in Japan makes a foreign national a resident (居住者) from the start (外国為替法令の"
          "解釈及び運用について). For a hire, “not known” counts as yes."), _yes_no, initial="unknown"),
    "funding_source": FieldSpec(
        _("Who funds the stay (scholarship, grant, employer)?"),
        _("The funder is screened against the restricted-party lists too."), _text),
    "foreign_government_funding": FieldSpec(
        _("Does any of the funding come from a foreign government?"),
        _("Foreign-government money can put a person in 特定類型② (役務通達 1(3)サ②); answer the questions below."),
        _yes_no, initial="unknown"),
    "tokutei_contract": FieldSpec(
        _("① Employed by, or under contract with, a foreign government or an entity it controls, and bound by its"
          " directions?"),
        _("特定類型① (役務通達 1(3)サ①), as in METI's model pledge (誓約書). A resident in a 特定類型 is treated"
          " as a non-resident."), _yes_no, initial="unknown"),
    "tokutei_benefit": FieldSpec(
        _("② Receiving significant money or other benefit from a foreign government (25% or more of income in the"
          " last year)?"),
        _("特定類型② (役務通達 1(3)サ②)."), _yes_no, initial="unknown"),
    "tokutei_income_share_percent": FieldSpec(
        _("Share of income from a foreign government in the last year (%), if known"),
        _("25% or more is 特定類型② (役務通達 1(3)サ②)."), _percent),
    "tokutei_instructions": FieldSpec(
        _("③ Acting in Japan on a foreign government's instructions or requests?"),
        _("特定類型③ (役務通達 1(3)サ③)."), _yes_no, initial="unknown"),
    "location_country": FieldSpec(
        _("Where the person will receive the technology"),
        _("Providing technology to someone abroad is a 役務取引 (外為法第25条第1項) and an export under the EAR"
          " (§734.13(a)). Empty = in Japan."), _country),
    "channel": FieldSpec(_("How is it provided?"), "", _select(CHANNELS), required=True),
    "partner_name": FieldSpec(
        _("Partner organisation"), _("Screened against the restricted-party lists."), _text, required=True),
    "partner_country": FieldSpec(
        _("Partner's country"),
        _("Where the partner receives the technology (外為法第25条第1項; EAR §734.13)."), _country, required=True),
    "item_type": FieldSpec(_("What is it?"), _("Goods (外為法第48条) or technology/software (外為法第25条)."),
                           _select(ITEM_TYPES), required=True),
    "destination": FieldSpec(
        _("Destination country"),
        _("The destination decides the licence requirement (輸出令別表第三; EAR Country Chart, Supp. 1 to Part 738)."),
        _country, required=True),
    "consignee": FieldSpec(_("Consignee (who receives the shipment)"), _("Screened against the restricted-party"
                                                                         " lists."), _text, required=True),
    "end_user": FieldSpec(_("End user, if different"), _("Screened too (EAR §744; キャッチオール規制)."), _text),
    "origin_country": FieldSpec(
        _("Country of origin (where it was made)"),
        _("Items made in the US stay subject to the EAR wherever they are (EAR §734.3(a)(2))."), _country),
    "carried": FieldSpec(
        _("What will you carry?"),
        _("A laptop is goods (外為法第48条); the data on it is technology (外為法第25条; EAR §734.13)."),
        _checkboxes(CARRIED)),
    "own_use_only": FieldSpec(
        _("Only for your own use abroad (shown to no one)?"),
        _("Technology taken for one's own use is not provided to anyone (外為法第25条第1項; METI 大学向けQ&A), but"
          " under the EAR carrying it out is still an export (§734.13(a)(1))."), _yes_no, initial="unknown"),
    "kept_under_control": FieldSpec(
        _("Will it stay under your control abroad?"),
        _("A condition of licence exceptions TMP tools of trade (EAR §740.9(a)(1)) and BAG (§740.14), and of the"
          " 携帯品・職業用具 special case (輸出令第4条, 別表第六)."), _yes_no, initial="unknown"),
    "returned_within_one_year": FieldSpec(
        _("Will you bring it back within one year?"),
        _("TMP tools of trade requires return within one year (EAR §740.9(a)(1)); 携帯品 are taken by a person"
          " leaving Japan temporarily (輸出令別表第六)."), _yes_no, initial="unknown"),
    "description": FieldSpec(
        _("What technology, goods or software is involved?"),
        _("Describe it as you would to a colleague: the classification (該非判定) starts from this."),
        lambda language: forms.Textarea(attrs={"rows": 3}), required=True),
    "eccn": FieldSpec(_("US classification (ECCN or EAR99), if known"), CLASSIFICATION_HELP,
                      lambda language: forms.TextInput(attrs={"maxlength": 20})),
    "jp_list_item": FieldSpec(_("Japanese list item (輸出令別表第一 / 外為令別表 項番), if known"), CLASSIFICATION_HELP,
                              lambda language: forms.TextInput(attrs={"maxlength": 20})),
    "venue": FieldSpec(
        _("Journal, conference or venue"),
        _("Published information is outside control (EAR §734.7; 公知, 貿易外省令第9条第2項第9号); so are results of"
          " fundamental research meant for publication (EAR §734.8)."),
        _text, required=True),
    "other_parties": FieldSpec(_("Other people or organisations involved (one per line)"),
                               _("Each is screened against the restricted-party lists."), _lines),
}

_PERSON = ("person_name", "organisation", "citizenships", "permanent_residence")
_STAY = ("stay_start", "stay_end", "residence_status", "employed_in_japan", "funding_source",
         "foreign_government_funding", "tokutei_contract", "tokutei_benefit", "tokutei_income_share_percent",
         "tokutei_instructions")
_CLASSIFICATION = ("eccn", "jp_list_item", "other_parties")

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "visitor": (*_PERSON, *_STAY, "description", *_CLASSIFICATION),
    "hiring": (*_PERSON, *_STAY, "description", *_CLASSIFICATION),
    "student": (*_PERSON, *_STAY, "description", *_CLASSIFICATION),
    "joint_research": ("partner_name", "partner_country", "description", *_CLASSIFICATION),
    "shipping": ("item_type", "description", "destination", "consignee", "end_user", "origin_country",
                 *_CLASSIFICATION),
    "tech_provision": ("channel", *_PERSON, "location_country", "description", *_CLASSIFICATION),
    "travel": ("destination", "carried", "own_use_only", "kept_under_control", "returned_within_one_year",
               "description", "origin_country", *_CLASSIFICATION),
    "publication": ("venue", "description", *_CLASSIFICATION),
}

_LIST_FIELDS = {"citizenships": ", ", "permanent_residence": ", ", "other_parties": "\n"}


def initial_from_intake(stored: dict[str, Any]) -> dict[str, Any]:
    """Form values from the answers kept with a case (lists written back as the text they are typed as)."""
    out: dict[str, Any] = {}
    for name, value in stored.items():
        joiner = _LIST_FIELDS.get(name)
        out[name] = joiner.join(value) if joiner and isinstance(value, list) else value
    return out


_CHOICE_LABELS: dict[str, Any] = {
    **dict(YES_NO_UNKNOWN), **dict(RESIDENCE_STATUSES[1:]), **{f"item:{k}": v for k, v in ITEM_TYPES},
    **{f"channel:{k}": v for k, v in CHANNELS}, **{f"carried:{k}": v for k, v in CARRIED},
}
_COUNTRY_FIELDS = frozenset({"citizenships", "permanent_residence", "location_country", "partner_country",
                             "destination", "origin_country"})
_PREFIXED = {"item_type": "item", "channel": "channel", "carried": "carried"}


def intake_rows(kind: str, stored: dict[str, Any], language: str = "en") -> list[tuple[Any, str]]:
    """The answers kept with a case as (question, answer) rows in the user's language, in the form's order —
    for the case page and the memo (countries named, choices by their labels)."""
    lang = language if language in ("ja", "zh", "ko") else "en"
    rows: list[tuple[Any, str]] = []
    for name in KIND_FIELDS.get(kind, ()):
        value = stored.get(name)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        shown = []
        for item in values:
            if name in _COUNTRY_FIELDS:
                try:
                    shown.append(f"{country_name(str(item), lang)} ({item})")
                except (KeyError, ValueError):
                    shown.append(str(item))
            else:
                key = f"{_PREFIXED[name]}:{item}" if name in _PREFIXED else str(item)
                shown.append(str(_CHOICE_LABELS.get(key, item)))
        rows.append((FIELD_SPECS[name].label, ", ".join(shown)))
    return rows


__all__ = ["FIELD_SPECS", "KIND_FIELDS", "CountryInput", "FieldSpec", "initial_from_intake", "intake_rows"]
