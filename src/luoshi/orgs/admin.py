from django import forms
from django.contrib import admin

from luoshi.core.admin_helpers import NoDeleteMixin, ServiceAdminMixin, ServiceForm

from .models import Unit
from .services import UNIT_FIELDS, do_save_unit


class UnitForm(ServiceForm):
    class Meta:
        model = Unit
        fields = UNIT_FIELDS

    def run_service(self, commit):
        fields = {k: self.cleaned_data[k] for k in UNIT_FIELDS if k in self.cleaned_data}
        existing = Unit.objects.get(pk=self.instance.pk) if self.instance.pk else None
        return do_save_unit(self.actor, existing, **fields)


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Saves go through orgs.services.do_save_unit (name/alias uniqueness, no cycles, audit entry).
    Units are deactivated (启用 off) rather than deleted."""

    form = UnitForm
    list_display = ("name", "display_name", "kind", "parent", "code", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    ordering = ("sort_order", "id")
    autocomplete_fields = ("parent",)
    formfield_overrides = {}

    @admin.display(description="简称")
    def display_name(self, obj):
        return obj.display_name

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for key in ("short_names", "aliases"):
            if key in form.base_fields:
                form.base_fields[key].help_text = '如 ["市发改委"];多个名称用 JSON 列表填写'
                form.base_fields[key].widget = forms.TextInput(attrs={"size": 60})
        return form
