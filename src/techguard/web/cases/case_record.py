"""The case page's "Record" and "Comments" sections, both from one query of the case's audit events.

Every comment on a case is written in the same transaction as an audit event holding its text (``workflow``:
``add_comment``, ``withdraw``, ``return_case``, ``decide``), so the page reads the comments from the
tamper-evident record instead of querying the ``Comment`` rows a second time. ``COMMENT_TEXT`` names those
events; a test checks that the two always agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from techguard.web.audit.models import AuditEvent

# action -> where the event keeps the comment's text
COMMENT_TEXT: dict[str, Callable[[AuditEvent], str]] = {
    "case.commented": lambda event: str((event.changes or {}).get("comment", "")),
    "case.withdrawn": lambda event: event.reason,
    "case.returned": lambda event: event.reason,
    "case.decided": lambda event: event.reason,
}


@dataclass(frozen=True)
class CaseComment:
    author: str  # the username, as the event's actor
    created: datetime
    text: str


def case_events(case: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)))


def comments_in(events: Iterable[AuditEvent]) -> list[CaseComment]:
    """The case's comments, oldest first, from its events (ordered by id, so in the order they were written)."""
    return [CaseComment(event.actor, event.at, COMMENT_TEXT[event.action](event))
            for event in events if event.action in COMMENT_TEXT]


__all__ = ["COMMENT_TEXT", "CaseComment", "case_events", "comments_in"]
