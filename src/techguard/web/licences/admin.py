from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from techguard.web.licences.models import Licence, LicenceReminder


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    list_display = ("case", "jurisdiction", "kind", "exception_code", "status", "number", "valid_until")
    list_filter = ("jurisdiction", "kind", "status")
    search_fields = ("number", "exception_code", "case__title")
    raw_id_fields = ("case", "created_by", "updated_by")


@admin.register(LicenceReminder)
class LicenceReminderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("licence", "valid_until", "threshold_days", "sent_at")
    raw_id_fields = ("licence",)
