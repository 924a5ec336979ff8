"""Continuous re-screening of every active party after a list update and nightly.

Active parties: the named parties of open and approved cases (a visitor's case only while the stay lasts, a
joint-research case only while the research runs, when the case gives those dates), and every active
counterparty of the party master. They are screened against the entries the update added or changed
(``lists diff``), through a small index over just those entries (techguard.matching.rescreen). A new
alerting or near-threshold hit that no kept decision or allow-list entry covers opens a review task; each
officer whose remit it is gets one e-mail in their language; the dashboard lists open tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from techguard.lists.model import Party
from techguard.matching.rescreen import Subject, build_change_screener, changed_entries, rescreen
from techguard.web.audit.chain import record
from techguard.web.screening.decisions import annotate, needs_review
from techguard.web.screening.models import Counterparty, RescreenRun, ReviewTask
from techguard.web.screening.review import open_task
from techguard.web.screening.services import ScreeningUnavailable, get_screener, snapshot_refs, snapshot_store

log = logging.getLogger("techguard.web.rescreen")

ACTIVE_CASE_STATUSES = ("draft", "submitted", "returned", "under_review", "approved", "approved_with_conditions",
                        "licence_needed")
# Facts that end a case's need for re-screening when they lie in the past (when the case records them).
_END_FACTS = {"visitor": ("stay_until", "visit_end", "end_date"), "joint_research": ("research_end", "end_date")}


def _ended(kind: str, facts: dict[str, Any], today: dt.date) -> bool:
    for key in _END_FACTS.get(kind, ()):
        value = facts.get(key)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10]) < today
            except ValueError:
                continue
    return False


def active_subjects(today: dt.date | None = None) -> Iterator[Subject]:
    """Every party to keep screening, keyed ``case:<pk>:<party index>`` or ``party:<pk>``."""
    from techguard.web.cases.models import Case

    today = today or timezone.localdate()
    cases = Case.objects.filter(status__in=ACTIVE_CASE_STATUSES).values_list("pk", "kind", "facts", "parties")
    for pk, kind, facts, parties in cases.iterator(chunk_size=2000):
        if _ended(kind, facts or {}, today):
            continue
        for index, party in enumerate(parties or ()):
            if party.get("name"):
                yield Subject(f"case:{pk}:{index}", party["name"], party.get("kind") or None,
                              party.get("country") or None)
    rows = Counterparty.objects.filter(active=True).values_list("pk", "name", "kind", "country", "identifiers")
    for pk, name, kind, country, identifiers in rows.iterator(chunk_size=2000):
        ids = {i.get("type"): i.get("value") for i in identifiers or () if isinstance(i, dict)}
        yield Subject(f"party:{pk}", name, kind or None, country or None, ids.get("dob"),
                      ids.get("registration_no") or ids.get("passport"))


def _changes(changes: Sequence[tuple[str, str | None, str]]) -> tuple[list[Party], dict[str, str]]:
    """The added/changed entries for each (source, from snapshot, to snapshot); no from = the whole snapshot."""
    store = snapshot_store()
    entries: list[Party] = []
    seen: dict[str, str] = {}
    for source, from_id, to_id in changes:
        new = store.parties(source, to_id)
        if from_id is None:
            entries.extend(new)
        elif from_id != to_id:
            entries.extend(changed_entries(store.diff(source, from_id, to_id), new))
        seen[source] = to_id
    return entries, seen


def _since_last_run() -> list[tuple[str, str | None, str]]:
    """Nightly: every active snapshot against the one the last re-screen saw (or the one before it)."""
    store = snapshot_store()
    last = RescreenRun.objects.filter(finished__isnull=False).first()
    seen: dict[str, str] = dict(last.snapshots) if last else {}
    out: list[tuple[str, str | None, str]] = []
    for info in store.active():
        before = seen.get(info.source)
        if before == info.snapshot_id:
            continue
        if before is None:
            older = [h.snapshot_id for h in store.history(info.source) if h.snapshot_id != info.snapshot_id]
            before = older[0] if older else None
        out.append((info.source, before, info.snapshot_id))
    return out


def run(trigger: str, changes: Sequence[tuple[str, str | None, str]] | None = None) -> RescreenRun:
    """Re-screen every active party against ``changes`` (default: everything since the last run)."""
    changes = list(changes) if changes is not None else _since_last_run()
    entries, seen = _changes(changes)
    last = RescreenRun.objects.filter(finished__isnull=False).first()
    snapshots = {**(dict(last.snapshots) if last else {}), **seen}
    run_row = RescreenRun.objects.create(trigger=trigger[:64], snapshots=snapshots, changed_entries=len(entries))
    new_tasks: list[ReviewTask] = []
    parties = 0
    if entries:
        try:
            full = get_screener()
        except ScreeningUnavailable:
            full = None
        screener = build_change_screener(entries, weights_from=full)
        refs = snapshot_refs()
        subjects = _counting(active_subjects())
        for subject, hits in rescreen(subjects, screener, snapshots=refs):
            new_tasks.extend(_open_tasks(subject, [h.to_json() for h in hits], trigger))
        parties = subjects.count
    else:
        parties = sum(1 for _ in active_subjects())
    with transaction.atomic():
        RescreenRun.objects.filter(pk=run_row.pk).update(finished=timezone.now(), parties=parties,
                                                         new_tasks=len(new_tasks))
        record("screening.rescreened", changes={
            "trigger": trigger, "changes": [list(c) for c in changes], "changed_entries": len(entries),
            "parties": parties, "new_tasks": len(new_tasks)})
    run_row.refresh_from_db()
    if new_tasks:
        notify(new_tasks)
    return run_row


class _counting:
    """Counts the subjects the re-screen consumed (it streams them, so it cannot ask for a length)."""

    def __init__(self, items: Iterator[Subject]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Subject]:
        for item in self.items:
            self.count += 1
            yield item


def _open_tasks(subject: Subject, hits: list[dict[str, Any]], trigger: str) -> list[ReviewTask]:
    from techguard.web.cases.models import Case

    kind, pk, *_rest = subject.key.split(":")
    case = Case.objects.filter(pk=int(pk)).first() if kind == "case" else None
    counterparty = Counterparty.objects.filter(pk=int(pk)).first() if kind == "party" else None
    created = []
    for hit in annotate(hits, counterparty):
        if not needs_review(hit):
            continue  # a kept decision (or allow-list entry) covers it: never asked again
        task, new = open_task(hit, case=case, counterparty=counterparty, trigger=trigger[:64])
        if new:
            created.append(task)
    return created


def after_list_update(reports: Sequence[dict[str, Any]]) -> RescreenRun | None:
    """The list-update job's hook: re-screen against every source it activated."""
    changes = [(r["source"], r.get("previous_id"), r["snapshot_id"]) for r in reports
               if r.get("status") == "activated" and r.get("snapshot_id")]
    if not changes:
        return None
    return run("list update " + ", ".join(c[0] for c in changes), changes)


def notify(tasks: Sequence[ReviewTask]) -> int:
    """One e-mail per officer, in their language, naming the new tasks in their remit. Returns e-mails sent."""
    from techguard.web.accounts.models import Role
    from techguard.web.accounts.roles import can_review_case
    from techguard.web.cases.workflow import _send  # the project's one mail helper (language-aware)

    officers = get_user_model().objects.filter(is_active=True).filter(
        Q(profile__role__in=[Role.OFFICER, Role.ADMINISTRATOR]) | Q(is_superuser=True)).distinct()
    sent = 0
    for officer in officers:
        mine = [t for t in tasks if t.case is None or can_review_case(officer, t.case)]
        if mine and officer.email:
            _send(officer, "rescreen", {"tasks": mine, "count": len(mine)})
            sent += 1
    return sent


def open_tasks_for(user: User) -> QuerySet[ReviewTask]:
    """Open review tasks in the user's remit (for the dashboard)."""
    from techguard.web.accounts.roles import visible_cases
    from techguard.web.cases.models import Case

    tasks = ReviewTask.objects.filter(status="open").select_related("case", "counterparty")
    return tasks.filter(Q(case__isnull=True) | Q(case__in=visible_cases(user, Case.objects.all())))


__all__ = ["ACTIVE_CASE_STATUSES", "active_subjects", "after_list_update", "notify", "open_tasks_for", "run"]
