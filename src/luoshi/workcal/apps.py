from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "luoshi.workcal"
    verbose_name = "工作日历"
