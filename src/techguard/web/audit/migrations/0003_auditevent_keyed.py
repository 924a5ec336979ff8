"""Keyed audit chain: a flag telling HMAC-SHA256 events (new) from plain SHA-256 ones (written before).

SQLite adds the column by rebuilding the table, which drops its triggers: they are created again here."""

import importlib

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_append_only = importlib.import_module("techguard.web.audit.migrations.0002_append_only_triggers")


def recreate_sqlite_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in _append_only.SQLITE_BACKWARD + _append_only.SQLITE_FORWARD:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]  # noqa: RUF012 (Django reads these class attributes)
    operations = [  # noqa: RUF012 (Django reads these class attributes)
        migrations.AddField(model_name="auditevent", name="keyed", field=models.BooleanField(default=False)),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
