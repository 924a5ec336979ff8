"""Who may see and do what. Every object-level check in views and the API goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Q, QuerySet

from techguard.web.accounts.models import Profile, Role


def profile_of(user: Any) -> Profile:
    """The user's profile, for a change to it (created with the default role when missing: a write)."""
    profile = read_profile(user)
    if profile is None:
        profile, _ = Profile.objects.get_or_create(
            user=user, defaults={"role": Role.ADMINISTRATOR if user.is_superuser else Role.RESEARCHER}
        )
        user.profile = profile  # later reads in this request see it
    return profile


def read_profile(user: Any) -> Profile | None:
    """The user's profile read once per user object, never written: Django keeps the reverse one-to-one on the
    instance (a missing one as ``None``), and ``request.user`` is one instance for the whole request."""
    try:
        return user.profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


def role_of(user: Any) -> str:
    """The user's role; a user without a profile (made outside the app's own paths) reads as a researcher."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    if user.is_superuser:
        return Role.ADMINISTRATOR.value
    profile = read_profile(user)
    return str(profile.role) if profile is not None else Role.RESEARCHER.value


def is_officer(user: Any) -> bool:
    return role_of(user) in {Role.OFFICER, Role.ADMINISTRATOR}


def is_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def _reviewed_pks(user: Any) -> list[int]:
    """The departments an officer reviews, read once per user object."""
    cached: list[int] | None = getattr(user, "_techguard_reviews", None)
    if cached is None:
        profile = read_profile(user)
        cached = list(profile.reviews_departments.values_list("pk", flat=True)) if profile is not None else []
        user._techguard_reviews = cached
    return cached


def visible_cases(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Researchers see their own cases; officers those of their departments (all when none assigned).

    An officer's departments are a subquery of the same SQL statement, read with the rows (not a query of
    their own, nor a copy kept between requests)."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset
    if role == Role.OFFICER:
        reviewed = _reviewed_subquery(user)
        return queryset.filter(~Exists(reviewed) | Q(department__in=reviewed) | Q(owner=user))
    return queryset.filter(owner=user)


def _reviewed_subquery(user: Any) -> QuerySet[Any]:
    profile = read_profile(user)
    if profile is None:  # no profile: a researcher, who reviews nothing
        return Profile.reviews_departments.through.objects.none().values("department_id")
    return Profile.reviews_departments.through.objects.filter(profile_id=profile.pk).values("department_id")


def visible_case(user: Any, queryset: QuerySet[Any], pk: Any) -> Any:
    """The one object ``pk`` of ``queryset`` this user may see (None when there is none or it is not theirs to
    see). The object remembers for whom, as which owner and department, the database found it visible, so that
    :func:`can_view_case` on it needs no query of the officer's departments while those stay as loaded."""
    found = visible_cases(user, queryset).filter(pk=pk).first()
    if found is not None:
        found._techguard_visible_to = (user.pk, found.owner_id, found.department_id)
    return found


def reviewed_departments(user: Any) -> list[int] | None:
    """The departments whose work this user may see beyond their own: ``None`` for all (administrators and
    officers with none assigned), ``[]`` for researchers."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return None
    if role == Role.OFFICER:
        return _reviewed_pks(user) or None
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
    """The same rule as :func:`visible_cases`, on a loaded case (no query once the officer's departments are
    read, none at all for a case :func:`visible_case` found visible to this user as it still is)."""
    if getattr(case, "_techguard_visible_to", None) == (user.pk, case.owner_id, case.department_id):
        return True
    departments = reviewed_departments(user)
    if departments is None or case.owner_id == user.pk:
        return True
    return case.department_id in departments


def can_review_case(user: Any, case: Any) -> bool:
    """Officers review cases in their remit, never their own."""
    if not is_officer(user) or case.owner_id == user.pk:
        return False
    return bool(can_view_case(user, case))


def can_edit_case(user: Any, case: Any) -> bool:
    return bool(case.owner_id == user.pk and case.is_editable)


__all__ = [
    "can_edit_case",
    "can_review_case",
    "can_view_case",
    "is_admin",
    "is_officer",
    "profile_of",
    "read_profile",
    "reviewed_departments",
    "role_of",
    "visible_audit_events",
    "visible_case",
    "visible_cases",
    "visible_jobs",
]
