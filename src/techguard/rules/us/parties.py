"""Restricted-party hits given with the activity (or found by screening): Part 744 and General Prohibition 4."""

from __future__ import annotations

import datetime as dt
import re

from techguard.i18n import N_
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
                N_(
                    "The {who} is on the Entity List, but its licence requirement"
                    " ('{licence_requirement}') does not reach EAR99 items: no licence under 744.11"
                    " for this item."
                ),
                who=who,
                licence_requirement=hit.licence_requirement,
            )
        elif hit.list == "us_entity_list":
            hard.append(Requirement("15 CFR 744.11(a)", "Entity List"))
            no_exceptions = True
            trace.step(
                "entity_list",
                "15 CFR 744.11(a); Supp. No. 4 to Part 744",
                N_("The {who} is on the Entity List: a licence is required, to the extent the entry specifies, for"
                   " all items subject to the EAR (EAR99 included); licence exceptions only if the entry allows."
                   " Entry: {entry}")
                if extra
                else N_("The {who} is on the Entity List: a licence is required, to the extent the entry specifies,"
                        " for all items subject to the EAR (EAR99 included); licence exceptions only if the entry"
                        " allows."),
                who=who,
                entry=extra,
            )
        elif hit.list == "us_entity_list_affiliate":
            stayed = AFFILIATES_RULE_STAY[0] <= as_of <= AFFILIATES_RULE_STAY[1]
            if not value("us.affiliates_rule", as_of)["in_force"]:
                trace.step(
                    "affiliates_rule_not_in_force",
                    "15 CFR 744.11(a)(1); 90 FR 50857",
                    N_("The {who} is owned 50 % or more by listed entities, but on {date} the Affiliates rule is"
                       " stayed by 90 FR 50857 until 2026-11-09; the affiliate is not treated as listed (resolve"
                       " red flags before shipping).")
                    if stayed
                    else N_("The {who} is owned 50 % or more by listed entities, but on {date} the Affiliates rule"
                            " is not yet in force; the affiliate is not treated as listed (resolve red flags before"
                            " shipping)."),
                    who=who,
                    date=as_of.isoformat(),
                )
                continue
            hard.append(Requirement("15 CFR 744.11(a)(1)", "Entity List affiliate"))
            no_exceptions = True
            trace.step(
                "entity_list_affiliate",
                "15 CFR 744.11(a)(1); 90 FR 50857",
                N_(
                    "The {who} is owned 50 % or more (directly or indirectly, individually or in"
                    " aggregate) by Entity List entities: on {as_of} the Affiliates rule treats it"
                    " as listed — a licence is required for all items subject to the EAR."
                ),
                who=who,
                as_of=as_of.isoformat(),
            )
        elif hit.list == "us_dpl":
            hard.append(Requirement("15 CFR 736.2(b)(4)", "Denied Persons"))
            no_exceptions = True
            trace.step(
                "denied_person",
                "15 CFR 736.2(b)(4); Part 764",
                N_(
                    "The {who} is subject to a denial order: General Prohibition 4 — no licence"
                    " exception overcomes it."
                ),
                who=who,
            )
        elif hit.list == "us_meu" and ear99 and (destination or "").upper() not in _MEU_ALL_ITEMS:
            trace.step(
                "military_end_user_ear99",
                "15 CFR 744.21(a); Supp. No. 2 to Part 744",
                N_(
                    "The {who} is on the Military End-User List, but outside Russia and Belarus"
                    " 744.21 requires a licence only for the items listed by ECCN in Supp. No. 2 to"
                    " Part 744; an EAR99 item is not among them."
                ),
                who=who,
            )
        elif hit.list == "us_meu":
            hard.append(Requirement("15 CFR 744.21(a)", "Military End User"))
            trace.step(
                "military_end_user",
                "15 CFR 744.21(a); Supp. No. 7 to Part 744",
                N_(
                    "The {who} is on the Military End-User List: a licence is required for items in"
                    " Supp. No. 2 to Part 744 (and broader items for Russia/Belarus, 746.8)."
                ),
                who=who,
            )
        elif hit.list == "us_sdn":
            hard.append(Requirement("15 CFR 744.8", "SDN"))
            trace.step(
                "sdn",
                "15 CFR 744.8; 31 CFR Chapter V",
                N_(
                    "The {who} is a Specially Designated National: 744.8 requires a licence for all"
                    " items subject to the EAR for SDNs under the programs it names; OFAC rules"
                    " apply as well."
                ),
                who=who,
            )
        elif hit.list == "us_uvl":
            no_exceptions = True
            trace.step(
                "unverified_list",
                "15 CFR 744.15",
                N_(
                    "The {who} is on the Unverified List: a UVL statement is required and licence"
                    " exceptions are unavailable."
                ),
                who=who,
            )
    for hit in activity.screening:
        if hit.status is HitStatus.POSSIBLE:
            trace.step(
                "screening_hit_possible",
                "15 CFR Part 744",
                N_(
                    "Possible match of {value} with {list} entry {name!r}, not yet confirmed: not"
                    " treated as a fact (see the question on it)."
                ),
                value=hit.party.value,
                list=hit.list,
                name=hit.name,
            )
        if hit.status is HitStatus.RULED_OUT:
            trace.step(
                "screening_hit_ruled_out",
                "15 CFR Part 744",
                N_(
                    "The match of {value} with {list} entry {name!r} was ruled out by an officer:"
                    " ignored."
                ),
                value=hit.party.value,
                list=hit.list,
                name=hit.name,
            )
    if not party_hits(activity):
        trace.step(
            "no_party_hits_given",
            "15 CFR 736.2(b)(4)-(5); Part 744",
            N_(
                "No restricted-party hit was given for the parties; screen them (techguard screen)"
                " before relying on this answer."
            ),
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
