"""Admin: the office edits categories, areas, routing rules (audited, never deleted); cases,
their timeline and photos are read-only here (they change only through the audited services)."""
from django.contrib import admin

from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin, ReadOnlyMixin

from .models import Area, Case, CaseEvent, CasePhoto, Category, Open311Key, RoutingRule


@admin.register(Category)
class CategoryAdmin(AuditedSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "limit_value", "limit_unit", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Area)
class AreaAdmin(AuditedSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "unit"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["category", "area", "unit", "priority", "is_active"]


@admin.register(Open311Key)
class Open311KeyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    exclude = ["key_hash"]


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "category", "status", "responsible_unit", "created_at"]
    list_filter = ["kind", "status", "channel"]
    search_fields = ["number"]
    exclude = ["query_hash", "open311_token"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "to_status", "actor", "at"]


@admin.register(CasePhoto)
class CasePhotoAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "width", "height", "uploaded_at"]
