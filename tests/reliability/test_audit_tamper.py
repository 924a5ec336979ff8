"""Each way of rewriting the audit trail as the database owner (triggers dropped) is detected by verify:
delete the tail, edit + re-hash, delete + re-hash, truncate, a gap. Runs on SQLite and, with DATABASE_URL,
on PostgreSQL. The attacker has the database but not the audit key nor the checkpoint file."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.db import connection

from techguard.web.audit import chain
from techguard.web.audit.models import AuditEvent

WRONG_KEY = b"an attacker's guess at the key, 32+ chars"


@pytest.fixture()
def trail(users, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.TECHGUARD_AUDIT_KEY_FILE = str(tmp_path / "audit-key")
    settings.TECHGUARD_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    events = []
    for n in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            events.append(chain.record(f"test.{n}", user=users["alice"], changes={"n": n}, reason=f"step {n}"))
    report = chain.verify()
    assert report.ok and report.warnings == () and report.events >= 6, report
    _drop_triggers()  # as the table owner can; rolled back with the test
    return events


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def _rehash_from(first_id: int, how: str) -> None:
    """Relink and re-hash every event from ``first_id`` on, the best an attacker without the key can do."""
    previous = AuditEvent.objects.filter(pk__lt=first_id).order_by("-id").values_list("hash", flat=True).first()
    previous = previous or chain.GENESIS
    for event in AuditEvent.objects.filter(pk__gte=first_id).order_by("id"):
        event.prev_hash = previous
        if how == "sha256":
            event.keyed = False
            event.hash = hashlib.sha256(chain._canonical(event)).hexdigest()
        else:
            event.hash = hmac.new(WRONG_KEY, chain._canonical(event), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash, keyed=event.keyed)
        previous = event.hash


def test_delete_tail_is_detected(trail):
    AuditEvent.objects.filter(pk__gte=trail[-2].pk).delete()
    report = chain.verify()
    assert not report.ok and "removed from the end" in report.problem
    assert report.first_bad_id == trail[-1].pk


@pytest.mark.parametrize("how", ["sha256", "wrong-key"])
def test_edit_and_rehash_is_detected(trail, how):
    AuditEvent.objects.filter(pk=trail[2].pk).update(reason="nothing happened")
    _rehash_from(trail[2].pk, how)
    report = chain.verify()
    assert not report.ok and report.first_bad_id == trail[2].pk, report


@pytest.mark.parametrize("how", ["sha256", "wrong-key"])
def test_delete_and_rehash_is_detected(trail, how):
    AuditEvent.objects.filter(pk=trail[2].pk).delete()
    _rehash_from(trail[3].pk, how)
    report = chain.verify()
    assert not report.ok and report.first_bad_id == trail[3].pk, report


def test_truncate_is_detected(trail):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    report = chain.verify()
    assert not report.ok and "removed from the end" in report.problem


def test_gap_without_rehash_is_detected(trail):
    AuditEvent.objects.filter(pk=trail[3].pk).delete()
    report = chain.verify()
    assert not report.ok and report.first_bad_id == trail[4].pk and "prev_hash" in report.problem


def test_forged_checkpoint_line_is_detected(trail, settings):
    from pathlib import Path

    path = Path(settings.TECHGUARD_AUDIT_CHECKPOINT_FILE)
    lines = path.read_text(encoding="utf-8").splitlines()
    forged = json.loads(lines[-1]) | {"hash": "0" * 64}
    path.write_text("\n".join([*lines, json.dumps(forged)]) + "\n", encoding="utf-8")
    report = chain.verify()
    assert not report.ok and "wrong signature" in report.problem


def test_incremental_verification_sees_new_tampering_and_truncation(trail, tmp_path):
    state = tmp_path / "verified.json"
    assert chain.verify_incremental(state).ok
    assert json.loads(state.read_text())["id"] == trail[-1].pk
    AuditEvent.objects.filter(pk=trail[-1].pk).delete()  # the event the page last verified, and the tail
    report = chain.verify_incremental(state)
    assert not report.ok and "removed from the end" in report.problem


def test_untampered_trail_verifies_and_cli_reports_break(trail):
    from typer.testing import CliRunner

    from techguard.cli import app

    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
    AuditEvent.objects.filter(pk=trail[-1].pk).delete()
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "removed from the end" in result.output


def test_incremental_check_reads_only_the_end_of_a_long_checkpoint_file(trail, settings, tmp_path):
    from pathlib import Path

    state = tmp_path / "verified.json"
    assert chain.verify_incremental(state).ok  # the first visit verifies everything
    path = Path(settings.TECHGUARD_AUDIT_CHECKPOINT_FILE)
    newest = path.read_text(encoding="utf-8")
    old_line = json.dumps({"id": 0, "hash": "0" * 64, "sig": "x" * 64}) + "\n"  # a forged line long ago
    valid_old = newest.splitlines(keepends=True)[0]  # a genuine checkpoint of an early event, many times over
    path.write_text(old_line + valid_old * 2_000 + newest, encoding="utf-8")
    assert chain.verify_incremental(state).ok  # later visits: new events and the file's tail only
    report = chain.verify()  # the full check reads every line
    assert not report.ok and "line 1 has a wrong signature" in report.problem
