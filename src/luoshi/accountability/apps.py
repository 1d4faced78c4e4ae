from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "luoshi.accountability"
    label = "accountability"
    verbose_name = "问责"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from luoshi.core.nav import register_nav

        from . import hooks  # noqa: F401  registers into the lower layers' hooks

        register_nav("问责", "accountability:index", order=70,
                     visible=lambda u: u.is_discipline or u.is_leader or u.sees_everything or u.is_liaison)
