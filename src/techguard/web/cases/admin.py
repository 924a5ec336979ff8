from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from techguard.web.cases.models import Case


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read-only: cases change only through the audited workflow."""

    list_display = ("pk", "title", "kind", "status", "owner", "department", "created")
    list_filter = ("status", "kind", "department")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
