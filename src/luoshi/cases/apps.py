from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "luoshi.cases"
    verbose_name = "诉求案件(12345/城管/效能投诉)"
