"""US EAR determinations (15 CFR Parts 730-774): is the item subject, what transaction is it, is a licence needed.

Order of the tests (15 CFR 734.3, 734.13-734.20, 736.2, 738.4, Part 744, Part 746):
exclusions (published, fundamental research, catalog course, patent) -> subject (US origin, in the US, de
minimis, Entity List FDP) -> transaction (export, reexport, deemed export/reexport, not an export) -> per
destination: parties, embargoes, Country Chart, end uses -> 734.20 for deemed reexports -> licence exceptions
to review. Every step is cited; a missing deciding fact makes the outcome ``incomplete`` with that fact named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from techguard.i18n import N_
from techguard.rules.activity import Activity, ActivityKind, ItemType, PublicationPlan, Recipient
from techguard.rules.result import JurisdictionResult, UsOutcome
from techguard.rules.us.carry import own_use_export
from techguard.rules.us.jurisdiction import Subjectness, test_exclusions, test_subject
from techguard.rules.us.licensing import LicenceFinding, assess_destination
from techguard.rules.us.tables import UsTables, active_tables, tables_for
from techguard.rules.us.trace import Trace
from techguard.rules.us.transaction import (
    Transaction,
    classify,
    deemed_destinations,
    is_foreign_person,
    object_code_release,
)

# Findings that hold for a release in the US only (a deemed reexport abroad is treated otherwise).
_DEEMED_EXPORT_ONLY_RULES = frozenset({"iran_ear99_deemed_export"})

_RESTRICTIVENESS = {
    UsOutcome.LICENCE_REQUIRED: 3,
    UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION: 2,
    UsOutcome.INCOMPLETE: 1,
    UsOutcome.NO_LICENCE_REQUIRED: 0,
}


def assess_us(activity: Activity, as_of: dt.date, *, tables: UsTables | None = None) -> JurisdictionResult:
    """The US EAR determination for one activity under the rules in force on ``as_of``."""
    tables = tables or tables_for(as_of)
    trace = Trace()
    trace.details["as_of"] = as_of.isoformat()
    oldest = min(tables.dates.values())
    if as_of.isoformat() < oldest:
        trace.details["tables_note"] = (
            f"Rules as of {as_of.isoformat()} were asked for, but the US tables reflect the eCFR of {oldest};"
            " earlier versions are not held (only dated rules such as the Affiliates rule switch by date)."
        )
    excluded = test_exclusions(activity, trace)
    if excluded is Subjectness.NOT_SUBJECT:
        return trace.result(UsOutcome.NOT_SUBJECT)
    if object_code_release(activity, trace):
        # Whether or not the software is subject, no export takes place: open exclusion questions do not matter.
        trace.missing.clear()
        return trace.result(UsOutcome.NOT_AN_EXPORT)
    located = _release_location_not_needed(activity, as_of, tables, trace)
    if located is not None:
        return located
    subject = test_subject(activity, tables, trace)
    if subject is Subjectness.NOT_SUBJECT:
        return trace.result(UsOutcome.NOT_SUBJECT)
    if subject is Subjectness.NOT_APPLICABLE:
        return trace.result(UsOutcome.NOT_APPLICABLE)
    if subject is Subjectness.UNKNOWN:
        return _unknown_subjectness(activity, tables, trace, as_of)
    transaction = classify(activity, tables, trace)
    if isinstance(transaction, UsOutcome):
        return trace.result(transaction)
    trace.details["transaction"] = transaction.kind
    own_use_export(activity, trace)
    finding = _most_restrictive(activity, tables, trace, transaction, as_of)
    if transaction.kind == "deemed_reexport" and finding.outcome in (
        UsOutcome.LICENCE_REQUIRED,
        UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION,
    ):
        outcome = _not_a_deemed_reexport(activity, tables, trace, transaction, finding)
        if outcome is not None:
            return trace.result(outcome)
    if transaction.kind == "deemed_reexport" and finding.outcome is UsOutcome.NO_LICENCE_REQUIRED:
        recipient = activity.recipient
        if recipient is not None and recipient.releasing_entity_authorised_to_receive:
            trace.step(
                "734_20_a",
                "15 CFR 734.20(a)",
                N_(
                    "The releasing entity is authorised to receive the technology and an export from"
                    " the United States to the deemed destination would need no licence: not a"
                    " deemed reexport."
                ),
            )
            return trace.result(UsOutcome.NOT_A_DEEMED_REEXPORT)
    if finding.outcome is UsOutcome.INCOMPLETE:
        return trace.incomplete()
    if (
        finding.outcome in (UsOutcome.LICENCE_REQUIRED, UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION)
        and activity.activity is ActivityKind.TEACHING
        and activity.item.catalog_course is None
    ):
        # Instruction in a catalog course would take the information out of the EAR (734.3(b)(3)(iii)).
        trace.ask("item.catalog_course", "15 CFR 734.3(b)(3)(iii): catalog-course instruction is not subject")
        return trace.incomplete()
    if (
        finding.outcome in (UsOutcome.LICENCE_REQUIRED, UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION)
        and transaction.kind in ("deemed_export", "deemed_reexport")
        and activity.item.type is ItemType.SOFTWARE
        and activity.item.software_form is None
    ):
        # A release of object code would be no deemed export at all (734.13(a)(2)): the deciding fact.
        trace.ask("item.software_form", "15 CFR 734.13(a)(2), 734.14(a)(2): only source code is 'released'")
        return trace.incomplete()
    if (
        finding.outcome in (UsOutcome.LICENCE_REQUIRED, UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION)
        and activity.item.publication_planned is PublicationPlan.INTENDED
        and activity.item.fundamental_research is None
        and activity.item.type is not ItemType.COMMODITY
    ):
        # Results meant to be published are outside the EAR if they arise from fundamental research (734.8(a)):
        # the one fact that would turn this licence requirement into 'not subject'.
        trace.step(
            "publication_intended",
            "15 CFR 734.8(a), (c)",
            N_(
                "Publication of the results is intended: if they arise during or result from"
                " fundamental research (no proprietary or national-security restrictions accepted),"
                " they are not subject to the EAR."
            ),
        )
        trace.ask(
            "item.fundamental_research", "15 CFR 734.8(a): results of fundamental research are not subject"
        )
        return trace.incomplete()
    trace.missing.clear()
    return trace.result(finding.outcome)


def _release_location_not_needed(
    activity: Activity, as_of: dt.date, tables: UsTables, trace: Trace
) -> JurisdictionResult | None:
    """A release to a foreign person whose place is not given: if a release in the US would need no licence,
    neither does one abroad, so the place is not asked.

    A deemed reexport (734.14(b)) is tested against the same deemed destination as a deemed export (734.13(b));
    abroad the item may only be outside the EAR (not US-origin, de minimis) or outside the rule (734.20,
    same-country national) — each of which also needs no licence. Returns None when the place matters.
    """
    recipient = activity.recipient
    if (
        activity.activity not in (ActivityKind.RELEASE, ActivityKind.TEACHING)
        or recipient is None
        or recipient.location_country is not None
        or is_foreign_person(recipient) is not True
        or not deemed_destinations(recipient)
        # sent from the US to someone abroad is an export to where they are (734.13(a)(1)): the place matters
        or "US" in ((activity.provider.country or "").upper(), (activity.from_country or "").upper())
    ):
        return None
    in_us = dataclasses.replace(activity, recipient=dataclasses.replace(recipient, location_country="US"))
    hypothetical = assess_us(in_us, as_of, tables=tables)
    if hypothetical.outcome != UsOutcome.NO_LICENCE_REQUIRED or any(
        step.rule in _DEEMED_EXPORT_ONLY_RULES for step in hypothetical.steps
    ):
        return None
    trace.steps.clear()  # the exclusion steps already recorded are repeated in the hypothetical
    trace.step(
        "release_location_not_needed",
        "15 CFR 734.13(b); 734.14(b); 734.20",
        N_(
            "Where the release takes place is not stated, and it does not change the answer: tested"
            " below as a release in the United States (a deemed export), it needs no licence;"
            " released abroad it would be a deemed reexport tested against the same deemed"
            " destination, or not subject to the EAR / not a deemed reexport — no licence either way."
        ),
    )
    trace.steps.extend(hypothetical.steps)
    trace.exceptions.extend(hypothetical.licence_exceptions_to_review)
    trace.details.update(hypothetical.details)
    return trace.result(UsOutcome.NO_LICENCE_REQUIRED)


def _unknown_subjectness(
    activity: Activity, tables: UsTables, trace: Trace, as_of: dt.date
) -> JurisdictionResult:
    """Whether the EAR reaches the item is open; a 'not an export' answer holds either way, so give it."""
    probe = Trace()
    transaction = classify(activity, tables, probe)
    if transaction in (UsOutcome.NOT_AN_EXPORT, UsOutcome.NOT_A_DEEMED_REEXPORT) and not probe.missing:
        trace.missing.clear()
        # The open question (origin, place) does not matter for this answer, so its step is not shown.
        trace.steps[:] = [
            s for s in trace.steps if s.rule not in ("us_nexus_unknown", "release_place_unknown")
        ]
        trace.steps.extend(probe.steps)
        trace.details.update(probe.details)
        return trace.result(transaction)
    if [m.field for m in trace.missing] == ["item.origin_country"]:
        as_if_us = dataclasses.replace(activity, item=dataclasses.replace(activity.item, origin_country="US"))
        hypothetical = assess_us(as_if_us, as_of, tables=tables)
        if hypothetical.outcome == UsOutcome.NO_LICENCE_REQUIRED:
            # Even a US-origin item would need no licence; a foreign-made one is subject at most on the same terms
            # (de minimis / direct product), so the origin does not change the answer and is not asked.
            trace.missing.clear()
            trace.steps.clear()
            trace.step(
                "origin_not_needed",
                "15 CFR 734.3(a)(2)-(4); 734.4",
                N_(
                    "The item's origin is not stated, and it does not change the answer: tested"
                    " below as a US-origin item, it needs no licence; a foreign-made item is subject"
                    " to the EAR at most on the same terms (more than de minimis US content or a"
                    " foreign direct product)."
                ),
            )
            trace.steps.extend(s for s in hypothetical.steps if s.rule != "us_origin")
            trace.exceptions.extend(hypothetical.licence_exceptions_to_review)
            trace.details.update(hypothetical.details)
            return trace.result(UsOutcome.NO_LICENCE_REQUIRED)
    return trace.incomplete()


def _most_restrictive(
    activity: Activity, tables: UsTables, trace: Trace, transaction: Transaction, as_of: dt.date
) -> LicenceFinding:
    findings = [
        assess_destination(activity, tables, trace, d, as_of, transaction_kind=transaction.kind)
        for d in transaction.destinations
    ]
    worst = max(findings, key=lambda f: _RESTRICTIVENESS[f.outcome])
    if worst.outcome is not UsOutcome.INCOMPLETE:
        # One destination already decides; the missing facts of another do not change the answer.
        trace.missing.clear()
    return worst


def _not_a_deemed_reexport(
    activity: Activity, tables: UsTables, trace: Trace, transaction: Transaction, finding: LicenceFinding
) -> UsOutcome | None:
    """15 CFR 734.20(a)-(c). Returns NOT_A_DEEMED_REEXPORT, INCOMPLETE, or None (the licence finding stands)."""
    recipient = activity.recipient
    assert recipient is not None  # a deemed reexport always has one (transaction.classify)
    location = transaction.release_country or ""
    trace.step(
        "734_20_a",
        "15 CFR 734.20(a)",
        N_("734.20(a) does not apply: an export from the United States to the deemed destination would itself need"
           " a licence (a licence exception may exist; if the releasing entity has knowledge it is eligible,"
           " 734.20(a) can still apply).")
        if finding.outcome is UsOutcome.LICENCE_REQUIRED_UNLESS_EXCEPTION
        else N_("734.20(a) does not apply: an export from the United States to the deemed destination would itself"
                " need a licence."),
    )
    if not finding.chart_only:
        return None
    employee = recipient.permanent_regular_employee_of_releasing_entity
    if employee is None:
        trace.ask(
            "recipient.permanent_regular_employee_of_releasing_entity",
            "15 CFR 734.20(b)/(c): only a permanent and regular employee can fall outside the deemed reexport rule",
        )
        return UsOutcome.INCOMPLETE
    if not employee:
        trace.step(
            "734_20_b_c_not_employee",
            "15 CFR 734.20(b), (c)",
            N_(
                "The recipient is not a bona fide permanent and regular employee of the releasing"
                " entity: 734.20(b) and (c) do not apply."
            ),
        )
        return None
    return _employee_routes(activity, tables, trace, recipient, location)


def _employee_routes(
    activity: Activity, tables: UsTables, trace: Trace, recipient: Recipient, location: str
) -> UsOutcome | None:
    authorised = recipient.releasing_entity_authorised_to_receive
    nationalities = {c.upper() for c in recipient.citizenships}
    all_a5 = bool(nationalities) and all(tables.in_group(c, "A:5") for c in nationalities)
    release_ok_b = location == "US" or tables.in_group(location, "A:5")
    if all_a5 and release_ok_b:
        if authorised is None:
            trace.ask("recipient.releasing_entity_authorised_to_receive", "15 CFR 734.20(b)")
            return UsOutcome.INCOMPLETE
        if authorised:
            trace.step(
                "734_20_b",
                "15 CFR 734.20(b)",
                N_(
                    "Permanent and regular employee, national exclusively of Country Group A:5"
                    " countries, release in an A:5 country or the US by an authorised entity: not a"
                    " deemed reexport."
                ),
            )
            return UsOutcome.NOT_A_DEEMED_REEXPORT
    entity_country = (activity.provider.country or "").upper() or None
    if entity_country is not None and entity_country != location:
        trace.step(
            "734_20_c_other_country",
            "15 CFR 734.20(c)",
            N_(
                "The release takes place in {location}, not in the releasing entity's country"
                " ({entity_country}): 734.20(c) does not apply."
            ),
            location=location,
            entity_country=entity_country,
        )
        return None
    screening = recipient.releasing_entity_screening_done
    if screening is None:
        trace.ask("recipient.releasing_entity_screening_done", "15 CFR 734.20(c)(5)(ii)")
    if authorised is None:
        trace.ask("recipient.releasing_entity_authorised_to_receive", "15 CFR 734.20(c)")
    if screening is None or authorised is None:
        return UsOutcome.INCOMPLETE
    if screening and authorised:
        trace.step(
            "734_20_c",
            "15 CFR 734.20(c)(1)-(5)(ii), (d)",
            N_(
                "Permanent and regular employee; release in the releasing entity's country"
                " ({location}); the entity is authorised to receive the technology, screened the"
                " employee for substantive contacts with D:5 countries, obtained an NDA, keeps"
                " records 5 years and applies anti-diversion procedures: not a deemed reexport."
            ),
            location=location,
        )
        return UsOutcome.NOT_A_DEEMED_REEXPORT
    trace.step(
        "734_20_c_not_met",
        "15 CFR 734.20(c)",
        N_(
            "The releasing entity's authorisation or its screening/NDA/anti-diversion procedures are"
            " not in place: 734.20(c) does not apply."
        ),
    )
    return None


def us_tables_as_of(as_of: dt.date | None = None) -> dict[str, str]:
    """The eCFR issue date of each US table the engine reads (on ``as_of``: the version then in force)."""
    return (tables_for(as_of) if as_of else active_tables()).dates


__all__ = ["assess_us", "us_tables_as_of"]
