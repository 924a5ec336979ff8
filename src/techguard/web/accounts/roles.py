"""Who may see and do what. Every object-level check in views and the API goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from techguard.web.accounts.models import Profile, Role


def profile_of(user: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"role": Role.ADMINISTRATOR if user.is_superuser else Role.RESEARCHER}
    )
    return profile


def role_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    if user.is_superuser:
        return Role.ADMINISTRATOR.value
    return str(profile_of(user).role)


def is_officer(user: Any) -> bool:
    return role_of(user) in {Role.OFFICER, Role.ADMINISTRATOR}


def is_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def visible_cases(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Researchers see their own cases; officers those of their departments (all when none assigned)."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset
    if role == Role.OFFICER:
        departments = list(profile_of(user).reviews_departments.values_list("pk", flat=True))
        if not departments:
            return queryset
        return queryset.filter(Q(department__in=departments) | Q(owner=user))
    return queryset.filter(owner=user)


def reviewed_departments(user: Any) -> list[int] | None:
    """The departments whose work this user may see beyond their own: ``None`` for all (administrators and
    officers with none assigned), ``[]`` for researchers."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return None
    if role == Role.OFFICER:
        departments = list(profile_of(user).reviews_departments.values_list("pk", flat=True))
        return departments or None
    return []


def visible_jobs(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Batch jobs (and so their results and downloads): one's own, and an officer's departments' members'."""
    departments = reviewed_departments(user)
    if departments is None:
        return queryset
    return queryset.filter(Q(owner=user) | Q(owner__profile__department__in=departments))


def visible_audit_events(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Audit events an officer may read: by members of the departments they review, about those departments'
    cases, or their own. Administrators and officers without assigned departments read all."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from techguard.web.cases.models import Case

    departments = reviewed_departments(user)
    if departments is None:
        return queryset
    members = Profile.objects.filter(department__in=departments).values("user_id")
    cases = (Case.objects.filter(department__in=departments).annotate(key=Cast("pk", CharField()))
             .values("key"))
    return queryset.filter(Q(actor_id=user.pk) | Q(actor_id__in=members)
                           | Q(object_type="cases.case", object_id__in=cases))


def can_view_case(user: Any, case: Any) -> bool:
    return visible_cases(user, type(case).objects.filter(pk=case.pk)).exists()


def can_review_case(user: Any, case: Any) -> bool:
    """Officers review cases in their remit, never their own."""
    if not is_officer(user) or case.owner_id == user.pk:
        return False
    return can_view_case(user, case)


def can_edit_case(user: Any, case: Any) -> bool:
    return case.owner_id == user.pk and case.is_editable


__all__ = [
    "can_edit_case",
    "can_review_case",
    "can_view_case",
    "is_admin",
    "is_officer",
    "profile_of",
    "reviewed_departments",
    "role_of",
    "visible_audit_events",
    "visible_cases",
    "visible_jobs",
]
