from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "techguard.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from techguard.web import translation_checks  # noqa: F401  (registers the compiled-translations check)
        from techguard.web.accounts import security  # registers the failed-login audit receiver

        admin.site.login_form = security.ThrottledAdminAuthenticationForm
