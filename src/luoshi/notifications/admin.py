from django.contrib import admin

from luoshi.audit.admin import coded_filter
from luoshi.audit.labels import action_label
from luoshi.core.admin_helpers import ReadOnlyMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "kind_zh", "title", "created_at", "read_at")

    @admin.display(description="类型", ordering="kind")
    def kind_zh(self, notification):
        return action_label(notification.kind)
    list_filter = (coded_filter("kind", "类型"),)
    search_fields = ("title", "body", "user__username", "user__display_name")
    list_select_related = ("user",)
