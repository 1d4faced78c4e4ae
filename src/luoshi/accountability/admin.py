"""Accountability in the Django admin. Proposals, bulletins and counters are read-only (written by
the services); the ladder of measures is configuration (audited saves, never deleted). Personal
records (people, appeals, assessment effects) are hidden from the admin for everyone but the
accountability officers (纪检/组织) — a 管理员 administers the system, not the people in it."""
from django.contrib import admin

from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin, ReadOnlyMixin

from .models import (Appeal, AssessmentEffect, Bulletin, BulletinCounter, MeasureType, Person, Proposal,
                     ProposalCounter)
from .permissions import is_officer


class OfficersOnlyMixin(ReadOnlyMixin):
    def has_view_permission(self, request, obj=None):
        return is_officer(request.user)

    def has_module_permission(self, request):
        return is_officer(request.user)


@admin.register(MeasureType)
class MeasureTypeAdmin(AuditedSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ("name", "code", "rank", "category", "deduction", "cancels_honours", "is_active")
    list_editable = ()
    ordering = ("rank",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "cause_type", "unit", "state", "proposed_on", "decided_on", "decision_number")
    list_filter = ("state", "cause_type")
    search_fields = ("number", "decision_number")
    exclude = ("facts",)
    list_select_related = ("unit",)


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "title", "issued_on", "is_published", "published_on")


@admin.register(Person)
class PersonAdmin(OfficersOnlyMixin, admin.ModelAdmin):
    list_display = ("proposal", "name", "post", "unit", "responsibility", "measure", "state")


@admin.register(Appeal)
class AppealAdmin(OfficersOnlyMixin, admin.ModelAdmin):
    list_display = ("person", "kind", "submitted_on", "outcome")


@admin.register(AssessmentEffect)
class AssessmentEffectAdmin(OfficersOnlyMixin, admin.ModelAdmin):
    list_display = ("unit", "year", "measure", "deduction", "cancels_honours", "is_active")


@admin.register(ProposalCounter)
class ProposalCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "last")


@admin.register(BulletinCounter)
class BulletinCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "last")
