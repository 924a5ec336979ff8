"""Japan's country measures on goods: approvals (承認) under 外為法48条3項 and 輸出令2条1項, refused in principle.

These are not the 48条1項 licence (許可) of list control and catch-all: they are trade measures by destination
and party, each with its own provision and dates (rules/validity.py holds the dates, cited):

* North Korea — all goods (輸出令2条1項1号の2 as read under 附則3項), since 2009-06-18, renewed for fixed periods.
* Russia / Belarus 特定団体 (METI's lists, parsed by techguard.lists as ``jp_ban_russia`` / ``jp_ban_belarus``) —
  all goods (1号の7 / 1号の6), since 2022-03-18.
* 特定団体 in third countries (``jp_ban_third_country``) — goods of 別表第二の三 to the regions of 別表第二の四 (1号の8).
* Russia / Belarus — goods of 別表第二の三 (1号の4 / 1号の3); row 一 (別表第一 1–15の項 goods) from 2022-03-18.

Iran and the UN arms-embargo destinations of 別表第三の二 have no approval measure of their own in the held text of
輸出令2条; their special treatment (別表第四: no small-value exemption; conventional-weapons catch-all) is in the
licence rules, and a step says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from techguard.i18n import N_
from techguard.rules.activity import Activity, confirmed_hits
from techguard.rules.jp._trace import Trace
from techguard.rules.jp.decision import Classification, classify
from techguard.rules.jp.tables import JpTables
from techguard.rules.validity import RuleNotInForce, version

APPROVAL_CITATION = "外為法48条3項; 輸出令2条1項"
BAN_LISTS = {"jp_ban_russia": "RU", "jp_ban_belarus": "BY", "jp_ban_third_country": None}
APPENDIX_2_4 = frozenset({"AE", "AM", "CN", "IN", "KZ", "KG", "SY", "TH", "TR", "UZ"})  # 輸出令別表第二の四


@dataclass(frozen=True, slots=True)
class Measure:
    rule: str  # rules/validity.py name
    all_goods: bool  # True: whatever the goods; False: only goods of 別表第二の三


def approval_needed(
    activity: Activity, destination: str | None, as_of: dt.date, tables: JpTables, trace: Trace
) -> bool | None:
    """True (with the measure's step) if an approval is required; False if no measure applies; None if a fact
    it turns on is open (asked)."""
    hits = {h.list for h in confirmed_hits(activity)}
    measures: list[Measure] = []
    if destination == "KP":
        measures.append(Measure("jp.north_korea_all_goods", True))
    if destination == "RU" and "jp_ban_russia" in hits:
        measures.append(Measure("jp.russia_tokutei_dantai", True))
    if destination == "BY" and "jp_ban_belarus" in hits:
        measures.append(Measure("jp.belarus_tokutei_dantai", True))
    if destination in ("RU", "BY"):
        measures.append(Measure("jp.russia_belarus_items", False))
    if destination in APPENDIX_2_4 and "jp_ban_third_country" in hits:
        measures.append(Measure("jp.third_country_tokutei_dantai", False))
    _informational(destination, tables, trace)
    open_fact = False
    for measure in measures:
        try:
            held = version(measure.rule, as_of)
        except RuleNotInForce:
            trace.step(
                "jp_measure_not_in_force",
                APPROVAL_CITATION,
                N_("The measure {rule} is not in force on {as_of} (per the versions held)."),
                rule=measure.rule,
                as_of=as_of.isoformat(),
            )
            continue
        period = (
            f"{held.valid_from.isoformat()} – {held.valid_to.isoformat() if held.valid_to else 'in force'}"
        )
        if not measure.all_goods:
            covered = _appendix_2_3(activity)
            if covered is None:
                trace.ask(
                    "item.jp_appendix_2_3",
                    f"{held.citation}: an approval is required for goods of 輸出令別表第二の三 to {destination}",
                )
                open_fact = True
                continue
            if not covered:
                trace.step(
                    "jp_measure_item_not_covered",
                    held.citation,
                    N_(
                        "The goods are not in 輸出令別表第二の三: the item measure for {destination} does not"
                        " apply."
                    ),
                    destination=destination,
                )
                continue
        value = held.value
        name = value.get("measure", measure.rule) if isinstance(value, dict) else measure.rule
        note = held.note.rstrip()
        trace.step(
            "jp_approval_required",
            held.citation,
            N_("Japan's country measure '{name}' ({citation}; in force {period}): the export needs the approval"
               " (承認) of the Minister of Economy, Trade and Industry under 外為法48条3項, which is refused in"
               " principle — this is not a 48条1項 licence. {note}")
            if note
            else N_("Japan's country measure '{name}' ({citation}; in force {period}): the export needs the"
                    " approval (承認) of the Minister of Economy, Trade and Industry under 外為法48条3項, which is"
                    " refused in principle — this is not a 48条1項 licence."),
            name=name,
            citation=held.citation,
            period=period,
            note=note,
        )
        return True
    return None if open_fact else False


def _appendix_2_3(activity: Activity) -> bool | None:
    """Whether the goods are in 輸出令別表第二の三: listed goods (別表第一 1–15 = row 一) are; otherwise the fact."""
    classification, _ = classify(activity)
    if classification is Classification.LISTED:
        return True
    return activity.item.jp_appendix_2_3


def _informational(destination: str | None, tables: JpTables, trace: Trace) -> None:
    if destination == "IR":
        trace.step(
            "jp_iran_measures",
            "輸出令別表第四; 輸出令4条1項; 輸出令別表第一 16の項; 外為法16条",
            N_(
                "Iran: no approval measure under 輸出令2条 in the text held; Iran is a 別表第四 destination"
                " (懸念国) — the small-value exemption and other 4条 exemptions are not available, and"
                " the catch-all applies (not Group A). Payments to persons on MOF's asset-freeze"
                " list need MOF permission."
            ),
        )
    elif destination in tables.un_arms_embargo:
        trace.step(
            "jp_un_arms_embargo",
            "輸出令別表第三の二; 輸出令4条1項3号ハ; 通常兵器おそれ省令",
            N_(
                "{destination} is a UN arms-embargo destination (別表第三の二): the conventional-weapons"
                " catch-all applies to all goods of 16の項 and the small-value exemption is restricted."
            ),
            destination=destination,
        )


__all__ = ["APPENDIX_2_4", "approval_needed"]
