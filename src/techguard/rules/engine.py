"""The combiner: one activity -> the US EAR and the Japan FEFTA determinations, plus optional screening.

``assess(activity)`` runs both jurisdictions under the rules in force on ``as_of`` (default: the activity's
``as_of``, else today). When a screener is given, the named recipient / end user are screened first and the
alerting hits are added to the activity as :class:`ScreeningHit` s, with the match explanation as a step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from techguard.rules.activity import Activity, ScreeningHit, ScreeningParty
from techguard.rules.result import Assessment, JpOutcome, JurisdictionResult, Step
from techguard.rules.us import assess_us, us_tables_as_of

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


class ScreenParty(Protocol):
    """What the engine reads from a screened party (``techguard.matching`` Match.party)."""

    list: Any
    licence_requirement: str | None
    licence_policy: str | None


class ScreenMatch(Protocol):
    party: Any
    score: float
    alert: bool


class Screener(Protocol):
    """Duck-typed ``techguard.matching.Screener``: ``screen(Query(name=, country=), top=)``."""

    def screen(self, query: Any, *, top: int = ...) -> Sequence[Any]: ...


def _jp_assessor() -> Callable[[Activity, dt.date], JurisdictionResult] | None:
    try:
        from techguard.rules.jp import assess_jp  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    return assess_jp  # type: ignore[no-any-return, unused-ignore]


def _jp_not_built() -> JurisdictionResult:
    return JurisdictionResult(
        outcome=JpOutcome.INCOMPLETE.value,
        steps=(
            Step(
                "jp_engine_not_built",
                "外為法",
                "The Japan FEFTA engine is not installed in this build; no Japanese determination was made.",
                "外為法の判定エンジンが組み込まれていないため、日本側の判定は行っていません。",
            ),
        ),
    )


def assess(
    activity: Activity, *, as_of: dt.date | None = None, screener: Screener | None = None
) -> Assessment:
    """Both determinations for ``activity`` under the rules in force on ``as_of``."""
    date = as_of or activity.as_of or dt.date.today()
    screening_steps: list[Step] = []
    if screener is not None:
        activity, screening_steps = screen_parties(activity, screener)
    us = assess_us(activity, date)
    if screening_steps:
        us = dataclasses.replace(us, steps=tuple(screening_steps) + us.steps)
    jp_assess = _jp_assessor()
    jp = jp_assess(activity, date) if jp_assess is not None else _jp_not_built()
    return Assessment(us_ear=us, jp_fefta=jp, as_of=date.isoformat(), tables_as_of=tables_as_of())


def tables_as_of() -> dict[str, str]:
    """Table name -> the date of the official text it was generated from (US eCFR issue, e-Gov revision)."""
    tables = dict(us_tables_as_of())
    tables.update(_jp_tables_as_of())
    return tables


def _jp_tables_as_of() -> dict[str, str]:
    try:
        from techguard.rules import jp
    except ImportError:
        return {}
    fn = getattr(jp, "jp_tables_as_of", None)
    if fn is None:
        return {}
    result = fn()
    return {str(k): str(v) for k, v in dict(result).items()}


def _query(name: str, country: str | None) -> Any:
    try:
        from techguard.matching import Query  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return _FallbackQuery(name=name, country=country)
    return Query(name=name, country=country)


@dataclasses.dataclass(frozen=True)
class _FallbackQuery:
    """Used only when ``techguard.matching`` is not installed (a duck-typed screener gets the same fields)."""

    name: str
    country: str | None = None


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
        matches = screener.screen(_query(name, country), top=3)
        alerts = [m for m in matches if getattr(m, "alert", False)]
        if not alerts:
            steps.append(
                Step(
                    "screening_clear",
                    "15 CFR 744.11; Part 744 Supps. 4, 7",
                    f"Screened {party.value} {name!r}: no alerting match.",
                    f"{party.value} {name!r} をスクリーニング：該当候補なし。",
                )
            )
        for match in alerts:
            for listed_match in (match, *getattr(match, "related", ())):
                hit, step = _hit_from_match(party, name, listed_match, float(match.score))
                hits.append(hit)
                steps.append(step)
    return dataclasses.replace(activity, screening=tuple(hits)), steps


def _hit_from_match(party: ScreeningParty, name: str, match: Any, score: float) -> tuple[ScreeningHit, Step]:
    listed = match.party
    raw_list = str(getattr(listed, "list", ""))
    code = _LIST_CODES.get(raw_list.lower(), raw_list)
    listed_name = getattr(listed, "name", None) or name
    matched = getattr(match, "matched_name", None) or listed_name
    explanation = getattr(match, "explanation", None)
    how = ""
    if isinstance(explanation, dict):
        how = (
            f"; method {explanation.get('method')}, name score {explanation.get('name_score')},"
            f" threshold {explanation.get('threshold')}"
        )
    elif explanation:
        how = f"; {explanation}"
    footnote = getattr(listed, "fdp_footnote", None)
    if footnote is None:
        footnote = (getattr(listed, "extra", None) or {}).get("fdp_footnote")
    hit = ScreeningHit(
        party=party,
        list=code,
        name=str(listed_name),
        licence_requirement=getattr(listed, "licence_requirement", None),
        licence_policy=getattr(listed, "licence_policy", None),
        fdp_footnote=int(footnote) if isinstance(footnote, int | str) and str(footnote).isdigit() else None,
        score=score,
    )
    step = Step(
        "screening_hit",
        "15 CFR 744.11; Part 744",
        f"Screened {party.value} {name!r}: alert on {code} entry {listed_name!r} (matched name {matched!r}, score"
        f" {score:.2f}{how}).",
        f"{party.value} {name!r} をスクリーニング：{code} の {listed_name!r} に該当候補（一致した名称 {matched!r}、"
        f"スコア {score:.2f}）。",
    )
    return hit, step


__all__ = ["Screener", "assess", "screen_parties", "tables_as_of"]
