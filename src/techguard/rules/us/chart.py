"""Reading an ECCN's License Requirements rows against the Country Chart (15 CFR 738.4), with paragraph scopes,
destination rules, all-destination entries (738.3(a)(1)) and the chart's footnotes."""

from __future__ import annotations

import re
from typing import Any

from techguard.i18n import N_
from techguard.rules.activity import Activity
from techguard.rules.us.tables import UsTables, split_eccn
from techguard.rules.us.trace import Trace
from techguard.text.countries import country_name, known_codes

_ALL_DESTINATION_BASES = {"0A983", "5A980", "5D980", "5E980"}
_ALL_DESTINATION_PARAGRAPHS = {"5A001": "f.1"}
_ECCN_REF = re.compile(r"\b(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)")


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


def chart_footnotes(activity: Activity, tables: UsTables, trace: Trace, destination: str) -> list[str]:
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
                    N_("The {destination} row's footnote {number} names {named}: {text}"),
                    destination=destination,
                    number=number,
                    named=named[0],
                    text=text,
                )
            else:
                trace.step(
                    "chart_footnote_review",
                    citation,
                    N_("Review footnote {number} of the {destination} row: {text}"),
                    number=number,
                    destination=destination,
                    text=text,
                )
        else:
            trace.step(
                "chart_footnote_review",
                citation,
                N_("Review footnote {number} of the {destination} row: {text}"),
                number=number,
                destination=destination,
                text=text,
            )
    return x


def all_destinations(activity: Activity) -> bool:
    base, paragraph = split_eccn(activity.item.eccn or "") if activity.item.eccn else ("", None)
    return base in _ALL_DESTINATION_BASES or (
        base in _ALL_DESTINATION_PARAGRAPHS
        and (paragraph or "").startswith(_ALL_DESTINATION_PARAGRAPHS[base])
    )


def read_chart(
    activity: Activity,
    tables: UsTables,
    trace: Trace,
    entry: dict[str, Any],
    marks: frozenset[str],
    dest: str,
) -> tuple[list[str], list[str]]:
    base, paragraph = split_eccn(activity.item.eccn or "") if activity.item.eccn else ("", None)
    trace.details["eccn"] = activity.item.eccn or entry["eccn"]
    if all_destinations(activity):
        trace.step(
            "all_destinations",
            "15 CFR 738.3(a)(1)",
            N_(
                "{eccn}: a licence is required for all destinations; the Country Chart does not"
                " apply."
            ),
            eccn=activity.item.eccn,
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
        if not _origin_condition_met(row, activity, tables, trace):
            continue
        label, hit = _row_hit(row, marks, dest, tables)
        if label is None:
            if row.get("pointer") and applies in ("yes", "assumed"):
                trace.step(
                    "control_pointer",
                    entry["citation"],
                    N_("{row} control: {row2} (review that section)."),
                    row=row['reason'],
                    row2=row['pointer'],
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
    # the summary lists the chart's own column labels and scopes (table data, in English)
    trace.step(
        "country_chart",
        citation,
        N_("Reasons for control checked against {dest}: {summary}. A licence is required for {controls} unless a"
           " licence exception overcomes each of them separately.")
        if x
        else N_("Reasons for control checked against {dest}: {summary}. No X for this destination."),
        dest=dest,
        summary=summary,
        controls=", ".join(x),
    )
    if assumed:
        trace.details["assumed_controls"] = assumed
        trace.step(
            "scoped_control_assumed",
            entry["citation"],
            N_("These controls cover the technology/software for particular items; the engine assumes they apply to"
               " this item — give item.eccn_control to narrow: {controls}"),
            controls=" | ".join(assumed),
        )
    if uncertain:
        trace.details["controls_depending_on_paragraph"] = uncertain
    return x, uncertain


_EXPORTED_FROM_MO_D5 = re.compile(
    r"exported from Macau or a destination specified in Country Group D:5", re.I
)


def _origin_condition_met(row: dict[str, Any], activity: Activity, tables: UsTables, trace: Trace) -> bool:
    """A control row limited to exports *from* Macau or a D:5 country (e.g. 3E001 RS for 3A090 technology,
    742.6(a)(6)(ii)) applies only when the item leaves such a place; from the US (or a release in the US) it
    does not — the row is not read as worldwide."""
    if not _EXPORTED_FROM_MO_D5.search(row.get("scope") or ""):
        return True
    recipient = activity.recipient
    origin = (
        activity.from_country
        or (recipient.location_country if recipient is not None else None)
        or activity.provider.country
        or ""
    ).upper()
    if not origin:
        return True  # unknown: kept (the stricter reading), the origin question is asked elsewhere
    met = origin == "MO" or tables.in_group(origin, "D:5")
    if not met:
        trace.step(
            "control_row_origin_condition",
            "15 CFR 742.6(a)(6)(ii); Supp. No. 1 to Part 774",
            N_(
                "{row} row '{row2}' applies only to exports from Macau or a D:5 country; this one is"
                " from {origin}: the row does not apply."
            ),
            row=row['reason'],
            row2=row['scope'][:90],
            origin=origin,
        )
    return met


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
    name = country_name(dest) if dest in known_codes() else dest
    if pointer and (name in pointer or (dest == "KP" and "North Korea" in pointer)):
        return f"{row['reason']} ({pointer[:60]})", True
    return None, False


__all__ = ["all_destinations", "chart_footnotes", "read_chart"]
