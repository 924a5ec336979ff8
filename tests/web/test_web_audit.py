"""The audit trail is append-only in the database and its hash chain detects tampering."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from techguard.web.audit.chain import GENESIS, record, verify
from techguard.web.audit.models import AuditEvent


def test_chain_links_each_event_to_the_previous(users):
    first = record("test.one", user=users["alice"], changes={"a": 1})
    second = record("test.two", user=users["olga"], changes={"名前": "山田"}, reason="why")
    assert second.prev_hash == first.hash
    assert AuditEvent.objects.order_by("id").first().prev_hash == GENESIS
    assert second.role == "officer" and second.actor == "olga"
    assert verify().ok


def test_database_refuses_update_and_delete(users):
    event = record("test.one", user=users["alice"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def test_verify_finds_an_edited_row(users):
    record("test.one", user=users["alice"])
    target = record("test.two", user=users["alice"], reason="original")
    record("test.three", user=users["alice"])
    _drop_triggers()  # as an attacker with database access would; rolled back with the test
    AuditEvent.objects.filter(pk=target.pk).update(reason="rewritten")
    report = verify()
    assert not report.ok and report.first_bad_id == target.pk and "content" in report.problem


def test_verify_finds_a_removed_row(users):
    record("test.one", user=users["alice"])
    target = record("test.two", user=users["alice"])
    after = record("test.three", user=users["alice"])
    _drop_triggers()
    AuditEvent.objects.filter(pk=target.pk).delete()
    report = verify()
    assert not report.ok and report.first_bad_id == after.pk


def test_every_workflow_step_is_recorded(make_case, login):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    login("olga").post(f"/cases/{case.pk}/review/", {"decision": "rejected", "comment": "Entity List employer"})
    actions = list(AuditEvent.objects.filter(object_id=str(case.pk), object_type="cases.case")
                   .values_list("action", "actor", "role"))
    assert [a for a, _, _ in actions] == ["case.created", "case.checked", "case.submitted", "case.decided"]
    decided = AuditEvent.objects.get(action="case.decided", object_id=str(case.pk))
    assert decided.changes["status"] == ["submitted", "rejected"]
    assert decided.reason == "Entity List employer" and decided.role == "officer"
    assert verify().ok


def test_cli_audit_verify(users):
    from techguard.cli import app

    record("test.one", user=users["alice"])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    _drop_triggers()
    AuditEvent.objects.update(reason="x")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1


def test_retention_purge_is_itself_audited(make_case, login):
    import datetime as dt

    from django.utils import timezone

    from techguard.web.audit.retention import purge_expired
    from techguard.web.cases.models import Case

    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    login("olga").post(f"/cases/{case.pk}/review/", {"decision": "approved", "comment": "ok"})
    assert purge_expired(years=5) == []
    Case.objects.filter(pk=case.pk).update(decided_at=timezone.now() - dt.timedelta(days=6 * 365))
    assert purge_expired(years=5) == [case.reference]
    assert not Case.objects.filter(pk=case.pk).exists()
    purged = AuditEvent.objects.get(action="case.purged")
    assert purged.changes["reference"] == case.reference and len(purged.changes["sha256"]) == 64
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="case.created").exists()
    assert verify().ok


def test_nul_characters_are_recorded_escaped(users):
    event = record("test.nul", user=users["alice"], changes={"name": "a\x00b"})
    assert AuditEvent.objects.get(pk=event.pk).changes == {"name": "a\\u0000b"}
    assert verify().ok


def test_deep_diff_names_each_changed_fact_path():
    import copy

    from techguard.web.audit.chain import deep_diff

    facts = {"recipient": {"citizenships": ["CN"], "jp_residency": {}}, "item": {"eccn": "EAR99"}}
    before = copy.deepcopy({"status": "draft", "facts": facts})
    facts["recipient"]["citizenships"] = ["KR"]
    facts["recipient"]["jp_residency"]["entered_japan"] = "2026-01-01"
    assert deep_diff(before, {"status": "draft", "facts": facts}) == {
        "facts.recipient.citizenships": [["CN"], ["KR"]],
        "facts.recipient.jp_residency.entered_japan": [None, "2026-01-01"],
    }
    assert deep_diff(before, before) == {}
