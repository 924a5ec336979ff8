"""Japanese residency (居住者/非居住者) of a recipient, and the 特定類型 that make a resident count as non-resident.

Residency follows 外為法6条1項5号・6号 and the MOF interpretation 「外国為替法令の解釈及び運用について」
(蔵国第4672号): a foreign national is a non-resident unless working at an office in Japan or six months or more
since entry; foreign-government officials on duty and diplomats/consular staff are non-residents regardless.
A Japanese national is a resident unless living abroad. 特定類型 follow 役務通達 1(3)サ (applied 2022-05-01).
"""

from __future__ import annotations

import datetime as dt

from techguard.i18n import N_, Joined
from techguard.rules.activity import ActivityError, JpResidencyFacts, Recipient, RecipientKind
from techguard.rules.jp._trace import Trace
from techguard.rules.validity import value

RESIDENCY_CITATION = "外為法6条1項5号・6号; 外国為替法令の解釈及び運用について（蔵国第4672号）"
TOKUTEI_CITATION = "役務通達 1(3)サ"
TOKUTEI_INCOME_SHARE = 0.25  # 類型②: 所得の25%以上 (METI 特定類型該当性に関する誓約書 / Q&A)
TOKUTEI_START = dt.date(2022, 5, 1)
JP = "JP"


def _in_japan_until(facts: JpResidencyFacts | None, as_of: dt.date) -> dt.date:
    """The last day the person's time in Japan counts: the day the rules are applied, or the end of the stay
    when it ends earlier."""
    leaves = facts.leaves_japan if facts is not None else None
    return min(as_of, leaves) if leaves is not None else as_of


def _six_months_after(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def recipient_is_resident(recipient: Recipient, as_of: dt.date, trace: Trace) -> bool | None:
    """Whether the recipient is a resident of Japan, derived from the facts; ``None`` (with questions) if unknown."""
    why = f"residency decides whether providing technology is a 役務取引 (a provision of technology controlled by 外為法25条) ({RESIDENCY_CITATION})"
    if recipient.jp_resident is not None:
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_("Recipient stated to be a resident of Japan.")
            if recipient.jp_resident
            else N_("Recipient stated to be a non-resident of Japan."),
        )
        return recipient.jp_resident
    if recipient.kind is RecipientKind.ORGANISATION:
        if recipient.jp_residency is not None and recipient.jp_residency.foreign_government_official:
            trace.step(
                "jp_residency",
                RESIDENCY_CITATION,
                N_(
                    "A foreign government's office (embassy, consulate, mission) or an international"
                    " organisation in Japan is treated as a non-resident."
                ),
            )
            return False
        if recipient.location_country is None:
            trace.ask("recipient.location_country", why)
            return None
        inside = recipient.location_country == JP
        trace.step(
            "jp_residency",
            "外為法6条1項5号・6号",
            N_("An organisation's office in Japan is a resident.")
            if inside
            else N_("An organisation's office outside Japan is a non-resident."),
        )
        return inside
    facts = recipient.jp_residency
    official = facts.foreign_government_official if facts else None
    if official:
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_(
                "Foreign-government officials on duty and diplomats/consular staff are non-residents"
                " however long they stay in Japan."
            ),
        )
        return False
    citizenships = recipient.citizenships
    if JP in citizenships:
        abroad = [c for c in recipient.permanent_residence if c != JP]
        lives_abroad = facts.lives_abroad if facts else None
        if lives_abroad is not None:
            trace.step(
                "jp_residency",
                RESIDENCY_CITATION,
                N_("Japanese national living abroad (working at an office abroad or abroad 2 years or more): a"
                   " non-resident.")
                if lives_abroad
                else N_("Japanese national living in Japan: a resident."),
            )
            return not lives_abroad
        if abroad:
            trace.step(
                "jp_residency",
                RESIDENCY_CITATION,
                N_("Japanese national living abroad ({countries}): a non-resident."),
                countries=Joined(tuple(abroad)),
            )
            return False
        if recipient.location_country not in (None, JP):
            trace.ask("recipient.jp_residency.lives_abroad", why)
            return None
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_("Japanese national living in Japan: a resident."),
        )
        return True
    if JP in recipient.permanent_residence:
        # a permanent resident of Japan (永住者) lives here, long past six months since entry, and that status
        # excludes the diplomatic/official statuses — a resident whatever the nationality
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_(
                "Permanent resident of Japan: lives in Japan (far more than six months since entry):"
                " a resident."
            ),
        )
        return True
    if not citizenships and facts is None:
        trace.ask("recipient.citizenships", why)
        return None
    # a foreign national (or nationality not stated but the foreign-national facts were given)
    employed = facts.employed_at_office_in_japan if facts else None
    entered = facts.entered_japan if facts else None
    long_stay = None if entered is None else _in_japan_until(facts, as_of) >= _six_months_after(entered)
    if employed or long_stay:
        if official is None:
            trace.ask("recipient.jp_residency.foreign_government_official", why)
            return None
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_("Foreign national who works at an office in Japan: a resident.")
            if employed
            else N_("Foreign national who has been in Japan six months or more (since {entered}): a resident."),
            entered=entered,
        )
        return True
    if employed is False and long_stay is False:
        trace.step(
            "jp_residency",
            RESIDENCY_CITATION,
            N_(
                "Foreign national, not working at an office in Japan, in Japan less than six months"
                " (since {entered}): a non-resident."
            ),
            entered=entered,
        )
        return False
    if employed is None:
        trace.ask("recipient.jp_residency.employed_at_office_in_japan", why)
    if long_stay is None:
        trace.ask("recipient.jp_residency.entered_japan", why)
    return None


_INFLUENCE = "recipient.foreign_influence."


def resident_unless_official(recipient: Recipient, as_of: dt.date) -> bool:
    """A foreign national whose facts make them a resident, the foreign-official exception not yet answered.

    Either answer then leads to the same place when the person is in a 特定類型: an official is a non-resident,
    and a resident in a 特定類型 is treated as one — so the question need not be asked.
    """
    facts = recipient.jp_residency
    if recipient.jp_resident is not None or recipient.kind is RecipientKind.ORGANISATION or facts is None:
        return False
    if facts.foreign_government_official is not None or JP in recipient.citizenships:
        return False
    entered = facts.entered_japan
    return bool(facts.employed_at_office_in_japan) or (
        entered is not None and _in_japan_until(facts, as_of) >= _six_months_after(entered)
    )


def is_tokutei_ruikei(recipient: Recipient, as_of: dt.date, trace: Trace) -> bool | None:
    """Whether a resident recipient falls in 特定類型 ①②③ (then treated as a non-resident)."""
    if recipient.kind is RecipientKind.ORGANISATION:
        # 特定類型 describe a natural person under a foreign party's influence (employment, income, instructions);
        # a company or office in Japan is a resident by 外為法6条1項5号 and is not put in a 特定類型.
        trace.step(
            "jp_tokutei_ruikei",
            TOKUTEI_CITATION,
            N_(
                "The recipient is an organisation in Japan: 特定類型 concern natural persons, so it"
                " stays a resident."
            ),
        )
        return False
    local = Trace()
    result = _tokutei_ruikei(recipient, as_of, local)
    trace.merge(local, with_questions=result is None)
    return result


def _no_employer_in_japan(recipient: Recipient) -> bool:
    facts = recipient.jp_residency
    return facts is not None and facts.employed_at_office_in_japan is False


def _income_share(raw: float | None, trace: Trace) -> float | None:
    """The share of income as a fraction 0..1; a number above 1 (up to 100) was written as a percentage."""
    if raw is None or 0 <= raw <= 1:
        return raw
    if 1 < raw <= 100:
        trace.step(
            "jp_tokutei_ruikei_2",
            TOKUTEI_CITATION + "②",
            N_("Income share {raw:g} read as a percentage ({raw:g}%)."),
            raw=raw,
        )
        return raw / 100
    raise ActivityError(
        _INFLUENCE + "foreign_government_income_share",
        f"{raw!r} is not a share of income (a fraction 0–1 or a percentage 0–100)",
    )


def _tokutei_ruikei(recipient: Recipient, as_of: dt.date, trace: Trace) -> bool | None:
    if as_of < TOKUTEI_START:
        trace.step(
            "jp_tokutei_ruikei",
            TOKUTEI_CITATION,
            N_(
                "特定類型 apply from 2022-05-01; before that a resident was never treated as a"
                " non-resident."
            ),
        )
        return False
    why = f"特定類型 make a resident count as a non-resident ({TOKUTEI_CITATION})"
    fi = recipient.foreign_influence
    found: list[str] = []
    unknown = False
    contract = fi.employment_or_contract_with_foreign_government_or_entity if fi else None
    if contract is None:
        trace.ask(_INFLUENCE + "employment_or_contract_with_foreign_government_or_entity", why)
        unknown = True
    elif contract:
        prevail = fi.japanese_employer_instructions_prevail if fi else None
        group = fi.foreign_party_is_group_company if fi else None
        if prevail or group:
            trace.step(
                "jp_tokutei_ruikei_1",
                TOKUTEI_CITATION + "① ただし書",
                N_("Contract with a foreign party, but the exception applies: the foreign party is a group company"
                   " of the Japanese employer. Not 特定類型①.")
                if group
                else N_("Contract with a foreign party, but the exception applies: the Japanese employer's"
                        " instructions are agreed to prevail. Not 特定類型①."),
            )
        elif not (prevail or group) and _no_employer_in_japan(recipient):
            # both exceptions presuppose a Japanese employer whose instructions prevail / whose group company
            # the foreign party is; a person working at no office in Japan has none
            found.append("①")
            trace.step(
                "jp_tokutei_ruikei_1",
                TOKUTEI_CITATION + "①",
                N_(
                    "Employed by / under contract with a foreign government or foreign entity and"
                    " bound by its directions; not working at an office in Japan, so neither"
                    " exception (Japanese employer's instructions prevail, group company) can apply:"
                    " 特定類型①."
                ),
            )
        elif prevail is False and group is False:
            found.append("①")
            trace.step(
                "jp_tokutei_ruikei_1",
                TOKUTEI_CITATION + "①",
                N_(
                    "Employed by / under contract with a foreign government or foreign entity and"
                    " bound by its directions, with no exception: 特定類型①."
                ),
            )
        else:
            if prevail is None:
                trace.ask(_INFLUENCE + "japanese_employer_instructions_prevail", why)
            if group is None:
                trace.ask(_INFLUENCE + "foreign_party_is_group_company", why)
            unknown = True
    share = _income_share(fi.foreign_government_income_share if fi else None, trace)
    declared = fi.significant_foreign_government_benefit if fi else None
    if share is None and declared is not None:
        # the pledge's yes/no answer (誓約書 ②) stands in for the share when the share is not given
        if declared:
            found.append("②")
        trace.step(
            "jp_tokutei_ruikei_2",
            TOKUTEI_CITATION + "②",
            N_("Declared to receive significant money or benefit from a foreign government (25% or more of"
               " income): 特定類型②.")
            if declared
            else N_("Declared not to receive significant money or benefit from a foreign government: not"
                    " 特定類型②."),
        )
    elif share is None:
        trace.ask(_INFLUENCE + "foreign_government_income_share", why)
        unknown = True
    elif share >= value("jp.tokutei_ruikei", as_of, {"income_share": TOKUTEI_INCOME_SHARE}).get(
        "income_share", TOKUTEI_INCOME_SHARE
    ):
        found.append("②")
        trace.step(
            "jp_tokutei_ruikei_2",
            TOKUTEI_CITATION + "②",
            N_("{share:.0%} of income from a foreign government (25% or more): 特定類型②."),
            share=share,
        )
    instructed = fi.acting_under_foreign_government_instruction if fi else None
    if instructed is None:
        trace.ask(_INFLUENCE + "acting_under_foreign_government_instruction", why)
        unknown = True
    elif instructed:
        found.append("③")
        trace.step(
            "jp_tokutei_ruikei_3",
            TOKUTEI_CITATION + "③",
            N_("Acts in Japan under a foreign government's instructions or requests: 特定類型③."),
        )
    if found:
        return True
    if unknown:
        return None
    trace.step(
        "jp_tokutei_ruikei",
        TOKUTEI_CITATION,
        N_("The resident recipient is in none of 特定類型 ①②③."),
    )
    return False


__all__ = [
    "RESIDENCY_CITATION",
    "TOKUTEI_CITATION",
    "TOKUTEI_INCOME_SHARE",
    "is_tokutei_ruikei",
    "recipient_is_resident",
    "resident_unless_official",
]
