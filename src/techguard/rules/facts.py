"""Facts read across both jurisdictions: contradictions (reported, never resolved silently) and matters shown
beside the answer (an MOF asset-freeze hit is a payments matter, not an export licence)."""

from __future__ import annotations

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

    def report(rule: str, en: str, ja: str) -> None:
        found.append(Step(rule, "techguard: facts checked against each other", en, ja))

    if activity.activity is ActivityKind.PUBLICATION and item.event_open_to_public is False:
        report(
            "publication_not_open",
            "The activity is called a publication, but event_open_to_public is false (a closed event, e.g. under"
            " confidentiality): it is treated as not public on both sides.",
            "活動の種類は公表ですが event_open_to_public が false（非公開・守秘義務のある場）のため、日米とも公知"
            "として扱いません。",
        )
    if activity.activity is ActivityKind.PUBLICATION and item.audience is Audience.SPECIFIC_RECIPIENTS:
        report(
            "publication_for_specific_recipients",
            "The activity is called a publication, but it is meant for specific recipients only (e.g. a short-lived"
            " upload for one person): it is treated as a provision to them, not as publication.",
            "活動の種類は公表ですが、特定の受領者のみを対象とする（例：1人のための短時間のアップロード）ため、"
            "公表ではなくその者への提供として扱います。",
        )
    if item.published and item.publication_planned in (PublicationPlan.SUBMITTED, PublicationPlan.INTENDED):
        report(
            "published_and_planned",
            "item.published is true, but publication_planned says it is only submitted/intended: which is it?",
            "item.published が true ですが、publication_planned は投稿中・予定となっています。どちらですか。",
        )
    if item.published and item.kept_restricted:
        report(
            "published_and_restricted",
            "item.published is true, but kept_restricted is also true: published information is not restricted.",
            "item.published と kept_restricted が両方 true です。公開済みの情報は制限されません。",
        )
    if item.fundamental_research and item.kept_restricted:
        report(
            "fundamental_research_and_restricted",
            "fundamental_research is true, but the results are kept restricted: results kept restricted are not"
            " fundamental research (15 CFR 734.8(a) Note 2); the restriction is followed.",
            "fundamental_research が true ですが成果は制限されています。制限された成果は基礎研究に当たらない"
            "（15 CFR 734.8(a) Note 2）ため、制限の事実に従います。",
        )
    recipient = activity.recipient
    if recipient is not None:
        us_citizen = "US" in recipient.citizenships
        if us_citizen and recipient.us_person_status in (UsPersonStatus.NONE, UsPersonStatus.TEMPORARY_VISA):
            report(
                "us_citizen_status",
                "The recipient is listed as a US citizen but us_person_status says otherwise.",
                "受領者は米国籍とされていますが、us_person_status は異なる内容です。",
            )
        if recipient.last_status_obtained is not None and not recipient.permanent_residence:
            report(
                "last_status_without_residence",
                "last_status_obtained is given but no permanent residence is stated.",
                "last_status_obtained が指定されていますが、永住権の国が記載されていません。",
            )
        if item.own_use_only and recipient.name:
            report(
                "own_use_with_recipient",
                "own_use_only is true, but a recipient is named: if the recipient is given access, it is a provision.",
                "own_use_only が true ですが受領者が記載されています。受領者がアクセスできるなら提供に当たります。",
            )
    location = recipient.location_country if recipient is not None else None
    if location and activity.to_country and location != activity.to_country:
        report(
            "place_and_destination_differ",
            f"The recipient is located in {location} but to_country is {activity.to_country}: where is the"
            " technology or item provided? Each engine reads the recipient's place for a release.",
            f"受領者の所在地は {location} ですが to_country は {activity.to_country} です。どこで提供されますか。",
        )
    if (
        activity.activity in (ActivityKind.EXPORT, ActivityKind.REEXPORT)
        and activity.from_country
        and activity.from_country == activity.to_country
    ):
        report(
            "same_origin_and_destination",
            f"from_country and to_country are both {activity.to_country}: an export leaves the country.",
            f"from_country と to_country がともに {activity.to_country} です。輸出は国外への移動です。",
        )
    return tuple(found)


def payments_matters(activity: Activity) -> tuple[Step, ...]:
    """MOF asset-freeze hits: payments to or capital transactions with the party need MOF permission
    (外為法16条・21条); shown beside the export answer, which they do not change."""
    out: list[Step] = []
    for hit in activity.screening:
        if hit.list.lower() not in MOF_LISTS or hit.status is HitStatus.RULED_OUT:
            continue
        state = "possible match" if hit.status is HitStatus.POSSIBLE else "match"
        out.append(
            Step(
                "mof_asset_freeze",
                "外為法16条1項・21条1項; 財務省 資産凍結等経済制裁対象者",
                f"{hit.party.value} {hit.name!r}: {state} on MOF's asset-freeze list — payments to it and capital"
                " transactions with it need MOF permission (a payments matter beside the export answer).",
                f"{hit.party.value} {hit.name!r} は財務省の資産凍結等対象者リストに"
                f"{'該当候補があります' if hit.status is HitStatus.POSSIBLE else '該当します'}。同者への支払・資本取引には"
                "財務大臣の許可が必要です（輸出の判定とは別の、支払等の問題です）。",
            )
        )
    return tuple(out)


__all__ = ["MOF_LISTS", "contradictions", "payments_matters"]
