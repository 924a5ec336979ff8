"""Continuous re-screening: a list update that adds a listed party opens a review task on an approved visitor's
case, notifies the officers in their language and shows on the dashboard; kept decisions are not re-asked;
every source failing marks the update failed with each source's reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail

from techguard.lists.store import SnapshotStore
from techguard.lists.update import UpdateReport, UpdateStatus
from techguard.web.screening import jobs, rescreen, services
from techguard.web.screening.models import Counterparty, RescreenRun, ReviewTask

NEW_NAME = "Novosibirsk Quantum Optics Institute"


class _OfflineOr:
    """The real store, whose update() imports the given file instead of downloading (or fails offline)."""

    def __init__(self, store: SnapshotStore, file: Path | None) -> None:
        self.store, self.file = store, file

    def __getattr__(self, name):
        return getattr(self.store, name)

    def update(self, *args, **kwargs):
        if self.file is None:
            return [UpdateReport(code, UpdateStatus.FAILED, f"{code}: could not connect (offline)")
                    for code in ("us_csl", "us_ofac_sdn")]
        previous = self.store.active_info("watch")
        info = self.store.import_files([self.file], "simple_csv", source="watch")
        return [UpdateReport("watch", UpdateStatus.ACTIVATED, "activated", snapshot=info,
                             previous_id=previous.snapshot_id if previous else None)]


@pytest.fixture()
def store(tmp_path, monkeypatch):
    real = SnapshotStore(tmp_path / "lists")
    first = tmp_path / "v1.csv"
    first.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
    real.import_files([first], "simple_csv", source="watch")
    second = tmp_path / "v2.csv"
    second.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n"
                      f"2,{NEW_NAME},organisation,RU\n", encoding="utf-8")
    wrapper = _OfflineOr(real, second)
    monkeypatch.setattr(services, "snapshot_store", lambda: wrapper)
    monkeypatch.setattr(rescreen, "snapshot_store", lambda: wrapper)
    return wrapper


def _approved_visitor(make_case, **form):
    case = make_case(organisation=NEW_NAME, person_name="Pavel Orlov", citizenships="RU", **form)
    case.status = "approved"
    case.save(update_fields=["status"])
    return case


def test_list_update_opens_a_review_task_on_an_approved_visitors_case_and_notifies_officers(
        make_case, users, login, store):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["omar"]).update(language="ja")
    case = _approved_visitor(make_case)
    assert not ReviewTask.objects.filter(case=case).exists()  # nothing listed under that name yet
    mail.outbox.clear()
    job = jobs.enqueue_list_update(users["ada"])
    assert jobs.run_once("w").status == "done"
    task = ReviewTask.objects.get(case=case, status="open")
    assert task.entry_id == "2" and task.source == "watch" and task.trigger.startswith("list update watch")
    assert task.hit["party"]["snapshot_id"] == store.active_info("watch").snapshot_id
    run = RescreenRun.objects.get()
    assert run.changed_entries == 1 and run.new_tasks == 1 and run.parties >= 2
    to = {m.to[0]: m for m in mail.outbox}
    assert "olga@example.org" in to and "omar@example.org" in to
    assert NEW_NAME in to["olga@example.org"].body and "new potential matches" in to["olga@example.org"].subject
    assert "再スクリーニング" in to["omar@example.org"].body or "新たな" in to["omar@example.org"].subject
    assert NEW_NAME in login("olga").get("/dashboard/").content.decode()
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert f'id="case-task-{task.pk}"' in page and "task-decide-form" in page
    del job


def test_a_kept_decision_is_not_asked_again_and_nightly_looks_only_at_new_changes(make_case, users, login, store):
    case = _approved_visitor(make_case)
    # the same name written differently (case, hyphen): one normalised name, so one decision covers both
    party = Counterparty.objects.create(name="NOVOSIBIRSK QUANTUM-OPTICS INSTITUTE", country="RU",
                                        created_by=users["omar"])
    jobs.enqueue_list_update(users["ada"])
    jobs.run_once("w")
    task = ReviewTask.objects.get(case=case)
    assert ReviewTask.objects.filter(counterparty=party).exists()
    login("olga").post("/screening/hits/decide/", {"task": task.pk, "verdict": "false_positive",
                                                   "reason": "a different institute in Tomsk"})
    task.refresh_from_db()
    assert task.status == "done"
    ReviewTask.objects.filter(counterparty=party).delete()
    # the same change screened again (as if the hook ran twice): the decision covers the case's hit
    info = store.active_info("watch")
    older = next(h.snapshot_id for h in store.history("watch") if h.snapshot_id != info.snapshot_id)
    again = rescreen.run("test", [("watch", older, info.snapshot_id)])
    assert again.new_tasks == 0 and again.parties >= 2
    assert not ReviewTask.objects.filter(status="open").exists()
    other = Counterparty.objects.create(name="Novosibirsk Quantum Optics Inst", created_by=users["omar"])
    third = rescreen.run("test", [("watch", older, info.snapshot_id)])
    assert third.new_tasks == 1 and ReviewTask.objects.get(status="open").counterparty == other
    nightly = rescreen.run("nightly")  # nothing changed since the last run
    assert nightly.changed_entries == 0 and nightly.new_tasks == 0


def test_an_ended_stay_is_not_rescreened(make_case, store):
    case = _approved_visitor(make_case)
    case.facts = {**case.facts, "stay_until": "2001-01-31"}
    case.save(update_fields=["facts"])
    assert not any(s.key.startswith(f"case:{case.pk}:") for s in rescreen.active_subjects())


def test_update_with_every_source_failing_is_failed_with_each_reason(users, login, store):
    store.file = None
    job = jobs.enqueue_list_update(users["ada"])
    done = jobs.run_once("w")
    assert done.status == "failed"
    assert "us_csl: us_csl: could not connect" in done.error and "us_ofac_sdn" in done.error
    page = login("ada").get("/screening/lists/").content.decode()
    assert 'data-status="failed"' in page and "could not connect" in page
    assert not RescreenRun.objects.exists()
    del job


def test_nightly_cli_command(make_case, store, monkeypatch):
    from typer.testing import CliRunner

    from techguard.cli import app

    monkeypatch.setattr("techguard.web.bootstrap.setup", lambda: None)
    case = _approved_visitor(make_case)
    store.update()  # the new snapshot is active; nothing has re-screened it yet
    result = CliRunner().invoke(app, ["screening", "rescreen"])
    assert result.exit_code == 0, result.output
    assert "1 new review tasks" in result.output
    assert ReviewTask.objects.filter(case=case, status="open").count() == 1
