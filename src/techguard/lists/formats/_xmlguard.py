"""XML list files are parsed without expanding entities (no XXE, no billion laughs). An entity reference
left unexpanded would silently drop its text *and the text after it* from a name (``ACME &co; Ltd`` reads
as ``ACME``), so a file that uses one is refused, naming the element, entity and line."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from techguard.lists.errors import ListFormatError

__all__ = ["refuse_entity_references"]


def _line(node: etree._Element) -> int | None:
    line: object = node.sourceline
    return line if isinstance(line, int) else None


def refuse_entity_references(path: Path, element: etree._Element) -> None:
    """Call at each element's "end" event of ``iterparse(resolve_entities=False)``."""
    for child in element:
        if isinstance(child, etree._Entity):
            raise ListFormatError(
                path,
                f"element <{etree.QName(element).localname}> uses the entity reference {child.text}, which "
                "techguard does not expand (it would lose text from names); refused / "
                "実体参照を含む XML は受け付けません",
                line=_line(child) or _line(element),
            )
