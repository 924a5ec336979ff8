"""Login throttling and the audit of failed logins.

Failed logins are audit events (``login.failed``: username tried, client address); the same events are the
throttle's memory, so the limit holds across gunicorn processes and restarts. Over
``TECHGUARD_LOGIN_MAX_FAILURES`` failures for one username, or four times that from one address, within
``TECHGUARD_LOGIN_WINDOW_MINUTES``, further attempts are refused before the password is checked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from techguard.web.audit.chain import record
from techguard.web.audit.models import AuditEvent

__all__ = ["ThrottledAdminAuthenticationForm", "ThrottledAuthenticationForm", "client_address", "is_throttled"]


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):  # behind our proxy: the address it saw, last
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def is_throttled(username: str, address: str) -> bool:
    limit = settings.TECHGUARD_LOGIN_MAX_FAILURES
    since = timezone.now() - timedelta(minutes=settings.TECHGUARD_LOGIN_WINDOW_MINUTES)
    failures = AuditEvent.objects.filter(action="login.failed", at__gte=since)
    if failures.filter(changes__username=username[:150]).count() >= limit:
        return True
    return bool(address) and failures.filter(changes__address=address).count() >= 4 * limit


@receiver(user_login_failed)
def _audit_failed_login(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                        **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150].replace("\x00", "")
    record("login.failed", changes={"username": username, "address": client_address(request)})


class _Throttle:
    request: HttpRequest | None

    def _refuse_when_throttled(self, username: str) -> None:
        if username and is_throttled(username, client_address(self.request)):
            minutes = settings.TECHGUARD_LOGIN_WINDOW_MINUTES
            raise forms.ValidationError(
                f"Too many failed logins; try again in {minutes} minutes. / "
                f"ログイン失敗が多すぎます。{minutes} 分後に再試行してください。",
                code="throttled",
            )


class ThrottledAuthenticationForm(_Throttle, AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        self._refuse_when_throttled(self.data.get("username", ""))
        return super().clean()


class ThrottledAdminAuthenticationForm(_Throttle, AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        self._refuse_when_throttled(self.data.get("username", ""))
        return super().clean()
