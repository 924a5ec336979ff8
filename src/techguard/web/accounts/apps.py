from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "techguard.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
