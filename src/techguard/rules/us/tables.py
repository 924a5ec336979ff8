"""Load the US rule tables once (cached) and answer the lookups the engine needs."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from techguard.rules.table_versions import choose, kept_versions

TABLE_FILES = ("country_chart.json", "country_groups.json", "ccl.json", "licence_exceptions.json")
_ECCN_RE = re.compile(r"^(\d[A-E]\d{3})(?:\.(.+))?$")


class TableError(ValueError):
    """A rule table is missing or malformed; names the file and the field."""


@dataclass(frozen=True, slots=True)
class ChartLookup:
    """The Country Chart row that governs a destination (possibly inherited from another row)."""

    destination: str
    row_iso: str | None  # None: no row and no known inheritance (indeterminate)
    marks: frozenset[str]
    pointer: str | None  # Part 746 pointer rows (Cuba, Iran, North Korea, Syria)
    pointer_sections: tuple[str, ...]
    footnotes: tuple[int, ...]
    inherited_basis: str | None
    citation: str


@dataclass(frozen=True, slots=True)
class UsTables:
    chart: dict[str, Any]
    groups: dict[str, Any]
    ccl: dict[str, Any]
    exceptions: dict[str, Any]
    source: str
    group_index: dict[str, frozenset[str]]

    @property
    def dates(self) -> dict[str, str]:
        return {
            "us_country_chart": str(self.chart["ecfr_date"]),
            "us_country_groups": str(self.groups["ecfr_date"]),
            "us_ccl": str(self.ccl["ecfr_date"]),
            "us_licence_exceptions": str(self.exceptions["ecfr_date"]),
        }

    def groups_of(self, iso: str) -> frozenset[str]:
        return self.group_index.get(_group_key(iso), frozenset())

    def in_group(self, iso: str, group: str) -> bool:
        return group in self.groups_of(iso)

    def chart_for(self, iso: str) -> ChartLookup:
        iso = iso.upper()
        rows: dict[str, Any] = self.chart["rows"]
        pointers: dict[str, Any] = self.chart["pointer_rows"]
        basis = None
        row_iso = iso
        territory = self.chart["territories"].get(iso)
        if iso not in rows and iso not in pointers and territory:
            row_iso, basis = territory["row"], territory["basis"]
        if row_iso in pointers:
            p = pointers[row_iso]
            return ChartLookup(
                iso,
                row_iso,
                frozenset(),
                p["pointer"],
                tuple(p["sections"]),
                tuple(p["footnotes"]),
                basis,
                p["citation"],
            )
        if row_iso in rows:
            r = rows[row_iso]
            return ChartLookup(
                iso, row_iso, frozenset(r["marks"]), None, (), tuple(r["footnotes"]), basis, r["citation"]
            )
        return ChartLookup(iso, None, frozenset(), None, (), (), None, "15 CFR 738.3(b)")

    def ccl_entry(self, eccn: str) -> dict[str, Any] | None:
        entries: dict[str, Any] = self.ccl["entries"]
        base, _ = split_eccn(eccn)
        entry = entries.get(base)
        return entry

    def exception(self, code: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.exceptions["exceptions"].get(code)
        return found


def split_eccn(eccn: str) -> tuple[str, str | None]:
    """'3A001.a.2' -> ('3A001', 'a.2'); 'EAR99' -> ('EAR99', None)."""
    text = eccn.strip().upper() if eccn.strip().upper() == "EAR99" else eccn.strip()
    m = _ECCN_RE.match(text[:5].upper() + text[5:]) if len(text) >= 5 else None
    if not m:
        return text, None
    return m.group(1), m.group(2)


def is_eccn_syntax(eccn: str) -> bool:
    text = eccn.strip()
    return bool(_ECCN_RE.match(text[:5].upper() + text[5:])) if len(text) >= 5 else False


def _group_key(iso: str) -> str:
    # The EAR folds Hong Kong into China for Country Groups too (85 FR 83788).
    iso = iso.upper()
    return "CN" if iso == "HK" else iso


def _index_groups(groups: dict[str, Any]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group, members in groups["groups"].items():
        for iso in members:
            out.setdefault(iso, set()).add(group)
    return {k: frozenset(v) for k, v in out.items()}


def _read(path: Path | None, name: str) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("techguard.rules.us").joinpath("data", name).read_text(encoding="utf-8")
        else:
            text = (path / name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TableError(f"{name}: US rule table not found ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    for key in ("table", "ecfr_date", "provenance"):
        if key not in data:
            raise TableError(f"{name}: missing field {key!r}")
    return dict(data)


@cache
def load_tables(directory: str | None = None) -> UsTables:
    """The committed tables (``directory=None``) or those a ``rules update --us`` wrote to ``directory``."""
    path = Path(directory) if directory else None
    chart, groups, ccl, exceptions = (_read(path, n) for n in TABLE_FILES)
    return UsTables(chart, groups, ccl, exceptions, directory or "package", _index_groups(groups))


def updated_tables_dir() -> Path:
    """Where ``techguard rules update --us`` writes tables (read in preference to the packaged ones)."""
    from techguard.config import data_dir

    return data_dir() / "rules" / "us"


def active_tables() -> UsTables:
    """Tables from the last ``rules update --us`` if complete, else the packaged tables.

    The choice is cached per data-directory setting (``--data-dir`` / ``TECHGUARD_DATA_DIR``) so an
    assessment does not touch the file system; :func:`forget_active_tables` drops it after an update.
    """
    from techguard import config

    return _active_for(repr(config._override), os.environ.get("TECHGUARD_DATA_DIR"))


@cache
def _active_for(override: str, env: str | None) -> UsTables:
    del override, env  # only the cache key
    directory = updated_tables_dir()
    if all((directory / name).is_file() for name in TABLE_FILES):
        return load_tables(str(directory))
    return load_tables()


def tables_for(as_of: dt.date) -> UsTables:
    """The tables in force on ``as_of``: the active set, the versions kept by earlier updates and the packaged
    set, by the eCFR date of their text (see :mod:`techguard.rules.table_versions`)."""
    from techguard import config

    candidates = _candidates_for(repr(config._override), os.environ.get("TECHGUARD_DATA_DIR"))
    return choose(as_of, candidates)


@cache
def _candidates_for(override: str, env: str | None) -> tuple[tuple[str, UsTables], ...]:
    del override, env  # only the cache key
    sets = [load_tables(), active_tables()]
    with contextlib.suppress(
        OSError
    ):  # no readable data directory: the packaged/active sets are all there is
        sets.extend(load_tables(str(p)) for p in kept_versions(updated_tables_dir(), TABLE_FILES))
    return tuple((str(t.chart["ecfr_date"]), t) for t in sets)


def forget_active_tables() -> None:
    _candidates_for.cache_clear()
    _active_for.cache_clear()
    load_tables.cache_clear()


__all__ = [
    "TABLE_FILES",
    "ChartLookup",
    "TableError",
    "UsTables",
    "active_tables",
    "forget_active_tables",
    "is_eccn_syntax",
    "load_tables",
    "split_eccn",
    "tables_for",
    "updated_tables_dir",
]
