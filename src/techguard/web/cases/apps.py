from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "techguard.web.cases"
    label = "cases"
    verbose_name = "Cases"
