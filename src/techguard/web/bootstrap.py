"""Start-up helpers shared by the CLI and tests: configure Django, migrate, make sure an administrator exists."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


@dataclass(frozen=True)
class AdminCredentials:
    username: str
    password: str | None  # None when the password came from the environment (never echoed)
    created: bool


def ensure_admin(username: str | None = None, password: str | None = None) -> AdminCredentials:
    """Create the first administrator when there is none. A generated password is returned to print once."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from techguard.web.accounts.models import Profile, Role
    from techguard.web.audit.chain import record

    user_model = get_user_model()
    existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return AdminCredentials(existing.get_username(), None, False)
    username = username or os.environ.get("TECHGUARD_ADMIN_USER", "admin")
    from_env = password or os.environ.get("TECHGUARD_ADMIN_PASSWORD")
    generated = None if from_env else secrets.token_urlsafe(12)
    if from_env:  # a chosen password meets the same validators as every other (a generated one does)
        from django.contrib.auth.password_validation import validate_password

        validate_password(from_env, user=user_model(username=username))
    with transaction.atomic():
        user = user_model.objects.create_superuser(username=username, email="", password=from_env or generated)
        Profile.objects.update_or_create(user=user, defaults={"role": Role.ADMINISTRATOR})
        record("user.created", obj=user, changes={"username": username, "role": "administrator"},
               reason="first administrator created at start-up")
    return AdminCredentials(username, generated, True)


__all__ = ["AdminCredentials", "ensure_admin", "migrate", "setup"]
