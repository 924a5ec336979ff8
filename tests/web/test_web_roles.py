"""Each role boundary, by page and by API."""

from __future__ import annotations

import pytest

from techguard.web.accounts.models import ApiToken


def _bearer(user):
    _, token = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_researcher_cannot_read_another_researchers_case_by_page(make_case, login):
    case = make_case("alice")
    assert login("alice").get(f"/cases/{case.pk}/").status_code == 200
    assert login("bob").get(f"/cases/{case.pk}/").status_code == 404
    assert login("bob").get(f"/cases/{case.pk}/memo.pdf").status_code == 404


def test_researcher_cannot_read_another_researchers_case_by_api(make_case, users, client):
    case = make_case("alice")
    assert client.get(f"/api/cases/{case.pk}", **_bearer(users["alice"])).status_code == 200
    assert client.get(f"/api/cases/{case.pk}", **_bearer(users["bob"])).status_code == 404
    listed = client.get("/api/cases", **_bearer(users["bob"])).json()
    assert [c["id"] for c in listed] == []


def test_case_list_shows_only_own_cases_to_researchers(make_case, login):
    make_case("alice", title="Alice's visit")
    make_case("bob", title="Bob's visit")
    page = login("bob").get("/cases/").content.decode()
    assert "Bob&#x27;s visit" in page and "Alice&#x27;s visit" not in page


def test_officers_see_only_their_departments(make_case, login):
    case = make_case("alice")  # physics
    assert login("olga").get(f"/cases/{case.pk}/").status_code == 200  # physics officer
    assert login("chen").get(f"/cases/{case.pk}/").status_code == 404  # chemistry officer
    assert login("omar").get(f"/cases/{case.pk}/").status_code == 200  # officer of all departments
    assert login("ada").get(f"/cases/{case.pk}/").status_code == 200


def test_researcher_cannot_review(make_case, login, users):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    response = login("alice").post(f"/cases/{case.pk}/review/", {"decision": "approved", "comment": "self"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "submitted"


def test_officer_outside_department_cannot_review_by_api(make_case, login, users, client):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    body = {"decision": "approved", "comment": "fine"}
    response = client.post(f"/api/cases/{case.pk}/decision", body, content_type="application/json",
                           **_bearer(users["chen"]))
    assert response.status_code == 404
    response = client.post(f"/api/cases/{case.pk}/decision", body, content_type="application/json",
                           **_bearer(users["bob"]))
    assert response.status_code == 404


def test_officer_cannot_review_own_case(make_case, login):
    case = make_case("olga")
    login("olga").post(f"/cases/{case.pk}/submit/")
    assert login("olga").post(f"/cases/{case.pk}/review/", {"decision": "approved", "comment": "x"}).status_code \
        == 403


def test_researcher_cannot_submit_someone_elses_case_even_if_visible(make_case, login):
    case = make_case("alice")
    assert login("olga").post(f"/cases/{case.pk}/submit/").status_code == 403


@pytest.mark.parametrize("path", ["/dashboard/", "/audit/", "/dashboard/export.csv"])
def test_researchers_cannot_open_officer_pages(login, path):
    assert login("alice").get(path).status_code == 403
    assert login("olga").get(path).status_code == 200


def test_only_administrators_update_lists(login):
    assert login("olga").post("/screening/lists/").status_code == 403


def test_api_refuses_missing_bad_and_revoked_tokens(users, client):
    assert client.get("/api/cases").status_code == 401
    assert client.get("/api/cases", HTTP_AUTHORIZATION="Bearer tg_wrong").status_code == 401
    row, token = ApiToken.issue(users["alice"], "x")
    assert client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    row.revoked = True
    row.save()
    assert client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_batch_results_are_private(login, users):
    from techguard.web.screening.jobs import enqueue

    job = enqueue(users["alice"], "x.csv", [{"name": "Li Wei", "line": 1}])
    assert login("alice").get(f"/screening/batches/{job.pk}/").status_code == 200
    assert login("bob").get(f"/screening/batches/{job.pk}/").status_code == 404
    assert login("bob").get(f"/screening/batches/{job.pk}/results.csv").status_code == 404


def test_admin_changes_to_roles_are_audited(login, users):
    from techguard.web.audit.models import AuditEvent

    users["ada"].is_staff = True
    users["ada"].is_superuser = True
    users["ada"].save()
    client = login("ada")
    assert client.get("/admin/auth/user/").status_code == 200
    response = client.post("/admin/accounts/department/add/", {"name": "Biology", "name_ja": "生物学科"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.added")
    assert event.actor == "ada" and "Biology" in event.changes["repr"]
    assert login("olga").get("/admin/").status_code == 302  # officers are not staff


def test_a_case_found_visible_needs_no_query_of_the_officers_departments(make_case, users, departments,
                                                                         django_assert_max_num_queries):
    """``visible_case`` checks the officer's departments in its own SQL; ``can_view_case`` on that case trusts the
    check only for the same user, owner and department: moved to another department, it is checked again."""
    from techguard.web.accounts.roles import can_review_case, can_view_case, role_of, visible_case
    from techguard.web.cases.models import Case

    case_pk = make_case("alice").pk
    olga, chen = users["olga"], users["chen"]  # physics and chemistry officers
    role_of(olga), role_of(chen)  # their profiles read (as the middleware's first check does)
    assert visible_case(chen, Case.objects.all(), case_pk) is None  # alice's case is in physics
    case = visible_case(olga, Case.objects.all(), case_pk)
    with django_assert_max_num_queries(0):
        assert can_view_case(olga, case) and can_review_case(olga, case)
    assert not can_view_case(chen, case)  # the mark is olga's
    case.department = departments["chemistry"]
    assert not can_view_case(olga, case) and can_view_case(chen, case)
