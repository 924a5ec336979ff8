"""Thin glue between the web app and :mod:`techguard.catalogue` (search, confirmation, review flags)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from techguard.catalogue.confirmations import classification_for, record_classification, stale
from techguard.catalogue.model import CatalogueError, CatalogueMissing
from techguard.catalogue.search import current_searcher
from techguard.catalogue.store import load
from techguard.web.audit.chain import record
from techguard.web.classification.models import ItemClassification

__all__ = ["CatalogueError", "CatalogueMissing", "confirm", "needs_review", "search"]


def search(query: str, *, lang: str | None, top: int) -> dict[str, Any]:
    """The search answer as a dict (raises CatalogueError for bad input or a missing catalogue)."""
    return current_searcher().search(query, top=top, lang=lang).to_dict()


def confirm(user: User, *, item_name: str, description: str, eccn: str, jp_item: str, jp_article: str,
            reasons: str, candidates: list[dict[str, Any]] | None = None) -> ItemClassification:
    """Record an officer's classification as an item-master row (and in the catalogue's confirmations)."""
    if any("\x00" in value for value in (item_name, description, eccn, jp_item, jp_article, reasons)):
        raise CatalogueError("text must not contain NUL (\\x00) characters")
    catalogue = load()
    eccn = eccn.strip() or "EAR99"
    jp_item = jp_item.strip() or "非該当"
    if not item_name.strip():
        raise CatalogueError("item name is required / 品名は必須です")
    classification = classification_for(catalogue, description or item_name, eccn, jp_item, reasons,
                                        user.get_username())
    with transaction.atomic():
        row = ItemClassification.objects.create(
            item_name=item_name.strip(), description=classification.description, eccn=eccn, jp_item=jp_item,
            jp_article=jp_article.strip(), reasons=classification.reasons, confirmed_by=user,
            catalogue_built_at=catalogue.built_at,
            catalogue_sources=[{"name": s.name, "as_of": s.as_of, "official": s.official} for s in catalogue.sources],
            entry_hashes=classification.entry_hashes, candidates=candidates or [],
        )
        record("classification.confirm", user=user, obj=row,
               changes={"eccn": eccn, "jp_item": jp_item, "jp_article": row.jp_article}, reason=row.reasons)
    record_classification(catalogue, classification)
    return row


def needs_review(row: ItemClassification) -> list[str]:
    """Entries cited by the record whose wording changed since it was confirmed ([] when none or no catalogue)."""
    try:
        catalogue = load()
    except CatalogueError:
        return []
    return stale(catalogue, {"entry_hashes": row.entry_hashes})
