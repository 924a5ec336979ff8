"""Japan: 外為法 (FEFTA) licence determination — goods (48条) and technology (25条), with cited steps.

``assess_jp(activity, as_of)`` answers one of ``JpOutcome`` with every step cited (外為法, 輸出令, 外為令,
貿易外省令, 役務通達) and, when a deciding fact is missing, ``incomplete`` with that fact asked in Japanese and
English. Tables come from e-Gov's 輸出令 XML (see :mod:`techguard.rules.jp.update`).
"""

from __future__ import annotations

import datetime as dt

from techguard.i18n import N_
from techguard.rules.activity import Activity, ItemType
from techguard.rules.jp._trace import Trace
from techguard.rules.jp.decision import Decision
from techguard.rules.jp.goods import assess_goods
from techguard.rules.jp.goods import has_japan_link as _goods_japan_link
from techguard.rules.jp.tables import PACKAGE_DATA, TABLE_FILES, JpTables, load_tables, tables_directory
from techguard.rules.jp.technology import assess_technology
from techguard.rules.jp.technology import has_japan_link as _technology_japan_link
from techguard.rules.result import JpOutcome, JurisdictionResult
from techguard.rules.table_versions import choose, kept_versions


def jp_tables() -> JpTables:
    """The tables in use: those from ``techguard rules update --jp`` if present, else the packaged ones."""
    return load_tables(tables_directory())


def jp_tables_for(as_of: dt.date) -> JpTables:
    """The tables in force on ``as_of``: the active set, the versions kept by earlier updates and the packaged
    set, by the date of their 輸出令 text (see :mod:`techguard.rules.table_versions`)."""
    sets = [load_tables(PACKAGE_DATA), jp_tables()]
    directory = tables_directory()
    if directory != PACKAGE_DATA:
        sets.extend(load_tables(p) for p in kept_versions(directory, TABLE_FILES))
    return choose(as_of, [(t.dates["jp_export_order_appendix1"], t) for t in sets])


def jp_tables_as_of(as_of: dt.date | None = None) -> dict[str, str]:
    """Table name → date of the law text it came from (for ``rules status`` and ``Assessment.tables_as_of``)."""
    return dict((jp_tables_for(as_of) if as_of else jp_tables()).dates)


def assess_jp(activity: Activity, as_of: dt.date, *, tables: JpTables | None = None) -> JurisdictionResult:
    """Determine whether the activity needs a licence under Japan's 外為法 on date ``as_of``."""
    tables = tables or jp_tables_for(as_of)
    trace = Trace()
    item_type = activity.item.type
    if item_type is None:
        if not (_goods_japan_link(activity) or _technology_japan_link(activity)):
            trace.step(
                "jp_not_applicable",
                "外為法25条1項; 外為法48条1項",
                N_(
                    "Nothing links this activity to Japan (no Japanese provider, nothing exported or"
                    " provided from or in Japan)."
                ),
            )
            decision = Decision(JpOutcome.NOT_APPLICABLE)
        else:
            trace.ask("item.type", "goods (外為法48条) and technology (外為法25条) follow different rules")
            decision = Decision(JpOutcome.INCOMPLETE)
    elif item_type is ItemType.COMMODITY:
        decision = assess_goods(activity, as_of, tables, trace)
    else:
        decision = assess_technology(activity, as_of, tables, trace)
    table_date = tables.dates.get("jp_export_order_appendix1", "")
    details = dict(decision.details)
    details["tables_as_of"] = dict(tables.dates)
    if table_date and as_of.isoformat() < table_date:
        details["tables_note"] = (
            f"The 輸出令 tables hold the text in force from {table_date}; the activity date {as_of} is earlier."
        )
    if decision.outcome is JpOutcome.INCOMPLETE and not trace.missing:
        raise AssertionError("incomplete determination without a missing fact")  # a bug, never a silent guess
    return JurisdictionResult(
        outcome=decision.outcome.value,
        steps=tuple(trace.steps),
        licence_exceptions_to_review=tuple(decision.exceptions),
        missing_facts=tuple(trace.missing) if decision.outcome is JpOutcome.INCOMPLETE else (),
        details=details,
    )


__all__ = ["assess_jp", "jp_tables", "jp_tables_as_of", "jp_tables_for"]
