"""Hand-made registry records for the resolver's rule tests (fictional institutions, so that no other record
of the shared registry interferes)."""

from __future__ import annotations

from techguard.research.registry import Institution, InstitutionName, NameKind, Relationship

ROR = "https://ror.org/"


def institution(
    ror: str,
    name: str,
    *,
    country: str,
    city: str,
    types: tuple[str, ...] = ("education",),
    names: tuple[tuple[str, str, str | None], ...] = (),
    parent: str | None = None,
    children: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    lang: str | None = None,
) -> Institution:
    relationships = tuple(
        [Relationship("parent", ROR + parent)] if parent else []
    ) + tuple(Relationship("child", ROR + c) for c in children) + tuple(
        Relationship("related", ROR + r) for r in related
    )
    return Institution(
        ror_id=ROR + ror,
        name=name,
        names=(InstitutionName(name, NameKind.DISPLAY.value, lang),
               *(InstitutionName(value, kind, value_lang) for value, kind, value_lang in names)),
        country=country,
        city=city,
        types=types,
        relationships=relationships,
    )
