from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "luoshi.assessment"
    verbose_name = "绩效考核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # scoring methods defined next to their data register themselves on import
        from luoshi.core.nav import register_nav

        from . import govservice, letters  # noqa: F401

        register_nav("绩效考核", "assessment:index", order=60)
