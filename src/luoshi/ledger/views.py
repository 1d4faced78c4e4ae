"""The ledger's server-rendered pages (台账, tasks, sources, unit workspace). Views stay thin: read through ledger.permissions,
write through the do_ services, show LuoshiError.message_zh to the user."""
from __future__ import annotations

import datetime as dt
import mimetypes
import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from luoshi.audit.models import AuditEntry
from luoshi.audit.labels import action_label
from luoshi.core.params import get_choice, get_id, paginate
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.core.views import forbidden
from luoshi.ledger import services as svc
from luoshi.ledger.exports import days_overdue, write_ledger_xlsx
from luoshi.ledger.models import (OPEN_STATUSES, ExtensionRequest, ProgressReport, PublicKind, Source, Status,
                                  Target, Task)
from luoshi.ledger.permissions import (can_read, can_supervise, is_co_liaison, is_lead_liaison,
                                       visible_tasks)
from luoshi.ledger.queries import DUE_FILTERS, SORTS, filter_tasks, sort_tasks
from luoshi.orgs.models import Unit
from luoshi.orgs.services import subtree_ids, unit_ids_matching
from luoshi.workcal.services import current_calendar

from . import forms as f
from .workspace import task_facts

PAGE_SIZE = 20

EVENT_LABELS = {
    "create": "立项", "assign": "交办", "sign": "签收", "report": "报送进展", "request_completion": "申请办结",
    "start_review": "开始审核", "approve": "审核通过,办结", "return": "退回", "suspend": "中止",
    "extension_request": "申请延期", "extension_approved": "同意延期", "extension_refused": "不同意延期",
    "instruction": "领导批示", "update": "修改任务信息", "rollup": "进度汇总", "public": "公示网站公开设置",
    # supervision (luoshi.supervision.services / bulk)
    "light": "亮灯变化", "notice": "签发督办单", "notice_ack": "签收督办单", "notice_answer": "回复督办单",
    "notice_review": "审核督办单回复", "escalation": "升级督办", "rectification": "限期整改",
    "rectification_submit": "报送整改情况", "rectification_verify": "整改验收",
}
DUE_LABELS = {"overdue": "逾期", "due_soon": "临期"}


# ---- helpers ---------------------------------------------------------------

def _first_error(form) -> str:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}:{errs[0]}" if label else errs[0]
    return "输入有误"


def _targets_error(targets) -> str:
    """Why the 量化目标 rows were refused, never an empty "量化目标有误:" (a tampered or oversized
    formset has only non-form errors, and Django's say "ManagementForm")."""
    msgs = [e for errs in targets.errors for field_errs in errs.values() for e in field_errs]
    if not msgs and targets.non_form_errors():
        mf = targets.management_form
        msgs = (["表单数据不完整,请刷新页面后重新填写"] if not mf.is_valid()
                else [f"最多填写{targets.max_num}项量化目标"])
    return "量化目标有误:" + (";".join(msgs) or "请检查量化目标")


def _label_units(units) -> str:
    return "、".join(u.display_name for u in units)


def _with_units(qs):
    return qs.select_related("source").prefetch_related(
        Prefetch("lead_units", queryset=Unit.objects.order_by("sort_order", "id")),
        Prefetch("co_units", queryset=Unit.objects.order_by("sort_order", "id")))


def _decorate(tasks, cal=None, on=None):
    cal = cal or current_calendar()
    on = on or svc.today()
    out = []
    for t in tasks:
        t.due_state = svc.deadline_state(t, on=on, calendar=cal)
        t.due_label = DUE_LABELS.get(t.due_state, "")
        if t.due_state == "overdue":  # the one working-day count of 逾期天数 (exports.days_overdue)
            late = days_overdue(t, on, cal)
            t.due_label = f"逾期{late}个工作日" if late else "逾期"
        t.lead_names = _label_units(t.lead_units.all())
        t.co_names = _label_units(t.co_units.all())
        out.append(t)
    return out


def _visible_task_or_404(request, pk) -> Task:
    return get_object_or_404(visible_tasks(request.user), pk=pk)


# ---- ledger ----------------------------------------------------------------

def _ledger_params(request):
    g = request.GET
    params = {k: g.get(k, "").strip() for k in ("unit", "unit_name", "status", "source", "due", "q", "sort")}
    params["unit_name"] = params["unit_name"][:50]
    params["unit"] = str(get_id(params, "unit", "单位", ""))
    params["source"] = str(get_id(params, "source", "任务来源", ""))
    # an unknown filter value is a 400 naming it (never "every task" quietly)
    params["status"] = get_choice(params, "status", Status, "状态")
    params["due"] = get_choice(params, "due", DUE_FILTERS, "时限")
    params["sort"] = get_choice(params, "sort", SORTS, "排序")
    params["q"] = params["q"][:100]
    return params


def _ledger_queryset(request, params, cal):
    qs = visible_tasks(request.user)
    unit = params["unit"] or None
    if unit is None and params["unit_name"]:
        # The picker of a large organisation: units whose full name, short name or alias contains the text typed.
        unit = unit_ids_matching(params["unit_name"]) or [0]
    qs = filter_tasks(qs, unit=unit, status=params["status"] or None,
                      source=params["source"] or None, due=params["due"] or None, q=params["q"] or None,
                      calendar=cal)
    return qs


UNIT_SELECT_MAX = 300  # more active units than this: a text box instead of a drop-down of every unit


def _unit_options(selected: str):
    """<option>s of the unit drop-down: every active unit in a small organisation; in a large one (thousands
    of units, hundreds of KB of options on every page) only the selected unit — units are then picked by
    name in the text box next to it (`unit_name`). None when the text box is shown."""
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    many = units.count() > UNIT_SELECT_MAX
    if many:
        units = units.filter(pk=selected) if selected else units.none()
    options = format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if str(pk) == selected else "", name)
         for pk, name in units.values_list("id", "name")))
    return {"html": options, "by_name": many}


@login_required
def ledger(request):
    cal = current_calendar()
    params = _ledger_params(request)
    qs = sort_tasks(_with_units(_ledger_queryset(request, params, cal)), params["sort"]).prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("id")))
    page = paginate(qs, PAGE_SIZE, request.GET.get("page"))
    rows = _decorate(page.object_list, cal)
    active = {k: v for k, v in params.items() if v}
    visible = visible_tasks(request.user)
    ctx = {
        "page": page, "rows": rows, "params": params,
        "query": urlencode(active), "filter_query": urlencode({k: v for k, v in active.items() if k != "sort"}),
        "unit_options": _unit_options(params["unit"]),
        "statuses": Status.choices, "dues": DUE_FILTERS.items(),
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
        "sources": Source.objects.filter(Exists(visible.filter(source_id=OuterRef("pk")))).order_by("-date", "-id"),
    }
    return render(request, "ledger/ledger.html", ctx)


@login_required
def ledger_export(request):
    cal = current_calendar()
    params = _ledger_params(request)
    qs = _ledger_queryset(request, params, cal)
    data = write_ledger_xlsx(qs)
    name = f"督办事项台账-{svc.today():%Y%m%d}.xlsx"
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = content_disposition_header(True, name)
    return resp


# ---- task page ---------------------------------------------------------------

def _actions(user, task: Task) -> dict:
    lead = is_lead_liaison(user, task)
    co = is_co_liaison(user, task)
    sup = can_supervise(user, task)
    st = task.status
    pending_ext = [e for e in task.extensions.all() if e.decision == ExtensionRequest.Decision.PENDING]
    acts = {
        "assign": sup and st == Status.DRAFT,
        "sign": lead and st == Status.ASSIGNED,
        "report": (lead or co) and st in (Status.SIGNED, Status.IN_PROGRESS),
        "request_completion": lead and st in (Status.SIGNED, Status.IN_PROGRESS),
        "start_review": sup and st == Status.COMPLETION_REQUESTED,
        "approve": sup and st in (Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
        "return": sup and st in (Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
        "suspend": sup and st in (Status.DRAFT, *OPEN_STATUSES),
        "request_extension": lead and st in OPEN_STATUSES and not pending_ext,
        "decide_extension": sup and bool(pending_ext),
        "instruction": (user.is_leader and can_read(user, task)) or user.sees_everything,
        "breakdown": (user.sees_everything or lead) and st in OPEN_STATUSES,
        "publish": user.sees_everything and st != Status.DRAFT,
    }
    acts["any"] = any(acts.values())
    acts["pending_extensions"] = pending_ext
    return acts


def _audit_for(task: Task):
    """Audit entries about the task and the reports, extensions and instructions attached to it."""
    q = Q(object_type="ledger.task", object_id=str(task.pk))
    q |= Q(object_type="ledger.progressreport", object_id__in=[str(i) for i in task.reports.values_list("id", flat=True)])
    q |= Q(object_type="ledger.extensionrequest",
           object_id__in=[str(i) for i in task.extensions.values_list("id", flat=True)])
    q |= Q(object_type="ledger.instruction",
           object_id__in=[str(i) for i in task.instructions.values_list("id", flat=True)])
    entries = list(AuditEntry.objects.filter(q).order_by("seq"))
    for e in entries:
        e.label = action_label(e.action)
    return entries


@login_required
def task_detail(request, pk, report_data=None):
    task = get_object_or_404(_with_units(visible_tasks(request.user)).select_related("parent"), pk=pk)
    cal = current_calendar()
    _decorate([task], cal)
    subtasks = _decorate(_with_units(visible_tasks(request.user, task.subtasks.all())).order_by("id"), cal)
    events = list(task.events.select_related("actor", "unit").order_by("at", "id"))
    for e in events:
        e.label = EVENT_LABELS.get(e.kind, e.kind)
        e.from_label = Status(e.from_status).label if e.from_status in Status.values else ""
        e.to_label = Status(e.to_status).label if e.to_status in Status.values else ""
    acts = _actions(request.user, task)
    targets = list(task.targets.order_by("id"))
    for tg in targets:
        tg.value_text = f"{tg.value.normalize():f}"
    reports = list(task.reports.select_related("unit", "author").order_by("-created_at", "-id"))
    my_percent = task.progress
    if is_co_liaison(request.user, task) and not is_lead_liaison(request.user, task):
        # a co-unit reports its own contribution: the form starts from its own last figure, not the task's
        my_percent = next((r.percent for r in reports if r.by_co_unit and r.unit_id == request.user.unit_id), 0)
    ctx = {
        "task": task, "subtasks": subtasks, "events": events, "audit": _audit_for(task),
        "targets": targets,
        "reports": reports, "my_percent": my_percent,
        "reporting_as_co": acts["report"] and not is_lead_liaison(request.user, task),
        "extensions": list(task.extensions.select_related("unit", "requested_by", "decided_by")
                           .order_by("-created_at", "-id")),
        "instructions": list(task.instructions.select_related("author").order_by("created_at", "id")),
        "acts": acts,
        "report_data": report_data or {},
        "parent_visible": bool(task.parent_id and can_read(request.user, task.parent)),
        "public_kinds": PublicKind.choices,
        "facts": task_facts(request.user, task),
    }
    return render(request, "ledger/task_detail.html", ctx)


def _run(request, task, label, fn):
    """Call a service; report its Chinese message. NotAllowed → 403 page."""
    try:
        fn()
    except NotAllowed as exc:
        return forbidden(request, exc.message_zh)
    except LuoshiError as exc:
        messages.error(request, f"{label}未成功:{exc.message_zh}")
    else:
        messages.success(request, f"{label}成功。")
    return redirect("task", pk=task.pk)


def _bad_form(request, task, label, form):
    messages.error(request, f"{label}未成功:{_first_error(form)}")
    return redirect("task", pk=task.pk)


@login_required
@require_POST
def task_action(request, pk, action):
    task = _visible_task_or_404(request, pk)
    user = request.user
    if action == "assign":
        return _run(request, task, "交办", lambda: svc.do_assign_task(user, task))
    if action == "sign":
        return _run(request, task, "签收", lambda: svc.do_sign_task(user, task))
    if action == "report":
        # On a refusal the page is shown again with what was typed, so a long report is not lost.
        form = f.ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, f"报送进展未成功:{_first_error(form)}")
            return task_detail(request, pk, report_data=request.POST)
        d = form.cleaned_data
        try:
            svc.do_report_progress(user, task, text=d["text"], percent=d["percent"], problems=d["problems"],
                                   next_steps=d["next_steps"], attachment=d["attachment"],
                                   regress_reason=d["regress_reason"])
        except NotAllowed as exc:
            return forbidden(request, exc.message_zh)
        except LuoshiError as exc:
            messages.error(request, f"报送进展未成功:{exc.message_zh}")
            return task_detail(request, pk, report_data=request.POST)
        messages.success(request, "报送进展成功。")
        return redirect("task", pk=task.pk)
    if action == "request_completion":
        form = f.CompletionForm(request.POST, targets=task.targets.order_by("id"))
        if not form.is_valid():
            return _bad_form(request, task, "申请办结", form)
        note, achieved = form.cleaned_data["note"], form.achieved()
        return _run(request, task, "申请办结", lambda: svc.do_request_completion(user, task, note, achieved))
    if action == "approve":
        form = f.NoteForm(request.POST)
        if not form.is_valid():
            return _bad_form(request, task, "操作", form)
        note = form.cleaned_data["note"]
        return _run(request, task, "审核办结", lambda: svc.do_approve_completion(user, task, note))
    if action == "start_review":
        return _run(request, task, "开始审核", lambda: svc.do_start_review(user, task))
    if action in ("return", "suspend"):
        form = f.ReasonForm(request.POST)
        label = "退回" if action == "return" else "中止"
        if not form.is_valid():
            return _bad_form(request, task, label, form)
        reason = form.cleaned_data["reason"]
        fn = svc.do_return_task if action == "return" else svc.do_suspend_task
        return _run(request, task, label, lambda: fn(user, task, reason))
    if action == "request_extension":
        form = f.ExtensionForm(request.POST)
        if not form.is_valid():
            return _bad_form(request, task, "申请延期", form)
        d = form.cleaned_data
        return _run(request, task, "申请延期", lambda: svc.do_request_extension(
            user, task, new_deadline=d["new_deadline"], reason=d["reason"]))
    if action == "decide_extension":
        form = f.DecideExtensionForm(request.POST)
        if not form.is_valid():
            return _bad_form(request, task, "延期审批", form)
        d = form.cleaned_data
        req = get_object_or_404(ExtensionRequest, pk=d["extension"], task=task)
        return _run(request, task, "延期审批", lambda: svc.do_decide_extension(
            user, req, approve=d["decision"] == "approve", note=d["note"]))
    if action == "publish":
        kind, note = request.POST.get("public_kind", ""), request.POST.get("public_note", "")
        return _run(request, task, "公开设置", lambda: svc.do_set_task_public(user, task, kind=kind, note=note))
    if action == "instruction":
        form = f.InstructionForm(request.POST)
        if not form.is_valid():
            return _bad_form(request, task, "批示", form)
        return _run(request, task, "批示", lambda: svc.do_add_instruction(user, task, form.cleaned_data["text"]))
    raise Http404("unknown action")


# ---- create task / sub-task --------------------------------------------------

def _targets_from(formset) -> list[dict]:
    out = []
    for form in formset:
        d = form.cleaned_data
        if d.get("metric"):
            out.append({"metric": d["metric"], "op": d.get("op") or ">=", "value": d["value"],
                        "unit": d.get("unit") or ""})
    return out


def _task_form_view(request, parent=None):
    user = request.user
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    under = ()
    if parent is not None and not user.sees_everything:
        allowed = set()
        under = [u.pk for u in parent.lead_units.all()]
        for u in under:
            allowed |= subtree_ids(u)
        units = units.filter(pk__in=allowed)
    if request.method == "POST":
        form = f.TaskForm(request.POST, units=units, parent=parent, under=under)
        targets = f.TargetFormSet(request.POST, prefix="targets")
        if form.is_valid() and targets.is_valid():
            try:
                task = svc.do_create_task(user, **form.service_kwargs(_targets_from(targets)))
            except NotAllowed as exc:
                return forbidden(request, exc.message_zh)
            except LuoshiError as exc:
                form.add_error(None, exc.message_zh)
            else:
                what = "分解子任务" if parent else "立项"
                messages.success(request, f"{what}成功:{task.number}" + (",已交办。" if task.status == Status.ASSIGNED
                                                                          else "。"))
                return redirect("task", pk=task.pk)
        else:
            if not targets.is_valid():
                form.add_error(None, _targets_error(targets))
    else:
        form = f.TaskForm(units=units, parent=parent, under=under)
        targets = f.TargetFormSet(prefix="targets")
    return render(request, "ledger/task_form.html", {"form": form, "targets": targets, "parent": parent})


def _task_initial(task: Task) -> dict:
    rec = task.recurrence or ""
    return {"title": task.title, "requirement": task.requirement, "section": task.section,
            "lead_units": list(task.lead_units.all()), "co_units": list(task.co_units.all()),
            "responsible_leader": task.responsible_leader, "priority": task.priority,
            "deadline_mode": "workdays" if task.deadline_working_days and task.status == Status.DRAFT
            else ("date" if task.deadline else "none"),
            "deadline": task.deadline, "deadline_working_days": task.deadline_working_days,
            "recurrence_mode": "monthly" if rec.startswith("monthly:") else ("quarterly" if rec.startswith("quarterly")
                                                                            else "none"),
            "recurrence_day": int(rec.split(":")[1]) if rec.startswith("monthly:") else None,
            "tags": "、".join(task.tags or [])}


@login_required
def task_edit(request, pk):
    """编辑任务: 督查员 correct the ledger through do_update_task (the same audited service as PATCH /api/tasks/)."""
    task = _visible_task_or_404(request, pk)
    if not request.user.sees_everything:
        return forbidden(request, "只有督查员可以修改任务。")
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    if request.method == "POST":
        form = f.TaskForm(request.POST, units=units, parent=task.parent, edit=task)
        targets = f.TargetFormSet(request.POST, prefix="targets")
        if form.is_valid() and targets.is_valid():
            try:
                svc.do_update_task(request.user, task, **form.update_kwargs(task, _targets_from(targets)))
            except NotAllowed as exc:
                return forbidden(request, exc.message_zh)
            except LuoshiError as exc:
                form.add_error(None, exc.message_zh)
            else:
                messages.success(request, f"已保存对{task.number}的修改。")
                return redirect("task", pk=task.pk)
        elif not targets.is_valid():
            form.add_error(None, _targets_error(targets))
    else:
        form = f.TaskForm(units=units, parent=task.parent, edit=task, initial=_task_initial(task))
        targets = f.TargetFormSet(prefix="targets", initial=[
            {"metric": t.metric, "op": t.op, "value": t.value, "unit": t.unit} for t in task.targets.all()])
    return render(request, "ledger/task_form.html", {"form": form, "targets": targets, "parent": task.parent,
                                                     "edit": task})


@login_required
def task_new(request):
    if not request.user.sees_everything:
        return forbidden(request, "只有督查员可以立项督办事项。")
    return _task_form_view(request)


@login_required
def subtask_new(request, pk):
    parent = _visible_task_or_404(request, pk)
    if not (request.user.sees_everything or is_lead_liaison(request.user, parent)):
        return forbidden(request, "只有牵头单位联络员或督查员可以分解此任务。")
    if parent.status not in OPEN_STATUSES:
        messages.error(request, "只能对办理中的任务进行分解。")
        return redirect("task", pk=parent.pk)
    return _task_form_view(request, parent=parent)


# ---- sources -----------------------------------------------------------------

@login_required
def source_list(request):
    if not request.user.sees_everything:
        return forbidden(request, "只有督查员可以查看任务来源。")
    qs = Source.objects.order_by("-date", "-id")
    page = paginate(qs, PAGE_SIZE, request.GET.get("page"))
    return render(request, "ledger/sources.html", {"page": page})


@login_required
def source_new(request):
    if not request.user.sees_everything:
        return forbidden(request, "只有督查员可以登记任务来源。")
    if request.method == "POST":
        form = f.SourceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                src = svc.do_create_source(request.user, **form.cleaned_data)
            except NotAllowed as exc:
                return forbidden(request, exc.message_zh)
            except LuoshiError as exc:
                form.add_error(None, exc.message_zh)
            else:
                messages.success(request, f"已登记任务来源:{src.title}")
                return redirect("sources")
    else:
        form = f.SourceForm()
    return render(request, "ledger/source_form.html", {"form": form})


def _serve(field):
    if not field:
        raise Http404
    try:
        fh = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = os.path.basename(field.name)
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(fh, as_attachment=True, filename=name, content_type=ctype)


@login_required
def source_attachment(request, pk):
    if request.user.sees_everything:
        src = get_object_or_404(Source, pk=pk)
    else:
        visible = visible_tasks(request.user).values("source_id")
        src = get_object_or_404(Source.objects.filter(pk__in=visible), pk=pk)
    return _serve(src.attachment)


@login_required
def report_attachment(request, pk):
    report = get_object_or_404(ProgressReport.objects.filter(task__in=visible_tasks(request.user).values("id")),
                               pk=pk)
    return _serve(report.attachment)


# ---- unit workspace ------------------------------------------------------------

@login_required
def workspace(request):
    user = request.user
    if not (user.is_liaison and user.unit_id):
        return redirect("ledger")
    cal = current_calendar()
    on = svc.today()
    tasks = _decorate(_with_units(visible_tasks(user).filter(status__in=OPEN_STATUSES))
                      .order_by("deadline", "id"), cal, on)
    # sort: no-deadline tasks last, deterministic by id
    tasks.sort(key=lambda t: (t.deadline is None, t.deadline or dt.date.max, t.pk))
    for t in tasks:
        t.i_lead = any(u.pk == user.unit_id for u in t.lead_units.all())
    groups = [
        ("to_sign", "待签收", [t for t in tasks if t.status == Status.ASSIGNED and t.i_lead]),
        ("in_progress", "办理中", [t for t in tasks if t.status in (Status.SIGNED, Status.IN_PROGRESS)]),
        ("due_soon", "临期(3个工作日内)", [t for t in tasks if t.due_state == "due_soon"]),
        ("overdue", "逾期", [t for t in tasks if t.due_state == "overdue"]),
        ("review", "待审核(已申请办结)", [t for t in tasks if t.status in (Status.COMPLETION_REQUESTED,
                                                                        Status.UNDER_REVIEW)]),
    ]
    from .workspace import sections_for

    return render(request, "ledger/workspace.html", {"groups": groups, "unit": user.unit,
                                                     "sections": sections_for(user)})
