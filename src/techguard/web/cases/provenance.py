"""What the automatic checks of a case ran on, captured when they run, so the memo can name it years later
(EAR 15 CFR 762: records kept five years; 輸出者等遵守基準: the basis of each determination kept).

``current_provenance()`` is stored in ``case.assessment["provenance"]`` by ``workflow.run_checks``: the time the
checks ran, the list snapshots in force for screening (source, publisher's date, snapshot id, SHA-256, import
time, entries) and the rule tables the engine reads (the date of the official text of each table, and where the
US tables came from). The rule *versions* applied are already in the assessment itself (``rules_applied``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def current_provenance() -> dict[str, Any]:
    """The list snapshots and rule tables in force now, as plain JSON-able data."""
    from techguard.rules.engine import tables_as_of
    from techguard.web.screening.services import list_versions

    return {
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "lists": [
            {key: entry.get(key) for key in ("source", "title_en", "title_ja", "as_of", "snapshot_id", "sha256",
                                              "retrieved_at", "entries")}
            for entry in list_versions()
        ],
        "rule_tables": dict(sorted(tables_as_of().items())),
        "us_tables_source": _us_tables_source(),
        "software_version": _software_version(),
    }


def _us_tables_source() -> str:
    """"package" when the packaged eCFR tables are read, else the updated copy's location."""
    from techguard.rules.us.tables import active_tables

    return str(active_tables().source)


def _software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("techguard")
    except PackageNotFoundError:
        return ""


__all__ = ["current_provenance"]
