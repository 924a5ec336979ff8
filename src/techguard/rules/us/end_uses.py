"""End-use controls of Part 744 for the knowledge the activity states (744.2-744.4, 744.21-744.23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
                "Known nuclear end use (744.2(a)): a licence is required for any item subject to the EAR.",
                "核関連の最終用途を知っているため（744.2(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.MISSILE:
            hard.append(Requirement("15 CFR 744.3(a)", "missile end use"))
            trace.step(
                "end_use_missile",
                "15 CFR 744.3(a)",
                "Known rocket/UAV (missile) end use (744.3(a)): a licence is required for any item subject to"
                " the EAR.",
                "ミサイル（ロケット・無人機）関連の最終用途を知っているため（744.3(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.CHEMICAL_BIOLOGICAL:
            hard.append(Requirement("15 CFR 744.4(a)", "chemical/biological weapons end use"))
            trace.step(
                "end_use_cb",
                "15 CFR 744.4(a)",
                "Known chemical or biological weapons end use (744.4(a)): a licence is required for any item"
                " subject to the EAR.",
                "化学・生物兵器関連の最終用途を知っているため（744.4(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.MILITARY:
            if dest in _countries("us.military_end_use_countries", trace) and not ear99:
                hard.append(Requirement("15 CFR 744.21(a)", "military end use"))
                trace.step(
                    "end_use_military",
                    "15 CFR 744.21(a); Supp. No. 2 to Part 744",
                    f"Military end use in {dest} (744.21 countries): a licence is required for items listed in"
                    " Supp. No. 2 to Part 744; the engine treats this ECCN as within it — verify the list.",
                    f"{dest}（744.21対象国）での軍事最終用途：第744部補足2掲載品目に許可が必要です"
                    "（本ECCNが該当するものとして扱います。リストを確認してください）。",
                )
            else:
                trace.step(
                    "end_use_military_outside",
                    "15 CFR 744.21(a)",
                    f"Military end use stated; 744.21 reaches {dest} only for the countries it names and items in"
                    " Supp. No. 2 to Part 744 (EAR99 only where listed there): no requirement from 744.21 here.",
                    f"軍事用途の申告あり。744.21 は指定国・補足2品目のみが対象で、本件（{dest}）には及びません。",
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
                    f"Military-intelligence end use/user in {dest}: a licence is required for any item subject"
                    " to the EAR.",
                    f"{dest} における軍事情報用途・需要者：EAR対象の全品目に許可が必要です。",
                )
        elif use in (EndUse.ADVANCED_COMPUTING, EndUse.SEMICONDUCTOR_MANUFACTURING):
            if dest == "MO" or tables.in_group(dest, "D:5"):
                hard.append(Requirement("15 CFR 744.23(a)", "advanced computing / semiconductor end use"))
                trace.step(
                    "end_use_744_23",
                    "15 CFR 744.23(a)",
                    f"{use.value.replace('_', ' ')} end use in {dest} (Macau or Country Group D:5): a licence is"
                    " required for the items 744.23(a) names (supercomputer / advanced-node IC development or"
                    " production).",
                    f"{dest}（マカオ・D:5）での{'先端計算' if use is EndUse.ADVANCED_COMPUTING else '半導体製造'}"
                    "用途：744.23(a) に定める品目に許可が必要です。",
                )
            else:
                trace.step(
                    "end_use_744_23_outside",
                    "15 CFR 744.23(a)",
                    f"744.23 end-use controls reach Macau and D:5 destinations; {dest} is neither.",
                    f"744.23 の用途規制はマカオ・D:5向けで、{dest} は対象外です。",
                )
        elif use is EndUse.CIVIL:
            trace.step(
                "end_use_civil",
                "15 CFR 736.2(b)(5)",
                "Civil end use stated; no Part 744 end-use control.",
                "民生用途と申告されており、第744部の用途規制には当たりません。",
            )
    return hard


__all__ = ["end_use_requirements"]
