"""Reporting: the dashboard's filters (period, department, country, activity, status, outcome), counts from the
database, and the streamed CSV (UTF-8 with BOM or CP932) and XLSX exports with formulas neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook


def _case(owner: Any, title: str, *, kind: str = "joint_research", department: Any = None, status: str = "draft",
          facts: dict[str, Any] | None = None, us: str = "", jp: str = "", overall: str = "",
          created: dt.datetime | None = None, submitted: dt.datetime | None = None, conditions: str = "") -> Any:
    """A case with the stored shape the workflow writes (facts as the activity mapping, assessment JSON)."""
    from techguard.web.cases.models import Case

    assessment = ({"us_ear": {"outcome": us}, "jp_fefta": {"outcome": jp}, "overall": {"outcome": overall}}
                  if us or jp or overall else None)
    case = Case.objects.create(kind=kind, title=title, owner=owner, department=department, status=status,
                               facts=facts or {}, assessment=assessment, submitted_at=submitted,
                               conditions=conditions)
    if created is not None:
        Case.objects.filter(pk=case.pk).update(created=created)
        case.refresh_from_db()
    return case


@pytest.fixture()
def cases(users: dict[str, Any], departments: dict[str, Any]) -> dict[str, Any]:
    physics, chemistry = departments["physics"], departments["chemistry"]
    utc = dt.UTC
    return {
        "cn_partner": _case(users["alice"], "Partner in Beijing", department=physics, status="submitted",
                            facts={"to_country": "CN", "recipient": {"location_country": "CN"}},
                            us="licence_required", jp="licence_required", overall="required",
                            created=dt.datetime(2026, 3, 5, tzinfo=utc), submitted=dt.datetime(2026, 3, 6, tzinfo=utc)),
        "visitor_cn": _case(users["alice"], "Visitor with two citizenships", kind="visitor", department=physics,
                            facts={"to_country": "JP", "recipient": {"citizenships": ["KR", "CN"]}},
                            us="no_licence_required", jp="exempt_public", overall="not_required",
                            created=dt.datetime(2026, 5, 1, tzinfo=utc)),
        "us_shipment": _case(users["bob"], "=HYPERLINK(\"http://x\")", kind="shipping", department=chemistry,
                             status="approved_with_conditions", conditions="+no re-export",
                             facts={"to_country": "US", "end_user": {"country": "US"}},
                             us="not_subject", jp="no_licence_required", overall="not_required",
                             created=dt.datetime(2026, 7, 9, tzinfo=utc)),
    }


def _csv(client: Any, query: str = "", *, encoding: str = "utf-8-sig") -> list[list[str]]:
    response = client.get(f"/dashboard/export.csv{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode(encoding))))


def _titles(rows: list[list[str]]) -> set[str]:
    return {row[1] for row in rows[1:]}


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"Partner in Beijing", "Visitor with two citizenships", "'=HYPERLINK(\"http://x\")"}),
    ("?country=CN", {"Partner in Beijing", "Visitor with two citizenships"}),  # destination and 2nd citizenship
    ("?country=中国", {"Partner in Beijing", "Visitor with two citizenships"}),  # a name: the same code
    ("?country=KR", {"Visitor with two citizenships"}),
    ("?country=US", {"'=HYPERLINK(\"http://x\")"}),
    ("?department=PHYS", {"Partner in Beijing", "Visitor with two citizenships"}),
    ("?kind=shipping", {"'=HYPERLINK(\"http://x\")"}),
    ("?status=submitted", {"Partner in Beijing"}),
    ("?us_outcome=licence_required", {"Partner in Beijing"}),
    ("?jp_outcome=exempt_public", {"Visitor with two citizenships"}),
    ("?overall_outcome=not_required", {"Visitor with two citizenships", "'=HYPERLINK(\"http://x\")"}),
    ("?date_from=2026-04-01&date_to=2026-06-30", {"Visitor with two citizenships"}),
    ("?date_field=submitted&date_from=2026-03-01", {"Partner in Beijing"}),  # never-submitted cases left out
])
def test_filters_narrow_the_export(cases, departments, login, query, expected):
    query = query.replace("PHYS", str(departments["physics"].pk))
    assert _titles(_csv(login("omar"), query)) == expected


def test_export_columns_countries_and_neutralised_cells(cases, login):
    rows = _csv(login("omar"), "?kind=shipping")
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:4] == ["reference", "title", "kind", "status"]
    assert row["title"].startswith("'=") and row["conditions"] == "'+no re-export"  # formulas do not run
    assert row["countries"] == "US" and row["department"] == "Chemistry" and row["researcher"] == "bob"
    assert row["decision"] == "approved_with_conditions" and row["overall_outcome"] == "not_required"
    visitor = dict(zip(header, _csv(login("omar"), "?kind=visitor")[1], strict=True))
    assert visitor["countries"] == "JP KR CN" and visitor["decision"] == ""


def test_csv_is_streamed_with_bom_or_cp932(cases, login):
    response = login("omar").get("/dashboard/export.csv")
    assert response.streaming  # rows go out as they are read, not built in memory
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    from techguard.web.cases.models import Case

    Case.objects.filter(pk=cases["cn_partner"].pk).update(title="北京の共同研究")
    rows = _csv(login("omar"), "?encoding=cp932", encoding="cp932")
    assert "北京の共同研究" in _titles(rows)
    assert login("omar").get("/dashboard/export.csv?encoding=latin-9").status_code == 404


def test_xlsx_export_is_filtered_and_neutralised(cases, login):
    response = login("omar").get("/dashboard/export.xlsx?country=CN")
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("reference", "title") and len(values) == 3
    everything = load_workbook(io.BytesIO(b"".join(login("omar").get("/dashboard/export.xlsx").streaming_content)))
    assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in everything.active.iter_rows(values_only=True)]


def test_exports_respect_the_officers_remit(cases, login):
    assert _titles(_csv(login("chen"))) == {"'=HYPERLINK(\"http://x\")"}  # chemistry only
    assert login("alice").get("/dashboard/export.csv").status_code == 403


def test_bad_filter_is_refused_naming_the_field(cases, login):
    response = login("omar").get("/dashboard/?country=Atlantis")
    assert response.status_code == 400
    assert "Country" in response.content.decode()
    export = login("omar").get("/dashboard/export.csv?date_from=2026-05-01&date_to=2026-01-01")
    assert export.status_code == 400 and "date_to" in export.content.decode()


def test_dashboard_counts_in_the_users_language(cases, login, users):
    from techguard.web.accounts.models import Profile

    page = login("omar").get("/dashboard/?department=").content.decode()
    assert "3 cases" in page
    assert "China (CN)" in page and "Licence required" in page and "Physics" in page
    Profile.objects.filter(user=users["omar"]).update(language="ja")
    page = login("omar").get("/dashboard/?country=CN").content.decode()
    assert "2件" in page
    assert "中国 (CN)" in page and "物理学科" in page and "許可が必要" in page
    assert "licence_required" not in page.split("<svg", 1)[1]  # codes are shown as labels, never raw


def test_aggregates_are_grouped_in_the_database(cases, django_assert_max_num_queries, users):
    from django.utils import translation

    from techguard.web.cases.reporting import aggregates, filtered_cases

    with django_assert_max_num_queries(9), translation.override("en"):  # the remit, then a GROUP BY per chart
        counts = aggregates(filtered_cases(users["omar"], {}))
    assert dict(counts["destination"])["China (CN)"] == 1
    assert dict(counts["citizenship"])["South Korea (KR)"] == 1
    assert dict(counts["overall_outcome"])["No authorisation needed"] == 2


def test_country_stored_as_a_name_counts_under_its_code(cases, users):
    """Cases saved before countries were typed hold 中国 or China: one bar for China, not three."""
    from django.utils import translation

    from techguard.web.cases.reporting import aggregates, filtered_cases

    _case(users["alice"], "Old free-text case", facts={"to_country": "中国"})
    _case(users["alice"], "Old English case", facts={"to_country": "China"})
    with translation.override("ja"):
        destinations = dict(aggregates(filtered_cases(users["omar"], {}))["destination"])
    assert destinations["中国 (CN)"] == 3 and "中国" not in destinations and "China" not in destinations


def test_outcome_label_translates_codes(users):
    """The dashboard's outcome counts use the shared labels (cases/labels.py), "—" for a case without one."""
    from django.utils import translation

    from techguard.web.cases.labels import outcome_label
    from techguard.web.cases.reporting import aggregates, filtered_cases

    _case(users["alice"], "Checked", us="licence_required")
    _case(users["alice"], "Not checked")
    with translation.override("ja"):
        assert outcome_label("licence_required") == "許可が必要"
        counts = dict(aggregates(filtered_cases(users["omar"], {}))["us_outcome"])
        assert counts["許可が必要"] == 1 and counts["—"] == 1
    with translation.override("en"):
        assert outcome_label("licence_required") == "Licence required"
        assert outcome_label("some_new_code") == "some_new_code"
