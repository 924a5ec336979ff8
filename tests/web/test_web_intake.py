"""The structured pre-check forms (widgets, guidance, answers kept with the case) and fact corrections
(cases/<pk>/edit/): who may correct when, the audit event with before/after and reason, checks re-run, and a
decided case corrected through a revision."""

from __future__ import annotations

import pytest
from django.utils import translation

from techguard.rules.activity import INTAKE_KEY
from techguard.rules.intake import INTAKE_MODELS
from techguard.web.audit.models import AuditEvent
from techguard.web.cases import workflow
from techguard.web.cases.corrections import who_may_correct
from techguard.web.cases.forms import KIND_FIELDS, precheck_form
from techguard.web.cases.intake_fields import intake_rows
from techguard.web.cases.models import Case, CaseStatus

VISIT = {"title": "Visit by Dr Li", "person_name": "Li Wei", "organisation": "Tokyo Partner Lab",
         "citizenships": "CN", "description": "Lab tour", "stay_start": "2026-04-01", "stay_end": "2026-06-30",
         "residence_status": "temporary_visitor", "employed_in_japan": "no", "tokutei_contract": "no",
         "tokutei_benefit": "no", "tokutei_instructions": "no", "funding_source": "Own funds"}


def test_form_fields_are_the_intake_models_fields():
    for kind, model in INTAKE_MODELS.items():
        assert set(KIND_FIELDS[kind]) == set(model.model_fields), kind


def test_widgets_are_typed_and_guided():
    with translation.override("ja"):
        page = precheck_form("visitor").as_p()
    assert 'type="date"' in page and 'name="stay_start"' in page
    assert 'type="radio"' in page and 'value="unknown"' in page
    assert 'type="number"' in page and 'max="100"' in page
    assert '<datalist id="id_citizenships-countries">' in page and '<option value="CN">中国</option>' in page
    assert "役務通達 1(3)サ" in page and "外為法第6条" in page  # guidance with the provision
    with translation.override("en"):
        page = precheck_form("travel").as_p()
    assert '<option value="CN">China</option>' in page and "740.9(a)(1)" in page and "別表第六" in page
    assert 'type="checkbox"' in page and 'value="laptop"' in page


def test_visitor_answers_are_kept_and_reach_the_engine(login):
    response = login("alice").post("/cases/new/visitor/", VISIT)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.facts[INTAKE_KEY]["stay_start"] == "2026-04-01"
    assert case.facts["recipient"]["jp_residency"]["employed_at_office_in_japan"] is False
    assert [p["role"] for p in case.parties] == ["recipient", "employer", "funder"]
    assert case.assessment is not None, case.checks_error


@pytest.fixture()
def visit(make_case):
    return make_case(**{k: v for k, v in VISIT.items() if k != "title"})


def _correct(client, case, **changes):
    form = {**VISIT, **changes}
    return client.post(f"/cases/{case.pk}/edit/", form)


def test_the_owner_corrects_a_draft_and_the_audit_keeps_before_and_after(visit, login):
    page = login("alice").get(f"/cases/{visit.pk}/edit/").content.decode()
    assert 'value="Li Wei"' in page and 'value="2026-04-01"' in page  # filled with the answers
    checked_before = AuditEvent.objects.filter(action="case.checked", object_id=str(visit.pk)).count()
    response = _correct(login("alice"), visit, citizenships="中国, 米国", stay_end="2026-12-31",
                        reason="Dual national; stay extended")
    assert response.status_code == 302 and response["Location"] == f"/cases/{visit.pk}/"
    visit.refresh_from_db()
    assert visit.facts["recipient"]["citizenships"] == ["CN", "US"]
    event = AuditEvent.objects.get(action="case.facts_corrected")
    assert event.reason == "Dual national; stay extended" and event.object_id == str(visit.pk)
    assert event.changes["intake.citizenships"] == [["CN"], ["CN", "US"]]
    assert event.changes["intake.stay_end"] == ["2026-06-30", "2026-12-31"]
    assert event.changes["facts.recipient.citizenships"] == [["CN"], ["CN", "US"]]
    assert AuditEvent.objects.filter(action="case.checked", object_id=str(visit.pk)).count() == checked_before + 1


def test_a_correction_needs_a_reason_and_a_change(visit, login):
    response = _correct(login("alice"), visit, citizenships="RU")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = _correct(login("alice"), visit, reason="no change really")
    assert response.status_code == 200 and "Nothing was changed." in response.content.decode()
    response = _correct(login("alice"), visit, citizenships="Korea", reason="typo")
    assert "'Korea' is ambiguous" in " ".join(response.context["form"].errors["citizenships"])  # in her language
    assert not AuditEvent.objects.filter(action="case.facts_corrected").exists()


def test_interview_answers_survive_a_correction(visit, login, users):
    workflow.update_facts(visit, users["alice"], {"recipient.us_person_status": "none"})
    _correct(login("alice"), visit, organisation="Another Lab", reason="moved")
    visit.refresh_from_db()
    assert visit.facts["recipient"]["us_person_status"] == "none"
    assert visit.facts["recipient"]["employer"] == "Another Lab"


def test_the_researcher_may_correct_a_submitted_case_but_not_a_decided_one(visit, login, users):
    workflow.submit(visit, users["alice"])
    assert _correct(login("alice"), visit, citizenships="RU", reason="wrong").status_code == 302
    visit.refresh_from_db()
    workflow.decide(visit, users["olga"], CaseStatus.APPROVED, "fine")
    assert login("alice").get(f"/cases/{visit.pk}/edit/").status_code == 403
    assert _correct(login("alice"), visit, citizenships="CN", reason="again").status_code == 403
    assert login("bob").get(f"/cases/{visit.pk}/edit/").status_code == 404  # not his to see


def test_an_officer_corrects_a_decided_case_through_a_revision(visit, login, users):
    workflow.submit(visit, users["alice"])
    workflow.decide(visit, users["olga"], CaseStatus.APPROVED, "fine")
    page = login("olga").get(f"/cases/{visit.pk}/edit/").content.decode()
    assert 'id="opens-revision"' in page
    response = _correct(login("olga"), visit, citizenships="IR", reason="passport shows Iran")
    assert response.status_code == 302
    revision = Case.objects.exclude(pk=visit.pk).get()
    assert response["Location"] == f"/cases/{revision.pk}/"
    visit.refresh_from_db()
    assert visit.status == CaseStatus.APPROVED and visit.facts["recipient"]["citizenships"] == ["CN"]
    assert revision.status == CaseStatus.DRAFT and revision.owner == users["alice"]
    assert revision.facts["recipient"]["citizenships"] == ["IR"] and revision.assessment is not None
    event = AuditEvent.objects.get(action="case.facts_corrected")
    assert event.object_id == str(revision.pk) and event.actor == "olga"
    assert event.changes["intake.citizenships"] == [["CN"], ["IR"]]


def test_a_withdrawn_case_is_corrected_by_no_one(visit, login):
    Case.objects.filter(pk=visit.pk).update(status=CaseStatus.WITHDRAWN)
    assert login("alice").get(f"/cases/{visit.pk}/edit/").status_code == 403
    assert login("olga").get(f"/cases/{visit.pk}/edit/").status_code == 403


def test_a_case_from_raw_facts_has_nothing_to_correct(login, users):
    case = workflow.create_case(users["alice"], "shipping", "raw", {"activity": "export"}, [])
    page = login("alice").get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'id="no-intake"' in page and "correction-form" not in page


def test_answers_shown_in_the_users_language(visit, users):
    with translation.override("ja"):
        rows = {str(label): value for label, value in intake_rows("visitor", visit.facts[INTAKE_KEY], "ja")}
    assert rows["国籍"] == "中国 (CN)" and rows["在留資格"] == "短期滞在" and rows["滞在開始日（入国日）"] == "2026-04-01"
    assert who_may_correct(users["alice"], visit) == "owner" and who_may_correct(users["olga"], visit) == "officer"
    assert who_may_correct(users["bob"], visit) is None
