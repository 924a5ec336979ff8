"""The one path from a Match to hits: listings with their snapshot, CSL+SDN as one hit, readable text."""

from __future__ import annotations

from techguard.lists.model import Party, PartyKind
from techguard.matching import Query, Screener
from techguard.matching.hits import Hit, SnapshotRef, entry_fingerprint, hits_from_matches, list_title

SDN_OFAC = Party(source="us_ofac_sdn", source_id="9999", list="us_sdn", kind=PartyKind.ORGANISATION,
                 name="Zarya Precision Instruments Plant", countries=("RU",), programs=("RUSSIA-EO14024",))
SDN_IN_CSL = Party(source="us_csl", source_id="us_sdn:abc123", list="us_sdn", kind=PartyKind.ORGANISATION,
                   name="Zarya Precision Instruments Plant", countries=("RU",), programs=("RUSSIA-EO14024",),
                   extra={"entity_number": "9999"})
EL = Party(source="us_csl", source_id="us_entity_list:el7", list="us_entity_list", kind=PartyKind.ORGANISATION,
           name="Zarya Precision Instruments Plant", countries=("RU",),
           licence_requirement="For all items subject to the EAR.", licence_policy="Presumption of denial.",
           extra={"fdp_footnote": "3"})
OTHER = Party(source="us_csl", source_id="us_entity_list:el8", list="us_entity_list", kind=PartyKind.ORGANISATION,
              name="Harbin Engineering University", countries=("CN",))
SNAPSHOTS = {"us_csl": SnapshotRef("csl-1", "a" * 64, "2026-11-30"),
             "us_ofac_sdn": SnapshotRef("sdn-1", "b" * 64, "2026-12-01")}


def _hits(name: str, parties: list[Party], **query: str) -> list[Hit]:
    screener = Screener.build(parties)
    return hits_from_matches(screener.screen(Query(name, **query), top=5), snapshots=SNAPSHOTS,
                             threshold=screener.threshold)


def test_the_same_sdn_entry_from_csl_and_ofac_is_one_hit_with_both_listings_and_the_entity_list_related():
    hits = _hits("Zarya Precision Instruments Plant", [SDN_OFAC, SDN_IN_CSL, EL, OTHER])
    assert len(hits) == 1
    hit = hits[0]
    groups = [hit.listings, *(r.listings for r in hit.related)]
    assert len(groups) == 2  # the SDN designation (from two sources) and the Entity List entry
    sdn = next(g for g in groups if g[0].list == "us_sdn")
    assert {x.source for x in sdn} == {"us_csl", "us_ofac_sdn"}
    assert any(g[0].list == "us_entity_list" for g in groups)
    by_source = {x.source: x for x in sdn}
    assert by_source["us_ofac_sdn"].snapshot_id == "sdn-1" and by_source["us_csl"].snapshot_sha256 == "a" * 64
    rules = hit.rules_hits()
    assert sorted(r["list"] for r in rules) == ["us_entity_list", "us_sdn"]
    entity = next(r for r in rules if r["list"] == "us_entity_list")
    assert entity["fdp_footnote"] == 3 and entity["licence_policy"] == "Presumption of denial."


def test_two_sdn_entries_with_one_name_stay_two_hits():
    twin = Party(source="us_ofac_sdn", source_id="10000", list="us_sdn", kind=PartyKind.ORGANISATION,
                 name="Zarya Precision Instruments Plant", countries=("BY",))
    assert len(_hits("Zarya Precision Instruments Plant", [SDN_OFAC, twin])) == 2


def test_json_round_trip_keeps_everything_a_decision_needs():
    hit = _hits("Zarya Precision Instruments Plant", [SDN_OFAC, SDN_IN_CSL, EL])[0]
    again = Hit.from_json(hit.to_json())
    assert again.listings == hit.listings and again.related[0].listings == hit.related[0].listings
    assert again.decision_identity() == hit.decision_identity()
    assert hit.decision_identity().screened_name == "zarya precision instruments plant"
    assert hit.to_json()["party"]["list_title"]["ja"] == list_title(hit.listing.list, "ja") != hit.listing.list


def test_readable_explanation_in_both_languages_says_the_country_differs():
    hit = _hits("Zarya Precision Instruments Plant", [SDN_OFAC], country="CN")[0]
    assert "country: screened CN / listed RU → differs" in hit.explanation_en
    assert "国: 照会 CN / 掲載 RU → 不一致" in hit.explanation_ja
    assert "{" not in hit.explanation_en  # not a Python repr


def test_a_near_threshold_candidate_is_marked_below_threshold():
    screener = Screener.build([SDN_OFAC])
    matches = screener.screen(Query("Zarya Optical Instruments Plant"), top=5)
    assert matches and not matches[0].alert and 0.5 < matches[0].score < 0.6
    assert not hits_from_matches(matches, threshold=0.8)[0].below_threshold  # 0.53 is not near 0.80
    assert hits_from_matches(matches, threshold=0.8, review_margin=0.3)[0].below_threshold


def test_fingerprint_ignores_where_the_entry_was_stored_but_not_what_it_says():
    renamed = Party(source="elsewhere", source_id="9999", list="us_sdn", kind=PartyKind.ORGANISATION,
                    name="Zarya Precision Instruments Plant", countries=("RU",), programs=("RUSSIA-EO14024",))
    assert entry_fingerprint(renamed) == entry_fingerprint(SDN_OFAC)
    changed = Party(source="us_ofac_sdn", source_id="9999", list="us_sdn", kind=PartyKind.ORGANISATION,
                    name="Zarya Precision Instruments Plant", countries=("RU", "BY"), programs=("RUSSIA-EO14024",))
    assert entry_fingerprint(changed) != entry_fingerprint(SDN_OFAC)


def test_results_stored_before_hits_existed_still_read():
    old = {"score": 0.9, "alert": True, "matched_name": "X", "explanation": {"threshold": 0.8},
           "party": {"key": "us_csl:EL-1", "source": "us_csl", "list": "us_entity_list", "name": "X", "kind": "organisation",
                     "countries": ["CN"], "programs": [], "licence_requirement": None, "licence_policy": None}}
    hit = Hit.from_json(old)
    assert hit.listing.entry_id == "EL-1" and hit.listing.entry_hash == "" and hit.rules_hits()[0]["list"] == "us_entity_list"
