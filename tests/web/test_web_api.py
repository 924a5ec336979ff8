"""The REST API: OpenAPI schema, token auth, the case workflow, and a bounded schemathesis run."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from techguard.web.accounts.models import ApiToken


@pytest.fixture()
def token(users):
    return {name: ApiToken.issue(user, "test")[1] for name, user in users.items()}


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_openapi_schema_documents_every_endpoint(client, token):
    assert client.get("/api/openapi.json").status_code == 302  # behind login
    schema = client.get("/api/openapi.json", **_auth(token["alice"])).json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/screening/search", "/api/assess", "/api/cases", "/api/cases/{case_id}",
                 "/api/cases/{case_id}/submit", "/api/cases/{case_id}/decision"):
        assert path in paths, path
    assert "BearerAuth" in str(schema["components"]["securitySchemes"]) or "TokenAuth" in str(schema)
    decision = schema["components"]["schemas"]["DecisionIn"]["properties"]["decision"]
    assert set(decision["enum"]) == {"approved", "approved_with_conditions", "licence_needed", "rejected"}


def test_screening_search_reads_country_names_like_the_web(client, token):
    def best(country):
        response = client.post("/api/screening/search", {"name": "Harbin Engineering University", "country": country},
                               content_type="application/json", **_auth(token["alice"]))
        assert response.status_code == 200, response.content
        return response.json()[0]

    by_code, by_name = best("CN"), best("中国")
    assert by_name["party"]["name"] == by_code["party"]["name"] == "Harbin Engineering University"
    assert by_name["score"] == by_code["score"]
    assert "unresolved" in str(best("Korea")["explanation"])  # ambiguous: no country evidence, and said so


def test_screening_search(client, token):
    response = client.post("/api/screening/search", {"name": "西北工业大学"}, content_type="application/json",
                           **_auth(token["alice"]))
    assert response.status_code == 200
    best = response.json()[0]
    assert best["party"]["name"] == "Northwest Polytechnical University" and best["alert"] is True
    assert best["explanation"]
    from techguard.web.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="screening.searched")
    assert event.actor == "alice" and event.changes["via"] == "api" and event.changes["alerts"] >= 1


def test_assess_gives_both_jurisdictions_and_names_bad_fields(client, token):
    response = client.post("/api/assess", {"activity": {"activity": "publication", "item": {"type": "technology"}}},
                           content_type="application/json", **_auth(token["alice"]))
    assert response.status_code == 200
    body = response.json()
    assert body["us_ear"]["outcome"] and body["jp_fefta"]["outcome"]
    response = client.post("/api/assess", {"activity": {"activity": "export", "item": {"colour": "red"}}},
                           content_type="application/json", **_auth(token["alice"]))
    assert response.status_code == 400
    assert "item.colour" in response.json()["detail"]


def test_assess_body_has_the_activity_schema_and_answers_overall(client, token):
    # issue 10: the /assess body has a real schema (the activity model's own), the answer an overall line
    schema = client.get("/api/openapi.json", **_auth(token["alice"])).json()
    assess_in = schema["components"]["schemas"]["AssessIn"]["properties"]["activity"]
    assert "recipient" in assess_in["properties"] and assess_in["required"] == ["activity"]
    status = assess_in["properties"]["screening"]["items"]["properties"]["status"]
    assert status["enum"] == ["confirmed", "possible", "ruled_out"]
    response = client.post("/api/assess", {"activity": {"activity": "export", "item": {"type": "commodity"},
                                                        "from_country": "JP", "to_country": "北朝鮮",
                                                        "provider": {"country": "JP"}}},
                           content_type="application/json", **_auth(token["alice"]))
    body = response.json()
    assert body["jp_fefta"]["outcome"] == "approval_required" and body["overall"]["outcome"] == "required"


def test_case_workflow_over_the_api(client, token):
    facts = {"activity": "export", "from_country": "JP", "to_country": "CN",
             "item": {"type": "technology", "description": "process recipe"},
             "recipient": {"kind": "organisation", "name": "Harbin Engineering University"}}
    response = client.post("/api/cases", {"kind": "joint_research", "title": "API case", "facts": facts,
                                          "parties": [{"name": "Harbin Engineering University",
                                                       "role": "recipient", "country": "CN"}]},
                           content_type="application/json", **_auth(token["alice"]))
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "draft" and case["screening"][0]["alert"] is True
    assert case["assessment"]["us_ear"]["outcome"]
    response = client.post(f"/api/cases/{case['id']}/submit", **_auth(token["alice"]))
    assert response.json()["status"] == "submitted"
    assert client.post(f"/api/cases/{case['id']}/submit", **_auth(token["alice"])).status_code == 409
    body = {"decision": "licence_needed", "comment": "Entity List"}
    response = client.post(f"/api/cases/{case['id']}/decision", body, content_type="application/json",
                           **_auth(token["olga"]))
    assert response.status_code == 200 and response.json()["status"] == "licence_needed"
    response = client.post("/api/cases", {"kind": "shipping", "title": "bad", "facts": {"activity": "teleport"}},
                           content_type="application/json", **_auth(token["alice"]))
    assert response.status_code == 400 and "activity" in response.json()["detail"]


@contextmanager
def _keep_test_connection():
    """Like Django's test client: do not let request signals close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_errors(token, make_case, shared):
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    from techguard.catalogue import store
    from techguard.catalogue.build import build_from_dirs
    from techguard.web.wsgi import application

    make_case("alice")
    store.save(build_from_dirs([shared / "rules"]))  # /api/classification answers (without one: a declared 503)
    headers = {"Authorization": f"Bearer {token['olga']}"}
    failures: list[str] = []
    calls: list[int] = []
    with _keep_test_connection():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, headers=headers)
        for result in schema.get_all_operations():
            operation = result.ok()

            @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def check(case):
                response = case.call(headers=headers)
                calls.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{case.operation.label}: {response.status_code} {case.body!r}")

            check()
    assert failures == []
    assert len(calls) >= 40 and any(code < 300 for code in calls)


@pytest.mark.parametrize(("path", "body"), [
    ("/api/screening/search", {"name": "Harbin\x00"}),
    ("/api/assess", {"activity": {"activity": "publication", "item": {"description": "a\x00b"}}}),
    ("/api/cases", {"kind": "publication", "title": "t\x00", "facts": {"activity": "publication"}}),
])
def test_nul_characters_are_refused_not_crashed_on(client, token, path, body):
    response = client.post(path, body, content_type="application/json", **_auth(token["alice"]))
    assert response.status_code == 422
    assert "NUL" in response.content.decode()
