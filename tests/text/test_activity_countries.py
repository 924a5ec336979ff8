"""Activity files, the /assess API and the interview take countries as written; the rules compare ISO codes."""

from __future__ import annotations

import pytest

from techguard.rules.activity import ActivityError, activity_from_mapping


def test_country_names_in_an_activity_become_codes() -> None:
    activity = activity_from_mapping({
        "activity": "export", "from_country": "日本", "to_country": "中華人民共和国",
        "recipient": {"citizenships": ["Russian Federation", "ir"], "location_country": "米国"},
        "end_user": {"country": "대한민국"},
    })
    assert (activity.from_country, activity.to_country) == ("JP", "CN")
    assert activity.recipient is not None
    assert activity.recipient.citizenships == ("RU", "IR") and activity.recipient.location_country == "US"
    assert activity.end_user is not None and activity.end_user.country == "KR"


def test_an_ambiguous_country_in_an_activity_names_the_field() -> None:
    with pytest.raises(ActivityError) as caught:
        activity_from_mapping({"activity": "export", "to_country": "Korea"}, source="case.yaml")
    message = str(caught.value)
    assert "case.yaml" in message and "'to_country'" in message and "KP" in message and "複数の国" in message


def test_an_unknown_country_name_in_a_list_names_the_item() -> None:
    with pytest.raises(ActivityError, match=r"recipient\.citizenships\[1\].*Atlantis"):
        activity_from_mapping({"activity": "release", "recipient": {"citizenships": ["CN", "Atlantis"]}})


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
