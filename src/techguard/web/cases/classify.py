"""The 該非判定 step of a case: the researcher proposes a classification from the catalogue's candidates, the
officer confirms or changes it into the item master, which sets ``item.eccn`` / ``item.jp_list_item`` and
re-runs the checks. Search and confirmation are the classification app's own (no second search)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from techguard.web.accounts.roles import can_edit_case, can_review_case
from techguard.web.audit.chain import diff, record
from techguard.web.cases.models import Case, CaseKind, ClassificationProposal
from techguard.web.cases.workflow import WorkflowError, _snapshot, run_checks
from techguard.web.classification import services

# Kinds whose case is about an item (goods, software or technology) that has a classification.
CLASSIFY_KINDS = frozenset({CaseKind.SHIPPING, CaseKind.TECH_PROVISION, CaseKind.VISITOR, CaseKind.JOINT_RESEARCH})
CANDIDATES_KEPT = 5
_CANDIDATE_FIELDS = ("eccn", "jp_item", "jp_article", "score", "text")


def has_item(case: Case) -> bool:
    return case.kind in CLASSIFY_KINDS


def latest_proposal(case: Case) -> ClassificationProposal | None:
    return case.classification_proposals.select_related("confirmed", "proposed_by").first()


def candidates_for(query: str, *, lang: str | None) -> dict[str, Any]:
    """The catalogue's answer for the researcher's words (raises services.CatalogueError on bad input)."""
    return services.search(query, lang=lang, top=CANDIDATES_KEPT)


def propose(case: Case, user: Any, query: str, *, choice: int | None, lang: str | None) -> ClassificationProposal:
    """Record the researcher's pick (``choice`` = index into the candidates, ``None`` = none fits / 該当なし).

    The search is run again here rather than trusting candidates sent back by the browser. Raises WorkflowError
    when the user may not, services.CatalogueError / ValueError for bad input."""
    if not has_item(case):
        raise WorkflowError("this kind of case has no item to classify")
    if not can_edit_case(user, case):
        raise WorkflowError("only the researcher who wrote a draft case can propose its classification")
    answer = candidates_for(query, lang=lang)
    candidates = [{k: c.get(k) for k in _CANDIDATE_FIELDS} for c in answer["candidates"][:CANDIDATES_KEPT]]
    if choice is not None and not 0 <= choice < len(candidates):
        raise ValueError(f"candidate {choice + 1} is not one of the {len(candidates)} shown; search again")
    chosen = candidates[choice] if choice is not None else None
    with transaction.atomic():
        proposal = ClassificationProposal.objects.create(case=case, query=query.strip(), candidates=candidates,
                                                         chosen=chosen, proposed_by=user)
        record("case.classification_proposed", user=user, obj=case, changes={
            "query": proposal.query, "eccn": chosen["eccn"] if chosen else "none fits",
            "jp_item": chosen["jp_item"] if chosen else "該当なし"})
    return proposal


def confirm(case: Case, user: Any, *, eccn: str, jp_item: str, jp_article: str, reasons: str,
            item_name: str = "") -> Case:
    """The officer's classification: an item-master row (reusable, dated), the case's item facts, new checks."""
    if not can_review_case(user, case):
        raise WorkflowError("only an export-control officer reviewing this case can confirm its classification")
    if case.is_decided:
        raise WorkflowError("a decided case is frozen; re-checking opens a new revision")
    if not reasons.strip():
        raise WorkflowError("a classification needs a reason / 判定理由を記入してください")
    proposal = latest_proposal(case)
    description = proposal.query if proposal else str(case.facts.get("item", {}).get("description", ""))
    before = _snapshot(case)
    with transaction.atomic():
        row = services.confirm(user, item_name=item_name.strip() or case.title, description=description,
                               eccn=eccn, jp_item=jp_item, jp_article=jp_article, reasons=reasons,
                               candidates=proposal.candidates if proposal else [])
        facts = dict(case.facts)
        facts["item"] = {**facts.get("item", {}), "eccn": row.eccn.upper(), "jp_list_item": row.jp_item}
        case.facts = facts
        case.save(update_fields=["facts", "updated"])
        if proposal is not None:
            proposal.confirmed = row
            proposal.save(update_fields=["confirmed"])
        record("case.classification_confirmed", user=user, obj=case, reason=row.reasons,
               changes={"item_classification": row.pk, **diff(before, _snapshot(case))})
    return run_checks(case, user)


__all__ = ["CLASSIFY_KINDS", "candidates_for", "confirm", "has_item", "latest_proposal", "propose"]
