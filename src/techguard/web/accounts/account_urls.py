"""Password reset, user import and the single sign-on endpoints of the enabled methods."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.urls.resolvers import URLPattern, URLResolver

from techguard.web.accounts import account_views


def sso_urlpatterns(methods: list[str]) -> list[URLPattern | URLResolver]:
    routes: list[URLPattern | URLResolver] = []
    if "oidc" in methods:
        routes.append(path("oidc/", include("mozilla_django_oidc.urls")))
    if "saml" in methods:
        routes.append(path("saml2/", include("djangosaml2.urls")))
    return routes


urlpatterns: list[URLPattern | URLResolver] = [
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/import/", account_views.import_users, name="import_users"),
    *sso_urlpatterns(getattr(settings, "TECHGUARD_SSO_METHODS", [])),
]
