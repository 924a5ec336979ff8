"""Restricted-party hits given with the activity (or found by screening): Part 744 and General Prohibition 4."""

from __future__ import annotations

import datetime as dt
import re

from techguard.rules.activity import Activity, HitStatus, ScreeningHit, ScreeningParty, confirmed_hits
from techguard.rules.us.requirement import Requirement
from techguard.rules.us.trace import Trace
from techguard.rules.validity import value

# 90 FR 50857: the Affiliates (50 %) rule of 744.11(a)(1), effective 2025-09-29, stayed 2025-11-10 .. 2026-11-09.
AFFILIATES_RULE_EFFECTIVE = dt.date(2025, 9, 29)
AFFILIATES_RULE_STAY = (dt.date(2025, 11, 10), dt.date(2026, 11, 9))


# Entity List entries whose licence requirement leaves EAR99 items out ("... having a classification other than
# EAR99", "... except items designated EAR99"); "except food and medicine designated EAR99" is not among them.
_EL_EXCLUDES_EAR99 = re.compile(
    r"other than EAR99|except(?: for)?(?: items)?(?: (?:designated|classified))?(?: as)? EAR99", re.IGNORECASE
)
# 744.21(a): for Russia and Belarus the military end-user rule reaches all items subject to the EAR; elsewhere
# only the items listed (by ECCN) in Supp. No. 2 to Part 744.
_MEU_ALL_ITEMS = ("RU", "BY")


def party_requirements(
    activity: Activity,
    trace: Trace,
    as_of: dt.date,
    hard: list[Requirement],
    *,
    destination: str | None = None,
) -> bool:
    """Part 744 / GP4 restricted-party hits. Returns True when licence exceptions are unavailable."""
    no_exceptions = False
    ear99 = (activity.item.eccn or "").strip().upper() == "EAR99"
    for hit in party_hits(activity):
        who = f"{hit.party.value} {hit.name!r}" if hit.name else hit.party.value
        extra = "; ".join(x for x in (hit.licence_requirement, hit.licence_policy) if x)
        if (
            hit.list == "us_entity_list"
            and ear99
            and _EL_EXCLUDES_EAR99.search(hit.licence_requirement or "")
        ):
            trace.step(
                "entity_list_not_ear99",
                "15 CFR 744.11(a); Supp. No. 4 to Part 744",
                f"The {who} is on the Entity List, but its licence requirement ('{hit.licence_requirement}') does not"
                " reach EAR99 items: no licence under 744.11 for this item.",
                f"{who} はエンティティリスト掲載者ですが、その許可要件（{hit.licence_requirement}）はEAR99品目に"
                "及ばないため、本品目に744.11上の許可は不要です。",
            )
        elif hit.list == "us_entity_list":
            hard.append(Requirement("15 CFR 744.11(a)", "Entity List"))
            no_exceptions = True
            trace.step(
                "entity_list",
                "15 CFR 744.11(a); Supp. No. 4 to Part 744",
                f"The {who} is on the Entity List: a licence is required, to the extent the entry specifies, for"
                " all items subject to the EAR (EAR99 included); licence exceptions only if the entry allows"
                + (f". Entry: {extra}" if extra else "."),
                f"{who} はエンティティリスト掲載者です。エントリーの範囲でEAR対象の全品目（EAR99を含む）に許可が必要で、"
                "エントリーが認める場合を除き許可例外は使えません。" + (f"（{extra}）" if extra else ""),
            )
        elif hit.list == "us_entity_list_affiliate":
            stayed = AFFILIATES_RULE_STAY[0] <= as_of <= AFFILIATES_RULE_STAY[1]
            if not value("us.affiliates_rule", as_of)["in_force"]:
                state = "stayed by 90 FR 50857 until 2026-11-09" if stayed else "not yet in force"
                trace.step(
                    "affiliates_rule_not_in_force",
                    "15 CFR 744.11(a)(1); 90 FR 50857",
                    f"The {who} is owned 50 % or more by listed entities, but on {as_of.isoformat()} the Affiliates"
                    f" rule is {state}; the affiliate is not treated as listed (resolve red flags before shipping).",
                    f"{who} はリスト掲載者が50%以上所有していますが、{as_of.isoformat()} 時点で関連会社ルールは"
                    f"{'停止中' if stayed else '未施行'}のため、掲載者とは扱いません。",
                )
                continue
            hard.append(Requirement("15 CFR 744.11(a)(1)", "Entity List affiliate"))
            no_exceptions = True
            trace.step(
                "entity_list_affiliate",
                "15 CFR 744.11(a)(1); 90 FR 50857",
                f"The {who} is owned 50 % or more (directly or indirectly, individually or in aggregate) by Entity"
                f" List entities: on {as_of.isoformat()} the Affiliates rule treats it as listed — a licence is"
                " required for all items subject to the EAR.",
                f"{who} はエンティティリスト掲載者が直接・間接に50%以上所有しており、{as_of.isoformat()} 時点の関連会社"
                "ルールにより掲載者と同様に扱われ、EAR対象の全品目に許可が必要です。",
            )
        elif hit.list == "us_dpl":
            hard.append(Requirement("15 CFR 736.2(b)(4)", "Denied Persons"))
            no_exceptions = True
            trace.step(
                "denied_person",
                "15 CFR 736.2(b)(4); Part 764",
                f"The {who} is subject to a denial order: General Prohibition 4 — no licence exception overcomes it.",
                f"{who} は取引禁止命令の対象者です（一般禁止4）。許可例外では解除できません。",
            )
        elif hit.list == "us_meu" and ear99 and (destination or "").upper() not in _MEU_ALL_ITEMS:
            trace.step(
                "military_end_user_ear99",
                "15 CFR 744.21(a); Supp. No. 2 to Part 744",
                f"The {who} is on the Military End-User List, but outside Russia and Belarus 744.21 requires a licence"
                " only for the items listed by ECCN in Supp. No. 2 to Part 744; an EAR99 item is not among them.",
                f"{who} は軍事エンドユーザーリスト掲載者ですが、ロシア・ベラルーシ以外では 744.21 の許可要件は第744部"
                "補足2にECCNで掲げる品目のみで、EAR99品目は含まれません。",
            )
        elif hit.list == "us_meu":
            hard.append(Requirement("15 CFR 744.21(a)", "Military End User"))
            trace.step(
                "military_end_user",
                "15 CFR 744.21(a); Supp. No. 7 to Part 744",
                f"The {who} is on the Military End-User List: a licence is required for items in Supp. No. 2 to"
                " Part 744 (and broader items for Russia/Belarus, 746.8).",
                f"{who} は軍事エンドユーザーリスト掲載者です。第744部補足2の品目等に許可が必要です。",
            )
        elif hit.list == "us_sdn":
            hard.append(Requirement("15 CFR 744.8", "SDN"))
            trace.step(
                "sdn",
                "15 CFR 744.8; 31 CFR Chapter V",
                f"The {who} is a Specially Designated National: 744.8 requires a licence for all items subject to"
                " the EAR for SDNs under the programs it names; OFAC rules apply as well.",
                f"{who} はSDN掲載者です。744.8 の対象プログラムのSDNにはEAR対象の全品目に許可が必要で、OFAC規則も適用されます。",
            )
        elif hit.list == "us_uvl":
            no_exceptions = True
            trace.step(
                "unverified_list",
                "15 CFR 744.15",
                f"The {who} is on the Unverified List: a UVL statement is required and licence exceptions are"
                " unavailable.",
                f"{who} は未検証リスト掲載者です。UVL誓約書が必要で、許可例外は使えません。",
            )
    for hit in activity.screening:
        if hit.status is HitStatus.POSSIBLE:
            trace.step(
                "screening_hit_possible",
                "15 CFR Part 744",
                f"Possible match of {hit.party.value} with {hit.list} entry {hit.name!r}, not yet confirmed: not"
                " treated as a fact (see the question on it).",
                f"{hit.party.value} と {hit.list} の {hit.name!r} は該当候補（未確認）であり、事実としては扱いません"
                "（確認事項を参照）。",
            )
        if hit.status is HitStatus.RULED_OUT:
            trace.step(
                "screening_hit_ruled_out",
                "15 CFR Part 744",
                f"The match of {hit.party.value} with {hit.list} entry {hit.name!r} was ruled out by an officer:"
                " ignored.",
                f"{hit.party.value} と {hit.list} の {hit.name!r} との一致は担当者が否定したため、考慮しません。",
            )
    if not party_hits(activity):
        trace.step(
            "no_party_hits_given",
            "15 CFR 736.2(b)(4)-(5); Part 744",
            "No restricted-party hit was given for the parties; screen them (techguard screen) before relying on"
            " this answer.",
            "当事者の制限リスト該当は示されていません。本回答に依拠する前にスクリーニングしてください。",
        )
    return no_exceptions


def party_hits(activity: Activity) -> tuple[ScreeningHit, ...]:
    """The screening hits given, plus an Entity List affiliate hit for each party stated to be owned 50 % or
    more by listed entities (744.11(a)(1)) that does not already carry one — the field and the list code mean
    the same thing, so both routes reach the same Affiliates-rule logic."""
    hits = list(confirmed_hits(activity))
    parties = (
        (ScreeningParty.RECIPIENT, activity.recipient),
        (ScreeningParty.END_USER, activity.end_user),
    )
    for role, party in parties:
        if party is None or party.owned_50_percent_or_more_by_listed_entities is not True:
            continue
        if any(h.party is role and h.list == "us_entity_list_affiliate" for h in hits):
            continue
        hits.append(ScreeningHit(party=role, list="us_entity_list_affiliate", name=party.name))
    return tuple(hits)


__all__ = ["AFFILIATES_RULE_EFFECTIVE", "AFFILIATES_RULE_STAY", "party_hits", "party_requirements"]
