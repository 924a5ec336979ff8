from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "techguard.web.training"
    label = "training"
    verbose_name = _("Training records")
    default_auto_field = "django.db.models.BigAutoField"
