"""The hook the case workflow calls before recording a decision: may this case be approved yet?"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from techguard.web.training.status import training_status

APPROVALS = frozenset({"approved", "approved_with_conditions"})


def approval_blocker(researcher: User, decision: str) -> str | None:
    """Why an approval must wait (ja/en, in the active language), or None when it may go ahead."""
    if decision not in APPROVALS:
        return None
    status = training_status(researcher)
    if not status.required or status.current:
        return None
    name = researcher.get_full_name() or researcher.get_username()
    course = status.required_course or _("export-control training")
    if status.latest is not None and status.latest.expires_on is not None:
        return _("Approval is blocked: the training of %(name)s (%(course)s) expired on %(date)s. This organisation "
                 "requires current training before approval; record the renewed training first.") % {
            "name": name, "course": course, "date": status.latest.expires_on.isoformat()}
    return _("Approval is blocked: %(name)s has no %(course)s on record. This organisation requires current "
             "training before approval; record the training first.") % {"name": name, "course": course}


__all__ = ["APPROVALS", "approval_blocker"]
