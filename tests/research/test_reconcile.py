from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from techguard.research.designations import DesignationBook, ListedEntry
from techguard.research.disclosures import Organisation, load_disclosure
from techguard.research.publications import (
    PublicationFormatError,
    fetch_observations,
    read_observations,
)
from techguard.research.reconcile import DeclaredAffiliation, ReviewState, Triage, reconcile, review
from techguard.research.resolver import Resolver

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"
ORCID = "0000-0002-1825-0097"


def test_readers_keep_the_evidence() -> None:
    openalex = read_observations(FIXTURES / "openalex-works.json", ORCID)
    assert [o.work_id for o in openalex] == ["https://openalex.org/W4000000001"] + \
        ["https://openalex.org/W4000000002"] * 2  # the co-author without ORCID is not this person
    assert openalex[0].asserted_ror_id == "https://ror.org/057zh3y96" and openalex[0].date == "2023-03-14"
    crossref = read_observations(FIXTURES / "crossref-works.json", ORCID)
    assert len(crossref) == 1 and crossref[0].date == "2022-11"
    assert crossref[0].asserted_ror_id == "https://ror.org/00wk2mp56"
    orcid = read_observations(FIXTURES / "orcid-employments.json", ORCID)
    assert orcid[0].raw == "Department of Mechanical Engineering, The University of Tokyo, Tokyo, JP"
    assert orcid[0].date == "2018-04" and orcid[0].end is None


def test_unknown_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": 1}))
    with pytest.raises(PublicationFormatError, match=r"x\.json"):
        read_observations(path, ORCID)


def _resolver_with_1286(sample_resolver: Resolver) -> Resolver:
    entry = ListedEntry(list="us_1286", name="Nanjing University of Aeronautics and Astronautics", edition="FY2024",
                        country="CN", start="2024-05-01")
    return sample_resolver.with_memberships(DesignationBook([entry], sample_resolver).memberships)


def test_reconcile_flags_undeclared_with_designations_as_of_publication(sample_resolver: Resolver) -> None:
    resolver = _resolver_with_1286(sample_resolver)
    disclosure = load_disclosure(FIXTURES / "disclosure.json")
    observed = [*read_observations(FIXTURES / "openalex-works.json", ORCID),
                *read_observations(FIXTURES / "crossref-works.json", ORCID)]
    flags = reconcile(disclosure, observed, "2025-01-01", resolver=resolver)
    by_raw = {f.raw: f for f in flags}
    # Declared employer: no flag. Beihang is declared only as a 2022 trip counterparty (covered by its dates).
    assert not any("University of Tokyo" in raw for raw in by_raw)
    assert not any("Beihang" in raw for raw in by_raw)
    nuaa = next(f for f in flags if f.ror_id == "https://ror.org/01scyh794")
    assert nuaa.kind == "undeclared_affiliation" and nuaa.triage is Triage.ESCALATE
    assert [m.edition for m in nuaa.designations] == ["FY2024"]  # in force on 2024-09-02
    assert nuaa.work_id == "https://openalex.org/W4000000002" and nuaa.state is ReviewState.UNREVIEWED
    unresolved = by_raw["Atlantis Institute of Nowhere"]
    assert unresolved.kind == "unresolved_affiliation" and unresolved.triage is Triage.NONE
    # Before the 1286 edition took effect, the same work would carry no designation.
    earlier = reconcile(disclosure, [o for o in observed if "Aeronautics" in o.raw], "2025-01-01",
                        resolver=sample_resolver)
    assert earlier[0].triage is Triage.NOTIFY and earlier[0].designations == ()
    # Works after as_of are not considered.
    assert reconcile(disclosure, observed, "2023-12-31", resolver=resolver) == []


def test_declared_parent_covers_its_unit_and_dates_matter(sample_resolver: Resolver) -> None:
    declared = [DeclaredAffiliation(Organisation("The University of Tokyo", "JP"), "2015-04", "2019-03")]
    observed = read_observations(FIXTURES / "openalex-works.json", ORCID)[:1]  # 2023: beyond end + grace
    assert [f.ror_id for f in reconcile(declared, observed, "2025-01-01", resolver=sample_resolver)] == \
        ["https://ror.org/057zh3y96"]
    declared = [DeclaredAffiliation(Organisation("The University of Tokyo", "JP"), "2015-04", "2022-06")]
    assert reconcile(declared, observed, "2025-01-01", resolver=sample_resolver) == []


def test_review_keeps_an_audit_trail(sample_resolver: Resolver) -> None:
    observed = read_observations(FIXTURES / "openalex-works.json", ORCID)
    flag = reconcile([], observed, "2025-01-01", resolver=sample_resolver)[0]
    confirmed = review(flag, ReviewState.DISMISSED, "officer-a", "visiting lecture, declared late", on="2025-02-01")
    assert confirmed.state is ReviewState.DISMISSED and flag.state is ReviewState.UNREVIEWED
    assert confirmed.as_dict()["history"] == [{"state": "dismissed", "reviewer": "officer-a", "on": "2025-02-01",
                                              "note": "visiting lecture, declared late"}]
    with pytest.raises(ValueError):
        review(flag, ReviewState.CONFIRMED, " ")


def test_fetch_uses_the_three_apis() -> None:
    payloads = {
        "api.openalex.org": FIXTURES / "openalex-works.json",
        "api.crossref.org": FIXTURES / "crossref-works.json",
        "pub.orcid.org": FIXTURES / "orcid-employments.json",
    }
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=payloads[request.url.host].read_bytes(),
                              headers={"content-type": "application/json"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        observed = fetch_observations(f"https://orcid.org/{ORCID}", client)
    assert {o.source for o in observed} == {"openalex", "crossref", "orcid"}
    assert any("author.orcid%3A0000-0002-1825-0097" in url or "author.orcid:0000-0002-1825-0097" in url
               for url in seen)
    assert any(url.endswith(f"/v3.0/{ORCID}/employments") for url in seen)


def test_every_institution_in_a_string_is_checked(sample_resolver: Resolver) -> None:
    from techguard.research.publications import ObservedAffiliation

    observation = ObservedAffiliation("openalex", "https://openalex.org/W1", "2024-01-01",
                                      "School of Physics, Beihang University; Harbin Institute of Technology, China")
    declared = [DeclaredAffiliation(Organisation("Harbin Institute of Technology", "CN"), "2020-01")]
    flags = reconcile(declared, [observation], "2025-01-01", resolver=sample_resolver)
    assert [f.ror_id for f in flags] == ["https://ror.org/00wk2mp56"]
    assert flags[0].explanation[0].startswith("also named in the same string")
