from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "luoshi.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from luoshi.audit.anchor import on_checkpoint

        from .tasks import send_audit_checkpoint

        on_checkpoint(send_audit_checkpoint)  # every audit checkpoint also goes out through the webhook
