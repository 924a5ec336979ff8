"""List formats: each module turns one official file layout into :class:`~techguard.lists.model.Party` rows.

A format is registered in :data:`FORMATS` by its code (what ``--format``/``--list-format`` take). Each
parser takes the files of one publication (OFAC's SDN comes as four CSVs; most lists are one file) and
returns a :class:`ParseResult`. Parsers never touch the snapshot store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from techguard.lists.model import Party


@dataclass(frozen=True, slots=True)
class ParseResult:
    parties: tuple[Party, ...]
    publisher_date: str | None = None  # ISO date the publisher gives for this edition, when it gives one
    warnings: tuple[str, ...] = ()  # things a careful officer should know (skipped blank rows, ...)
    counts: dict[str, int] = field(default_factory=dict)  # format-specific counts (rows, aliases, ...)


@dataclass(frozen=True, slots=True)
class ListFormat:
    code: str  # "ofac_sdn_csv", "csl_csv", ...
    description: str
    default_source: str  # snapshot source code this format loads into by default ("us_ofac_sdn", ...)
    parse: Callable[[Sequence[Path]], ParseResult]
    # file names the format expects when given a directory (e.g. sdn.csv, alt.csv, ...); first is required
    file_names: tuple[str, ...] = ()


FORMATS: dict[str, ListFormat] = {}


def register(fmt: ListFormat) -> ListFormat:
    if fmt.code in FORMATS:
        raise ValueError(f"list format {fmt.code!r} registered twice")
    FORMATS[fmt.code] = fmt
    return fmt


def get_format(code: str) -> ListFormat:
    _load_all()
    try:
        return FORMATS[code]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise KeyError(f"unknown list format {code!r}; known formats: {known}") from None


def all_formats() -> dict[str, ListFormat]:
    _load_all()
    return dict(FORMATS)


def _load_all() -> None:
    # Importing each module registers its formats; kept lazy so importing one parser stays cheap.
    from techguard.lists.formats import _registry  # noqa: F401


__all__ = ["FORMATS", "ListFormat", "ParseResult", "all_formats", "get_format", "register"]
