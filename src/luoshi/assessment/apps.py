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
        from luoshi.orgs.services import register_unit_set

        from .views import plan_member_ids

        register_unit_set("members_of", plan_member_ids)
        from luoshi.audit.labels import register as register_labels
        from luoshi.core.views import register_home

        register_labels({"assessment.indicator.move": "移动考核指标", "assessment.indicator.deactivate": "停用考核指标",
                         "assessment.indicator.activate": "启用考核指标",
                         "assessment.indicator.targets": "设置单位目标值", "assessment.sheet.assign": "分配专家评分表",
                         "assessment.sheet.save": "专家评分", "assessment.sheet.submit": "提交专家评分表",
                         "assessment.sheet.reopen": "退回专家评分表", "assessment.expert.score": "录入专家评分"})
        register_home("expert", "assessment:sheets")
