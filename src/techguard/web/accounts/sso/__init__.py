"""Single sign-on: what every method (OIDC, SAML / 学認, LDAP) does with a signed-in user.

A user first seen through SSO gets a profile with the researcher role (an administrator raises it in the admin);
an existing profile's role is never changed by a sign-in. The department comes from the identity provider's
attribute named by TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE, matched to a department by its English or Japanese name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from techguard.web.accounts.models import Department, Profile, Role

log = logging.getLogger("techguard.web.sso")


def first_value(value: Any) -> str:
    """Identity providers send an attribute as a string or a list of strings (SAML, LDAP); take the first."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Iterable):
        for item in value:
            text = first_value(item)
            if text:
                return text
    return ""


def department_named(name: str) -> Department | None:
    if not name:
        return None
    found = Department.objects.filter(Q(name__iexact=name) | Q(name_ja=name)).first()
    if found is None and getattr(settings, "TECHGUARD_SSO_CREATE_DEPARTMENTS", False):
        found = Department.objects.create(name=name)
    return found


def provision(user: Any, *, method: str, department: str = "") -> Profile:
    """Give an SSO user a profile (researcher when new) and the department the identity provider names."""
    from techguard.web.audit.chain import record

    with transaction.atomic():
        profile, created = Profile.objects.get_or_create(
            user=user, defaults={"role": Role.ADMINISTRATOR if user.is_superuser else Role.RESEARCHER})
        mapped = department_named(department)
        changes: dict[str, Any] = {}
        if mapped is not None and profile.department_id != mapped.pk:
            changes["department"] = [str(profile.department) if profile.department else None, mapped.name]
            profile.department = mapped
            profile.save(update_fields=["department"])
        elif department and mapped is None:
            log.warning("%s sign-in of %s names department %r, which does not exist",
                        method, user.get_username(), department)
        if created:
            record("user.created", obj=user, changes={
                "username": user.get_username(), "role": profile.role, "method": method,
                "department": profile.department.name if profile.department else None,
            }, reason=f"first sign-in through {method}")
        elif changes:
            record("user.department_changed", obj=user, changes={**changes, "method": method},
                   reason=f"department attribute from {method}")
    return profile


__all__ = ["department_named", "first_value", "provision"]
