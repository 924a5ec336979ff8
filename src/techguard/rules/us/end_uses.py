"""End-use controls of Part 744 for the knowledge the activity states (744.2-744.4, 744.21-744.23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from techguard.i18n import N_
from techguard.rules.activity import Activity, EndUse
from techguard.rules.us.requirement import Requirement
from techguard.rules.us.tables import UsTables
from techguard.rules.us.trace import Trace
from techguard.rules.validity import value


def _countries(name: str, trace: Trace) -> frozenset[str]:
    """744.21 / 744.22 country set in force on the determination date (rules/validity.py)."""
    day = dt.date.fromisoformat(str(trace.details.get("as_of") or dt.date.today().isoformat()))
    return frozenset(value(name, day))


def end_use_requirements(
    activity: Activity, tables: UsTables, trace: Trace, dest: str, entry: dict[str, Any] | None
) -> list[Requirement]:
    hard: list[Requirement] = []
    ear99 = (activity.item.eccn or "").strip().upper() == "EAR99"
    for use in activity.end_use:
        if use is EndUse.NUCLEAR:
            hard.append(Requirement("15 CFR 744.2(a)", "nuclear end use"))
            trace.step(
                "end_use_nuclear",
                "15 CFR 744.2(a)",
                N_(
                    "Known nuclear end use (744.2(a)): a licence is required for any item subject to"
                    " the EAR."
                ),
            )
        elif use is EndUse.MISSILE:
            hard.append(Requirement("15 CFR 744.3(a)", "missile end use"))
            trace.step(
                "end_use_missile",
                "15 CFR 744.3(a)",
                N_(
                    "Known rocket/UAV (missile) end use (744.3(a)): a licence is required for any"
                    " item subject to the EAR."
                ),
            )
        elif use is EndUse.CHEMICAL_BIOLOGICAL:
            hard.append(Requirement("15 CFR 744.4(a)", "chemical/biological weapons end use"))
            trace.step(
                "end_use_cb",
                "15 CFR 744.4(a)",
                N_(
                    "Known chemical or biological weapons end use (744.4(a)): a licence is required"
                    " for any item subject to the EAR."
                ),
            )
        elif use is EndUse.MILITARY:
            if dest in _countries("us.military_end_use_countries", trace) and not ear99:
                hard.append(Requirement("15 CFR 744.21(a)", "military end use"))
                trace.step(
                    "end_use_military",
                    "15 CFR 744.21(a); Supp. No. 2 to Part 744",
                    N_(
                        "Military end use in {dest} (744.21 countries): a licence is required for"
                        " items listed in Supp. No. 2 to Part 744; the engine treats this ECCN as"
                        " within it — verify the list."
                    ),
                    dest=dest,
                )
            else:
                trace.step(
                    "end_use_military_outside",
                    "15 CFR 744.21(a)",
                    N_(
                        "Military end use stated; 744.21 reaches {dest} only for the countries it"
                        " names and items in Supp. No. 2 to Part 744 (EAR99 only where listed"
                        " there): no requirement from 744.21 here."
                    ),
                    dest=dest,
                )
        elif use is EndUse.MILITARY_INTELLIGENCE:
            if (
                dest in _countries("us.military_intelligence_countries", trace)
                or tables.in_group(dest, "E:1")
                or tables.in_group(dest, "E:2")
            ):
                hard.append(Requirement("15 CFR 744.22(a)", "military-intelligence end use"))
                trace.step(
                    "end_use_military_intelligence",
                    "15 CFR 744.22(a)",
                    N_(
                        "Military-intelligence end use/user in {dest}: a licence is required for any"
                        " item subject to the EAR."
                    ),
                    dest=dest,
                )
        elif use in (EndUse.ADVANCED_COMPUTING, EndUse.SEMICONDUCTOR_MANUFACTURING):
            if dest == "MO" or tables.in_group(dest, "D:5"):
                hard.append(Requirement("15 CFR 744.23(a)", "advanced computing / semiconductor end use"))
                trace.step(
                    "end_use_744_23",
                    "15 CFR 744.23(a)",
                    N_("advanced computing end use in {dest} (Macau or Country Group D:5): a licence is required"
                       " for the items 744.23(a) names (supercomputer / advanced-node IC development or"
                       " production).")
                    if use is EndUse.ADVANCED_COMPUTING
                    else N_("semiconductor manufacturing end use in {dest} (Macau or Country Group D:5): a licence"
                            " is required for the items 744.23(a) names (supercomputer / advanced-node IC"
                            " development or production)."),
                    dest=dest,
                )
            else:
                trace.step(
                    "end_use_744_23_outside",
                    "15 CFR 744.23(a)",
                    N_("744.23 end-use controls reach Macau and D:5 destinations; {dest} is neither."),
                    dest=dest,
                )
        elif use is EndUse.CIVIL:
            trace.step(
                "end_use_civil",
                "15 CFR 736.2(b)(5)",
                N_("Civil end use stated; no Part 744 end-use control."),
            )
    return hard


__all__ = ["end_use_requirements"]
