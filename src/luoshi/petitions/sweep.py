"""The daily petition sweep: lights of the running limits, 积案 entry, reminders to 包案 leaders.

Lights follow supervision's rule (`luoshi.supervision.lights.light_for` with no progress lag):
red (逾期) when the limit now running (`Petition.deadline`: 受理告知, 办理, 复查 or 复核) has passed;
blue (临期) when at most `warn_days` working days are left; green otherwise. The sweep applies that rule
with two date cut-offs in SQL (equivalent, tested against light_for), so 200,000 petitions take a few
UPDATE statements. A petition past its limit enters the 积案 list (reason 超期未办结).
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from luoshi.audit.services import record, record_many

from . import limits
from .models import OPEN_STATUSES, Petition


def _wd():
    from luoshi.supervision.lights import WorkdayIndex
    from luoshi.workcal.services import current_calendar

    return WorkdayIndex(current_calendar())


def petition_light(p: Petition, on: dt.date, *, wd=None, cfg: dict | None = None) -> str:
    """The light of one petition on `on` through supervision's light_for (green when no limit runs)."""
    from luoshi.supervision.common import config as sv_config
    from luoshi.supervision.lights import light_for

    if p.status not in OPEN_STATUSES or not p.deadline:
        return "green"
    cfg = cfg or limits.config()
    light = light_for(status="in_progress", assigned_on=p.accepted_on or p.received_on, deadline=p.deadline,
                      progress=100, missing=0, on=on, wd=wd or _wd(),
                      cfg={**sv_config(), "warn_days": cfg["warn_days"]})
    return str(light.color) if light else "green"


def blue_cutoff(on: dt.date, warn_days: int, calendar=None) -> dt.date:
    """First deadline that is NOT blue: deadlines d with on <= d < cutoff have ≤ warn_days working days left."""
    if calendar is None:
        from luoshi.workcal.services import current_calendar

        calendar = current_calendar()
    return calendar.add_working_days(on, warn_days + 1)


@dataclass
class SweepResult:
    on: dt.date
    red: int = 0
    blue: int = 0
    green: int = 0
    new_backlog: int = 0
    reminded: int = 0
    seconds: dict = field(default_factory=dict)


def run_petition_sweep(on: dt.date | None = None, *, cfg: dict | None = None) -> SweepResult:
    """Relight every open petition, list the newly overdue ones as 积案, remind 包案 leaders of blue/red
    limits once per limit and colour. Idempotent for a given day."""
    from django.utils import timezone

    on = on or timezone.localdate()
    cfg = cfg or limits.config()
    res = SweepResult(on)
    cutoff = blue_cutoff(on, cfg["warn_days"])
    running = Petition.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False)
    t0 = time.perf_counter()
    with transaction.atomic():
        res.red = running.filter(deadline__lt=on).exclude(light="red").update(light="red")
        res.blue = running.filter(deadline__gte=on, deadline__lt=cutoff).exclude(light="blue").update(light="blue")
        res.green = Petition.objects.filter(Q(deadline__gte=cutoff) | Q(deadline__isnull=True) |
                                            ~Q(status__in=OPEN_STATUSES)).exclude(light="green").update(light="green")
    res.seconds["lights"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    with transaction.atomic():
        new = list(running.filter(deadline__lt=on, backlog=False).values_list("id", "number"))
        if new:
            ids = [i for i, _ in new]
            for k in range(0, len(ids), 5000):
                Petition.objects.filter(id__in=ids[k:k + 5000]).update(
                    backlog=True, backlog_since=on, backlog_reason="超过办理期限未办结")
            record_many({"actor": "系统", "action": "petition.backlog", "object_type": "petitions.petition",
                         "object_id": i, "object_repr": n, "summary": f"{n} 超期未办结,列入积案",
                         "after": {"on": on, "reason": "超过办理期限未办结"}} for i, n in new)
        res.new_backlog = len(new)
    res.seconds["backlog"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    res.reminded = _remind(on)
    res.seconds["reminders"] = round(time.perf_counter() - t0, 3)
    record("系统", "petition.sweep", object_type="petitions.sweep", object_id=on.isoformat(),
           summary=f"信访扫描 {on}: 红{res.red} 蓝{res.blue} 新增积案{res.new_backlog} 提醒{res.reminded}",
           after={"red": res.red, "blue": res.blue, "green": res.green, "new_backlog": res.new_backlog})
    return res


def _remind(on: dt.date) -> int:
    from .services import _notify

    n = 0
    qs = (Petition.objects.filter(status__in=OPEN_STATUSES, owner_leader__isnull=False, light__in=("blue", "red"))
          .select_related("owner_leader"))
    with transaction.atomic():
        for p in qs.iterator(chunk_size=2000):
            key = f"{p.deadline}:{p.light}"
            if p.reminded == key:
                continue
            word = "已超期" if p.light == "red" else "即将到期"
            _notify([p.owner_leader], kind="petition.reminder",
                    title=f"【包案提醒】{p.number} {word}(期限{p.deadline:%Y-%m-%d})",
                    body=f"{p.title}\n当前状态:{p.get_status_display()}", url=f"/petitions/{p.pk}/")
            Petition.objects.filter(pk=p.pk).update(reminded=key)
            n += 1
    return n
