"""Administrators manage departments, roles and tokens in Django's admin; every admin action is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models.signals import post_save
from django.dispatch import receiver

from techguard.web.accounts.models import ApiToken, Department, Profile, Role


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]  # generic in the stubs only
    model = Profile
    can_delete = False
    filter_horizontal = ("reviews_departments",)


class TechguardUserAdmin(UserAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    inlines = (ProfileInline,)
    list_display = ("username", "email", "is_active", "is_superuser", "role")
    list_select_related = ("profile",)  # the role column reads the joined profile, not one query per row

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """A user added here always gets a profile (the inline saves one only when a field was changed), so
        pages never have to create one while reading."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        Profile.objects.get_or_create(
            user=user, defaults={"role": Role.ADMINISTRATOR if user.is_superuser else Role.RESEARCHER})

    @admin.display(description="role")
    def role(self, user: Any) -> str:
        try:
            return str(user.profile.role)
        except Profile.DoesNotExist:
            return ""


user_model = get_user_model()
if admin.site.is_registered(user_model):
    admin.site.unregister(user_model)
admin.site.register(user_model, TechguardUserAdmin)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("name", "name_ja")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("prefix", "name", "user", "created", "last_used", "revoked")
    readonly_fields = ("digest", "prefix", "created", "last_used", "user")

    def has_add_permission(self, request: Any) -> bool:
        return False  # tokens are issued on the Tokens page, where the secret is shown once


@receiver(post_save, sender=LogEntry)
def audit_admin_action(sender: type, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Mirror Django admin's own log into the hash-chained audit trail."""
    if not created:
        return
    from techguard.web.audit.chain import record

    action = {1: "admin.added", 2: "admin.changed", 3: "admin.deleted"}.get(instance.action_flag, "admin.action")
    record(action, user=instance.user, changes={
        "object": f"{instance.content_type.app_label}.{instance.content_type.model}:{instance.object_id}",
        "repr": instance.object_repr, "message": instance.get_change_message(),
    })
