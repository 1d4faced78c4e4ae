"""Supervision pages. Thin: read through visible_notices / visible_tasks, write through services."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from luoshi.core.params import get_choice, get_date, paginate
from luoshi.core.errors import LuoshiError
from luoshi.core.scope import unit_scope
from luoshi.ledger.models import Task
from luoshi.ledger.permissions import visible_tasks

from . import bulletins, common, rectification, stats
from . import notices as notice_svc
from .lights import with_reasons_now
from .models import Color, Escalation, RectificationItem, SupervisionNotice, SupervisionState
from .pdf import notice_docx, notice_pdf

LIGHT_LABELS = {"green": "绿灯", "blue": "蓝灯", "yellow": "黄灯", "red": "红灯"}


def forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _date(request, name, label_zh, default):
    return get_date(request.GET, name, label_zh, default)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = content_disposition_header(True, filename)
    return resp


@login_required
def index(request):
    """督办总览: lights, 督办单 awaiting an answer, what falls due this week, 本月按时办结率 — in scope."""
    from .overview import overview

    return render(request, "supervision/overview.html", {**overview(request.user, common.today()),
                                                         "labels": LIGHT_LABELS})


def _own_unit(user):
    """The unit a liaison acts for (None for everyone else): a notice addressed elsewhere is 供参阅 to it."""
    return user.unit_id if getattr(user, "is_liaison", False) else None


@login_required
def notices(request):
    qs = notice_svc.visible_notices(request.user).select_related("task", "lead_unit").order_by("-issued_on", "-id")
    state = get_choice(request.GET, "state", SupervisionNotice.State, "办理状态")
    light = get_choice(request.GET, "light", ("blue", "yellow", "red"), "灯色")
    if state:
        qs = qs.filter(state=state)
    if light:
        qs = qs.filter(light=light)
    page = paginate(qs, 30, request.GET.get("page"))
    own_unit = _own_unit(request.user)
    for n in page:  # a liaison's unit only copied: 供参阅, not a to-do it cannot act on
        n.for_reading = bool(own_unit and n.lead_unit_id != own_unit)
    return render(request, "supervision/notices.html", {
        "page": page, "state": state, "light": light, "states": SupervisionNotice.State.choices,
        "lights": [(c, LIGHT_LABELS[c]) for c in ("blue", "yellow", "red")]})


@login_required
def notice_detail(request, pk: int):
    notice = notice_svc.visible_notices(request.user).filter(pk=pk).select_related("task", "lead_unit").first()
    if notice is None:
        raise Http404
    user = request.user
    S = SupervisionNotice.State
    is_lead = bool(user.is_liaison and user.unit_id == notice.lead_unit_id)
    own_unit = _own_unit(user)
    return render(request, "supervision/notice_detail.html", {
        "notice": notice, "copy_units": notice.copy_units.order_by("sort_order", "id"),
        "for_reading": bool(own_unit and notice.lead_unit_id != own_unit),
        "can_ack": is_lead and notice.state == S.ISSUED,
        "can_answer": is_lead and notice.state in (S.ISSUED, S.ACKNOWLEDGED, S.REJECTED),
        "can_review": user.sees_everything and notice.state == S.ANSWERED,
    })


@login_required
@require_POST
def notice_action(request, pk: int, action: str):
    notice = notice_svc.visible_notices(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    try:
        if action == "acknowledge":
            notice_svc.do_acknowledge_notice(request.user, notice)
            messages.success(request, "已签收督办单。")
        elif action == "answer":
            notice_svc.do_answer_notice(request.user, notice, request.POST.get("answer", ""))
            messages.success(request, "已回复督办单。")
        elif action in ("accept", "reject"):
            notice_svc.do_review_answer(request.user, notice, accept=action == "accept", note=request.POST.get("note", ""))
            messages.success(request, "已认可回复。" if action == "accept" else "已退回回复。")
        else:
            raise Http404
    except LuoshiError as exc:
        messages.error(request, exc.message_zh)
    return redirect("supervision:notice", pk=pk)


@login_required
def notice_pdf_view(request, pk: int):
    notice = notice_svc.visible_notices(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return _attachment(notice_pdf(notice), "application/pdf", f"{notice.number}.pdf")


@login_required
def notice_docx_view(request, pk: int):
    notice = notice_svc.visible_notices(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return _attachment(notice_docx(notice),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       f"{notice.number}.docx")


@login_required
def issue_notice(request, task_pk: int):
    if not request.user.sees_everything:
        return forbidden(request)
    task = get_object_or_404(Task, pk=task_pk)
    if request.method == "POST":
        try:
            n = notice_svc.do_issue_notice(request.user, task, light=request.POST.get("light", ""),
                                    reason=request.POST.get("reason", ""),
                                    required_action=request.POST.get("required_action", ""))
            messages.success(request, f"已签发{n.title_zh}{n.number}。")
            return redirect("supervision:notice", pk=n.pk)
        except LuoshiError as exc:
            messages.error(request, exc.message_zh)
    state = SupervisionState.objects.filter(task=task).first()
    return render(request, "supervision/issue.html", {"task": task, "state": state})


@login_required
def lights(request):
    """红黄灯事项: the 督查员's whole list; a 领导's list of their own scope (the tasks they may read)."""
    user = request.user
    if not _can_see_stats(user):
        return forbidden(request)
    wanted = get_choice(request.GET, "light", ("red", "yellow"), "灯色")
    colors = [wanted] if wanted else ["red", "yellow"]
    states = SupervisionState.objects.all()
    if not user.sees_everything:
        states = states.filter(task__in=visible_tasks(user).values("id"))
    qs = (states.filter(light__in=colors).select_related("task")
          .prefetch_related("task__lead_units").order_by("-light", "since", "task_id"))
    page = paginate(qs, 50, request.GET.get("page"))
    page.object_list = with_reasons_now(page.object_list)
    if user.sees_everything:
        counts = stats.light_totals()
    else:
        got = dict(states.values_list("light").annotate(n=Count("id")).values_list("light", "n").order_by())
        counts = {c: got.get(c, 0) for c in Color.values}
    return render(request, "supervision/lights.html", {"page": page, "counts": counts, "light": wanted,
                                                       "labels": LIGHT_LABELS})


@login_required
def listed(request):
    """挂牌督办: publicly listed tasks, visible to every user; then the 挂牌督办 overdue cases/petitions the
    user's scope lets them read (supervision.items.listed_rows)."""
    qs = with_reasons_now(SupervisionState.objects.filter(listed=True).select_related("task")
                          .prefetch_related("task__lead_units").order_by("listed_on", "task_id"))
    from .items import listed_rows

    return render(request, "supervision/listed.html", {"states": qs, "labels": LIGHT_LABELS,
                                                       "others": listed_rows(user=request.user, limit=500)})


def _rectifications(user, tasks):
    """Items of the tasks the user sees, plus task-less items (e.g. from inspections) of units in scope."""
    from django.db.models import Q

    from luoshi.core.scope import unit_scope

    scope = unit_scope(user, "ledger")
    if scope is None:
        return RectificationItem.objects.filter(Q(task__in=tasks) | Q(task__isnull=True))
    # an item is read by the units it is addressed to: a co-unit never sees another unit's 整改
    return RectificationItem.objects.filter(Q(task__in=tasks) | Q(task__isnull=True), unit__in=scope)


@login_required
def workspace(request):
    """本单位督办: the unit's notices, escalation steps and rectification items."""
    user = request.user
    tasks = visible_tasks(user)
    open_notices = notice_svc.visible_notices(user).select_related("task", "lead_unit").exclude(
        state=SupervisionNotice.State.ACCEPTED).order_by("reply_by", "id")
    copied = None
    if user.is_liaison and user.unit_id:  # a unit acts on the notices addressed to it; copies are to read
        copied = open_notices.exclude(lead_unit_id=user.unit_id)[:50]
        open_notices = open_notices.filter(lead_unit_id=user.unit_id)
    return render(request, "supervision/workspace.html", {
        "notices": open_notices[:50], "copied": copied,
        "escalations": Escalation.objects.filter(task__in=tasks).select_related("task").order_by("-on", "-id")[:50],
        "rectifications": _rectifications(user, tasks).select_related("task", "unit").order_by("state", "due")[:50],
        "states": with_reasons_now(SupervisionState.objects.filter(task__in=tasks).exclude(light="green")
                                   .select_related("task").order_by("-light", "since")[:50]),
        "labels": LIGHT_LABELS,
    })


@login_required
@require_POST
def rectification_action(request, pk: int, action: str):
    item = get_object_or_404(_rectifications(request.user, visible_tasks(request.user)), pk=pk)
    try:
        if action == "submit":
            rectification.do_submit_rectification(request.user, item, request.POST.get("report", ""))
        elif action in ("accept", "reject"):
            rectification.do_verify_rectification(request.user, item, accept=action == "accept",
                                        note=request.POST.get("note", ""))
        else:
            raise Http404
        messages.success(request, "已保存。")
    except LuoshiError as exc:
        messages.error(request, exc.message_zh)
    return redirect("supervision:workspace")


def _can_see_stats(user) -> bool:
    return user.sees_everything or user.is_leader


@login_required
def dashboard(request):
    if not _can_see_stats(request.user):
        return forbidden(request)
    on = _date(request, "on", "统计日期", common.today())
    units = unit_scope(request.user, "ledger")  # a district 领导 sees the district only
    by_unit = stats.lights_by_unit(limit=20, units=units)
    trend = stats.weekly_trend(on, weeks=12, units=units)
    from .kinds import scoped_kind_rates

    rates = scoped_kind_rates(request.user, on.replace(day=1), on)  # 本月 so far, per kind and unit
    data = {"units": [r["unit"] for r in by_unit],
            "lights": {c: [r[c] for r in by_unit] for c in ("green", "blue", "yellow", "red")},
            "trend": trend,
            "rates": [{"name": k["name"], "title": k["title"], "start": on.replace(day=1).isoformat(),
                       "end": on.isoformat(), "error": bool(k.get("error")), "columns": k["columns"],
                       "rows": [{key: r.get(key) for key in ["unit_id", "unit", "total"] +
                                 [c["key"] for c in k["columns"]]} for r in k["rows"]]} for k in rates]}
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    totals = stats.light_totals(units)
    from .kinds import scoped_kind_lights

    return render(request, "supervision/dashboard.html", {"data": data, "kinds": scoped_kind_lights(request.user),
                                                          "totals": totals, "labels": LIGHT_LABELS,
                                                          "rates": rates, "rates_start": on.replace(day=1),
                                                          "on": on})


@login_required
def statistics(request):
    if not _can_see_stats(request.user):
        return forbidden(request)
    today = common.today()
    start = _date(request, "start", "开始日期", today.replace(day=1))
    end = _date(request, "end", "结束日期", today)
    if end < start:  # refused for every format: no 通报 "自12月1日至1月1日"
        raise LuoshiError("end must not be before start", "结束日期不能早于开始日期", field="end")
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        data = bulletins.bulletin_data(start, end, today, user=request.user)
        if fmt == "docx":
            return _attachment(bulletins.bulletin_docx(data),
                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               f"通报_{start}_{end}.docx")
        return _attachment(bulletins.bulletin_pdf(data), "application/pdf", f"通报_{start}_{end}.pdf")
    rows = stats.unit_stats(start, end, today)
    units = unit_scope(request.user, "ledger")  # a 领导 gets their subtree's rows (rank among all units)
    if units is not None:
        rows = [r for r in rows if r["unit_id"] in units]
    from .kinds import scoped_kind_rates

    return render(request, "supervision/statistics.html", {"rows": rows, "start": start, "end": end,
                                                           "rates": scoped_kind_rates(request.user, start, end)})
