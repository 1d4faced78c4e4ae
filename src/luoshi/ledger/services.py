"""Every write to the ledger goes through one `do_…` function here, called alike
by the views, the API, the CLI, the demo and the scheduler. Each checks
permission and state, writes in one transaction, adds a timeline event and an
audit entry, and raises LuoshiError (with English and Chinese text) otherwise."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.core.params import check_deadline, parse_number
from luoshi.notifications.services import enqueue_webhook, notify_units
from luoshi.orgs.models import Unit
from luoshi.orgs.services import subtree_ids
from luoshi.workcal.services import current_calendar

from .models import (OPEN_STATUSES, ExtensionRequest, Instruction, Priority, ProgressReport, PublicKind, Source,
                     SourceKind, Status, Target, Task, TaskEvent)
from .permissions import can_read, can_supervise, is_co_liaison, is_lead_liaison

TASK_FIELDS = ["number", "title", "requirement", "source", "section", "parent", "lead_units", "co_units",
               "responsible_leader", "deadline", "deadline_working_days", "deadline_provisional",
               "original_deadline", "recurrence", "priority", "tags", "status", "progress",
               "assigned_on", "closed_on", "targets"]

_RECURRENCE = re.compile(r"^(monthly:(0?[1-9]|[12]\d|3[01])|quarterly(:\d{1,2})?|weekly:[1-7]|"
                         r"yearly:(0?[1-9]|1[0-2])(,(0?[1-9]|1[0-2]))*|half-yearly)$")


def today() -> dt.date:
    return timezone.localdate()



def _transition(task: Task, actor, kind: str, to_status: str | None, note: str = "",
                unit=None, allowed_from=None) -> TaskEvent:
    from_status = task.status
    if allowed_from is not None and from_status not in allowed_from:
        raise LuoshiError(
            f"cannot {kind} a task that is {Status(from_status).label} ({from_status})",
            f"当前状态为“{Status(from_status).label}”,不能执行此操作", field="status")
    if to_status:
        task.status = to_status
    return TaskEvent.objects.create(task=task, kind=kind, from_status=from_status,
                                    to_status=to_status or from_status, actor=actor,
                                    unit=unit or getattr(actor, "unit", None), note=note)


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _audit_task(actor, action: str, task: Task, before, summary: str = "") -> None:
    record(actor, action, task, before=before, after=snapshot(task, TASK_FIELDS), summary=summary)


def _tell_units(task: Task, *, kind: str, title: str, body: str = "", co: bool = True, units=None) -> int:
    """Reach the 单位联络员 of the task's lead units (and co-units when `co`) through
    luoshi.notifications (inbox, e-mail, …); see README "Notification events"."""
    if units is None:
        units = list(task.lead_units.all()) + (list(task.co_units.all()) if co else [])
    n = notify_units(units, kind=kind, title=title[:200], body=body, url=f"/tasks/{task.pk}/", obj=task)
    enqueue_webhook({"event": kind, "sent_at": timezone.localtime().isoformat(timespec="seconds"),
                     "task": {"id": task.pk, "number": task.number, "title": task.title,
                              "deadline": task.deadline.isoformat() if task.deadline else None,
                              "url": f"/tasks/{task.pk}/"},
                     "units": [u.name for u in units], "text": f"{title}\n{body}".strip()})
    return n


def _move(actor, task: Task, kind: str, to_status: str, *, allowed_from, note: str, summary: str,
          **fields) -> Task:
    """One state transition of a locked, permission-checked task: timeline event, save, audit entry."""
    before = snapshot(task, TASK_FIELDS)
    _transition(task, actor, kind, to_status, note=note, allowed_from=allowed_from)
    for name, value in fields.items():
        setattr(task, name, value)
    task.save()
    _audit_task(actor, f"task.{kind}", task, before, summary=summary)
    return task


# ---- sources -------------------------------------------------------------

@transaction.atomic
def do_create_source(actor, *, title: str, kind: str = SourceKind.SPEECH, date=None, issuer: str = "",
                     speaker: str = "", doc_number: str = "", text: str = "", attachment=None) -> Source:
    if not actor.sees_everything:
        deny("create sources", "登记任务来源")
    if kind not in SourceKind.values:
        raise LuoshiError(f"unknown source kind {kind!r}", f"未知的来源类型“{kind}”", field="kind")
    source = Source(
        kind=kind, date=date,
        title=check_plain_text(title, "来源标题", "source title", max_length=300, required=True),
        issuer=check_plain_text(issuer, "发文单位", "issuer", max_length=200),
        speaker=check_plain_text(speaker, "讲话人", "speaker", max_length=200),
        doc_number=check_plain_text(doc_number, "文号", "document number", max_length=100),
        text=check_plain_text(text, "正文", "text"), created_by=actor,
    )
    if attachment:
        source.attachment = attachment
    source.save()
    record(actor, "source.create", source, after=snapshot(source, ["kind", "title", "date", "issuer", "speaker",
                                                                   "doc_number"]))
    return source


# ---- tasks ---------------------------------------------------------------

def _clean_units(units, label_zh: str, label_en: str) -> list[Unit]:
    out = []
    for u in units or []:
        if not isinstance(u, Unit):
            try:
                u = Unit.objects.get(pk=int(u))
            except (Unit.DoesNotExist, ValueError, TypeError):
                raise LuoshiError(f"{label_en}: unknown unit {u!r}", f"{label_zh}:单位不存在", field=label_en)
        if not u.is_active:
            raise LuoshiError(f"{label_en}: unit {u.name!r} is inactive", f"{label_zh}:“{u.name}”已停用",
                              field=label_en)
        if u not in out:
            out.append(u)
    return out


def _clean_targets(targets) -> list[dict]:
    out = []
    for t in targets or []:
        metric = check_plain_text(t.get("metric"), "指标名称", "target metric", max_length=100, required=True)
        op = t.get("op") or ">="
        if op not in Target.Op.values:
            raise LuoshiError(f"target comparator must be one of {Target.Op.values}", "目标比较符无效", field="targets")
        try:
            value = Decimal(str(t.get("value")))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise LuoshiError(f"target value {t.get('value')!r} is not a number", f"目标值“{t.get('value')}”不是数字",
                              field="targets") from None
        # the column holds 16 digits, 4 after the point: |value| < 1e12 (luoshi.core.params)
        value = parse_number(value, "targets", "目标值").quantize(Decimal("0.0001"))
        _check_target_range(value, t.get("unit"), metric, "目标值", "target value", "targets",
                            negative_ok=not is_percent(t.get("unit")))
        out.append({"metric": metric, "op": op, "value": value,
                    "unit": check_plain_text(t.get("unit"), "单位", "target unit", max_length=20),
                    "text": check_plain_text(t.get("text"), "目标原文", "target text", max_length=300)})
    return out


MAX_TAGS = 20


def _clean_tags(tags) -> list[str]:
    """标签: plain text of at most 30 characters each, each once (first spelling kept), at most MAX_TAGS."""
    out: list[str] = []
    for t in tags or ():
        tag = check_plain_text("" if t is None else str(t), "标签", "tag", max_length=30)
        if tag and tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise LuoshiError(f"at most {MAX_TAGS} tags", f"标签最多{MAX_TAGS}个", field="tags")
    return out


def _clean_recurrence(value: str) -> str:
    value = (value or "").strip()
    if value and not _RECURRENCE.match(value):
        raise LuoshiError(f"recurrence {value!r} is not understood (e.g. monthly:28, quarterly)",
                          f"定期报送规则“{value}”无法识别(如 monthly:28 表示每月28日前)", field="recurrence")
    return value


def _apply_deadline(task: Task, start: dt.date) -> None:
    """Compute a working-day deadline from `start` and check the date is after it."""
    cal = current_calendar()
    if task.deadline_working_days:
        task.deadline = cal.add_working_days(start, task.deadline_working_days)
    if task.deadline:
        check_deadline(task.deadline, start)
        if task.deadline < start:
            raise LuoshiError(f"the deadline {task.deadline} is before the assignment date {start}",
                              f"完成时限({task.deadline})早于交办日期({start})", field="deadline")
        task.deadline_provisional = cal.is_provisional(start, task.deadline)
    else:
        task.deadline_provisional = False


def _check_subtask_units(parent: Task, units) -> None:
    """A lead unit's liaison gives a sub-task only to units under the parent's lead units (分解给下级单位);
    creation and every edit of a sub-task check the same rule."""
    allowed = set()
    for u in parent.lead_units.all():
        allowed |= subtree_ids(u.pk)
    outside = [u.name for u in units if u.pk not in allowed]
    if outside:
        raise LuoshiError(f"sub-tasks go to subordinate units only; not: {', '.join(outside)}",
                          f"只能分解给下级单位,以下单位不属于本单位:{'、'.join(outside)}", field="lead_units")


@transaction.atomic
def do_create_task(actor, *, title: str, lead_units, co_units=(), requirement: str = "", source=None,
                   section: str = "", responsible_leader: str = "", deadline: dt.date | None = None,
                   deadline_working_days: int | None = None, recurrence: str = "",
                   priority: int = Priority.NORMAL, tags=(), targets=(), parent: Task | None = None,
                   assign: bool = False) -> Task:
    """立项: register a new task (optionally 交办 at once)."""
    if parent is not None:
        if not (actor.sees_everything or is_lead_liaison(actor, parent)):
            deny("break down this task", "分解此任务")
        if parent.status not in OPEN_STATUSES:
            raise LuoshiError("sub-tasks can only be added to an open task", "只能对办理中的任务进行分解")
    elif not actor.sees_everything:
        deny("create tasks", "立项督办事项")
    lead = _clean_units(lead_units, "牵头单位", "lead units")
    co = _clean_units(co_units, "配合单位", "co-units")
    if not lead:
        raise LuoshiError("at least one lead unit is required", "至少需要一个牵头单位", field="lead_units")
    if set(lead) & set(co):
        raise LuoshiError("a unit cannot be both lead and co-unit", "同一单位不能既是牵头单位又是配合单位",
                          field="co_units")
    if parent is not None and not actor.sees_everything:
        _check_subtask_units(parent, lead + co)
    if deadline and deadline_working_days:
        raise LuoshiError("give either a deadline date or a number of working days, not both",
                          "完成时限请填写日期或工作日数,二者选一", field="deadline")
    if parent is not None and not deadline and not deadline_working_days and parent.deadline:
        deadline = parent.deadline  # a sub-task without its own deadline is due with its parent
    if deadline_working_days is not None and not (1 <= int(deadline_working_days) <= 3650):
        raise LuoshiError("working days must be between 1 and 3650", "工作日数应在1到3650之间",
                          field="deadline_working_days")
    check_deadline(deadline, today())
    if deadline and deadline < today() and not assign:
        raise LuoshiError(f"the deadline {deadline} is already past", f"完成时限({deadline})早于今天", field="deadline")
    try:
        priority = Priority(int(priority))
    except (ValueError, TypeError):
        raise LuoshiError("unknown priority", "重要程度无效", field="priority") from None
    clean_targets = _clean_targets(targets)
    task = Task(
        number=f"tmp-{uuid.uuid4().hex[:20]}",
        title=check_plain_text(title, "工作任务", "title", max_length=300, required=True),
        requirement=check_plain_text(requirement, "具体要求", "requirement", max_length=20000),
        source=source, parent=parent,
        section=check_plain_text(section, "所属章节", "section", max_length=500),
        responsible_leader=check_plain_text(responsible_leader, "责任领导", "responsible leader", max_length=100),
        deadline=deadline, deadline_working_days=deadline_working_days or None,
        recurrence=_clean_recurrence(recurrence), priority=priority,
        tags=_clean_tags(tags),
        created_by=actor,
    )
    if deadline:
        task.deadline_provisional = current_calendar().is_provisional(today(), deadline)
    task.save()
    task.number = f"DB{task.created_at:%Y}-{task.pk:05d}"
    task.save(update_fields=["number"])
    task.lead_units.set(lead)
    task.co_units.set(co)
    for t in clean_targets:
        Target.objects.create(task=task, **t)
    _transition(task, actor, "create", None, note="立项")
    _audit_task(actor, "task.create", task, None, summary=f"立项:{task.title}")
    if assign:
        task = do_assign_task(actor, task)
    return task


FIELD_LABELS = {"title": "工作任务", "requirement": "具体要求", "section": "所属章节", "lead_units": "牵头单位",
                "co_units": "配合单位", "responsible_leader": "责任领导", "deadline": "完成时限",
                "deadline_working_days": "完成时限(工作日)", "recurrence": "定期报送", "priority": "重要程度",
                "tags": "标签", "targets": "量化目标"}

EDITABLE = ["title", "requirement", "section", "responsible_leader", "deadline", "deadline_working_days",
            "recurrence", "priority", "tags"]


@transaction.atomic
def do_update_task(actor, task: Task, **changes) -> Task:
    """Edit a task's fields (supervisors only; deadline changes after 交办 go through 延期)."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("edit this task", "修改此任务")
    if task.status in (Status.CLOSED, Status.SUSPENDED):
        raise LuoshiError("a closed or suspended task cannot be edited", "已办结或已中止的任务不能修改")
    before = snapshot(task, TASK_FIELDS)
    unknown = set(changes) - set(EDITABLE) - {"lead_units", "co_units", "targets"}
    if unknown:
        names = "、".join(FIELD_LABELS.get(k, k) for k in sorted(unknown))
        raise LuoshiError(f"cannot change {', '.join(sorted(unknown))}", f"以下字段不能在此修改:{names}",
                          field=sorted(unknown)[0])
    if task.status != Status.DRAFT and ({"deadline", "deadline_working_days"} & set(changes)):
        raise LuoshiError("after assignment the deadline changes only through an extension",
                          "交办后修改完成时限请走延期申请", field="deadline")
    for key in ("title", "requirement", "section", "responsible_leader"):
        if key in changes:
            limit = {"title": 300, "section": 500, "responsible_leader": 100}.get(key, 20000)
            setattr(task, key, check_plain_text(changes[key], FIELD_LABELS[key], key, max_length=limit,
                                                required=key == "title"))
    if "recurrence" in changes:
        task.recurrence = _clean_recurrence(changes["recurrence"])
    if "priority" in changes:
        task.priority = Priority(int(changes["priority"]))
    if "tags" in changes:
        task.tags = _clean_tags(changes["tags"])
    if "deadline" in changes or "deadline_working_days" in changes:
        task.deadline = changes.get("deadline", task.deadline)
        task.deadline_working_days = changes.get("deadline_working_days", task.deadline_working_days) or None
        if task.deadline and task.deadline_working_days:
            raise LuoshiError("give either a deadline date or a number of working days, not both",
                              "完成时限请填写日期或工作日数,二者选一", field="deadline")
        check_deadline(task.deadline, task.assigned_on or today())
    task.save()
    if "lead_units" in changes or "co_units" in changes:
        lead = _clean_units(changes.get("lead_units", task.lead_units.all()), "牵头单位", "lead units")
        co = _clean_units(changes.get("co_units", task.co_units.all()), "配合单位", "co-units")
        if not lead:
            raise LuoshiError("at least one lead unit is required", "至少需要一个牵头单位", field="lead_units")
        if set(lead) & set(co):
            raise LuoshiError("a unit cannot be both lead and co-unit", "同一单位不能既是牵头单位又是配合单位")
        if task.parent_id and not actor.sees_everything:  # the same check as creation (do_create_task)
            _check_subtask_units(task.parent, list(lead) + list(co))
        task.lead_units.set(lead)
        task.co_units.set(co)
    if "targets" in changes:
        clean = _clean_targets(changes["targets"])
        task.targets.all().delete()  # targets are part of the task; the audit entry keeps the old ones
        for t in clean:
            Target.objects.create(task=task, **t)
    after = snapshot(task, TASK_FIELDS)
    changed = [FIELD_LABELS.get(k, k) for k in TASK_FIELDS if before.get(k) != after.get(k)]
    what = "修改:" + "、".join(changed) if changed else "修改任务信息(无变化)"
    _transition(task, actor, "update", None, note=what)
    _audit_task(actor, "task.update", task, before, summary=what)
    return task


@transaction.atomic
def do_assign_task(actor, task: Task, on: dt.date | None = None) -> Task:
    """交办: send the task to its units; a working-day deadline starts counting now."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("assign this task", "交办此任务")
    if not task.deadline and not task.deadline_working_days:
        raise LuoshiError("a task cannot be assigned without a deadline (a date or a number of working days)",
                          "交办前请填写完成时限(日期或工作日数)", field="deadline")
    before = snapshot(task, TASK_FIELDS)
    _transition(task, actor, "assign", Status.ASSIGNED, note="交办", allowed_from=(Status.DRAFT,))
    task.assigned_on = on or today()
    _apply_deadline(task, task.assigned_on)
    task.original_deadline = task.deadline
    task.save()
    _audit_task(actor, "task.assign", task, before, summary="交办")
    due = f"完成时限:{task.deadline:%Y-%m-%d}" if task.deadline else ""
    _tell_units(task, kind="task.assigned", title=f"【新交办】{task.number} {task.title[:80]}",
                body="\n".join(x for x in (task.requirement[:500], due) if x))
    return task


@transaction.atomic
def do_sign_task(actor, task: Task) -> Task:
    """签收: the lead unit's liaison acknowledges receipt."""
    task = _locked(task)
    if not is_lead_liaison(actor, task):
        deny("sign for this task", "签收此任务")
    return _move(actor, task, "sign", Status.SIGNED, allowed_from=(Status.ASSIGNED,), note="签收", summary="签收")


def _update_parent_rollup(task: Task) -> None:
    parent = task.parent
    if parent is None:
        return
    subs = list(parent.subtasks.exclude(status=Status.SUSPENDED).values_list("status", "progress"))
    if not subs:
        return
    rolled = round(sum(100 if s == Status.CLOSED else p for s, p in subs) / len(subs))
    if rolled != parent.progress and parent.status in OPEN_STATUSES:
        before = snapshot(parent, TASK_FIELDS)
        Task.objects.filter(pk=parent.pk).update(progress=rolled)
        parent.progress = rolled
        TaskEvent.objects.create(task=parent, kind="rollup", from_status=parent.status, to_status=parent.status,
                                 note=f"下级任务平均进度 {rolled}%")
        record("系统", "task.rollup", parent, before=before, after=snapshot(parent, TASK_FIELDS),
               summary=f"下级任务进度汇总为{rolled}%")
        _update_parent_rollup(parent)


@transaction.atomic
def do_report_progress(actor, task: Task, *, text: str, percent: int, problems: str = "",
                       next_steps: str = "", attachment=None, regress_reason: str = "") -> ProgressReport:
    """进展反馈: the lead unit or a co-unit reports; history is appended, never overwritten.

    percent: 0..100 (int). The lead unit's report sets the task's progress (完成进度); a co-unit's report
    is its own contribution (配合单位报送, `by_co_unit`) and never moves the task's progress.
    A percent below the reporter's previous figure (the task's progress for the lead unit, the co-unit's
    own last report for a co-unit) needs `regress_reason` (进度回退原因), else LuoshiError
    field="regress_reason"."""
    task = _locked(task)
    lead = is_lead_liaison(actor, task)
    if not (lead or is_co_liaison(actor, task)):
        deny("report on this task", "报送此任务进展")
    if task.status not in (Status.SIGNED, Status.IN_PROGRESS):
        msg_status = Status(task.status).label
        raise LuoshiError(f"progress can be reported only on a signed task in progress (now {task.status})",
                          f"任务当前状态为“{msg_status}”,签收后才能报送进展")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise LuoshiError("percent must be a whole number 0-100", "完成进度应为0到100的整数", field="percent") from None
    if not 0 <= percent <= 100:
        raise LuoshiError("percent must be between 0 and 100", "完成进度应在0到100之间", field="percent")
    if lead:
        previous = task.progress
    else:
        previous = (task.reports.filter(unit=actor.unit, by_co_unit=True).order_by("-created_at", "-id")
                    .values_list("percent", flat=True).first())
    regress_reason = check_plain_text(regress_reason, "进度回退原因", "regress reason", max_length=5000)
    if previous is not None and percent < previous and not regress_reason:
        raise LuoshiError(f"progress goes back from {previous}% to {percent}%: give the reason",
                          f"完成进度由{previous}%回退到{percent}%,请填写进度回退原因", field="regress_reason")
    if previous is None or percent >= previous:
        regress_reason = ""
    report = ProgressReport(
        task=task, unit=actor.unit, author=actor, percent=percent, by_co_unit=not lead,
        text=check_plain_text(text, "进展情况", "progress text", max_length=20000, required=True),
        problems=check_plain_text(problems, "存在问题", "problems", max_length=20000),
        next_steps=check_plain_text(next_steps, "下步打算", "next steps", max_length=20000),
        regress_reason=regress_reason,
    )
    if attachment:
        report.attachment = attachment
    report.save()
    before = snapshot(task, TASK_FIELDS)
    to_status = Status.IN_PROGRESS if lead else None
    back = f"(进度回退,原因:{regress_reason[:200]})" if regress_reason else ""
    if lead:
        note = f"报送进展 {percent}%{back}:{report.text[:200]}"
        summary = f"报送进展{percent}%" + ("(回退)" if regress_reason else "")
    else:
        note = f"配合单位报送:本单位承担部分完成{percent}%{back}:{report.text[:200]}"
        summary = f"配合单位报送(本单位承担部分{percent}%)"
    _transition(task, actor, "report", to_status, note=note)
    if lead:
        task.progress = percent
    task.save()
    record(actor, "report.create", report, after=snapshot(report, ["task", "unit", "text", "percent", "problems",
                                                                   "next_steps", "by_co_unit", "regress_reason"]))
    _audit_task(actor, "task.report", task, before, summary=summary)
    _update_parent_rollup(task)
    return report


def _clean_achieved(task: Task, achieved) -> dict[int, Decimal]:
    """{target id: achieved value} for every target of `task`; `achieved` maps target ids (int or str) or
    metric names to numbers. Every target needs one (目标完成值), else LuoshiError field="achieved"."""
    achieved = achieved or {}
    if not isinstance(achieved, dict):
        raise LuoshiError("achieved must map target ids to values", "目标完成值格式有误", field="achieved")
    out = {}
    for tg in task.targets.order_by("id"):
        raw = achieved.get(tg.pk, achieved.get(str(tg.pk), achieved.get(tg.metric)))
        if raw is None or str(raw).strip() == "":
            raise LuoshiError(f"give the achieved value of target {tg.metric!r}",
                              f"请填写“{tg.metric}”的目标完成值", field="achieved")
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise LuoshiError(f"achieved value {raw!r} of {tg.metric!r} is not a number",
                              f"“{tg.metric}”的目标完成值“{raw}”不是数字", field="achieved") from None
        value = parse_number(value, "achieved", "目标完成值").quantize(Decimal("0.0001"))
        _check_target_range(value, tg.unit, tg.metric, "目标完成值", "achieved value", "achieved",
                            negative_ok=tg.value < 0)
        out[tg.pk] = value
    return out


def is_percent(unit: str | None) -> bool:
    return (unit or "").strip() in ("%", "％", "百分比")


def _check_target_range(value: Decimal, unit, metric: str, label_zh: str, label_en: str, field: str, *,
                        negative_ok: bool = False) -> None:
    """A count or rate is never negative (unless its target itself is), and a percentage (unit %) is at
    most 100: −5 against "≥90%" or 100.1% are refused with a message naming the target."""
    if value < 0 and not negative_ok:
        raise LuoshiError(f"{label_en} of {metric!r} must not be negative ({value.normalize():f})",
                          f"“{metric}”的{label_zh}不能为负数(填写的是{value.normalize():f})", field=field)
    if is_percent(unit) and value > 100:
        raise LuoshiError(f"{label_en} of {metric!r} is a percentage: at most 100 ({value.normalize():f}%)",
                          f"“{metric}”的{label_zh}是百分比,不能超过100%(填写的是{value.normalize():f}%)",
                          field=field)


def target_met(tg: Target, achieved: Decimal) -> bool:
    a, v = achieved, tg.value
    return {">=": a >= v, "<=": a <= v, "=": a == v, ">": a > v, "<": a < v}[tg.op]


@transaction.atomic
def do_request_completion(actor, task: Task, note: str = "", achieved=None) -> Task:
    """申请办结: the lead unit says the work is done.

    note: 办结说明; required (LuoshiError field="note") when the task's progress is below 100 %: the unit
    explains why it asks to close a task that is not complete.
    achieved: {target id (or metric name): number}, the 目标完成值 of every quantitative target (量化目标);
    required for each target, stored on the target with today's date."""
    task = _locked(task)
    if not is_lead_liaison(actor, task):
        deny("request completion of this task", "申请办结此任务")
    open_subs = task.subtasks.exclude(status__in=(Status.CLOSED, Status.SUSPENDED)).count()
    if open_subs:
        raise LuoshiError(f"{open_subs} sub-task(s) are still open", f"还有{open_subs}项下级任务未办结")
    note = check_plain_text(note, "办结说明", "note", max_length=5000)
    if task.status in (Status.SIGNED, Status.IN_PROGRESS) and task.progress < 100 and not note:
        raise LuoshiError(f"progress is {task.progress}%: explain why the task should be closed below 100%",
                          f"当前完成进度为{task.progress}%,未达100%申请办结须填写办结说明(说明未完成部分及原因)",
                          field="note")
    values = _clean_achieved(task, achieved) if task.status in (Status.SIGNED, Status.IN_PROGRESS) else {}
    missed = [tg for tg in task.targets.order_by("id") if tg.pk in values and not target_met(tg, values[tg.pk])]
    if missed and not note:
        names = "、".join(f"“{tg.metric}”(目标{tg.get_op_display()}{tg.value.normalize():f}{tg.unit},"
                         f"完成{values[tg.pk].normalize():f}{tg.unit})" for tg in missed)
        raise LuoshiError(f"{len(missed)} target(s) not reached: explain in the note why the task should be closed",
                          f"量化目标未达到:{names},申请办结须填写办结说明(说明未达标原因)", field="note")
    done_text = []
    for tg in task.targets.order_by("id"):
        if tg.pk in values:
            tg.achieved, tg.achieved_on = values[tg.pk], today()
            tg.save(update_fields=["achieved", "achieved_on"])
            done_text.append(f"{tg.metric}:{tg.achieved_text}")
    text = note or "申请办结"
    if task.progress < 100 and task.status in (Status.SIGNED, Status.IN_PROGRESS):
        text = f"(完成进度{task.progress}%)" + text
    if done_text:
        text += "\n目标完成值:" + ";".join(done_text)
    return _move(actor, task, "request_completion", Status.COMPLETION_REQUESTED,
                 allowed_from=(Status.SIGNED, Status.IN_PROGRESS), note=text, summary="申请办结")


@transaction.atomic
def do_start_review(actor, task: Task) -> Task:
    """审核: the supervision office takes the completion request under review."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("review this task", "审核此任务")
    return _move(actor, task, "start_review", Status.UNDER_REVIEW, allowed_from=(Status.COMPLETION_REQUESTED,),
                 note="开始审核", summary="开始审核")


@transaction.atomic
def do_approve_completion(actor, task: Task, note: str = "", on: dt.date | None = None) -> Task:
    """办结(销号): the supervision office accepts the work as done."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("approve this task", "审核办结此任务")
    note = check_plain_text(note, "审核意见", "note", max_length=5000)
    _move(actor, task, "approve", Status.CLOSED, allowed_from=(Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
          note=note or "审核通过,办结销号", summary="办结销号", closed_on=on or today(), progress=100)
    _update_parent_rollup(task)
    return task


@transaction.atomic
def do_return_task(actor, task: Task, reason: str) -> Task:
    """退回: send a completion request back to the unit with a reason."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("return this task", "退回此任务")
    reason = check_plain_text(reason, "退回理由", "reason", max_length=5000, required=True)
    _move(actor, task, "return", Status.IN_PROGRESS, allowed_from=(Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
          note=reason, summary=f"退回:{reason[:100]}")
    _tell_units(task, kind="task.returned", title=f"【办结申请被退回】{task.number} {task.title[:80]}",
                body=f"退回理由:{reason}", co=False)
    return task


@transaction.atomic
def do_suspend_task(actor, task: Task, reason: str) -> Task:
    """中止: stop a task that no longer applies; it stays in the ledger."""
    task = _locked(task)
    if not can_supervise(actor, task):
        deny("suspend this task", "中止此任务")
    reason = check_plain_text(reason, "中止理由", "reason", max_length=5000, required=True)
    _move(actor, task, "suspend", Status.SUSPENDED, allowed_from=(Status.DRAFT, *OPEN_STATUSES), note=reason,
          summary=f"中止:{reason[:100]}")
    _update_parent_rollup(task)
    return task


@transaction.atomic
def do_request_extension(actor, task: Task, *, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    """延期申请: the lead unit asks for a later deadline."""
    task = _locked(task)
    if not is_lead_liaison(actor, task):
        deny("request an extension for this task", "为此任务申请延期")
    if task.status not in OPEN_STATUSES:
        raise LuoshiError("only an open task can be extended", "只有办理中的任务可以申请延期")
    if task.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise LuoshiError("an extension request is already pending", "已有待审批的延期申请")
    if not isinstance(new_deadline, dt.date):
        raise LuoshiError("the new deadline is not a valid date", "申请延至的日期无效", field="new_deadline")
    if task.deadline and new_deadline <= task.deadline:
        raise LuoshiError("the new deadline must be after the current one", "申请延至的日期应晚于当前完成时限",
                          field="new_deadline")
    if new_deadline < today():
        raise LuoshiError("the new deadline is in the past", "申请延至的日期已过", field="new_deadline")
    check_deadline(new_deadline, task.assigned_on or today(), "new_deadline", "申请延至的日期")
    req = ExtensionRequest.objects.create(
        task=task, unit=actor.unit, requested_by=actor, old_deadline=task.deadline, new_deadline=new_deadline,
        reason=check_plain_text(reason, "延期理由", "reason", max_length=5000, required=True))
    _transition(task, actor, "extension_request", None, note=f"申请延期至{new_deadline}:{req.reason}")
    record(actor, "extension.request", req, after={"task": task.number, "old_deadline": task.deadline,
                                                   "new_deadline": new_deadline, "reason": req.reason})
    return req


@transaction.atomic
def do_decide_extension(actor, req: ExtensionRequest, *, approve: bool, note: str = "") -> ExtensionRequest:
    """延期审批: approve (the original deadline is kept for statistics) or refuse."""
    req = ExtensionRequest.objects.select_for_update().get(pk=req.pk)
    task = _locked(req.task)
    if not can_supervise(actor, task):
        deny("decide on this extension", "审批此延期申请")
    if req.decision != ExtensionRequest.Decision.PENDING:
        raise LuoshiError("this request has already been decided", "该延期申请已审批")
    note = check_plain_text(note, "审批意见", "note", max_length=5000)
    before_task = snapshot(task, TASK_FIELDS)
    req.decision = ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REFUSED
    req.decided_by, req.decision_note, req.decided_at = actor, note, timezone.now()
    req.save()
    if approve:
        if task.original_deadline is None:
            task.original_deadline = task.deadline
        task.deadline = req.new_deadline
        task.deadline_working_days = None
        task.deadline_provisional = current_calendar().is_provisional(today(), req.new_deadline)
    _transition(task, actor, "extension_approved" if approve else "extension_refused", None,
                note=(f"同意延期至{req.new_deadline}" if approve else "不同意延期") + (f":{note}" if note else ""))
    task.save()
    record(actor, "extension.decide", req, after={"decision": req.decision, "note": note})
    if approve:
        _audit_task(actor, "task.extend", task, before_task, summary=f"延期至{req.new_deadline}")
    verdict = f"同意延期至{req.new_deadline:%Y-%m-%d}" if approve else "不同意延期"
    _tell_units(task, kind="task.extension_" + ("approved" if approve else "refused"),
                title=f"【延期申请】{task.number} {verdict}", body=note,
                units=[req.unit] if req.unit_id else None)
    return req


@transaction.atomic
def do_set_task_public(actor, task: Task, *, kind: str, note: str = "", on: dt.date | None = None) -> Task:
    """公开: the office (督查员/管理员) publishes a task on the citizen portal as 民生实事 or 公开承诺 with a
    public progress note — the only text of the task the portal shows besides its title, units, deadline,
    status and progress — or withdraws it (kind ""). Refused for draft tasks (nothing assigned yet)."""
    task = _locked(task)
    if not actor.sees_everything:
        deny("publish tasks on the public portal", "在公示网站公开督办事项")
    if kind not in PublicKind.values:
        raise LuoshiError(f"unknown public kind {kind!r}", "未知的公开类别", field="kind")
    if kind and task.status == Status.DRAFT:
        raise LuoshiError("a draft task cannot be published", "尚未交办的事项不能公开", field="kind")
    note = check_plain_text(note, "公开进展说明", "note", max_length=2000)
    before = {"public_kind": task.public_kind, "public_note": task.public_note}
    task.public_kind, task.public_note = kind, note if kind else ""
    task.public_updated_on = (on or today()) if kind else None
    task.save(update_fields=["public_kind", "public_note", "public_updated_on", "updated_at"])
    label = PublicKind(kind).label
    _transition(task, actor, "public", None, note=f"公开为{label}:{note}" if kind else "撤回公开")
    record(actor, "task.public", task, before=before, after={"public_kind": kind, "public_note": task.public_note},
           summary=f"{task.number} {'公开为' + label if kind else '撤回公开'}")
    return task


@transaction.atomic
def do_add_instruction(actor, task: Task, text: str) -> Instruction:
    """领导批示: a leader (or the supervision office) writes an instruction on a task."""
    if not ((actor.is_leader and can_read(actor, task)) or actor.sees_everything):
        deny("write instructions on this task", "对此任务作出批示")
    ins = Instruction.objects.create(task=task, author=actor,
                                     text=check_plain_text(text, "批示内容", "instruction", max_length=5000,
                                                           required=True))
    _transition(task, actor, "instruction", None, note=ins.text)
    record(actor, "instruction.create", ins, object_type="ledger.instruction",
           after={"task": task.number, "text": ins.text})
    who = actor.get_full_name() if hasattr(actor, "get_full_name") else str(actor)
    _tell_units(task, kind="task.instruction", title=f"【领导批示】{task.number} {task.title[:80]}",
                body=f"{who}批示:{ins.text}")
    return ins


def deadline_state(task: Task, on: dt.date | None = None, warn_days: int = 3, calendar=None) -> str:
    """'overdue' (逾期), 'due_soon' (临期: within warn_days working days) or 'ok'."""
    if task.status not in OPEN_STATUSES or not task.deadline:
        return "ok"
    on = on or today()
    if on > task.deadline:
        return "overdue"
    if (task.deadline - on).days > 7 * (warn_days + 30):  # far away: never 临期 (and no day-by-day walk)
        return "ok"
    cal = calendar or current_calendar()
    if cal.working_days_between(on, task.deadline) <= warn_days:
        return "due_soon"
    return "ok"
