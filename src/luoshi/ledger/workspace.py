"""Panels that higher layers add to the unit workspace (本单位工作台, /workspace/).

The ledger knows no supervision model; luoshi.supervision registers its 督办单 panel in
AppConfig.ready():

    from luoshi.ledger.workspace import register_panel
    register_panel("notices", notices_panel)

`panel(user)` returns a list of sections ``{"key", "title", "rows": [{"number", "url", "title",
"note", "tag"}]}`` for that user's unit (empty list: nothing to show).
"""
from __future__ import annotations

from typing import Callable

PANELS: dict[str, Callable] = {}


def register_panel(key: str, panel: Callable) -> None:
    """Add (or replace) a workspace panel."""
    PANELS[key] = panel


def sections_for(user) -> list[dict]:
    out: list[dict] = []
    for panel in PANELS.values():
        out.extend(panel(user) or [])
    return out


# ---- facts that higher layers add to the task page ---------------------------------------------------
# luoshi.supervision registers the task's light (督办灯色) with its reason as of today:
#     register_task_fact("supervision.light", light_fact)
# `fact(user, task)` returns a list of {"label", "text", "css"} (empty: nothing to show).

TASK_FACTS: dict[str, Callable] = {}


def register_task_fact(key: str, fact: Callable) -> None:
    """Add (or replace) a line of the task page's 任务信息."""
    TASK_FACTS[key] = fact


def task_facts(user, task) -> list[dict]:
    out: list[dict] = []
    for fact in TASK_FACTS.values():
        out.extend(fact(user, task) or [])
    return out
