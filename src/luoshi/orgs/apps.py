from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "luoshi.orgs"
    verbose_name = "单位"

    def ready(self):
        from luoshi.core import scope

        from .services import subtree_ids

        scope.register_subtree(subtree_ids)

        from django.db.models.signals import post_delete, post_save

        from .models import Unit
        from .services import forget_search_index

        def _forget(**kwargs):
            forget_search_index()

        # any saved unit (the demo, the admin) drops the type-ahead index of this process
        post_save.connect(_forget, sender=Unit, weak=False, dispatch_uid="orgs-search-index")
        post_delete.connect(_forget, sender=Unit, weak=False, dispatch_uid="orgs-search-index-del")
