"""Assessment records are written by the assessment services (audited); the admin shows them read-only."""
from django.contrib import admin

from luoshi.core.admin_helpers import ReadOnlyMixin

from . import models as m


@admin.register(m.Plan)
class PlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name", "period", "group", "state", "missing_policy")
    list_filter = ("group", "state")
    search_fields = ("code", "name")


@admin.register(m.Indicator)
class IndicatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("plan", "code", "name", "kind", "weight", "method", "cap")
    list_filter = ("kind", "method")
    list_select_related = ("plan",)


@admin.register(m.ScoreRun)
class ScoreRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("plan", "period", "as_of", "state", "created_at", "published_at", "appeal_until", "units_count")
    list_filter = ("state",)


@admin.register(m.Appeal)
class AppealAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("run", "unit", "state", "submitted_at", "decided_at", "new_points")
    list_filter = ("state",)


@admin.register(m.ScoreSheet)
class ScoreSheetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("plan", "rater_name", "rater", "state", "submitted_at")
    list_filter = ("state",)


@admin.register(m.ReportedFigure)
class ReportedFigureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("indicator", "unit", "value", "state", "superseded", "submitted_at")
    list_filter = ("state",)


for model in (m.GroupMembership, m.ExpertScore, m.Survey, m.SurveyLink, m.SurveyCode, m.SurveyResponse,
              m.Adjustment, m.UnitResult, m.ItemResult, m.TargetLetter, m.LetterTarget, m.TargetFigure,
              m.WindowRecord, m.ServiceCard):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyMixin, admin.ModelAdmin), {}))
