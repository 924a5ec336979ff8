from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "techguard.web.licences"
    label = "licences"
    verbose_name = _("Licences")
    default_auto_field = "django.db.models.BigAutoField"
