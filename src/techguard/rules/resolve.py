"""Three-valued evaluation by trying the values: ask an open fact only if some value of it changes the outcome.

Each jurisdiction's engine answers an outcome or ``incomplete`` with the facts it needs. :func:`resolve` then
tries every value of each needed fact (countries from a sample covering each kind of treatment, booleans,
enumerations, a few ECCNs/HS codes, a possible screening hit as confirmed or ruled out) and follows further
questions to a bounded depth. If every branch ends in the same answer, that answer stands — a part that decides
on its own wins (an Entity List party "for all items subject to the EAR" needs a licence wherever the item goes,
and the destination is not asked). Otherwise every fact whose values lead to different answers is asked at once,
with the outcome each value gives ("licence_required if CN, RU; no_licence_required if DE").

A country known only as a kind (``GROUP_A``, ``ABROAD``) is tried over the countries of that kind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from techguard.i18n import N_, Message, gettext
from techguard.rules.activity import (
    ABROAD,
    COUNTRY_FIELDS,
    GROUP_A,
    Activity,
    EndUse,
    HitStatus,
    ScreeningHit,
)
from techguard.rules.result import (
    JpOutcome,
    JurisdictionResult,
    MissingFact,
    Step,
    UsOutcome,
    outcomes_text,
    verdict,
)

Assessor = Callable[[Activity], JurisdictionResult]

# One country per kind of treatment on either side: the US itself, Japan, Group A / A:5 (DE), Canada (no NS
# column), D:1/D:5 (CN), Russia and Belarus (Part 746 / 特定団体 / 別表第二の三), E:1 embargoes (IR, KP), E:2
# (CU), UN arms embargo of 別表第三の二 (AF), a non-Group-A A:5 country (IN).
COUNTRY_SAMPLE = ("US", "JP", "DE", "CA", "CN", "RU", "BY", "IR", "KP", "CU", "AF", "IN")
GROUP_A_SAMPLE = ("US", "DE", "KR", "CA")  # 輸出令別表第三: the US and Canada differ on the US side
ABROAD_SAMPLE = tuple(c for c in COUNTRY_SAMPLE if c != "JP")
# ECCNs that span the Country Chart: not on the CCL, NS/RS-controlled, and an all-destinations entry.
ECCN_SAMPLE = ("EAR99", "3A001.a.2", "0A983")
HS_SAMPLE = ("8456", "8471", "0201")  # 16の項（1）, 16の項（2）, outside 16の項
MAX_DEPTH = 6
NO_LICENCE_REQUIRED = UsOutcome.NO_LICENCE_REQUIRED.value
assert JpOutcome.NO_LICENCE_REQUIRED.value == NO_LICENCE_REQUIRED  # one value in both vocabularies
MAX_CALLS = 300


@dataclasses.dataclass(frozen=True, slots=True)
class _Leaf:
    assigned: tuple[tuple[str, str], ...]
    result: JurisdictionResult


def resolve(activity: Activity, assess_one: Assessor, as_of: dt.date) -> JurisdictionResult:
    """The answer for ``activity`` with every open fact tried (see the module docstring)."""
    base, restricted = _lift_placeholders(activity)
    search = _Search(assess_one, restricted, as_of)
    search.root = search.run(base)  # the facts as given (a possible hit acted on by no rule): the steps shown
    leaves: list[_Leaf] = []
    search.explore(base, (), MAX_DEPTH, leaves)
    if len(leaves) == 1 and not leaves[0].assigned:
        return leaves[0].result
    return _combine(leaves, search)


class _Search:
    def __init__(self, assess_one: Assessor, restricted: dict[str, list[tuple[str, Any]]], as_of: dt.date):
        self.assess_one = assess_one
        self.restricted = restricted
        self.as_of = as_of
        self.calls = 0
        self.memo: dict[Activity, JurisdictionResult] = {}
        self.questions: dict[str, MissingFact] = {}
        self.root: JurisdictionResult | None = None

    def run(self, activity: Activity) -> JurisdictionResult:
        found = self.memo.get(activity)
        if found is None:
            self.calls += 1
            found = self.assess_one(activity)
            self.memo[activity] = found
        return found

    def explore(
        self, activity: Activity, assigned: tuple[tuple[str, str], ...], depth: int, out: list[_Leaf]
    ) -> None:
        done = {path for path, _ in assigned}
        for index, hit in enumerate(activity.screening):
            if hit.status is HitStatus.POSSIBLE:
                path = f"screening[{index}].status"
                self.questions.setdefault(path, _hit_question(path, hit))
                for label, value in (("confirmed", HitStatus.CONFIRMED), ("ruled_out", HitStatus.RULED_OUT)):
                    self.explore(with_fact(activity, path, value), (*assigned, (path, label)), depth, out)
                return
        result = self.run(activity)
        if result.outcome != "incomplete" or depth == 0 or self.calls >= MAX_CALLS:
            out.append(_Leaf(assigned, result))
            return
        for fact in result.missing_facts:
            if fact.field in done:
                continue
            values = self.candidates(fact.field, activity)
            if not values:
                continue
            self.questions.setdefault(fact.field, fact)
            for label, value in values:
                self.explore(
                    with_fact(activity, fact.field, value), (*assigned, (fact.field, label)), depth - 1, out
                )
            return
        out.append(_Leaf(assigned, result))

    def candidates(self, path: str, activity: Activity) -> list[tuple[str, Any]]:
        if path in self.restricted:
            return self.restricted[path]
        return candidates(path, activity, self.as_of)


def candidates(path: str, activity: Activity, as_of: dt.date) -> list[tuple[str, Any]]:
    """(label, value) pairs tried for an open fact; empty when its values cannot be enumerated (free text,
    a whole recipient, the reasons for control of an ECCN the tables do not hold)."""
    if path == "to_country":
        excluded = activity.from_country or "US"
        return [(c, c) for c in COUNTRY_SAMPLE if c != excluded]
    if path in COUNTRY_FIELDS:
        if path in ("recipient.citizenships",):
            return [(c, (c,)) for c in COUNTRY_SAMPLE]
        if path == "recipient.permanent_residence":
            return [("none", ()), ("US", ("US",)), ("DE", ("DE",)), ("CN", ("CN",))]
        return [(c, c) for c in COUNTRY_SAMPLE]
    if path == "item.eccn":
        return [(e, e) for e in ECCN_SAMPLE]
    if path == "item.hs_code":
        return [(h, h) for h in HS_SAMPLE]
    if path == "item.jp_list_item":
        if (activity.item.jp_list_item or "").strip().startswith("16"):
            return [
                ("16の項（1）", "16(1)"),
                ("16の項（2）", "16(2)"),
            ]  # which 16の項: the catch-all 用途要件
        return [("listed (1-15の項)", _ListedFlag(True)), ("16の項", "16")]
    if path == "item.us_content_percent":
        return [("0%", 0.0), ("20%", 20.0), ("50%", 50.0)]
    if path == "end_use":
        return [(e.value, (e,)) for e in (EndUse.CIVIL, EndUse.MILITARY, EndUse.NUCLEAR)]
    if path == "recipient.jp_residency.entered_japan":
        return [
            ("entered under 6 months ago", as_of - dt.timedelta(days=30)),
            ("entered 6 months or more ago", as_of - dt.timedelta(days=400)),
        ]
    leaf = _leaf_type(path)
    if leaf is bool:
        return [("true", True), ("false", False)]
    if isinstance(leaf, type) and issubclass(leaf, str) and hasattr(leaf, "__members__"):
        return [(m.value, m) for m in typing.cast(Any, leaf) if m.value != "unknown"]
    if leaf is float and path.endswith("_share"):
        return [("0", 0.0), ("0.3", 0.3)]
    return []


@dataclasses.dataclass(frozen=True, slots=True)
class _ListedFlag:
    """Setting ``item.jp_list_item`` to 'listed, row unknown' sets ``item.jp_list_controlled`` instead."""

    listed: bool


def with_fact(activity: Activity, path: str, value: Any) -> Activity:
    """A copy of ``activity`` with the fact at dotted ``path`` set (creating the parts on the way)."""
    if isinstance(value, _ListedFlag):
        return with_fact(activity, "item.jp_list_controlled", value.listed)
    if path.startswith("screening["):
        index = int(path[len("screening[") : path.index("]")])
        hits = list(activity.screening)
        hits[index] = dataclasses.replace(hits[index], status=value)
        return dataclasses.replace(activity, screening=tuple(hits))
    return typing.cast(Activity, _set(activity, path.split("."), value))


def _set(obj: Any, parts: list[str], value: Any) -> Any:
    name = parts[0]
    if len(parts) == 1:
        return dataclasses.replace(obj, **{name: value})
    child = getattr(obj, name)
    if child is None:
        child = _optional_class(type(obj), name)()
    return dataclasses.replace(obj, **{name: _set(child, parts[1:], value)})


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional_class(cls: type, name: str) -> type:
    tp = _hints(cls)[name]
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return typing.cast(type, args[0] if args else tp)


@cache
def _leaf_type(path: str) -> Any:
    cls: Any = Activity
    for name in path.split("."):
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            return None
        hints = _hints(cls)
        if name not in hints:
            return None
        tp = hints[name]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        cls = args[0] if typing.get_origin(tp) is not tuple and args else tp
    return cls


def _lift_placeholders(activity: Activity) -> tuple[Activity, dict[str, list[tuple[str, Any]]]]:
    """Country fields holding GROUP_A / ABROAD become open facts whose values are the countries of that kind."""
    restricted: dict[str, list[tuple[str, Any]]] = {}
    for path in sorted(COUNTRY_FIELDS):
        holder: Any = activity
        for name in path.split(".")[:-1]:
            holder = getattr(holder, name)
            if holder is None:
                break
        if holder is None:
            continue
        value = getattr(holder, path.rsplit(".", 1)[-1])
        if isinstance(value, tuple):
            kinds = [v for v in value if v in (GROUP_A, ABROAD)]
            if not kinds:
                continue
            rest = tuple(v for v in value if v not in (GROUP_A, ABROAD))
            sample = GROUP_A_SAMPLE if kinds[0] == GROUP_A else ABROAD_SAMPLE
            restricted[path] = [(c, (c, *rest)) for c in sample]
            activity = with_fact(activity, path, ())
        elif value in (GROUP_A, ABROAD):
            sample = GROUP_A_SAMPLE if value == GROUP_A else ABROAD_SAMPLE
            restricted[path] = [(c, c) for c in sample]
            activity = with_fact(activity, path, None)
    return activity, restricted


def _hit_question(path: str, hit: ScreeningHit) -> MissingFact:
    who = f"{hit.party.value} ↔ {hit.list} {hit.name!r}" if hit.name else f"{hit.party.value} ↔ {hit.list}"
    question = N_("Is the possible screening match {who} confirmed (the same party) or ruled out?")
    return MissingFact(
        field=path,
        question_en=gettext(question, "en").format(who=who),
        question_ja=gettext(question, "ja").format(who=who),
        why="a possible match is not a fact until an officer decides it (15 CFR Part 744; 外為法 キャッチオール需要者要件)",
    )


def _summary(outcomes: set[str]) -> str:
    """One outcome, or 'depends on other facts (…)' naming the verdicts still possible."""
    if len(outcomes) == 1:
        return next(iter(outcomes))
    verdicts = sorted({verdict(o) for o in outcomes})
    return f"depends on other facts ({' or '.join(verdicts)})"


def _combine(leaves: list[_Leaf], search: _Search) -> JurisdictionResult:
    outcomes = {str(leaf.result.outcome) for leaf in leaves}
    tried: dict[str, list[str]] = {}
    for leaf in leaves:
        for path, label in leaf.assigned:
            labels = tried.setdefault(path, [])
            if label not in labels:
                labels.append(label)
    one_verdict = "incomplete" not in outcomes and len({verdict(o) for o in outcomes}) == 1
    if one_verdict and (len(outcomes) == 1 or verdict(next(iter(outcomes))) == "not_required"):
        return _decided(leaves, outcomes, tried, search.root)
    questions: list[MissingFact] = []
    for path, labels in tried.items():
        per_value: list[tuple[str, str]] = []
        for label in labels:
            # branches where the fact was never asked hold whatever its value
            got = {
                str(leaf.result.outcome)
                for leaf in leaves
                if (path, label) in leaf.assigned or all(p != path for p, _ in leaf.assigned)
            }
            per_value.append((label, _summary(got)))
        summaries = {summary for _, summary in per_value}
        undetermined = any(summary.startswith("depends") or summary == "incomplete" for summary in summaries)
        # asked when its values give different answers — or when the answer is still open beyond the values
        # tried (the search depth), so that it cannot be shown not to matter
        if len(summaries) > 1 or undetermined:
            questions.append(dataclasses.replace(search.questions[path], outcomes=tuple(per_value)))
    asked = {q.field for q in questions} | set(tried)
    follow_ups: list[MissingFact] = []
    for leaf in leaves:
        for fact in leaf.result.missing_facts:
            if fact.field not in asked:
                asked.add(fact.field)
                follow_ups.append(fact)
    root = search.root
    steps = tuple(root.steps) if root is not None else ()
    details = dict(root.details) if root is not None else {}
    if follow_ups:
        # Facts an engine still needs in branches left open (beyond the values tried): asked too, without
        # per-value outcomes, so that every open fact is listed at once.
        details["follow_up_facts"] = [f.field for f in follow_ups]
        questions.extend(follow_ups)
    return JurisdictionResult(
        outcome="incomplete", steps=steps, missing_facts=tuple(questions), details=details
    )


def _decided(
    leaves: list[_Leaf], outcomes: set[str], tried: dict[str, list[str]], root: JurisdictionResult | None
) -> JurisdictionResult:
    # The reasons shown are those of the facts as given when they already give the answer (a possible screening
    # hit is then neither confirmed nor ruled out in them); else of a branch that confirms no possible hit.
    representative = min(
        leaves,
        key=lambda leaf: sum(p.startswith("screening[") and v == "confirmed" for p, v in leaf.assigned),
    )
    if root is not None and str(root.outcome) in outcomes:
        representative = _Leaf((), root)
    # Different ways of needing no licence (not subject, not an export, 公知 …) are one answer: the same value
    # ("no_licence_required") in both outcome vocabularies.
    outcome = next(iter(outcomes)) if len(outcomes) == 1 else NO_LICENCE_REQUIRED
    facts = "; ".join(f"{path} (tried: {', '.join(labels)})" for path, labels in tried.items())
    as_tried: str | Message = (
        ", ".join(f"{path} = {label}" for path, label in representative.assigned)
        or Message(N_("the facts as given"))
    )
    by_value = "; ".join(
        f"{', '.join(f'{p}={v}' for p, v in leaf.assigned)} → {leaf.result.outcome}" for leaf in leaves[:12]
    )
    step = Step.of(
        "open_facts_do_not_matter",
        "techguard: every value of the open facts tried",
        N_("Not stated: {facts}. Every value tried gives the same answer ({outcome}), so these facts are not asked."
           " The reasons below are those found with {as_tried}. Per value: {by_value}."),
        facts=facts,
        outcome=outcome,
        as_tried=as_tried,
        by_value=by_value,
    )
    result = representative.result
    return dataclasses.replace(result, outcome=outcome, steps=(step, *result.steps), missing_facts=())


__all__ = [
    "ABROAD_SAMPLE",
    "COUNTRY_SAMPLE",
    "ECCN_SAMPLE",
    "GROUP_A_SAMPLE",
    "candidates",
    "outcomes_text",
    "resolve",
    "with_fact",
]
