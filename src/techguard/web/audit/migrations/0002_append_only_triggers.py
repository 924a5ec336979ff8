"""Make the audit table append-only in the database itself, for SQLite and PostgreSQL."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"no append-only triggers for database vendor {schema_editor.connection.vendor!r}")
    for sql in statements:
        schema_editor.execute(sql, params=None)  # None: no placeholder parsing of the % in RAISE


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)  # None: no placeholder parsing of the % in RAISE


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]  # noqa: RUF012 (Django reads these class attributes)
    operations = [migrations.RunPython(forward, backward)]  # noqa: RUF012 (Django reads these class attributes)
