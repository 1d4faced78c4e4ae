from django.contrib import admin

from .models import Area, Category, Open311Key, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "limit_value", "limit_unit", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "area", "unit", "priority", "is_active"]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at"]
# Cases themselves are changed only through the audited services (pages/API), never the admin.
