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

    def get_search_results(self, request, queryset, search_term):
        """Also by short name and alias (the autocomplete of every unit field in the admin)."""
        qs, dup = super().get_search_results(request, queryset, search_term)
        if search_term:
            from .services import unit_ids_matching

            qs = qs | queryset.filter(pk__in=unit_ids_matching(search_term))
        return qs, dup

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


def autocomplete_unit_fields(site) -> None:
    """Every editable unit field of every registered admin is an autocomplete (a search box over names,
    short names and aliases) instead of a drop-down of every unit (5,000 in a large city). Called once the
    admins are registered (luoshi.urls)."""
    for model, model_admin in site._registry.items():
        if model is Unit:
            continue
        skip = set(model_admin.raw_id_fields or ()) | set(model_admin.autocomplete_fields or ())
        readonly = model_admin.readonly_fields if isinstance(model_admin.readonly_fields, (list, tuple)) else ()
        names = [f.name for f in model._meta.get_fields()
                 if getattr(f, "related_model", None) is Unit and (f.many_to_one or f.many_to_many)
                 and not f.auto_created and f.name not in skip and f.name not in readonly]
        if names:
            model_admin.autocomplete_fields = (*(model_admin.autocomplete_fields or ()), *names)
