"""Catch-all control (キャッチオール規制, 16の項) for goods and technology.

Goods: 輸出令4条1項3号 (16の項（1）) and 4号 (16の項（2）) exempt 16の項 goods to non-グループA destinations unless
イ WMD 用途/需要者 (核兵器等おそれ省令), ロ WMD インフォーム, ハ conventional-weapons 用途(/需要者) (通常兵器おそれ省令),
ニ conventional インフォーム; for 16の項（2） ハ applies only to 別表第三の二 (UN arms-embargo) destinations.
Group A (別表第三) is outside the catch-all except an インフォーム (輸出令1条3項, 4条2項3号).
Technology: 外為令別表16の項 with the parallel exemption in 貿易外省令9条2項7号.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from techguard.i18n import N_, Joined
from techguard.rules.activity import Activity, EndUse, ScreeningParty, confirmed_hits
from techguard.rules.jp._trace import Trace
from techguard.rules.jp.tables import JpTables

# 通常兵器キャッチオール見直し (施行 2025-10-09): 16の項（1） to every non-Group-A destination gets 用途・需要者要件.
CONVENTIONAL_16_1_GENERAL_FROM = dt.date(2025, 10, 9)
WMD_USES = frozenset({EndUse.NUCLEAR, EndUse.MISSILE, EndUse.CHEMICAL_BIOLOGICAL})
CONVENTIONAL_USES = frozenset({EndUse.MILITARY, EndUse.MILITARY_INTELLIGENCE})
EUL_LISTS = frozenset({"jp_eul", "jp_meti_eul", "meti_eul", "jp_end_user_list"})


class Scope(StrEnum):
    GOODS_16_1 = "16(1)"
    GOODS_16_2 = "16(2)"
    TECHNOLOGY_16_1 = "tech16(1)"  # technology for 16の項（1） goods
    TECHNOLOGY_16_2 = "tech16(2)"


TECHNOLOGY_SCOPES = frozenset({Scope.TECHNOLOGY_16_1, Scope.TECHNOLOGY_16_2})
# 2025-10-09 revision: 16の項（1） goods and the technology for them (外為令別表 16の項（1）) get the conventional
# 用途・需要者要件 for every non-Group-A destination; 16の項（2） keeps it for 別表第三の二 destinations only.
SCOPES_16_1 = frozenset({Scope.GOODS_16_1, Scope.TECHNOLOGY_16_1})


@dataclass(frozen=True, slots=True)
class _Cite:
    rule: str
    wmd: str
    conventional: str
    inform: str
    group_a: str


_CITES = {
    Scope.GOODS_16_1: _Cite(
        "輸出令別表第一 16の項（1）",
        "輸出令4条1項3号イ; 核兵器等おそれ省令",
        "輸出令4条1項3号ハ; 通常兵器おそれ省令",
        "輸出令4条1項3号ロ・ニ",
        "輸出令別表第一 16の項（下欄）; 輸出令1条3項; 輸出令4条2項3号",
    ),
    Scope.GOODS_16_2: _Cite(
        "輸出令別表第一 16の項（2）",
        "輸出令4条1項4号イ; 核兵器等おそれ省令",
        "輸出令4条1項4号ハ; 通常兵器おそれ省令",
        "輸出令4条1項4号ロ・ニ",
        "輸出令別表第一 16の項（下欄）; 輸出令1条3項; 輸出令4条2項3号",
    ),
    Scope.TECHNOLOGY_16_1: _Cite(
        "外為令別表 16の項（1）",
        "貿易外省令9条2項7号イ; 核兵器等おそれ省令",
        "貿易外省令9条2項7号ハ; 通常兵器おそれ省令",
        "貿易外省令9条2項7号ロ・ニ",
        "外為令別表 16の項; 外為法25条1項",
    ),
    Scope.TECHNOLOGY_16_2: _Cite(
        "外為令別表 16の項（2）",
        "貿易外省令9条2項7号イ; 核兵器等おそれ省令",
        "貿易外省令9条2項7号ハ; 通常兵器おそれ省令",
        "貿易外省令9条2項7号ロ・ニ",
        "外為令別表 16の項; 外為法25条1項",
    ),
}


def eul_hits(activity: Activity) -> list[str]:
    return [
        hit.name or hit.party.value
        for hit in confirmed_hits(activity)
        # 需要者 (end user) and 輸入者/consignee (recipient, intermediate) are both checked against the list
        if hit.list.lower() in EUL_LISTS
        and hit.party in (ScreeningParty.END_USER, ScreeningParty.RECIPIENT, ScreeningParty.INTERMEDIATE)
    ]


def catch_all_licence(
    scope: Scope, destination: str | None, activity: Activity, as_of: dt.date, tables: JpTables, trace: Trace
) -> bool | None:
    """Whether the catch-all requires a licence; ``None`` with questions when a deciding fact is missing."""
    cite = _CITES[scope]
    inform = activity.jp_inform_received
    if inform:
        trace.step(
            "jp_inform",
            cite.inform if destination not in tables.group_a else cite.group_a,
            N_(
                "METI has informed the exporter that a licence is required (インフォーム): licence"
                " required."
            ),
        )
        return True
    if destination is None:
        concern = (
            WMD_USES.intersection(activity.end_use)
            or CONVENTIONAL_USES.intersection(activity.end_use)
            or eul_hits(activity)
        )
        if scope in TECHNOLOGY_SCOPES and activity.end_use and not concern:
            # the destination only decides whether the 客観要件 are looked at; with none met it cannot matter.
            # (Goods keep asking: a shipment always has a destination, and it decides measures beyond 48条1項
            # such as the 輸出承認 bans, which the user must see.)
            uses = ", ".join(u.value for u in activity.end_use)
            trace.step(
                "jp_catch_all_no_concern",
                f"{cite.rule}; {cite.wmd}; {cite.conventional}",
                N_(
                    "End use ({uses}) meets no 用途要件, no End User List hit recorded, no インフォーム"
                    " (METI's notice that a licence is needed): no licence under the catch-all"
                    " whatever the destination."
                ),
                uses=uses,
            )
            return False
        trace.ask(
            "use_abroad_country" if scope in TECHNOLOGY_SCOPES else "to_country",
            f"the catch-all depends on the destination ({cite.rule})",
        )
        if not activity.end_use:
            trace.ask(
                "end_use", f"the catch-all 用途要件 turns on the end use ({cite.wmd}; {cite.conventional})"
            )
        return None
    if destination in tables.group_a:
        trace.step(
            "jp_catch_all_group_a",
            cite.group_a,
            N_(
                "{destination} is in 別表第三 (Group A), outside the catch-all; no インフォーム (METI's notice"
                " that a licence is needed) recorded: no licence under the catch-all (list control"
                " of items 1–15 still applies to Group A)."
            ),
            destination=destination,
        )
        return False
    trace.step(
        "jp_catch_all_scope",
        cite.rule,
        N_(
            "{destination} is not in 別表第三 (Group A): the catch-all 客観要件 (the catch-all's end-use and"
            " end-user conditions) and インフォーム要件 (a licence needed when METI has notified one) apply."
        ),
        destination=destination,
    )
    embargoed = destination in tables.un_arms_embargo
    decided = False
    if inform is None:
        trace.step(
            "jp_inform",
            cite.inform,
            N_(
                "No インフォーム (METI's written notice that a licence is needed) is recorded (treated as"
                " none received; if one was, a licence is required)."
            ),
        )
    wmd = sorted(u.value for u in WMD_USES.intersection(activity.end_use))
    if wmd:
        trace.step(
            "jp_catch_all_wmd_use",
            cite.wmd,
            N_("End use {uses}: the WMD 用途要件 is met: licence required."),
            uses=Joined(tuple(wmd)),
        )
        return True
    hits = eul_hits(activity)
    if hits:
        trace.step(
            "jp_catch_all_end_user_list",
            cite.wmd + "; 外国ユーザーリスト",
            N_("End User List (外国ユーザーリスト) hit on {names}: the 需要者要件 is met unless the 明らかガイドライン"
               " show the goods/technology are clearly not for WMD use (not modelled): licence required."),
            names=Joined(tuple(hits)),
        )
        return True
    conventional = sorted(u.value for u in CONVENTIONAL_USES.intersection(activity.end_use))
    if conventional:
        applies = embargoed or (scope in SCOPES_16_1 and as_of >= CONVENTIONAL_16_1_GENERAL_FROM)
        if applies:
            trace.step(
                "jp_catch_all_conventional_use",
                cite.conventional + ("; 輸出令別表第三の二" if embargoed else ""),
                N_("Military end use/end user for a 別表第三の二 (UN arms embargo) destination: the"
                   " conventional-weapons 用途・需要者要件 is met: licence required.")
                if embargoed
                else N_("Military end use/end user for 16の項（1） goods/technology to a non-Group-A destination"
                        " (since 2025-10-09): the conventional-weapons 用途・需要者要件 is met: licence required."),
            )
            return True
        trace.step(
            "jp_catch_all_conventional_use",
            cite.conventional,
            N_("Military end use, but for this scope the conventional-weapons catch-all reaches {destination}"
               " only by インフォーム (用途要件 only for 別表第三の二 destinations; for 16の項（1） from 2025-10-09).")
            if scope in SCOPES_16_1
            else N_("Military end use, but for this scope the conventional-weapons catch-all reaches {destination}"
                    " only by インフォーム (用途要件 only for 別表第三の二 destinations)."),
            destination=destination,
        )
        decided = True
    if not activity.end_use:
        trace.ask("end_use", f"the catch-all 用途要件 turns on the end use ({cite.wmd}; {cite.conventional})")
        return None
    uses = ", ".join(u.value for u in activity.end_use)
    if EndUse.UNKNOWN in activity.end_use:
        uses += " — nothing the exporter has or was told indicates a concerning use; the 客観要件 (the catch-all's end-use and end-user conditions) turn on that knowledge"
    if decided:
        trace.step(
            "jp_catch_all_no_concern",
            cite.rule,
            N_(
                "No WMD end use, no End User List hit recorded, no インフォーム (METI's notice that a"
                " licence is needed): no licence under the catch-all."
            ),
        )
    else:
        trace.step(
            "jp_catch_all_no_concern",
            cite.rule,
            N_(
                "End use ({uses}) meets no 用途要件, no End User List hit recorded, no インフォーム (METI's"
                " notice that a licence is needed): no licence under the catch-all."
            ),
            uses=uses,
        )
    return False


__all__ = [
    "CONVENTIONAL_16_1_GENERAL_FROM",
    "CONVENTIONAL_USES",
    "WMD_USES",
    "Scope",
    "catch_all_licence",
    "eul_hits",
]
