from django.contrib import admin

from techguard.web.training.models import TrainingPolicy, TrainingRecord


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("person", "course", "completed_on", "expires_on", "source")
    list_filter = ("course",)
    search_fields = ("person__username", "person__email", "course")
    raw_id_fields = ("person", "recorded_by")


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("require_current_training", "required_course", "validity_months")

    def has_add_permission(self, request: object) -> bool:
        return not TrainingPolicy.objects.exists()  # one organisation-wide row

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
