from django.contrib import admin

from luoshi.core.admin_helpers import ReadOnlyMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "body", "user__username", "user__display_name")
    list_select_related = ("user",)
