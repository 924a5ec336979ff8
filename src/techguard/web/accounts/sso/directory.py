"""LDAP / Active Directory sign-in through django-auth-ldap (bind as the user, read the entry's attributes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_auth_ldap.backend import LDAPBackend

from techguard.web.accounts.sso import first_value, provision


class LdapBackend(LDAPBackend):  # type: ignore[misc]  # django-auth-ldap ships no types
    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            attribute = getattr(settings, "TECHGUARD_LDAP_DEPARTMENT_ATTRIBUTE", "ou")
            provision(user, method="ldap", department=first_value((ldap_user.attrs or {}).get(attribute, [])))
        return user


__all__ = ["LdapBackend"]
