"""The API's licence as read: shared by ``/api/cases/{id}/licences`` and the case itself (``CaseOut.licences``).
Kept apart from ``licences/api.py``, which imports the API module, so that module can import it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from techguard.web.licences.models import Licence


class LicenceOut(Schema):
    id: int
    case: int
    jurisdiction: str
    kind: str
    exception_code: str
    exception_citation: str
    status: str
    number: str
    conditions: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    applied_on: dt.date | None
    granted_on: dt.date | None
    notes: str
    updated: dt.datetime


def licence_out(licence: Licence) -> dict[str, Any]:
    return {"id": licence.pk, "case": licence.case_id, **{k: getattr(licence, k) for k in (
        "jurisdiction", "kind", "exception_code", "exception_citation", "status", "number", "conditions",
        "valid_from", "valid_until", "applied_on", "granted_on", "notes", "updated")}}


__all__ = ["LicenceOut", "licence_out"]
