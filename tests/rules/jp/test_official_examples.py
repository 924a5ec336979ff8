"""Official worked examples (METI / CISTEC), paraphrased into the activity model, with the official answer.

Each case cites where the example comes from. The facts are those the example states — nothing the example
leaves out is filled in, so a case also checks that the engine does not ask what the answer does not turn on.
Sources (paraphrased, not quoted):
* METI「みなし輸出管理の明確化」Q&A and 特定類型 examples (役務通達 1(3)サ, 2021-11-18, applied 2022-05-01):
  https://www.meti.go.jp/policy/anpo/law_document/minashi/minashi.html
* METI 大学・研究機関向け e-learning answer pages: https://www.meti.go.jp/policy/anpo/daigaku/el/
* METI 安全保障貿易管理 Q&A (技術・公知・基礎科学): https://www.meti.go.jp/policy/anpo/qa.html
* METI キャッチオール規制 guidance: https://www.meti.go.jp/policy/anpo/law05.html
* 役務通達 (4貿局第492号) 1(3) and 貿易外省令9条2項9号イ〜ホ・10号
* CISTEC 輸出管理に関するFAQ: https://cistec.or.jp/export/faq/faq.html
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from techguard.rules.activity import activity_from_mapping
from techguard.rules.jp import assess_jp

AS_OF = dt.date(2026, 11, 1)
THREE_MONTHS_AGO = "2026-08-01"
EIGHT_MONTHS_AGO = "2026-03-01"
LAST_WEEK = "2026-10-25"

UNPUBLISHED_LISTED = {
    "type": "technology",
    "jp_list_item": "外為令別表 10の項",
    "published": False,
    "basic_science": False,
}
UNPUBLISHED_NON_LISTED = {
    "type": "technology",
    "jp_list_controlled": False,
    "published": False,
    "basic_science": False,
}
NO_INFLUENCE = {
    "employment_or_contract_with_foreign_government_or_entity": False,
    "foreign_government_income_share": 0.0,
    "acting_under_foreign_government_instruction": False,
}
UNIVERSITY = {"name": "国立大学法人 某大学", "country": "JP", "jp_resident": True}


def _release(item: dict[str, Any], recipient: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "activity": "release",
        "item": item,
        "from_country": "JP",
        "provider": UNIVERSITY,
        "recipient": recipient,
        **extra,
    }


# (case id, activity, expected outcome, citations that must appear among the steps)
EXAMPLES: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    # METI e-learning (留学生への技術提供): a foreign student enrolled at a Japanese university who arrived three
    # months ago and works nowhere in Japan is a non-resident; teaching them unpublished list technology in the
    # lab needs a licence (みなし輸出, 25条1項後段).
    (
        "student-3-months-non-resident",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["CN"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": THREE_MONTHS_AGO, "employed_at_office_in_japan": False},
            },
        ),
        "licence_required",
        ("外為法25条1項後段", "外為法6条1項5号・6号", "外為令別表 10の項"),
    ),
    # Same Q&A: after six months in Japan the student is a resident; with none of the 特定類型 the provision is a
    # provision between residents, not a 役務取引 (no licence is needed).
    (
        "student-8-months-resident",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["CN"],
                "location_country": "JP",
                # a student is not a foreign-government official; the engine asks this when residency turns on it
                "jp_residency": {"entered_japan": EIGHT_MONTHS_AGO, "foreign_government_official": False},
                "foreign_influence": NO_INFLUENCE,
            },
        ),
        "not_a_controlled_provision",
        ("外為法6条1項5号・6号", "役務通達 1(3)サ"),
    ),
    # 蔵国第4672号 as explained in the みなし輸出 Q&A: a foreign national employed at an office in Japan (a
    # postdoc hired by the university a month ago) is a resident from the start.
    (
        "foreign-postdoc-employed-resident",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["IN"],
                "location_country": "JP",
                "jp_residency": {
                    "entered_japan": LAST_WEEK,
                    "employed_at_office_in_japan": True,
                    "foreign_government_official": False,
                },
                "foreign_influence": NO_INFLUENCE,
            },
        ),
        "not_a_controlled_provision",
        ("外為法6条1項5号・6号",),
    ),
    # 特定類型① (みなし輸出 Q&A, 類型①の例): a resident researcher who also holds an appointment at a foreign
    # university (外国法人等) and works under its direction (cross-appointment) — list technology to them needs
    # a licence unless an exception applies.
    (
        "tokutei-1-cross-appointment",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["JP"],
                "location_country": "JP",
                "foreign_influence": {
                    "employment_or_contract_with_foreign_government_or_entity": True,
                    "japanese_employer_instructions_prevail": False,
                    "foreign_party_is_group_company": False,
                },
            },
        ),
        "licence_required",
        ("役務通達 1(3)サ①", "外為法25条1項後段"),
    ),
    # 特定類型① ただし書 (Q&A): the contract with the foreign university says the Japanese university's
    # instructions prevail; not 類型①, and with no ②③ no licence is needed.
    (
        "tokutei-1-japanese-employer-prevails",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["JP"],
                "location_country": "JP",
                "foreign_influence": {
                    "employment_or_contract_with_foreign_government_or_entity": True,
                    "japanese_employer_instructions_prevail": True,
                    "foreign_government_income_share": 0.0,
                    "acting_under_foreign_government_instruction": False,
                },
            },
        ),
        "not_a_controlled_provision",
        ("役務通達 1(3)サ① ただし書",),
    ),
    # 特定類型② (Q&A, 類型②の例): a resident graduate student whose study is paid by a foreign-government
    # scholarship (most of their income) — treated as a non-resident; other 類型 need not be asked.
    (
        "tokutei-2-foreign-government-scholarship",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["VN"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": "2025-04-01"},
                "foreign_influence": {"foreign_government_income_share": 0.8},
            },
        ),
        "licence_required",
        ("役務通達 1(3)サ②",),
    ),
    # 特定類型③ (Q&A, 類型③の例): a resident who acts in Japan under a foreign government's instructions.
    (
        "tokutei-3-foreign-government-instruction",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["JP"],
                "location_country": "JP",
                "foreign_influence": {"acting_under_foreign_government_instruction": True},
            },
        ),
        "licence_required",
        ("役務通達 1(3)サ③",),
    ),
    # 蔵国第4672号 / みなし輸出 Q&A: an embassy science attaché stays a non-resident however long they stay.
    (
        "embassy-attache-non-resident",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["FR"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": "2023-04-01", "foreign_government_official": True},
            },
        ),
        "licence_required",
        ("外為法25条1項後段",),
    ),
    # 貿易外省令9条2項9号ホ / e-learning (論文投稿): sending a manuscript to a journal for publication is a
    # provision made in order to make the technology public — exempt whatever the content.
    (
        "journal-submission-is-public",
        {
            "activity": "publication",
            "item": {
                "type": "technology",
                "jp_list_item": "外為令別表 10の項",
                "publication_planned": "submitted",
            },
            "from_country": "JP",
            "provider": UNIVERSITY,
            "to_country": "US",
        },
        "exempt_public",
        ("貿易外省令9条2項9号",),
    ),
    # e-learning / Q&A: a manuscript only submitted (under review) is not yet 公知; showing it to a visiting
    # non-resident researcher needs a licence if it is list technology.
    (
        "manuscript-under-review-to-visitor",
        _release(
            {
                "type": "technology",
                "jp_list_item": "外為令別表 10の項",
                "publication_planned": "submitted",
                "basic_science": False,
            },
            {
                "kind": "person",
                "citizenships": ["US"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": LAST_WEEK, "employed_at_office_in_japan": False},
            },
        ),
        "licence_required",
        ("貿易外省令9条2項9号", "外為法25条1項後段"),
    ),
    # 貿易外省令9条2項9号ハ・ホ / Q&A: a presentation at a conference anyone may attend (no confidentiality),
    # and the Q&A within it, is exempt even with non-residents in the audience.
    (
        "open-conference-presentation",
        _release(
            {"type": "technology", "jp_list_item": "外為令別表 10の項", "event_open_to_public": True},
            {
                "kind": "person",
                "citizenships": ["KR"],
                "location_country": "JP",
            },
        ),
        "exempt_public",
        ("貿易外省令9条2項9号",),
    ),
    # Q&A: a closed workshop whose participants are selected and bound to confidentiality is not 公知化; list
    # technology to a non-resident participant needs a licence.
    (
        "closed-workshop-not-public",
        _release(
            {
                "type": "technology",
                "jp_list_item": "外為令別表 10の項",
                "published": False,
                "event_open_to_public": False,
                "basic_science": False,
            },
            {
                "kind": "person",
                "citizenships": ["SG"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": LAST_WEEK, "employed_at_office_in_japan": False},
            },
        ),
        "licence_required",
        ("外為法25条1項後段",),
    ),
    # 貿易外省令9条2項10号 / e-learning (基礎科学): research on the origin of the universe explained to a
    # non-resident visitor — basic science, exempt, whatever the recipient.
    (
        "basic-science-cosmology",
        _release(
            {"type": "technology", "basic_science": True},
            {
                "kind": "person",
                "citizenships": ["CN"],
                "location_country": "JP",
            },
        ),
        "exempt_basic_science",
        ("貿易外省令9条2項10号",),
    ),
    # e-learning (共同研究): industry-academia joint research aimed at a product is not basic science; list
    # technology from it to a non-resident researcher of the partner needs a licence.
    (
        "product-joint-research-not-basic-science",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["DE"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": THREE_MONTHS_AGO, "employed_at_office_in_japan": False},
            },
        ),
        "licence_required",
        ("貿易外省令9条2項10号", "外為令別表 10の項"),
    ),
    # e-learning (研究室見学): showing unpublished list technology during a lab tour to a foreign visitor who
    # arrived last week is a provision of technology to a non-resident.
    (
        "lab-tour-non-resident-visitor",
        _release(
            UNPUBLISHED_LISTED,
            {
                "kind": "person",
                "citizenships": ["RU"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": LAST_WEEK, "employed_at_office_in_japan": False},
            },
        ),
        "licence_required",
        ("外為法25条1項後段",),
    ),
    # 貿易外省令9条2項9号ハ (工場の見学コース等): an open-house tour anyone may join, showing only what the tour
    # shows everyone, is 公知.
    (
        "open-house-tour-public",
        _release(
            {"type": "technology", "jp_list_item": "外為令別表 10の項", "event_open_to_public": True},
            {
                "kind": "person",
                "citizenships": ["RU"],
                "location_country": "JP",
            },
        ),
        "exempt_public",
        ("貿易外省令9条2項9号",),
    ),
    # 貿易外省令9条2項9号イ / Q&A: technology already published in a book or on the internet is 公知.
    (
        "published-textbook",
        _release(
            {"type": "technology", "jp_list_item": "外為令別表 10の項", "published": True},
            {
                "kind": "person",
                "citizenships": ["IR"],
                "location_country": "IR",
            },
        ),
        "exempt_public",
        ("貿易外省令9条2項9号",),
    ),
    # 外為法25条1項前段 / Q&A: e-mailing unpublished list technology to a collaborator at a foreign university.
    (
        "email-to-foreign-university",
        _release(
            UNPUBLISHED_LISTED,
            {"kind": "organisation", "name": "University abroad", "location_country": "CN"},
        ),
        "licence_required",
        ("外為法25条1項前段",),
    ),
    # 外為法6条1項5号 / Q&A: the Japanese subsidiary (or branch office in Japan) of a foreign company is a
    # resident; 特定類型 concern natural persons, so providing to the company in Japan is not a 役務取引.
    (
        "japanese-subsidiary-of-foreign-company",
        _release(
            UNPUBLISHED_LISTED,
            {"kind": "organisation", "name": "Foreign Co. Japan K.K.", "location_country": "JP"},
        ),
        "not_a_controlled_provision",
        ("外為法6条1項5号・6号",),
    ),
    # Q&A (非居住者による提供): a visiting professor (non-resident) lecturing in Japan is not providing
    # technology as a resident, and not abroad: not a 役務取引.
    (
        "non-resident-provider-in-japan",
        {
            "activity": "teaching",
            "item": UNPUBLISHED_LISTED,
            "from_country": "JP",
            "provider": {"jp_resident": False, "country": "US"},
            "recipient": {"kind": "person", "citizenships": ["JP"], "location_country": "JP"},
        },
        "not_a_controlled_provision",
        ("外為法25条1項",),
    ),
    # キャッチオール (METI guidance, 客観要件): non-listed technology to a non-resident from a non-Group-A country,
    # civil end use, no End User List hit, no インフォーム — no licence.
    (
        "catch-all-technology-civil",
        _release(
            UNPUBLISHED_NON_LISTED,
            {
                "kind": "person",
                "citizenships": ["MY"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": THREE_MONTHS_AGO, "employed_at_office_in_japan": False},
            },
            end_use=["civil"],
        ),
        "no_licence_required",
        ("貿易外省令9条2項7号",),
    ),
    # キャッチオール (用途要件): the non-resident says the technology is for a missile programme.
    (
        "catch-all-technology-missile-use",
        _release(
            UNPUBLISHED_NON_LISTED,
            {
                "kind": "person",
                "citizenships": ["MY"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": THREE_MONTHS_AGO, "employed_at_office_in_japan": False},
            },
            end_use=["missile"],
        ),
        "licence_required",
        ("貿易外省令9条2項7号イ",),
    ),
    # キャッチオール (インフォーム要件): METI informed the university that a licence is needed — even towards a
    # Group A country.
    (
        "catch-all-technology-inform-group-a",
        _release(
            UNPUBLISHED_NON_LISTED,
            {
                "kind": "person",
                "citizenships": ["US"],
                "location_country": "JP",
                "jp_residency": {"entered_japan": THREE_MONTHS_AGO, "employed_at_office_in_japan": False},
            },
            jp_inform_received=True,
        ),
        "licence_required",
        ("外為法25条1項",),
    ),
    # キャッチオール goods (METI guidance): general (16の項（2）) goods to a Group A country need no licence
    # without an インフォーム, whatever the end use.
    (
        "catch-all-goods-group-a",
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "16の項（2）"},
            "from_country": "JP",
            "to_country": "DE",
            "provider": UNIVERSITY,
        },
        "no_licence_required",
        ("輸出令4条2項3号",),
    ),
    # リスト規制 goods (METI): list goods need a licence to every destination, Group A included.
    (
        "list-goods-to-group-a",
        {
            "activity": "export",
            "item": {"type": "commodity", "jp_list_item": "2の項（1）"},
            "from_country": "JP",
            "to_country": "US",
            "provider": UNIVERSITY,
        },
        "licence_required",
        ("外為法48条1項",),
    ),
    # CISTEC FAQ 1-5 / METI Q&A (クラウド): storing technology on a server abroad that nobody else accesses is
    # not a provision of technology.
    (
        "cloud-storage-own-use",
        {
            "activity": "storage",
            "item": UNPUBLISHED_LISTED,
            "from_country": "JP",
            "provider": UNIVERSITY,
            "use_abroad_country": "SG",
        },
        "not_a_controlled_provision",
        ("外為法25条1項",),
    ),
]


@pytest.mark.parametrize(
    ("case_id", "facts", "expected", "citations"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_official_example(
    case_id: str, facts: dict[str, Any], expected: str, citations: tuple[str, ...]
) -> None:
    result = assess_jp(activity_from_mapping(facts, source=case_id), AS_OF)
    asked = [m.field for m in result.missing_facts]
    assert result.outcome == expected, (result.outcome, asked, [s.finding for s in result.steps])
    cited = " | ".join(step.citation for step in result.steps)
    for citation in citations:
        assert citation in cited, (citation, cited)
    assert all(step.citation for step in result.steps)  # every step names its provision


def _resident_colleague(share: float) -> dict[str, Any]:
    return _release(
        UNPUBLISHED_LISTED,
        {
            "kind": "person",
            "citizenships": ["JP"],
            "location_country": "JP",
            "foreign_influence": {
                "employment_or_contract_with_foreign_government_or_entity": False,
                "foreign_government_income_share": share,
                "acting_under_foreign_government_instruction": False,
            },
        },
    )


def test_income_share_written_as_a_percentage() -> None:
    # 特定類型② threshold is 25% of income: "10" means 10%, "30" means 30% (a researcher writes percentages)
    assert (
        assess_jp(activity_from_mapping(_resident_colleague(10)), AS_OF).outcome
        == "not_a_controlled_provision"
    )
    result = assess_jp(activity_from_mapping(_resident_colleague(30)), AS_OF)
    assert result.outcome == "licence_required"
    assert any("30%" in step.finding for step in result.steps)


def test_income_share_out_of_range_is_a_clear_error() -> None:
    from techguard.rules.activity import ActivityError

    with pytest.raises(ActivityError, match="foreign_government_income_share"):
        assess_jp(activity_from_mapping(_resident_colleague(250)), AS_OF)


def test_provider_based_in_japan_is_a_resident() -> None:
    # a university named with its country, without the jp_resident flag: a resident under 外為法6条1項5号
    facts = _release(
        UNPUBLISHED_LISTED,
        {
            "kind": "person",
            "citizenships": ["CN"],
            "location_country": "JP",
            "jp_residency": {"entered_japan": LAST_WEEK, "employed_at_office_in_japan": False},
        },
    )
    facts["provider"] = {"name": "某大学", "country": "JP"}
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "licence_required"
    assert any(step.rule == "jp_provider_residency" for step in result.steps)
    facts["provider"] = {"name": "Visiting professor", "country": "US"}
    assert [m.field for m in assess_jp(activity_from_mapping(facts), AS_OF).missing_facts] == [
        "provider.jp_resident"
    ]


def test_tokutei_1_without_a_japanese_employer_needs_no_exception_questions() -> None:
    # みなし輸出 Q&A 類型①: a resident under contract with a foreign government who works at no office in Japan
    # (e.g. a long-stay researcher paid and directed by a foreign state institute): the exceptions presuppose a
    # Japanese employer, so they are not asked.
    facts = _release(
        UNPUBLISHED_LISTED,
        {
            "kind": "person",
            "citizenships": ["CN"],
            "location_country": "JP",
            "jp_residency": {
                "entered_japan": "2025-01-10",
                "employed_at_office_in_japan": False,
                "foreign_government_official": False,
            },
            "foreign_influence": {"employment_or_contract_with_foreign_government_or_entity": True},
        },
    )
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "licence_required", [m.field for m in result.missing_facts]
    assert any(step.citation == "役務通達 1(3)サ①" for step in result.steps)
    # working at an office in Japan: whether the Japanese employer's instructions prevail decides it
    facts["recipient"]["jp_residency"]["employed_at_office_in_japan"] = True
    asked = {m.field for m in assess_jp(activity_from_mapping(facts), AS_OF).missing_facts}
    assert "recipient.foreign_influence.japanese_employer_instructions_prevail" in asked


def test_permanent_resident_of_japan_is_a_resident_without_entry_date() -> None:
    # 蔵国第4672号: a foreign national living in Japan for good (永住者) is a resident; no entry date is needed
    facts = _release(
        UNPUBLISHED_LISTED,
        {
            "kind": "person",
            "citizenships": ["CN"],
            "permanent_residence": ["JP"],
            "location_country": "JP",
            "foreign_influence": NO_INFLUENCE,
        },
    )
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "not_a_controlled_provision", [m.field for m in result.missing_facts]
    assert any("Permanent resident of Japan" in step.finding for step in result.steps)


def test_catch_all_technology_with_no_concern_needs_no_destination() -> None:
    # METI キャッチオール guidance: with no 用途/需要者 concern and no インフォーム the catch-all never requires a
    # licence, so neither the recipient's country nor 16の項（1）/（2） is asked (the recipient's nationality unknown)
    facts = _release(
        UNPUBLISHED_NON_LISTED, {"kind": "person", "location_country": "JP", "jp_resident": False}
    )
    facts["end_use"] = ["civil"]
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "no_licence_required", [m.field for m in result.missing_facts]
    # a WMD use makes the country decide it (Group A is outside the catch-all); the 16の項 row still does not
    facts["end_use"] = ["nuclear"]
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "incomplete"
    assert [m.field for m in result.missing_facts] == ["use_abroad_country"]


def test_embassy_in_japan_is_a_non_resident() -> None:
    # 蔵国第4672号: foreign governments' offices in Japan (embassies) are non-residents; the organisation is
    # marked with jp_residency.foreign_government_official
    facts = _release(
        UNPUBLISHED_LISTED,
        {
            "kind": "organisation",
            "name": "Embassy of X in Tokyo",
            "location_country": "JP",
            "jp_residency": {"foreign_government_official": True},
        },
    )
    result = assess_jp(activity_from_mapping(facts), AS_OF)
    assert result.outcome == "licence_required"
    assert any("embassy" in step.finding for step in result.steps)
