"""pytest-django set-up for the web app: settings, a fresh data directory, users of every role, a screener.

Settings are imported here (not from pytest's ini) so that the secret key file and SQLite database of the
test run live in a throw-away data directory, never in the user's. ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

_data_dir = tempfile.mkdtemp(prefix="techguard-web-tests-")
_previous = os.environ.get("TECHGUARD_DATA_DIR")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
os.environ["TECHGUARD_DATA_DIR"] = _data_dir
import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

settings.DATABASES["default"]
# PBKDF2 at production strength costs ~0.3 s per user; tests create many users.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if _previous is None:
    os.environ.pop("TECHGUARD_DATA_DIR", None)
else:
    os.environ["TECHGUARD_DATA_DIR"] = _previous

from techguard.lists.model import Name, NameType, Party, PartyKind  # noqa: E402

LISTED = [
    Party(source="us_csl", source_id="EL-1", list="us_entity_list", kind=PartyKind.ORGANISATION,
          name="Northwest Polytechnical University", names=(Name("西北工业大学", NameType.CHINESE, "zh"),),
          countries=("CN",), licence_requirement="For all items subject to the EAR.",
          licence_policy="Presumption of denial.", federal_register="86 FR 0000"),
    Party(source="us_csl", source_id="EL-2", list="us_entity_list", kind=PartyKind.ORGANISATION,
          name="Harbin Engineering University", countries=("CN",),
          licence_requirement="For all items subject to the EAR.", licence_policy="Presumption of denial."),
    Party(source="us_ofac_sdn", source_id="36", list="us_sdn", kind=PartyKind.PERSON, name="Ivan Petrovich Sidorov",
          countries=("RU",), programs=("RUSSIA-EO14024",)),
]


@pytest.fixture(autouse=True)
def _screener() -> Iterator[None]:
    """A real screener over a few hand-made parties (the product builds it from the active snapshots)."""
    from techguard.matching import Screener
    from techguard.web.screening.services import set_screener_for_tests

    set_screener_for_tests(_cached_screener(Screener))
    yield
    set_screener_for_tests(None)


_SCREENER: list[Any] = []


def _cached_screener(screener_cls: Any) -> Any:
    if not _SCREENER:
        _SCREENER.append(screener_cls.build(LISTED))
    return _SCREENER[0]


@pytest.fixture()
def departments(db: None) -> dict[str, Any]:
    from techguard.web.accounts.models import Department

    return {
        "physics": Department.objects.create(name="Physics", name_ja="物理学科"),
        "chemistry": Department.objects.create(name="Chemistry", name_ja="化学科"),
    }


def make_user(username: str, role: str, department: Any = None, reviews: tuple[Any, ...] = (),
              language: str = "en") -> Any:
    from django.contrib.auth import get_user_model

    from techguard.web.accounts.models import Profile

    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org",
                                                password="correct horse battery staple")
    profile = Profile.objects.create(user=user, role=role, department=department, language=language)
    profile.reviews_departments.set(reviews)
    return user


@pytest.fixture()
def users(departments: dict[str, Any]) -> dict[str, Any]:
    physics, chemistry = departments["physics"], departments["chemistry"]
    return {
        "alice": make_user("alice", "researcher", physics),
        "bob": make_user("bob", "researcher", chemistry),
        "olga": make_user("olga", "officer", physics, reviews=(physics,)),
        "chen": make_user("chen", "officer", chemistry, reviews=(chemistry,)),
        "omar": make_user("omar", "officer"),  # no departments assigned: reviews all
        "ada": make_user("ada", "administrator"),
    }


VISITOR_FORM = {
    "title": "Visit by Dr Li",
    "person_name": "Li Wei",
    "organisation": "Northwest Polytechnical University",
    "citizenships": "CN",
    "description": "Lab tour of the thin-film deposition lab",
    "eccn": "",
    "jp_list_item": "",
    "other_parties": "",
}


@pytest.fixture()
def make_case(users: dict[str, Any]) -> Any:
    """A case created through the visitor pre-check form, as the given user (checks run)."""
    from django.test import Client

    def create(owner: str = "alice", **overrides: Any) -> Any:
        from techguard.web.cases.models import Case

        client = Client()
        client.force_login(users[owner])
        response = client.post("/cases/new/visitor/", {**VISITOR_FORM, **overrides})
        assert response.status_code == 302, response.content.decode()[:2000]
        return Case.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))

    return create


@pytest.fixture()
def login(users: dict[str, Any]) -> Any:
    from django.test import Client

    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return client_for
