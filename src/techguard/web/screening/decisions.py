"""Officers' decisions on hits: record them (audited), find the one that covers a hit, apply them to results.

A hit is *covered* when every listing it shows (the best listing, other sources' copies of the same entry and
related listings on other lists) has a current decision for the same screened name and unchanged entry — or
when the counterparty has an unexpired allow-list entry for it. Covered hits are not asked again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from techguard.matching.hits import Hit, Listing, normalise_screened_name
from techguard.web.audit.chain import record
from techguard.web.screening.models import HIT_STATUS, AllowListEntry, Counterparty, HitDecision, Verdict

if TYPE_CHECKING:
    from techguard.web.cases.models import Case

EVIDENCE_FIELDS = ("dob", "address", "registration_no")


class DecisionError(ValueError):
    """A decision that cannot be recorded (no reason, unknown verdict)."""


def _all_listings(hit: Hit) -> list[Listing]:
    return [*hit.listings, *(x for r in hit.related for x in r.listings)]


def current_decision(hit: Hit) -> HitDecision | None:
    """The kept decision covering the hit's best listing for this screened name, if the entry is unchanged."""
    key = normalise_screened_name(hit.query_name)
    for listing in hit.listings:
        found = HitDecision.objects.filter(
            source=listing.source, entry_id=listing.entry_id, entry_hash=listing.entry_hash, screened_key=key,
            superseded=False,
        ).select_related("decided_by").first()
        if found is not None:
            return found
    return None


def allow_listed(hit: Hit, counterparty: Counterparty | None) -> AllowListEntry | None:
    if counterparty is None:
        return None
    today = timezone.localdate()
    for listing in _all_listings(hit):
        found = counterparty.allowed.filter(source=listing.source, entry_id=listing.entry_id,
                                            expires__gte=today).first()
        if found is not None:
            return found
    return None


def decide(user: User, hit: Hit, verdict: str, reason: str, evidence: dict[str, str] | None = None, *,
           case: Case | None = None, counterparty: Counterparty | None = None) -> list[HitDecision]:
    """Record ``verdict`` for every listing of ``hit`` (superseding earlier decisions on the same pairs) and
    one audit event. Returns the new decision rows, best listing first."""
    if verdict not in Verdict.values:
        raise DecisionError(f"unknown verdict {verdict!r}; use one of {', '.join(Verdict.values)}")
    if not reason.strip():
        raise DecisionError("a decision needs a reason / 判断には理由が必要です")
    clean = {k: str(v).strip() for k, v in (evidence or {}).items() if k in EVIDENCE_FIELDS and str(v).strip()}
    key = normalise_screened_name(hit.query_name)
    rows: list[HitDecision] = []
    with transaction.atomic():
        for listing in _all_listings(hit):
            HitDecision.objects.filter(source=listing.source, entry_id=listing.entry_id, screened_key=key,
                                       superseded=False).update(superseded=True)
            rows.append(HitDecision.objects.create(
                source=listing.source, entry_id=listing.entry_id, entry_hash=listing.entry_hash,
                snapshot_id=listing.snapshot_id, snapshot_sha256=listing.snapshot_sha256, list_code=listing.list,
                listed_name=listing.listed_name, screened_name=hit.query_name, screened_key=key, verdict=verdict,
                reason=reason.strip(), evidence=clean, score=hit.score, decided_by=user, case=case,
                counterparty=counterparty,
            ))
        record("screening.hit_decided", user=user, obj=rows[0], reason=reason.strip(), changes={
            "verdict": verdict, "screened_name": hit.query_name, "evidence": clean,
            "listings": [{"source": x.source, "entry_id": x.entry_id, "list": x.list, "snapshot_id": x.snapshot_id,
                          "entry_hash": x.entry_hash} for x in _all_listings(hit)],
            "score": hit.score, "case": case.reference if case is not None else None,
            "counterparty": counterparty.pk if counterparty else None,
        })
    return rows


def decision_json(decision: HitDecision) -> dict[str, Any]:
    return {
        "id": decision.pk, "verdict": decision.verdict, "status": decision.status, "reason": decision.reason,
        "evidence": decision.evidence, "by": decision.decided_by.get_username(),
        "at": decision.decided_at.isoformat(timespec="seconds"), "snapshot_id": decision.snapshot_id,
    }


def _current_decisions(hits: list[Hit]) -> dict[tuple[str, str, str, str], HitDecision]:
    """The kept decisions for every listing of ``hits`` in one query: (source, entry id, entry hash, name key)."""
    wanted = {(x.source, x.entry_id) for hit in hits for x in hit.listings}
    if not wanted:
        return {}
    rows = HitDecision.objects.filter(superseded=False, entry_id__in={e for _, e in wanted},
                                      source__in={s for s, _ in wanted}).select_related("decided_by")
    found: dict[tuple[str, str, str, str], HitDecision] = {}
    for row in rows:
        found.setdefault((row.source, row.entry_id, row.entry_hash, row.screened_key), row)
    return found


def annotate(matches: Iterable[dict[str, Any]], counterparty: Counterparty | None = None) -> list[dict[str, Any]]:
    """Each stored hit (``Hit.to_json``) with the decision that covers it (``decision``) and the resulting
    ``status``: confirmed / ruled_out / possible (undecided or "needs more information")."""
    pairs = [(dict(match), Hit.from_json(match)) for match in matches]
    kept = _current_decisions([hit for _, hit in pairs])
    out = []
    for entry, hit in pairs:
        key = normalise_screened_name(hit.query_name)
        allowed = allow_listed(hit, counterparty)
        decision = next((kept[k] for x in hit.listings
                         if (k := (x.source, x.entry_id, x.entry_hash, key)) in kept), None)
        if allowed is not None:
            entry["decision"] = {"verdict": "allow_listed", "status": "ruled_out", "reason": allowed.reason,
                                 "expires": allowed.expires.isoformat(), "by": allowed.created_by.get_username()}
        elif decision is not None:
            entry["decision"] = decision_json(decision)
        else:
            entry.pop("decision", None)
        entry["status"] = entry["decision"]["status"] if "decision" in entry else "possible"
        out.append(entry)
    return out


def needs_review(match: dict[str, Any]) -> bool:
    """An alerting or near-threshold hit nobody has decided yet (or marked "needs more information")."""
    return bool(match.get("alert") or match.get("below_threshold")) and (
        "decision" not in match or match["decision"].get("verdict") == Verdict.NEEDS_INFO
    )


__all__ = ["EVIDENCE_FIELDS", "HIT_STATUS", "DecisionError", "allow_listed", "annotate", "current_decision",
           "decide", "decision_json", "needs_review"]
