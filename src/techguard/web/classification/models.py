"""The item master: an officer's confirmed classification of an item (ECCN + 項番 with reasons), dated.

Each record keeps the catalogue it was made on (build time, source dates) and the content hashes of the
entries it cites; when a catalogue update changes one of those entries the record is flagged for review.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class ItemClassification(models.Model):
    item_name = models.CharField(max_length=300)
    description = models.TextField(max_length=2000)
    eccn = models.CharField(max_length=40)  # "3A001.a.7.a" or "EAR99"
    jp_item = models.CharField(max_length=60)  # "7の項（1）" or "非該当"
    jp_article = models.CharField(max_length=80, blank=True)  # "第6条第1号ト（一）"
    reasons = models.TextField(max_length=4000)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="item_classifications")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    catalogue_built_at = models.CharField(max_length=40)
    catalogue_sources = models.JSONField(default=list)  # [{"name", "as_of", "official"}]
    entry_hashes = models.JSONField(default=dict)  # catalogue entry id → content hash when confirmed
    candidates = models.JSONField(default=list)  # what the search proposed (for the record)

    class Meta:
        ordering = ("-confirmed_at",)

    def __str__(self) -> str:
        return f"{self.item_name}: {self.eccn} / {self.jp_item}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk, "item_name": self.item_name, "description": self.description, "eccn": self.eccn,
            "jp_item": self.jp_item, "jp_article": self.jp_article, "reasons": self.reasons,
            "confirmed_by": self.confirmed_by.get_username(), "confirmed_at": self.confirmed_at.isoformat(),
            "catalogue_built_at": self.catalogue_built_at, "catalogue_sources": self.catalogue_sources,
        }
