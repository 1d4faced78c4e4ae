"""Accountability pages (/accountability/). Thin: read through `permissions`, write through `services`."""
from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from luoshi.core.params import get_choice, get_date, paginate
from luoshi.core.errors import LuoshiError
from luoshi.core.tabular import append_row
from luoshi.ledger.models import Task
from luoshi.ledger.permissions import visible_tasks
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import TEXT_SUFFIX, picked_units

from . import permissions as perm
from . import services as svc
from . import stats as st
from .documents import bulletin_docx, bulletin_pdf
from .models import Appeal, Bulletin, CauseType, MeasureType, Person, Proposal, Responsibility


def forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = content_disposition_header(True, filename)
    resp["Cache-Control"] = "private, no-store"
    return resp


def _period(request) -> tuple[dt.date, dt.date]:
    """?start=&end= (YYYY-MM-DD); default: this calendar year. A bad date is a 400 naming it;
    a span over 10 years is cut to 10 years."""
    today = svc.today()
    start = get_date(request.GET, "start", "开始日期", dt.date(today.year, 1, 1))
    end = get_date(request.GET, "end", "结束日期", dt.date(today.year, 12, 31))
    if end < start:
        start, end = end, start
    if (end - start).days > 3660:
        start = end - dt.timedelta(days=3660)
    return start, end


@login_required
def index(request):
    user = request.user
    qs = perm.visible_proposals(user).select_related("unit", "task").order_by("-proposed_on", "-id")
    state = get_choice(request.GET, "state", Proposal.State, "办理状态")
    cause = get_choice(request.GET, "cause", CauseType, "问责事由")
    if state:
        qs = qs.filter(state=state)
    if cause:
        qs = qs.filter(cause_type=cause)
    if not (perm.is_officer(user) or user.sees_everything or user.is_leader or user.is_liaison):
        return forbidden(request)
    page = paginate(qs, 30, request.GET.get("page"))
    scope = perm.people_scope(user)
    rows = [(p, scope is None or p.unit_id in scope) for p in page]
    return render(request, "accountability/index.html", {
        "page": page, "rows": rows, "state": state, "cause": cause, "states": Proposal.State.choices,
        "causes": CauseType.choices, "can_propose": perm.can_propose(user), "is_officer": perm.is_officer(user),
        "query": "&".join(f"{k}={v}" for k, v in (("state", state), ("cause", cause)) if v)})


def _proposal_for(request, pk) -> tuple[Proposal, str]:
    p = perm.visible_proposals(request.user).filter(pk=pk).select_related("unit", "task", "decided_by").first()
    if p is None:
        raise Http404
    return p, perm.level(request.user, p)


@login_required
def detail(request, pk: int):
    p, level = _proposal_for(request, pk)
    ctx = {"p": p, "level": level, "is_officer": perm.is_officer(request.user)}
    if level == perm.FULL:
        people = list(p.people.select_related("unit", "suggested_measure", "measure", "user").order_by("id"))
        appeals = {}
        for a in Appeal.objects.filter(person__proposal=p).select_related("new_measure").order_by("id"):
            appeals.setdefault(a.person_id, []).append(a)
        ctx.update(people=[(x, appeals.get(x.pk, [])) for x in people],
                   pending=[x for x in people if x.state == Person.State.PENDING],
                   measures=svc.ladder_all(),
                   responsibilities=Responsibility.choices,
                   units=Unit.objects.filter(is_active=True).order_by("sort_order", "id"),
                   outcomes=[c for c in Appeal.Outcome.choices if c[0] != "pending"],
                   today=svc.today())
    return render(request, "accountability/detail.html", ctx)


def _back(request, p, message=None, error=None):
    if error is not None:
        messages.error(request, error.message_zh)
    elif message:
        messages.success(request, message)
    return redirect("accountability:detail", pk=p.pk)


@login_required
def new(request):
    user = request.user
    if not perm.can_propose(user):
        return forbidden(request, "只有督查员、管理员和纪检/组织部门可以提出问责建议。")
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    error, data = None, {}
    if request.method == "POST":
        data = request.POST
        try:
            unit = (picked_units(data, "unit", units, label="责任单位", required=False) or [None])[0]
            task = None
            if data.get("task"):
                task = visible_tasks(user).filter(number=data["task"].strip()).first()
                if task is None:
                    raise LuoshiError("no such task", f"未找到编号为“{data['task'].strip()}”的督办事项", field="task")
                unit = unit or task.lead_units.order_by("sort_order", "id").first()
            p = svc.do_propose(user, cause_type=CauseType.MANUAL, unit=unit, task=task, facts=data.get("facts", ""),
                               cause_label=data.get("cause_label", ""))
            messages.success(request, f"已提出问责建议 {p.number}")
            return redirect("accountability:detail", pk=p.pk)
        except (LuoshiError, ValueError) as e:
            error = getattr(e, "message_zh", "提交的数据有误")
    return render(request, "accountability/new.html", {"units": units, "error": error, "data": data,
                                                       "unit_text": data.get("unit" + TEXT_SUFFIX, "")},
                  status=400 if error else 200)


def _officer_post(request, pk):
    if not perm.is_officer(request.user):
        return None, forbidden(request, "只有纪检/组织部门可以办理问责。")
    p = perm.visible_proposals(request.user).filter(pk=pk).first()
    if p is None:
        raise Http404
    return p, None


@login_required
@require_POST
def add_person(request, pk: int):
    p, denied = _officer_post(request, pk)
    if denied:
        return denied
    d = request.POST
    try:
        unit = (picked_units(d, "unit", Unit.objects.filter(is_active=True), label="所在单位", required=False)
                or [None])[0]
        svc.do_add_person(request.user, p, name=d.get("name", ""), post=d.get("post", ""), unit=unit,
                          responsibility=d.get("responsibility", ""), measure=d.get("measure") or None)
    except (LuoshiError, ValueError) as e:
        return _back(request, p, error=e if isinstance(e, LuoshiError) else LuoshiError("bad", "提交的数据有误"))
    return _back(request, p, "已添加问责对象")


@login_required
@require_POST
def amend_person(request, pk: int):
    person = get_object_or_404(perm.visible_people(request.user), pk=pk)
    p, denied = _officer_post(request, person.proposal_id)
    if denied:
        return denied
    d = request.POST
    try:
        unit = (picked_units(d, "unit", Unit.objects.filter(Q(is_active=True) | Q(pk=person.unit_id)),
                             label="所在单位", required=False) or [None])[0]
        svc.do_amend_person(request.user, person, post=d.get("post", ""), responsibility=d.get("responsibility", ""),
                            unit=unit)
    except (LuoshiError, ValueError) as e:
        return _back(request, p, error=e if isinstance(e, LuoshiError) else LuoshiError("bad", "提交的数据有误"))
    return _back(request, p, "已修改问责对象")


@login_required
@require_POST
def withdraw_person(request, pk: int):
    person = get_object_or_404(perm.visible_people(request.user), pk=pk)
    p, denied = _officer_post(request, person.proposal_id)
    if denied:
        return denied
    try:
        svc.do_withdraw_person(request.user, person, request.POST.get("reason", ""))
    except LuoshiError as e:
        return _back(request, p, error=e)
    return _back(request, p, "已撤回问责对象")


@login_required
@require_POST
def decide(request, pk: int):
    p, denied = _officer_post(request, pk)
    if denied:
        return denied
    d = request.POST
    measures = {k.split("_", 1)[1]: v for k, v in d.items() if k.startswith("measure_")}
    try:
        svc.do_decide(request.user, p, decision_number=d.get("decision_number", ""), on=d.get("decided_on") or None,
                      measures=measures, note=d.get("note", ""))
    except LuoshiError as e:
        return _back(request, p, error=e)
    return _back(request, p, "已作出问责决定")


@login_required
@require_POST
def appeal(request, pk: int):
    person = perm.visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    try:
        svc.do_submit_appeal(request.user, person, request.POST.get("text", ""))
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    else:
        messages.success(request, "已提交")
    if perm.is_officer(request.user):
        return redirect("accountability:detail", pk=person.proposal_id)
    return redirect("accountability:mine")


@login_required
@require_POST
def decide_appeal(request, pk: int):
    a = Appeal.objects.filter(pk=pk, person__in=perm.visible_people(request.user)).select_related("person").first()
    if a is None:
        raise Http404
    p, denied = _officer_post(request, a.person.proposal_id)
    if denied:
        return denied
    try:
        svc.do_decide_appeal(request.user, a, outcome=request.POST.get("outcome", ""),
                             measure=request.POST.get("measure") or None, note=request.POST.get("note", ""))
    except LuoshiError as e:
        return _back(request, p, error=e)
    return _back(request, p, "已处理申辩/申诉")


@login_required
def mine(request):
    """The person's own records (本人问责记录) and the 申诉 form."""
    records = (Person.objects.filter(user=request.user).select_related("proposal", "unit", "measure")
               .prefetch_related("appeals").order_by("-id"))
    return render(request, "accountability/mine.html", {"records": records,
                                                        "appeal_days": svc.config()["appeal_days"]})


@login_required
def statistics(request):
    user = request.user
    if not perm.can_read_statistics(user):
        return forbidden(request)
    start, end = _period(request)
    data = st.statistics(start, end, perm.statistics_units(user))
    if request.GET.get("format") == "xlsx":
        return _attachment(_stats_xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           f"问责统计_{start}_{end}.xlsx")
    return render(request, "accountability/statistics.html", {"s": data, "start": start, "end": end})


def _stats_xlsx(s: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "问责统计"
    append_row(ws, [f"问责统计 {s['start']} 至 {s['end']}"])
    append_row(ws, [s["summary"]])
    for title, rows in (("按措施", [(n, c, x) for n, c, x in s["by_measure"]]), ("按责任类型", s["by_responsibility"]),
                        ("按问责事由", s["by_cause"]), ("按月份", s["by_month"]), ("按单位", s["by_unit"])):
        append_row(ws, [])
        append_row(ws, [title])
        for r in rows:
            append_row(ws, list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@login_required
def people_export(request):
    """The personal records the user may read, as .xlsx (officers: all; leaders: their scope)."""
    user = request.user
    if perm.people_scope(user) == set():
        return forbidden(request, "只有纪检/组织部门和有权限的领导可以导出问责对象名单。")
    from openpyxl import Workbook

    start, end = _period(request)
    qs = (perm.visible_people(user).filter(proposal__proposed_on__gte=start, proposal__proposed_on__lte=end)
          .select_related("proposal", "unit", "measure", "suggested_measure").order_by("proposal_id", "id"))
    wb = Workbook()
    ws = wb.active
    ws.title = "问责对象"
    ws.append(["问责建议编号", "问责事由", "姓名", "职务", "单位", "责任类型", "建议措施", "决定措施", "状态", "决定日期", "决定文号"])
    for x in qs.iterator(chunk_size=1000):
        append_row(ws, [v for v in (x.proposal.number, x.proposal.get_cause_type_display(), x.name, x.post,
                                      x.unit.name, x.get_responsibility_display(), x.suggested_measure.name,
                                      x.measure.name if x.measure else "", x.get_state_display(),
                                      x.decided_on.isoformat() if x.decided_on else "", x.proposal.decision_number)])
    buf = io.BytesIO()
    wb.save(buf)
    return _attachment(buf.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       f"问责对象_{start}_{end}.xlsx")


# ---- 典型问题通报 ---------------------------------------------------------------------------

def visible_bulletins(user):
    """Officers: every bulletin; leaders, 督查员, 管理员: published ones (masked); others: none."""
    if perm.is_officer(user):
        return Bulletin.objects.all()
    if user.is_leader or user.sees_everything:
        return Bulletin.objects.filter(is_published=True)
    return Bulletin.objects.none()


@login_required
def bulletins(request):
    user = request.user
    if not (perm.is_officer(user) or user.is_leader or user.sees_everything):
        return forbidden(request)
    error = None
    if request.method == "POST":
        if not perm.is_officer(user):
            return forbidden(request, "只有纪检/组织部门可以起草通报。")
        ids = [int(x) for x in request.POST.getlist("proposals") if x.isdigit()]
        try:
            b = svc.do_create_bulletin(user, title=request.POST.get("title", ""), intro=request.POST.get("intro", ""),
                                       closing=request.POST.get("closing", ""),
                                       proposals=Proposal.objects.filter(pk__in=ids))
            messages.success(request, f"已起草通报 {b.number}")
            return redirect("accountability:bulletin", pk=b.pk)
        except LuoshiError as e:
            error = e.message_zh
    decided = (Proposal.objects.filter(state=Proposal.State.DECIDED).select_related("unit").order_by("-decided_on")[:200]
               if perm.is_officer(user) else [])
    return render(request, "accountability/bulletins.html", {
        "bulletins": visible_bulletins(user).order_by("-issued_on", "-id"), "decided": decided, "error": error,
        "is_officer": perm.is_officer(user)}, status=400 if error else 200)


@login_required
def bulletin(request, pk: int):
    b = get_object_or_404(visible_bulletins(request.user), pk=pk)
    from .documents import case_paragraphs

    officer = perm.is_officer(request.user)
    return render(request, "accountability/bulletin.html", {
        "b": b, "cases": case_paragraphs(b, masked=True), "is_officer": officer})


@login_required
def bulletin_document(request, pk: int, fmt: str):
    """.docx or .pdf; names masked unless an officer asks for ?masked=0 (internal version)."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    b = get_object_or_404(visible_bulletins(request.user), pk=pk)
    masked = not (perm.is_officer(request.user) and request.GET.get("masked") == "0")
    name = f"{b.title}{'' if masked else '(内部)'}"
    if fmt == "pdf":
        return _attachment(bulletin_pdf(b, masked=masked), "application/pdf", f"{name}.pdf")
    return _attachment(bulletin_docx(b, masked=masked),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", f"{name}.docx")


@login_required
@require_POST
def bulletin_publish(request, pk: int):
    b = get_object_or_404(visible_bulletins(request.user), pk=pk)
    try:
        svc.do_publish_bulletin(request.user, b)
    except LuoshiError as e:
        messages.error(request, e.message_zh)
        return redirect("accountability:bulletin", pk=b.pk)
    messages.success(request, "通报已在公示网站公开(姓名已隐去)")
    return redirect("accountability:bulletin", pk=b.pk)


@login_required
@require_POST
def bulletin_withdraw(request, pk: int):
    b = get_object_or_404(visible_bulletins(request.user), pk=pk)
    if not perm.is_officer(request.user):
        return forbidden(request, "只有纪检/组织部门可以撤回通报。")
    try:
        svc.do_withdraw_bulletin(request.user, b, request.POST.get("reason", ""))
    except LuoshiError as e:
        messages.error(request, e.message_zh)
        return redirect("accountability:bulletin", pk=b.pk)
    messages.success(request, "通报已从公示网站撤回")
    return redirect("accountability:bulletin", pk=b.pk)
