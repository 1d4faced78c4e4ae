"""Shared pieces for the Django admin registrations (src/luoshi/*/admin.py).

The admin is a tool for 管理员; it must not become a back door around the
services: no hard deletes of ledger records, read-only views of history, and
saves that either go through a do_ service or leave an audit entry."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from luoshi.core.errors import LuoshiError

# The audit trail lives in luoshi.audit, a layer above core: it registers its record() and
# snapshot() here when it is ready (AuditConfig.ready), so admin saves are audited.
_audit: dict = {}


def register_audit(record, snapshot) -> None:
    """Called by luoshi.audit at start-up."""
    _audit.update(record=record, snapshot=snapshot)


def _audit_fn(name):
    if name not in _audit:
        raise RuntimeError("luoshi.core.admin_helpers: no audit trail registered (is luoshi.audit installed?)")
    return _audit[name]


class NoDeleteMixin:
    """Records stay; deactivate/suspend/archive instead of deleting."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyMixin(NoDeleteMixin):
    """History (audit entries, reports, timeline events) can be viewed, never added or changed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditedSaveMixin:
    """Plain model saves that record who changed what in the audit trail."""

    audit_fields: list[str] = []

    def _audit_snapshot(self, obj):
        fields = self.audit_fields or [f.name for f in obj._meta.concrete_fields if f.name != "id"]
        return _audit_fn("snapshot")(obj, fields)

    def save_model(self, request, obj, form, change):
        label = obj._meta.label_lower
        before = None
        if change:
            before = self._audit_snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        _audit_fn("record")(request.user, f"admin.{label}.{'change' if change else 'add'}", obj, before=before,
               after=self._audit_snapshot(obj), summary=f"管理后台{'修改' if change else '新增'}")


class _DryRun(Exception):
    pass


class ServiceForm(forms.ModelForm):
    """A ModelForm whose clean() runs the model's do_ service in a savepoint that is rolled back,
    so the service's refusal (LuoshiError) shows as a form error and nothing is written.
    The real call happens in the ModelAdmin's save_model."""

    actor = None  # set by ServiceAdminMixin.get_form

    def run_service(self, commit: bool):  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            with transaction.atomic():
                self.run_service(commit=False)
                raise _DryRun
        except _DryRun:
            pass
        except LuoshiError as exc:
            raise forms.ValidationError(exc.message_zh) from None
        return data


class ServiceAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        result = form.run_service(commit=True)
        if result is not None and result.pk != obj.pk:
            obj.pk = result.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were set by the service; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


def register(model, admin_class):
    admin.site.register(model, admin_class)
