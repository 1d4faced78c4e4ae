from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "luoshi.cases"
    verbose_name = "诉求案件(12345/城管/效能投诉)"

    def ready(self):
        from luoshi.core.nav import register_nav

        from .permissions import is_office

        register_nav("诉求案件", "cases:list", order=40)
        register_nav("热线登记", "cases:hotline", order=41, visible=is_office)
        from luoshi.supervision.kinds import register_kind

        from .sweep import (case_lights, case_lights_in, describe_items, overdue_items, overdue_keys,
                            supervision_event, supervision_events)
        from .stats import supervision_rates

        register_kind("cases", "诉求案件", lights=case_lights, overdue=overdue_items, on_event=supervision_event,
                      lights_in=case_lights_in, links={"all": "/cases/"}, overdue_keys=overdue_keys,
                      describe=describe_items, on_events=supervision_events, rates=supervision_rates)
        from luoshi.supervision.hooks import finding_referred

        from .referrals import on_finding_referred

        finding_referred.connect(on_finding_referred, dispatch_uid="cases.finding_referred")
        from django.db.models.signals import post_delete, post_save

        from . import refcache
        from .models import Area, Category, Open311Key
        from .routing import forget_areas

        post_save.connect(forget_areas, sender=Area, dispatch_uid="cases-forget-areas")
        post_delete.connect(forget_areas, sender=Area, dispatch_uid="cases-forget-areas-del")
        for model in (Category, Open311Key):
            post_save.connect(refcache.forget, sender=model, dispatch_uid=f"cases-refcache-{model.__name__}")
            post_delete.connect(refcache.forget, sender=model, dispatch_uid=f"cases-refcache-{model.__name__}-del")
