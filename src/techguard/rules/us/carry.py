"""Carrying technology or software abroad for one's own use (a laptop on a business trip, shown to no one).

Under the EAR the export happens when the information leaves the United States (15 CFR 734.13(a)(1)), whether
or not anyone abroad sees it, so "own use only" never turns an export into a non-export here; it only makes
the tools-of-trade and baggage exceptions (740.9(a)(1), 740.14) worth reviewing. Those are listed for review,
never granted. End-to-end encrypted carriage is the one non-export (734.18(a)(5), handled in transaction.py).
"""

from __future__ import annotations

from techguard.i18n import N_
from techguard.rules.activity import Activity, ActivityKind, ItemType
from techguard.rules.us.trace import Trace


def own_use_export(activity: Activity, trace: Trace) -> None:
    """Add the step explaining that carrying for own use is still an export (when the fact is given)."""
    if activity.activity is not ActivityKind.CARRY_ABROAD or activity.recipient is not None:
        return
    if activity.item.type not in (ItemType.TECHNOLOGY, ItemType.SOFTWARE):
        return
    if activity.item.own_use_only is True:
        trace.step(
            "own_use_carry_is_export",
            "15 CFR 734.13(a)(1); 740.9(a)(1); 740.14",
            N_(
                "Taken abroad only for the traveller's own use and shown to no one: it is still an"
                " export when it leaves the country (734.13(a)(1) — no release to anyone is needed)."
                " Licence exceptions TMP 'tools of trade' (740.9(a)(1)) and BAG (740.14) may cover"
                " it; they are listed for review, not granted. Only end-to-end encryption meeting"
                " 734.18(a)(5) makes it no export at all."
            ),
        )
    elif activity.item.own_use_only is False:
        trace.step(
            "carry_for_others",
            "15 CFR 734.13(a)(1); 734.14(a)(2); 734.15",
            N_(
                "Taken abroad and to be shown or given to others there: the carriage is an export,"
                " and each release abroad to a foreign person of another country is also a deemed"
                " reexport to assess separately."
            ),
        )


__all__ = ["own_use_export"]
