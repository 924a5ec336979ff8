"""Operations: login throttling and failed-login audit, password validators (web and createadmin), security
headers and request ids, the API schema behind login, production logs, decided cases frozen."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from typer.testing import CliRunner

from techguard.web.audit.models import AuditEvent


def test_failed_logins_are_audited_and_throttled(users, settings):
    settings.TECHGUARD_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        page = client.post("/login/", {"username": "alice", "password": "wrong"}).content.decode()
        assert "Too many failed logins" not in page
    failures = AuditEvent.objects.filter(action="login.failed")
    assert failures.count() == 3 and failures.first().changes["username"] == "alice"
    response = client.post("/login/", {"username": "alice", "password": "correct horse battery staple"})
    assert response.status_code == 200 and "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password waits out the window
    assert failures.count() == 3  # refused attempts are not audited one by one (no flooding)
    other = Client().post("/login/", {"username": "bob", "password": "correct horse battery staple"})
    assert other.status_code == 302  # another account is not locked


def test_admin_login_is_throttled_too(users, settings):
    settings.TECHGUARD_LOGIN_MAX_FAILURES = 1
    client = Client()
    client.post("/admin/login/", {"username": "ada", "password": "wrong"})
    page = client.post("/admin/login/", {"username": "ada", "password": "correct horse battery staple"})
    assert "Too many failed logins" in page.content.decode()


@pytest.mark.parametrize("password", ["a", "12345678901234", "password123", "alice-password"[:5]])
def test_createadmin_refuses_weak_passwords(db, password):
    from django.contrib.auth import get_user_model

    from techguard.cli import app

    result = CliRunner().invoke(app, ["web", "createadmin", "--username", "root2", "--password", password])
    assert result.exit_code == 1 and "password refused" in result.output
    assert not get_user_model().objects.filter(username="root2").exists()
    ok = CliRunner().invoke(app, ["web", "createadmin", "--username", "root2", "--password", "Kq8#x-long-enough"])
    assert ok.exit_code == 0, ok.output


def test_security_headers_and_request_id(login):
    response = login("alice").get("/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    hostile = login("alice").get("/", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")
    assert hostile["X-Request-ID"] != "x\r\nSet-Cookie: a=b" and len(hostile["X-Request-ID"]) == 32


def test_api_schema_and_docs_need_login(login):
    anonymous = Client()
    assert anonymous.get("/api/openapi.json").status_code == 302
    assert anonymous.get("/api/docs").status_code == 302
    assert login("alice").get("/api/openapi.json").status_code == 200


def test_json_log_lines_carry_request_id_and_traceback():
    from techguard.web.observability import JsonFormatter, RequestIdFilter, _request_id

    token = _request_id.set("req-42")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                       ("/x",), exc_info=__import__("sys").exc_info())
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        _request_id.reset(token)
    assert line["request_id"] == "req-42" and line["level"] == "ERROR"
    assert line["message"] == "Internal Server Error: /x" and "RuntimeError: boom" in line["traceback"]


def test_production_settings_turn_on_hsts_and_proxy_header(tmp_path):
    from _scripts import run_scenario

    code = """
from django.conf import settings
print(settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE,
      settings.DATABASES["default"]["CONN_MAX_AGE"], settings.DATABASES["default"]["CONN_HEALTH_CHECKS"])
import logging; logging.getLogger("django.request").error("server error here")
"""
    done = run_scenario(code, tmp_path, TECHGUARD_ENV="production", TECHGUARD_SECRET_KEY="k" * 60,
                        TECHGUARD_ALLOWED_HOSTS="example.org", TECHGUARD_BEHIND_TLS_PROXY="1",
                        TECHGUARD_ADMIN_PASSWORD="unused-Kq8#x-pass")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True 600 True" in done.stdout
    logged = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any(entry["message"] == "server error here" and entry["logger"] == "django.request" for entry in logged)


def test_decided_case_is_frozen_recheck_opens_a_revision(make_case, login):
    from techguard.web.cases.models import Case

    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    login("olga").post(f"/cases/{case.pk}/review/", {"decision": "rejected", "comment": "Entity List"})
    case.refresh_from_db()
    assessment = case.assessment
    response = login("olga").post(f"/cases/{case.pk}/recheck/")
    case.refresh_from_db()
    assert case.assessment == assessment and case.status == "rejected"
    revision = Case.objects.exclude(pk=case.pk).get()
    assert response["Location"].rstrip("/").endswith(str(revision.pk))
    assert revision.owner == case.owner and revision.status == "draft" and revision.assessment is not None
    assert case.reference in revision.title
    assert AuditEvent.objects.filter(action="case.revision_opened", object_id=str(case.pk)).exists()


def test_web_serve_defaults_parse(db, monkeypatch):
    """`make run` calls `techguard web serve` with no options: the defaults must be valid (gunicorn, 2 per core)."""
    from techguard.cli import app
    from techguard.commands import web

    chosen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(web, "_run_gunicorn", lambda host, port, workers: chosen.append((host, port, workers)))
    monkeypatch.setattr("techguard.web.bootstrap.migrate", lambda verbosity=0: None)
    result = CliRunner().invoke(app, ["web", "serve", "--no-worker"])
    assert result.exit_code == 0, result.output
    assert chosen and chosen[0][:2] == ("127.0.0.1", 8000) and chosen[0][2] >= 2
