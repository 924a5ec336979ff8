from django.apps import AppConfig


class ResearchSecurityConfig(AppConfig):
    name = "techguard.web.researchsec"
    label = "researchsec"
    verbose_name = "Research security"
