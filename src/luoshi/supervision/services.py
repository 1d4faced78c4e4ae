"""Supervision engine: the clock and lights, report slots, three-colour notices,
escalation, rectification. Views, API, CLI (`luoshi sweep`) and the background
task (`supervision.tasks.sweep_task`) all call the functions here.

Lights (灯色) of an open task on a date `on`:

* red    (逾期)  `on` is after the deadline;
* yellow (滞后)  reported progress lags the expected progress (序时进度: share of the
                 working days from 交办 to the deadline already elapsed) by more than
                 `behind_margin` points, or a required periodic report (定期报送) is missing;
* blue   (临期)  at most `warn_days` working days are left until the deadline;
* green  (正常)  otherwise. A task whose completion is under review is green.

Configuration: settings.LUOSHI_SUPERVISION (a dict, all keys optional) —
warn_days (3), behind_margin (20), reply_days (5, working days to answer a notice),
rectify_days (10, working days for 限期整改).
"""
from __future__ import annotations

import calendar as pycal
import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings as dj_settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, NotAllowed, check_plain_text, deny
from luoshi.ledger.models import ProgressReport, Status, Task, TaskEvent
from luoshi.core.scope import unit_scope
from luoshi.orgs.models import Unit
from luoshi.workcal.services import current_calendar

from .models import (COLOR_ORDER, Color, Escalation, EscalationPolicy, Finding, NoticeCounter,
                     RectificationItem, ReportSlot, SupervisionNotice, SupervisionState)

log = logging.getLogger(__name__)

DEFAULTS = {"warn_days": 3, "behind_margin": 20, "reply_days": 5, "rectify_days": 10}

# Statuses the clock runs for. Completion requested / under review: green (the unit says it is done).
EVALUATED = (Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED,
             Status.UNDER_REVIEW)
WORKING = (Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS)

DEFAULT_STEPS = [
    {"kind": "remind", "label": "提醒", "after_days": 0},
    {"kind": "urge", "label": "催办", "after_days": 3},
    {"kind": "notice", "label": "督办单", "after_days": 3},
    {"kind": "listed", "label": "挂牌督办", "after_days": 5},
    {"kind": "interview", "label": "约谈/问责建议", "after_days": 5},
]
STEP_KINDS = {s["kind"] for s in DEFAULT_STEPS}


def config(overrides: dict | None = None) -> dict:
    cfg = dict(DEFAULTS)
    cfg.update(getattr(dj_settings, "LUOSHI_SUPERVISION", {}) or {})
    cfg.update(overrides or {})
    return cfg


def today() -> dt.date:
    return timezone.localdate()


# ---- working-day index ---------------------------------------------------------

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
        late = wd.between(deadline, on)
        return Light(Color.RED, f"已超过完成时限({deadline:%Y-%m-%d}){late}个工作日未办结",
                     expected, progress, missing, days_left)
    if missing:
        return Light(Color.YELLOW, f"定期进展缺报{missing}次", expected, progress, missing, days_left)
    if deadline and expected - progress > cfg["behind_margin"]:
        return Light(Color.YELLOW, f"实际进度{progress}%落后序时进度{expected}%", expected, progress, missing,
                     days_left)
    if deadline and days_left <= cfg["warn_days"]:
        return Light(Color.BLUE, f"距完成时限({deadline:%Y-%m-%d})仅剩{days_left}个工作日", expected,
                     progress, missing, days_left)
    return Light(Color.GREEN, "按期推进", expected, progress, missing, days_left)


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



def visible_notices(user, qs=None):
    """督查员/管理员 see all notices; a unit's users see the notices addressed or copied to their unit
    (领导: their unit's subtree)."""
    qs = SupervisionNotice.objects.all() if qs is None else qs
    scope = unit_scope(user)
    if scope is None:
        return qs
    return qs.filter(Q(lead_unit__in=scope) | Q(copy_units__in=scope)).distinct()


# ---- notices -------------------------------------------------------------------

def _next_number(year: int) -> tuple[int, str]:
    NoticeCounter.objects.get_or_create(year=year)
    counter = NoticeCounter.objects.select_for_update().get(year=year)
    used = SupervisionNotice.objects.filter(year=year).order_by("-seq").values_list("seq", flat=True).first() or 0
    counter.last = max(counter.last, used) + 1
    counter.save(update_fields=["last"])
    return counter.last, f"督办〔{year}〕第{counter.last:04d}号"


DEFAULT_ACTIONS = {
    Color.BLUE: "请对照完成时限抓紧推进,确保按期办结,并及时报送办理进展。",
    Color.YELLOW: "请分析进度滞后原因,制定赶进度措施,在回复期限内书面回复并补报进展。",
    Color.RED: "请立即组织整改,说明逾期原因、责任人和完成时间,在回复期限内书面回复;确需延期的依程序申请。",
}


def _create_notice(task: Task, *, light: str, kind: str, reason: str, required_action: str, on: dt.date,
                   actor=None, light_since: dt.date | None = None, reply_days: int | None = None,
                   calendar=None, cfg=None) -> SupervisionNotice:
    from .bulk import issue_notices

    if not task.lead_units.exists():
        raise LuoshiError("the task has no lead unit", "该任务没有牵头单位")
    with transaction.atomic():
        return issue_notices([{"task": task, "light": light, "kind": kind, "reason": reason,
                               "required_action": required_action, "light_since": light_since}],
                             on, calendar or current_calendar(), cfg or config(), actor=actor,
                             reply_days=reply_days)[0]


@transaction.atomic
def do_issue_notice(actor, task: Task, *, light: str, reason: str, required_action: str = "",
                    on: dt.date | None = None, reply_days: int | None = None) -> SupervisionNotice:
    """督查员 issues a notice by hand."""
    if not actor.sees_everything:
        deny("issue supervision notices", "签发督办单")
    if light not in (Color.BLUE, Color.YELLOW, Color.RED):
        raise LuoshiError("light must be blue, yellow or red", "督办单颜色应为蓝、黄、红之一", field="light")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in EVALUATED:
        raise LuoshiError("notices go to open tasks only", "只能对办理中的任务签发督办单")
    reason = check_plain_text(reason, "督办事由", "reason", max_length=2000, required=True)
    action = check_plain_text(required_action, "整改要求", "required action", max_length=2000) \
        or DEFAULT_ACTIONS[Color(light)]
    if reply_days is not None and not 1 <= int(reply_days) <= 60:
        raise LuoshiError("reply days must be between 1 and 60", "回复期限应为1到60个工作日", field="reply_days")
    return _create_notice(task, light=light, kind=SupervisionNotice.Kind.MANUAL, reason=reason,
                          required_action=action, on=on or today(), actor=actor, reply_days=reply_days)


def _lead_liaison_of(actor, notice: SupervisionNotice) -> bool:
    return bool(actor.is_liaison and actor.unit_id == notice.lead_unit_id)


@transaction.atomic
def do_acknowledge_notice(actor, notice: SupervisionNotice) -> SupervisionNotice:
    """签收: the addressed unit acknowledges the notice."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not _lead_liaison_of(actor, notice):
        deny("acknowledge this notice", "签收此督办单")
    if notice.state != SupervisionNotice.State.ISSUED:
        raise LuoshiError("this notice has already been acknowledged", "该督办单已签收")
    notice.state = SupervisionNotice.State.ACKNOWLEDGED
    notice.acknowledged_at, notice.acknowledged_by = timezone.now(), actor
    notice.save()
    _event(notice.task, "notice_ack", f"签收{notice.title_zh}{notice.number}", actor=actor)
    record(actor, "notice.acknowledge", notice, summary=f"签收{notice.number}")
    return notice


@transaction.atomic
def do_answer_notice(actor, notice: SupervisionNotice, answer: str, on: dt.date | None = None) -> SupervisionNotice:
    """回复: the addressed unit answers (acknowledging first if it had not)."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not _lead_liaison_of(actor, notice):
        deny("answer this notice", "回复此督办单")
    S = SupervisionNotice.State
    if notice.state not in (S.ISSUED, S.ACKNOWLEDGED, S.REJECTED):
        raise LuoshiError("this notice has already been answered", "该督办单已回复")
    answer = check_plain_text(answer, "回复内容", "answer", max_length=10000, required=True)
    if notice.state == S.ISSUED:
        notice.acknowledged_at, notice.acknowledged_by = timezone.now(), actor
    notice.state, notice.answer, notice.answered_on, notice.answered_by = S.ANSWERED, answer, on or today(), actor
    notice.save()
    _event(notice.task, "notice_answer", f"回复{notice.title_zh}{notice.number}:{answer[:500]}", actor=actor)
    record(actor, "notice.answer", notice, summary=f"回复{notice.number}", after={"answer": answer})
    from .notify import notify_supervisors

    notify_supervisors(notice.task, kind="notice.answered", title=f"{notice.lead_unit.display_name}已回复{notice.number}",
                       body=answer[:300], notice=notice)
    return notice


@transaction.atomic
def do_review_answer(actor, notice: SupervisionNotice, *, accept: bool, note: str = "") -> SupervisionNotice:
    """督查员 accepts the answer, or sends it back (the escalation chain then resumes)."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not actor.sees_everything:
        deny("review notice answers", "审核督办单回复")
    if notice.state != SupervisionNotice.State.ANSWERED:
        raise LuoshiError("only an answered notice can be reviewed", "只有已回复的督办单可以审核")
    note = check_plain_text(note, "审核意见", "note", max_length=5000, required=not accept)
    notice.state = SupervisionNotice.State.ACCEPTED if accept else SupervisionNotice.State.REJECTED
    notice.review_note = note
    notice.save()
    _event(notice.task, "notice_review", ("认可" if accept else "退回") + f"{notice.number}的回复" +
           (f":{note}" if note else ""), actor=actor)
    record(actor, "notice.review", notice, after={"accept": accept, "note": note})
    if not accept:
        from .notify import notify_notice

        notify_notice(notice, "notice.rejected")
    return notice


# ---- escalation ----------------------------------------------------------------

def clean_steps(steps) -> list[dict]:
    if not isinstance(steps, list) or not steps:
        raise LuoshiError("steps must be a non-empty list", "升级步骤不能为空", field="steps")
    out = []
    for s in steps:
        kind = s.get("kind") if isinstance(s, dict) else None
        if kind not in STEP_KINDS:
            raise LuoshiError(f"unknown escalation step {kind!r}; use {sorted(STEP_KINDS)}",
                              f"未知的升级措施“{kind}”", field="steps")
        try:
            gap = int(s.get("after_days", 0))
        except (TypeError, ValueError):
            gap = -1
        if not 0 <= gap <= 250:
            raise LuoshiError("after_days must be 0-250 working days", "间隔应为0到250个工作日", field="steps")
        label = check_plain_text(s.get("label") or next(d["label"] for d in DEFAULT_STEPS if d["kind"] == kind),
                                 "措施名称", "label", max_length=40)
        out.append({"kind": kind, "label": label, "after_days": gap})
    return out


@transaction.atomic
def do_save_policy(actor, *, name: str, tag: str = "", steps) -> EscalationPolicy:
    if not actor.sees_everything:
        deny("configure escalation", "配置升级督办策略")
    steps = clean_steps(steps)
    name = check_plain_text(name, "名称", "name", max_length=100, required=True)
    tag = check_plain_text(tag, "标签", "tag", max_length=30)
    policy, _ = EscalationPolicy.objects.update_or_create(tag=tag, defaults={"name": name, "steps": steps})
    record(actor, "escalation.policy", policy, after={"name": name, "tag": tag, "steps": steps})
    return policy


def _policies() -> tuple[list[dict], dict[str, list[dict]]]:
    default, by_tag = DEFAULT_STEPS, {}
    for p in EscalationPolicy.objects.all():
        if p.tag:
            by_tag[p.tag] = p.steps
        else:
            default = p.steps
    return default, by_tag


def steps_for(tags, default, by_tag) -> list[dict]:
    for t in tags or []:
        if t in by_tag:
            return by_tag[t]
    return default


def _take_step(task_id: int, episode: dt.date, level: int, step: dict, on: dt.date, cal, cfg) -> Escalation | None:
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task_id)
        state = SupervisionState.objects.filter(task=task).first()
        if state is None or state.episode_since != episode:
            return None
        if Escalation.objects.filter(task=task, episode_since=episode, level=level).exists():
            return None
        lead = _ordered_units(task.lead_units.all())
        unit = lead[0] if lead else None
        notice = None
        kind, label = step["kind"], step["label"]
        from .notify import notify_unit, notify_leaders

        if kind == "notice":
            notice = _create_notice(task, light=state.light, kind=SupervisionNotice.Kind.ESCALATION,
                                    reason=f"经{label}前措施后仍未有效回复:{state.reason}",
                                    required_action=DEFAULT_ACTIONS[Color(state.light)], on=on, calendar=cal,
                                    cfg=cfg)
        elif kind == "listed":
            state.listed, state.listed_on = True, on
            state.save(update_fields=["listed", "listed_on"])
        try:
            with transaction.atomic():
                esc = Escalation.objects.create(task=task, episode_since=episode, level=level, kind=kind,
                                                label=label, on=on, unit=unit, notice=notice)
        except IntegrityError:
            transaction.set_rollback(True)
            return None
        _event(task, "escalation", f"升级督办第{level}级:{label}({state.reason})", unit=unit)
        record("系统", "escalation.step", esc, object_type="supervision.escalation",
               summary=f"{task.number} {label}", after={"level": level, "kind": kind, "episode": episode})
        if kind in ("remind", "urge", "listed"):
            notify_unit(task, kind=f"escalation.{kind}", title=f"【{label}】{task.number} {task.title[:60]}",
                        body=state.reason)
        if kind == "interview":
            notify_leaders(task, kind="escalation.interview", title=f"【约谈/问责建议】{task.number}",
                           body=f"{unit.display_name if unit else ''}:{state.reason},经多次督办仍未有效整改,建议约谈或问责。")
        return esc


def _answered_since(states_qs, on) -> dict[int, dt.date]:
    """Latest answered_on (answer pending review or accepted) per task of `states_qs`, up to `on`."""
    out = {}
    rows = (SupervisionNotice.objects.filter(task_id__in=states_qs.values("task_id"), answered_on__isnull=False,
                                             answered_on__lte=on,
                                             state__in=(SupervisionNotice.State.ANSWERED,
                                                        SupervisionNotice.State.ACCEPTED))
            .values_list("task_id", "answered_on"))
    for tid, d in rows:
        if tid not in out or d > out[tid]:
            out[tid] = d
    return out


STEP_BATCH = 1000


def run_escalations(on: dt.date, cal, wd: WorkdayIndex, cfg) -> int:
    """Advance the chain of every yellow/red task that has no adequate answer since its last step."""
    from .bulk import take_steps

    default, by_tag = _policies()
    severe = SupervisionState.objects.filter(light__in=(Color.YELLOW, Color.RED), episode_since__isnull=False,
                                             episode_since__lte=on)
    states = list(severe.values_list("task_id", "episode_since", "task__tags").order_by("task_id"))
    if not states:
        return 0
    last: dict[int, tuple[int, dt.date, dt.date]] = {}
    for tid, ep, level, d in (Escalation.objects.filter(task_id__in=severe.values("task_id"))
                              .values_list("task_id", "episode_since", "level", "on")):
        cur = last.get(tid)
        if cur is None or (ep, level) > (cur[2], cur[0]):
            last[tid] = (level, d, ep)
    answered = _answered_since(severe, on)
    due = []
    for tid, episode, tags in states:
        steps = steps_for(tags, default, by_tag)
        prev = last.get(tid)
        if prev and prev[2] == episode:
            level, anchor = prev[0], prev[1]
        else:
            level, anchor = 0, episode
        if level >= len(steps):
            continue
        if level > 0 and answered.get(tid) and answered[tid] >= anchor:
            continue  # the unit answered after the last step: the chain waits
        step = steps[level]
        if wd.between(anchor, on) < int(step["after_days"]):
            continue
        due.append((tid, episode, level + 1, step))
    taken = 0
    for i in range(0, len(due), STEP_BATCH):
        batch = due[i:i + STEP_BATCH]
        try:
            taken += _retry(take_steps, batch, on, cal, cfg) or 0
        except IntegrityError:  # a concurrent sweep took some of these steps: one at a time
            for tid, episode, level, step in batch:
                if _retry(_take_step, tid, episode, level, step, on, cal, cfg):
                    taken += 1
    return taken


# ---- the sweep -----------------------------------------------------------------

@dataclass
class SweepResult:
    on: dt.date
    lights: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    notices_issued: int = 0
    escalations: int = 0
    findings: int = 0
    report_slots: int = 0
    tasks_checked: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)  # seconds per phase, for benchmarks and logs
    audit_checkpoint: dict = field(default_factory=dict)  # the checkpoint taken at the end, or {"error": …}

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "lights": self.lights, "notices_issued": self.notices_issued,
                "escalations": self.escalations, "findings": self.findings, "report_slots": self.report_slots,
                "tasks_checked": self.tasks_checked, "changed": len(self.changes), "changes": self.changes,
                "seconds": round(self.seconds, 3), "phases": self.phases,
                "audit_checkpoint": self.audit_checkpoint}


def _apply_change(task_id: int, light: Light, on: dt.date, cal, cfg) -> tuple[str | None, SupervisionNotice | None]:
    """Store a changed light under the task's row lock; issue the automatic notice. Returns (old colour, notice)
    or (None, None) when another sweep got there first."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task_id)
        state = SupervisionState.objects.select_for_update().filter(task=task).first()
        if state is not None and (state.light == light.color or state.since > on):
            return None, None
        old = state.light if state is not None else None
        if state is None:
            state = SupervisionState(task=task)
        severe = light.color in (Color.YELLOW, Color.RED)
        if not severe:
            state.episode_since = None
        elif old not in (Color.YELLOW, Color.RED) or state.episode_since is None:
            state.episode_since = on
        if light.color in (Color.GREEN, Color.BLUE):
            state.listed, state.listed_on = False, None
        state.light, state.since, state.reason = light.color, on, light.reason[:300]
        state.expected_progress, state.missing_reports = light.expected, light.missing_reports
        try:
            with transaction.atomic():
                state.save()
        except IntegrityError:  # a concurrent sweep created the row first
            transaction.set_rollback(True)
            return None, None
        notice = None
        if light.color != Color.GREEN:
            try:
                with transaction.atomic():
                    notice = _create_notice(task, light=light.color, kind=SupervisionNotice.Kind.AUTO,
                                            reason=light.reason, required_action=DEFAULT_ACTIONS[Color(light.color)],
                                            on=on, light_since=on, calendar=cal, cfg=cfg)
            except IntegrityError:
                notice = None
        else:
            _event(task, "light", f"恢复绿灯:{light.reason}")
        return old or "none", notice


CHANGE_BATCH = 5000


def run_sweep(on: dt.date | None = None, *, settings: dict | None = None, progress=None) -> SweepResult:
    """Recompute every open task's light on `on`; store changes, issue notices, escalate.

    Set-based: the colours are computed in SQL (bulk.sql_lights), green rows of new tasks are inserted
    in one statement, and only tasks whose light changes are written, in batches, each under the row
    locks of its tasks and re-checked there. Idempotent and safe to run concurrently: automatic notices
    are unique per (task, light, since), escalation steps per (task, episode, level).
    """
    from .bulk import apply_changes, refresh_summaries, sql_lights

    t0 = time.monotonic()
    on = on or today()
    cfg = config(settings)
    cal = current_calendar()
    wd = WorkdayIndex(cal)
    result = SweepResult(on=on)
    mark = [time.monotonic()]

    def phase(name):
        now = time.monotonic()
        result.phases[name] = round(now - mark[0], 3)
        mark[0] = now

    slots = sync_report_slots(on, cal)
    result.report_slots, result.findings = slots["slots"], slots["findings"]
    missing = slots["missing"]

    # Tasks the clock no longer runs for lose their light.
    SupervisionState.objects.exclude(task__status__in=EVALUATED).delete()
    phase("report_slots")

    _, candidates = sql_lights(on, wd, cfg, missing, EVALUATED, WORKING)
    phase("lights_sql")
    changed: list[tuple[int, Light]] = []
    for tid, status, assigned_on, deadline, prog, old in candidates:
        light = light_for(status=status, assigned_on=assigned_on, deadline=deadline, progress=prog,
                          missing=missing.get(tid, 0), on=on, wd=wd, cfg=cfg)
        if light is not None and light.color != old:
            changed.append((tid, light))
    result.tasks_checked = Task.objects.filter(status__in=EVALUATED).count()
    phase("lights_python")

    numbers = {}
    done = 0
    default, by_tag = _policies()

    def first_step(task):
        """The first step of the chain when it is due the day an episode starts (run_escalations' rule)."""
        steps = steps_for(task.tags, default, by_tag)
        return steps[0] if steps and int(steps[0]["after_days"]) <= 0 else None

    stats = {"steps": 0}
    for i in range(0, len(changed), CHANGE_BATCH):
        batch = changed[i:i + CHANGE_BATCH]
        try:
            applied = _retry(apply_changes, batch, on, cal, cfg, first_step=first_step, stats=stats) or []
        except IntegrityError:  # a concurrent writer got in the way: one task at a time
            applied = []
            for tid, light in batch:
                old, notice = _retry(_apply_change, tid, light, on, cal, cfg) or (None, None)
                if old is not None:
                    applied.append((tid, old, light, notice))
        if len(result.changes) < 1000:
            numbers.update(Task.objects.filter(id__in=[a[0] for a in applied[:1000]]).values_list("id", "number"))
        for tid, old, light, notice in applied:
            if notice is not None:
                result.notices_issued += 1
            if len(result.changes) < 1000:
                result.changes.append({"task": numbers.get(tid, str(tid)), "from": old, "to": light.color,
                                       "reason": light.reason, "notice": notice.number if notice else None})
        done += len(batch)
        if progress:
            progress(done)
    phase("changes")
    result.escalations = stats["steps"] + run_escalations(on, cal, wd, cfg)
    phase("escalations")
    counts = dict(SupervisionState.objects.values_list("light").annotate(n=Count("id")).values_list("light", "n"))
    result.lights = {c: counts.get(c, 0) for c in Color.values}
    refresh_summaries(on, result.lights)
    phase("summaries")
    result.audit_checkpoint = _audit_checkpoint()
    phase("audit_checkpoint")
    result.seconds = time.monotonic() - t0
    return result


def _audit_checkpoint() -> dict:
    """Anchor the audit chain after the sweep (luoshi.audit.anchor); a refusal is reported, never raised:
    the sweep's work stands, and `luoshi audit verify` names what is wrong."""
    from luoshi.audit.anchor import AuditAnchorError, write_checkpoint

    try:
        return write_checkpoint("sweep").as_dict()
    except (AuditAnchorError, OSError) as exc:
        log.error("audit checkpoint refused after the sweep: %s", exc)
        return {"error": str(exc)}


# ---- findings & rectification ----------------------------------------------------

@transaction.atomic
def do_record_finding(actor, task: Task, detail: str, on: dt.date | None = None) -> Finding:
    """督查员 records a problem found in an inspection (督查发现)."""
    if not actor.sees_everything:
        deny("record findings", "登记督查发现问题")
    detail = check_plain_text(detail, "问题描述", "detail", max_length=500, required=True)
    on = on or today()
    import uuid

    f = Finding.objects.create(task=task, kind=Finding.Kind.MANUAL, key=f"manual:{uuid.uuid4().hex[:24]}",
                               detail=detail, found_on=on)
    record(actor, "finding.create", f, after={"task": task.number, "detail": detail})
    return f


@transaction.atomic
def do_create_rectification(actor, finding: Finding, *, requirement: str = "", due: dt.date | None = None,
                            on: dt.date | None = None, unit: Unit | None = None) -> RectificationItem:
    """限期整改: turn a finding into an item the lead unit must fix by `due`."""
    if not actor.sees_everything:
        deny("order rectification", "下达限期整改")
    task = finding.task
    on = on or today()
    if unit is None:
        lead = _ordered_units(task.lead_units.all())
        unit = lead[0]
    due = due or current_calendar().add_working_days(on, int(config()["rectify_days"]))
    if due < on:
        raise LuoshiError("the rectification deadline is in the past", "整改时限早于今天", field="due")
    requirement = check_plain_text(requirement, "整改要求", "requirement", max_length=5000) or \
        f"针对“{finding.detail}”限期整改到位,并报送整改情况。"
    item = RectificationItem.objects.create(task=task, finding=finding, unit=unit, requirement=requirement,
                                            due=due, created_by=actor)
    _event(task, "rectification", f"下达限期整改(时限{due:%Y-%m-%d}):{requirement[:300]}", actor=actor)
    record(actor, "rectification.create", item, object_type="supervision.rectificationitem",
           after={"task": task.number, "unit": unit.name, "due": due, "requirement": requirement})
    from .notify import notify_unit

    notify_unit(task, kind="rectification", title=f"【限期整改】{task.number} 请于{due:%Y-%m-%d}前整改到位",
                body=requirement, units=[unit])
    return item


@transaction.atomic
def do_submit_rectification(actor, item: RectificationItem, report: str, on: dt.date | None = None
                            ) -> RectificationItem:
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not (actor.is_liaison and actor.unit_id == item.unit_id):
        deny("report on this rectification", "报送此整改事项")
    if item.state != RectificationItem.State.OPEN:
        raise LuoshiError("this rectification is not open", "该整改事项不在整改中状态")
    item.report = check_plain_text(report, "整改情况", "report", max_length=10000, required=True)
    item.state, item.submitted_on = RectificationItem.State.SUBMITTED, on or today()
    item.save()
    _event(item.task, "rectification_submit", f"报送整改情况:{item.report[:300]}", actor=actor)
    record(actor, "rectification.submit", item, object_type="supervision.rectificationitem",
           after={"report": item.report})
    return item


@transaction.atomic
def do_verify_rectification(actor, item: RectificationItem, *, accept: bool, note: str = "",
                            on: dt.date | None = None) -> RectificationItem:
    """验收: close the item, or send it back to 整改中 with a reason."""
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not actor.sees_everything:
        deny("verify rectifications", "验收整改事项")
    if item.state != RectificationItem.State.SUBMITTED:
        raise LuoshiError("only a submitted rectification can be verified", "只有已提交的整改事项可以验收")
    item.verify_note = check_plain_text(note, "验收意见", "note", max_length=5000, required=not accept)
    if accept:
        item.state, item.closed_on = RectificationItem.State.CLOSED, on or today()
    else:
        item.state = RectificationItem.State.OPEN
    item.save()
    _event(item.task, "rectification_verify", ("整改验收通过,销号" if accept else "整改未通过验收,退回:") +
           item.verify_note, actor=actor)
    record(actor, "rectification.verify", item, object_type="supervision.rectificationitem",
           after={"accept": accept, "note": item.verify_note})
    return item


# ---- notifications ---------------------------------------------------------------

@transaction.atomic
def do_mark_read(actor, ids=None) -> int:
    from .models import Notification

    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())


def notice_for_user(user, pk: int) -> SupervisionNotice:
    notice = visible_notices(user).filter(pk=pk).first()
    if notice is None:
        raise NotAllowed("no such notice or not yours", "督办单不存在或无权查看")
    return notice


__all__ = ["COLOR_ORDER", "Light", "compute_light", "run_sweep"]
