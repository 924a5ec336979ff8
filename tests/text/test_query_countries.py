"""A screening query's country as typed (China, 中国, cn) corroborates like its ISO code."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("typed", "agree"), [("CN", True), ("China", True), ("中国", True), ("cn", True),
                                              ("Russia", False), ("Korea", None), ("Atlantis", None)])
def test_a_screening_querys_country_as_typed(typed: str, agree: bool | None) -> None:
    from techguard.lists.model import Party, PartyKind
    from techguard.matching import Query, Screener

    party = Party(source="t", source_id="1", list="t", kind=PartyKind.ORGANISATION,
                  name="Harbin Engineering University", countries=("CN",))
    [match] = Screener.build([party]).screen(Query("Harbin Engineering University", country=typed), top=1)
    feature = match.explanation["features"]["country"]
    assert feature["agree"] is agree
    assert feature.get("unresolved", False) is (agree is None)
