"""What every part of the supervision engine shares: its configuration, today's date,
the statuses the clock runs for, the default notice wording and small write helpers.

Configuration: settings.LUOSHI_SUPERVISION (a dict, all keys optional) —
warn_days (3), behind_margin (20), reply_days (5, working days to answer a notice),
rectify_days (10, working days for 限期整改)."""
from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings as dj_settings
from django.db import OperationalError
from django.utils import timezone

from luoshi.ledger.models import Status, Task, TaskEvent

from .models import Color

log = logging.getLogger("luoshi.supervision")

DEFAULTS = {"warn_days": 3, "behind_margin": 20, "reply_days": 5, "rectify_days": 10}

# Statuses the clock runs for. Completion requested / under review: green (the unit says it is done).
EVALUATED = (Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED,
             Status.UNDER_REVIEW)
WORKING = (Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS)

DEFAULT_ACTIONS = {
    Color.BLUE: "请对照完成时限抓紧推进,确保按期办结,并及时报送办理进展。",
    Color.YELLOW: "请分析进度滞后原因,制定赶进度措施,在回复期限内书面回复并补报进展。",
    Color.RED: "请立即组织整改,说明逾期原因、责任人和完成时间,在回复期限内书面回复;确需延期的依程序申请。",
}


def red_reason(deadline: dt.date, late: int) -> str:
    """The reason of a red (逾期) light: 已逾期N个工作日(完成时限YYYY-MM-DD), N counted in working days
    after the deadline up to the day asked about (the one definition of 逾期天数)."""
    return f"已逾期{late}个工作日(完成时限{deadline:%Y-%m-%d})"


def reason_now(state, task, on: dt.date | None = None, calendar=None) -> str:
    """The reason of `state` (a SupervisionState) as of `on` (default today). A red light's stored reason
    is the figure of the day it turned red; this restates it with `on`'s figure. Other lights keep theirs.
    `calendar`: a workcal calendar or a lights.WorkdayIndex (for lists: one shared index)."""
    from luoshi.core.params import in_range

    deadline = getattr(task, "deadline", None)
    on = on or today()
    if state.light != Color.RED or not deadline or on <= deadline or not (in_range(deadline) and in_range(on)):
        return state.reason
    if calendar is None:
        from luoshi.workcal.services import current_calendar

        calendar = current_calendar()
    count = getattr(calendar, "between", None) or calendar.working_days_between
    return red_reason(deadline, count(deadline, on))


def config(overrides: dict | None = None) -> dict:
    cfg = dict(DEFAULTS)
    cfg.update(getattr(dj_settings, "LUOSHI_SUPERVISION", {}) or {})
    cfg.update(overrides or {})
    return cfg


def today() -> dt.date:
    return timezone.localdate()


# ---- helpers -------------------------------------------------------------------

def _retry(fn, *args, attempts: int = 8, **kwargs):
    """Run a write transaction, retrying when SQLite reports the database locked."""
    for i in range(attempts):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or i == attempts - 1:
                raise
            time.sleep(0.05 * (i + 1))
    return None


def _event(task: Task, kind: str, note: str, actor=None, unit=None) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, from_status=task.status, to_status=task.status,
                                    actor=actor if getattr(actor, "pk", None) else None,
                                    unit=unit or getattr(actor, "unit", None), note=note)


def _ordered_units(qs):
    return list(qs.order_by("sort_order", "id"))
