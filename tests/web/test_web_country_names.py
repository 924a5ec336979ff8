"""Pre-check forms take countries as officers type them (中国, 米国, "Korea, North") through the one resolver."""

from __future__ import annotations

import pytest
from django.utils import translation

from techguard.web.cases.forms import precheck_form
from techguard.web.cases.models import Case

JOINT = {"title": "MOU", "partner_name": "Harbin Engineering University", "description": "Joint sonar research"}


@pytest.mark.parametrize(("typed", "code"), [("中華人民共和国", "CN"), ("中国", "CN"), ("cn", "CN"),
                                             ("Russian Federation", "RU"), ("北朝鮮", "KP"), ("대한민국", "KR")])
def test_country_names_become_iso_codes(typed, code):
    form = precheck_form("joint_research", data={**JOINT, "partner_country": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["partner_country"] == code


@pytest.mark.parametrize("typed", ["Korea", "朝鮮"])
def test_an_ambiguous_name_is_refused_in_both_languages(typed):
    for language, words in (("en", "ambiguous"), ("ja", "複数の国")):
        with translation.override(language):  # the refusal comes in the user's language
            form = precheck_form("joint_research", data={**JOINT, "partner_country": typed})
            assert not form.is_valid()
            message = " ".join(form.errors["partner_country"])
        assert words in message and "KR" in message and "KP" in message


def test_an_unknown_name_is_refused():
    form = precheck_form("shipping", data={"title": "x", "item_type": "commodity", "description": "d",
                                           "consignee": "c", "destination": "Atlantis"})
    assert not form.is_valid()
    assert "unknown country 'Atlantis'" in " ".join(form.errors["destination"])


@pytest.mark.parametrize(("typed", "codes"), [("中国、米国", ["CN", "US"]), ("CN JP", ["CN", "JP"]),
                                              ("United States; Russia", ["US", "RU"]), ("", [])])
def test_citizenships_as_a_list(typed, codes):
    form = precheck_form("visitor", data={"title": "t", "person_name": "Li Wei", "citizenships": typed,
                                          "description": "Lab tour"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["citizenships"] == codes


def test_citizenships_refuse_an_ambiguous_entry():
    with translation.override("ja"):
        form = precheck_form("visitor", data={"title": "t", "person_name": "Kim", "citizenships": "JP, Korea",
                                              "description": "Lab tour"})
        assert not form.is_valid() and "複数の国" in " ".join(form.errors["citizenships"])


def test_a_case_from_a_japanese_country_name_is_assessed_with_the_code(login):
    response = login("alice").post("/cases/new/joint_research/", {**JOINT, "partner_country": "中華人民共和国"})
    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get()
    assert case.facts["to_country"] == "CN" and case.facts["recipient"]["location_country"] == "CN"
