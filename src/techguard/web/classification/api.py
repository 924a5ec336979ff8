"""API: ``POST /api/classification/search`` and the item master ``/api/classification/items``."""

from __future__ import annotations

import re
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import Field

from techguard.web.accounts.roles import is_officer
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.api import COMMON, ErrorOut, Input  # NUL characters refused, as for every request body
from techguard.web.classification import services
from techguard.web.classification.models import ItemClassification

router = Router(tags=["classification"])


class SearchIn(Input):
    query: str = Field(min_length=1, max_length=2000)
    lang: Literal["ja", "en"] | None = None
    top: int = Field(default=5, ge=1, le=50)


class ConfirmIn(Input):
    item_name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2000)
    eccn: str = Field(default="", max_length=40)
    jp_item: str = Field(default="", max_length=60)
    jp_article: str = Field(default="", max_length=80)
    reasons: str = Field(min_length=1, max_length=4000)


def _public(exc: Exception) -> str:
    """An error as the API says it: never the server's file paths."""
    return re.sub(r"(?<![\w.])/[^\s:]+(: )?", "", str(exc)).strip()


@router.post("/search", response={**COMMON, 200: dict[str, Any], 503: ErrorOut})
def search(request: HttpRequest, body: SearchIn) -> Any:
    """Candidates (ECCN, 項番, 貨物等省令 article, score, text, parameter checks, why) for a description."""
    try:
        return services.search(body.query, lang=body.lang, top=body.top)
    except services.CatalogueMissing as exc:
        raise HttpError(503, _public(exc)) from None
    except services.CatalogueError as exc:
        raise HttpError(400, _public(exc)) from None


@router.get("/items", response={401: ErrorOut, 200: list[dict[str, Any]]})
def list_items(request: HttpRequest) -> list[dict[str, Any]]:
    rows = ItemClassification.objects.select_related("confirmed_by")[:500]
    return [{**row.as_dict(), "needs_review": services.needs_review(row)} for row in rows]


@router.get("/items/{item_id}", response={401: ErrorOut, 404: ErrorOut, 200: dict[str, Any]})
def get_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    row = ItemClassification.objects.select_related("confirmed_by").filter(pk=item_id).first()
    if row is None:
        raise HttpError(404, "not found")
    return {**row.as_dict(), "needs_review": services.needs_review(row)}


@router.post("/items", response={**COMMON, 201: dict[str, Any], 403: ErrorOut, 503: ErrorOut})
def confirm(request: SignedInRequest, body: ConfirmIn) -> Any:
    """Record an officer's classification (ECCN + 項番 with reasons) in the item master."""
    if not is_officer(request.user):
        raise HttpError(403, "only export-control officers confirm classifications")
    try:
        row = services.confirm(request.user, **body.dict())
    except services.CatalogueMissing as exc:
        raise HttpError(503, _public(exc)) from None
    except services.CatalogueError as exc:
        raise HttpError(400, _public(exc)) from None
    return Status(201, row.as_dict())
