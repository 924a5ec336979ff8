"""LDAP sign-in with a mocked directory connection (no server): new users are researchers, the department comes
from the entry's ou attribute; local accounts keep working beside it."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

ldap = pytest.importorskip("ldap", reason="python-ldap not installed: pip install 'techguard[ldap]'")


class _Directory:
    """A directory with one person; bind succeeds with the right password only."""

    def __init__(self) -> None:
        self.binds: list[tuple[str, str]] = []

    def set_option(self, *args: Any) -> None:
        return None

    def simple_bind_s(self, who: str, password: str) -> None:
        self.binds.append((who, password))
        if (who, password) == ("", ""):
            return  # the anonymous bind used to read the entry
        if who != "uid=jiro,ou=people,dc=example,dc=ac,dc=jp" or password != "ldap-password":
            raise ldap.INVALID_CREDENTIALS({"desc": "Invalid credentials"})

    def search_s(self, base: str, scope: int, filterstr: str = "(objectClass=*)", attrlist: Any = None) -> Any:
        return [(base, {"uid": ["jiro"], "mail": ["jiro@example.ac.jp"], "givenName": ["Jiro"], "sn": ["Tanaka"],
                        "ou": ["Physics"]})]


@pytest.fixture()
def directory(settings: Any) -> Any:
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "techguard.web.accounts.sso.directory.LdapBackend"]
    settings.AUTH_LDAP_SERVER_URI = "ldaps://ldap.example.ac.jp"
    settings.AUTH_LDAP_USER_DN_TEMPLATE = "uid=%(user)s,ou=people,dc=example,dc=ac,dc=jp"
    settings.AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    settings.TECHGUARD_LDAP_DEPARTMENT_ATTRIBUTE = "ou"
    fake = _Directory()
    with mock.patch("ldap.initialize", return_value=fake):
        yield fake


def test_ldap_sign_in_creates_a_researcher_from_the_directory_entry(directory, departments):
    user = authenticate(RequestFactory().post("/login/"), username="jiro", password="ldap-password")
    assert user is not None and user.username == "jiro"
    assert (user.email, user.first_name, user.last_name) == ("jiro@example.ac.jp", "Jiro", "Tanaka")
    assert (user.profile.role, user.profile.department.name) == ("researcher", "Physics")
    assert ("uid=jiro,ou=people,dc=example,dc=ac,dc=jp", "ldap-password") in directory.binds


def test_ldap_wrong_password_signs_nobody_in(directory, departments):
    assert authenticate(RequestFactory().post("/login/"), username="jiro", password="wrong") is None
    assert not get_user_model().objects.filter(username="jiro").exists()


def test_local_accounts_still_sign_in_with_ldap_enabled(directory, users):
    assert authenticate(RequestFactory().post("/login/"), username="alice",
                        password="correct horse battery staple") == users["alice"]
