from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "luoshi.orgs"
    verbose_name = "单位"

    def ready(self):
        from luoshi.core import scope

        from .services import subtree_ids

        scope.register_subtree(subtree_ids)
