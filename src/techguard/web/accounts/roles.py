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
    "role_of",
    "visible_cases",
]
