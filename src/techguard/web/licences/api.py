"""API: ``GET``/``POST /api/cases/{id}/licences`` and ``PATCH /api/licences/{id}``. The same service and the
same rules (``Licence.clean``) as the web form, so the same bad input gets the same messages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.api import ON_CASE, ErrorOut, Input, _case
from techguard.web.licences import services
from techguard.web.licences.models import Licence
from techguard.web.licences.schemas import LicenceOut
from techguard.web.licences.schemas import licence_out as _out

router = Router(tags=["licences"])

JurisdictionIn = Literal["jp", "us"]
KindIn = Literal["jp_service", "jp_export", "jp_bulk", "jp_approval", "us_licence", "us_exception"]
StatusIn = Literal["preparing", "applied", "granted", "denied", "expired", "returned"]


class LicenceIn(Input):
    jurisdiction: JurisdictionIn
    kind: KindIn
    exception_code: str = Field(default="", max_length=8)
    status: StatusIn = "preparing"
    number: str = Field(default="", max_length=100)
    conditions: str = Field(default="", max_length=5000)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    applied_on: dt.date | None = None
    granted_on: dt.date | None = None
    notes: str = Field(default="", max_length=5000)


class LicencePatch(Input):
    """Only the fields given change; the whole record is then checked again."""

    jurisdiction: JurisdictionIn | None = None
    kind: KindIn | None = None
    exception_code: str | None = Field(default=None, max_length=8)
    status: StatusIn | None = None
    number: str | None = Field(default=None, max_length=100)
    conditions: str | None = Field(default=None, max_length=5000)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    applied_on: dt.date | None = None
    granted_on: dt.date | None = None
    notes: str | None = Field(default=None, max_length=5000)


class LicenceErrorOut(Schema):
    """400: the licence breaks a rule; ``errors`` maps each field to the messages the web form shows."""

    detail: str
    errors: dict[str, list[str]]


def _refused(exc: ValidationError) -> Status[dict[str, object]]:
    errors = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    detail = "; ".join(f"{name}: {m}" for name, messages in errors.items() for m in messages)
    return Status(400, {"detail": detail, "errors": errors})


_TEXT = frozenset({"exception_code", "number", "conditions", "notes"})
_WRITE = {**ON_CASE, 400: LicenceErrorOut, 403: ErrorOut}


@router.get("/cases/{case_id}/licences", response={**ON_CASE, 200: list[LicenceOut]})
def list_licences(request: HttpRequest, case_id: int) -> Any:
    return [_out(licence) for licence in services.licences_for_case(_case(request, case_id))]


@router.post("/cases/{case_id}/licences", response={**_WRITE, 201: LicenceOut})
def add_licence(request: SignedInRequest, case_id: int, body: LicenceIn) -> Any:
    case = _case(request, case_id)
    try:
        licence = services.add_licence(case, request.user, body.dict())
    except services.LicencePermissionError as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _out(licence))


@router.patch("/licences/{licence_id}", response={**_WRITE, 200: LicenceOut})
def change_licence(request: SignedInRequest, licence_id: int, body: LicencePatch) -> Any:
    found = Licence.objects.filter(pk=licence_id).values_list("case_id", flat=True).first()
    if found is None:
        raise HttpError(404, "no such licence")
    _case(request, found)  # a case outside the caller's remit: 404, as for the case itself
    licence = Licence.objects.select_related("case").get(pk=licence_id)
    try:
        values = body.dict(exclude_unset=True)
        # an explicit null clears a text field (stored as ""), as an emptied form field does
        values = {k: ("" if v is None and k in _TEXT else v) for k, v in values.items()}
        services.change_licence(licence, request.user, values)
    except services.LicencePermissionError as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return _refused(exc)
    return _out(licence)


__all__ = ["router"]
