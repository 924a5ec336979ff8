"""What kind of transaction the activity is under the EAR, and to which destination(s).

Export 734.13(a)(1), reexport 734.14(a)(1), deemed export 734.13(a)(2)/(b), deemed reexport 734.14(a)(2)/(b),
transfer (in-country) 734.16, release 734.15, not an export 734.18. The deemed destination is the foreign
person's most recent country of citizenship or permanent residency — derived here, never asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from techguard.i18n import N_
from techguard.rules.activity import (
    Activity,
    ActivityKind,
    ItemType,
    LastStatusObtained,
    Recipient,
    SoftwareForm,
    UsPersonStatus,
)
from techguard.rules.result import UsOutcome
from techguard.rules.us.tables import UsTables
from techguard.rules.us.trace import Trace


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: str  # export | reexport | transfer_in_country | deemed_export | deemed_reexport
    destinations: tuple[str, ...]
    release_country: str | None = None


_US_PERSON = (UsPersonStatus.CITIZEN, UsPersonStatus.PERMANENT_RESIDENT, UsPersonStatus.PROTECTED_INDIVIDUAL)


def classify(activity: Activity, tables: UsTables, trace: Trace) -> Transaction | UsOutcome:
    """A :class:`Transaction`, or a terminal outcome (not an export / not a deemed reexport / incomplete)."""
    kind = activity.activity
    if kind in (ActivityKind.RELEASE, ActivityKind.TEACHING) or (
        # a 'publication' that is not public (closed event, specific recipients) is a release to those present
        kind is ActivityKind.PUBLICATION and activity.recipient is not None
    ):
        return _release(activity, tables, trace)
    destination = (activity.to_country or activity.use_abroad_country or "").upper() or None
    if kind is ActivityKind.TRANSFER_IN_COUNTRY:
        destination = destination or (activity.from_country or "").upper() or None
    if kind is ActivityKind.STORAGE or activity.encrypted_end_to_end:
        outcome = _encrypted_storage(activity, tables, trace, destination)
        if outcome is not None:
            return outcome
    if destination is None:
        trace.ask("to_country", "15 CFR 738.4: the licence requirement depends on the destination")
        return UsOutcome.INCOMPLETE
    if kind is ActivityKind.TRANSFER_IN_COUNTRY:
        trace.step(
            "transfer_in_country",
            "15 CFR 734.16",
            N_("A change of end use or end user within {destination}: a transfer (in-country)."),
            destination=destination,
        )
        return Transaction("transfer_in_country", (destination,))
    from_country = (activity.from_country or "").upper() or None
    if kind is ActivityKind.REEXPORT or (from_country not in (None, "US")):
        trace.step(
            "reexport",
            "15 CFR 734.14(a)(1)",
            N_("Shipment or transmission from {origin} to {destination}: a reexport.")
            if from_country
            else N_("Shipment or transmission from a foreign country to {destination}: a reexport."),
            origin=from_country,
            destination=destination,
        )
        return Transaction("reexport", (destination,))
    if destination == "US":
        trace.step(
            "not_leaving_us",
            "15 CFR 734.13(a)(1)",
            N_("The item does not leave the United States: not an export."),
        )
        return UsOutcome.NOT_AN_EXPORT
    if from_country is None and kind is not ActivityKind.EXPORT:
        trace.step(
            "export_or_reexport",
            "15 CFR 734.13(a)(1); 734.14(a)(1)",
            N_(
                "Shipment, transmission or carrying to {destination}, starting point not stated: an"
                " export if it leaves the United States, a reexport if from another country — the"
                " licence requirement is read the same way for both (738.4)."
            ),
            destination=destination,
        )
        return Transaction("export", (destination,))
    trace.step(
        "export",
        "15 CFR 734.13(a)(1)",
        N_("Shipment or transmission out of the United States to {destination}: an export."),
        destination=destination,
    )
    return Transaction("export", (destination,))


def _encrypted_storage(
    activity: Activity, tables: UsTables, trace: Trace, destination: str | None
) -> UsOutcome | None:
    """734.18(a)(5): end-to-end encrypted technology/software sent or stored abroad is not an export."""
    if activity.item.type not in (ItemType.TECHNOLOGY, ItemType.SOFTWARE):
        return None
    if activity.encrypted_end_to_end is None:
        trace.ask("encrypted_end_to_end", "15 CFR 734.18(a)(5): encrypted storage abroad is not an export")
        return UsOutcome.INCOMPLETE
    if not activity.encrypted_end_to_end:
        return None
    if destination is None:
        trace.ask("to_country", "15 CFR 734.18(a)(5)(iv): storage must not be in a D:5 country or Russia")
        return UsOutcome.INCOMPLETE
    if tables.in_group(destination, "D:5") or destination == "RU":
        trace.step(
            "encrypted_storage_in_d5",
            "15 CFR 734.18(a)(5)(iv)",
            N_(
                "End-to-end encrypted, but intentionally stored in {destination} (Country Group D:5"
                " or Russia): the not-an-export rule does not apply, so this is an export to that"
                " country."
            ),
            destination=destination,
        )
        return None
    trace.step(
        "encrypted_not_an_export",
        "15 CFR 734.18(a)(5)",
        N_(
            "Unclassified technology/software secured end to end (FIPS 140-2 or better, keys not"
            " given to third parties) and not stored in a D:5 country or Russia ({destination}):"
            " sending or storing it is not an export, and mere ability to access it is not a release"
            " (734.18(c))."
        ),
        destination=destination,
    )
    return UsOutcome.NOT_AN_EXPORT


def object_code_release(activity: Activity, trace: Trace) -> bool:
    """734.13(a)(2), 734.14(a)(2): releasing object code (as opposed to source code) is no deemed export or
    reexport. True (with the step) only for a release/teaching of object code within one country; a release
    whose place is unknown or that crosses a border (a transmission, 734.13(a)(1)/734.14(a)(1)) goes on to the
    ordinary analysis, which asks for the place or treats it as the export/reexport it is."""
    if activity.activity not in (ActivityKind.RELEASE, ActivityKind.TEACHING):
        return False
    if activity.item.software_form is not SoftwareForm.OBJECT_CODE:
        return False
    if activity.item.type not in (ItemType.SOFTWARE, None):
        return False  # 'object code' of technology or a commodity is a contradiction: not relied on
    recipient = activity.recipient
    location = (recipient.location_country or "").upper() if recipient else ""
    sender = (activity.from_country or activity.provider.country or "").upper()
    if not location or (sender and sender != location):
        return False
    trace.step(
        "object_code_release",
        "15 CFR 734.13(a)(2); 734.14(a)(2); 734.15(a)",
        N_(
            "Release of object code (not source code) in {location}: a deemed export or deemed"
            " reexport is a release of 'technology' or source code only, so showing or giving access"
            " to object code is not an export (it is one only when the object code is actually"
            " shipped or transmitted out of the country, 734.13(a)(1))."
        ),
        location=location,
    )
    return True


def is_foreign_person(recipient: Recipient) -> bool | None:
    """772.1: not a US citizen, lawful permanent resident or protected individual. None: not derivable."""
    if recipient.us_person_status in _US_PERSON:
        return False
    if "US" in {c.upper() for c in recipient.citizenships} or "US" in {
        c.upper() for c in recipient.permanent_residence
    }:
        return False
    if recipient.citizenships or recipient.permanent_residence:
        return True
    if recipient.us_person_status in (UsPersonStatus.NONE, UsPersonStatus.TEMPORARY_VISA):
        return True
    return None


def deemed_destinations(recipient: Recipient) -> tuple[str, ...]:
    """Most recent citizenship (first listed) and permanent residence outside the US (734.13(b), 734.14(b)).

    When the recipient says which status was obtained last, that one alone governs (BIS deemed-export guidance:
    "the last status obtained"); otherwise both are tested and the stricter answer governs."""
    last = recipient.last_status_obtained
    residences = [pr.upper() for pr in recipient.permanent_residence if pr.upper() != "US"]
    if last is LastStatusObtained.PERMANENT_RESIDENCE and residences:
        return (residences[0],)
    if last is LastStatusObtained.CITIZENSHIP and recipient.citizenships:
        return (recipient.citizenships[0].upper(),)
    out: list[str] = []
    if recipient.citizenships:
        out.append(recipient.citizenships[0].upper())
    for pr in recipient.permanent_residence:
        if pr.upper() != "US" and pr.upper() not in out:
            out.append(pr.upper())
            break
    return tuple(out)


def _release(activity: Activity, tables: UsTables, trace: Trace) -> Transaction | UsOutcome:
    if activity.item.type is ItemType.COMMODITY:
        trace.step(
            "release_of_commodity",
            "15 CFR 734.15(a)",
            N_(
                "A release concerns technology or source code; showing a commodity is a release only"
                " of the technology it reveals."
            ),
        )
    recipient = activity.recipient
    if recipient is None:
        trace.ask("recipient", "15 CFR 734.13(b), 734.14(b): the deemed destination is the recipient's")
        return UsOutcome.INCOMPLETE
    location = (recipient.location_country or "").upper() or None
    sender_in_us = "US" in ((activity.provider.country or "").upper(), (activity.from_country or "").upper())
    if sender_in_us and location not in (None, "US"):
        # 734.13(a)(1): sending or transmitting the information out of the US is an export to where the recipient
        # is — whoever the recipient is (a US citizen abroad too); the deemed rules cover releases *within* a country.
        trace.step(
            "export_by_release",
            "15 CFR 734.13(a)(1); 734.15(a)(2)",
            N_(
                "Technology/source code released from the United States to a person located in"
                " {location} (e-mail, upload, call or written exchange across the border): a"
                " transmission out of the United States — an export to {location}."
            ),
            location=location,
        )
        return Transaction("export", (location,))
    foreign = is_foreign_person(recipient)
    if foreign is None:
        if location is None:
            trace.ask(
                "recipient.location_country", "15 CFR 734.13(a)(2) v 734.14(a)(2): deemed export or reexport"
            )
        trace.ask(
            "recipient.citizenships", "15 CFR 734.13(b): deemed destination = most recent citizenship or PR"
        )
        return UsOutcome.INCOMPLETE
    if not foreign and sender_in_us and location is None:
        trace.ask(
            "recipient.location_country",
            "15 CFR 734.13(a)(1): sent from the US to a US person abroad is still an export; in the US it is not",
        )
        return UsOutcome.INCOMPLETE
    if not foreign:
        # Both deemed exports and deemed reexports are releases to a *foreign* person: where the release takes
        # place does not matter for a US person, so it is not asked.
        trace.step(
            "not_a_foreign_person",
            "15 CFR 772.1 'foreign person'; 734.13(a)(2); 734.14(a)(2)",
            N_(
                "The recipient is a US citizen, lawful permanent resident or protected individual:"
                " releasing technology or source code to them is not a deemed export or deemed"
                " reexport."
            ),
        )
        return UsOutcome.NOT_AN_EXPORT
    if location is None:
        trace.ask(
            "recipient.location_country", "15 CFR 734.13(a)(2) v 734.14(a)(2): deemed export or reexport"
        )
        return UsOutcome.INCOMPLETE
    destinations = deemed_destinations(recipient)
    if not destinations:
        trace.ask(
            "recipient.citizenships", "15 CFR 734.13(b): deemed destination = most recent citizenship or PR"
        )
        return UsOutcome.INCOMPLETE
    trace.details["deemed_destination"] = destinations[0]
    if len(destinations) > 1:
        trace.details["deemed_destinations"] = list(destinations)
    names = ", ".join(destinations)
    if recipient.us_person_status is None and not recipient.citizenships:
        trace.step(
            "foreign_person",
            "15 CFR 772.1 'foreign person'",
            N_("No US citizenship or US permanent residence is stated; treated as a foreign person."),
        )
    if location == "US":
        trace.step(
            "deemed_export",
            "15 CFR 734.13(a)(2), (b); 734.15(a)",
            N_("Release in the United States to a foreign person: a deemed export to the most recent country of"
               " citizenship or permanent residency ({names}). Both are evaluated; the stricter answer governs.")
            if len(destinations) > 1
            else N_("Release in the United States to a foreign person: a deemed export to the most recent country"
                    " of citizenship or permanent residency ({names})."),
            names=names,
        )
        return Transaction("deemed_export", destinations, "US")
    foreign_destinations = tuple(d for d in destinations if d != location)
    if not foreign_destinations:
        trace.step(
            "same_country_release",
            "15 CFR 734.14(a)(2)",
            N_(
                "Release in {location} to a person whose most recent citizenship/permanent residency"
                " is {location}: a deemed reexport needs a person 'of a country other than the"
                " foreign country where the release takes place'."
            ),
            location=location,
        )
        return UsOutcome.NOT_A_DEEMED_REEXPORT
    trace.details["deemed_destination"] = foreign_destinations[0]
    trace.step(
        "deemed_reexport",
        "15 CFR 734.14(a)(2), (b); 734.15(a)",
        N_(
            "Release in {location} to a foreign person of another country: a deemed reexport to the"
            " most recent country of citizenship or permanent residency ({foreign_destinations}),"
            " unless 734.20 applies."
        ),
        location=location,
        foreign_destinations=', '.join(foreign_destinations),
    )
    return Transaction("deemed_reexport", foreign_destinations, location)


__all__ = ["Transaction", "classify", "deemed_destinations", "is_foreign_person", "object_code_release"]
