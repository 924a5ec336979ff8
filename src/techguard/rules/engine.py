"""The combiner: one activity -> the US EAR and the Japan FEFTA determinations, plus optional screening.

``assess(activity)`` runs both jurisdictions under the rules in force on ``as_of`` (default: the activity's
``as_of``, else today). When a screener is given, the named recipient / end user are screened first and the
alerting hits are added to the activity as :class:`ScreeningHit` s, with the match explanation as a step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from techguard.i18n import N_, Joined, Message, gettext
from techguard.matching import Query
from techguard.matching.hits import Hit, hits_from_matches
from techguard.rules.activity import Activity, ActivityKind, HitStatus, ItemType, ScreeningHit, ScreeningParty
from techguard.rules.facts import contradictions, payments_matters
from techguard.rules.jp import assess_jp, jp_tables_as_of, jp_tables_for
from techguard.rules.resolve import resolve
from techguard.rules.result import Assessment, JurisdictionResult, MissingFact, Step
from techguard.rules.us import assess_us, us_tables_as_of
from techguard.rules.us.tables import tables_for
from techguard.rules.validity import rules_in_force

_LIST_CODES = {  # screening list names -> the list codes the rules read
    "entity_list": "us_entity_list",
    "us_entity_list": "us_entity_list",
    "el": "us_entity_list",
    "meu": "us_meu",
    "us_meu": "us_meu",
    "mil_end_user": "us_meu",
    "uvl": "us_uvl",
    "us_uvl": "us_uvl",
    "unverified_list": "us_uvl",
    "dpl": "us_dpl",
    "us_dpl": "us_dpl",
    "bis_dpl": "us_dpl",
    "denied_persons": "us_dpl",
    "sdn": "us_sdn",
    "us_sdn": "us_sdn",
    "ofac_sdn": "us_sdn",
    "jp_eul": "jp_eul",
    "meti_eul": "jp_eul",
    "jp_meti_end_user_list": "jp_eul",
}


def _hit_status(match: Any) -> HitStatus:
    """Confirmed only when a decision travels with it (``status``/``decision``) or a listed identifier agrees;
    any other alert is a possible hit — an open fact, never stated as a finding (officers' decisions are applied
    by the case workflow, which states the hit with its status)."""
    decided = getattr(match, "status", None) or getattr(match, "decision", None)
    if str(decided) in (HitStatus.CONFIRMED.value, HitStatus.RULED_OUT.value):
        return HitStatus(str(decided))
    explanation = getattr(match, "explanation", None)
    if isinstance(explanation, dict):
        identifier = (explanation.get("features") or {}).get("identifier") or {}
        if isinstance(identifier, dict) and identifier.get("agree"):
            return HitStatus.CONFIRMED
    return HitStatus.POSSIBLE


class Screener(Protocol):
    """What ``techguard.matching.Screener`` offers: ``screen(Query(name=, country=), top=)`` → its matches."""

    def screen(self, query: Any, *, top: int = ...) -> Sequence[Any]: ...


def assess(
    activity: Activity, *, as_of: dt.date | None = None, screener: Screener | None = None
) -> Assessment:
    """Both determinations for ``activity`` under the rules in force on ``as_of``, each open fact tried (see
    :mod:`techguard.rules.resolve`), with the overall answer (the stricter side) and contradictions reported."""
    date = as_of or activity.as_of or dt.date.today()
    screening_steps: list[Step] = []
    if screener is not None:
        activity, screening_steps = screen_parties(activity, screener)
    versions = rules_in_force(date)
    us_tables, jp_tables = tables_for(date), jp_tables_for(date)  # once per assessment, not per value tried
    us = resolve(activity, lambda a: _us_with_exclusions(assess_us(a, date, tables=us_tables), a), date)
    if screening_steps:
        us = dataclasses.replace(us, steps=tuple(screening_steps) + us.steps)
    jp = resolve(activity, lambda a: assess_jp(a, date, tables=jp_tables), date)
    return Assessment(
        us_ear=us,
        jp_fefta=jp,
        as_of=date.isoformat(),
        tables_as_of=tables_as_of(date),
        warnings=(*contradictions(activity), *versions.warnings),
        rules_applied=versions.applied,
        beside=payments_matters(activity),
    )


_REQUIRED = ("licence_required", "licence_required_unless_exception")
_EXCLUSION_FACTS = {  # fact -> (the question, an English msgid; why it is asked)
    "item.published": (
        N_("Has the technology/software been made available to the public without restriction (published, 15 CFR"
           " 734.7)?"),
        "15 CFR 734.3(b)(3)(i), 734.7: published information is not subject to the EAR",
    ),
    "item.fundamental_research": (
        N_("Does the technology/software arise during or result from fundamental research whose results are meant"
           " to be published (no proprietary or national-security restrictions accepted)?"),
        "15 CFR 734.3(b)(3)(ii), 734.8: results of fundamental research are not subject to the EAR",
    ),
}


def _us_with_exclusions(result: JurisdictionResult, activity: Activity) -> JurisdictionResult:
    """A US licence requirement for technology/software whose exclusions (published, fundamental research) were
    not stated is not final: either fact would take the information out of the EAR (734.3(b)(3)). The engine
    reads them as absent (as BIS's worked examples do); the combined answer asks them."""
    item = activity.item
    if (
        result.outcome not in _REQUIRED
        or item.type not in (ItemType.TECHNOLOGY, ItemType.SOFTWARE)
        or activity.activity is ActivityKind.PUBLICATION
        or item.publication_planned is not None
        or item.kept_restricted is not None
        or item.catalog_course
    ):
        return result
    open_facts = [
        MissingFact(path, question, gettext(question, "ja"), why)
        for path, (question, why) in _EXCLUSION_FACTS.items()
        if getattr(item, path.split(".")[1]) is None
    ]
    if not open_facts or (item.published is False and item.fundamental_research is False):
        return result
    step = Step.of(
        "exclusions_not_stated",
        "15 CFR 734.3(b)(3)",
        N_("The answer below ({outcome}) holds only if the information is neither published nor the result of"
           " fundamental research; {facts} not stated."),
        outcome=result.outcome,
        facts=Joined(tuple(f.field for f in open_facts)),
    )
    return dataclasses.replace(
        result, outcome="incomplete", steps=(step, *result.steps), missing_facts=tuple(open_facts)
    )


def tables_as_of(as_of: dt.date | None = None) -> dict[str, str]:
    """Table name -> the date of the official text it was generated from (US eCFR issue, e-Gov revision); with
    ``as_of``, of the table versions in force on that date."""
    tables = dict(us_tables_as_of(as_of))
    tables.update(jp_tables_as_of(as_of))
    return tables


def screen_parties(activity: Activity, screener: Screener) -> tuple[Activity, list[Step]]:
    """Screen the recipient (name, employer) and the end user; alerting matches — and the same party on other
    lists (``Match.related``) — become ScreeningHits, each explained in a step (full explanation in ``details``)."""
    parties: list[tuple[ScreeningParty, str, str | None]] = []
    if activity.recipient is not None:
        r = activity.recipient
        if r.name:
            parties.append((ScreeningParty.RECIPIENT, r.name, r.location_country))
        if r.employer:
            parties.append((ScreeningParty.RECIPIENT, r.employer, r.location_country))
    if activity.end_user is not None and activity.end_user.name:
        parties.append((ScreeningParty.END_USER, activity.end_user.name, activity.end_user.country))
    hits: list[ScreeningHit] = list(activity.screening)
    steps: list[Step] = []
    for party, name, country in parties:
        # the one path from a screening result to hits (techguard.matching.hits), as the CLI and web use
        alerting = [hit for hit in hits_from_matches(screener.screen(Query(name=name, country=country), top=3))
                    if hit.alert]
        if not alerting:
            steps.append(
                Step.of(
                    "screening_clear",
                    "15 CFR 744.11; Part 744 Supps. 4, 7",
                    N_("Screened {party} {name!r}: no alerting match."),
                    party=party.value,
                    name=name,
                )
            )
        for hit in alerting:
            status = _hit_status(hit)
            for fields in hit.rules_hits():  # the hit's list and each other list of the same party, once each
                code = _LIST_CODES.get(str(fields["list"]).lower(), str(fields["list"]))
                screening_hit = ScreeningHit(party=party, **{**fields, "list": code}, status=status)
                hits.append(screening_hit)
                steps.append(_hit_step(party, name, hit, screening_hit))
    return dataclasses.replace(activity, screening=tuple(hits)), steps


_STATES = {
    HitStatus.CONFIRMED: N_("confirmed match"),
    HitStatus.POSSIBLE: N_("possible match, not yet confirmed"),
    HitStatus.RULED_OUT: N_("ruled out"),
}


def _hit_step(party: ScreeningParty, name: str, hit: Hit, listed: ScreeningHit) -> Step:
    """The hit as a step, with the matcher's own explanation (which techguard.matching writes in English and
    Japanese: a third language shows the English one)."""
    return Step.of(
        "screening_hit",
        "15 CFR 744.11; Part 744",
        N_("Screened {party} {name!r}: {state} with {list} entry {entry!r} (matched name {matched!r}, score"
           " {score:.2f}; {explanation})."),
        party=party.value,
        name=name,
        state=Message(_STATES[listed.status]),
        list=listed.list,
        entry=listed.name,
        matched=hit.matched_name,
        score=listed.score,
        explanation=hit.explanation_en,
        explanation_ja=hit.explanation_ja,
    )


__all__ = ["Screener", "assess", "screen_parties", "tables_as_of"]
