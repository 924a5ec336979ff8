"""Departments, each user's role and language, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    OFFICER = "officer", _("Export-control officer")
    ADMINISTRATOR = "administrator", _("Administrator")


def role_label(code: str) -> str:
    """The role's name in the active language ("officer" -> 輸出管理担当者) for display; codes stay in data."""
    if code == "anonymous":
        return str(_("Not signed in"))
    return str(Role(code).label)


class Department(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ja = models.CharField(_("Japanese name"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]  # noqa: RUF012 (Django reads these class attributes)

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESEARCHER)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("department"),
    )
    # Officers review the cases of these departments; an officer with none assigned reviews all departments.
    reviews_departments = models.ManyToManyField(
        Department, blank=True, related_name="officers", verbose_name=_("reviews departments")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 of the token is stored; the token is shown once.
    A token stops working when revoked or after ``expires`` (``TECHGUARD_TOKEN_DAYS``, default 90 days)."""

    NAME_MAX = 100  # the column and the form's check both read this

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=NAME_MAX)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    expires = models.DateTimeField(null=True, blank=True)  # None: tokens issued before expiry existed

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires is not None and self.expires <= timezone.now()

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: object, name: str, days: int | None = None) -> tuple[ApiToken, str]:
        from datetime import timedelta

        from django.utils import timezone

        if not 0 < len(name) <= cls.NAME_MAX:
            raise ValueError(f"token name must be 1 to {cls.NAME_MAX} characters")
        days = days if days is not None else int(getattr(settings, "TECHGUARD_TOKEN_DAYS", 90))
        token = "tg_" + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, digest=cls.digest_of(token), prefix=token[:8],
                                 expires=timezone.now() + timedelta(days=days))
        return row, token

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
