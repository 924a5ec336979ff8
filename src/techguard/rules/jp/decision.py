"""What a part of the determination decided, and the 該非判定 (classification) as the user gave it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from techguard.rules.activity import Activity, ActivityError
from techguard.rules.jp.items import ListItem, parse_list_item
from techguard.rules.result import JpOutcome, LicenceException


@dataclass(slots=True)
class Decision:
    outcome: JpOutcome
    exceptions: list[LicenceException] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


class Classification(StrEnum):
    LISTED = "listed"  # 1–15の項
    CATCH_ALL = "catch_all"  # 16の項 / non-listed
    UNKNOWN = "unknown"


def classify(activity: Activity) -> tuple[Classification, ListItem | None]:
    """The 該非判定 as given: listed (with its row when named), catch-all, or not known yet."""
    raw = activity.item.jp_list_item
    if raw is not None:
        try:
            item = parse_list_item(raw)
        except ValueError as exc:
            raise ActivityError("item.jp_list_item", str(exc)) from None
        if item is None or item.is_catch_all:
            return Classification.CATCH_ALL, item
        return Classification.LISTED, item
    if activity.item.jp_list_controlled is True:
        return Classification.LISTED, None
    if activity.item.jp_list_controlled is False:
        return Classification.CATCH_ALL, None
    return Classification.UNKNOWN, None


__all__ = ["Classification", "Decision", "classify"]
