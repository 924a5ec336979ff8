"""Recording licences on a case: the one path for the web form and the API — permission, validation (the
model's ``clean()``), saving and the audit event with the before/after values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from techguard.web.accounts.roles import can_review_case
from techguard.web.audit.chain import diff, record
from techguard.web.licences.models import Licence

if TYPE_CHECKING:
    from techguard.web.cases.models import Case

# what a caller may set; everything else (case, who, when, citation) is the service's
EDITABLE = ("jurisdiction", "kind", "exception_code", "status", "number", "conditions", "valid_from",
            "valid_until", "applied_on", "granted_on", "notes")


class LicencePermissionError(PermissionError):
    """The user may not record licences on this case (only officers who may review it)."""


def licences_for_case(case: Case) -> QuerySet[Licence]:
    return Licence.objects.filter(case=case).order_by("jurisdiction", "pk")


def _check(user: User, case: Case) -> None:
    if not can_review_case(user, case):
        raise LicencePermissionError("you may not record licences on this case")


def add_licence(case: Case, user: User, values: dict[str, Any]) -> Licence:
    """Validate and save a new licence (``django.core.exceptions.ValidationError`` names the fields)."""
    _check(user, case)
    licence = Licence(case=case, created_by=user, updated_by=user,
                      **{k: v for k, v in values.items() if k in EDITABLE})
    licence.full_clean(exclude=["case", "created_by", "updated_by"])
    with transaction.atomic():
        licence.save()
        record("licence.added", user=user, obj=case, changes=diff({}, licence.snapshot()))
    return licence


def change_licence(licence: Licence, user: User, values: dict[str, Any]) -> Licence:
    """Apply the given fields, validate the whole record and save it; an audit event when anything changed."""
    _check(user, licence.case)
    before = licence.snapshot()
    for key, value in values.items():
        if key in EDITABLE:
            setattr(licence, key, value)
    licence.full_clean(exclude=["case", "created_by", "updated_by"])
    changes = diff(before, licence.snapshot())
    if not changes:
        return licence
    licence.updated_by = user
    with transaction.atomic():
        licence.save()
        record("licence.changed", user=user, obj=licence.case, changes={"licence": licence.pk, **changes})
    return licence


__all__ = ["EDITABLE", "LicencePermissionError", "add_licence", "change_licence", "licences_for_case"]
