from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "techguard.web.classification"
    label = "classification"
    verbose_name = "Classification (該非判定)"
