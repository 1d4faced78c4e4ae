"""Supervision records are written by the supervision services and the sweep;
the admin shows them read-only. Only the escalation policies are configuration."""
from django.contrib import admin

from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin, ReadOnlyMixin

from .models import (Escalation, EscalationPolicy, Finding, LightTotals, NoticeCounter,
                     RectificationItem, ReportSlot, SupervisionNotice, SupervisionState, UnitLights)


@admin.register(LightTotals)
class LightTotalsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("swept_on", "green", "blue", "yellow", "red", "updated_at")


@admin.register(UnitLights)
class UnitLightsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("unit", "green", "blue", "yellow", "red")
    list_select_related = ("unit",)


@admin.register(SupervisionState)
class SupervisionStateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "light", "since", "expected_progress", "missing_reports", "listed")
    list_filter = ("light", "listed")
    search_fields = ("task__number", "task__title", "reason")
    list_select_related = ("task",)


@admin.register(ReportSlot)
class ReportSlotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "period_start", "due", "fulfilled_on")
    search_fields = ("task__number", "task__title")
    date_hierarchy = "due"
    list_select_related = ("task",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "kind", "detail", "found_on")
    list_filter = ("kind",)
    search_fields = ("task__number", "task__title", "detail")
    list_select_related = ("task",)


@admin.register(NoticeCounter)
class NoticeCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "last")


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "task", "kind", "light", "lead_unit", "issued_on", "reply_by", "state")
    list_filter = ("kind", "light", "state")
    search_fields = ("number", "task__number", "task__title", "reason")
    date_hierarchy = "issued_on"
    list_select_related = ("task", "lead_unit")


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(NoDeleteMixin, AuditedSaveMixin, admin.ModelAdmin):
    list_display = ("name", "tag")
    search_fields = ("name", "tag")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "level", "label", "on", "unit", "notice")
    list_filter = ("kind", "level")
    search_fields = ("task__number", "task__title", "label")
    list_select_related = ("task", "unit", "notice")


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "unit", "due", "state", "submitted_on", "closed_on")
    list_filter = ("state",)
    search_fields = ("task__number", "task__title", "requirement")
    list_select_related = ("task", "unit")

