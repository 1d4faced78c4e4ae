"""Lights (灯色) and the working-day clock; periodic report slots (定期报送).

Lights (灯色) of an open task on a date `on`:

* red    (逾期)  `on` is after the deadline;
* yellow (滞后)  reported progress lags the expected progress (序时进度: share of the
                 working days from 交办 to the deadline already elapsed) by more than
                 `behind_margin` points, or a required periodic report (定期报送) is missing;
* blue   (临期)  at most `warn_days` working days are left until the deadline;
* green  (正常)  otherwise. A task whose completion is under review is green.
"""
from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from luoshi.core.params import MAX_DATE, MIN_DATE, in_range
from luoshi.ledger.models import ProgressReport, Task
from luoshi.workcal.services import current_calendar

from .common import EVALUATED, WORKING, config, reason_now, red_reason, today
from .models import Color, Finding, ReportSlot, SupervisionState

# ---- working-day index ---------------------------------------------------------

class DateOutOfRange(ValueError):
    """A date outside 2000..2100 (luoshi.core.params): no working-day arithmetic for it."""

    def __init__(self, day):
        super().__init__(f"date {day} is outside {MIN_DATE}..{MAX_DATE}")
        self.day = day


class WorkdayIndex:
    """O(1) working-day counts: ordinal(d) = working days in (base, d].

    between(a, b) == calendar.working_days_between(a, b) for any a, b.
    """

    def __init__(self, calendar):
        self.cal = calendar
        self.base: dt.date | None = None
        self.cum: list[int] = []

    def _build(self, lo: dt.date, hi: dt.date) -> None:
        self.base = lo
        cum, n, day = [0], 0, lo
        while day < hi:
            day += dt.timedelta(days=1)
            n += self.cal.is_workday(day)
            cum.append(n)
        self.cum = cum

    def ordinal(self, d: dt.date) -> int:
        if not in_range(d):  # 9999-12-31 would build millions of days, then overflow past date.max
            raise DateOutOfRange(d)
        if self.base is None or d < self.base or (d - self.base).days >= len(self.cum):
            lo = d - dt.timedelta(days=800)
            hi = d + dt.timedelta(days=800)
            if self.base is not None:
                lo = min(lo, self.base)
                hi = max(hi, self.base + dt.timedelta(days=len(self.cum) - 1))
            self._build(lo, hi)
        return self.cum[(d - self.base).days]

    def between(self, a: dt.date, b: dt.date) -> int:
        return self.ordinal(b) - self.ordinal(a)


# ---- lights --------------------------------------------------------------------

@dataclass(frozen=True)
class Light:
    color: str
    reason: str
    expected: int = 0           # 序时进度 %
    progress: int = 0
    missing_reports: int = 0
    days_left: int | None = None  # working days to the deadline (negative: overdue)

    @property
    def label(self) -> str:
        return Color(self.color).label


def light_for(*, status: str, assigned_on, deadline, progress: int, missing: int, on: dt.date,
              wd: WorkdayIndex, cfg: dict) -> Light | None:
    """The pure rule. None for tasks the clock does not run for (draft, closed, suspended)."""
    if status not in EVALUATED:
        return None
    if status not in WORKING:
        return Light(Color.GREEN, "已申请办结,待审核", 100, progress, 0, None)
    days_left = wd.between(on, deadline) if deadline else None
    expected = 0
    if deadline and assigned_on:
        total = wd.between(assigned_on, deadline)
        elapsed = max(0, wd.between(assigned_on, on))
        expected = 100 if total <= 0 else max(0, min(100, round(100 * elapsed / total)))
    if deadline and on > deadline:
        return Light(Color.RED, red_reason(deadline, wd.between(deadline, on)), expected, progress, missing,
                     days_left)
    if missing:
        return Light(Color.YELLOW, f"定期进展缺报{missing}次", expected, progress, missing, days_left)
    if deadline and expected - progress > cfg["behind_margin"]:
        return Light(Color.YELLOW, f"实际进度{progress}%落后序时进度{expected}%", expected, progress, missing,
                     days_left)
    if deadline and days_left <= cfg["warn_days"]:
        return Light(Color.BLUE, f"距完成时限({deadline:%Y-%m-%d})仅剩{days_left}个工作日", expected,
                     progress, missing, days_left)
    return Light(Color.GREEN, "按期推进", expected, progress, missing, days_left)


def with_reasons_now(states, on: dt.date | None = None) -> list:
    """Give each SupervisionState of `states` (task loaded) `reason_now`: its reason as of `on` (today) —
    a red light says today's 已逾期N个工作日, not the figure of the day it turned red."""
    states = list(states)
    wd = WorkdayIndex(current_calendar())
    on = on or today()
    for s in states:
        try:
            s.reason_now = reason_now(s, s.task, on, wd)
        except DateOutOfRange:
            s.reason_now = s.reason
    return states


def missing_reports(task: Task, on: dt.date) -> int:
    return ReportSlot.objects.filter(task=task, due__lt=on).filter(
        Q(fulfilled_on__isnull=True) | Q(fulfilled_on__gt=on)).count()


def compute_light(task: Task, on: dt.date | None = None, calendar=None, settings: dict | None = None,
                  *, missing: int | None = None, wd: WorkdayIndex | None = None) -> Light | None:
    """The light of `task` on `on` (default today), using its stored report slots."""
    on = on or today()
    cfg = config(settings)
    wd = wd or WorkdayIndex(calendar or current_calendar())
    if missing is None:
        missing = missing_reports(task, on) if task.recurrence else 0
    return light_for(status=task.status, assigned_on=task.assigned_on, deadline=task.deadline,
                     progress=task.progress, missing=missing, on=on, wd=wd, cfg=cfg)


# ---- recurring reports ---------------------------------------------------------

def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, pycal.monthrange(y, m)[1])


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def nominal_dues(recurrence: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Nominal report dates of a recurrence rule in (start, end] (before holiday shifting).

    monthly:D   day D of every month (month end if shorter)
    weekly:N    ISO weekday N (1 = Monday) of every week
    quarterly   last day of each quarter; quarterly:D day D of the month after each quarter
    yearly:M,M  last day of each listed month
    half-yearly 30 June and 31 December
    """
    kind, _, arg = recurrence.partition(":")
    out: list[dt.date] = []
    lo = start - dt.timedelta(days=40)  # holiday shifting may move an earlier date past start
    if kind == "monthly":
        d = int(arg)
        for y, m in _months(lo, end):
            out.append(dt.date(y, m, min(d, pycal.monthrange(y, m)[1])))
    elif kind == "weekly":
        n = int(arg)
        day = lo + dt.timedelta(days=(n - lo.isoweekday()) % 7)
        while day <= end:
            out.append(day)
            day += dt.timedelta(days=7)
    elif kind == "quarterly":
        for y, m in _months(lo, end + dt.timedelta(days=40)):
            if arg and m in (1, 4, 7, 10):
                out.append(dt.date(y, m, min(int(arg), pycal.monthrange(y, m)[1])))
            elif not arg and m in (3, 6, 9, 12):
                out.append(_month_end(y, m))
    elif kind == "yearly":
        months = {int(x) for x in arg.split(",")}
        out = [_month_end(y, m) for y, m in _months(lo, end) if m in months]
    elif kind == "half-yearly":
        out = [_month_end(y, m) for y, m in _months(lo, end) if m in (6, 12)]
    return sorted(d for d in out if lo < d <= end + dt.timedelta(days=40))


def report_dues(recurrence: str, start: dt.date, end: dt.date, calendar) -> list[dt.date]:
    """Due dates in (start, end]: a nominal date on a day off moves to the next working day."""
    if not recurrence:
        return []
    out = []
    for d in nominal_dues(recurrence, start, end):
        due = calendar.add_working_days(d, 0)
        if start < due <= end and due not in out:
            out.append(due)
    return out


def _report_dates(task_ids) -> dict[int, list[tuple[dt.date, int]]]:
    out: dict[int, list] = {}
    for tid, rid, at in (ProgressReport.objects.filter(task_id__in=task_ids)
                         .order_by("created_at", "id").values_list("task_id", "id", "created_at")):
        out.setdefault(tid, []).append((timezone.localdate(at), rid))
    return out


def sync_report_slots(on: dt.date, calendar, task_ids=None) -> dict:
    """Create the report slots due by `on`, mark fulfilled ones, record missed ones as findings.

    A slot (period_start, due] is fulfilled by the first progress report dated after
    period_start (on time when dated ≤ due, late otherwise). Returns
    {"slots": created, "findings": created, "missing": {task_id: count}}.
    """
    qs = Task.objects.filter(status__in=WORKING).exclude(recurrence="").exclude(assigned_on__isnull=True)
    if task_ids is not None:
        qs = qs.filter(id__in=task_ids)
    tasks = list(qs.values_list("id", "recurrence", "assigned_on", "deadline", "number"))
    if not tasks:
        return {"slots": 0, "findings": 0, "missing": {}}
    ids = [t[0] for t in tasks]
    existing: dict[int, dict[dt.date, ReportSlot]] = {}
    for slot in ReportSlot.objects.filter(task_id__in=ids):
        existing.setdefault(slot.task_id, {})[slot.due] = slot
    reports = _report_dates(ids)
    new_slots = []
    for tid, rule, start, deadline, _ in tasks:
        end = min(on, deadline) if deadline else on
        dues = report_dues(rule, start, end, calendar)
        prev = start
        for due in dues:
            if due not in existing.get(tid, {}):
                new_slots.append(ReportSlot(task_id=tid, due=due, period_start=prev))
            prev = due
    created = 0
    if new_slots:
        before = ReportSlot.objects.filter(task_id__in=ids).count()
        ReportSlot.objects.bulk_create(new_slots, ignore_conflicts=True)
        created = ReportSlot.objects.filter(task_id__in=ids).count() - before
    missing: dict[int, int] = {}
    numbers = {t[0]: t[4] for t in tasks}
    findings = []
    for slot in ReportSlot.objects.filter(task_id__in=ids, fulfilled_on__isnull=True).order_by("due"):
        if slot.due > on:
            continue
        hit = next(((d, rid) for d, rid in reports.get(slot.task_id, []) if slot.period_start < d <= on), None)
        if hit:
            ReportSlot.objects.filter(pk=slot.pk, fulfilled_on__isnull=True).update(
                fulfilled_on=hit[0], fulfilled_by_id=hit[1])
            continue
        if slot.due < on:
            missing[slot.task_id] = missing.get(slot.task_id, 0) + 1
            findings.append(Finding(task_id=slot.task_id, kind=Finding.Kind.MISSING_REPORT, key=f"slot:{slot.pk}",
                                    slot=slot, found_on=on,
                                    detail=f"{numbers[slot.task_id]} 应于{slot.due:%Y-%m-%d}报送的定期进展未报送"))
    n_findings = 0
    if findings:
        keys = [f.key for f in findings]
        before = Finding.objects.filter(key__in=keys).count()
        Finding.objects.bulk_create(findings, ignore_conflicts=True)
        n_findings = Finding.objects.filter(key__in=keys).count() - before
    return {"slots": created, "findings": n_findings, "missing": missing}


def light_fact(user, task) -> list[dict]:
    """The task page's 督办灯色 line (registered with luoshi.ledger.workspace): the light, its reason as of
    today and 挂牌督办 — for anyone who may read the task (the page has checked that)."""
    state = SupervisionState.objects.filter(task=task).first()
    if state is None:
        return []
    try:
        why = reason_now(state, task)
    except DateOutOfRange:
        why = state.reason
    text = f"{state.get_light_display()}:{why}" + (",挂牌督办" if state.listed else "")
    return [{"label": "督办灯色", "text": text, "css": f"fact-light-{state.light}"}]
