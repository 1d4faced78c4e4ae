from django.contrib import admin

from luoshi.core.admin_helpers import ReadOnlyMixin

from .models import AuditEntry, AuditHead


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail is append-only: viewable here, never added, changed or deleted."""

    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_id", "object_repr", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "action", "object_repr", "summary", "object_id")
    date_hierarchy = "at"
    ordering = ("-seq",)
    list_select_related = ("actor",)


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "last_seq", "last_hash")
