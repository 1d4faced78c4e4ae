from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "luoshi.petitions"
    verbose_name = "信访"

    def ready(self):
        from luoshi.core.nav import register_nav

        register_nav("信访", "petitions:index", order=50, visible=lambda u: u.sees_everything or u.is_leader or u.is_liaison)
