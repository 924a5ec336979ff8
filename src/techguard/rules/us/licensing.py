"""Licence requirements for one destination: parties (Part 744, GP4), embargoes (Part 746), the Country Chart
(738.4) per ECCN Reason for Control, end uses (744.2-744.4, 744.21-744.23), and licence exceptions to review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from techguard.i18n import N_, Message
from techguard.rules.activity import Activity
from techguard.rules.result import UsOutcome
from techguard.rules.us.chart import all_destinations, chart_footnotes, read_chart
from techguard.rules.us.end_uses import end_use_requirements
from techguard.rules.us.exceptions import exceptions_to_review
from techguard.rules.us.parties import AFFILIATES_RULE_EFFECTIVE, AFFILIATES_RULE_STAY, party_requirements
from techguard.rules.us.requirement import Requirement
from techguard.rules.us.table_shape import CHART_COLUMNS
from techguard.rules.us.tables import UsTables, is_eccn_syntax, split_eccn
from techguard.rules.us.trace import Trace
from techguard.rules.validity import value
from techguard.text.countries import country_name

_GOV_ONLY_ALL_DESTINATION = {"5A001", "5A980", "5D980"}  # 738.3(a)(1): GOV only; 0A983 and 5E980: none


@dataclass
class LicenceFinding:
    outcome: UsOutcome
    chart_only: bool = False  # the requirement comes from the Country Chart alone (GP1) — for 734.20(a)
    reasons_with_x: list[str] = field(default_factory=list)


def assess_destination(
    activity: Activity,
    tables: UsTables,
    trace: Trace,
    destination: str,
    as_of: dt.date,
    *,
    transaction_kind: str = "export",
) -> LicenceFinding:
    embargo_sections: dict[str, tuple[str, str]] = value("us.embargo_sections", as_of)
    hard: list[Requirement] = []
    no_exceptions = party_requirements(activity, trace, as_of, hard, destination=destination)
    lookup = tables.chart_for(destination)
    trace.details.setdefault("destination", destination)
    if lookup.inherited_basis:
        trace.step(
            "chart_territory",
            "15 CFR 738.3(b)",
            N_("{destination} has no Country Chart row of its own; the {row_name} row governs ({basis})."),
            destination=destination,
            row_name=country_name(lookup.row_iso) if lookup.row_iso else "",
            row=lookup.row_iso,
            basis=lookup.inherited_basis,
        )
    trace.details["chart_row"] = lookup.row_iso
    trace.details.setdefault("country_groups", sorted(tables.groups_of(destination)))
    if lookup.row_iso is None:
        trace.step(
            "chart_no_row",
            "15 CFR 738.3(b)",
            N_(
                "{destination} has no Country Chart row and no known parent territory:"
                " indeterminate, not unrestricted."
            ),
            destination=destination,
        )
        trace.ask("to_country", f"15 CFR 738.3(b): no Country Chart row for {destination}")
        return LicenceFinding(UsOutcome.INCOMPLETE)
    if (
        lookup.pointer is not None
        and lookup.row_iso == "IR"
        and transaction_kind == "deemed_export"
        and (activity.item.eccn or "").strip().upper() == "EAR99"
    ):
        # 746.7(a)(1) requires a BIS licence for CCL items only; EAR99 items to Iran are OFAC's (ITSR), and the
        # ITSR has no deemed-export rule. BIS: deemed exports to Iranian nationals need a BIS licence for
        # *controlled* technology (Iran country guidance; deemed-export FAQs).
        trace.step(
            "iran_ear99_deemed_export",
            "15 CFR 746.7(a)(1); 31 CFR 560.204",
            N_(
                "Release in the United States of EAR99 technology to an Iranian national: 746.7"
                " requires a BIS licence only for items on the CCL, and the OFAC ITSR that governs"
                " EAR99 exports to Iran has no deemed-export rule. No licence is required for the"
                " release itself; an OFAC authorisation is needed if it is known the technology is"
                " intended for Iran or the Government of Iran."
            ),
        )
    elif (
        lookup.pointer is not None
        and lookup.row_iso == "IR"
        and transaction_kind == "deemed_export"
        and not (activity.item.eccn or "").strip()
        and activity.item.eccn_control is None
    ):
        # EAR99 technology released in the US to an Iranian national needs no BIS licence (above); a CCL item
        # does: the classification decides.
        trace.ask(
            "item.eccn", "15 CFR 746.7(a)(1): a BIS licence is needed for CCL items only (EAR99: OFAC's ITSR)"
        )
        return LicenceFinding(UsOutcome.INCOMPLETE)
    elif lookup.pointer is not None:
        citation, name = embargo_sections.get(lookup.row_iso, ("15 CFR Part 746", lookup.row_iso))
        hard.append(Requirement(citation, f"{name}: embargo"))
        trace.step(
            "embargo_pointer_row",
            f"{lookup.citation}; {citation}; 15 CFR 736.2(b)(6)",
            N_(
                "The {name} row has no X but points elsewhere: '{pointer}' — this is never 'no"
                " licence'. Part 746 (General Prohibition 6) governs; licence exceptions only where"
                " Part 746 allows."
            ),
            name=name,
            pointer=lookup.pointer,
        )
        if lookup.row_iso == "SY":
            trace.review("SPP", "15 CFR 740.5",
                         Message(N_("Syria Peace and Prosperity: check its conditions (746.9).")))
        if lookup.row_iso in ("IR", "CU") and (activity.item.eccn or "").strip().upper() in ("", "EAR99"):
            agency = "OFAC under the ITSR (31 CFR Part 560)" if lookup.row_iso == "IR" else "BIS under 746.2"
            trace.step(
                "embargo_ear99",
                f"{embargo_sections[lookup.row_iso][0]}; 31 CFR Chapter V",
                N_(
                    "For EAR99 items the authorisation needed is that of {agency}; the answer stays"
                    " 'licence required' until that authority (or an exemption it grants) is"
                    " confirmed."
                ),
                agency=agency,
            )
    eccn = (activity.item.eccn or "").strip() or None
    control = activity.item.eccn_control
    entry = _entry(activity, tables)
    hs_open = False
    if lookup.row_iso in ("RU", "BY") and eccn is not None:
        if eccn.upper() == "EAR99":
            supplements = value("us.russia_belarus_ear99_hs_supplements", as_of)
            listed = activity.item.hs_listed_part_746
            if listed is None:
                if not hard:  # a party or embargo requirement above already decides whatever the HS code
                    trace.ask(
                        "item.hs_listed_part_746",
                        f"{supplements['citation']}: only EAR99 items whose HTS-6 code is listed in"
                        f" {supplements['lists']} need a licence to Russia/Belarus",
                    )
                    hs_open = True
            elif listed:
                hard.append(Requirement("15 CFR 746.5; 746.10", "Russia/Belarus"))
                trace.step(
                    "russia_belarus_ear99",
                    supplements["citation"],
                    N_(
                        "Russia/Belarus: the EAR99 item's HTS-6 code is listed in {supplements}: a"
                        " licence is required (746.5 / 746.10; policy of denial)."
                    ),
                    supplements=supplements['lists'],
                )
            else:
                trace.step(
                    "russia_belarus_ear99_not_listed",
                    supplements["citation"],
                    N_(
                        "Russia/Belarus: the EAR99 item's HTS-6 code is not in {supplements}: no"
                        " licence under 746.5/746.10 (Part 744 end-user and end-use rules still"
                        " apply)."
                    ),
                    supplements=supplements['lists'],
                )
        else:
            hard.append(Requirement("15 CFR 746.8(a)(1)", "Russia/Belarus"))
            trace.step(
                "russia_belarus_ccl",
                "15 CFR 746.8(a)(1); Supp. No. 1 to Part 738 footnote 6",
                N_("Russia/Belarus: a licence is required for all items on the CCL (any ECCN)."),
            )

    chart_x: list[str] = []
    uncertain: list[str] = []
    asked = hs_open
    if control is None and eccn is None:
        if not hard:
            trace.ask(
                "item.eccn", "15 CFR 738.4: the Country Chart is read per Reason for Control of the ECCN"
            )
            asked = True
        else:
            trace.step(
                "classification_not_needed",
                "15 CFR 744.11(a); Part 746",
                N_(
                    "The licence requirement above applies to all items subject to the EAR; the ECCN"
                    " does not change it."
                ),
            )
    elif control is None and eccn is not None and eccn.upper() == "EAR99":
        trace.step(
            "ear99",
            "15 CFR 734.3(c); 738.4(a)(2)(ii)(B)",
            N_(
                "EAR99: subject to the EAR but not on the CCL; no Country Chart column applies. A"
                " licence is needed only for embargoed destinations, listed parties or prohibited"
                " end uses (General Prohibitions 4-10)."
            ),
        )
        trace.details["eccn"] = "EAR99"
    elif entry is None:
        if not hard:
            trace.ask(
                "item.eccn_control",
                f"15 CFR 738.4: ECCN {eccn!r} is not in the engine's CCL table"
                + ("" if eccn and is_eccn_syntax(eccn) else " (not a valid ECCN form)"),
            )
            asked = True
    elif not entry["controls"] and not entry.get("given") and not all_destinations(activity):
        # The table has the entry but not its License Requirements rows (placeholders such as 0A521, text-only
        # requirements): never read "no row" as "no licence".
        if not hard:
            reasons = ", ".join(entry.get("reasons") or []) or "none stated"
            trace.ask(
                "item.eccn_control",
                f"15 CFR 738.4: the table holds no License Requirements rows for ECCN {entry['eccn']} (reasons:"
                f" {reasons}); give the reasons for control of the item",
            )
            asked = True
    else:
        chart_x, uncertain = read_chart(activity, tables, trace, entry, lookup.marks, destination)
        if uncertain and not chart_x and not hard:
            trace.ask(
                "item.eccn",
                "15 CFR 738.4(a)(2): controls that apply only to some paragraphs of "
                f"{entry['eccn']} ({', '.join(uncertain)}) would require a licence to {destination}; give the"
                " paragraph (e.g. 3A001.a.2) or item.eccn_control",
            )
            asked = True
    footnote_x = chart_footnotes(activity, tables, trace, destination)
    if footnote_x and not hard:
        chart_x = chart_x + [x for x in footnote_x if x not in chart_x]
        if asked and trace.missing and trace.missing[-1].field == "item.eccn":
            # The footnote already requires a licence for this ECCN; the paragraph question is moot.
            trace.missing.pop()
            asked = False
    trace.details["reasons_with_x"] = chart_x

    end_use_hard = end_use_requirements(activity, tables, trace, destination, entry)
    hard.extend(end_use_hard)

    if (
        hard
        and all(h.why == "Syria: embargo" for h in hard)
        and any(e.code == "SPP" for e in trace.exceptions)
    ):
        # 746.9 with License Exception SPP (740.5): the only requirement here is one an exception may overcome.
        return LicenceFinding(UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION, reasons_with_x=chart_x)
    if hard:
        if chart_x:
            trace.step(
                "chart_also_requires",
                "15 CFR 738.4(a)(2)(i)",
                N_("The Country Chart also has an X for {chart_x}."),
                chart_x=', '.join(chart_x),
            )
        return LicenceFinding(UsOutcome.LICENCE_REQUIRED, chart_only=False, reasons_with_x=chart_x)
    if asked:
        return LicenceFinding(UsOutcome.INCOMPLETE)
    if chart_x == ["all destinations"]:
        base, _ = split_eccn(activity.item.eccn or "")
        if base in _GOV_ONLY_ALL_DESTINATION and not no_exceptions:
            trace.review(
                "GOV",
                "15 CFR 740.11; 740.2(a)(3)",
                Message(N_("Only when consigned to and for the official use of a US Government agency (738.3(a)(1)).")),
            )
        else:
            trace.step(
                "no_licence_exceptions",
                "15 CFR 738.3(a)(1)",
                N_("No licence exception applies to this entry."),
            )
    elif chart_x and not no_exceptions and entry is not None:
        exceptions_to_review(activity, tables, trace, entry, destination, chart_x)
    if chart_x:
        if trace.exceptions:
            return LicenceFinding(
                UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION, chart_only=True, reasons_with_x=chart_x
            )
        return LicenceFinding(UsOutcome.LICENCE_REQUIRED, chart_only=True, reasons_with_x=chart_x)
    trace.step(
        "no_licence_required",
        "15 CFR 738.4(a)(2)(ii)(B); 736.2(b)(4)-(10)",
        N_(
            "No licence is required to {destination} for the item's reasons for control, and no"
            " General Prohibition 4-10 is triggered on the facts given (no listed party, embargo or"
            " prohibited end use stated)."
        ),
        destination=destination,
    )
    return LicenceFinding(UsOutcome.NO_LICENCE_REQUIRED)


def _entry(activity: Activity, tables: UsTables) -> dict[str, Any] | None:
    item = activity.item
    if item.eccn_control is not None:
        rows = []
        for reason in item.eccn_control.reasons:
            text = reason.strip().upper().replace(" ", "")
            if text in CHART_COLUMNS:
                rows.append(_synthetic_row(text[:2], [text], None))
            elif text in ("EI", "SI"):
                rows.append(_synthetic_row(text, [], {"kind": "worldwide", "except": ["CA"]}))
            elif text[:2] + "1" in CHART_COLUMNS and len(text) == 2:
                rows.append(_synthetic_row(text, [text + "1"], None))
        gbs = item.eccn_control.gbs
        return {
            "eccn": item.eccn or "(given controls)",
            "controls": rows,
            "lvs": "yes" if item.eccn_control.lvs_value_usd else None,
            "lvs_value_usd": item.eccn_control.lvs_value_usd,
            "gbs": None if gbs is None else ("yes" if gbs else "no"),
            "tsr": None,
            "sta_text": None,
            "other_exceptions": {},
            "citation": "item.eccn_control (reasons for control given with the activity)",
            "given": True,
        }
    if item.eccn is None or item.eccn.strip().upper() == "EAR99":
        return None
    return tables.ccl_entry(item.eccn)


def _synthetic_row(reason: str, columns: list[str], destinations: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "reason": reason,
        "scope": f"{reason} (given)",
        "entire": True,
        "columns": columns,
        "destinations": destinations,
        "pointer": None,
        "chart_text": "",
    }


__all__ = ["AFFILIATES_RULE_EFFECTIVE", "AFFILIATES_RULE_STAY", "LicenceFinding", "assess_destination"]
