"""Statistics per unit and period (the 通报 documents built on them: supervision.bulletins).

For a lead unit and a period [start, end], evaluated on `on` (default today):

* tasks            tasks the unit leads whose deadline falls in the period (suspended and draft excluded)
* on_time          closed on or before the deadline      → 按时办结率 = on_time / tasks
* late             closed after the deadline, or still not closed with the deadline before `on`
                                                        → 逾期率 = late / tasks
* avg_days_late    mean working days past the deadline of the late tasks (closed_on or `on`): the
                   one definition of 逾期天数 used by the ledger, 督办单 and 通报 too
* notices          notices addressed to the unit issued in the period
* extensions       approved extension requests of the unit decided in the period

Ranking: 按时办结率 descending, then 逾期率 ascending, then unit order.
Cards: 红牌 for a unit with a red-light task now, 黄牌 for one with a yellow (and no red).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from luoshi.ledger.models import ExtensionRequest, Status, Task
from luoshi.orgs.models import Unit

from luoshi.workcal.services import current_calendar

from luoshi.core.params import in_range

from .lights import WorkdayIndex
from .models import SupervisionNotice, SupervisionState


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def unit_stats(start: dt.date, end: dt.date, on: dt.date | None = None, units=None) -> list[dict]:
    on = on or timezone.localdate()
    qs = (Task.objects.exclude(status__in=(Status.DRAFT, Status.SUSPENDED))
          .filter(deadline__gte=start, deadline__lte=end))
    if units is not None:
        qs = qs.filter(lead_units__in=units)
    per: dict[int, dict] = defaultdict(lambda: {"tasks": 0, "on_time": 0, "late": 0, "days_late": 0})
    wd = WorkdayIndex(current_calendar())
    rows = qs.values_list("id", "status", "deadline", "closed_on", "lead_units")
    for _, status, deadline, closed_on, unit_id in rows:
        if unit_id is None or not in_range(deadline) or (closed_on and not in_range(closed_on)):
            continue  # a date outside 2000..2100 is refused on entry; a row written behind our back is skipped
        s = per[unit_id]
        s["tasks"] += 1
        if status == Status.CLOSED and closed_on and closed_on <= deadline:
            s["on_time"] += 1
        elif status == Status.CLOSED and closed_on and closed_on > deadline:
            s["late"] += 1
            s["days_late"] += wd.between(deadline, closed_on)
        elif status != Status.CLOSED and deadline < on:
            s["late"] += 1
            s["days_late"] += wd.between(deadline, on)
    notices = dict(SupervisionNotice.objects.filter(issued_on__gte=start, issued_on__lte=end)
                   .values_list("lead_unit").annotate(n=Count("id")).values_list("lead_unit", "n"))
    ext: dict[int, int] = defaultdict(int)
    tz = timezone.get_current_timezone()
    for unit_id, decided_at in (ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.APPROVED,
                                                                decided_at__isnull=False)
                                .values_list("unit_id", "decided_at")):
        if start <= timezone.localtime(decided_at, tz).date() <= end:
            ext[unit_id] += 1
    ids = set(per) | set(notices) | set(ext)
    names = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    out = []
    for uid in ids:
        s = per.get(uid, {"tasks": 0, "on_time": 0, "late": 0, "days_late": 0})
        u = names[uid]
        out.append({
            "unit_id": uid, "unit": u.name, "sort": (u.sort_order, u.pk),
            "tasks": s["tasks"], "on_time": s["on_time"], "late": s["late"],
            # No task due in the period: the rates are undefined, not 0 % (shown as —, ranked last).
            "on_time_rate": _rate(s["on_time"], s["tasks"]) if s["tasks"] else None,
            "overdue_rate": _rate(s["late"], s["tasks"]) if s["tasks"] else None,
            "avg_days_late": round(s["days_late"] / s["late"], 1) if s["late"] else 0.0,
            "notices": notices.get(uid, 0), "extensions": ext.get(uid, 0),
        })
    out.sort(key=lambda r: (r["tasks"] == 0, -(r["on_time_rate"] or 0), r["overdue_rate"] or 0, r["sort"]))
    for i, r in enumerate(out, start=1):
        r["rank"] = i
        r["on_time_rate_pct"] = "—" if r["on_time_rate"] is None else f"{r['on_time_rate'] * 100:.1f}%"
        r["overdue_rate_pct"] = "—" if r["overdue_rate"] is None else f"{r['overdue_rate'] * 100:.1f}%"
        del r["sort"]
    return out


def light_totals(units: set[int] | None = None) -> dict:
    """Light counts over all open tasks as of the last sweep (LightTotals; live count before the first one).

    `units` (a luoshi.core.scope.unit_scope answer): None = the whole city, else the sum over
    those lead units' rows of lights_by_unit."""
    from .models import Color, LightTotals

    if units is not None:
        rows = lights_by_unit(units=units)
        return {c: sum(r[c] for r in rows) for c in Color.values}
    head = LightTotals.objects.filter(id=1).first()
    if head is not None and head.swept_on is not None:
        return {c: getattr(head, c) for c in Color.values}
    counts = dict(SupervisionState.objects.values_list("light").annotate(n=Count("id")).values_list("light", "n"))
    return {c: counts.get(c, 0) for c in Color.values}


def lights_by_unit(limit: int | None = None, units: set[int] | None = None) -> list[dict]:
    """Current light counts per lead unit, most red/yellow first.

    Reads UnitLights, which every sweep rewrites (lights only change in the sweep); before the first
    sweep with summaries it groups the light rows live."""
    from .models import LightTotals, UnitLights

    if LightTotals.objects.filter(id=1, swept_on__isnull=False).exists():
        qs = UnitLights.objects.all() if units is None else UnitLights.objects.filter(unit_id__in=units)
        qs = (qs.select_related("unit")
              .order_by("-red", "-yellow", "-blue", "unit__name"))
        if limit:
            qs = qs[:limit]
        return [{"unit_id": r.unit_id, "unit": r.unit.name, "green": r.green, "blue": r.blue,
                 "yellow": r.yellow, "red": r.red} for r in qs]
    counts: dict[int, dict] = defaultdict(lambda: {"green": 0, "blue": 0, "yellow": 0, "red": 0})
    for unit_id, light, n in (SupervisionState.objects.values_list("task__lead_units", "light")
                              .annotate(n=Count("id")).values_list("task__lead_units", "light", "n")):
        if unit_id is not None and (units is None or unit_id in units):
            counts[unit_id][light] += n
    names = dict(Unit.objects.filter(pk__in=counts).values_list("id", "name"))
    rows = [{"unit_id": uid, "unit": names[uid], **c} for uid, c in counts.items()]
    rows.sort(key=lambda r: (-r["red"], -r["yellow"], -r["blue"], r["unit"]))
    return rows[:limit] if limit else rows


def weekly_trend(end: dt.date, weeks: int = 12, units: set[int] | None = None) -> dict:
    """Notices issued per ISO week (Monday start) and colour, the last `weeks` weeks up to `end`
    (to the lead units in `units` only, unless None)."""
    last_monday = end - dt.timedelta(days=end.weekday())
    mondays = [last_monday - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    series = {c: [0] * weeks for c in ("blue", "yellow", "red")}
    notices = SupervisionNotice.objects.all() if units is None else SupervisionNotice.objects.filter(
        lead_unit_id__in=units)
    for issued_on, light, n in (notices.filter(issued_on__gte=mondays[0], issued_on__lte=end)
                                .values_list("issued_on", "light").annotate(n=Count("id"))
                                .values_list("issued_on", "light", "n").order_by()):
        idx = (issued_on - mondays[0]).days // 7
        if light in series and 0 <= idx < weeks:
            series[light][idx] += n
    return {"weeks": [m.isoformat() for m in mondays], "series": series}
