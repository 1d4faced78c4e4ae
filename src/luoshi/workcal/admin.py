from django.contrib import admin

from luoshi.core.admin_helpers import AuditedSaveMixin

from .models import CalendarDay, HolidayNotice


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ("date", "is_workday", "name", "source")


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(AuditedSaveMixin, admin.ModelAdmin):
    audit_fields = ["year", "title"]
    list_display = ("year", "title", "loaded_at")
    search_fields = ("title",)
    inlines = [CalendarDayInline]

    def delete_model(self, request, obj):
        from luoshi.audit.services import record
        record(request.user, "admin.workcal.holidaynotice.delete", obj, summary=f"管理后台删除{obj.year}年节假日安排")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedSaveMixin, admin.ModelAdmin):
    audit_fields = ["date", "is_workday", "name", "source"]
    list_display = ("date", "is_workday", "name", "source", "notice")
    list_filter = ("source", "is_workday", "notice")
    search_fields = ("name",)
    date_hierarchy = "date"

    def delete_model(self, request, obj):
        from luoshi.audit.services import record
        record(request.user, "admin.workcal.calendarday.delete", obj, summary="管理后台删除日历调整",
               before={"date": obj.date, "is_workday": obj.is_workday, "name": obj.name, "source": obj.source})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
