"""Query budgets of the main pages: a page's query count must not grow with the number of cases.

The numbers live in ``BUDGETS`` only; each page test goes through :func:`assert_budget`."""

from __future__ import annotations

from typing import Any

import pytest

# Page -> the most queries one request may make (session, user, profile and the page's own).
BUDGETS = {"home": 10, "case_list": 10, "case_detail": 12, "dashboard": 15, "export": 8, "admin_users": 12}


def assert_budget(page: str, client: Any, url: str, assert_max: Any) -> Any:
    """At most ``BUDGETS[page]`` queries for ``url``, measured on the second request: the first may create
    one-off rows (the organisation's training policy) that every later request only reads."""
    assert client.get(url).status_code == 200
    with assert_max(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _many_cases(make_case: Any, count: int) -> list[Any]:
    """``count`` cases of alice's; the first made through the form (checks run), the rest copied from it
    (making 40 through the form would test the engine's speed, not the page's queries)."""
    from techguard.web.cases.models import Case, CaseStatus

    first = make_case("alice")
    first.status = CaseStatus.SUBMITTED
    first.save()
    copies = [Case(kind=first.kind, title=f"Copy {i}", owner=first.owner, department=first.department,
                   status=CaseStatus.SUBMITTED, facts=first.facts, parties=first.parties,
                   assessment=first.assessment, screening=first.screening) for i in range(count - 1)]
    Case.objects.bulk_create(copies)
    return [first, *copies]


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize("who", ["alice", "olga", "omar"])
def test_home_queries_do_not_grow_with_cases(make_case, login, django_assert_max_num_queries, count, who):
    _many_cases(make_case, count)
    page = assert_budget("home", login(who), "/", django_assert_max_num_queries).content.decode()
    assert "Copy 1" in page  # the cases are on the page: the budget was measured over real rows


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize("who", ["alice", "olga"])
def test_case_list_queries_do_not_grow_with_cases(make_case, login, django_assert_max_num_queries, count, who):
    _many_cases(make_case, count)
    page = assert_budget("case_list", login(who), "/cases/", django_assert_max_num_queries).content.decode()
    assert "Copy 1" in page


@pytest.mark.parametrize("route", [False, True], ids=["built-in step", "department route"])
@pytest.mark.parametrize("who", ["alice", "olga", "omar"])
def test_case_page_budget(make_case, login, departments, django_assert_max_num_queries, who, route):
    from techguard.web.cases.models import ApprovalRoute, ApprovalStep

    if route:  # a configured route costs one query more than the built-in step (its steps)
        physics = ApprovalRoute.objects.create(name="Physics route", department=departments["physics"])
        ApprovalStep.objects.create(route=physics, order=1, label="部局確認", role="officer")
        ApprovalStep.objects.create(route=physics, order=2, label="委員会", role="officer")
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    login("alice").post(f"/cases/{case.pk}/comment/", {"text": "Visit starts in May."})
    page = assert_budget("case_detail", login(who), f"/cases/{case.pk}/", django_assert_max_num_queries)
    body = page.content.decode()
    assert case.reference in body and "Visit starts in May." in body
    assert ("委員会" in body) == route  # the route measured is the one on the page


def test_case_page_comments_are_the_comment_rows(make_case, login, users):
    """The page reads comments from the case's audit events (one query for the record and the comments):
    every way a comment is written must leave the same text, author and order in both."""
    from techguard.web.cases import workflow
    from techguard.web.cases.case_record import case_events, comments_in

    case = make_case("alice")
    workflow.add_comment(case, users["alice"], "first")
    workflow.submit(case, users["alice"])
    workflow.return_case(case, users["olga"], "Say who pays the visit.")
    workflow.submit(case, users["alice"])
    workflow.decide(case, users["olga"], "approved", "Fine.\nKeep the logs.")
    withdrawn = make_case("alice")
    workflow.withdraw(withdrawn, users["alice"], "Visit cancelled")
    for c in (case, withdrawn):
        rows = [(str(row.author), row.text) for row in c.comments.order_by("created", "pk")]
        assert [(x.author, x.text) for x in comments_in(case_events(c))] == rows and rows
    comments = login("alice").get(f"/cases/{case.pk}/").content.decode().split(">Comments</h2>")[1]
    assert comments.index("Say who pays the visit.") < comments.index("Keep the logs.")


@pytest.mark.parametrize("count", [5, 40])
def test_dashboard_queries_do_not_grow_with_cases(make_case, login, django_assert_max_num_queries, count):
    _many_cases(make_case, count)
    page = assert_budget("dashboard", login("omar"), "/dashboard/", django_assert_max_num_queries).content.decode()
    assert f"{count} cases" in page


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_cases(make_case, login, django_assert_max_num_queries, count, fmt):
    _many_cases(make_case, count)
    client = login("omar")
    with django_assert_max_num_queries(BUDGETS["export"]):  # the rows are read while the response is built
        response = client.get(f"/dashboard/export.{fmt}")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200 and len(body) > 100


@pytest.mark.parametrize("extra", [0, 30])
def test_admin_user_list_is_not_one_query_per_row(users, login, django_assert_max_num_queries, extra):
    from conftest import make_user

    users["ada"].is_staff = users["ada"].is_superuser = True
    users["ada"].save()
    for i in range(extra):
        make_user(f"user{i}", "researcher")
    page = assert_budget("admin_users", login("ada"), "/admin/auth/user/", django_assert_max_num_queries)
    assert "officer" in page.content.decode()


def test_reading_a_page_never_creates_a_profile(db, django_assert_max_num_queries):
    """A user made outside the app's paths (no profile) reads as a researcher; no page view writes one."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from techguard.web.accounts.models import Profile
    from techguard.web.accounts.roles import role_of

    user = get_user_model().objects.create_user("nobody", "nobody@example.org", "x")
    client = Client()
    client.force_login(user)
    assert_budget("home", client, "/", django_assert_max_num_queries)
    assert not Profile.objects.filter(user=user).exists()
    assert role_of(user) == "researcher"
    assert client.get("/dashboard/").status_code == 403


def test_user_added_in_the_admin_gets_a_profile(users, login):
    from django.contrib.auth import get_user_model

    from techguard.web.accounts.models import Profile

    users["ada"].is_staff = users["ada"].is_superuser = True
    users["ada"].save()
    response = login("ada").post("/admin/auth/user/add/", {
        "username": "newcomer", "password1": "a-long-Passw0rd!x", "password2": "a-long-Passw0rd!x",
        "usable_password": "true",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0", "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1", "profile-0-role": "researcher", "profile-0-language": "en",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Profile.objects.get(user=get_user_model().objects.get(username="newcomer")).role == "researcher"
