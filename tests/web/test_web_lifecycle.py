"""The case life cycle: withdraw, 差戻し and resubmission, approval routes with a 決裁欄, decisions, attachments
(type and hash checks), every step audited with before/after, and the API refusing with the page's words."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from techguard.web.accounts.models import ApiToken
from techguard.web.audit.models import AuditEvent
from techguard.web.cases import workflow
from techguard.web.cases.models import ApprovalRoute, ApprovalStep, Attachment, Case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"


def _events(case: Case, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action=action)
                .order_by("pk"))


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture()
def two_step_route(departments: dict[str, Any]) -> ApprovalRoute:
    route = ApprovalRoute.objects.create(name="物理学科ルート", department=departments["physics"])
    ApprovalStep.objects.create(route=route, order=1, label="部局確認", role="officer")
    ApprovalStep.objects.create(route=route, order=2, label="委員会", role="officer")
    return route


@pytest.fixture()
def api(users: dict[str, Any]) -> Any:
    tokens = {name: ApiToken.issue(user, "test")[1] for name, user in users.items()}

    def post(client: Any, name: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return client.post(f"/api{path}", body or {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {tokens[name]}")

    return post


# --- transitions allowed and refused, by status and role ------------------------------------------------------

def _to_status(case: Case, status: str, users: dict[str, Any]) -> Case:
    alice, olga = users["alice"], users["olga"]
    if status in {"submitted", "returned", "approved", "withdrawn"}:
        workflow.submit(case, alice)
    if status == "returned":
        workflow.return_case(case, olga, "Add the CV")
    if status == "approved":
        workflow.decide(case, olga, "approved", "Fine")
    if status == "withdrawn":
        workflow.withdraw(case, alice, "Visit cancelled")
    case.refresh_from_db()
    assert case.status == status
    return case


@pytest.mark.parametrize(("status", "who", "action", "refusal"), [
    ("draft", "alice", "withdraw", None),
    ("submitted", "alice", "withdraw", None),
    ("returned", "alice", "withdraw", None),
    ("approved", "alice", "withdraw", "Only a draft, a submitted case or a case returned for correction can be "
                                      "withdrawn."),
    ("draft", "olga", "withdraw", "Only the researcher who wrote the case can withdraw it."),
    ("submitted", "olga", "return", None),
    ("draft", "olga", "return", "Only a submitted case under review can be signed or returned."),
    ("returned", "olga", "return", "Only a submitted case under review can be signed or returned."),
    ("submitted", "alice", "return", "You may not review this case."),
    ("submitted", "chen", "return", "You may not review this case."),  # chemistry officer: not his department
    ("returned", "alice", "submit", None),
    ("submitted", "alice", "submit", "The case was already submitted."),
    ("withdrawn", "alice", "submit", "The case was withdrawn; it cannot be submitted."),
    ("returned", "olga", "submit", "Only the researcher who wrote the case can submit it."),
    ("draft", "olga", "decide", "Only a submitted case can be decided."),
    ("returned", "olga", "decide", "Only a submitted case can be decided."),
    ("withdrawn", "olga", "decide", "Only a submitted case can be decided."),
    ("submitted", "olga", "decide", None),
    ("approved", "olga", "decide", None),  # a change of decision
])
def test_transitions_by_status_and_role(status, who, action, refusal, make_case, users):
    case = _to_status(make_case("alice"), status, users)
    user = users[who]
    step = {
        "withdraw": lambda: workflow.withdraw(case, user, "No longer needed"),
        "return": lambda: workflow.return_case(case, user, "Add the invitation letter"),
        "submit": lambda: workflow.submit(case, user),
        "decide": lambda: workflow.decide(case, user, "rejected", "Entity List"),
    }[action]
    if refusal is None:
        step()
        case.refresh_from_db()
        assert case.status == {"withdraw": "withdrawn", "return": "returned", "submit": "submitted",
                               "decide": "rejected"}[action]
    else:
        with pytest.raises(workflow.WorkflowError) as refused:
            step()
        assert str(refused.value) == refusal
        assert Case.objects.get(pk=case.pk).status == status


def test_editable_only_as_draft_or_returned(make_case, users):
    case = make_case("alice")
    assert case.is_editable
    workflow.submit(case, users["alice"])
    assert not case.is_editable
    with pytest.raises(workflow.WorkflowError, match="Only a draft or a case returned"):
        workflow.update_facts(case, users["alice"], {"item.published": False})
    workflow.return_case(case, users["olga"], "Give the stay period")
    assert case.is_editable
    workflow.update_facts(case, users["alice"], {"item.published": False})
    assert Case.objects.get(pk=case.pk).facts["item"]["published"] is False


def test_reasons_are_required(make_case, users):
    case = make_case("alice")
    with pytest.raises(workflow.WorkflowError, match=r"A withdrawal needs a reason\."):
        workflow.withdraw(case, users["alice"], "  ")
    workflow.submit(case, users["alice"])
    with pytest.raises(workflow.WorkflowError, match=r"A return for correction needs a reason\."):
        workflow.return_case(case, users["olga"], "")
    with pytest.raises(workflow.WorkflowError, match=r"A decision needs a reason\."):
        workflow.decide(case, users["olga"], "approved", " ")
    with pytest.raises(workflow.WorkflowError, match=r"Give the conditions of the approval\."):
        workflow.decide(case, users["olga"], "approved_with_conditions", "ok", conditions=" ")
    assert Case.objects.get(pk=case.pk).status == "submitted"


# --- 差戻し → resubmission → two-step route → decision, through the pages --------------------------------------

def test_return_resubmit_two_step_route_then_decision(make_case, login, users, two_step_route):
    case = make_case("alice")
    assert login("alice").post(f"/cases/{case.pk}/submit/").status_code == 302
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert 'id="approval-board"' in page and "部局確認" in page and "委員会" in page
    assert 'id="step-form"' in page and 'id="review-form"' not in page  # step 1 first, the decision last
    # the last step cannot be decided before the first is signed
    response = login("omar").post(f"/cases/{case.pk}/review/", {"decision": "approved", "comment": "ok"})
    assert "Earlier steps of the approval route are not signed yet: 部局確認." in _messages(response)

    mail.outbox.clear()
    response = login("olga").post(f"/cases/{case.pk}/return/", {"return-reason": "Add the stay period"})
    assert _messages(response) == ["Returned to the researcher for correction, who was notified by e-mail."]
    case.refresh_from_db()
    assert case.status == "returned"
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Add the stay period" in mail.outbox[0].body and f"/cases/{case.pk}/" in mail.outbox[0].body
    page = login("alice").get(f"/cases/{case.pk}/").content.decode()
    assert 'id="returned-notice"' in page and "Resubmit for officer review" in page

    # the researcher corrects (the interview is open again) and resubmits: round 2, officers told again
    login("alice").post(f"/cases/{case.pk}/answer/", {"fact__recipient__jp_residency__entered_japan": "2026-10-01"})
    mail.outbox.clear()
    login("alice").post(f"/cases/{case.pk}/submit/")
    case.refresh_from_db()
    assert (case.status, case.review_round) == ("submitted", 2)
    assert "olga@example.org" in [r for m in mail.outbox for r in m.to]

    mail.outbox.clear()
    response = login("olga").post(f"/cases/{case.pk}/approve/", {"step-outcome": "approved", "step-comment": ""})
    assert _messages(response) == ["Step signed; the officers for the next step were notified."]
    told = sorted(r for m in mail.outbox for r in m.to)
    assert told == ["ada@example.org", "omar@example.org"]  # not olga, who signed; not chen (chemistry)
    assert "委員会" in mail.outbox[0].subject and f"/cases/{case.pk}/" in mail.outbox[0].body
    case.refresh_from_db()
    assert case.status == "under_review"
    # the same officer may not sign the second step too
    response = login("olga").post(f"/cases/{case.pk}/review/", {"decision": "approved", "comment": "ok"})
    assert _messages(response) == []  # a 403, not a message
    assert response.status_code == 403
    assert "You already signed another step of this case" in response.content.decode()
    response = login("omar").post(f"/cases/{case.pk}/review/", {"decision": "approved_with_conditions",
                                                                "conditions": "Escorted visits only",
                                                                "comment": "Committee agreed"})
    case.refresh_from_db()
    assert (case.status, case.conditions, case.decided_by.username) == (
        "approved_with_conditions", "Escorted visits only", "omar")
    boxes = [(a.round, a.order, a.step_label, a.user.username, a.outcome, a.decision)
             for a in case.approvals.order_by("signed_at", "pk")]
    assert boxes == [(1, 1, "部局確認", "olga", "returned", ""),
                     (2, 1, "部局確認", "olga", "approved", ""),
                     (2, 2, "委員会", "omar", "approved", "approved_with_conditions")]
    page = login("alice").get(f"/cases/{case.pk}/").content.decode()
    board = page[page.index('id="approval-board"'):page.index("</table>", page.index('id="approval-board"'))]
    assert board.count('class="approval-box signed"') == 2 and "olga" in board and "omar" in board
    assert 'id="earlier-rounds"' in page  # the 差戻し of round 1 stays on the record


def test_administrator_step_and_administrator_signing_twice(make_case, users, two_step_route):
    ApprovalStep.objects.filter(route=two_step_route, order=2).update(role="administrator")
    case = make_case("alice")
    workflow.submit(case, users["alice"])
    workflow.approve_step(case, users["olga"], "")
    with pytest.raises(workflow.NotAllowed, match="“委員会” is signed by an administrator"):
        workflow.decide(case, users["omar"], "approved", "ok")
    # an administrator may sign both steps (stands in for a missing signer; both boxes carry their name)
    other = make_case("alice")
    workflow.submit(other, users["alice"])
    workflow.approve_step(other, users["ada"], "")
    workflow.decide(other, users["ada"], "approved", "ok")
    assert [a.user.username for a in other.approvals.all()] == ["ada", "ada"]


def test_return_at_the_second_step_starts_the_route_again(make_case, users, two_step_route):
    from techguard.web.cases.routes import board

    case = make_case("alice")
    workflow.submit(case, users["alice"])
    workflow.approve_step(case, users["olga"], "ok")
    workflow.return_case(case, users["omar"], "The committee needs the CV")
    assert (case.status, case.approvals.last().order) == ("returned", 2)
    workflow.submit(case, users["alice"])
    state = board(case)
    assert state["pending"].label == "部局確認"  # round 2 begins at the first step again
    assert [b.approval for b in state["boxes"]] == [None, None]
    assert [(a.round, a.order, a.outcome) for a in state["earlier"]] == [(1, 1, "approved"), (1, 2, "returned")]


def test_rejection_at_the_first_step_decides(make_case, users, two_step_route):
    case = make_case("alice")
    workflow.submit(case, users["alice"])
    workflow.sign(case, users["olga"], "rejected", "End user on the Entity List")
    case.refresh_from_db()
    assert case.status == "rejected" and case.approvals.get().decision == "rejected"


def test_default_route_is_one_final_step(make_case, users):
    case = make_case("alice")
    workflow.submit(case, users["alice"])
    with pytest.raises(workflow.WorkflowError, match="The last step of the route records the decision"):
        workflow.approve_step(case, users["olga"])
    workflow.sign(case, users["olga"], "approved", "ok", decision="licence_needed")
    assert case.approvals.get().step_label == "最終判断 / Final decision"


def test_review_form_preselects_no_decision(make_case, login):
    case = make_case("alice")
    login("alice").post(f"/cases/{case.pk}/submit/")
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    select = page[page.index('name="decision"'):page.index("</select>", page.index('name="decision"'))]
    assert '<option value="" selected>' in select and select.count("selected") == 1
    response = login("olga").post(f"/cases/{case.pk}/review/", {"comment": "ok"})
    assert Case.objects.get(pk=case.pk).status == "submitted"
    assert any("Decision" in m for m in _messages(response))


# --- audit with before/after ----------------------------------------------------------------------------------

def test_every_transition_is_audited_with_before_and_after(make_case, users):
    case = make_case("alice")
    workflow.update_facts(case, users["alice"], {"recipient.jp_residency.entered_japan": "2026-10-01",
                                                 "item.published": False})
    answered = _events(case, "case.facts_answered")[-1].changes
    assert answered == {"facts.recipient.jp_residency.entered_japan": [None, "2026-10-01"],
                        "facts.item.published": [None, False]}
    workflow.update_facts(case, users["alice"], {"item.published": True})
    assert _events(case, "case.facts_answered")[-1].changes == {"facts.item.published": [False, True]}
    workflow.submit(case, users["alice"])
    assert _events(case, "case.submitted")[-1].changes["status"] == ["draft", "submitted"]
    workflow.return_case(case, users["olga"], "Stay period missing")
    returned = _events(case, "case.returned")[-1]
    assert returned.changes["status"] == ["submitted", "returned"] and returned.reason == "Stay period missing"
    workflow.submit(case, users["alice"])
    resubmitted = _events(case, "case.resubmitted")[-1].changes
    assert resubmitted["status"] == ["returned", "submitted"] and resubmitted["review_round"] == [1, 2]
    workflow.decide(case, users["olga"], "approved", "Fine")
    decided = _events(case, "case.decided")[-1].changes
    assert decided["status"] == ["submitted", "approved"] and decided["decided_by"] == [None, "olga"]
    other = make_case("alice")
    workflow.withdraw(other, users["alice"], "Visit cancelled")
    withdrawn = _events(other, "case.withdrawn")[-1]
    assert withdrawn.changes["status"] == ["draft", "withdrawn"] and withdrawn.reason == "Visit cancelled"


# --- attachments ----------------------------------------------------------------------------------------------

def _upload(client: Any, case: Case, name: str, data: bytes, kind: str = "cv") -> Any:
    return client.post(f"/cases/{case.pk}/attachments/", {
        "attachment-kind": kind, "attachment-file": SimpleUploadedFile(name, data)})


def test_attachment_upload_download_and_hash(make_case, login):
    case = make_case("alice")
    _upload(login("alice"), case, "cv.pdf", PDF)
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.content_type == "application/pdf"
    assert attachment.original_name == "cv.pdf" and attachment.uploaded_by.username == "alice"
    assert "cv.pdf" not in attachment.file.name  # stored under a random name
    page = login("olga").get(f"/cases/{case.pk}/").content.decode()
    assert attachment.sha256 in page
    response = login("olga").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="cv.pdf"' in response["Content-Disposition"]
    assert login("bob").get(f"/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404
    assert _events(case, "case.attachment_added")[-1].changes["sha256"] == attachment.sha256
    assert _events(case, "case.attachment_downloaded")


def test_a_pdf_that_is_a_program_is_refused(make_case, login):
    case = make_case("alice")
    response = _upload(login("alice"), case, "invitation.pdf", EXE, kind="invitation")
    assert _messages(response) == ["“invitation.pdf” is not a PDF file: its content does not match its name."]
    response = _upload(login("alice"), case, "setup.exe", EXE)
    assert _messages(response)[0].startswith("Files of type “.exe” are not accepted")
    assert not Attachment.objects.exists()


def test_office_documents_and_text_are_told_apart(make_case, users):
    from techguard.web.cases.attachments import check_file

    def ooxml(member: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(member, "<x/>")
        return buffer.getvalue()

    assert check_file("pledge.docx", ooxml("word/document.xml")).endswith("wordprocessingml.document")
    assert check_file("sheet.xlsx", ooxml("xl/workbook.xml")).endswith("spreadsheetml.sheet")
    with pytest.raises(workflow.WorkflowError, match="is not a DOCX file"):
        check_file("pledge.docx", ooxml("xl/workbook.xml"))
    assert check_file("note.txt", "該非判定の補足".encode()) == "text/plain"
    with pytest.raises(workflow.WorkflowError, match="is not a TXT file"):
        check_file("note.txt", b"\x00\x01binary")
    with pytest.raises(workflow.WorkflowError, match="is not a PNG file"):
        check_file("photo.png", b"\xff\xd8\xff\xe0JFIF")


def test_a_tampered_stored_file_is_refused(make_case, login, settings):
    case = make_case("alice")
    _upload(login("alice"), case, "licence.pdf", PDF, kind="licence")
    attachment = Attachment.objects.get()
    Path(attachment.file.path).write_bytes(PDF.replace(b"1.4", b"1.7"))
    response = login("olga").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 409
    assert "has changed since it was uploaded" in response.content.decode()
    refused = _events(case, "case.attachment_refused")[-1]
    assert refused.changes["sha256"][0] == attachment.sha256


def test_attachment_size_limit(make_case, users, monkeypatch):
    from techguard import limits
    from techguard.web.cases import attachments

    monkeypatch.setattr(limits, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(workflow.WorkflowError, match="over the limit of 10 bytes"):
        attachments.upload(make_case("alice"), users["alice"], "cv", "cv.pdf", PDF)


def test_who_may_add_documents(make_case, users):
    from techguard.web.cases import attachments

    case = make_case("alice")
    assert attachments.may_upload(users["alice"], case) and attachments.may_upload(users["olga"], case)
    assert not attachments.may_upload(users["bob"], case) and not attachments.may_upload(users["chen"], case)
    workflow.submit(case, users["alice"])
    workflow.decide(case, users["olga"], "licence_needed", "3E001")
    assert not attachments.may_upload(users["alice"], case)  # decided: the officer adds the licence
    assert attachments.may_upload(users["olga"], case)


# --- the API and the pages refuse with the same words ---------------------------------------------------------

SAME_REFUSALS = [
    ("conditions missing", "submitted", "olga",
     ("review/", {"decision": "approved_with_conditions", "comment": "ok"}),
     ("decision", {"decision": "approved_with_conditions", "comment": "ok"}),
     "Give the conditions of the approval."),
    ("decision without reason", "submitted", "olga",
     ("review/", {"decision": "approved", "comment": " "}),
     ("decision", {"decision": "approved", "comment": " "}),
     "A decision needs a reason."),
    ("return without reason", "submitted", "olga",
     ("return/", {"return-reason": " "}), ("return", {"reason": " "}),
     "A return for correction needs a reason."),
    ("return of a draft", "draft", "olga",
     ("return/", {"return-reason": "x"}), ("return", {"reason": "x"}),
     "Only a submitted case under review can be signed or returned."),
    ("withdraw a decided case", "approved", "alice",
     ("withdraw/", {"withdraw-reason": "x"}), ("withdraw", {"reason": "x"}),
     "Only a draft, a submitted case or a case returned for correction can be withdrawn."),
    ("withdraw without reason", "draft", "alice",
     ("withdraw/", {"withdraw-reason": ""}), ("withdraw", {"reason": ""}),
     "A withdrawal needs a reason."),
    ("resubmit a submitted case", "submitted", "alice", ("submit/", {}), ("submit", {}),
     "The case was already submitted."),
    ("decide a draft", "draft", "olga",
     ("review/", {"decision": "approved", "comment": "ok"}), ("decision", {"decision": "approved", "comment": "ok"}),
     "Only a submitted case can be decided."),
]


@pytest.mark.parametrize(("label", "status", "who", "web", "call", "message"), SAME_REFUSALS,
                         ids=[r[0] for r in SAME_REFUSALS])
def test_api_and_web_refuse_alike(label, status, who, web, call, message, make_case, users, login, api, client):
    case = _to_status(make_case("alice"), status, users)
    response = login(who).post(f"/cases/{case.pk}/{web[0]}", web[1])
    assert response.status_code == 302 and message in _messages(response)
    response = api(client, who, f"/cases/{case.pk}/{call[0]}", call[1])
    assert (response.status_code, response.json()) == (409, {"detail": message})
    assert Case.objects.get(pk=case.pk).status == status


def test_api_refuses_who_may_not_with_403_and_the_same_words(make_case, users, login, api, client):
    case = _to_status(make_case("alice"), "submitted", users)
    response = api(client, "alice", f"/cases/{case.pk}/return", {"reason": "x"})
    assert (response.status_code, response.json()) == (403, {"detail": "You may not review this case."})
    response = login("alice").post(f"/cases/{case.pk}/return/", {"return-reason": "x"})
    assert response.status_code == 403 and "You may not review this case." in response.content.decode()


def test_api_life_cycle_with_two_step_route(make_case, users, api, client, two_step_route):
    case = make_case("alice")
    assert api(client, "alice", f"/cases/{case.pk}/submit").json()["review_round"] == 1
    assert api(client, "olga", f"/cases/{case.pk}/return", {"reason": "CV missing"}).json()["status"] == "returned"
    assert api(client, "alice", f"/cases/{case.pk}/submit").json()["review_round"] == 2
    body = api(client, "olga", f"/cases/{case.pk}/approvals", {"outcome": "approved"}).json()
    assert body["status"] == "under_review"
    response = api(client, "omar", f"/cases/{case.pk}/approvals", {"outcome": "approved", "comment": "ok"})
    assert response.json() == {"detail": "The last step of the route records the decision: choose one."}
    response = api(client, "omar", f"/cases/{case.pk}/approvals", {
        "outcome": "approved", "comment": "ok", "decision": "approved_with_conditions"})
    assert response.json() == {"detail": "Give the conditions of the approval."}
    response = api(client, "omar", f"/cases/{case.pk}/approvals", {
        "outcome": "approved", "comment": "ok", "decision": "approved_with_conditions", "conditions": "Escort"})
    assert response.status_code == 200 and response.json()["status"] == "approved_with_conditions"
    listed = client.get(f"/api/cases/{case.pk}/approvals",
                        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(users['alice'], 't')[1]}").json()
    assert [(a["round"], a["step"], a["user"], a["outcome"]) for a in listed] == [
        (1, "部局確認", "olga", "returned"), (2, "部局確認", "olga", "approved"), (2, "委員会", "omar", "approved")]
    withdrawn = api(client, "alice", f"/cases/{make_case('alice').pk}/withdraw", {"reason": "Cancelled"}).json()
    assert (withdrawn["status"], withdrawn["withdrawn_reason"]) == ("withdrawn", "Cancelled")


def test_japanese_refusal_in_both(make_case, users, login, client):
    """The page speaks the user's language; the API the request's (Accept-Language): the same Japanese words."""
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["olga"]).update(language="ja")
    case = _to_status(make_case("alice"), "submitted", users)
    web = _messages(login("olga").post(f"/cases/{case.pk}/return/", {"return-reason": ""}))
    token = ApiToken.issue(users["olga"], "t")[1]
    response = client.post(f"/api/cases/{case.pk}/return", {"reason": ""}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="ja")
    assert web == ["差戻しには理由が必要です。"]
    assert response.json() == {"detail": "差戻しには理由が必要です。"}


@pytest.mark.parametrize("setup", ["none", "default", "department", "department inactive", "department empty"])
def test_route_chosen_with_the_case_is_the_route_of_the_case(make_case, departments, setup):
    """The case page chooses the route in the case's own query (``with_route``); the workflow asks for a case
    loaded without it. Both give the same route: the department's active one, else the oldest default."""
    from techguard.web.cases.routes import DEFAULT_STEP, route_of, with_route

    if setup != "none":
        default = ApprovalRoute.objects.create(name="Default", department=None)
        ApprovalStep.objects.create(route=default, order=1, label="最終判断", role="officer")
        ApprovalRoute.objects.create(name="Later default", department=None)  # not chosen: the oldest is
    if setup.startswith("department"):
        own = ApprovalRoute.objects.create(name="Physics", department=departments["physics"],
                                           active=setup != "department inactive")
        if setup != "department empty":
            ApprovalStep.objects.create(route=own, order=2, label="委員会", role="officer")
            ApprovalStep.objects.create(route=own, order=1, label="部局確認", role="officer")
    case = make_case("alice")
    loaded = with_route(Case.objects.all()).get(pk=case.pk)
    expected = {"none": ("", [DEFAULT_STEP.label]), "default": ("Default", ["最終判断"]),
                "department": ("Physics", ["部局確認", "委員会"]),
                "department inactive": ("Default", ["最終判断"]),
                "department empty": ("", [DEFAULT_STEP.label])}[setup]
    for chosen in (route_of(case), route_of(loaded)):
        assert (chosen[0], [step.label for step in chosen[1]]) == expected
