from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = "审计留痕"

    def ready(self):
        from luoshi.core import admin_helpers

        from luoshi.core.checks import register_report

        from .checks import audit_report
        from .services import record, snapshot

        admin_helpers.register_audit(record, snapshot)
        register_report(audit_report, early=True)
