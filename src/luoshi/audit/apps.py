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

        from luoshi.core import backup

        from . import anchor

        backup.register_file("keys/audit.key", anchor.key_path)
        backup.register_file("audit/checkpoints.jsonl", anchor.checkpoint_path)
        backup.on_before_backup("audit", anchor.before_backup)
        backup.on_after_restore(anchor.after_restore)
