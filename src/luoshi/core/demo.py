"""The demo composer behind `luoshi demo`.

Each installed app may have a `demo.py` module with a function `build(ctx)` that
adds its sample data through its own do_ services. `luoshi demo` wipes the
database, migrates, then calls every app's `build(ctx)` in layer order (lower
layers first, see LAYER_ORDER), each in its own transaction, and finally prints
the logins collected in `ctx.logins`.

The context (`DemoContext`) is how the apps hand data up the layers:

* ``ctx.rng``        random.Random seeded from `--seed` (same seed, same demo)
* ``ctx.password``   the password of every demo user (default luoshi-demo-2024)
* ``ctx.today``      timezone.localdate() when the demo started
* ``ctx.log(msg)``   one line of progress on stdout ("units: 180 …"); ``ctx.warn(msg)`` one on stderr
* ``ctx.unit(name)`` the Unit matching a full/short name or alias (set by orgs/demo.py)
* ``ctx.add_user(username, role, unit_name, display_name, **fields)``  a demo user with ctx.password,
                     audited and listed in the printed logins (set by accounts/demo.py)
* ``ctx.users``      username -> User of every demo user
* ``ctx.logins``     rows (username, role, unit name, display name) printed at the end
* anything else an app wants to share (``ctx.tasks``, ``ctx.supervisor``, …): plain attributes.
"""
from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

from .errors import LuoshiError

DEMO_PASSWORD = "luoshi-demo-2024"

# App labels from the bottom layer up; apps not listed here come after, in INSTALLED_APPS order.
LAYER_ORDER = ["core", "audit", "orgs", "accounts", "workcal", "notifications", "ledger", "supervision", "review",
               "cases", "petitions", "inspections", "assessment", "accountability", "public"]


@dataclass
class DemoContext:
    rng: random.Random
    password: str
    out: Any
    today: dt.date
    err: Any = None
    users: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)

    def log(self, message: str) -> None:
        self.out.write(message)

    def unit(self, name: str):  # replaced by orgs/demo.py
        raise LuoshiError("the demo has no unit tree (luoshi.orgs not installed?)", "演示数据缺少单位树")

    def warn(self, message: str) -> None:
        """A line on stderr (something the operator should know, e.g. files moved aside)."""
        (self.err or self.out).write(message)

    def add_user(self, username: str, role: str, unit_name: str | None, display_name: str, **extra):
        """Create a demo user (password ctx.password, audited, listed in the printed logins);
        provided by accounts/demo.py."""
        raise LuoshiError("the demo has no users app (luoshi.accounts not installed?)", "演示数据缺少用户模块")


def demo_modules() -> list:
    """(app label, demo module) of every installed app that has a demo.py, in layer order."""
    rank = {label: i for i, label in enumerate(LAYER_ORDER)}
    configs = [c for _, c in sorted(enumerate(apps.get_app_configs()),
                                    key=lambda ic: (rank.get(ic[1].label, len(LAYER_ORDER)), ic[0]))]
    found = []
    for config in configs:
        if not config.name.startswith("luoshi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "build"):
            found.append((config.label, module))
    return found


def build_demo(ctx: DemoContext) -> None:
    """Call build(ctx) of every app's demo.py in layer order, each in one transaction."""
    for _label, module in demo_modules():
        with transaction.atomic():
            module.build(ctx)
