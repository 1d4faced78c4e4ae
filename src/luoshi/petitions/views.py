"""信访 pages. Thin: read through scope.visible_petitions, write through the `do_…` services."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from luoshi.core.params import get_bool, get_choice, get_id, paginate
from luoshi.accounts.models import Role, User
from luoshi.core.errors import LuoshiError
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import picked_units

from . import documents, services as svc, stats
from .exports import petitions_xlsx
from .models import Channel, Petition, ResolutionStep, Satisfaction, Status
from .privacy import petitioner_view, sees_identity
from .scope import is_handler, is_office, visible_petitions


def _forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _filtered(request):
    g = request.GET
    qs = visible_petitions(request.user).select_related("petitioner", "handling_unit", "owner_leader")
    f = {k: g.get(k, "").strip()[:60] for k in ("status", "channel", "backlog", "unit", "q", "owner", "light")}
    # an unknown filter value is a 400 naming it (luoshi.core.params), never the whole list quietly
    f["status"] = get_choice(g, "status", Status, "状态")
    f["channel"] = get_choice(g, "channel", Channel, "信访形式")
    f["light"] = get_choice(g, "light", ("green", "blue", "red"), "灯色")
    f["owner"] = get_choice(g, "owner", ("me",), "包案领导")
    f["backlog"] = "1" if get_bool(g, "backlog", "积案") else ""
    f["unit"] = str(get_id(g, "unit", "责任单位", ""))
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["channel"]:
        qs = qs.filter(channel=f["channel"])
    if f["backlog"] == "1":
        qs = qs.filter(backlog=True)
    if f["light"]:
        qs = qs.filter(light=f["light"])
    if f["unit"]:
        qs = qs.filter(handling_unit_id=int(f["unit"]))
    if f["owner"] == "me":
        qs = qs.filter(owner_leader=request.user)
    if f["q"]:
        from django.db.models import Q

        qs = qs.filter(Q(number__icontains=f["q"]) | Q(title__icontains=f["q"]))
    return qs, f


def _rows(user, page):
    for p in page:
        p.who = petitioner_view(user, p)
    return page


@login_required
def index(request):
    qs, f = _filtered(request)
    page = paginate(qs.order_by("-received_on", "-id"), 30, request.GET.get("page"))
    return render(request, "petitions/list.html", {
        "page": _rows(request.user, page), "f": f, "statuses": Status.choices, "channels": Channel.choices,
        "query": urlencode({k: v for k, v in f.items() if v}), "office": is_office(request.user),
        "title": "我的包案" if f["owner"] == "me" else ("积案" if f["backlog"] == "1" else "信访事项")})


def _id_page(qs, number, *, per_page=30, related=()):
    """A page of `qs` paginated on its ids only, then only that page's rows loaded with their relations.

    At 200,000 petitions the joined rows of a whole ordered set cost far more than the narrow id list
    (the 积案 list went from ~160 ms of SQL to a few ms, see README); the order comes from `qs`."""
    page = paginate(qs.values_list("id", flat=True), per_page, number)
    ids = list(page.object_list)
    rows = qs.model.objects.filter(pk__in=ids).select_related(*related).in_bulk() if ids else {}
    page.object_list = [rows[i] for i in ids if i in rows]
    return page


@login_required
def backlog(request):
    """积案 list: open backlog petitions in scope, oldest listing first (index pt_backlog_open)."""
    qs = visible_petitions(request.user).filter(backlog=True, resolved_on__isnull=True).order_by("backlog_since", "id")
    page = _id_page(qs, request.GET.get("page"),
                        related=("petitioner", "handling_unit", "owner_leader", "plan"))
    return render(request, "petitions/backlog.html", {"page": _rows(request.user, page)})


@login_required
def export(request):
    qs, _ = _filtered(request)
    data = petitions_xlsx(request.user, qs[:20000])
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = content_disposition_header(True, "信访事项.xlsx")
    return resp


@login_required
def register(request):
    if not is_office(request.user):
        return _forbidden(request, "只有信访工作人员可以登记信访事项。")
    if request.method == "POST":
        d = request.POST
        try:
            p = svc.do_register_petition(
                request.user, channel=d.get("channel", ""), name=d.get("name", ""), phone=d.get("phone", ""),
                id_number=d.get("id_number", ""), address=d.get("address", ""), title=d.get("title", ""),
                content=d.get("content", ""), received_on=d.get("received_on") or None, people=d.get("people") or 1,
                batch=d.get("batch", ""), hotline_ref=d.get("hotline_ref", ""))
        except LuoshiError as e:
            messages.error(request, e.message_zh)
            return render(request, "petitions/register.html", {"channels": Channel.choices, "d": d}, status=400)
        messages.success(request, f"已登记 {p.number}" + (",系重复信访" if p.repeat_of_id else ""))
        return redirect("petitions:detail", pk=p.pk)
    return render(request, "petitions/register.html", {"channels": Channel.choices, "d": {}})


@login_required
def hotline(request):
    """热线转来信访 (12345 话务员): register a call that is a 信访 matter; the caller's details go to the
    信访 office only — the 话务员 gets the number, not a view of the petition."""
    from .scope import can_transfer_from_hotline

    if not can_transfer_from_hotline(request.user):
        return _forbidden(request, "只有12345话务员和信访工作人员可以登记热线转来的信访。")
    if request.method == "POST":
        d = request.POST
        try:
            p = svc.do_register_hotline_transfer(
                request.user, hotline_ref=d.get("hotline_ref", ""), name=d.get("name", ""), phone=d.get("phone", ""),
                id_number=d.get("id_number", ""), address=d.get("address", ""), title=d.get("title", ""),
                content=d.get("content", ""), received_on=d.get("received_on") or None)
        except LuoshiError as e:
            messages.error(request, e.message_zh)
            return render(request, "petitions/hotline.html", {"d": d}, status=400)
        messages.success(request, f"已转来信访:信访编号{p.number}(热线工单{p.hotline_ref}),信访部门将于"
                                  f"{p.accept_by:%Y-%m-%d}前作出受理决定。")
        if is_office(request.user):
            return redirect("petitions:detail", pk=p.pk)
        return redirect("petitions:hotline")
    return render(request, "petitions/hotline.html", {"d": {}})


def _get(request, pk):
    p = (visible_petitions(request.user).filter(pk=pk)
         .select_related("petitioner", "handling_unit", "owner_leader", "repeat_of").first())
    if p is None:
        raise Http404
    return p


@login_required
def detail(request, pk: int):
    p = _get(request, pk)
    u = request.user
    office, handler = is_office(u), is_handler(u, p)
    owner = bool(u.is_leader and p.owner_leader_id == u.pk)
    plan = getattr(p, "plan", None) if hasattr(p, "plan") else None
    return render(request, "petitions/detail.html", {
        "p": p, "who": petitioner_view(u, p), "full": sees_identity(u, p), "office": office, "handler": handler,
        "owner": owner, "events": p.events.select_related("actor"), "meetings": p.meetings.all(),
        "plan": plan, "steps": plan.steps.filter(superseded=False) if plan else [],
        "repeats": p.repeats.order_by("received_on")[:50],
        "units": Unit.objects.filter(is_active=True).order_by("sort_order", "id") if office else None,
        "leaders": User.objects.filter(role=Role.LEADER, is_active=True).order_by("id") if office else [],
        "satisfactions": Satisfaction.choices, "S": Status,
        "docs": [(k, documents.KINDS[k][0]) for k, f in (("answer", p.answer), ("review", p.review_opinion),
                                                          ("recheck", p.recheck_opinion)) if f],
    })


def _date(v):
    return dt.date.fromisoformat(v) if v else None


ACTIONS = {
    "assign": lambda u, p, d: svc.do_assign_petition(
        u, p, picked_units(d, "unit", Unit.objects.filter(is_active=True), label="承办单位")[0],
        mode=d.get("mode", "assign"),
        note=d.get("note", "")),
    "owner": lambda u, p, d: svc.do_set_owner_leader(
        u, p, User.objects.filter(pk=_id(d.get("leader")), role=Role.LEADER).first()),
    "accept": lambda u, p, d: svc.do_accept_petition(u, p, on=d.get("on") or None),
    "refuse": lambda u, p, d: svc.do_refuse_petition(u, p, d.get("reason", ""), on=d.get("on") or None),
    "extend": lambda u, p, d: svc.do_request_extension(u, p, days=d.get("days") or 0, reason=d.get("reason", "")),
    "approve-extension": lambda u, p, d: svc.do_decide_extension(u, p, approve=d.get("approve") == "1"),
    "answer": lambda u, p, d: svc.do_answer_petition(u, p, d.get("answer", ""), on=d.get("on") or None),
    "rate": lambda u, p, d: svc.do_rate_petition(u, p, d.get("satisfaction", "")),
    "review": lambda u, p, d: svc.do_request_review(u, p, stage="review", on=d.get("on") or None),
    "review-decide": lambda u, p, d: svc.do_decide_review(u, p, d.get("opinion", ""), stage="review",
                                                          on=d.get("on") or None),
    "recheck": lambda u, p, d: svc.do_request_review(u, p, stage="recheck", on=d.get("on") or None),
    "recheck-decide": lambda u, p, d: svc.do_decide_review(u, p, d.get("opinion", ""), stage="recheck",
                                                           on=d.get("on") or None),
    "terminate": lambda u, p, d: svc.do_terminate_petition(u, p, note=d.get("note", "")),
    "meeting": lambda u, p, d: svc.do_record_meeting(u, p, held_on=d.get("held_on") or None,
                                                     attendees=d.get("attendees", ""), notes=d.get("notes", ""),
                                                     decisions=d.get("decisions", "")),
    "plan": lambda u, p, d: svc.do_save_resolution_plan(
        u, p, summary=d.get("summary", ""), target_on=d.get("target_on") or None,
        steps=[(line.strip(), None) for line in d.get("steps", "").splitlines() if line.strip()]),
    "step": lambda u, p, d: svc.do_complete_step(
        u, ResolutionStep.objects.filter(pk=_id(d.get("step")), plan__petition=p).first() or _no_step(),
        note=d.get("note", "")),
    "resolve": lambda u, p, d: svc.do_resolve_backlog(u, p, note=d.get("note", "")),
}


def _id(v) -> int:
    """A posted id as an int; 0 (no such row) for anything but 1-18 ASCII digits ("¹" used to reach the database
    and come back as the misleading “日期格式应为年-月-日”)."""
    v = (v or "").strip()
    return int(v) if v.isascii() and v.isdigit() and len(v) <= 18 else 0


def _no_step():
    raise LuoshiError("no such step", "化解措施不存在", field="step")


@login_required
@require_POST
def action(request, pk: int, name: str):
    p = _get(request, pk)
    fn = ACTIONS.get(name)
    if fn is None:
        raise Http404
    try:
        fn(request.user, p, request.POST)
    except ValueError as e:  # LuoshiError is a ValueError; so is a malformed date
        messages.error(request, getattr(e, "message_zh", "日期格式应为年-月-日"))
        return redirect("petitions:detail", pk=p.pk)
    messages.success(request, "操作成功。")
    return redirect("petitions:detail", pk=p.pk)


@login_required
def document(request, pk: int, kind: str, fmt: str):
    p = _get(request, pk)
    try:
        data, ctype, name = documents.opinion_file(p, kind, request.user, fmt)
    except LuoshiError:
        raise Http404
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = content_disposition_header(True, name)
    return resp


@login_required
def statistics(request):
    today = timezone.localdate()
    g = request.GET
    try:
        start = dt.date.fromisoformat(g.get("start", "")) if g.get("start") else today.replace(month=1, day=1)
        end = dt.date.fromisoformat(g.get("end", "")) if g.get("end") else today
        stats.check_period(start, end)
    except LuoshiError as e:
        messages.error(request, f"{e.message_zh},已使用默认区间。")
        start, end = today.replace(month=1, day=1), today
    except ValueError:
        messages.error(request, "日期格式应为年-月-日,已使用默认区间。")
        start, end = today.replace(month=1, day=1), today
    qs = visible_petitions(request.user)
    rows = stats.unit_stats(qs, start, end, today)
    return render(request, "petitions/statistics.html", {
        "rows": rows, "total": stats.totals(rows), "start": start, "end": end,
        "monthly": stats.monthly_resolution(qs, end.year)})
