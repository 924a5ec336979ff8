"""Training records from an LMS export (CSV: UTF-8 with or without BOM, or CP932).

Columns (English or Japanese headers): email or username (who), course, completed_on, expires_on (optional;
when empty the policy's validity applies). Dates as 2026-04-01, 2026/4/1 or with a time after them. Every
line is checked first; with any error nothing is stored and each error names the file, line and column.
Importing the same export again updates the records instead of duplicating them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from techguard.web.accounts.csv_rows import CsvFileError, LineError, read_rows
from techguard.web.training.models import TrainingPolicy, TrainingRecord, add_months

ALIASES = {
    "e-mail": "email", "mail": "email", "email address": "email", "メールアドレス": "email", "メール": "email",
    "user": "username", "login": "username", "user name": "username", "ユーザー名": "username", "ユーザ名": "username",
    "アカウント": "username",
    "course name": "course", "course title": "course", "コース": "course", "コース名": "course", "研修": "course",
    "研修名": "course", "講座": "course", "講座名": "course",
    "completed": "completed_on", "completion date": "completed_on", "date completed": "completed_on",
    "completed at": "completed_on", "受講日": "completed_on", "修了日": "completed_on", "完了日": "completed_on",
    "expires": "expires_on", "expiry": "expires_on", "expiry date": "expires_on", "valid until": "expires_on",
    "有効期限": "expires_on", "期限": "expires_on",
}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")


def parse_date(text: str) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(_("not a date: %(value)r (use 2026-04-01)") % {"value": text})
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueError(_("not a date: %(value)r (use 2026-04-01)") % {"value": text}) from exc


@dataclass
class TrainingImport:
    filename: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # person, course, completed_on, expires_on, line
    errors: list[LineError] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def check(data: bytes, filename: str) -> TrainingImport:
    """Read and check every line; nothing is stored."""
    result = TrainingImport(filename)
    try:
        rows = read_rows(data, filename, required=("course", "completed_on"), aliases=ALIASES)
    except CsvFileError as exc:
        result.errors = exc.errors
        return result
    users = get_user_model().objects
    validity = TrainingPolicy.current().validity_months
    for line, row in rows:
        errors_before = len(result.errors)
        who = row.get("email") or row.get("username") or ""
        person = None
        if not who:
            result.errors.append(LineError(filename, line, "email", _("no e-mail address or user name")))
        else:
            found = list(users.filter(Q(email__iexact=who) | Q(username__iexact=who))[:2])
            if len(found) != 1:
                result.errors.append(LineError(filename, line, "email" if "@" in who else "username",
                                               (_("no user %(who)s") if not found else
                                                _("more than one user matches %(who)s")) % {"who": who}))
            else:
                person = found[0]
        course = row.get("course", "")
        if not course:
            result.errors.append(LineError(filename, line, "course", _("empty")))
        dates: dict[str, date | None] = {}
        for column in ("completed_on", "expires_on"):
            text = row.get(column, "")
            if not text:
                dates[column] = None
                if column == "completed_on":
                    result.errors.append(LineError(filename, line, column, _("empty")))
                continue
            try:
                dates[column] = parse_date(text)
            except ValueError as exc:
                result.errors.append(LineError(filename, line, column, str(exc)))
        completed, expires = dates.get("completed_on"), dates.get("expires_on")
        if completed and expires and expires < completed:
            result.errors.append(LineError(filename, line, "expires_on", _("before the completion date")))
        if len(result.errors) == errors_before and completed is not None:
            if expires is None and validity:
                expires = add_months(completed, validity)
            result.rows.append({"person": person, "course": course[:200], "completed_on": completed,
                                "expires_on": expires, "line": line})
    return result


def store(checked: TrainingImport, user: User) -> TrainingImport:
    """Store a checked import (all rows or none) and audit it."""
    from techguard.web.audit.chain import record

    if checked.errors:
        raise ValueError("an import with errors cannot be stored")
    with transaction.atomic():
        for row in checked.rows:
            _record, created = TrainingRecord.objects.update_or_create(
                person=row["person"], course=row["course"], completed_on=row["completed_on"],
                defaults={"expires_on": row["expires_on"], "recorded_by": user,
                          "source": f"{checked.filename}, line {row['line']}"[:300]})
            if created:
                checked.created += 1
            else:
                checked.updated += 1
        record("training.imported", user=user, changes={
            "file": checked.filename, "created": checked.created, "updated": checked.updated,
            "people": sorted({row["person"].get_username() for row in checked.rows}),
        })
    return checked


__all__ = ["ALIASES", "TrainingImport", "check", "parse_date", "store"]
