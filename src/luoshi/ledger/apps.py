from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "luoshi.ledger"
    verbose_name = "督办台账"

    def ready(self):
        from luoshi.core.views import register_home

        register_home("liaison", "workspace")  # 单位联络员 start on 本单位工作台; everyone else on the 台账
