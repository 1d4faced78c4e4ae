from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    verbose_name = "督查督办"

    def ready(self):
        from luoshi.ledger.workspace import register_panel, register_task_fact

        from .lights import light_fact
        from .notices import workspace_sections

        register_panel("supervision.notices", workspace_sections)
        register_task_fact("supervision.light", light_fact)
