"""Petitions in the admin: read-only (writes go through the audited services)."""
from django.contrib import admin

from .models import (JointMeeting, Petition, PetitionCounter, PetitionEvent, Petitioner, ResolutionPlan,
                     ResolutionStep)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnly):
    list_display = ["number", "channel", "status", "handling_unit", "received_on", "deadline", "backlog"]
    list_filter = ["status", "channel", "backlog"]
    search_fields = ["number", "title"]


@admin.register(Petitioner)
class PetitionerAdmin(ReadOnly):
    list_display = ["id", "__str__", "id_masked"]
    exclude = ["id_hash"]


for model in (PetitionCounter, PetitionEvent, JointMeeting, ResolutionPlan, ResolutionStep):
    admin.site.register(model, ReadOnly)
