"""Pages of the cases app: staff pages under /cases/, citizen pages under /public/.
Views stay thin: reading goes through permissions/present, writing through services."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from luoshi.core.params import get_choice, paginate
from luoshi.core.errors import LuoshiError
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import TEXT_SUFFIX, picked_units

from . import permissions as perm
from . import services as svc
from .forms import HotlineForm, LookupForm, RateForm, ReportForm
from .maps import allow_tiles, map_config
from .models import UNIT_STATUSES, Case, CasePhoto, Category, Channel, Kind, Status
from .present import case_dict

PAGE_SIZE = 20
ACTION_LABELS = {
    "register": "立案", "dispatch": "派遣", "sign": "签收", "return": "退单", "handle": "处置", "investigate": "调查",
    "find": "认定及处理意见", "reply": "办结反馈", "verify": "核查", "visit": "回访", "close": "结案", "void": "作废",
    "merge": "合并", "extend": "申请延期", "approve_extension": "同意延期", "reject_extension": "不同意延期",
}
EVENT_LABELS = {**ACTION_LABELS, "receive": "受理", "rework": "核查未通过(返工)", "rate": "反映人评价",
                "extension_request": "申请延期", "extension_approve": "同意延期", "extension_reject": "不同意延期",
                "supervision.notice": "督办单", "supervision.escalation": "升级督办",
                "supervision.notice_ack": "签收督办单", "supervision.notice_answer": "回复督办单",
                "supervision.notice_review": "督办单回复审核"}


def _forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _filtered(request):
    """The reader's cases (scope rule) filtered by the list's query: (queryset, status, kind, q)."""
    qs = perm.visible_cases(request.user).select_related("category", "responsible_unit", "subject_unit")
    status = get_choice(request.GET, "status", Status, "办理状态")
    kind = get_choice(request.GET, "kind", Kind, "类别")
    q = request.GET.get("q", "")[:100]
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(number__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q))
    return qs, status, kind, q


_LIGHT_CHIPS = {"red": ("overdue", "超期"), "yellow": ("due_soon", "临期")}


def light_chip(case: Case, now=None) -> tuple[str, str] | None:
    """The light of a case on its unit (the sweep's rule, sweep.case_light) as the tasks' chip:
    ("overdue", "超期") or ("due_soon", "临期"); None when green or when the clock is not running."""
    if case.status not in UNIT_STATUSES or case.deadline is None:
        return None
    from .sweep import case_light

    return _LIGHT_CHIPS.get(case_light(case.deadline, case.dispatched_at, now or timezone.now()))


@login_required
def case_list(request):
    qs, status, kind, q = _filtered(request)
    page = paginate(qs.order_by("-created_at", "-id"), PAGE_SIZE, request.GET.get("page"))
    now = timezone.now()
    rows = [(c, perm.reporter_view(request.user, c), light_chip(c, now)) for c in page]
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in (("status", status), ("kind", kind), ("q", q)) if v})
    return render(request, "cases/list.html", {
        "page": page, "rows": rows, "statuses": Status.choices, "kinds": Kind.choices, "status": status,
        "kind": kind, "q": q, "office": perm.is_office(request.user), "query": query})


@login_required
def export(request, fmt: str):
    """案件清单导出 (.xlsx or .csv) of the cases the list shows the reader (same filters, same scope)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from .exports import cases_csv, cases_xlsx

    qs, *_ = _filtered(request)
    if fmt == "xlsx":
        data, ctype = cases_xlsx(request.user, qs), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, ctype = cases_csv(request.user, qs), "text/csv; charset=utf-8"
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = content_disposition_header(True, f"诉求案件_{timezone.localdate():%Y%m%d}.{fmt}")
    return resp


def _active_units():
    return Unit.objects.filter(is_active=True).order_by("sort_order", "id")


@login_required
def case_detail(request, pk):
    case = get_object_or_404(perm.visible_cases(request.user).select_related(
        "category", "responsible_unit", "subject_unit", "parent"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            data = request.POST.dict()
            if data.get("unit" + TEXT_SUFFIX):  # a 责任单位 typed by name (no JavaScript, large organisation)
                data["unit"] = str(picked_units(request.POST, "unit", _active_units(), label="责任单位")[0].pk)
            svc.do_transition(request.user, case, action, data)
            messages.success(request, f"已{ACTION_LABELS.get(action, '处理')}")
        except LuoshiError as exc:
            messages.error(request, exc.message_zh)
        return redirect("cases:detail", pk=case.pk)
    d = case_dict(request.user, case, detail=True)
    for e in d["events"]:
        e["label"] = EVENT_LABELS.get(e["kind"], e["kind"])
        e["to_label"] = Status(e["to_status"]).label if e["to_status"] in Status.values else ""
        e["at_local"] = timezone.localtime(dt.datetime.fromisoformat(e["at"])).strftime("%Y-%m-%d %H:%M")
    actions = [(a, ACTION_LABELS[a]) for a in svc.available_actions(request.user, case)]
    dups = []
    if perm.is_office(request.user) and case.status in (Status.RECEIVED, Status.REGISTERED, Status.RETURNED):
        from .dedup import find_duplicates

        dups = find_duplicates(description=case.description, address=case.address, lat=case.lat, long=case.long,
                               category=case.category, at=case.created_at, exclude_id=case.pk)
    units = _active_units() if "dispatch" in dict(actions) else None
    from .routing import route

    suggested = route(case.category, case.area, case.subject_unit) if units else None
    shown = map_config(point=(case.lat, case.long)) if case.lat is not None and case.long is not None else None
    return allow_tiles(render(request, "cases/detail.html", {
        "case": case, "d": d, "actions": actions, "dups": dups, "units": units, "suggested": suggested,
        "see_reporter": perm.can_see_reporter(request.user, case), "map": shown, "light": light_chip(case)}),
        shown)


@login_required
def photo(request, pk, variant):
    p = get_object_or_404(CasePhoto, pk=pk)
    if not perm.can_read(request.user, p.case):
        raise Http404
    if variant == "original":
        if not perm.can_see_reporter(request.user, p.case):
            raise Http404
        f = p.original
    elif variant == "public":
        f = p.public
    else:
        raise Http404
    resp = FileResponse(f.open("rb"))
    resp["Content-Type"] = "image/jpeg" if variant == "public" else "application/octet-stream"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def hotline(request):
    """12345 话务员 entry screen; possible duplicates appear while typing (static/cases/hotline.js)."""
    if not perm.can_intake(request.user):
        return _forbidden(request, "只有话务员和督查办可以登记来电。")
    form = HotlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            case, code = svc.do_create_case(
                request.user, kind=cd["kind"], category=cd["category"], description=cd["description"],
                address=cd["address"], reporter_name=cd["reporter_name"], reporter_phone=cd["reporter_phone"],
                anonymous=cd["anonymous"], subject_unit=cd["subject_unit"] or None, channel=Channel.HOTLINE)
        except LuoshiError as exc:
            messages.error(request, exc.message_zh)
        else:
            messages.success(request, f"已受理,案件编号 {case.number},查询码 {code}(请告知来电人)")
            return redirect("cases:hotline")
    return render(request, "cases/hotline.html", {"form": form})


@login_required
def stats_page(request):
    from .stats import case_stats, parse_period

    by = get_choice(request.GET, "by", ("unit", "category"), "分组方式", default="unit")
    try:
        start, end = parse_period(request.GET.get("period", ""))
    except LuoshiError as exc:
        messages.error(request, exc.message_zh)
        start = end = None
    rows = case_stats(request.user, start, end, by=by)
    chart = {"names": [r["name"] for r in rows][:30],
             "on_time": [r["on_time_rate"] for r in rows][:30],
             "satisfaction": [r["satisfaction_rate"] for r in rows][:30]}
    return render(request, "cases/stats.html", {"rows": rows, "by": by, "period": request.GET.get("period", ""),
                                                "chart": chart})


# ---- citizen pages (/public/) ------------------------------------------------

def _rate() -> str:
    return getattr(settings, "LUOSHI_PUBLIC_REPORT_RATE", "10/h")


def public_report(request):
    """公众在线反映: no login; rate-limited per address; offline captcha."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if is_ratelimited(request, group="public-report", key="ip", rate=_rate(), increment=True):
            return _report_page(request, {"form": form, "error": "提交过于频繁,请稍后再试。"}, status=429)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                case, code = svc.do_create_case(
                    None, kind=cd["kind"], category=cd["category"], description=cd["description"],
                    address=cd["address"], lat=cd["lat"] or None, long=cd["long"] or None,
                    reporter_name=cd["reporter_name"], reporter_phone=cd["reporter_phone"],
                    reporter_email=cd["reporter_email"], anonymous=cd["anonymous"],
                    subject_unit=cd["subject_unit"] or None, subject_person=cd["subject_person"],
                    channel=Channel.WEB, photos=request.FILES.getlist("photos"))
            except LuoshiError as exc:
                return _report_page(request, {"form": form, "error": exc.message_zh}, status=400)
            return render(request, "cases/public_done.html", {"number": case.number, "code": code})
        return _report_page(request, {"form": form, "error": "请检查填写的内容。"}, status=400)
    return _report_page(request, {"form": form})


def _report_page(request, ctx: dict, status: int = 200):
    """The report form, with the map (cases.maps) when a tile server is configured."""
    cfg = map_config(pick=True)
    return allow_tiles(render(request, "cases/public_report.html", {**ctx, "map": cfg}, status=status), cfg)


def _public_view(case: Case) -> dict:
    shown = case.parent if case.parent_id else case
    return {"number": case.number, "status": shown.get_status_display(), "category": case.category.name,
            "created_at": case.created_at, "merged_into": case.parent.number if case.parent_id else "",
            "reply": shown.public_reply, "rating": case.get_rating_display() if case.rating else "",
            "events": [(e.at, EVENT_LABELS.get(e.kind, e.kind), e.note) for e in shown.events.filter(public=True)],
            "can_rate": shown is case and case.status in (Status.REPLIED, Status.VERIFIED) and not (
                case.reopened and case.rating == "unsatisfied" and case.status == Status.REPLIED)}


def public_case(request):
    """Lookup by number + query code; then rate (满意/基本满意/不满意)."""
    if request.method == "POST":
        if is_ratelimited(request, group="public-case", key="ip", rate="30/m", increment=True):
            return render(request, "cases/public_case.html", {"form": LookupForm(), "error": "查询过于频繁,请稍后再试。"},
                          status=429)
        form = RateForm(request.POST) if request.POST.get("rating") else LookupForm(request.POST)
        if form.is_valid():
            case = svc.find_by_code(form.cleaned_data["number"], form.cleaned_data["code"])
            if case is None:
                return render(request, "cases/public_case.html", {"form": form, "error": "案件编号或查询码不正确。"},
                              status=404)
            msg = ""
            if "rating" in form.cleaned_data:
                try:
                    svc.do_rate_case(case, form.cleaned_data["rating"], form.cleaned_data.get("comment", ""))
                    msg = "感谢您的评价!"
                    case.refresh_from_db()
                except LuoshiError as exc:
                    msg = exc.message_zh
            return render(request, "cases/public_case.html", {
                "form": form, "v": _public_view(case), "message": msg,
                "number": form.cleaned_data["number"], "code": form.cleaned_data["code"]})
        return render(request, "cases/public_case.html", {"form": form, "error": "请填写案件编号和查询码。"}, status=400)
    return render(request, "cases/public_case.html", {"form": LookupForm()})
