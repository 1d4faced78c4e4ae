from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(NoDeleteMixin, AuditedSaveMixin, BaseUserAdmin):
    """Users are deactivated (is_active) rather than deleted: the audit trail points at them."""

    audit_fields = ["username", "display_name", "email", "phone", "unit", "role", "is_active", "is_staff",
                    "is_superuser"]
    list_display = ("username", "display_name", "unit", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "unit")
    actions = ["unlock_logins"]
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

    @admin.action(description="解除登录锁定")
    def unlock_logins(self, request, queryset):
        from .services import do_unlock_user

        for user in queryset:
            do_unlock_user(request.user, user)
        self.message_user(request, f"已解除 {queryset.count()} 个用户的登录锁定", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Tokens are read-only here (only their hash is stored); revoke them with the action."""

    list_display = ("prefix", "user", "created", "expires", "last_used", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "prefix")
    readonly_fields = ("user", "prefix", "created", "expires", "last_used", "revoked_at")
    exclude = ("digest", "password_mark")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        from .tokens import do_revoke_tokens

        n = 0
        for user in User.objects.filter(pk__in=queryset.values("user_id")):
            n += do_revoke_tokens(request.user, user, reason="管理员吊销",
                                  ids=queryset.filter(user=user).values_list("pk", flat=True))
        self.message_user(request, f"已吊销 {n} 个令牌", messages.SUCCESS)
