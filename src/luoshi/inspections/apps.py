from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "luoshi.inspections"
    verbose_name = "明查暗访"

    def ready(self):
        from luoshi.core.nav import register_nav

        from luoshi.orgs.services import register_unit_set

        from .scope import plan_unit_ids

        register_unit_set("inspection_plan", plan_unit_ids)
        register_nav("明查暗访", "inspections:index", order=55,
                     visible=lambda u: u.sees_everything or u.is_leader or u.is_liaison or u.is_inspector)
