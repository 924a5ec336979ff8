"""One table of bad pre-check answers, posted to the web form and to the API: both refuse, naming the same field
with the same message (issue 13: web and API accept and refuse the same things). Good answers are stored the
same way by both."""

from __future__ import annotations

import html

import pytest

from techguard.web.accounts.models import ApiToken
from techguard.web.cases.models import Case

BASE = {
    "visitor": {"person_name": "Li Wei", "citizenships": "CN", "description": "Lab tour"},
    "joint_research": {"partner_name": "Tokyo Partner", "partner_country": "DE", "description": "Sensors"},
    "shipping": {"item_type": "commodity", "description": "GaN wafers", "destination": "DE", "consignee": "IAF"},
    "travel": {"destination": "US", "description": "Laptop with my own papers"},
}

# (kind, bad answers, field, expected message — a part of it that must appear)
REFUSALS = [
    ("joint_research", {"partner_country": "Korea"}, "partner_country", "'Korea' is ambiguous"),
    ("joint_research", {"partner_country": "Korea"}, "partner_country", "複数の国"),
    ("shipping", {"destination": "Atlantis"}, "destination", "unknown country 'Atlantis'"),
    ("visitor", {"citizenships": "JP, 朝鮮"}, "citizenships", "複数の国"),
    ("visitor", {"stay_start": "2026-05-01", "stay_end": "2026-04-30"}, "stay_end",
     "the end of the stay is before its start / 滞在終了日が開始日より前になっています"),
    ("visitor", {"tokutei_income_share_percent": "120"}, "tokutei_income_share_percent",
     "must be a number from 0 to 100"),
    ("visitor", {"person_name": ""}, "person_name", "This field is required. / この項目は必須です。"),
    ("visitor", {"stay_start": "next spring"}, "stay_start", "expected a date YYYY-MM-DD"),
    ("visitor", {"employed_in_japan": "perhaps"}, "employed_in_japan", "'perhaps' is not one of"),
    ("travel", {"carried": ["laptop", "drone"]}, "carried", "'drone' is not one of"),
    ("shipping", {"origin_country": "Congo"}, "origin_country", "is ambiguous"),
]

# (kind, answers, where in the facts, the code stored)
ACCEPTED = [
    ("joint_research", {"partner_country": "China"}, ("to_country",), "CN"),
    ("joint_research", {"partner_country": "中国"}, ("to_country",), "CN"),
    ("shipping", {"origin_country": "米国"}, ("item", "origin_country"), "US"),
    ("visitor", {"citizenships": "中華人民共和国, 대한민국"}, ("recipient", "citizenships"), ["CN", "KR"]),
]


@pytest.fixture()
def api(client, users):
    token = ApiToken.issue(users["alice"], "refusals")[1]

    def post(kind: str, intake: dict):
        return client.post("/api/cases", {"kind": kind, "title": "t", "intake": intake},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    return post


def _web_errors(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("kind", "bad", "field", "message"), REFUSALS)
def test_web_and_api_refuse_alike(kind, bad, field, message, login, api):
    answers = {**BASE[kind], **bad}
    web = login("alice").post(f"/cases/new/{kind}/", {"title": "t", **answers})
    assert web.status_code == 200, "the web form accepted it"
    form = web.context["form"]
    web_message = " ".join(form.errors[field])
    assert message in web_message
    response = api(kind, {k: v for k, v in answers.items() if v != ""})
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert f"{field}: {web_message}" in detail  # the same field, the very same words
    assert not Case.objects.exists()


@pytest.mark.parametrize(("kind", "good", "path", "stored"), ACCEPTED)
def test_web_and_api_store_the_same_code(kind, good, path, stored, login, api):
    answers = {**BASE[kind], **good}
    assert login("alice").post(f"/cases/new/{kind}/", {"title": "t", **answers}).status_code == 302
    response = api(kind, answers)
    assert response.status_code == 201, response.content
    web_case, api_case = Case.objects.order_by("pk")
    for case in (web_case, api_case):
        value = case.facts
        for key in path:
            value = value[key]
        assert value == stored
    assert web_case.facts == api_case.facts and web_case.parties == api_case.parties


def test_api_wants_intake_or_facts(api, client, users):
    token = ApiToken.issue(users["alice"], "x")[1]
    response = client.post("/api/cases", {"kind": "visitor", "title": "t"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    response = client.post("/api/cases", {"kind": "visitor", "title": "t", "intake": BASE["visitor"],
                                          "facts": {"activity": "release"}},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
