from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from techguard.web.cases.models import ApprovalRoute, ApprovalStep, Attachment, Case


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    """Read-only: cases change only through the audited workflow."""

    list_display = ("pk", "title", "kind", "status", "owner", "department", "created")
    list_filter = ("status", "kind", "department")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ApprovalStepInline(admin.TabularInline):  # type: ignore[type-arg]  # generic in the stubs only
    model = ApprovalStep
    extra = 1
    fields = ("order", "label", "role")


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    """The 決裁ルート per department (or the default, with no department): its steps in order and who signs each.
    Changes apply to the steps not yet signed; signed boxes keep the label they were signed under."""

    list_display = ("name", "department", "active")
    list_filter = ("active",)
    inlines = (ApprovalStepInline,)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    """Read-only: documents are added on the case page (type and hash checked, audited)."""

    list_display = ("original_name", "case", "kind", "size", "sha256", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
