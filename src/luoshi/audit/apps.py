from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = "审计留痕"
