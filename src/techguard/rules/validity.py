"""Rule constants with validity periods: every value the engines read by date, each version cited.

A rule (a country set, a threshold, a measure's dates) is a tuple of :class:`RuleVersion` s, oldest first.
An update adds a version (closing the previous one with ``valid_to``); nothing is overwritten, so an answer
``as_of`` a past date reads the version then in force and names it. A date before a rule's first held version
is never answered silently: :func:`value` raises :class:`RuleNotInForce` and :func:`rules_in_force` warns.

``source`` names the text each version was read from and ``source_hash`` its SHA-256 prefix where a copy of
that text is held (the e-Gov XML of 輸出令 in ../shared/data/rules, the eCFR tables of the package).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from techguard.i18n import N_
from techguard.rules.result import Step

_D = dt.date
EGOV_EXPORT_ORDER = "e-Gov 324CO0000000378 (輸出令) as of 2026-02-14"
EGOV_EXPORT_ORDER_HASH = "507CO0000000376"  # e-Gov revision id of the XML read
ECFR = "eCFR Title 15 as of 2026-07-23"


@dataclass(frozen=True, slots=True)
class RuleVersion:
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None  # last day in force; None = still in force
    citation: str
    source: str
    source_hash: str = ""
    note: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "citation": self.citation,
            "source": self.source,
        }
        if self.source_hash:
            out["source_hash"] = self.source_hash
        if self.note:
            out["note"] = self.note
        return out


RULES: dict[str, tuple[RuleVersion, ...]] = {
    # --- United States -------------------------------------------------------------------------------------
    "us.military_end_use_countries": (
        RuleVersion(
            frozenset({"BY", "MM", "KH", "CN", "NI", "VE", "RU", "HK", "MO"}),
            _D(2026, 7, 23),
            None,
            "15 CFR 744.21(a)",
            ECFR,
            note="Set as read from the eCFR; earlier sets (China 2007, Russia/Venezuela 2014/2020, Burma, Cambodia,"
            " Belarus, Nicaragua added since) are not held.",
        ),
    ),
    "us.military_intelligence_countries": (
        RuleVersion(
            frozenset({"BY", "MM", "KH", "CN", "NI", "VE", "RU", "HK", "MO"}),
            _D(2026, 7, 23),
            None,
            "15 CFR 744.22(a)",
            ECFR,
            note="Set as read from the eCFR; earlier sets are not held.",
        ),
    ),
    "us.embargo_sections": (
        RuleVersion(
            {
                "CU": ("15 CFR 746.2", "Cuba"),
                "IR": ("15 CFR 746.7", "Iran"),
                "KP": ("15 CFR 742.19; 746.4", "North Korea"),
                "SY": ("15 CFR 746.9", "Syria"),
            },
            _D(2026, 7, 23),
            None,
            "15 CFR Part 746; Supp. No. 1 to Part 738",
            ECFR,
            note="As read from the eCFR (Syria under 746.9 with License Exception SPP); earlier text not held.",
        ),
    ),
    "us.russia_belarus_ear99_hs_supplements": (
        RuleVersion(
            {
                "lists": "Supp. Nos. 2, 4, 5 or 6 to Part 746",
                "citation": "15 CFR 746.5; 746.8(a); 746.10; Supp. Nos. 2, 4, 5, 6 to Part 746",
            },
            _D(2026, 7, 23),
            None,
            "15 CFR 746.5; 746.8(a); 746.10; Supp. Nos. 2, 4, 5, 6 to Part 746",
            ECFR,
            note="The HTS-6 codes themselves are not held: the activity states whether the item's code is listed"
            " (item.hs_listed_part_746).",
        ),
    ),
    "us.de_minimis_levels": (
        RuleVersion(
            {"embargoed": 10.0, "other": 25.0},
            _D(2026, 7, 23),
            None,
            "15 CFR 734.4(c), (d)",
            ECFR,
            note="Levels as read from the eCFR; earlier text not held.",
        ),
    ),
    "us.affiliates_rule": (
        RuleVersion(
            {"in_force": False},
            _D(1900, 1, 1),
            _D(2025, 9, 28),
            "15 CFR 744.11(a) (before the Affiliates rule)",
            ECFR,
            note="Before the Affiliates rule: only parties named on the Entity List.",
        ),
        RuleVersion(
            {"in_force": True},
            _D(2025, 9, 29),
            _D(2025, 11, 9),
            "15 CFR 744.11(a)(1) (Affiliates rule, effective 2025-09-29)",
            "Federal Register, Affiliates rule effective 2025-09-29 (see 90 FR 50857)",
        ),
        RuleVersion(
            {"in_force": False},
            _D(2025, 11, 10),
            _D(2026, 11, 9),
            "90 FR 50857 (stay of 744.11(a)(1))",
            "Federal Register 90 FR 50857 (2025-11-12)",
        ),
        RuleVersion(
            {"in_force": True},
            _D(2026, 11, 10),
            None,
            "15 CFR 744.11(a)(1); 90 FR 50857",
            "Federal Register 90 FR 50857 (stay ends 2026-11-09)",
        ),
    ),
    # --- Japan ---------------------------------------------------------------------------------------------
    "jp.tokutei_ruikei": (
        RuleVersion(
            {"in_force": False},
            _D(1900, 1, 1),
            _D(2022, 4, 30),
            "役務通達 1(3)サ (before 2022-05-01)",
            "役務通達",
        ),
        RuleVersion(
            {"in_force": True, "income_share": 0.25},
            _D(2022, 5, 1),
            None,
            "役務通達 1(3)サ; 特定類型該当性に関する誓約書（所得の25%以上）",
            "役務通達 (2021-11-18 amendment, applied 2022-05-01)",
        ),
    ),
    "jp.small_value_limits": (
        RuleVersion(
            {"general_yen": 1_000_000, "appendix_3_3_yen": 50_000},
            _D(2026, 2, 14),
            None,
            "輸出令4条1項5号",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
            note="Limits as in the held text; earlier revisions are not held.",
        ),
    ),
    "jp.north_korea_all_goods": (
        RuleVersion(
            {"measure": "北朝鮮 全貨物輸出禁止"},
            _D(2009, 6, 18),
            _D(2027, 4, 13),
            "外為法48条3項; 輸出令2条1項1号の2（附則3項による読替え：令和9年4月13日まで）",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
            note="In force since 2009-06-18, renewed for fixed periods; the current period ends 2027-04-13.",
        ),
    ),
    "jp.russia_tokutei_dantai": (
        RuleVersion(
            {"measure": "ロシア特定団体向け全貨物"},
            _D(2022, 3, 18),
            None,
            "外為法48条3項; 輸出令2条1項1号の7",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
        ),
    ),
    "jp.belarus_tokutei_dantai": (
        RuleVersion(
            {"measure": "ベラルーシ特定団体向け全貨物"},
            _D(2022, 3, 18),
            None,
            "外為法48条3項; 輸出令2条1項1号の6",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
            note="First day held as that of the Russia measures (2022-03-18); check METI's Belarus page.",
        ),
    ),
    "jp.third_country_tokutei_dantai": (
        RuleVersion(
            {"measure": "第三国特定団体向け別表第二の三貨物"},
            _D(2026, 2, 14),
            None,
            "外為法48条3項; 輸出令2条1項1号の8; 輸出令別表第二の三; 輸出令別表第二の四",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
            note="Date of the held text; the measure's first day is not held.",
        ),
    ),
    "jp.russia_belarus_items": (
        RuleVersion(
            # 別表第二の三 row -> first day of the approval requirement for Russia
            {"一": _D(2022, 3, 18)},
            _D(2022, 3, 18),
            None,
            "外為法48条3項; 輸出令2条1項1号の3（ベラルーシ）・1号の4（ロシア）; 輸出令別表第二の三",
            EGOV_EXPORT_ORDER,
            EGOV_EXPORT_ORDER_HASH,
            note="Row 一 (別表第一 1–15の項 goods) from 2022-03-18; other rows are in force per the held text,"
            " their first days are not held.",
        ),
    ),
}


class RuleNotInForce(LookupError):
    """No held version of a rule covers the date asked for."""


def version(name: str, as_of: dt.date) -> RuleVersion:
    for candidate in RULES[name]:
        if candidate.in_force(as_of):
            return candidate
    first = RULES[name][0].valid_from
    raise RuleNotInForce(
        f"rule {name!r}: no version held for {as_of.isoformat()} (held from {first.isoformat()});"
        " the answer cannot use the rule as then in force"
    )


def value(name: str, as_of: dt.date, default: Any = None) -> Any:
    """The value in force on ``as_of``; before the first held version, the first version's value is used by the
    callers that pass ``default=...`` only if they also warn (see :func:`rules_in_force`)."""
    try:
        return version(name, as_of).value
    except RuleNotInForce:
        if default is not None:
            return default
        return RULES[name][0].value


@dataclass(frozen=True, slots=True)
class VersionsApplied:
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: tuple[Step, ...] = ()


@lru_cache(maxsize=1024)  # bounded: a long-running web process sees many dates
def rules_in_force(as_of: dt.date) -> VersionsApplied:
    """Each rule's version applied on ``as_of`` (named in the answer), and a warning for each rule whose held
    versions start after ``as_of`` (the earliest held version is then read, and the answer says so)."""
    applied: dict[str, dict[str, Any]] = {}
    warnings: list[Step] = []
    for name, versions in RULES.items():
        try:
            chosen = version(name, as_of)
            applied[name] = chosen.to_json()
        except RuleNotInForce as exc:
            first = versions[0]
            applied[name] = {**first.to_json(), "not_in_force_on_as_of": True}
            warnings.append(
                Step.of(
                    "rule_version_not_held",
                    first.citation,
                    N_("{error}. The earliest held version (from {since}) was read instead: check the text in force"
                       " on that date before relying on this answer."),
                    error=str(exc),
                    since=first.valid_from.isoformat(),
                    name=name,
                    date=as_of.isoformat(),
                )
            )
    return VersionsApplied(applied, tuple(warnings))


__all__ = ["RULES", "RuleNotInForce", "RuleVersion", "VersionsApplied", "rules_in_force", "value", "version"]
