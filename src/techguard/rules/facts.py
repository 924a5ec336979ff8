"""Facts read across both jurisdictions: contradictions (reported, never resolved silently) and matters shown
beside the answer (an MOF asset-freeze hit is a payments matter, not an export licence)."""

from __future__ import annotations

from techguard.i18n import N_, gettext
from techguard.rules.activity import (
    Activity,
    ActivityKind,
    Audience,
    HitStatus,
    PublicationPlan,
    UsPersonStatus,
)
from techguard.rules.result import Step

MOF_LISTS = frozenset({"jp_mof_asset_freeze", "jp_mof", "mof_jp"})


def contradictions(activity: Activity) -> tuple[Step, ...]:
    """Facts that cannot all be true. The engines follow the explicit fact over the activity kind (a
    publication whose event is closed is not public); each contradiction is named so the officer can fix it."""
    item = activity.item
    found: list[Step] = []

    def report(rule: str, message: str, **values: object) -> None:
        # an English msgid; the Japanese of the JSON's finding_ja comes from the catalogue (techguard.po)
        found.append(Step(rule, "techguard: facts checked against each other", gettext(message, "en").format(**values),
                          gettext(message, "ja").format(**values)))

    if activity.activity is ActivityKind.PUBLICATION and item.event_open_to_public is False:
        report(
            "publication_not_open",
            N_(
                "The activity is called a publication, but event_open_to_public is false (a closed event, e.g. under"
                " confidentiality): it is treated as not public on both sides.",
            ),
        )
    if activity.activity is ActivityKind.PUBLICATION and item.audience is Audience.SPECIFIC_RECIPIENTS:
        report(
            "publication_for_specific_recipients",
            N_(
                "The activity is called a publication, but it is meant for specific recipients only (e.g. a short-lived"
                " upload for one person): it is treated as a provision to them, not as publication.",
            ),
        )
    if item.published and item.publication_planned in (PublicationPlan.SUBMITTED, PublicationPlan.INTENDED):
        report(
            "published_and_planned",
            N_(
                "item.published is true, but publication_planned says it is only submitted/intended: which is it?",
            ),
        )
    if item.published and item.kept_restricted:
        report(
            "published_and_restricted",
            N_(
                "item.published is true, but kept_restricted is also true: published information is not restricted.",
            ),
        )
    if item.fundamental_research and item.kept_restricted:
        report(
            "fundamental_research_and_restricted",
            N_(
                "fundamental_research is true, but the results are kept restricted: results kept restricted are not"
                " fundamental research (15 CFR 734.8(a) Note 2); the restriction is followed.",
            ),
        )
    recipient = activity.recipient
    if recipient is not None:
        us_citizen = "US" in recipient.citizenships
        if us_citizen and recipient.us_person_status in (UsPersonStatus.NONE, UsPersonStatus.TEMPORARY_VISA):
            report(
                "us_citizen_status",
                N_(
                    "The recipient is listed as a US citizen but us_person_status says otherwise.",
                ),
            )
        if recipient.last_status_obtained is not None and not recipient.permanent_residence:
            report(
                "last_status_without_residence",
                N_(
                    "last_status_obtained is given but no permanent residence is stated.",
                ),
            )
        if item.own_use_only and recipient.name:
            report(
                "own_use_with_recipient",
                N_(
                    "own_use_only is true, but a recipient is named: if the recipient is given access, it is a provision.",
                ),
            )
    location = recipient.location_country if recipient is not None else None
    if location and activity.to_country and location != activity.to_country:
        report(
            "place_and_destination_differ",
            N_(
                "The recipient is located in {location} but to_country is {to_country}: where is the"
                " technology or item provided? Each engine reads the recipient's place for a release.",
            ), location=location, to_country=activity.to_country,
        )
    if (
        activity.activity in (ActivityKind.EXPORT, ActivityKind.REEXPORT)
        and activity.from_country
        and activity.from_country == activity.to_country
    ):
        report(
            "same_origin_and_destination",
            N_(
                "from_country and to_country are both {country}: an export leaves the country.",
            ), country=activity.to_country,
        )
    return tuple(found)


def payments_matters(activity: Activity) -> tuple[Step, ...]:
    """MOF asset-freeze hits: payments to or capital transactions with the party need MOF permission
    (外為法16条・21条); shown beside the export answer, which they do not change."""
    out: list[Step] = []
    for hit in activity.screening:
        if hit.list.lower() not in MOF_LISTS or hit.status is HitStatus.RULED_OUT:
            continue
        message = (
            N_("{party} {name!r}: possible match on MOF's asset-freeze list — payments to it and capital transactions"
               " with it need MOF permission (a payments matter beside the export answer).")
            if hit.status is HitStatus.POSSIBLE
            else N_("{party} {name!r}: match on MOF's asset-freeze list — payments to it and capital transactions"
                    " with it need MOF permission (a payments matter beside the export answer).")
        )
        values = {"party": hit.party.value, "name": hit.name}
        out.append(
            Step(
                "mof_asset_freeze",
                "外為法16条1項・21条1項; 財務省 資産凍結等経済制裁対象者",
                gettext(message, "en").format(**values),
                gettext(message, "ja").format(**values),
            )
        )
    return tuple(out)


__all__ = ["MOF_LISTS", "contradictions", "payments_matters"]
