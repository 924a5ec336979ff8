"""Licence exceptions worth reviewing for Country Chart requirements (Part 740) — listed, never granted."""

from __future__ import annotations

from typing import Any

from techguard.i18n import N_, Localizable, Message, Messages
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
        elif value_limit:
            trace.review("LVS", cite("LVS"), Message(
                N_("Limited-value shipments to Country Group B up to {limit:g} USD per shipment; check the ECCN's LVS"
                   " paragraph ({paragraph}) and 740.2."),
                {"limit": value_limit, "paragraph": _paragraph(entry, "lvs_text")},
            ))
        else:
            trace.review("LVS", cite("LVS"), Message(
                N_("Limited-value shipments to Country Group B within the ECCN's LVS value; check the ECCN's LVS"
                   " paragraph ({paragraph}) and 740.2."),
                {"paragraph": _paragraph(entry, "lvs_text")},
            ))
    if is_commodity and entry.get("gbs") in ("yes", "partial"):
        if in_b:
            trace.review("GBS", cite("GBS"), Message(
                N_("Shipments to Country Group B for items the ECCN marks GBS-eligible ({paragraph}); check 740.2."),
                {"paragraph": _paragraph(entry, "gbs_text")},
            ))
        else:
            excluded.append({"code": "GBS", "why": f"{dest} is not in Country Group B"})
    if is_information:
        if entry.get("tsr") == "no":
            excluded.append({"code": "TSR", "why": "the ECCN marks TSR N/A"})
        elif in_b:
            tsr: list[Localizable] = [
                Message(N_("Technology/software to Country Group B with the consignee's written assurance (740.6)"))
            ]
            if entry.get("tsr_text"):
                tsr.append(Message(N_("ECCN scope: {scope}"), {"scope": str(entry["tsr_text"])[:200]}))
            if any(c.startswith("MT") for c in x):
                tsr.append(Message(N_("not for MT-controlled technology")))
            trace.review("TSR", cite("TSR"), Messages(tuple(tsr)))
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
            trace.review("TSU", cite("TSU"), Message(N_(
                "Technology and software — unrestricted (740.13): operation technology (the minimum needed to"
                " operate an item lawfully exported), sales technology, software updates that only fix or update"
                " lawfully exported software (stated to be such technology/software); check 740.13 and 740.2."
            )))
    if "A:5" in groups or "A:6" in groups:
        tier = "(c)(1) A:5" if "A:5" in groups else "(c)(2) A:6 (NS-only items)"
        sta: list[Localizable] = [
            Message(N_("Strategic Trade Authorization {tier} with a prior consignee statement (740.20)"), {"tier": tier})
        ]
        if entry.get("sta_text"):
            sta.append(Message(N_("ECCN conditions: {conditions}"), {"conditions": str(entry["sta_text"])[:200]}))
        trace.review("STA", cite("STA"), Messages(tuple(sta)))
    else:
        excluded.append({"code": "STA", "why": f"{dest} is not in Country Group A:5 or A:6"})
    if activity.activity is ActivityKind.CARRY_ABROAD:
        own = (Message(N_("The traveller states it is for their own use only.")),) if activity.item.own_use_only else ()
        tmp = Message(N_(
            "Tools of trade (740.9(a)(1)): usual and reasonable kinds and quantities for the exporter's own lawful"
            " enterprise, kept under the traveller's effective control and returned within one year; check the"
            " 740.9(b) restrictions and 740.2 first."
        ))
        trace.review("TMP", cite("TMP"), Messages((tmp, *own, *_carry_conditions(activity)), separator=" "))
        bag = Message(N_(
            "Personal baggage / tools of trade of individuals leaving the US (740.14), owned by and for the"
            " personal use of the traveller; check 740.14 conditions and 740.2."
        ))
        trace.review("BAG", cite("BAG"), Messages((bag, *own), separator=" "))
    if any(c.startswith("EI") for c in x) and "ENC" in entry.get("other_exceptions", {}):
        trace.review("ENC", cite("ENC"), Message(N_("Encryption items: check 740.17 eligibility.")))
    if excluded:
        trace.details["licence_exceptions_excluded"] = excluded
    if trace.exceptions:
        trace.step(
            "licence_exceptions",
            "15 CFR 740.1(a); 740.2",
            N_("Licence exceptions to review (not granted by this engine; 740.2 restrictions apply first): {codes}"),
            codes=", ".join(e.code for e in trace.exceptions),
        )


def _paragraph(entry: dict[str, Any], key: str) -> Localizable | str:
    """The ECCN's paragraph for a licence exception as the CCL words it (quoted, untranslated), else a pointer."""
    text = entry.get(key)
    return str(text) if text else Message(N_("as given in the ECCN"))


def _carry_conditions(activity: Activity) -> tuple[Message, ...]:
    """What the traveller stated about TMP's conditions (740.9(a)(1): effective control, back within a year)."""
    control, back = activity.item.kept_under_travellers_control, activity.item.returned_within_one_year
    if control is False or back is False:
        return (Message(N_("Stated NOT to stay under the traveller's effective control or NOT to return within one"
                           " year: TMP tools of trade (740.9(a)(1)) does not fit.")),)
    if control and back:
        return (Message(N_("Stated to stay under the traveller's effective control and to return within one year.")),)
    return ()


__all__ = ["exceptions_to_review"]
