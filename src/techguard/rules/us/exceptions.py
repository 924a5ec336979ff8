"""Licence exceptions worth reviewing for Country Chart requirements (Part 740) — listed, never granted."""

from __future__ import annotations

from typing import Any

from techguard.i18n import N_
from techguard.rules.activity import Activity, ActivityKind, ItemType
from techguard.rules.us.tables import UsTables, split_eccn
from techguard.rules.us.trace import Trace


def exceptions_to_review(
    activity: Activity, tables: UsTables, trace: Trace, entry: dict[str, Any], dest: str, x: list[str]
) -> None:
    """Licence exceptions worth reviewing for the chart requirements (never granted here; 740.2 first)."""
    groups = tables.groups_of(dest)
    item_type = activity.item.type
    base, _ = split_eccn(activity.item.eccn or "") if activity.item.eccn else ("", None)
    is_commodity = item_type is ItemType.COMMODITY or (item_type is None and base[1:2] in ("A", "B", "C"))
    is_information = item_type in (ItemType.TECHNOLOGY, ItemType.SOFTWARE) or base[1:2] in ("D", "E")
    excluded: list[dict[str, str]] = []
    in_b = "B" in groups

    def cite(code: str) -> str:
        found = tables.exception(code)
        return found["citation"] if found else "15 CFR Part 740"

    if is_commodity and entry.get("lvs") in ("yes", "partial"):
        value_limit = entry.get("lvs_value_usd")
        value = activity.item.value
        if not in_b:
            excluded.append({"code": "LVS", "why": f"{dest} is not in Country Group B"})
        elif (
            value is not None
            and value.currency.upper() == "USD"
            and value_limit
            and value.amount > value_limit
        ):
            excluded.append(
                {"code": "LVS", "why": f"value {value.amount:g} USD exceeds the LVS limit {value_limit:g}"}
            )
        else:
            limit = (
                f" up to {value_limit:g} USD per shipment" if value_limit else " within the ECCN's LVS value"
            )
            trace.review(
                "LVS",
                cite("LVS"),
                f"Limited-value shipments to Country Group B{limit}; check the ECCN's"
                f" LVS paragraph ({entry.get('lvs_text') or 'given'}) and 740.2.",
            )
    if is_commodity and entry.get("gbs") in ("yes", "partial"):
        if in_b:
            trace.review(
                "GBS",
                cite("GBS"),
                "Shipments to Country Group B for items the ECCN marks GBS-eligible"
                f" ({entry.get('gbs_text') or 'given'}); check 740.2.",
            )
        else:
            excluded.append({"code": "GBS", "why": f"{dest} is not in Country Group B"})
    if is_information:
        if entry.get("tsr") == "no":
            excluded.append({"code": "TSR", "why": "the ECCN marks TSR N/A"})
        elif in_b:
            note = "Technology/software to Country Group B with the consignee's written assurance (740.6)"
            if entry.get("tsr_text"):
                note += f"; ECCN scope: {entry['tsr_text'][:200]}"
            if any(c.startswith("MT") for c in x):
                note += "; not for MT-controlled technology"
            trace.review("TSR", cite("TSR"), note)
        else:
            excluded.append({"code": "TSR", "why": f"{dest} is not in Country Group B"})
    if (
        is_information and activity.item.tsu_eligible
    ):  # operation/sales technology, updates: stated by the user
        embargoed = dest in ("CU", "IR", "KP", "SY")
        if embargoed:
            excluded.append(
                {"code": "TSU", "why": f"{dest}: 740.13 is limited for E:1/E:2 destinations (740.2, 746)"}
            )
        else:
            stated = " (stated to be such technology/software)"
            trace.review(
                "TSU",
                cite("TSU"),
                "Technology and software — unrestricted (740.13): operation technology (the minimum needed to"
                " operate an item lawfully exported), sales technology, software updates that only fix or update"
                " lawfully exported software" + stated + "; check 740.13 and 740.2.",
            )
    if "A:5" in groups or "A:6" in groups:
        tier = "(c)(1) A:5" if "A:5" in groups else "(c)(2) A:6 (NS-only items)"
        note = f"Strategic Trade Authorization {tier} with a prior consignee statement (740.20)"
        if entry.get("sta_text"):
            note += f"; ECCN conditions: {str(entry['sta_text'])[:200]}"
        trace.review("STA", cite("STA"), note)
    else:
        excluded.append({"code": "STA", "why": f"{dest} is not in Country Group A:5 or A:6"})
    if activity.activity is ActivityKind.CARRY_ABROAD:
        own = " The traveller states it is for their own use only." if activity.item.own_use_only else ""
        trace.review(
            "TMP",
            cite("TMP"),
            "Tools of trade (740.9(a)(1)): usual and reasonable kinds and quantities for the exporter's own lawful"
            " enterprise, kept under the traveller's effective control and returned within one year; check the"
            " 740.9(b) restrictions and 740.2 first." + own + _carry_conditions(activity),
        )
        trace.review(
            "BAG",
            cite("BAG"),
            "Personal baggage / tools of trade of individuals leaving the US (740.14), owned by and for the"
            " personal use of the traveller; check 740.14 conditions and 740.2." + own,
        )
    if any(c.startswith("EI") for c in x) and "ENC" in entry.get("other_exceptions", {}):
        trace.review("ENC", cite("ENC"), "Encryption items: check 740.17 eligibility.")
    if excluded:
        trace.details["licence_exceptions_excluded"] = excluded
    if trace.exceptions:
        trace.step(
            "licence_exceptions",
            "15 CFR 740.1(a); 740.2",
            N_("Licence exceptions to review (not granted by this engine; 740.2 restrictions apply first): {codes}"),
            codes=", ".join(e.code for e in trace.exceptions),
        )


def _carry_conditions(activity: Activity) -> str:
    """What the traveller stated about TMP's conditions (740.9(a)(1): effective control, back within a year)."""
    control, back = activity.item.kept_under_travellers_control, activity.item.returned_within_one_year
    if control is False or back is False:
        return (" Stated NOT to stay under the traveller's effective control or NOT to return within one year:"
                " TMP tools of trade (740.9(a)(1)) does not fit.")
    if control and back:
        return " Stated to stay under the traveller's effective control and to return within one year."
    return ""


__all__ = ["exceptions_to_review"]
