"""The lab-vocabulary → legal-term data (``data/vocabulary.yaml``), plus terms from officers' confirmations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from techguard.catalogue.model import CatalogueError


@dataclass(frozen=True, slots=True)
class VocabularyRecord:
    terms: tuple[str, ...]  # lower-cased
    legal_ja: tuple[str, ...]
    legal_en: tuple[str, ...]
    see: tuple[str, ...] = ()  # index pointers: ECCNs ("2B352") and 項番 ("3の2の項（2）")


def parse_vocabulary(text: str, *, location: str) -> tuple[VocabularyRecord, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{location}: invalid YAML ({exc})") from None
    if not isinstance(data, list):
        raise CatalogueError(f"{location}: expected a list of records")
    out: list[VocabularyRecord] = []
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict) or not isinstance(record.get("terms"), list):
            raise CatalogueError(f"{location}: record {index}: field 'terms' missing or not a list")
        out.append(VocabularyRecord(
            terms=tuple(str(t).lower() for t in record["terms"]),
            legal_ja=tuple(str(t) for t in record.get("legal_ja") or []),
            legal_en=tuple(str(t) for t in record.get("legal_en") or []),
            see=tuple(str(t) for t in record.get("see") or []),
        ))
    return tuple(out)


@cache
def packaged_vocabulary() -> tuple[VocabularyRecord, ...]:
    path = resources.files("techguard.catalogue") / "data" / "vocabulary.yaml"
    return parse_vocabulary(path.read_text(encoding="utf-8"), location=str(path))


__all__ = ["VocabularyRecord", "packaged_vocabulary", "parse_vocabulary"]
