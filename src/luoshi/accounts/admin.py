from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin

from .models import User


@admin.register(User)
class UserAdmin(NoDeleteMixin, AuditedSaveMixin, BaseUserAdmin):
    """Users are deactivated (is_active) rather than deleted: the audit trail points at them."""

    audit_fields = ["username", "display_name", "email", "phone", "unit", "role", "is_active", "is_staff",
                    "is_superuser"]
    list_display = ("username", "display_name", "unit", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "unit")
    search_fields = ("username", "display_name", "email", "phone", "unit__name")
    ordering = ("username",)
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        ("单位与角色", {"fields": ("unit", "role")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("单位与角色", {"fields": ("display_name", "unit", "role")}),
    )
