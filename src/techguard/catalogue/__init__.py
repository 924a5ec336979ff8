"""The control catalogue: CCL and 輸出令/外為令/貨物等省令 at paragraph level, a crosswalk and a search.

Pure typed Python (no Django); the CLI (``techguard catalogue``, ``techguard classify``) and the web app are
thin adapters over it.
"""

from __future__ import annotations

from techguard.catalogue.model import Catalogue, CatalogueError, Entry, Link, Source
from techguard.catalogue.numbers import Parameter

__all__ = ["Catalogue", "CatalogueError", "Entry", "Link", "Parameter", "Source"]
