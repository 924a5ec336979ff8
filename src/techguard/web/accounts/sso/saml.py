"""SAML 2.0 sign-in (学認 / Shibboleth IdPs) through djangosaml2 + pysaml2; signatures checked by xmlsec1."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from djangosaml2.backends import Saml2Backend

from techguard.web.accounts.sso import first_value, provision


class SamlBackend(Saml2Backend):  # type: ignore[misc]  # djangosaml2 ships no types
    """djangosaml2 creates or updates the user from SAML_ATTRIBUTE_MAPPING; we add the profile and department."""

    def _update_user(self, user: Any, attributes: dict[str, Any], attribute_mapping: dict[str, Any],
                     force_save: bool = False) -> Any:
        user = super()._update_user(user, attributes, attribute_mapping, force_save=force_save)
        names = getattr(settings, "TECHGUARD_SAML_DEPARTMENT_ATTRIBUTE", "ou").split(",")
        department = next((first_value(attributes.get(n.strip())) for n in names if attributes.get(n.strip())), "")
        provision(user, method="saml", department=department)
        return user


__all__ = ["SamlBackend"]
