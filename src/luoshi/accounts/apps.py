from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from axes.signals import user_locked_out

        from .lockout import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="luoshi-lockout-audit")
