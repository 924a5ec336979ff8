"""Licence requirements for one destination: parties (Part 744, GP4), embargoes (Part 746), the Country Chart
(738.4) per ECCN Reason for Control, end uses (744.2-744.4, 744.21-744.23), and licence exceptions to review.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from techguard.rules.activity import Activity, ActivityKind, EndUse, ItemType
from techguard.rules.result import UsOutcome
from techguard.rules.us.countries import english_name
from techguard.rules.us.table_shape import CHART_COLUMNS
from techguard.rules.us.tables import UsTables, is_eccn_syntax, split_eccn
from techguard.rules.us.trace import Trace

# 90 FR 50857: the Affiliates (50 %) rule of 744.11(a)(1), effective 2025-09-29, stayed 2025-11-10 .. 2026-11-09.
AFFILIATES_RULE_EFFECTIVE = dt.date(2025, 9, 29)
AFFILIATES_RULE_STAY = (dt.date(2025, 11, 10), dt.date(2026, 11, 9))

_EMBARGO_SECTIONS = {
    "CU": ("15 CFR 746.2", "Cuba"),
    "IR": ("15 CFR 746.7", "Iran"),
    "KP": ("15 CFR 742.19; 746.4", "North Korea"),
    "SY": ("15 CFR 746.9", "Syria"),
}
_MILITARY_END_USE_COUNTRIES = {"BY", "MM", "KH", "CN", "NI", "VE", "RU", "HK", "MO"}
_MILITARY_INTELLIGENCE_COUNTRIES = {"BY", "MM", "KH", "CN", "NI", "VE", "RU", "HK", "MO"}
_ALL_DESTINATION_BASES = {"0A983", "5A980", "5D980", "5E980"}
_ALL_DESTINATION_PARAGRAPHS = {"5A001": "f.1"}
_GOV_ONLY_ALL_DESTINATION = {"5A001", "5A980", "5D980"}  # 738.3(a)(1): GOV only; 0A983 and 5E980: none


@dataclass
class LicenceFinding:
    outcome: UsOutcome
    chart_only: bool = False  # the requirement comes from the Country Chart alone (GP1) — for 734.20(a)
    reasons_with_x: list[str] = field(default_factory=list)


@dataclass
class _Hard:
    citation: str
    why: str


def assess_destination(
    activity: Activity, tables: UsTables, trace: Trace, destination: str, as_of: dt.date
) -> LicenceFinding:
    hard: list[_Hard] = []
    no_exceptions = _parties(activity, trace, as_of, hard)
    lookup = tables.chart_for(destination)
    trace.details.setdefault("destination", destination)
    if lookup.inherited_basis:
        trace.step(
            "chart_territory",
            "15 CFR 738.3(b)",
            f"{destination} has no Country Chart row of its own; the {english_name(lookup.row_iso or '')} row"
            f" governs ({lookup.inherited_basis}).",
            f"{destination} にはカントリーチャートの行がなく、{lookup.row_iso} の行を用います（738.3(b)）。",
        )
    trace.details["chart_row"] = lookup.row_iso
    trace.details.setdefault("country_groups", sorted(tables.groups_of(destination)))
    if lookup.row_iso is None:
        trace.step(
            "chart_no_row",
            "15 CFR 738.3(b)",
            f"{destination} has no Country Chart row and no known parent territory: indeterminate, not unrestricted.",
            f"{destination} にはカントリーチャートの行も親地域もなく、判定できません（規制なしではありません）。",
        )
        trace.ask("to_country", f"15 CFR 738.3(b): no Country Chart row for {destination}")
        return LicenceFinding(UsOutcome.INCOMPLETE)
    if lookup.pointer is not None:
        citation, name = _EMBARGO_SECTIONS.get(lookup.row_iso, ("15 CFR Part 746", lookup.row_iso))
        hard.append(_Hard(citation, f"{name}: embargo"))
        trace.step(
            "embargo_pointer_row",
            f"{lookup.citation}; {citation}; 15 CFR 736.2(b)(6)",
            f"The {name} row has no X but points elsewhere: '{lookup.pointer}' — this is never 'no licence'. Part 746"
            " (General Prohibition 6) governs; licence exceptions only where Part 746 allows.",
            f"{name} の行に X はありませんが、第746部を参照するよう指示しています（許可不要ではありません）。"
            "第746部（一般禁止6）が適用されます。",
        )
        if lookup.row_iso == "SY":
            trace.review("SPP", "15 CFR 740.5", "Syria Peace and Prosperity: check its conditions (746.9).")
    eccn = (activity.item.eccn or "").strip() or None
    control = activity.item.eccn_control
    entry = _entry(activity, tables)
    if lookup.row_iso in ("RU", "BY") and eccn is not None:
        if eccn.upper() == "EAR99":
            hard.append(_Hard("15 CFR 746.8(a)(2); 746.5", "Russia/Belarus"))
            trace.step(
                "russia_belarus_ear99",
                "15 CFR 746.8(a)(2)-(3); 746.5; Supp. Nos. 2, 4, 6 to Part 746",
                "Russia/Belarus: EAR99 items identified by HS code in Supps. 2, 4 and 6 to Part 746 need a licence."
                " The engine does not hold those HS lists, so it answers 'licence required'; an item shown to be"
                " outside them needs none under 746.8.",
                "ロシア・ベラルーシ：第746部補足2・4・6にHSコードで掲げるEAR99品目は許可が必要です。本エンジンは"
                "そのHSリストを持たないため「許可要」と回答します（該当しないことが確認できれば746.8上は不要）。",
            )
        else:
            hard.append(_Hard("15 CFR 746.8(a)(1)", "Russia/Belarus"))
            trace.step(
                "russia_belarus_ccl",
                "15 CFR 746.8(a)(1); Supp. No. 1 to Part 738 footnote 6",
                "Russia/Belarus: a licence is required for all items on the CCL (any ECCN).",
                "ロシア・ベラルーシ：CCL掲載品目（全ECCN）に許可が必要です。",
            )

    chart_x: list[str] = []
    uncertain: list[str] = []
    asked = False
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
                "The licence requirement above applies to all items subject to the EAR; the ECCN does not change it.",
                "上記の許可要件はEAR対象の全品目に及ぶため、ECCNにより結論は変わりません。",
            )
    elif control is None and eccn is not None and eccn.upper() == "EAR99":
        trace.step(
            "ear99",
            "15 CFR 734.3(c); 738.4(a)(2)(ii)(B)",
            "EAR99: subject to the EAR but not on the CCL; no Country Chart column applies. A licence is needed only"
            " for embargoed destinations, listed parties or prohibited end uses (General Prohibitions 4-10).",
            "EAR99：EAR対象だがCCL非掲載で、カントリーチャートの列は適用されません。禁輸国・リスト掲載者・"
            "禁止用途（一般禁止4-10）の場合のみ許可が必要です。",
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
    elif not entry["controls"] and not entry.get("given") and not _all_destinations(activity):
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
        chart_x, uncertain = _chart(activity, tables, trace, entry, lookup.marks, destination)
        if uncertain and not chart_x and not hard:
            trace.ask(
                "item.eccn",
                "15 CFR 738.4(a)(2): controls that apply only to some paragraphs of "
                f"{entry['eccn']} ({', '.join(uncertain)}) would require a licence to {destination}; give the"
                " paragraph (e.g. 3A001.a.2) or item.eccn_control",
            )
            asked = True
    footnote_x = _chart_footnotes(activity, tables, trace, destination)
    if footnote_x and not hard:
        chart_x = chart_x + [x for x in footnote_x if x not in chart_x]
        if asked and trace.missing and trace.missing[-1].field == "item.eccn":
            # The footnote already requires a licence for this ECCN; the paragraph question is moot.
            trace.missing.pop()
            asked = False
    trace.details["reasons_with_x"] = chart_x

    end_use_hard = _end_uses(activity, tables, trace, destination, entry)
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
                f"The Country Chart also has an X for {', '.join(chart_x)}.",
                f"カントリーチャートでも {', '.join(chart_x)} に X があります。",
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
                "Only when consigned to and for the official use of a US Government agency (738.3(a)(1)).",
            )
        else:
            trace.step(
                "no_licence_exceptions",
                "15 CFR 738.3(a)(1)",
                "No licence exception applies to this entry.",
                "この項目には許可例外が適用されません。",
            )
    elif chart_x and not no_exceptions and entry is not None:
        _exceptions(activity, tables, trace, entry, destination, chart_x)
    if chart_x:
        if trace.exceptions:
            return LicenceFinding(
                UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION, chart_only=True, reasons_with_x=chart_x
            )
        return LicenceFinding(UsOutcome.LICENCE_REQUIRED, chart_only=True, reasons_with_x=chart_x)
    trace.step(
        "no_licence_required",
        "15 CFR 738.4(a)(2)(ii)(B); 736.2(b)(4)-(10)",
        f"No licence is required to {destination} for the item's reasons for control, and no General Prohibition"
        " 4-10 is triggered on the facts given (no listed party, embargo or prohibited end use stated).",
        f"{destination} 向けに規制理由上の許可は不要で、示された事実では一般禁止4-10（リスト掲載者・禁輸・禁止用途）"
        "にも当たりません。",
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


def _parties(activity: Activity, trace: Trace, as_of: dt.date, hard: list[_Hard]) -> bool:
    """Part 744 / GP4 restricted-party hits. Returns True when licence exceptions are unavailable."""
    no_exceptions = False
    for hit in activity.screening:
        who = f"{hit.party.value} {hit.name!r}" if hit.name else hit.party.value
        extra = "; ".join(x for x in (hit.licence_requirement, hit.licence_policy) if x)
        if hit.list == "us_entity_list":
            hard.append(_Hard("15 CFR 744.11(a)", "Entity List"))
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
            if as_of < AFFILIATES_RULE_EFFECTIVE or stayed:
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
            hard.append(_Hard("15 CFR 744.11(a)(1)", "Entity List affiliate"))
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
            hard.append(_Hard("15 CFR 736.2(b)(4)", "Denied Persons"))
            no_exceptions = True
            trace.step(
                "denied_person",
                "15 CFR 736.2(b)(4); Part 764",
                f"The {who} is subject to a denial order: General Prohibition 4 — no licence exception overcomes it.",
                f"{who} は取引禁止命令の対象者です（一般禁止4）。許可例外では解除できません。",
            )
        elif hit.list == "us_meu":
            hard.append(_Hard("15 CFR 744.21(a)", "Military End User"))
            trace.step(
                "military_end_user",
                "15 CFR 744.21(a); Supp. No. 7 to Part 744",
                f"The {who} is on the Military End-User List: a licence is required for items in Supp. No. 2 to"
                " Part 744 (and broader items for Russia/Belarus, 746.8).",
                f"{who} は軍事エンドユーザーリスト掲載者です。第744部補足2の品目等に許可が必要です。",
            )
        elif hit.list == "us_sdn":
            hard.append(_Hard("15 CFR 744.8", "SDN"))
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
    if not activity.screening:
        trace.step(
            "no_party_hits_given",
            "15 CFR 736.2(b)(4)-(5); Part 744",
            "No restricted-party hit was given for the parties; screen them (techguard screen) before relying on"
            " this answer.",
            "当事者の制限リスト該当は示されていません。本回答に依拠する前にスクリーニングしてください。",
        )
    return no_exceptions


def _paragraph_refs(scope: str, base: str) -> list[str] | None:
    """Paragraph references of the entry's own ECCN in a control row's scope; None if the row is not scoped so."""
    head = re.split(r"\bexcept\b", scope)[0]
    if base not in head:
        return None
    tail = head[head.index(base) :]
    refs: list[str] = []
    pattern = r"(?<![A-Za-z0-9])(\d[A-E]\d{3})?(\.)?([a-z](?:\.[a-z0-9]+)*)(?![A-Za-z0-9])"
    for m in re.finditer(pattern, tail):
        ecc, dot, ref = m.groups()
        if ecc and ecc != base:
            continue
        if not (ecc or dot or "." in ref):
            continue
        refs.append(ref)
    for m in re.finditer(r"([a-z](?:\.[a-z0-9]+)*)\.(\d+) through \1\.(\d+)", tail):
        prefix, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
        refs.extend(f"{prefix}.{n}" for n in range(lo, hi + 1))
    return refs


def _applies(row: dict[str, Any], base: str, paragraph: str | None) -> str:
    """'yes' | 'assumed' | 'no' | 'uncertain' for one control row and the item's paragraph."""
    if row["entire"]:
        return "yes"
    refs = _paragraph_refs(row["scope"], base)
    if refs is None:
        # Scoped by what the technology/software is for, not by paragraph: assumed when it names a chart column.
        return "assumed" if row["columns"] else "uncertain"
    if paragraph is None:
        return "uncertain"
    p = paragraph.strip(". ").lower()
    for ref in refs:
        r = ref.strip(".").lower()
        if p == r or p.startswith(r + "."):
            return "yes"
        if r.startswith(p + "."):
            return "uncertain"
    return "no"


def _destination_rule_hits(rule: dict[str, Any], destination: str, tables: UsTables) -> bool:
    if rule["kind"] == "worldwide":
        return destination not in rule.get("except", [])
    groups = tables.groups_of(destination)
    inside = bool(groups & set(rule.get("groups", []))) or destination in rule.get("countries", [])
    return inside and not (groups & set(rule.get("exclude_groups", [])))


_ECCN_REF = re.compile(r"\b(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)")


def _chart_footnotes(activity: Activity, tables: UsTables, trace: Trace, destination: str) -> list[str]:
    """Country Chart footnotes of the destination's row: a licence where one names the item's ECCN and says a
    licence is required (footnotes 7, 10); otherwise a step to review (UN, thermal cameras, Crimea …)."""
    lookup = tables.chart_for(destination)
    eccn = (activity.item.eccn or "").strip()
    base, paragraph = split_eccn(eccn) if eccn else ("", None)
    item_ref = f"{base}.{paragraph}" if paragraph else base
    x: list[str] = []
    for number in lookup.footnotes:
        if number in (
            5,
            6,
        ):  # Liechtenstein -> Switzerland (territories); Russia/Belarus (746.8, decided above)
            continue
        text = str(tables.chart["footnotes"].get(str(number), ""))
        citation = f"15 CFR Part 738, Supp. No. 1, footnote {number}"
        refs = [r.rstrip(".") for r in _ECCN_REF.findall(text)]
        excepted = [
            r.rstrip(".")
            for clause in re.findall(r"\(except[^)]*\)", text)
            for r in _ECCN_REF.findall(clause)
        ]

        def covers(ref: str) -> bool:
            return bool(item_ref) and (item_ref == ref or item_ref.startswith(ref + "."))

        if refs:
            named = [r for r in refs if r not in excepted and covers(r)]
            if any(covers(r) for r in excepted):
                named = []
            if not named:
                continue
            if re.search(r"license is (still )?required", text, re.I):
                x.append(f"footnote {number}")
                trace.step(
                    "chart_footnote",
                    citation,
                    f"The {destination} row's footnote {number} names {named[0]}: {text}",
                    f"{destination} の行の脚注{number}が {named[0]} を挙げています（許可要）：{text}",
                )
            else:
                trace.step(
                    "chart_footnote_review",
                    citation,
                    f"Review footnote {number} of the {destination} row: {text}",
                    f"{destination} の行の脚注{number}を確認してください：{text}",
                )
        else:
            trace.step(
                "chart_footnote_review",
                citation,
                f"Review footnote {number} of the {destination} row: {text}",
                f"{destination} の行の脚注{number}を確認してください：{text}",
            )
    return x


def _all_destinations(activity: Activity) -> bool:
    base, paragraph = split_eccn(activity.item.eccn or "") if activity.item.eccn else ("", None)
    return base in _ALL_DESTINATION_BASES or (
        base in _ALL_DESTINATION_PARAGRAPHS
        and (paragraph or "").startswith(_ALL_DESTINATION_PARAGRAPHS[base])
    )


def _chart(
    activity: Activity,
    tables: UsTables,
    trace: Trace,
    entry: dict[str, Any],
    marks: frozenset[str],
    dest: str,
) -> tuple[list[str], list[str]]:
    base, paragraph = split_eccn(activity.item.eccn or "") if activity.item.eccn else ("", None)
    trace.details["eccn"] = activity.item.eccn or entry["eccn"]
    if _all_destinations(activity):
        trace.step(
            "all_destinations",
            "15 CFR 738.3(a)(1)",
            f"{activity.item.eccn}: a licence is required for all destinations; the Country Chart does not apply.",
            f"{activity.item.eccn}：全仕向地に許可が必要で、カントリーチャートは適用されません。",
        )
        return ["all destinations"], []
    x: list[str] = []
    uncertain: list[str] = []
    assumed: list[str] = []
    lines: list[str] = []
    for row in entry["controls"]:
        applies = "yes" if entry.get("given") else _applies(row, base, paragraph)
        if applies == "no":
            continue
        label, hit = _row_hit(row, marks, dest, tables)
        if label is None:
            if row.get("pointer") and applies in ("yes", "assumed"):
                trace.step(
                    "control_pointer",
                    entry["citation"],
                    f"{row['reason']} control: {row['pointer']} (review that section).",
                    f"{row['reason']} 規制：{row['pointer']}（該当条項を確認してください）。",
                )
            continue
        lines.append(f"{label}: {'X' if hit else 'no X'}{'' if applies == 'yes' else ' (' + applies + ')'}")
        if not hit:
            continue
        if applies == "uncertain":
            uncertain.append(f"{label} — {row['scope']}")
        else:
            if label not in x:
                x.append(label)
            if applies == "assumed":
                assumed.append(f"{label} — {row['scope']}")
    citation = f"{entry['citation']}; 15 CFR 738.4(a)(2); {tables.chart_for(dest).citation}"
    summary = "; ".join(lines) if lines else "no Country Chart column applies"
    if x:
        finding = (
            f"Reasons for control checked against {dest}: {summary}. A licence is required for {', '.join(x)}"
        )
        finding += " unless a licence exception overcomes each of them separately."
        finding_ja = f"{dest} 向けの規制理由：{summary}。{', '.join(x)} について、それぞれ許可例外で解消されない限り許可が必要です。"
    else:
        finding = f"Reasons for control checked against {dest}: {summary}. No X for this destination."
        finding_ja = f"{dest} 向けの規制理由：{summary}。この仕向地に X はありません。"
    trace.step("country_chart", citation, finding, finding_ja)
    if assumed:
        trace.details["assumed_controls"] = assumed
        trace.step(
            "scoped_control_assumed",
            entry["citation"],
            "These controls cover the technology/software for particular items; the engine assumes they apply to this"
            " item — give item.eccn_control to narrow: " + " | ".join(assumed),
            "以下の規制は特定品目向けの技術・ソフトウェアに係るもので、本品目に適用されるものと仮定しています"
            "（item.eccn_control で特定できます）：" + " | ".join(assumed),
        )
    if uncertain:
        trace.details["controls_depending_on_paragraph"] = uncertain
    return x, uncertain


def _row_hit(
    row: dict[str, Any], marks: frozenset[str], dest: str, tables: UsTables
) -> tuple[str | None, bool]:
    if row["columns"]:
        hits = [c for c in row["columns"] if c in marks]
        return (hits[0] if hits else row["columns"][0]), bool(hits)
    if row.get("destinations"):
        label = row["reason"] + " (" + (row["destinations"].get("section") or "destination rule") + ")"
        return label, _destination_rule_hits(row["destinations"], dest, tables)
    pointer = row.get("pointer") or ""
    name = english_name(dest)
    if pointer and (name in pointer or (dest == "KP" and "North Korea" in pointer)):
        return f"{row['reason']} ({pointer[:60]})", True
    return None, False


def _end_uses(
    activity: Activity, tables: UsTables, trace: Trace, dest: str, entry: dict[str, Any] | None
) -> list[_Hard]:
    hard: list[_Hard] = []
    ear99 = (activity.item.eccn or "").strip().upper() == "EAR99"
    for use in activity.end_use:
        if use is EndUse.NUCLEAR:
            hard.append(_Hard("15 CFR 744.2(a)", "nuclear end use"))
            trace.step(
                "end_use_nuclear",
                "15 CFR 744.2(a)",
                "Known nuclear end use (744.2(a)): a licence is required for any item subject to the EAR.",
                "核関連の最終用途を知っているため（744.2(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.MISSILE:
            hard.append(_Hard("15 CFR 744.3(a)", "missile end use"))
            trace.step(
                "end_use_missile",
                "15 CFR 744.3(a)",
                "Known rocket/UAV (missile) end use (744.3(a)): a licence is required for any item subject to"
                " the EAR.",
                "ミサイル（ロケット・無人機）関連の最終用途を知っているため（744.3(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.CHEMICAL_BIOLOGICAL:
            hard.append(_Hard("15 CFR 744.4(a)", "chemical/biological weapons end use"))
            trace.step(
                "end_use_cb",
                "15 CFR 744.4(a)",
                "Known chemical or biological weapons end use (744.4(a)): a licence is required for any item"
                " subject to the EAR.",
                "化学・生物兵器関連の最終用途を知っているため（744.4(a)）、EAR対象の全品目に許可が必要です。",
            )
        elif use is EndUse.MILITARY:
            if dest in _MILITARY_END_USE_COUNTRIES and not ear99:
                hard.append(_Hard("15 CFR 744.21(a)", "military end use"))
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
                dest in _MILITARY_INTELLIGENCE_COUNTRIES
                or tables.in_group(dest, "E:1")
                or tables.in_group(dest, "E:2")
            ):
                hard.append(_Hard("15 CFR 744.22(a)", "military-intelligence end use"))
                trace.step(
                    "end_use_military_intelligence",
                    "15 CFR 744.22(a)",
                    f"Military-intelligence end use/user in {dest}: a licence is required for any item subject"
                    " to the EAR.",
                    f"{dest} における軍事情報用途・需要者：EAR対象の全品目に許可が必要です。",
                )
        elif use in (EndUse.ADVANCED_COMPUTING, EndUse.SEMICONDUCTOR_MANUFACTURING):
            if dest == "MO" or tables.in_group(dest, "D:5"):
                hard.append(_Hard("15 CFR 744.23(a)", "advanced computing / semiconductor end use"))
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


def _exceptions(
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
    if "A:5" in groups or "A:6" in groups:
        tier = "(c)(1) A:5" if "A:5" in groups else "(c)(2) A:6 (NS-only items)"
        note = f"Strategic Trade Authorization {tier} with a prior consignee statement (740.20)"
        if entry.get("sta_text"):
            note += f"; ECCN conditions: {str(entry['sta_text'])[:200]}"
        trace.review("STA", cite("STA"), note)
    else:
        excluded.append({"code": "STA", "why": f"{dest} is not in Country Group A:5 or A:6"})
    if activity.activity is ActivityKind.CARRY_ABROAD:
        trace.review(
            "TMP", cite("TMP"), "Tools of trade / temporary exports that return within a year (740.9(a))."
        )
        trace.review("BAG", cite("BAG"), "Personal baggage of individuals leaving the US (740.14).")
    if any(c.startswith("EI") for c in x) and "ENC" in entry.get("other_exceptions", {}):
        trace.review("ENC", cite("ENC"), "Encryption items: check 740.17 eligibility.")
    if excluded:
        trace.details["licence_exceptions_excluded"] = excluded
    if trace.exceptions:
        trace.step(
            "licence_exceptions",
            "15 CFR 740.1(a); 740.2",
            "Licence exceptions to review (not granted by this engine; 740.2 restrictions apply first): "
            + ", ".join(e.code for e in trace.exceptions),
            "確認すべき許可例外（本エンジンは適用を認定しません。740.2 の制限を先に確認）："
            + ", ".join(e.code for e in trace.exceptions),
        )


__all__ = ["AFFILIATES_RULE_EFFECTIVE", "AFFILIATES_RULE_STAY", "LicenceFinding", "assess_destination"]
