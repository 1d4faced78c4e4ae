"""The sweep (`luoshi sweep`, supervision.tasks.sweep_task): lights of every open task,
notices for changed lights, report slots and escalation, idempotent for a date."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count

from luoshi.ledger.models import Task
from luoshi.workcal.services import current_calendar

from .bulk import apply_changes, refresh_summaries, sql_lights
from .common import DEFAULT_ACTIONS, EVALUATED, WORKING, _event, _retry, config, log, today
from .escalation import _policies, applies, notice_first, run_escalations, steps_for
from .lights import DateOutOfRange, Light, WorkdayIndex, light_for, sync_report_slots
from .models import Color, SupervisionNotice, SupervisionState
from .notices import _create_notice

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
    kinds: dict = field(default_factory=dict)  # other supervised kinds (supervision.kinds), e.g. overdue cases
    items: dict = field(default_factory=dict)  # notices/escalations on those kinds' overdue items (supervision.items)
    skipped: list = field(default_factory=list)  # rows that could not be evaluated (bad dates), reported

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "lights": self.lights, "notices_issued": self.notices_issued,
                "escalations": self.escalations, "findings": self.findings, "report_slots": self.report_slots,
                "tasks_checked": self.tasks_checked, "changed": len(self.changes), "changes": self.changes,
                "seconds": round(self.seconds, 3), "phases": self.phases,
                "audit_checkpoint": self.audit_checkpoint, "kinds": self.kinds, "items": self.items,
                "skipped": self.skipped}


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
        severe = light.color in (Color.YELLOW, Color.RED)
        default, by_tag = _policies()
        if light.color != Color.GREEN and (not severe or notice_first(steps_for(task.tags, default, by_tag),
                                                                      light.color)):
            try:
                with transaction.atomic():
                    notice = _create_notice(task, light=light.color, kind=SupervisionNotice.Kind.AUTO,
                                            reason=light.reason, required_action=DEFAULT_ACTIONS[Color(light.color)],
                                            on=on, light_since=on, calendar=cal, cfg=cfg)
            except IntegrityError:
                notice = None
        elif light.color == Color.GREEN:
            _event(task, "light", f"恢复绿灯:{light.reason}")
        return old or "none", notice


CHANGE_BATCH = 5000


def run_sweep(on: dt.date | None = None, *, settings: dict | None = None, progress=None,
              checkpoint: bool = True) -> SweepResult:
    """Recompute every open task's light on `on`; store changes, issue notices, escalate.

    Set-based: the colours are computed in SQL (bulk.sql_lights), green rows of new tasks are inserted
    in one statement, and only tasks whose light changes are written, in batches, each under the row
    locks of its tasks and re-checked there. Idempotent and safe to run concurrently: automatic notices
    are unique per (task, light, since), escalation steps per (task, episode, level).
    """
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
        try:
            light = light_for(status=status, assigned_on=assigned_on, deadline=deadline, progress=prog,
                              missing=missing.get(tid, 0), on=on, wd=wd, cfg=cfg)
        except (DateOutOfRange, OverflowError, ValueError) as exc:  # one bad row never stops the sweep
            result.skipped.append({"task_id": tid, "deadline": str(deadline), "assigned_on": str(assigned_on),
                                   "error": str(exc)})
            log.warning("sweep %s: task %s skipped (assigned %s, deadline %s): %s", on, tid, assigned_on,
                        deadline, exc)
            continue
        if light is not None and light.color != old:
            changed.append((tid, light))
    result.tasks_checked = Task.objects.filter(status__in=EVALUATED).count()
    phase("lights_python")

    numbers = {}
    done = 0
    default, by_tag = _policies()

    def first_step(task, color):
        """The first step of the chain when it is due the day an episode starts (run_escalations' rule)."""
        steps = steps_for(task.tags, default, by_tag)
        return steps[0] if steps and int(steps[0]["after_days"]) <= 0 and applies(steps[0], color) else None

    def with_notice(task, color):
        """A yellow/red change issues the colour 督办单 only when the ladder starts with it."""
        return notice_first(steps_for(task.tags, default, by_tag), color)

    stats = {"steps": 0}
    for i in range(0, len(changed), CHANGE_BATCH):
        batch = changed[i:i + CHANGE_BATCH]
        try:
            applied = _retry(apply_changes, batch, on, cal, cfg, first_step=first_step, stats=stats,
                             with_notice=with_notice) or []
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
    from .items import run_items

    result.items = run_items(on, cal, wd, cfg)
    for k in result.items.values():
        result.notices_issued += k.get("notices", 0)
        result.escalations += k.get("escalations", 0)
    phase("items")
    counts = dict(SupervisionState.objects.values_list("light").annotate(n=Count("id")).values_list("light", "n"))
    result.lights = {c: counts.get(c, 0) for c in Color.values}
    refresh_summaries(on, result.lights)
    phase("summaries")
    from .kinds import sweep_kinds

    result.kinds = sweep_kinds()
    phase("kinds")
    if checkpoint:  # a dry run (rolled back) must not anchor entries that will not exist
        result.audit_checkpoint = _audit_checkpoint()
    phase("audit_checkpoint")
    result.seconds = time.monotonic() - t0
    return result


def _audit_checkpoint() -> dict:
    """Anchor the audit chain after the sweep (luoshi.audit.anchor); a refusal is reported, never raised:
    the sweep's work stands, and `luoshi audit verify` names what is wrong."""
    from luoshi.audit.anchor import AuditAnchorError, write_checkpoint

    try:
        return write_checkpoint("sweep", check=False).as_dict()
    except (AuditAnchorError, OSError) as exc:
        log.error("audit checkpoint refused after the sweep: %s", exc)
        return {"error": str(exc)}
