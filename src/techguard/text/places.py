"""Foreign places as Japanese writes them in katakana, with their Latin and native names.

One table (``data/place_readings.tsv``) for every core that meets a katakana place: research reads an
institution's place back to the registry's names (ハルビン → Harbin), screening writes a Chinese or Korean
name's place in its own characters (ハルビン工業大学 → 哈尔滨工業大学). The places listed are those whose
Japanese form is not a plain reading of the Latin one, or whose native form is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TABLE = "data/place_readings.tsv"


@dataclass(frozen=True, slots=True)
class KatakanaPlace:
    """One row of the table, as written there (nothing folded)."""

    katakana: str
    latin: tuple[str, ...]  # spellings, the first the usual one
    native: tuple[str, ...] = ()  # Chinese characters or Hangul; empty for Cyrillic-script places
    country: str | None = None  # ISO 3166 alpha-2


@lru_cache(maxsize=1)
def katakana_places() -> dict[str, KatakanaPlace]:
    """Katakana → place. A malformed row raises ``ValueError`` naming the file and line."""
    text = resources.files("techguard.text").joinpath(TABLE).read_text("utf-8")
    places: dict[str, KatakanaPlace] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ValueError(f"text/{TABLE}, line {number}: expected katakana <TAB> Latin names [<TAB> native <TAB> country]")
        native = tuple(n for n in (cells[2] if len(cells) > 2 else "").split("|") if n)
        country = cells[3] if len(cells) > 3 and cells[3] else None
        places[cells[0]] = KatakanaPlace(cells[0], tuple(v for v in cells[1].split("|") if v), native, country)
    return places


__all__ = ["KatakanaPlace", "katakana_places"]
