"""Single sign-on settings read from the environment: OIDC, SAML (学認 / Shibboleth) and LDAP.

Imported by ``settings.py`` (so no model may be imported here). Each method is off until its variables are set;
then its library must be installed, else start-up stops with an error saying what to install — never a silent
fall back to local passwords only. Local accounts (the first administrator, invited users) always keep working.

Environment (see docs/admin-guide.md):
  TECHGUARD_SITE_URL                 the address users open, e.g. https://techguard.example.ac.jp (links in e-mail)
  TECHGUARD_OIDC_CLIENT_ID / _CLIENT_SECRET / _AUTHORIZATION_ENDPOINT / _TOKEN_ENDPOINT / _USERINFO_ENDPOINT
  TECHGUARD_OIDC_JWKS_ENDPOINT       needed for RS256/ES256 ID tokens (TECHGUARD_OIDC_SIGN_ALGO, default RS256)
  TECHGUARD_OIDC_SCOPES              default "openid email profile"
  TECHGUARD_SAML_IDP_METADATA        the IdP (or federation) metadata: a local file or an https URL
  TECHGUARD_SAML_SP_KEY / _SP_CERT   the service provider's key and certificate (PEM files)
  TECHGUARD_SAML_ENTITY_ID           default SITE_URL + /saml2/metadata/
  TECHGUARD_LDAP_SERVER_URI          e.g. ldaps://ldap.example.ac.jp
  TECHGUARD_LDAP_USER_DN_TEMPLATE    e.g. uid=%(user)s,ou=people,dc=example,dc=ac,dc=jp (or _USER_SEARCH_BASE)
  TECHGUARD_LDAP_BIND_DN / _BIND_PASSWORD / _START_TLS / _USER_SEARCH_FILTER
  TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE  the claim / attribute naming the user's department (per method defaults)
  TECHGUARD_SSO_CREATE_DEPARTMENTS   "1": create a department an SSO user names that does not exist yet
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _require(module: str, extra: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ImproperlyConfigured(
            f"{what} is configured but the Python package {module!r} is not installed: "
            f"pip install 'techguard[{extra}]'"
        )


def site_url(production: bool, allowed_hosts: list[str]) -> str:
    """The absolute address of the app; e-mail links start with it."""
    given = _env("TECHGUARD_SITE_URL").rstrip("/")
    if given:
        if not given.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"TECHGUARD_SITE_URL must start with http:// or https://, got {given!r}")
        return given
    if production:
        return f"https://{allowed_hosts[0].lstrip('.')}"  # ".example.ac.jp" allows subdomains; use the domain
    return "http://127.0.0.1:8000"


@dataclass
class SsoSettings:
    """What settings.py adds: apps, middleware, authentication backends, URL prefixes and the libraries' settings."""

    apps: list[str] = field(default_factory=list)
    middleware: list[str] = field(default_factory=list)
    backends: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)  # "oidc", "saml", "ldap": login page buttons, URLs
    values: dict[str, Any] = field(default_factory=dict)


def _oidc(out: SsoSettings) -> None:
    if not _env("TECHGUARD_OIDC_CLIENT_ID"):
        return
    _require("mozilla_django_oidc", "sso", "OIDC (TECHGUARD_OIDC_CLIENT_ID)")
    missing = [name for name in ("CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT")
               if not _env(f"TECHGUARD_OIDC_{name}")]
    if missing:
        raise ImproperlyConfigured("OIDC needs " + ", ".join(f"TECHGUARD_OIDC_{m}" for m in missing))
    algo = _env("TECHGUARD_OIDC_SIGN_ALGO", "RS256")
    if algo.startswith(("RS", "ES")) and not _env("TECHGUARD_OIDC_JWKS_ENDPOINT"):
        raise ImproperlyConfigured(f"OIDC with {algo} ID tokens needs TECHGUARD_OIDC_JWKS_ENDPOINT")
    out.apps.append("mozilla_django_oidc")
    out.backends.append("techguard.web.accounts.sso.oidc.OidcBackend")
    out.methods.append("oidc")
    out.values.update(
        OIDC_RP_CLIENT_ID=_env("TECHGUARD_OIDC_CLIENT_ID"),
        OIDC_RP_CLIENT_SECRET=_env("TECHGUARD_OIDC_CLIENT_SECRET"),
        OIDC_OP_AUTHORIZATION_ENDPOINT=_env("TECHGUARD_OIDC_AUTHORIZATION_ENDPOINT"),
        OIDC_OP_TOKEN_ENDPOINT=_env("TECHGUARD_OIDC_TOKEN_ENDPOINT"),
        OIDC_OP_USER_ENDPOINT=_env("TECHGUARD_OIDC_USERINFO_ENDPOINT"),
        OIDC_OP_JWKS_ENDPOINT=_env("TECHGUARD_OIDC_JWKS_ENDPOINT") or None,
        OIDC_RP_SIGN_ALGO=algo,
        OIDC_RP_SCOPES=_env("TECHGUARD_OIDC_SCOPES", "openid email profile"),
        TECHGUARD_OIDC_DEPARTMENT_CLAIM=_env("TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE", "department"),
        TECHGUARD_OIDC_USERNAME_CLAIM=_env("TECHGUARD_OIDC_USERNAME_CLAIM", "preferred_username"),
    )


def _saml(out: SsoSettings, site: str) -> None:
    metadata = _env("TECHGUARD_SAML_IDP_METADATA")
    if not metadata:
        return
    _require("djangosaml2", "sso", "SAML (TECHGUARD_SAML_IDP_METADATA)")
    _require("saml2", "sso", "SAML (TECHGUARD_SAML_IDP_METADATA)")
    xmlsec = _env("TECHGUARD_SAML_XMLSEC1") or shutil.which("xmlsec1") or ""
    if not xmlsec or not os.path.exists(xmlsec):
        raise ImproperlyConfigured(
            "SAML needs the xmlsec1 program to check signatures: apt-get install xmlsec1 "
            "(or set TECHGUARD_SAML_XMLSEC1 to its path)"
        )
    key, cert = _env("TECHGUARD_SAML_SP_KEY"), _env("TECHGUARD_SAML_SP_CERT")
    if not key or not cert:
        raise ImproperlyConfigured("SAML needs TECHGUARD_SAML_SP_KEY and TECHGUARD_SAML_SP_CERT (PEM files)")
    source = {"remote": [{"url": metadata}]} if metadata.startswith("https://") else {"local": [metadata]}
    entity_id = _env("TECHGUARD_SAML_ENTITY_ID") or f"{site}/saml2/metadata/"
    out.apps.append("djangosaml2")
    # The IdP posts the response back cross-site; djangosaml2 keeps its state in its own SameSite=None cookie.
    out.middleware.append("djangosaml2.middleware.SamlSessionMiddleware")
    out.backends.append("techguard.web.accounts.sso.saml.SamlBackend")
    out.methods.append("saml")
    out.values.update(
        SAML_CONFIG={
            "xmlsec_binary": xmlsec,
            "entityid": entity_id,
            "allow_unknown_attributes": True,
            "service": {"sp": {
                "name": "techguard",
                "endpoints": {"assertion_consumer_service": [
                    (f"{site}/saml2/acs/", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")]},
                "want_response_signed": False,
                "want_assertions_signed": True,  # 学認 IdPs sign the assertion
                "allow_unsolicited": False,
                "name_id_format": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            }},
            "metadata": source,
            "key_file": key,
            "cert_file": cert,
            "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
        },
        SAML_SESSION_COOKIE_NAME="saml_session",
        SAML_CREATE_UNKNOWN_USER=True,
        SAML_DJANGO_USER_MAIN_ATTRIBUTE="username",
        SAML_USE_NAME_ID_AS_USERNAME=False,
        # 学認 (GakuNin) attributes: eduPersonPrincipalName is the stable identifier
        SAML_ATTRIBUTE_MAPPING={
            _env("TECHGUARD_SAML_USERNAME_ATTRIBUTE", "eduPersonPrincipalName"): ("username",),
            "mail": ("email",), "givenName": ("first_name",), "sn": ("last_name",),
        },
        TECHGUARD_SAML_DEPARTMENT_ATTRIBUTE=_env("TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE", "ou"),
    )


def _ldap(out: SsoSettings) -> None:
    uri = _env("TECHGUARD_LDAP_SERVER_URI")
    if not uri:
        return
    _require("django_auth_ldap", "ldap", "LDAP (TECHGUARD_LDAP_SERVER_URI)")
    _require("ldap", "ldap", "LDAP (TECHGUARD_LDAP_SERVER_URI)")
    template, base = _env("TECHGUARD_LDAP_USER_DN_TEMPLATE"), _env("TECHGUARD_LDAP_USER_SEARCH_BASE")
    if not template and not base:
        raise ImproperlyConfigured("LDAP needs TECHGUARD_LDAP_USER_DN_TEMPLATE or TECHGUARD_LDAP_USER_SEARCH_BASE")
    out.backends.append("techguard.web.accounts.sso.directory.LdapBackend")
    out.methods.append("ldap")
    values: dict[str, Any] = {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": _env("TECHGUARD_LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": _env("TECHGUARD_LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_START_TLS": _env("TECHGUARD_LDAP_START_TLS").lower() in _TRUE,
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "TECHGUARD_LDAP_DEPARTMENT_ATTRIBUTE": _env("TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE", "ou"),
    }
    if template:
        values["AUTH_LDAP_USER_DN_TEMPLATE"] = template
    else:
        import ldap
        from django_auth_ldap.config import LDAPSearch

        values["AUTH_LDAP_USER_SEARCH"] = LDAPSearch(
            base, ldap.SCOPE_SUBTREE, _env("TECHGUARD_LDAP_USER_SEARCH_FILTER", "(uid=%(user)s)"))
    out.values.update(values)


def from_environment(site: str) -> SsoSettings:
    out = SsoSettings()
    _oidc(out)
    _saml(out, site)
    _ldap(out)
    out.values["TECHGUARD_SSO_METHODS"] = list(out.methods)
    out.values["TECHGUARD_SSO_CREATE_DEPARTMENTS"] = _env("TECHGUARD_SSO_CREATE_DEPARTMENTS").lower() in _TRUE
    return out




def login_context(request: Any) -> dict[str, Any]:
    """Template context: which single sign-on buttons the login page shows."""
    from django.conf import settings

    return {"sso_methods": getattr(settings, "TECHGUARD_SSO_METHODS", [])}


__all__ = ["SsoSettings", "from_environment", "login_context", "site_url"]
