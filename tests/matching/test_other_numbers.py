"""Two names that write different numbers name different bodies (2.9): CETC's 14th and 54th research
institutes, two vessels GRACE 1 and GRACE 2. Such a match is shown below the line, never alerts, and says why."""

from __future__ import annotations

from matching_parties import org

from techguard.matching import Query, Screener


def _screener() -> Screener:
    return Screener.build([
        org("i14", "China Electronics Technology Group Corporation 14th Research Institute",
            "中国電子科技集団公司 第十四研究所"),
        org("i54", "China Electronics Technology Group Corporation 54th Research Institute",
            "中国電子科技集団公司第五十四研究所"),
        org("v1", "GRACE 1"),
    ])


def test_the_numbered_unit_meets_its_own_number() -> None:
    screener = _screener()
    for query in ("中国電子科技集団公司第十四研究所", "China Electronics Technology Group Corporation 14th Research Institute"):
        top = screener.screen(Query(query), top=2)
        assert top[0].party.source_id == "i14" and top[0].alert, query
        assert not any(m.alert for m in top if m.party.source_id == "i54"), query


def test_another_number_is_shown_never_alerted_and_explained() -> None:
    hits = {m.party.source_id: m for m in _screener().screen(Query("GRACE 2"), top=3)}
    assert "v1" in hits and not hits["v1"].alert
    assert hits["v1"].explanation["capped"] == "other number: 2 / 1"
