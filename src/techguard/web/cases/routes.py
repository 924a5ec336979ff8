"""Approval routes (決裁ルート): which steps a case passes before its decision, and the 決裁欄 of one case.

The route is the case department's active route, else the organisation's default route (an active route with
no department; the oldest if there are several), else one built-in step, 最終判断 / Final decision, signed by
any officer. Each submission is a new round: after a 差戻し the route starts again from its first step, and the
earlier rounds' boxes stay on the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from techguard.web.accounts.models import Role
from techguard.web.cases.models import ApprovalOutcome, ApprovalRoute, ApprovalStep, Case, CaseApproval


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    role: str  # accounts.Role value: who may sign
    pk: int | None = None  # None for the built-in step

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


DEFAULT_STEP = Step(order=1, label="最終判断 / Final decision", role=Role.OFFICER.value)


def _chosen_route(department: Any) -> Coalesce:
    """The pk of the route a case of ``department`` (a value or an ``OuterRef``) follows, as one SQL expression:
    the department's active route, else the oldest active route with no department."""
    active = ApprovalRoute.objects.filter(active=True).order_by("pk").values("pk")
    return Coalesce(Subquery(active.filter(department=department)[:1]),
                    Subquery(active.filter(department__isnull=True)[:1]))


def with_route(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with each case's route chosen in the same query (read by :func:`route_of`)."""
    return cases.annotate(approval_route_pk=_chosen_route(OuterRef("department")),
                          approval_route_for=F("department"))


def route_of(case: Case) -> tuple[str, list[Step]]:
    """The route's name and steps, in order: one query (none when the case was loaded :func:`with_route` and
    no route applies)."""
    if hasattr(case, "approval_route_pk") and getattr(case, "approval_route_for", None) == case.department_id:
        chosen: Any = case.approval_route_pk
        rows = list(ApprovalStep.objects.filter(route_id=chosen).select_related("route")) if chosen else []
    else:  # a case loaded without its route, or whose department changed since
        department = case.department_id if case.department_id is not None else -1  # -1: no department's pk
        rows = list(ApprovalStep.objects.filter(route_id=_chosen_route(department)).select_related("route"))
    if not rows:
        return "", [DEFAULT_STEP]
    steps = sorted((Step(s.order, s.label, s.role, s.pk) for s in rows), key=lambda s: s.order)
    return rows[0].route.name, steps


def round_approvals(case: Case) -> list[CaseApproval]:
    return list(case.approvals.filter(round=case.review_round).select_related("user"))


def next_step(case: Case, steps: list[Step], approvals: list[CaseApproval]) -> Step | None:
    """The first step of the route not yet approved in this round (None when all are)."""
    approved = {a.order for a in approvals if a.outcome == ApprovalOutcome.APPROVED}
    return next((s for s in steps if s.order not in approved), None)


@dataclass(frozen=True)
class Box:
    """One row of the 決裁欄: a step and, once signed, who signed it, when and how."""

    step: Step
    approval: CaseApproval | None
    current: bool


def board(case: Case) -> dict[str, Any]:
    """The 決裁欄 of the case's current round (a 差戻し shows in the box of the step that returned it), and the
    boxes signed in earlier rounds."""
    name, steps = route_of(case)
    every = list(case.approvals.select_related("user").order_by("round", "signed_at", "pk"))
    approvals = [a for a in every if a.round == case.review_round]
    pending = next_step(case, steps, approvals) if case.is_in_review else None
    latest: dict[int, CaseApproval] = {}
    for approval in approvals:  # ordered by signing time: a re-decision replaces the box's earlier signature
        latest[approval.order] = approval
    boxes = [Box(step, latest.get(step.order), pending is not None and step.order == pending.order)
             for step in steps]
    earlier = [a for a in every if a.round != case.review_round]
    return {"route_name": name, "boxes": boxes, "earlier": earlier, "pending": pending, "steps": steps,
            "approvals": approvals,
            "is_final": pending is not None and pending.order == steps[-1].order}


__all__ = ["DEFAULT_STEP", "Box", "Step", "board", "next_step", "round_approvals", "route_of", "with_route"]
