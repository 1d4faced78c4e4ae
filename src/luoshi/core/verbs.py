"""The `luoshi` verbs and the Django management command each runs (a plain table, no imports), read
by luoshi.cli to dispatch and by luoshi.core.management.base to name the verb in usage lines."""

COMMANDS = {
    "serve": "serve",
    "demo": "demo",
    "units": "units",
    "users": "users",
    "ledger": "ledger",
    "check": "luoshi_check",
    "audit": "audit",
    "calendar": "workcal",
    "sweep": "sweep",
    "petitions": "petitions",
    "assess": "assess",
    "open311": "open311",
    "backup": "backup",
    "restore": "restore",
    "manage": None,  # raw Django manage.py
}
