"""Reporting over cases: the filter form, counts computed in the database, and export rows.

Countries are read from the facts JSON in the database on SQLite and PostgreSQL alike: single values with a key
lookup (``facts__to_country``), the list of citizenships as the JSON text of the array (``KT``) searched for the
quoted code (``"CN"``) — both databases render a JSON array of strings with each string in double quotes, and
the code searched for is a validated ISO code, so the match is exact. (``__contains`` on a JSON array would be
the PostgreSQL way but SQLite does not support it.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from techguard.text.countries import CountryError, country_name, resolve_country
from techguard.web.accounts.models import Department
from techguard.web.accounts.roles import visible_cases
from techguard.web.cases.labels import OUTCOME_LABELS, outcome_label
from techguard.web.cases.models import Case, CaseKind, CaseStatus

# Outcome codes of the engine (rules.result) with readable English msgids; the .po file gives the Japanese.
OUTCOME_SIDES = {"us": "assessment__us_ear__outcome", "jp": "assessment__jp_fefta__outcome",
                 "overall": "assessment__overall__outcome"}


def _language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in {"en", "ja", "zh", "ko"} else "en"


def country_label(code: str) -> str:
    """An ISO code as one name in the user's language (placeholders and unknown codes as written)."""
    if not code:
        return "—"
    try:
        return f"{country_name(code, _language())} ({code})"
    except (KeyError, ValueError):
        return code


def department_label(name: str | None, name_ja: str | None) -> str:
    if not name:
        return "—"
    return name_ja if name_ja and _language() == "ja" else name


def _outcome_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *OUTCOME_LABELS.items()]


class ReportFilter(forms.Form):
    date_field = forms.ChoiceField(
        label=gettext_lazy("Period of"), required=False,
        choices=[("created", gettext_lazy("Created")), ("submitted", gettext_lazy("Submitted"))])
    date_from = forms.DateField(label=gettext_lazy("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(label=gettext_lazy("Department"), queryset=Department.objects.all(),
                                        required=False, empty_label="—")
    country = forms.CharField(
        label=gettext_lazy("Country"), required=False, max_length=60,
        help_text=gettext_lazy("Destination, partner or citizenship; a code or a name (CN, 中国, China)."))
    kind = forms.ChoiceField(label=gettext_lazy("Activity"), required=False,
                             choices=[("", "—"), *CaseKind.choices])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", "—"), *CaseStatus.choices])
    us_outcome = forms.ChoiceField(label=gettext_lazy("US EAR outcome"), required=False, choices=_outcome_choices)
    jp_outcome = forms.ChoiceField(label=gettext_lazy("Japan FEFTA outcome"), required=False,
                                   choices=_outcome_choices)
    overall_outcome = forms.ChoiceField(label=gettext_lazy("Overall outcome"), required=False,
                                        choices=_outcome_choices)

    def clean_country(self) -> str:
        text = self.cleaned_data.get("country", "").strip()
        if not text:
            return ""
        try:
            return resolve_country(text)
        except CountryError as exc:
            raise forms.ValidationError(_("Country: %(error)s") % {"error": exc}) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


def with_countries(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Each case's countries as text columns, read in the database."""
    annotated: QuerySet[Any] = queryset.annotate(
        destination=KT("facts__to_country"), partner=KT("facts__recipient__location_country"),
        citizenships=KT("facts__recipient__citizenships"), end_user_country=KT("facts__end_user__country"),
    )
    return annotated


def filtered_cases(user: Any, data: dict[str, Any]) -> QuerySet[Any]:
    """The cases ``user`` may see, narrowed by a valid :class:`ReportFilter`'s ``cleaned_data``."""
    cases = with_countries(visible_cases(user, Case.objects.all()))
    date_field = "submitted_at" if data.get("date_field") == "submitted" else "created"
    if data.get("date_from"):
        cases = cases.filter(**{f"{date_field}__date__gte": data["date_from"]})
    if data.get("date_to"):
        cases = cases.filter(**{f"{date_field}__date__lte": data["date_to"]})
    if data.get("department"):
        cases = cases.filter(department=data["department"])
    for name in ("kind", "status"):
        if data.get(name):
            cases = cases.filter(**{name: data[name]})
    for side, path in OUTCOME_SIDES.items():
        if data.get(f"{side}_outcome"):
            cases = cases.filter(**{path: data[f"{side}_outcome"]})
    code = data.get("country")
    if code:
        # key lookups on the JSON (an exact match on a KT annotation compares with JSON on SQLite)
        cases = cases.filter(Q(facts__to_country=code) | Q(facts__recipient__location_country=code)
                             | Q(facts__end_user__country=code) | Q(citizenships__contains=f'"{code}"'))
    return cases


def _counts(cases: QuerySet[Any], expression: Any) -> list[tuple[Any, int]]:
    rows = (cases.order_by().annotate(key=expression).values("key").annotate(n=Count("pk")).order_by("-n", "key"))
    return [(row["key"], row["n"]) for row in rows]


def _by_country(counts: list[tuple[Any, int]]) -> list[tuple[str, int]]:
    """Grouped counts per country code; a value stored as a name before countries were typed (中国, China) is
    merged into its code's bar (the few grouped rows are merged here, never the cases)."""
    merged: dict[str, int] = {}
    for value, n in counts:
        text = str(value or "")
        try:
            code = resolve_country(text) if text else ""
        except CountryError:
            code = text
        merged[code] = merged.get(code, 0) + n
    return [(country_label(code), n) for code, n in sorted(merged.items(), key=lambda item: (-item[1], item[0]))]


def aggregates(cases: QuerySet[Any]) -> dict[str, list[tuple[str, int]]]:
    """Counts per status, activity, department, country and outcome — each one GROUP BY in the database."""
    statuses, kinds = dict(CaseStatus.choices), dict(CaseKind.choices)
    departments = [
        (department_label(row["department__name"], row["department__name_ja"]), row["n"])
        for row in cases.order_by().values("department__name", "department__name_ja")
        .annotate(n=Count("pk")).order_by("-n", "department__name")
    ]
    return {
        "status": [(str(statuses.get(k, k)), n) for k, n in _counts(cases, F("status"))],
        "kind": [(str(kinds.get(k, k)), n) for k, n in _counts(cases, F("kind"))],
        "department": departments,
        "destination": _by_country(_counts(cases, KT("facts__to_country"))),
        "citizenship": _by_country(_counts(cases, KT("facts__recipient__citizenships__0"))),
        **{f"{side}_outcome": [(outcome_label(k) or "—", n) for k, n in _counts(cases, KT(path))]
           for side, path in OUTCOME_SIDES.items()},
    }


EXPORT_HEADER = ["reference", "title", "kind", "status", "department", "researcher", "us_outcome", "jp_outcome",
                 "overall_outcome", "countries", "created", "submitted", "decided", "decision", "decided_by",
                 "conditions"]


def _countries_of(row: Any) -> list[str]:
    codes: list[str] = []
    listed = json.loads(row.citizenships) if row.citizenships else []
    for code in [row.destination, row.partner, *(listed if isinstance(listed, list) else []),
                 row.end_user_country]:
        if code and code not in codes:
            codes.append(str(code))
    return codes


def export_rows(cases: QuerySet[Any]) -> Iterator[list[Any]]:
    """One row per case in :data:`EXPORT_HEADER` order, read in chunks (the JSON columns are not loaded)."""
    rows = (cases.select_related("owner", "department", "decided_by")
            .annotate(us=KT(OUTCOME_SIDES["us"]), jp=KT(OUTCOME_SIDES["jp"]), overall=KT(OUTCOME_SIDES["overall"]))
            .defer("facts", "parties", "assessment", "screening").order_by("-created", "-pk"))
    decisions = {str(s.value) for s in (CaseStatus.APPROVED, CaseStatus.APPROVED_WITH_CONDITIONS,
                                         CaseStatus.LICENCE_NEEDED, CaseStatus.REJECTED)}
    for case in rows.iterator(chunk_size=500):
        yield [
            case.reference, case.title, case.kind, case.status,
            case.department.name if case.department else "", case.owner.get_username(),
            case.us or "", case.jp or "", case.overall or "", " ".join(_countries_of(case)),
            case.created.date().isoformat(),
            case.submitted_at.date().isoformat() if case.submitted_at else "",
            case.decided_at.date().isoformat() if case.decided_at else "",
            case.status if case.status in decisions else "",
            case.decided_by.get_username() if case.decided_by else "", case.conditions,
        ]
