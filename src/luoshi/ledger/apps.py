from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "luoshi.ledger"
    verbose_name = "督办台账"
