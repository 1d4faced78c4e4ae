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
from django.db.models import Count, Q

from luoshi.audit.services import record, record_many

from . import limits
from .models import OPEN_STATUSES, UNIT_CLOCK_STATUSES, Petition


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
    """What one sweep did. red/blue/green: petitions whose light CHANGED to that colour; `lights`: the
    counts of running limits by colour after the sweep; new_backlog: petitions newly listed as 积案;
    reminded: reminders sent to 包案 leaders; escalations: supervision escalation steps taken."""

    on: dt.date
    red: int = 0
    blue: int = 0
    green: int = 0
    new_backlog: int = 0
    reminded: int = 0
    escalations: int = 0
    notices: int = 0
    supervision: dict = field(default_factory=dict)
    lights: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "open": sum(self.lights.values()), "lights": self.lights,
                "changed": {"red": self.red, "blue": self.blue, "green": self.green},
                "new_backlog": self.new_backlog, "reminded": self.reminded, "notices": self.notices,
                "escalations": self.escalations, "deferred": self.supervision.get("deferred", 0),
                "seconds": self.seconds}


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
        new = list(running.filter(deadline__lt=on, backlog=False).values_list("id", "number", "status"))
        if new:
            # the reason names the limit that ran out: 受理告知, 办理, 复查 or 复核 (超过复查期限未办结 …)
            reason = {st: f"超过{STAGE_LIMIT.get(st, '办理')}期限未办结" for st in {x[2] for x in new}}
            for st, why in reason.items():
                ids = [i for i, _, s in new if s == st]
                for k in range(0, len(ids), 5000):
                    Petition.objects.filter(id__in=ids[k:k + 5000]).update(
                        backlog=True, backlog_since=on, backlog_reason=why)
            record_many({"actor": "系统", "action": "petition.backlog", "object_type": "petitions.petition",
                         "object_id": i, "object_repr": n, "summary": f"{n} 超期未办结,列入积案",
                         "after": {"on": on, "reason": reason[st]}} for i, n, st in new)
        res.new_backlog = len(new)
    res.seconds["backlog"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    res.reminded = _remind(on)
    res.seconds["reminders"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    res.supervision = supervise(on)
    res.escalations = res.supervision.get("escalations", 0)
    res.notices = res.supervision.get("notices", 0)
    res.seconds["supervision"] = round(time.perf_counter() - t0, 3)
    counts = dict(running.order_by().values_list("light").annotate(n=Count("id")).values_list("light", "n"))
    res.lights = {c: counts.get(c, 0) for c in ("green", "blue", "red")}
    record("系统", "petition.sweep", object_type="petitions.sweep", object_id=on.isoformat(),
           summary=f"信访扫描 {on}: 红{res.red} 蓝{res.blue} 新增积案{res.new_backlog} 提醒{res.reminded} "
                   f"督办单{res.notices} 升级督办{res.escalations}",
           after={"red": res.red, "blue": res.blue, "green": res.green, "new_backlog": res.new_backlog,
                  "reminded": res.reminded, "notices": res.notices, "escalations": res.escalations})
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


def petition_lights(now=None, units=None) -> dict[int, dict[str, int]]:
    """The supervised-kind view of petitions (registered as kind "petitions" in supervision.kinds):
    {handling_unit_id: {"red": n, "yellow": n, "green": n}} over the petitions whose limit runs on their unit
    (受理告知 and 办理: models.UNIT_CLOCK_STATUSES; 复查/复核 are the higher office's, not the unit's).
    red 逾期 (the running limit has passed), yellow 临期 (at most `warn_days` working days left — the
    petition's own "blue"), green otherwise; computed from the deadlines in one GROUP BY (not from the
    stored lights, so it holds even before today's petition sweep). Counts only: no petitioner data.
    `units`: only these handling units' ids (None = every unit) — the pages' scoped view (lights_in)."""
    from django.utils import timezone

    now = now or timezone.now()
    on = timezone.localdate(now) if isinstance(now, dt.datetime) else now
    cutoff = blue_cutoff(on, limits.config()["warn_days"])
    qs = Petition.objects.filter(status__in=UNIT_CLOCK_STATUSES, deadline__isnull=False, handling_unit__isnull=False)
    if units is not None:
        qs = qs.filter(handling_unit_id__in=units)
    rows = (qs.order_by().values("handling_unit_id")
            .annotate(red=Count("id", filter=Q(deadline__lt=on)),
                      yellow=Count("id", filter=Q(deadline__gte=on, deadline__lt=cutoff)),
                      green=Count("id", filter=Q(deadline__gte=cutoff))))
    return {r["handling_unit_id"]: {"red": r["red"], "yellow": r["yellow"], "green": r["green"]} for r in rows}


STAGE_LIMIT = {"registered": "受理告知", "handling": "办理", "review": "复查", "recheck": "复核"}


def _end_of(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def overdue_petitions(now=None):
    """The supervised kind's overdue items (supervision.kinds.OverdueItem), oldest limit first: every
    petition with a handling unit whose limit running on that unit (受理告知 or 办理: UNIT_CLOCK_STATUSES)
    ended before today. An overdue 复查/复核 is the higher office's (信访工作条例 第三十五、三十六条): it
    lights the petition and lists it as 积案 but sends the handling unit no 督办单. `since` (the escalation
    episode) is the day after the limit, so a new limit (e.g. the 办理 limit extended) starts a new ladder. Label = number and 信访事由, reason = which limit ran out: never the petitioner (the unit
    concerned receives them)."""
    from django.utils import timezone

    from luoshi.supervision.kinds import OverdueItem

    now = now or timezone.now()
    on = timezone.localdate(now) if isinstance(now, dt.datetime) else now
    rows = (Petition.objects.filter(status__in=UNIT_CLOCK_STATUSES, deadline__lt=on, handling_unit__isnull=False)
            .order_by("deadline", "id").values_list("id", "handling_unit_id", "deadline", "number", "title", "status")
            .iterator(chunk_size=5000))
    for pk, unit_id, deadline, number, title, status in rows:
        yield OverdueItem(source_id=pk, number=number, label=f"{number} {title[:80]}", unit_id=unit_id,
                          deadline=_end_of(deadline), since=deadline + dt.timedelta(days=1),
                          url=f"/petitions/{pk}/",
                          reason=f"信访事项{number}{STAGE_LIMIT.get(status, '办理')}期限{deadline:%Y-%m-%d}已过,尚未办结")


def supervision_event(petition_id: int, kind: str, text: str, actor=None) -> None:
    """A supervision step on a petition (督办单 issued/answered, escalation): on its 办理过程."""
    from .models import PetitionEvent

    # petitions are never deleted (PROTECT everywhere), so no existence check: one INSERT per step
    PetitionEvent.objects.create(petition_id=petition_id, kind=f"supervision.{kind}"[:24], note=text[:2000],
                                 actor=actor if getattr(actor, "pk", None) else None)


def supervise(on: dt.date) -> dict:
    """The supervision engine's notices and escalation for overdue petitions as of `on` (luoshi.supervision.
    items.run_kind: a red 督办单 when a petition turns overdue, then the ladder); also run by `luoshi sweep`.
    Returns its stats {"overdue", "notices", "escalations", "deferred"} ({} when the kind is not registered)."""
    from luoshi.supervision.common import config
    from luoshi.supervision.items import run_kind
    from luoshi.supervision.kinds import get_kind
    from luoshi.supervision.lights import WorkdayIndex
    from luoshi.workcal.services import current_calendar

    kind = get_kind("petitions")
    if kind is None:
        return {}
    cal = current_calendar()
    return run_kind(kind, on, cal, WorkdayIndex(cal), config(), now=_end_of(on))
