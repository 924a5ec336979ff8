from __future__ import annotations

from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.model import Party, PartyKind
from techguard.research.designations import (
    DesignationBook,
    ListedEntry,
    read_1260h_csv,
    read_1286_csv,
    read_aspi_misp,
    read_nro_html,
)
from techguard.research.resolver import Resolver

NRO_PAGE = "research/ca_nro/named_research_organizations.science.gc.ca.2024-04-18.html"
SECTION_1286 = "research/us_dod_1286/section_1286.csv"


def _with_book(resolver: Resolver, entries: list[ListedEntry]) -> tuple[Resolver, DesignationBook]:
    book = DesignationBook(entries, resolver)
    return resolver.with_memberships(book.memberships), book


def test_simple_1286_format_links_by_ror_id_and_by_name(tmp_path: Path, sample_resolver: Resolver) -> None:
    path = tmp_path / "fy.csv"
    path.write_text(
        "fiscal_year,name,aliases,country,table,ror_id,published,source_url\n"
        "2023,Beihang University,BUAA,China,1,https://ror.org/00wk2mp56,2023-06-29,\n"
        "2023,Nanjing University of Aeronautics and Astronautics,NUAA,China,1,,2023-06-29,\n"
        "2024,Nanjing University of Aeronautics and Astronautics,NUAA,China,1,,2024-05-01,\n"
        "2024,Thousand Talents Plan,,China,2,,2024-05-01,\n",
        encoding="utf-8",
    )
    entries = read_1286_csv(path)
    assert [e.edition for e in entries] == ["FY2023", "FY2023", "FY2024", "FY2024"]
    assert entries[0].end == "2024-05-01" and entries[2].end is None  # an edition lasts until the next one
    assert entries[3].category == "talent_program"
    resolver, book = _with_book(sample_resolver, entries)
    assert [e.name for e in book.unlinked] == ["Thousand Talents Plan"]
    buaa = resolver.resolve("北航", as_of="2023-07-01")
    assert [(m.list, m.edition, m.via) for m in buaa.designations] == [("us_1286", "FY2023", "ror_id")]
    assert resolver.resolve("北航", as_of="2024-07-01").designations == ()  # dropped from FY2024
    assert resolver.resolve("北航", as_of="2023-01-01").designations == ()  # not yet listed
    nuaa = resolver.resolve("College of Automation, Nanjing University of Aeronautics and Astronautics, China",
                            as_of="2024-07-01")
    assert [m.edition for m in nuaa.designations] == ["FY2024"]
    # The near-miss name: Nanjing University is not designated.
    assert resolver.resolve("Nanjing University, China", as_of="2024-07-01").designations == ()


def test_bad_1286_row_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("fiscal_year,name\n2023,A\nnext year,B\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"line 3.*fiscal_year"):
        read_1286_csv(path)


def test_membership_through_ror_parent(sample_resolver: Resolver) -> None:
    entry = ListedEntry(list="ca_nro", name="The University of Tokyo", edition="2030-01-01", start="2030-01-01")
    resolver, _ = _with_book(sample_resolver, [entry])
    unit = resolver.resolve("Institute for Cosmic Ray Research", as_of="2030-02-01")
    assert unit.ror_id == "https://ror.org/008td3p62"
    assert [m.via for m in unit.designations] == ["name 'The University of Tokyo'; parent https://ror.org/057zh3y96"]


def test_listed_unit_named_beside_its_parent_keeps_its_listing(sample_resolver: Resolver) -> None:
    # The answer is the university (the institution after its unit); the unit's own listing is still shown.
    entry = ListedEntry(list="us_entity_list", name="Institute for Cosmic Ray Research", edition="2030-01-01",
                        start="2030-01-01", country="JP")
    resolver, _ = _with_book(sample_resolver, [entry])
    result = resolver.resolve("Institute for Cosmic Ray Research, The University of Tokyo, Kashiwa, Japan",
                              as_of="2030-02-01")
    assert result.ror_id == "https://ror.org/057zh3y96"
    assert [m.list for m in result.designations] == ["us_entity_list"]
    assert "unit named in the text: " in result.designations[0].via
    # A unit's listing does not flow to its parent when the unit is not named.
    assert resolver.resolve("The University of Tokyo", as_of="2030-02-01").designations == ()


def test_entity_list_parties_are_dated_designations(sample_resolver: Resolver) -> None:
    party = Party(source="us_csl", source_id="el-1", list="us_entity_list", kind=PartyKind.ORGANISATION,
                  name="Harbin Institute of Technology", countries=("CN",), listed_on="2020-06-05")
    ignored = Party(source="us_ofac_sdn", source_id="1", list="us_sdn", kind=PartyKind.ORGANISATION,
                    name="Nanjing University")
    book = DesignationBook.from_data_dir(Path("/nonexistent"), sample_resolver, [party, ignored])
    resolver = sample_resolver.with_memberships(book.memberships)
    text = "Harbin Institute of Technology, Harbin, China"
    assert [m.list for m in resolver.resolve(text, as_of="2021-01-01").designations] == ["us_entity_list"]
    assert resolver.resolve(text, as_of="2020-01-01").designations == ()
    assert resolver.resolve("Nanjing University, China").designations == ()


@pytest.mark.slow
def test_real_1286_and_nro(shared: Path, real_resolver: Resolver) -> None:
    section_1286 = read_1286_csv(shared / SECTION_1286)
    assert {e.edition for e in section_1286} >= {"FY2022", "FY2023", "FY2024", "FY2025"}
    nro = read_nro_html(shared / NRO_PAGE)
    assert len(nro) == 103
    assert {c: sum(e.country == c for e in nro) for c in ("CN", "IR", "RU")} == {"CN": 85, "IR": 12, "RU": 6}
    amms = next(e for e in nro if e.name == "Academy of Military Medical Sciences")
    assert amms.aliases == ("AMMS",) and amms.edition == "2024-04-18"
    resolver, _ = _with_book(real_resolver, [*section_1286, *nro])

    hit = resolver.resolve("Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China", as_of="2024-06-01")
    assert hit.ror_id == "https://ror.org/01yqg2h08"
    assert {(m.list, m.edition) for m in hit.designations} >= {("us_1286", "FY2024"), ("ca_nro", "2024-04-18")}
    nuaa = resolver.resolve("南京航空航天大学", as_of="2024-06-01")
    assert "us_1286" in {m.list for m in nuaa.designations}
    beihang = resolver.resolve("北京航空航天大学", as_of="2024-06-01")
    assert any(m.list == "us_1286" for m in beihang.designations)
    # Near misses must not inherit a designation.
    assert resolver.resolve("Nanjing University, Nanjing, China", as_of="2024-06-01").designations == ()
    assert resolver.resolve("Northeastern University, Boston, MA, USA", as_of="2024-06-01").designations == ()
    # Before the first edition nothing is in force.
    assert resolver.resolve("Harbin Institute of Technology, China", as_of="2019-01-01").designations == ()


@pytest.mark.slow
def test_aspi_is_an_assessment_never_a_designation(shared: Path, real_resolver: Resolver) -> None:
    aspi = read_aspi_misp(shared / "research/aspi_cdut/china-defence-universities.misp-galaxy.json")
    assert len(aspi) == 159 and all(e.is_assessment for e in aspi)
    resolver, _ = _with_book(real_resolver, aspi)
    result = resolver.resolve("Harbin Institute of Technology, Harbin, China")
    assert result.designations == ()
    assert [m.list for m in result.assessments] == ["aspi_cdut"]


@pytest.mark.slow
def test_real_1260h(shared: Path) -> None:
    entries = read_1260h_csv(shared / "research/us_dod_1260h/section_1260h.csv")
    qihoo = [e for e in entries if e.name == "360 Security Technology Inc."]
    assert qihoo and qihoo[0].start == "2022-10-05" and "Qihoo 360" in qihoo[0].aliases


def test_ambiguous_string_still_reports_the_lists_of_every_institution_named(sample_resolver: Resolver) -> None:
    entry = ListedEntry(list="us_1286", name="Beihang University", edition="FY2024", country="CN",
                        start="2024-05-01")
    resolver, _ = _with_book(sample_resolver, [entry])
    # Two unrelated universities: no single affiliation, but the designated one is not hidden by that.
    result = resolver.resolve("School of Physics, Beihang University; Harbin Institute of Technology, China",
                              as_of="2024-07-01")
    assert result.status == "ambiguous" and result.ror_id is None
    assert [(m.list, m.name) for m in result.designations] == [("us_1286", "Beihang University")]
    assert "named in the text: Beihang University" in result.designations[0].via
    assert result.designation_text.startswith("1 designation(s) among the institutions named")
    before = resolver.resolve("School of Physics, Beihang University; Harbin Institute of Technology, China",
                              as_of="2024-01-01")
    assert before.designations == () and "check by hand" in before.designation_text
