"""Review tasks: every undecided alert or near-threshold hit on a case or a counterparty is one open task in the
officers' review queue; a decision closes the tasks it covers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from techguard.matching.hits import Hit, normalise_screened_name
from techguard.web.screening.decisions import needs_review
from techguard.web.screening.models import Counterparty, ReviewTask, TaskStatus

if TYPE_CHECKING:
    from techguard.web.cases.models import Case


def open_task(hit_json: dict[str, Any], *, case: Case | None = None, counterparty: Counterparty | None = None,
              trigger: str = "") -> tuple[ReviewTask, bool]:
    """The open task for this hit on this case/counterparty, created if there is none (never a duplicate)."""
    party = hit_json["party"]
    existing = ReviewTask.objects.filter(case=case, counterparty=counterparty, source=party["source"],
                                         entry_id=party["entry_id"], status=TaskStatus.OPEN)
    key = normalise_screened_name(hit_json.get("query_name", ""))
    for task in existing:
        if normalise_screened_name(task.screened_name) == key:
            return task, False
    task = ReviewTask.objects.create(
        case=case, counterparty=counterparty, screened_name=hit_json.get("query_name", ""), source=party["source"],
        entry_id=party["entry_id"], list_code=party["list"], score=float(hit_json["score"]), hit=hit_json,
        trigger=trigger,
    )
    return task, True


def sync_case_tasks(case: Case, screening: list[dict[str, Any]], trigger: str = "case check") -> int:
    """Open a task for each hit of the case that needs review; returns how many were new."""
    created = 0
    for party in screening:
        for match in party.get("matches", ()):
            if needs_review(match):
                created += open_task(match, case=case, trigger=trigger)[1]
    return created


def close_covered(hit: Hit, *, case: Case | None = None, counterparty: Counterparty | None = None) -> int:
    """Close the open tasks a decision on ``hit`` covers (same entry, same screened name)."""
    key = normalise_screened_name(hit.query_name)
    listings = [*hit.listings, *(x for r in hit.related for x in r.listings)]
    closed = 0
    for listing in listings:
        tasks: QuerySet[ReviewTask] = ReviewTask.objects.filter(source=listing.source, entry_id=listing.entry_id,
                                                                 status=TaskStatus.OPEN)
        for task in tasks:
            if normalise_screened_name(task.screened_name) == key:
                task.status = TaskStatus.DONE
                task.closed = timezone.now()
                task.save(update_fields=["status", "closed"])
                closed += 1
    return closed


__all__ = ["close_covered", "open_task", "sync_case_tasks"]
