from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "techguard.web.screening"
    label = "screening"
    verbose_name = "Screening"
