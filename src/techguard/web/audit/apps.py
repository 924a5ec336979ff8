from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "techguard.web.audit"
    label = "audit"
    verbose_name = "Audit trail"
