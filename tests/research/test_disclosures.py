from __future__ import annotations

import json
from pathlib import Path

import pytest

from techguard.research.disclosures import (
    ActivityKind,
    DisclosureError,
    ForeignActivity,
    MftrpAnswers,
    Organisation,
    TalentProgram,
    assess_mftrp,
    disclosure_from_json,
    disclosure_to_json,
    japan_notification_needed,
    load_disclosure,
    validate,
)
from techguard.research.normalise import fold

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"


def test_round_trip_and_validation() -> None:
    disclosure = load_disclosure(FIXTURES / "disclosure.json")
    assert disclosure.appointments[0].organisation.ror_id == "https://ror.org/057zh3y96"
    assert disclosure_from_json(disclosure_to_json(disclosure)) == disclosure
    issues = {(i.path, i.severity): i.message for i in validate(disclosure, as_of="2024-06-01")}
    # One "yes" (non-disclosure clause) + a sponsor in a country of concern -> malign under §10638(4).
    assert "malign" in issues[("talent_programs[0]", "error")]
    # 76 days in China: over a month, so Japan's notification case applies and none is recorded.
    assert ("foreign_activities[0]", "notify") in issues
    # Training signed 2023-01-10: older than a year on 2024-06-01.
    assert "security_training" in issues[("certifications", "error")]


def test_bad_documents_name_the_path(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "disclosure.json").read_text(encoding="utf-8"))
    data["support"][0]["status"] = "maybe"
    with pytest.raises(DisclosureError, match=r"\$\.support\[0\]\.status.*not one of"):
        disclosure_from_json(data, "d.json")
    data["support"][0]["status"] = "current"
    data["appointments"][0]["salary"] = 1
    with pytest.raises(DisclosureError, match="unknown field"):
        disclosure_from_json(data)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(DisclosureError, match=r"broken\.json"):
        load_disclosure(broken)


def test_mftrp_prongs_look_at_the_sponsor_not_the_person() -> None:
    answers = MftrpAnswers(recruit_trainees=True)
    domestic = TalentProgram("Programme", Organisation("Sponsor", "DE"), answers=answers)
    assert assess_mftrp(domestic).outcome == "not_malign"  # (A) without (B)
    listed = TalentProgram("Thousand Talents Plan", Organisation("Sponsor", "DE"), answers=answers)
    assert assess_mftrp(listed, frozenset({fold("Thousand Talents Plan")})).outcome == "malign"
    unanswered = TalentProgram("Programme", Organisation("Sponsor", "RU"))
    assert assess_mftrp(unanswered).outcome == "incomplete"
    excepted = TalentProgram("Conference", Organisation("Sponsor", "CN"),
                             answers=MftrpAnswers(recruit_trainees=True, exception="open conference"))
    assert assess_mftrp(excepted).outcome == "excepted"


@pytest.mark.parametrize(
    ("activity", "needed"),
    [
        (ForeignActivity(ActivityKind.TRAVEL, Organisation("U", "KR"), "2024-01-01", "2024-01-20"), False),
        (ForeignActivity(ActivityKind.TRAVEL, Organisation("U", "KR"), "2024-01-01", "2024-02-15"), True),
        (ForeignActivity(ActivityKind.TRAVEL, Organisation("U", "KR"), "2024-01-01", trips_per_year=6), True),
        (ForeignActivity(ActivityKind.TRAVEL, Organisation("U", "KR"), "2024-01-01", trips_per_year=5), False),
        (ForeignActivity(ActivityKind.REMUNERATION, Organisation("U", "KR"), "2024-01-01"), True),
    ],
)
def test_japan_notification_cases(activity: ForeignActivity, needed: bool) -> None:
    assert japan_notification_needed(activity) is needed
