from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    verbose_name = "督查督办"

    def ready(self):
        from luoshi.audit.anchor import on_checkpoint

        from .notify import send_audit_checkpoint

        on_checkpoint(send_audit_checkpoint)
