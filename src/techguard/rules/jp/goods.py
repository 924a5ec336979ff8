"""Goods: 外為法48条1項 + 輸出令1条・別表第一 (list control 1–15, catch-all 16) and the small-value exemption."""

from __future__ import annotations

import datetime as dt
import re

from techguard.i18n import N_, Message, Messages
from techguard.rules.activity import Activity, ActivityError, ActivityKind
from techguard.rules.jp._trace import Trace
from techguard.rules.jp.catchall import CONVENTIONAL_USES, WMD_USES, Scope, catch_all_licence, eul_hits
from techguard.rules.jp.decision import Classification, Decision, classify
from techguard.rules.jp.items import ListItem
from techguard.rules.jp.measures import approval_needed
from techguard.rules.jp.tables import JpTables
from techguard.rules.result import JpOutcome, LicenceException
from techguard.rules.validity import value as rule_value

JP = "JP"
SMALL_VALUE_CITATION = "輸出令4条1項5号"
SMALL_VALUE_LIMIT_YEN = 1_000_000
SMALL_VALUE_LIMIT_APPENDIX_3_3_YEN = 50_000
SMALL_VALUE_ITEMS = frozenset(range(5, 14)) | {15}


def has_japan_link(activity: Activity) -> bool:
    return bool(
        activity.provider.jp_resident
        or activity.provider.country == JP
        or activity.item.jp_list_item
        or activity.jp_inform_received is not None
    )


def assess_goods(activity: Activity, as_of: dt.date, tables: JpTables, trace: Trace) -> Decision:
    if activity.activity not in (ActivityKind.EXPORT, ActivityKind.CARRY_ABROAD, ActivityKind.REEXPORT):
        trace.step(
            "jp_goods_not_exported",
            "外為法48条1項",
            N_("A {value} of goods is not an export of goods from Japan; 48条 does not apply."),
            value=activity.activity.value,
        )
        return Decision(JpOutcome.NOT_APPLICABLE)
    origin = activity.from_country
    if origin is None:
        if not has_japan_link(activity):
            trace.step(
                "jp_not_applicable",
                "外為法48条1項",
                N_(
                    "Nothing links this shipment to Japan (no Japanese exporter, not shipped from"
                    " Japan)."
                ),
            )
            return Decision(JpOutcome.NOT_APPLICABLE)
        trace.ask("from_country", "外為法48条1項 covers goods exported from Japan")
        return Decision(JpOutcome.INCOMPLETE)
    if origin != JP:
        trace.step(
            "jp_not_applicable",
            "外為法48条1項",
            N_(
                "Goods shipped from {origin}, not from Japan: 外為法48条 does not apply (Japan has no"
                " re-export control)."
            ),
            origin=origin,
        )
        return Decision(JpOutcome.NOT_APPLICABLE)
    destination = activity.to_country
    if destination == JP:
        trace.step(
            "jp_not_applicable",
            "外為法48条1項",
            N_("Destination is Japan: not an export."),
        )
        return Decision(JpOutcome.NOT_APPLICABLE)
    trace.step(
        "jp_goods_export",
        "外為法48条1項",
        N_("Export of goods from Japan to {destination}: 外為法48条1項 and 輸出令 apply.")
        if destination
        else N_("Export of goods from Japan: 外為法48条1項 and 輸出令 apply."),
        destination=destination,
    )
    if activity.activity is ActivityKind.CARRY_ABROAD:
        _personal_effects(activity, trace)
    measure = approval_needed(activity, destination, as_of, tables, trace)
    if measure:
        classification, _ = classify(activity)
        if classification is Classification.LISTED:
            trace.step(
                "jp_list_control_too",
                "外為法48条1項; 輸出令1条1項; 輸出令別表第一",
                N_("The goods are also listed (輸出令別表第一 1–15の項): a 48条1項 licence is needed as well."),
            )
        return Decision(JpOutcome.APPROVAL_REQUIRED, details={"destination": destination, "approval": True})
    decision = _licence_decision(activity, destination, as_of, tables, trace)
    if measure is None and decision.outcome is not JpOutcome.INCOMPLETE:
        decision.outcome = JpOutcome.INCOMPLETE  # the measure's question decides between approval and this
    return decision


PERSONAL_EFFECTS_CITATION = "輸出令4条1項; 輸出令別表第六（携帯品・職業用具）"


def _personal_effects(activity: Activity, trace: Trace) -> None:
    """A traveller's own laptop or tools taken out and brought back: the 携帯品・職業用具 special case is worth
    reviewing (stated, never granted: it has its own exclusions, and 1の項 goods never qualify)."""
    control, back = activity.item.kept_under_travellers_control, activity.item.returned_within_one_year
    if control and back:
        trace.step(
            "jp_personal_effects_review",
            PERSONAL_EFFECTS_CITATION,
            N_(
                "Carried by a person leaving Japan temporarily, kept under their control and brought"
                " back: review the special case for 携帯品・職業用具 (輸出令4条1項, 別表第六); it is not granted here."
            ),
        )
    elif control is False or back is False:
        trace.step(
            "jp_personal_effects_not_applicable",
            PERSONAL_EFFECTS_CITATION,
            N_(
                "Not kept under the traveller's control or not brought back: not the 携帯品・職業用具 of a"
                " temporary traveller; the export is assessed as any other."
            ),
        )


def _licence_decision(
    activity: Activity, destination: str | None, as_of: dt.date, tables: JpTables, trace: Trace
) -> Decision:
    classification, item = classify(activity)
    decision = Decision(JpOutcome.INCOMPLETE, details={"destination": destination})
    if classification is Classification.UNKNOWN:
        trace.ask(
            "item.jp_list_item",
            "the 該非判定 decides list control (輸出令別表第一 1–15の項) or catch-all (16の項)",
        )
        return decision
    if classification is Classification.LISTED:
        return _list_control(activity, item, destination, tables, trace, decision, as_of)
    return _catch_all_goods(activity, item, destination, as_of, tables, trace, decision)


def _list_control(
    activity: Activity,
    item: ListItem | None,
    destination: str | None,
    tables: JpTables,
    trace: Trace,
    decision: Decision,
    as_of: dt.date,
) -> Decision:
    if item is None:
        citation = "輸出令別表第一 1〜15の項"
        trace.step(
            "jp_list_control",
            "外為法48条1項; 輸出令1条1項; " + citation,
            N_(
                "Listed goods (items 1–15, row not given): export to every destination needs a"
                " licence."
            ),
        )
        decision.outcome = JpOutcome.LICENCE_REQUIRED
        return decision
    row = tables.appendix1.get(item.label) or tables.appendix1.get(f"{item.kou}の項（{item.sub}）")
    citation = f"輸出令別表第一 {item.label}"
    described = f" ({row['text'][:60]})" if row else ""
    if row is None and not (item.sub == "" and any(r["kou"] == item.kou for r in tables.appendix1.values())):
        trace.step(
            "jp_list_row_not_in_table",
            citation,
            N_(
                "{label} is not a row of the table (text of {dates}); check the 該非判定 against the"
                " current 輸出令."
            ),
            label=item.label,
            dates=tables.dates['jp_export_order_appendix1'],
        )
    trace.step(
        "jp_list_control",
        f"外為法48条1項; 輸出令1条1項; {citation}",
        N_(
            "Goods in {label}{described}: list control, region 全地域 — a licence is needed for every"
            " destination (Group A included)."
        ),
        label=item.label,
        described=described,
    )
    decision.outcome = JpOutcome.LICENCE_REQUIRED
    decision.details["jp_list_item"] = item.label
    exemption = _small_value(activity, item, destination, tables, trace, as_of)
    if exemption is not None:
        decision.exceptions.append(exemption)
    return decision


def _small_value(
    activity: Activity,
    item: ListItem,
    destination: str | None,
    tables: JpTables,
    trace: Trace,
    as_of: dt.date,
) -> LicenceException | None:
    limits = rule_value(
        "jp.small_value_limits",
        as_of,
        {"general_yen": SMALL_VALUE_LIMIT_YEN, "appendix_3_3_yen": SMALL_VALUE_LIMIT_APPENDIX_3_3_YEN},
    )
    if item.number not in SMALL_VALUE_ITEMS:
        trace.step(
            "jp_small_value",
            SMALL_VALUE_CITATION,
            N_("The small-value exemption covers only items 5–13 and 15; {label} is not eligible."),
            label=item.label,
        )
        return None
    whole = f"{item.kou}の項" in tables.small_value_whole
    by_notice = (
        item.label in tables.small_value_by_notice
        or f"{item.kou}の項（{item.sub}）" in (tables.small_value_by_notice)
        or f"{item.kou}の項" in tables.small_value_by_notice
        # 号 not given: any 告示-designated row of the 項 may be the one
        or (
            not item.sub
            and any(label.startswith(f"{item.kou}の項（") for label in tables.small_value_by_notice)
        )
    )
    limit = limits["appendix_3_3_yen"] if whole else limits["general_yen"]
    limit_note = Message(
        N_("別表第三の三: limit ¥50,000")
        if whole
        else N_("limit ¥1,000,000 (¥50,000 if the goods are designated by 告示 under 別表第三の三)")
        if by_notice
        else N_("limit ¥1,000,000")
    )
    value = activity.item.value
    conditions: list[Message] = []
    if value is not None and value.currency.upper() == "JPY":
        if value.amount > limit:
            trace.step(
                "jp_small_value",
                SMALL_VALUE_CITATION + ("; 輸出令別表第三の三" if whole or by_notice else ""),
                N_("Total value ¥{amount:,.0f} exceeds the small-value limit (別表第三の三: limit ¥50,000): not"
                   " eligible.")
                if whole
                else N_("Total value ¥{amount:,.0f} exceeds the small-value limit (limit ¥1,000,000 (¥50,000 if the"
                        " goods are designated by 告示 under 別表第三の三)): not eligible.")
                if by_notice
                else N_("Total value ¥{amount:,.0f} exceeds the small-value limit (limit ¥1,000,000): not"
                        " eligible."),
                amount=value.amount,
            )
            return None
        if by_notice and value.amount > SMALL_VALUE_LIMIT_APPENDIX_3_3_YEN:
            conditions.append(
                Message(N_("the goods are not designated by 告示 under 別表第三の三 (else the limit is ¥50,000)"))
            )
    elif value is not None:
        conditions.append(Message(
            N_("the total value ({amount:,.2f} {currency}) converted to yen is within the limit ({limit})"),
            {"amount": value.amount, "currency": value.currency, "limit": limit_note},
        ))
    else:
        conditions.append(Message(N_("the total value is within the limit ({limit})"), {"limit": limit_note}))
    if destination in tables.concern:
        trace.step(
            "jp_small_value",
            SMALL_VALUE_CITATION + "; 輸出令別表第四",
            N_("{destination} is in 別表第四: the small-value exemption is not available."),
            destination=destination,
        )
        return None
    if destination is None:
        conditions.append(Message(N_("the destination is not in 別表第四 (Iran, Iraq, North Korea)")))
    # 輸出令4条1項5号 かっこ書: Group A — only an inform (3号ロ・ニ) excludes; other destinations — also the WMD
    # 用途・需要者要件 (イ); 別表第三の二 destinations — also the conventional 用途要件 (ハ).
    excluded_by: list[Message] = []
    if activity.jp_inform_received:
        excluded_by.append(Message(N_("an インフォーム")))
    if destination not in tables.group_a:
        if WMD_USES.intersection(activity.end_use) or eul_hits(activity):
            excluded_by.append(Message(N_("a WMD end use or End User List hit (3号イ)")))
        if destination in tables.un_arms_embargo and CONVENTIONAL_USES.intersection(activity.end_use):
            excluded_by.append(Message(N_("a military end use to a 別表第三の二 destination (3号ハ)")))
    if excluded_by:
        trace.step(
            "jp_small_value",
            SMALL_VALUE_CITATION,
            N_("The small-value exemption is excluded by {excluded_by}."),
            excluded_by=Messages(tuple(excluded_by), separator=N_(" and ")),
        )
        return None
    if destination in tables.group_a:
        conditions.append(Message(N_("no インフォーム has been received (輸出令4条1項3号ロ・ニ)")))
    elif destination in tables.un_arms_embargo:
        conditions.append(Message(
            N_("no インフォーム and no WMD or conventional-weapons 用途・需要者 concern (輸出令4条1項3号イ〜ニ)")
        ))
    elif destination is not None:
        conditions.append(Message(N_("no インフォーム and no WMD 用途・需要者 concern (輸出令4条1項3号イ・ロ・ニ)")))
    else:
        conditions.append(Message(
            N_("no インフォーム and no catch-all 用途・需要者 concern for the destination (輸出令4条1項3号イ〜ニ)")
        ))
    note = Message(
        N_("少額特例 may apply to {label}: 48条1項 does not apply if {conditions}. Verify before relying on it."),
        {"label": item.label, "conditions": Messages(tuple(conditions))},
    )
    trace.step(
        "jp_small_value",
        SMALL_VALUE_CITATION,
        N_("Small-value exemption to review: {note}"),
        note=note,
        citation=SMALL_VALUE_CITATION,
    )
    return LicenceException.of("少額特例", SMALL_VALUE_CITATION, note)


def _hs_scope(hs_code: str, tables: JpTables) -> Scope | None:
    digits = re.sub(r"\D", "", hs_code)
    if len(digits) < 4:
        raise ActivityError(
            "item.hs_code", f"{hs_code!r} is not an HS code (need at least the 4-digit heading)"
        )
    excluded = any(digits.startswith(x) for x in tables.catchall_16_1_hs_excluded)
    if not excluded and any(digits.startswith(h) for h in tables.catchall_16_1_hs):
        return Scope.GOODS_16_1
    if digits[:2] in tables.catchall_16_2_chapters:
        return Scope.GOODS_16_2
    return None


def _catch_all_goods(
    activity: Activity,
    item: ListItem | None,
    destination: str | None,
    as_of: dt.date,
    tables: JpTables,
    trace: Trace,
    decision: Decision,
) -> Decision:
    scope: Scope | None
    if item is not None and item.sub in ("1", "2"):
        scope = Scope.GOODS_16_1 if item.sub == "1" else Scope.GOODS_16_2
        basis: str | Message = Message(N_("{label} as stated"), {"label": item.label})
    elif activity.item.hs_code:
        scope = _hs_scope(activity.item.hs_code, tables)
        basis = f"HS {activity.item.hs_code}"
        if scope is None:
            trace.step(
                "jp_outside_appendix1",
                "輸出令別表第一 16の項（2）; 関税定率法別表",
                N_(
                    "Not listed and {basis} is outside the tariff chapters of 16の項 (e.g. food,"
                    " wood): no licence."
                ),
                basis=basis,
            )
            decision.outcome = JpOutcome.NO_LICENCE_REQUIRED
            return decision
    else:
        scope = None
        basis = ""
    local = Trace()
    if scope is None:
        # 16(1) vs 16(2) (decided by the HS code) matters only when the two give different answers.
        other = Trace()
        licence = catch_all_licence(Scope.GOODS_16_1, destination, activity, as_of, tables, local)
        licence_16_2 = catch_all_licence(Scope.GOODS_16_2, destination, activity, as_of, tables, other)
        if licence is not None and licence == licence_16_2:
            trace.step(
                "jp_catch_all_item",
                "輸出令別表第一 16の項",
                N_(
                    "Not in items 1–15 (catch-all goods); 16の項（1） and （2） give the same answer here,"
                    " so the HS code is not needed."
                ),
            )
            trace.merge(local, with_questions=False)
        else:
            local.merge(other, with_questions=True)
            local.steps.clear()
            trace.merge(local, with_questions=True)
            trace.ask(
                "item.hs_code", "16の項（1） (HS-designated) and 16の項（2） differ in the catch-all 用途要件"
            )
            return decision
    else:
        sub = "1" if scope is Scope.GOODS_16_1 else "2"
        trace.step(
            "jp_catch_all_item",
            f"輸出令別表第一 16の項（{sub}）",
            N_("Not in items 1–15; catch-all goods 16の項（{sub}） ({basis})."),
            sub=sub,
            basis=basis,
        )
        decision.details["jp_list_item"] = "16の項（1）" if scope is Scope.GOODS_16_1 else "16の項（2）"
        licence = catch_all_licence(scope, destination, activity, as_of, tables, local)
        trace.merge(local, with_questions=licence is None)
    if licence is None:
        return decision
    decision.outcome = JpOutcome.LICENCE_REQUIRED if licence else JpOutcome.NO_LICENCE_REQUIRED
    return decision


__all__ = ["assess_goods", "has_japan_link"]
