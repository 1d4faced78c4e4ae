from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "luoshi.workcal"
    verbose_name = "工作日历"

    def ready(self):
        from luoshi.core.checks import register_report

        from .checks import calendar_report

        register_report(calendar_report)
