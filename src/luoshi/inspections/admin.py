"""Inspections in the admin: read-only (writes go through the audited services)."""
from django.contrib import admin

from .models import Answer, Checklist, ChecklistItem, Evidence, Finding, Plan, Record


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ["title", "mode", "start_on", "end_on", "published"]
    list_filter = ["mode", "published"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnly):
    list_display = ["name", "is_active"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ["id", "kind", "sha256", "size", "taken_at"]


for model in (ChecklistItem, Record, Answer, Finding):
    admin.site.register(model, ReadOnly)
