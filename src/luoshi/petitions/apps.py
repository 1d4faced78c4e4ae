from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "luoshi.petitions"
    verbose_name = "信访"

    def ready(self):
        from luoshi.core.nav import register_nav

        register_nav("信访", "petitions:index", order=50, visible=lambda u: u.sees_everything or u.is_leader or u.is_liaison)
        register_nav("热线转信访", "petitions:hotline", order=51, visible=lambda u: u.role == "operator")
        from luoshi.supervision.kinds import register_kind

        from .stats import supervision_rates
        from .sweep import overdue_petitions, petition_lights, supervision_event

        # Overdue petitions light up in the supervision sweep, get a red 督办单 and climb its escalation
        # ladder (supervision.items); their 督办单 and 通报 rows are read under the "petitions" scope domain.
        register_kind("petitions", "信访事项", lights=petition_lights, overdue=overdue_petitions,
                      on_event=supervision_event, domain="petitions", lights_in=petition_lights,
                      links={"red": "/petitions/?light=red", "yellow": "/petitions/?light=blue", "all": "/petitions/"},
                      rates=supervision_rates)
