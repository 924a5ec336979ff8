"""OpenID Connect sign-in through mozilla-django-oidc (authorization-code flow, ID token checked)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from techguard.web.accounts.sso import first_value, provision


class OidcBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc ships no types
    """Users are found by e-mail (the library's rule); a new one is named by its preferred_username claim."""

    def get_username(self, claims: dict[str, Any]) -> str:
        claim = getattr(settings, "TECHGUARD_OIDC_USERNAME_CLAIM", "preferred_username")
        return first_value(claims.get(claim)) or first_value(claims.get("email")) or str(super().get_username(claims))

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel.objects.create_user(
            self.get_username(claims), email=claims.get("email", ""),
            first_name=first_value(claims.get("given_name"))[:150],
            last_name=first_value(claims.get("family_name"))[:150],
        )
        self._provision(user, claims)
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        self._provision(user, claims)
        return user

    def _provision(self, user: Any, claims: dict[str, Any]) -> None:
        claim = getattr(settings, "TECHGUARD_OIDC_DEPARTMENT_CLAIM", "department")
        provision(user, method="oidc", department=first_value(claims.get(claim)))


__all__ = ["OidcBackend"]
