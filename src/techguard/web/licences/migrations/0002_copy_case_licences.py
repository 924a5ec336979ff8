"""Copy each case's single licence (``Case.licence_status/number/expiry``) into a ``Licence`` row.

The old fields did not say under which law the licence was. The jurisdiction is taken from the case's
determinations: Japan when the 外為法 answer needed a licence or approval (許可/承認), else the United States when
the EAR answer needed a licence, else "not recorded" (``unspecified``) for an officer to set — guessing a law would
put a wrong record into the file. The kind follows: 輸出承認 for an approval, 輸出許可（個別） for a shipment,
役務取引許可 for the other (technology) activities, BIS licence for the US. A blank old status with a number is
taken as granted (numbers are issued on grant), else as "being prepared". Reversing is a no-op: reversing 0001
drops the table.
"""

from typing import Any

from django.db import migrations

JP_NEEDS = frozenset({"licence_required", "approval_required"})
US_NEEDS = frozenset({"licence_required", "licence_required_unless_exception"})
NOTE = "Copied from the case's single licence field when licences were itemised (licences 0002)."


def licence_values(kind: str, assessment: Any, status: str, number: str, expiry: Any) -> dict[str, Any] | None:
    """The Licence fields for one case's old licence values, or None when it had none."""
    number = (number or "").strip()
    if not (status or number or expiry):
        return None
    assessment = assessment if isinstance(assessment, dict) else {}
    jp = (assessment.get("jp_fefta") or {}).get("outcome")
    us = (assessment.get("us_ear") or {}).get("outcome")
    if jp in JP_NEEDS:
        jurisdiction = "jp"
        licence_kind = ("jp_approval" if jp == "approval_required"
                        else "jp_export" if kind == "shipping" else "jp_service")
    elif us in US_NEEDS:
        jurisdiction, licence_kind = "us", "us_licence"
    else:
        jurisdiction, licence_kind = "unspecified", "unspecified"
    return {
        "jurisdiction": jurisdiction, "kind": licence_kind,
        "status": status or ("granted" if number else "preparing"),
        "number": number, "valid_until": expiry, "notes": NOTE,
    }


def copy_case_licences(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Licence = apps.get_model("licences", "Licence")
    rows = (Case.objects.exclude(licence_status="", licence_number="", licence_expiry__isnull=True)
            .values_list("pk", "kind", "assessment", "licence_status", "licence_number", "licence_expiry",
                         "decided_by_id"))
    for pk, kind, assessment, status, number, expiry, decided_by in rows.iterator():
        values = licence_values(kind, assessment, status, number, expiry)
        if values is not None and not Licence.objects.filter(case_id=pk, notes=NOTE).exists():
            Licence.objects.create(case_id=pk, created_by_id=decided_by, updated_by_id=decided_by, **values)


class Migration(migrations.Migration):

    dependencies = [  # noqa: RUF012 (Django reads these class attributes)
        ("cases", "0003_approval_route_and_statuses"),
        ("licences", "0001_initial"),
    ]

    operations = [  # noqa: RUF012 (Django reads these class attributes)
        migrations.RunPython(copy_case_licences, migrations.RunPython.noop),
    ]
