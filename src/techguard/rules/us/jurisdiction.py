"""Is the item "subject to the EAR"? Exclusions of 15 CFR 734.3(b) first, then the bases of 734.3(a).

Each test returns ``True`` when it settled the question (a step was recorded), so the caller can stop.
"""

from __future__ import annotations

import re
from enum import Enum

from techguard.i18n import N_, Message
from techguard.rules.activity import (
    Activity,
    ActivityKind,
    Audience,
    ForeignDirectProduct,
    FundamentalResearchRole,
    ItemType,
    PublicationPlan,
    confirmed_hits,
)
from techguard.rules.us.tables import UsTables, split_eccn
from techguard.rules.us.trace import Trace


class Subjectness(Enum):
    NOT_SUBJECT = "not_subject"
    NOT_APPLICABLE = "not_applicable"  # no US nexus at all
    SUBJECT = "subject"
    UNKNOWN = "unknown"  # a missing fact was asked


_INFORMATION = (ItemType.TECHNOLOGY, ItemType.SOFTWARE)
# 734.4(a): US content for which there is no de minimis level (summarised; the engine tests what the facts give).
_ZERO_DE_MINIMIS_TECH = re.compile(r"^9E003(\.(a\.[1-6]|a\.8|h|i|l)\b.*)?$")


def _stays_subject_when_published(activity: Activity, trace: Trace) -> bool:
    """734.7(b)/(c): published encryption software (5D002) and firearm 3-D printing files stay subject."""
    eccn = activity.item.eccn or ""
    base, _ = split_eccn(eccn) if eccn else ("", None)
    if base == "5D002":
        trace.step(
            "published_encryption_software",
            "15 CFR 734.7(b)",
            N_(
                "Published encryption software classified 5D002 remains subject to the EAR (unless"
                " it is publicly available object code whose source code meets 15 CFR 742.15(b))."
            ),
        )
        return True
    if base in ("0D501", "0E501", "0D505", "0E505"):
        trace.step(
            "published_firearm_files",
            "15 CFR 734.7(c)",
            N_(
                "Files for producing firearms ({base}) posted on the internet remain subject to the"
                " EAR."
            ),
            base=base,
        )
        return True
    return False


def _is_information(activity: Activity) -> bool:
    """Technology/software (what 734.3(b)(3) can exclude); an untyped item counts unless its ECCN is A/B/C."""
    item = activity.item
    if item.type is not None:
        return item.type in _INFORMATION
    if item.eccn:
        base, _ = split_eccn(item.eccn)
        if re.match(r"^\d[ABC]\d{3}$", base):
            return False
    return True


def _publication_denied(activity: Activity, trace: Trace) -> bool:
    """Explicit facts beat the activity kind: a 'publication' at a closed event or for specific recipients only
    is not a release to the public (734.7(a) needs availability without restriction)."""
    item = activity.item
    closed = item.event_open_to_public is False
    specific = item.audience is Audience.SPECIFIC_RECIPIENTS
    if not (closed or specific):
        return False
    trace.step(
        "publication_not_public",
        "15 CFR 734.7(a)",
        N_("Called a publication, but the event is not open to the public (e.g. a closed workshop under"
           " confidentiality) and it is meant for specific recipients only (e.g. a short-lived upload for one"
           " person): not made available to the public without restriction, so not 'published'.")
        if closed and specific
        else N_("Called a publication, but the event is not open to the public (e.g. a closed workshop under"
                " confidentiality): not made available to the public without restriction, so not 'published'.")
        if closed
        else N_("Called a publication, but it is meant for specific recipients only (e.g. a short-lived upload"
                " for one person): not made available to the public without restriction, so not 'published'."),
    )
    return True


def test_exclusions(activity: Activity, trace: Trace) -> Subjectness | None:
    """734.3(b)(3): published, fundamental research, catalog courses, patents. None: no exclusion applies."""
    item = activity.item
    if not _is_information(activity):
        return None

    published_route: tuple[str, str] | None = None  # (citation, finding msgid)
    if item.published:
        published_route = (
            "15 CFR 734.7(a)",
            N_("The technology/software has been made available to the public without restrictions on further"
               " dissemination: it is 'published' and not subject to the EAR."),
        )
    elif item.publication_planned is PublicationPlan.SUBMITTED:
        published_route = (
            "15 CFR 734.7(a)(5)",
            N_("Submitted to editors, reviewers, co-authors or conference organisers with the intention that it"
               " will be made public if accepted: 'published' under 734.7(a)(5), not subject to the EAR."),
        )
    elif item.event_open_to_public:
        published_route = (
            "15 CFR 734.7(a)(3)",
            N_("Released by unlimited distribution at a conference, meeting, seminar, trade show or exhibition"
               " generally accessible to the interested public: 'published', not subject to the EAR."),
        )
    elif activity.activity is ActivityKind.PUBLICATION and not _publication_denied(activity, trace):
        published_route = (
            "15 CFR 734.7(a)(4)",
            N_("The activity is publication itself (public dissemination without restriction): published"
               " information is not subject to the EAR."),
        )
    if published_route is not None and not _stays_subject_when_published(activity, trace):
        citation, finding = published_route
        trace.step("published", citation, finding)
        trace.step(
            "not_subject_information", "15 CFR 734.3(b)(3)(i)", N_("Excluded from the EAR.")
        )
        return Subjectness.NOT_SUBJECT

    if item.fundamental_research:
        if item.fundamental_research_role is FundamentalResearchRole.INPUT:
            trace.step(
                "fundamental_research_input",
                "15 CFR 734.8(a) Note 1",
                N_(
                    "Technology/software released to conduct fundamental research (an input) is not"
                    " covered by the fundamental research exclusion."
                ),
            )
        elif item.publication_planned is PublicationPlan.NONE:
            trace.step(
                "fundamental_research_not_for_publication",
                "15 CFR 734.8(a)",
                N_(
                    "The results are not intended to be published: the fundamental research"
                    " exclusion covers only technology/software that 'is intended to be published'."
                ),
            )
        elif item.kept_restricted:
            trace.step(
                "fundamental_research_restricted",
                "15 CFR 734.8(a) Note 2",
                N_(
                    "A decision was made to keep the results restricted or proprietary, so they are"
                    " subject to the EAR."
                ),
            )
        else:
            trace.step(
                "fundamental_research",
                "15 CFR 734.8(a)",
                N_(
                    "Technology/software that arises during or results from fundamental research and"
                    " is intended to be published is not subject to the EAR (prepublication review"
                    " solely for patent protection or to remove sponsor proprietary information"
                    " keeps it so, 734.8(b))."
                ),
            )
            return Subjectness.NOT_SUBJECT
    elif item.fundamental_research is False:
        trace.step(
            "not_fundamental_research",
            "15 CFR 734.8(c)",
            N_(
                "Not fundamental research (restrictions accepted or results not ordinarily"
                " published)."
            ),
        )

    if item.catalog_course:
        trace.step(
            "catalog_course",
            "15 CFR 734.3(b)(3)(iii)",
            N_(
                "Released by instruction in a catalog course or associated teaching laboratory of an"
                " academic institution: not subject to the EAR."
            ),
        )
        return Subjectness.NOT_SUBJECT
    if item.in_patent_or_open_application:
        trace.step(
            "patent",
            "15 CFR 734.3(b)(3)(iv); 734.10(a)",
            N_(
                "The information appears in a patent or an open (published) patent application: not"
                " subject to the EAR."
            ),
        )
        return Subjectness.NOT_SUBJECT
    return None


def _destination(activity: Activity) -> str | None:
    return activity.to_country or activity.use_abroad_country


def test_subject(activity: Activity, tables: UsTables, trace: Trace) -> Subjectness:
    """734.3(a): US origin, in the US, de minimis (734.4 + Supp. 2 to Part 734), Entity List FDP (734.9(e))."""
    item = activity.item
    itar = _itar_placeholder(activity, tables)
    if itar is not None:
        trace.step(
            "itar",
            "15 CFR 734.3(b)(1)(i); 22 CFR Parts 120-130",
            N_(
                "ECCN {itar} is a placeholder: 'These items are subject to the ITAR.' Items"
                " exclusively controlled by the Department of State are not subject to the EAR —"
                " determine the ITAR (USML) licence instead."
            ),
            itar=itar,
        )
        return Subjectness.NOT_SUBJECT
    origin = (item.origin_country or "").upper() or None
    in_us = _in_us(activity)
    if origin == "US":
        trace.step(
            "us_origin",
            "15 CFR 734.3(a)(2)",
            N_("US-origin item: subject to the EAR wherever located."),
        )
        return Subjectness.SUBJECT
    if in_us:
        trace.step("in_united_states", "15 CFR 734.3(a)(1)", in_us)
        return Subjectness.SUBJECT
    if origin is None and _release_place_unknown(activity):
        trace.step(
            "release_place_unknown",
            "15 CFR 734.3(a)(1); 734.13(a)(2); 734.14(a)(2)",
            N_(
                "Where the technology/source code is released is not stated: released in the United"
                " States it is subject to the EAR (a deemed export); released abroad the EAR reaches"
                " it only if it is US-origin or has more than de minimis US content (a deemed"
                " reexport)."
            ),
        )
        trace.ask(
            "recipient.location_country", "15 CFR 734.13(a)(2) v 734.14(a)(2): deemed export or reexport"
        )
        return Subjectness.UNKNOWN
    if origin is None:
        trace.step(
            "us_nexus_unknown",
            "15 CFR 734.3(a)",
            N_(
                "The item is not shown to be in the United States; the EAR reaches it abroad only if"
                " it is US-origin or foreign-made with more than de minimis US content (or a foreign"
                " direct product)."
            ),
        )
        trace.ask(
            "item.origin_country",
            "15 CFR 734.3(a): US origin or foreign-made decides whether the EAR reaches it",
        )
        return Subjectness.UNKNOWN

    fdp = _entity_list_fdp(activity, trace)
    if fdp is not None:
        return fdp
    return _de_minimis(activity, tables, trace, origin)


def _release_place_unknown(activity: Activity) -> bool:
    """A release whose place (recipient.location_country) is not given and not implied by the provider."""
    recipient = activity.recipient
    return (
        activity.activity in (ActivityKind.RELEASE, ActivityKind.TEACHING)
        and recipient is not None
        and recipient.location_country is None
        and activity.provider.country is None
        and activity.from_country is None
    )


def _itar_placeholder(activity: Activity, tables: UsTables) -> str | None:
    """The ECCN when its CCL entry only says the items are 'subject to the ITAR' (e.g. 9A005-9A011, 9A1xx)."""
    if not activity.item.eccn or activity.item.eccn_control is not None:
        return None
    entry = tables.ccl_entry(activity.item.eccn)
    if entry is None or entry["controls"]:
        return None
    if re.search(r"These items are “?\"?subject to the ITAR", entry["heading"]):
        return str(entry["eccn"])
    return None


def _in_us(activity: Activity) -> str | None:
    """A sentence why the item is in the US (a msgid: the step's finding), or None."""
    kind = activity.activity
    if (activity.from_country or "").upper() == "US":
        return N_("The item leaves from or is in the United States (734.3(a)(1)).")
    if kind is ActivityKind.EXPORT and activity.from_country is None:
        return N_("An export is a shipment or transmission out of the United States (734.13(a)(1)); the item is in"
                  " the US.")
    releases = (ActivityKind.RELEASE, ActivityKind.TEACHING)
    if (
        kind in releases
        and activity.recipient is not None
        and (activity.recipient.location_country or "").upper() == "US"
    ):
        return N_("The release takes place in the United States: the technology/source code is in the US.")
    if (activity.provider.country or "").upper() == "US" and kind is not ActivityKind.REEXPORT:
        return N_("The provider holds the item in the United States.")
    return None


def _entity_list_fdp(activity: Activity, trace: Trace) -> Subjectness | None:
    fdp = activity.item.foreign_direct_product
    if fdp is None:
        return None
    listed = [h for h in confirmed_hits(activity) if h.list.startswith("us_entity_list")]
    fn1_parties = [h for h in listed if h.fdp_footnote == 1]
    fn4_parties = [h for h in listed if h.fdp_footnote == 4]
    if fn4_parties and not fn1_parties:
        return _footnote_4_fdp(fdp, trace)
    if not fn1_parties:
        trace.step(
            "foreign_direct_product",
            "15 CFR 734.9",
            N_(
                "A foreign direct product was described but no Entity List Footnote 1 party is in"
                " the transaction; the other FDP rules (734.9(b)-(d), (f)-(l)) are not evaluated by"
                " this engine — review them."
            ),
        )
        return None
    if (
        fdp.us_technology_or_software_eccn is None
        and fdp.made_by_plant_or_equipment_that_is_direct_product is None
    ):
        trace.ask(
            "item.eccn", "15 CFR 734.9(e)(1): which US technology/software the item is a direct product of"
        )
        return Subjectness.UNKNOWN
    base, _ = split_eccn(fdp.us_technology_or_software_eccn or "")
    fn1_scope = re.match(
        r"^(3D001|3D991|3E001|3E002|3E003|3E991|4D001|4D993|4D994|4E001|4E992|4E993|5D001|5D991"
        r"|5E001|5E991)$",
        base,
    )
    if fn1_scope or fdp.made_by_plant_or_equipment_that_is_direct_product:
        trace.step(
            "entity_list_fdp",
            "15 CFR 734.9(e)(1); 744.11(a)(2)(i)",
            N_(
                "Foreign-produced direct product within the Entity List Footnote 1 FDP rule with a"
                " Footnote 1 entity as a party: subject to the EAR."
            ),
        )
        return Subjectness.SUBJECT
    return None


def _footnote_4_fdp(fdp: ForeignDirectProduct, trace: Trace) -> Subjectness | None:
    """734.9(e)(2): the direct product of US technology or software in *any* ECCN of product group D or E (or
    of a plant / major plant component that is such a direct product), with a Footnote 4 entity as a party."""
    eccn = (fdp.us_technology_or_software_eccn or "").strip().upper()
    if not eccn and fdp.made_by_plant_or_equipment_that_is_direct_product is None:
        trace.ask(
            "item.eccn", "15 CFR 734.9(e)(2): which US technology/software the item is a direct product of"
        )
        return Subjectness.UNKNOWN
    in_scope = bool(re.match(r"^\d[DE]\d{3}", eccn)) or bool(
        fdp.made_by_plant_or_equipment_that_is_direct_product
    )
    if in_scope:
        trace.step(
            "entity_list_fdp_fn4",
            "15 CFR 734.9(e)(2); 744.11(a)(2)(iii)",
            N_(
                "Foreign-produced direct product of US technology or software of a product group D"
                " or E ECCN{value} (or of a plant that is such a direct product), with an Entity"
                " List Footnote 4 entity as a party: subject to the EAR, and a licence is required"
                " for it (no licence exceptions)."
            ),
            value=f' ({eccn})' if eccn else '',
        )
        return Subjectness.SUBJECT
    trace.step(
        "entity_list_fdp_fn4_out_of_scope",
        "15 CFR 734.9(e)(2)",
        N_(
            "A Footnote 4 entity is a party, but {value} is not an ECCN of product group D or E and"
            " no plant that is such a direct product was used: outside the Footnote 4 FDP rule."
        ),
        value=eccn or 'the stated technology',
    )
    return None


def _de_minimis(activity: Activity, tables: UsTables, trace: Trace, origin: str) -> Subjectness:
    item = activity.item
    destination = (_destination(activity) or "").upper() or None
    for content in item.us_content_eccns:
        if _ZERO_DE_MINIMIS_TECH.match(content.strip()):
            trace.step(
                "no_de_minimis",
                "15 CFR 734.4(a)(4)",
                N_(
                    "Foreign item with US {content} technology content: there is no de minimis"
                    " level; subject to the EAR."
                ),
                content=content,
            )
            return Subjectness.SUBJECT
        base, _ = split_eccn(content)
        if re.match(r"^\d[A-E](5\d\d|6\d\d)$", base) and destination and tables.in_group(destination, "D:5"):
            trace.step(
                "no_de_minimis",
                "15 CFR 734.4(a)(6)",
                N_(
                    "US '600 series'/9x515 content ({content}) in a foreign item going to a D:5"
                    " country: no de minimis."
                ),
                content=content,
            )
            return Subjectness.SUBJECT
    if destination is None:
        trace.ask("to_country", "15 CFR 734.4(c)/(d): the de minimis level depends on the destination")
        return Subjectness.UNKNOWN
    if destination == "US":
        # Travel or shipment *into* the United States is neither an export nor a reexport: no de minimis question.
        trace.step(
            "entering_us",
            "15 CFR 734.13(a)(1); 734.14(a)(1)",
            N_(
                "The foreign-made item goes to the United States: that is not an export or reexport"
                " under the EAR, so no de minimis analysis is made (once in the US the item is"
                " subject to the EAR, 734.3(a)(1), for any later export)."
            ),
        )
        return Subjectness.NOT_APPLICABLE
    embargoed = tables.in_group(destination, "E:1") or tables.in_group(destination, "E:2")
    level, citation = (10.0, "15 CFR 734.4(c)") if embargoed else (25.0, "15 CFR 734.4(d)(1)")
    percent = item.us_content_percent
    basis = "controlled US content"
    if (
        percent is None
        and item.us_content_total_percent is not None
        and item.us_content_total_percent <= level
    ):
        percent, basis = (
            item.us_content_total_percent,
            "total US content (an upper bound of controlled content)",
        )
    if (
        percent is None
        and item.us_content_eccns
        and all(_content_needs_no_licence(c, destination, tables) for c in item.us_content_eccns)
    ):
        percent, basis = (
            0.0,
            "controlled US content (all US content is EAR99 or needs no licence to the destination)",
        )
    if percent is None:
        if (
            item.us_content_total_percent is None
            and not item.us_content_eccns
            and item.foreign_direct_product is None
        ):
            trace.step(
                "no_us_nexus_stated",
                "15 CFR 734.3(a)",
                N_(
                    "Foreign-made item (origin {origin}), outside the US; the US content is not"
                    " stated."
                ),
                origin=origin,
            )
        trace.ask(
            "item.us_content_percent", f"{citation}; Supp. No. 2 to Part 734: de minimis level {level:g} %"
        )
        return Subjectness.UNKNOWN
    if percent == 0 and basis.startswith("total"):
        trace.step(
            "no_us_nexus",
            "15 CFR 734.3(a)",
            N_(
                "Foreign-made item (origin {origin}) with no US content, outside the United States:"
                " the EAR does not reach it."
            ),
            origin=origin,
        )
        return Subjectness.NOT_APPLICABLE
    where = Message(N_("E:1/E:2 destination")) if embargoed else Message(N_("destination outside E:1/E:2"))
    if percent <= level:
        trace.step(
            "de_minimis",
            f"{citation}; Supp. No. 2 to Part 734 (a)(1)",
            N_("Foreign-made item with {percent:g} % {basis}, at or below the {level:g} % de minimis level for a"
               " {where} ({destination}): not subject to the EAR."),
            percent=percent,
            basis=basis,  # the content counted, as the tables word it (English)
            level=level,
            where=where,
            destination=destination,
            # the Japanese names only whether the counted content is the controlled part
            controlled=Message(N_("controlled (US content)")) if "controlled" in basis else "",
        )
        if embargoed:
            trace.step(
                "de_minimis_ofac_note",
                "15 CFR 734.4(a)(7); 31 CFR Chapter V",
                N_(
                    "Not subject to the EAR, but OFAC sanctions may still prohibit the transaction"
                    " for US persons and US-owned or -controlled foreign entities."
                ),
            )
        if item.type is ItemType.TECHNOLOGY and percent > 0:
            # with no US content there is nothing to report (Supp. No. 2 (b) concerns the US content calculation)
            trace.step(
                "de_minimis_technology_report",
                "Supp. No. 2 to Part 734 (b)",
                N_(
                    "For foreign technology, relying on de minimis needs a one-time report to BIS"
                    " (30-day wait)."
                ),
            )
        return Subjectness.NOT_SUBJECT
    trace.step(
        "de_minimis_exceeded",
        f"{citation}; 15 CFR 734.3(a)(3)",
        N_(
            "Controlled US content {percent:g} % exceeds the {level:g} % de minimis level for"
            " {destination}: the foreign-made item is subject to the EAR."
        ),
        percent=percent,
        level=level,
        destination=destination,
    )
    return Subjectness.SUBJECT


def _content_needs_no_licence(eccn: str, destination: str, tables: UsTables) -> bool:
    """Supp. 2 to Part 734 (a)(1): only content needing a licence to the destination (chart + Part 746) counts."""
    if eccn.strip().upper() == "EAR99":
        lookup = tables.chart_for(destination)
        return lookup.pointer is None and lookup.row_iso not in ("RU", "BY")
    entry = tables.ccl_entry(eccn)
    if entry is None:
        return False
    lookup = tables.chart_for(destination)
    if lookup.pointer is not None or lookup.row_iso is None or lookup.row_iso in ("RU", "BY"):
        return False
    columns = {c for row in entry["controls"] for c in row["columns"]}
    other = any(not row["columns"] for row in entry["controls"])
    return not other and not (columns & lookup.marks)


__all__ = ["Subjectness", "test_exclusions", "test_subject"]
