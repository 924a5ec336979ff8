"""API tokens expire (``ApiToken.expires``; tokens issued before stay valid until revoked)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]  # noqa: RUF012 (Django reads these class attributes)
    operations = [  # noqa: RUF012 (Django reads these class attributes)
        migrations.AddField(model_name="apitoken", name="expires",
                            field=models.DateTimeField(blank=True, null=True)),
    ]
