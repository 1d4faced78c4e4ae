"""The supervision overview (`/supervision/`, 督办总览): what a 督查员, a 领导 or a unit needs on one page,
always within what the user may read (luoshi.core.scope through visible_tasks / visible_notices).

overview(user, on) -> {
  "lights":      {"green": n, "blue": n, "yellow": n, "red": n}   current lights of the open tasks in scope
  "awaiting":    [SupervisionNotice] (≤ 10, earliest reply-by first) 督办单 not yet answered: 待签收,
                 已签收 or 回复被退回; each with .late (reply-by passed) — "awaiting_count" the total
  "due_week":    [Task] (≤ 20) open tasks whose deadline falls in this week (Monday..Sunday of `on`),
                 "due_week_count" the total
  "month":       {"start", "end", "due": n, "on_time": n, "rate": "87.5%" or "—"}: 本月按时办结率 =
                 tasks due from the 1st of the month to `on` (not draft/suspended) closed on or before
                 their deadline, over those tasks (the statistics' definition, supervision.stats)
  "reds":        [SupervisionState] (≤ 10) red tasks, longest overdue first, with .reason_now (today's
                 已逾期N个工作日)
  "kinds":       the other supervised kinds' lights (信访事项, 诉求案件 …) in the user's scope of each kind's
                 domain: supervision.kinds.scoped_kind_lights (counts and unit names only)
}
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count

from luoshi.ledger.models import OPEN_STATUSES, Status
from luoshi.ledger.permissions import visible_tasks

from .kinds import scoped_kind_lights
from .lights import with_reasons_now
from .models import Color, SupervisionNotice, SupervisionState
from .notices import visible_notices

AWAITING = (SupervisionNotice.State.ISSUED, SupervisionNotice.State.ACKNOWLEDGED,
            SupervisionNotice.State.REJECTED)


def overview(user, on: dt.date) -> dict:
    tasks = visible_tasks(user)
    states = SupervisionState.objects.filter(task__in=tasks.values("id"))
    counts = dict(states.values_list("light").annotate(n=Count("id")).values_list("light", "n").order_by())
    lights = {c: counts.get(c, 0) for c in Color.values}

    awaiting_qs = (visible_notices(user).filter(state__in=AWAITING).select_related("task", "lead_unit")
                   .order_by("reply_by", "id"))
    awaiting = list(awaiting_qs[:10])
    scope_unit = getattr(user, "unit_id", None) if getattr(user, "is_liaison", False) else None
    for n in awaiting:
        n.late = n.reply_by < on
        n.for_reading = bool(scope_unit and n.lead_unit_id != scope_unit)  # copied only: 供参阅

    monday = on - dt.timedelta(days=on.weekday())
    sunday = monday + dt.timedelta(days=6)
    week_qs = (tasks.filter(status__in=OPEN_STATUSES, deadline__gte=monday, deadline__lte=sunday)
               .prefetch_related("lead_units").order_by("deadline", "id"))

    start = on.replace(day=1)
    due = tasks.exclude(status__in=(Status.DRAFT, Status.SUSPENDED)).filter(deadline__gte=start, deadline__lte=on)
    n_due = due.count()
    on_time = sum(1 for closed_on, deadline in due.filter(status=Status.CLOSED, closed_on__isnull=False)
                  .values_list("closed_on", "deadline") if closed_on <= deadline)
    rate = f"{on_time / n_due * 100:.1f}%" if n_due else "—"

    reds = with_reasons_now(states.filter(light=Color.RED).select_related("task")
                            .prefetch_related("task__lead_units").order_by("task__deadline", "task_id")[:10], on)
    return {"lights": lights, "awaiting": awaiting, "awaiting_count": awaiting_qs.count(),
            "due_week": list(week_qs[:20]), "due_week_count": week_qs.count(), "monday": monday, "sunday": sunday,
            "month": {"start": start, "end": on, "due": n_due, "on_time": on_time, "rate": rate},
            "reds": reds, "on": on, "kinds": scoped_kind_lights(user, top=5)}
