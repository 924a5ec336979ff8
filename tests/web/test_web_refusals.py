"""One table of bad pre-check answers, posted to the web form and to the API: both refuse, naming the same field
with the same message (issue 13: web and API accept and refuse the same things). Good answers are stored the
same way by both."""

from __future__ import annotations

import pytest

from techguard.web.accounts.models import ApiToken
from techguard.web.cases.models import Case

BASE = {
    "visitor": {"person_name": "Li Wei", "citizenships": "CN", "description": "Lab tour"},
    "joint_research": {"partner_name": "Tokyo Partner", "partner_country": "DE", "description": "Sensors"},
    "shipping": {"item_type": "commodity", "description": "GaN wafers", "destination": "DE", "consignee": "IAF"},
    "travel": {"destination": "US", "description": "Laptop with my own papers"},
}

# (kind, bad answers, field, expected message in each language — a part of it that must appear)
REFUSALS = [
    ("joint_research", {"partner_country": "Korea"}, "partner_country",
     {"en": "'Korea' is ambiguous", "ja": "複数の国"}),
    ("shipping", {"destination": "Atlantis"}, "destination",
     {"en": "unknown country 'Atlantis'", "ja": "国名を判別できません: 「Atlantis」"}),
    ("visitor", {"citizenships": "JP, 朝鮮"}, "citizenships", {"en": "is ambiguous", "ja": "複数の国"}),
    ("visitor", {"stay_start": "2026-05-01", "stay_end": "2026-04-30"}, "stay_end",
     {"en": "the end of the stay is before its start", "ja": "滞在終了日が開始日より前になっています"}),
    ("visitor", {"tokutei_income_share_percent": "120"}, "tokutei_income_share_percent",
     {"en": "must be a number from 0 to 100", "ja": "0〜100 の数値を入力してください"}),
    ("visitor", {"person_name": ""}, "person_name", {"en": "This field is required.", "ja": "この項目は必須です。"}),
    ("visitor", {"stay_start": "next spring"}, "stay_start",
     {"en": "expected a date YYYY-MM-DD", "ja": "日付（YYYY-MM-DD）を入力してください"}),
    ("visitor", {"employed_in_japan": "perhaps"}, "employed_in_japan",
     {"en": "'perhaps' is not one of", "ja": "'perhaps' は選択肢"}),
    ("travel", {"carried": ["laptop", "drone"]}, "carried", {"en": "'drone' is not one of", "ja": "'drone' は選択肢"}),
    ("shipping", {"origin_country": "Congo"}, "origin_country", {"en": "is ambiguous", "ja": "複数の国"}),
]
# words of the other language that must not appear (each refusal speaks the user's language only)
OTHER_LANGUAGE = {"en": "国", "ja": "country"}

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

    def post(kind: str, intake: dict, language: str | None = None):
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        return client.post("/api/cases", {"kind": kind, "title": "t", "intake": intake},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers)

    return post


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("kind", "bad", "field", "messages"), REFUSALS)
def test_web_and_api_refuse_alike(kind, bad, field, messages, language, login, api, users):
    """Both answer in the user's language (their profile's, else the browser's Accept-Language) with the same
    words: the web form's error is the API's detail for that field."""
    profile = users["alice"].profile
    profile.language = language
    profile.save(update_fields=["language"])
    answers = {**BASE[kind], **bad}
    web = login("alice").post(f"/cases/new/{kind}/", {"title": "t", **answers}, HTTP_ACCEPT_LANGUAGE=language)
    assert web.status_code == 200, "the web form accepted it"
    web_message = " ".join(web.context["form"].errors[field])
    assert messages[language] in web_message
    assert OTHER_LANGUAGE[language] not in web_message and " / " not in web_message  # one language only
    response = api(kind, {k: v for k, v in answers.items() if v != ""})
    assert response.status_code == 400, response.content
    assert f"{field}: {web_message}" in response.json()["detail"]  # the same field, the very same words
    assert not Case.objects.exists()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_api_speaks_the_browser_language_without_a_profile_language(language, api, users):
    profile = users["alice"].profile
    profile.language = ""
    profile.save(update_fields=["language"])
    response = api("visitor", {**BASE["visitor"], "stay_start": "next spring"}, language=language)
    assert response.status_code == 400, response.content
    expected = {"en": "expected a date YYYY-MM-DD", "ja": "日付（YYYY-MM-DD）を入力してください"}[language]
    assert response.json()["detail"].startswith(f"stay_start: {expected}")


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
