"""Findings (督查发现的问题) and 限期整改: record, assign with a due date, submit, verify."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.ledger.models import Task
from luoshi.orgs.models import Unit
from luoshi.workcal.services import current_calendar

from .common import config, _event, _ordered_units, today
from .models import Finding, RectificationItem
from .notify import notify_unit

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
    notify_unit(task, kind="rectification", title=f"【限期整改】{task.number} 请于{due:%Y-%m-%d}前整改到位",
                body=requirement, units=[unit])
    return item


@transaction.atomic
def do_order_rectification(actor, *, unit: Unit, requirement: str, due: dt.date, source_type: str, source_id: int,
                           source_label: str, on: dt.date | None = None) -> RectificationItem:
    """限期整改 for a unit from a source other than a task (e.g. source_type "inspections.finding"):
    the same item, submitted by the unit and verified (验收) by the office like any other. The source is
    a generic reference so supervision imports nothing above it. LuoshiError for a past `due`, no unit
    or an empty requirement; NotAllowed unless 督查员/管理员."""
    if not actor.sees_everything:
        deny("order rectification", "下达限期整改")
    on = on or today()
    if unit is None:
        raise LuoshiError("a rectification needs a unit", "请指定整改单位", field="unit")
    if due < on:
        raise LuoshiError("the rectification deadline is in the past", "整改时限早于今天", field="due")
    requirement = check_plain_text(requirement, "整改要求", "requirement", max_length=5000, required=True)
    source_type = check_plain_text(source_type, "来源类型", "source_type", max_length=40, required=True)
    item = RectificationItem.objects.create(unit=unit, requirement=requirement, due=due, created_by=actor,
                                            source_type=source_type, source_id=source_id,
                                            source_label=(source_label or "")[:200])
    record(actor, "rectification.create", item, object_type="supervision.rectificationitem",
           after={"source": f"{source_type}:{source_id}", "unit": unit.name, "due": due,
                  "requirement": requirement})
    from luoshi.notifications.services import notify_units

    notify_units([unit], kind="rectification", title=f"【限期整改】{item.source_label[:80]} 请于{due:%Y-%m-%d}前整改到位",
                 body=requirement, url="/supervision/workspace/", obj=item)
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
    if item.task_id:
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
    if item.task_id:
        _event(item.task, "rectification_verify", ("整改验收通过,销号" if accept else "整改未通过验收,退回:") +
               item.verify_note, actor=actor)
    record(actor, "rectification.verify", item, object_type="supervision.rectificationitem",
           after={"accept": accept, "note": item.verify_note})
    return item
