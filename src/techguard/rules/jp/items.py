"""Reading a 項番 of 輸出令別表第一 / 外為令別表 as people write it: ``7の項（1）``, ``7(1)``, ``外為令別表 10の項``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from techguard.rules.jp.egov import normalise_number

_PREFIXES = ("輸出貿易管理令", "外国為替令", "輸出令", "外為令", "別表第一", "別表", "の")
_NON_LISTED = {"非該当", "none", "not_listed", "non_listed", "16項該当", "ear99"}
_VALID_KOU = {str(n) for n in range(1, 17)} | {"3の2"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９（）", "0123456789()")
_LABEL = re.compile(r"^(\d+(?:の\d+)?)(?:の項|項)?(?:\((\d+(?:の\d+)?)\))?(\d+(?:の\d+)?)?$")


@dataclass(frozen=True, slots=True)
class ListItem:
    """A row reference: 項 (``kou``), 号 (``sub``, in brackets) and sub-item (``subitem``)."""

    kou: str
    sub: str = ""
    subitem: str = ""

    @property
    def label(self) -> str:
        out = f"{self.kou}の項"
        if self.sub:
            out += f"（{self.sub}）"
        return out + self.subitem

    @property
    def number(self) -> int:
        """The 項 as a number for range tests (3の2 counts as 3)."""
        return int(self.kou.split("の")[0])

    @property
    def is_catch_all(self) -> bool:
        return self.kou == "16"


def _kanji_to_digits(text: str) -> str:
    return re.sub(r"[一二三四五六七八九十〇]+", lambda m: normalise_number(m.group(0)), text)


def parse_list_item(raw: str) -> ListItem | None:
    """The row a user named, or ``None`` for "non-listed" (not in items 1–15). ``ValueError`` if unreadable."""
    text = raw.strip().translate(_FULLWIDTH).replace(" ", "").replace("\u3000", "")
    if text.lower() in _NON_LISTED:
        return None
    for prefix in _PREFIXES:
        if text.startswith(prefix) and not text[len(prefix) :].startswith("項"):
            text = text[len(prefix) :]
    text = _kanji_to_digits(text.replace("の項の中欄", "の項"))
    match = _LABEL.match(text)
    if not match or match.group(1) not in _VALID_KOU:
        raise ValueError(
            f"{raw!r} is not a 項番 of 輸出令別表第一 / 外為令別表 (write e.g. 7の項（1）, 7(1), 16(2), or 非該当)"
        )
    return ListItem(kou=match.group(1), sub=match.group(2) or "", subitem=match.group(3) or "")


__all__ = ["ListItem", "parse_list_item"]
