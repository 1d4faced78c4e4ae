from django.contrib import admin

from luoshi.core.admin_helpers import ReadOnlyMixin

from .labels import action_label, object_text, object_type_label
from .models import AuditEntry, AuditHead


def coded_filter(field: str, title: str):
    """An admin list filter over a code column (action, kind …) that shows the codes' Chinese labels."""

    class CodeFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            codes = model_admin.model.objects.order_by(field).values_list(field, flat=True).distinct()[:300]
            return [(c, action_label(c)) for c in codes]

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    CodeFilter.title = title
    return CodeFilter


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail is append-only: viewable here, never added, changed or deleted."""

    list_display = ("seq", "at", "actor_name", "action_zh", "type_zh", "object_zh", "summary")

    @admin.display(description="操作", ordering="action")
    def action_zh(self, entry):
        return action_label(entry.action)

    @admin.display(description="对象类型", ordering="object_type")
    def type_zh(self, entry):
        return object_type_label(entry.object_type)

    @admin.display(description="对象")
    def object_zh(self, entry):
        return object_text(entry.object_type, entry.object_id, entry.object_repr)

    list_filter = (coded_filter("action", "操作"),)
    search_fields = ("actor_name", "action", "object_repr", "summary", "object_id")
    date_hierarchy = "at"
    ordering = ("-seq",)
    list_select_related = ("actor",)


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "last_seq", "last_hash")
