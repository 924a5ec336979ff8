"""Technology (and programs): 外為法25条1項 + 外為令17条・別表, exemptions of 貿易外省令9条2項, みなし輸出.

25条1項 前段: providing 特定技術 in a foreign country (or for use there), by a resident or a non-resident;
25条1項 後段: a resident providing it to a non-resident, wherever (みなし輸出 in Japan), and since 2022-05-01 to
a resident in 特定類型 (役務通達 1(3)サ). Exemptions: 公知の技術 (貿易外省令9条2項9号) and 基礎科学分野の研究活動
(同10号). Each part is decided three-valued (yes / no / unknown with questions) and combined so that a question
is asked only when the outcome turns on it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from techguard.i18n import N_
from techguard.rules.activity import (
    Activity,
    ActivityKind,
    Audience,
    ItemType,
    JpProvisionExemption,
    PublicationPlan,
    SoftwareForm,
)
from techguard.rules.jp._trace import Trace
from techguard.rules.jp.catchall import CONVENTIONAL_USES, Scope, catch_all_licence
from techguard.rules.jp.decision import Classification, Decision, classify
from techguard.rules.jp.residency import (
    RESIDENCY_CITATION,
    TOKUTEI_CITATION,
    is_tokutei_ruikei,
    recipient_is_resident,
    resident_unless_official,
)
from techguard.rules.jp.tables import JpTables
from techguard.rules.result import JpOutcome

JP = "JP"
PUBLIC_CITATION = "貿易外省令9条2項9号"
BASIC_SCIENCE_CITATION = "貿易外省令9条2項10号"


class Exemption(StrEnum):
    PUBLIC = "public"
    BASIC_SCIENCE = "basic_science"
    OTHER = "other"  # another exemption of 貿易外省令9条2項
    NONE = "none"


# 貿易外省令9条2項 exemptions beyond 公知 (9号) and 基礎科学 (10号), as the activity names them.
_OTHER_EXEMPTIONS: dict[JpProvisionExemption, tuple[str, str]] = {  # (citation, finding msgid)
    JpProvisionExemption.PATENT_APPLICATION: (
        "貿易外省令9条2項（工業所有権の出願・登録のための提供）",
        N_("Technology provided to file an application for (or register) an industrial property right abroad (a"
           " patent application): no licence needed for that provision."),
    ),
    JpProvisionExemption.COMMERCIAL_PROGRAM: (
        "貿易外省令9条2項（市販プログラム）",
        N_("A program sold over the counter or by mail/online to anyone without modification (市販プログラム): no"
           " licence needed."),
    ),
    JpProvisionExemption.MINIMUM_USE_TECHNOLOGY: (
        "貿易外省令9条2項（貨物の使用に必要な最小限の技術）",
        N_("The minimum technology needed to use (install, operate, maintain, repair) goods whose export was"
           " licensed or needs no licence: no licence needed for that provision."),
    ),
}


def _exemption(activity: Activity, trace: Trace) -> Exemption | None:
    item = activity.item
    other = _OTHER_EXEMPTIONS.get(item.jp_exemption) if item.jp_exemption else None
    if other is not None:
        trace.step("jp_other_exemption", *other)
        return Exemption.OTHER
    closed = item.event_open_to_public is False or item.audience is Audience.SPECIFIC_RECIPIENTS
    if activity.activity is ActivityKind.PUBLICATION and closed:
        # explicit facts beat the activity kind: a closed event or an upload for specific recipients is not 公知化
        trace.step(
            "jp_publication_not_public",
            PUBLIC_CITATION + "; 役務通達（公知の技術）",
            N_(
                "Called a publication, but it is not open to anyone (a closed event with"
                " confidentiality, or meant for specific recipients only, e.g. a one-hour upload for"
                " one person): not a provision to make the technology public, so the 公知 exemption"
                " does not apply."
            ),
        )
    elif activity.activity is ActivityKind.PUBLICATION:
        trace.step(
            "jp_public",
            PUBLIC_CITATION,
            N_("Providing technology in order to make it public (publication) is exempt as 公知の技術."),
        )
        return Exemption.PUBLIC
    if item.published:
        trace.step(
            "jp_public",
            PUBLIC_CITATION,
            N_(
                "The technology is already public (published, available to anyone): 公知の技術, no"
                " licence needed."
            ),
        )
        return Exemption.PUBLIC
    if item.in_patent_or_open_application:
        trace.step(
            "jp_public",
            PUBLIC_CITATION,
            N_(
                "The technology is in a published patent or open application: public, no licence"
                " needed."
            ),
        )
        return Exemption.PUBLIC
    if item.event_open_to_public:
        trace.step(
            "jp_public",
            PUBLIC_CITATION,
            N_(
                "Provided at an event open to the public (anyone may attend, no confidentiality):"
                " 公知化のための提供."
            ),
        )
        return Exemption.PUBLIC
    if item.basic_science:
        trace.step(
            "jp_basic_science",
            BASIC_SCIENCE_CITATION,
            N_(
                "Basic-science research (explaining natural phenomena, not aimed at a specific"
                " product): exempt."
            ),
        )
        return Exemption.BASIC_SCIENCE
    unknown = False
    manuscript = item.publication_planned in (PublicationPlan.SUBMITTED, PublicationPlan.INTENDED)
    if item.published is None and not manuscript:
        trace.ask("item.published", f"公知の技術 need no licence ({PUBLIC_CITATION})")
        unknown = True
    else:
        # a manuscript submitted or meant for publication is by that fact not published yet
        trace.step(
            "jp_public",
            PUBLIC_CITATION,
            N_("The technology is not public (not yet published).")
            if item.published is None
            else N_("The technology is not public."),
        )
        if item.publication_planned in (PublicationPlan.SUBMITTED, PublicationPlan.INTENDED):
            trace.step(
                "jp_public_manuscript",
                PUBLIC_CITATION + "; 役務通達（公知の技術）",
                N_(
                    "A manuscript submitted or intended for publication is not yet public: sharing"
                    " it with anyone now is not exempt. Only sending it to the journal or conference"
                    " for publication is (9号: provision to make it public — assess that as activity:"
                    " publication)."
                ),
            )
    if item.basic_science is None:
        trace.ask("item.basic_science", f"基礎科学分野の研究活動 need no licence ({BASIC_SCIENCE_CITATION})")
        unknown = True
    else:
        trace.step(
            "jp_basic_science",
            BASIC_SCIENCE_CITATION,
            N_(
                "Not basic-science research (e.g. product-directed research): the 基礎科学 exemption"
                " does not apply."
            ),
        )
    return None if unknown else Exemption.NONE


def _is_catch_all(activity: Activity) -> bool:
    classification, _ = classify(activity)
    return classification is Classification.CATCH_ALL


def _foreign(country: str | None) -> str | None:
    return country if country and country != JP else None


def _home_country(activity: Activity) -> str | None:
    """The foreign country a non-resident recipient belongs to (for the catch-all destination)."""
    recipient = activity.recipient
    if _foreign(activity.use_abroad_country):
        return activity.use_abroad_country
    if recipient is None:
        return None
    for country in (*recipient.permanent_residence, *recipient.citizenships):
        if _foreign(country):
            return country
    return None


def _own_use_carry(activity: Activity, trace: Trace, abroad: str | None) -> bool | None:
    """Technology taken abroad with no recipient named: a provision only if it is provided to someone there.

    METI 大学向けQ&A（令和3年2月）A1 and CISTEC FAQ: taking technology abroad (on a laptop or in a file) and
    providing it to no one is not a 役務取引 under 25条1項; the carriage of a medium *to be provided* abroad is
    25条3項. True: to be provided (continue as a provision abroad); False: not a provision; None: asked.
    """
    own_use = activity.item.own_use_only
    if own_use is None:
        trace.ask(
            "item.own_use_only",
            "外為法25条1項: taking technology abroad is a 役務取引 (a controlled provision of technology) only if it is provided to someone there",
        )
        return None
    if own_use:
        trace.step(
            "jp_own_use_carry",
            "外為法25条1項; 外為法25条3項",
            (N_("Technology taken abroad ({country}) only for the provider's own use and provided (shown, given, made"
                " accessible) to no one: not a provision of technology under 25条1項 (METI university Q&A, Feb"
                " 2021, A1). It becomes one if it is provided abroad; a medium carried out to be provided there is"
                " 25条3項. The laptop or medium itself is a separate 外為法48条 question only if it is a listed good"
                " (輸出令別表第一).")
             if abroad
             else N_("Technology taken abroad only for the provider's own use and provided (shown, given, made"
                     " accessible) to no one: not a provision of technology under 25条1項 (METI university Q&A,"
                     " Feb 2021, A1). It becomes one if it is provided abroad; a medium carried out to be provided"
                     " there is 25条3項. The laptop or medium itself is a separate 外為法48条 question only if it is"
                     " a listed good (輸出令別表第一).")),
            country=abroad,
        )
        return False
    return True


def _provision(
    activity: Activity, as_of: dt.date, trace: Trace, details: dict[str, object]
) -> tuple[bool | None, str | None, str]:
    """(is a controlled provision, foreign country concerned, 前段/後段) for 25条1項."""
    recipient = activity.recipient
    location = recipient.location_country if recipient else None
    abroad = _foreign(activity.use_abroad_country) or _foreign(location) or _foreign(activity.to_country)
    if activity.activity is ActivityKind.CARRY_ABROAD and recipient is None:
        own_use = _own_use_carry(activity, trace, abroad)
        if own_use is not True:
            return own_use, abroad, ""
    if activity.activity is ActivityKind.CARRY_ABROAD or (abroad and location != JP):
        trace.step(
            "jp_provision_abroad",
            "外為法25条1項前段"
            + (
                "; 外為法25条3項1号イ（特定記録媒体等の輸出）"
                if activity.activity is ActivityKind.CARRY_ABROAD
                else ""
            ),
            N_("Technology provided in (or taken to, or for use in) a foreign country ({country}): a 役務取引 (a"
               " controlled provision of technology) under 25条1項前段, whoever the recipient is.")
            if abroad
            else N_("Technology provided in (or taken to, or for use in) a foreign country: a 役務取引 (a controlled"
                    " provision of technology) under 25条1項前段, whoever the recipient is."),
            country=abroad,
        )
        return True, abroad, "25条1項前段"
    if abroad and location == JP:
        trace.step(
            "jp_provision_abroad",
            "外為法25条1項前段",
            N_(
                "Provided in Japan for use in {abroad}: treated as provision aimed at a foreign"
                " country."
            ),
            abroad=abroad,
        )
        return True, abroad, "25条1項前段"
    if location is None and activity.to_country is None:
        trace.ask(
            "recipient.location_country",
            "25条1項 distinguishes provision abroad (前段) from provision in Japan (後段)",
        )
        return None, None, ""
    provider_resident = activity.provider.jp_resident
    if provider_resident is None and (activity.provider.country or "").upper() == JP:
        # the provider is based in Japan (a Japanese university or company, or a person living here)
        trace.step(
            "jp_provider_residency",
            "外為法6条1項5号",
            N_(
                "The provider is based in Japan: a resident (set provider.jp_resident: false for a"
                " visitor from abroad)."
            ),
        )
        provider_resident = True
    elif (
        provider_resident is None
        and activity.provider.country not in (None, JP)
        and activity.from_country == activity.provider.country
    ):
        # a provider based abroad sending from there (a foreign university or company, a person living there) is
        # a non-resident; a provider named with a foreign country but acting in Japan is asked (visiting staff)
        trace.step(
            "jp_provider_residency",
            "外為法6条1項6号",
            N_(
                "The provider is based in {country}, outside Japan: a non-resident (set"
                " provider.jp_resident: true for a Japanese resident travelling or working there"
                " briefly)."
            ),
            country=activity.provider.country,
        )
        provider_resident = False
    if provider_resident is None:
        trace.ask(
            "provider.jp_resident", "25条1項後段 covers provision by a resident (居住者) to a non-resident"
        )
        return None, None, ""
    if not provider_resident:
        trace.step(
            "jp_provision_in_japan",
            "外為法25条1項",
            N_(
                "A non-resident providing technology to someone in Japan, not for use abroad: not a"
                " 役務取引 (a controlled provision of technology) under 25条1項."
            ),
        )
        return False, None, ""
    if recipient is None:
        trace.ask("recipient", "25条1項後段 turns on whether the recipient is a non-resident")
        return None, None, ""
    residency = Trace()
    resident = recipient_is_resident(recipient, as_of, residency)
    if resident is None and resident_unless_official(recipient, as_of):
        influence = Trace()
        if is_tokutei_ruikei(recipient, as_of, influence):
            # official → non-resident; not official → resident in a 特定類型 → treated as a non-resident
            trace.merge(influence, with_questions=False)
            trace.step(
                "jp_provision_to_non_resident",
                "外為法25条1項後段; " + TOKUTEI_CITATION + "; " + RESIDENCY_CITATION,
                N_(
                    "Whether or not the recipient is a foreign-government official (a non-resident),"
                    " they are in a 特定類型 if a resident: either way a provision to a non-resident"
                    " under 25条1項後段."
                ),
            )
            details["tokutei_ruikei"] = True
            return True, _home_country(activity), "25条1項後段（特定類型）"
    trace.merge(residency, with_questions=True)
    if resident is None:
        return None, None, ""
    details["recipient_jp_resident"] = resident
    if not resident:
        trace.step(
            "jp_provision_to_non_resident",
            "外為法25条1項後段",
            N_(
                "A resident provides technology to a non-resident (みなし輸出): a 役務取引 (a controlled"
                " provision of technology) under 25条1項後段."
            ),
        )
        return True, _home_country(activity), "25条1項後段"
    tokutei = is_tokutei_ruikei(recipient, as_of, trace)
    if tokutei is None:
        return None, None, ""
    details["tokutei_ruikei"] = tokutei
    if tokutei:
        trace.step(
            "jp_provision_to_non_resident",
            "外為法25条1項後段; " + TOKUTEI_CITATION,
            N_(
                "The resident recipient is in 特定類型: provision to them counts as provision to a"
                " non-resident."
            ),
        )
        return True, _home_country(activity), "25条1項後段（特定類型）"
    trace.step(
        "jp_provision_between_residents",
        "外為法25条1項",
        N_(
            "Provision between residents in Japan (no 特定類型): not a 役務取引 (a controlled provision of"
            " technology) under 25条1項."
        ),
    )
    return False, None, ""


def _licence(
    activity: Activity,
    destination: str | None,
    as_of: dt.date,
    tables: JpTables,
    trace: Trace,
    details: dict[str, object],
) -> bool | None:
    classification, item = classify(activity)
    if classification is Classification.UNKNOWN:
        trace.ask(
            "item.jp_list_item",
            "the 該非判定 decides list control (外為令別表 1–15の項) or catch-all (16の項)",
        )
        return None
    if classification is Classification.LISTED:
        label = item.label if item else "1〜15の項"
        details["jp_list_item"] = label
        trace.step(
            "jp_list_control",
            f"外為法25条1項; 外為令17条1項; 外為令別表 {label}",
            N_("Technology in 外為令別表 {label}: list control for every destination — licence required."),
            label=label,
        )
        return True
    if destination:
        details["catch_all_country"] = destination  # the 特定国 the catch-all is judged for
    if item is not None and item.sub in ("1", "2"):
        scope = Scope.TECHNOLOGY_16_1 if item.sub == "1" else Scope.TECHNOLOGY_16_2
        details["jp_list_item"] = f"16の項（{item.sub}）"
        trace.step(
            "jp_catch_all_item",
            f"外為令別表 16の項（{item.sub}）",
            N_("Technology not in items 1–15: catch-all technology 16の項（{sub}）."),
            sub=item.sub,
        )
        return catch_all_licence(scope, destination, activity, as_of, tables, trace)
    # 16(1) vs 16(2) matters only when the two give different answers (conventional 用途 to general destinations)
    details["jp_list_item"] = "16の項"
    first, second = Trace(), Trace()
    licence = catch_all_licence(Scope.TECHNOLOGY_16_1, destination, activity, as_of, tables, first)
    licence_16_2 = catch_all_licence(Scope.TECHNOLOGY_16_2, destination, activity, as_of, tables, second)
    trace.step(
        "jp_catch_all_item",
        "外為令別表 16の項",
        N_("Technology not in items 1–15: catch-all technology (16の項)."),
    )
    if licence is not None and licence == licence_16_2:
        trace.merge(first, with_questions=False)
        return licence
    if licence is None and licence_16_2 is None and not CONVENTIONAL_USES.intersection(activity.end_use):
        # the two differ only in the conventional-weapons 用途要件; without a military use the same facts decide
        # both, so ask those and not which 16の項 it is
        trace.merge(first, with_questions=True)
        return None
    first.steps.clear()
    first.merge(second, with_questions=True)
    trace.merge(first, with_questions=True)
    trace.ask(
        "item.jp_list_item",
        "technology for 16の項（1） goods (HS-designated machine tools, ICs, …) and other 16の項 technology differ in"
        " the conventional-weapons 用途要件 (外為令別表 16の項)",
        N_(
            "Is the technology for goods of 16の項（1） (machine tools, ICs, navigation and measuring equipment and"
            " other HS-designated goods) or other 16の項（2） technology?"
        ),
    )
    return None


def has_japan_link(activity: Activity) -> bool:
    recipient = activity.recipient
    places = (activity.from_country, activity.to_country, recipient.location_country if recipient else None)
    return bool(activity.provider.jp_resident) or JP in places or activity.provider.country == JP


def assess_technology(activity: Activity, as_of: dt.date, tables: JpTables, trace: Trace) -> Decision:
    if activity.item.type is ItemType.SOFTWARE:
        # Unlike the EAR (734.13(a)(2): object code is not 'released'), 外為法 draws no source/object line: a
        # プログラム in either form is 技術 whose provision is a 役務取引.
        form = activity.item.software_form
        object_code = form is SoftwareForm.OBJECT_CODE
        trace.step(
            "jp_program_is_technology",
            "外為法25条1項; 外為令17条1項; 外為令別表",
            N_("Programs (プログラム) are technology under 外為令別表; assessed as a provision of technology.")
            if not form
            else N_("Programs (プログラム) are technology under 外為令別表; assessed as a provision of technology."
                    " Object code is a program too: unlike under the EAR, its provision is not set apart.")
            if object_code
            else N_("Programs (プログラム) are technology under 外為令別表; assessed as a provision of technology."
                    " Source code is a program too: unlike under the EAR, its provision is not set apart."),
        )
    if not has_japan_link(activity):
        trace.step(
            "jp_not_applicable",
            "外為法25条1項",
            N_(
                "Nothing links this to Japan (provider not a Japanese resident, nothing provided in"
                " or from Japan): 外為法25条 does not apply. Set provider.jp_resident if the provider"
                " lives in Japan."
            ),
        )
        return Decision(JpOutcome.NOT_APPLICABLE)
    if activity.activity is ActivityKind.STORAGE and activity.recipient is None:
        trace.step(
            "jp_storage",
            "外為法25条1項",
            N_(
                "Storing technology (e.g. on a server) without making it available to anyone is not"
                " a provision."
            ),
        )
        return Decision(JpOutcome.NOT_A_CONTROLLED_PROVISION)
    exemption_trace, provision_trace, licence_trace = Trace(), Trace(), Trace()
    exemption = _exemption(activity, exemption_trace)
    if exemption in (Exemption.PUBLIC, Exemption.BASIC_SCIENCE, Exemption.OTHER):
        trace.merge(exemption_trace, with_questions=False)
        return Decision(
            {
                Exemption.PUBLIC: JpOutcome.EXEMPT_PUBLIC,
                Exemption.BASIC_SCIENCE: JpOutcome.EXEMPT_BASIC_SCIENCE,
            }.get(exemption, JpOutcome.NO_LICENCE_REQUIRED)
        )
    details: dict[str, object] = {}
    controlled, destination, provision = _provision(activity, as_of, provision_trace, details)
    if provision:
        details["provision"] = "外為法" + provision
    if controlled is False:
        trace.merge(provision_trace, with_questions=False)
        return Decision(JpOutcome.NOT_A_CONTROLLED_PROVISION, details=details)
    provisional = controlled is None and destination is None
    if provisional:
        # the provision is not settled yet; the catch-all is judged for the recipient's own country meanwhile
        destination = _home_country(activity)
    licence = _licence(activity, destination, as_of, tables, licence_trace, details)
    if (
        licence is False
        and provisional
        and activity.item.jp_list_item is not None
        and _is_catch_all(activity)
    ):
        # 'no licence' for the home country only: provided in (or for use in) another country, the catch-all is
        # judged for that country — the place stays a question
        licence = None
    if licence is False:
        trace.merge(provision_trace, with_questions=False)
        trace.merge(licence_trace, with_questions=False)
        return Decision(JpOutcome.NO_LICENCE_REQUIRED, details=details)
    trace.merge(provision_trace, with_questions=controlled is None)
    trace.merge(exemption_trace, with_questions=exemption is None)
    trace.merge(licence_trace, with_questions=licence is None)
    if controlled and licence and exemption is Exemption.NONE:
        return Decision(JpOutcome.LICENCE_REQUIRED, details=details)
    return Decision(JpOutcome.INCOMPLETE, details=details)


__all__ = ["assess_technology", "has_japan_link"]
