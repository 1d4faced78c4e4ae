"""Assessment pages (考核). Thin: reads through the scope functions of services, writes through do_…;
a refusal (LuoshiError) becomes a message and a redirect, nothing half-written."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from luoshi.core.errors import LuoshiError
from luoshi.core.params import get_date
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import picked_units

from . import documents, scoring
from . import services as svc
from .models import (Appeal, Group, Indicator, ItemResult, Plan, ReportedFigure, ScoreRun, Survey, SurveyLink,
                     UnitResult)
from .sources import method_choices


def forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _office_only(request):
    return None if request.user.sees_everything else forbidden(request)


def _active_units():
    return Unit.objects.filter(is_active=True).order_by("sort_order", "id")


def plan_members(plan: Plan):
    """The plan's member units (参评单位) today (or at the end of its period), as a queryset."""
    per = svc.parse_period(plan.period)
    members = scoring.group_members(plan.group, min(per.end, timezone.localdate()))
    return Unit.objects.filter(pk__in=[u.pk for u in members]).order_by("sort_order", "id")


def plan_member_ids(user, raw) -> set[int]:
    """GET /api/units/search/?members_of=<plan>: the plan's member units (the plan editor's choosers; the
    office only)."""
    from luoshi.core.errors import deny
    from luoshi.core.params import parse_id

    pk = parse_id(raw, "members_of", "考核方案")
    if not getattr(user, "sees_everything", False):
        deny("choose the member units of an assessment plan", "选择考核方案的参评单位")
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise LuoshiError(f"members_of: no assessment plan {pk}", "考核方案不存在", field="members_of")
    return set(plan_members(plan).values_list("id", flat=True))


def _back(request, default):
    return redirect(request.POST.get("next") or default)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = content_disposition_header(True, filename)
    return resp


def _date(value, label):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise LuoshiError(f"{label} is not a date", f"{label}日期无效", field=label) from None


# ---------------------------------------------------------------- index, plans

@login_required
def index(request):
    user = request.user
    plans = svc.visible_plans(user).order_by("-period", "group", "code")
    runs = svc.visible_runs(user).select_related("plan").order_by("-id")
    published = {}
    for r in runs.filter(state=ScoreRun.State.PUBLISHED):
        published.setdefault(r.plan_id, r)
    return render(request, "assessment/index.html", {
        "plans": [(p, published.get(p.id)) for p in plans], "groups": Group.choices,
        "pending_figures": (ReportedFigure.objects.filter(state="submitted", superseded=False).count()
                            if user.sees_everything else 0),
        "pending_appeals": svc.visible_appeals(user).filter(state=Appeal.State.PENDING).count(),
    })


@login_required
@require_POST
def plan_new(request):
    if (r := _office_only(request)) is not None:
        return r
    p = request.POST
    try:
        plan = svc.do_save_plan(request.user, code=p.get("code", ""), name=p.get("name", ""),
                                period=p.get("period", ""), group=p.get("group", ""),
                                missing_policy=p.get("missing_policy") or "zero",
                                excellent_quota=p.get("excellent_quota") or 20)
    except LuoshiError as e:
        messages.error(request, e.message_zh)
        return redirect("assessment:index")
    messages.success(request, f"已创建考核方案“{plan.name}”")
    return redirect("assessment:plan", pk=plan.pk)


def _tree_rows(plan):
    inds = scoring.plan_tree(plan)
    kids = {}
    for i in inds:
        kids.setdefault(i.parent_id, []).append(i)
    return [(i, i.level, not kids.get(i.id)) for i in inds]


@login_required
def plan_detail(request, pk: int):
    if (r := _office_only(request)) is not None:
        return r
    plan = get_object_or_404(Plan, pk=pk)
    try:
        leaves = svc.scoring.validate_plan(plan)
        problem = None
    except LuoshiError as e:
        leaves, problem = [], e.message_zh
    rows = _tree_rows(plan)
    everything = sorted(plan.indicators.all(), key=lambda i: (svc._code_key(i.code), i.id))
    members = plan_members(plan)
    return render(request, "assessment/plan.html", {
        "plan": plan, "rows": rows, "problem": problem, "leaves": leaves,
        "kinds": Indicator.Kind.choices, "methods": method_choices(), "members": members,
        "member_ids": list(members.values_list("id", flat=True)),
        "runs": plan.runs.order_by("-id")[:20],
        "expert_inds": [i for i, _, leaf in rows if leaf and i.method == "expert"],
        "manual_inds": [i for i, _, leaf in rows if leaf and i.method == "manual"],
        "survey_inds": [i for i, _, leaf in rows if leaf and i.method == "survey"],
        "target_inds": [(i, _unit_target_lines(i)) for i, _, leaf in rows if leaf and i.kind == Indicator.Kind.SCORED
                        and {**(svc.get_source(i.method).default_params if i.method else {}),
                             **(i.params or {})}.get("rule") == "target"],
        "surveys": Survey.objects.filter(indicator__plan=plan).annotate(n=Count("links__responses")),
        "groups": Group.choices, "today": timezone.localdate(),
        "parents": [i for i, level, _ in rows if level < 3 and i.kind == Indicator.Kind.SCORED],
        "inactive": [i for i in everything if not i.is_active], "all_indicators": everything,
        "sheets": plan.sheets.select_related("rater").prefetch_related("units").annotate(n=Count("scores")),
        "experts": _experts(),
    })


def _unit_target_lines(ind) -> str:
    own = (ind.params or {}).get("unit_targets") or {}
    names = dict(Unit.objects.filter(pk__in=[int(k) for k in own]).values_list("pk", "name"))
    return "\n".join(f"{names.get(int(k), k)}|{Decimal(str(v)).normalize():f}" for k, v in own.items())


def _experts():
    from luoshi.accounts.models import Role, User

    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("display_name", "id")


def _params_from(post) -> dict:
    out = {}
    for k in ("rule", "direction", "full_at", "zero_at", "per", "target"):
        v = (post.get(k) or "").strip()
        if v:
            out[k] = v
    return out


@login_required
@require_POST
def indicator_save(request, pk: int, ind_pk: int | None = None):
    if (r := _office_only(request)) is not None:
        return r
    plan = get_object_or_404(Plan, pk=pk)
    p = request.POST
    try:
        if ind_pk:
            ind = get_object_or_404(Indicator, pk=ind_pk, plan=plan)
            fields = {k: p[k] for k in ("name", "weight", "cap") if k in p}
            svc.do_save_indicator(request.user, plan, ind, **fields)
        else:
            parent = plan.indicators.filter(pk=p.get("parent") or 0).first()
            svc.do_save_indicator(request.user, plan, parent=parent, code=p.get("code", ""), name=p.get("name", ""),
                                  kind=p.get("kind") or "scored", weight=p.get("weight") or 0,
                                  method=p.get("method", ""), params=_params_from(p), cap=p.get("cap", ""),
                                  description=p.get("description", ""))
        messages.success(request, "指标已保存")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:plan", pk=plan.pk)


@login_required
@require_POST
def indicator_move(request, pk: int):
    """移动/调整顺序: an indicator (with its sub-indicators) under another parent or at another position."""
    if (r := _office_only(request)) is not None:
        return r
    plan = get_object_or_404(Plan, pk=pk)
    p = request.POST
    ind = get_object_or_404(Indicator, pk=p.get("indicator") or 0, plan=plan)
    parent = get_object_or_404(Indicator, pk=p["parent"], plan=plan) if (p.get("parent") or "").isdigit() else None
    try:
        ind = svc.do_move_indicator(request.user, ind, parent=parent, position=p.get("position") or 999)
        messages.success(request, f"已移动:{ind.code} {ind.name}")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:plan", pk=plan.pk)


@login_required
@require_POST
def indicator_active(request, pk: int):
    """停用/启用 an indicator (never deleted), optionally handing its weight to / taking it from a sibling."""
    if (r := _office_only(request)) is not None:
        return r
    plan = get_object_or_404(Plan, pk=pk)
    p = request.POST
    ind = get_object_or_404(Indicator, pk=p.get("indicator") or 0, plan=plan)
    balance = (get_object_or_404(Indicator, pk=p["balance_with"], plan=plan)
               if (p.get("balance_with") or "").isdigit() else None)
    try:
        ind = svc.do_set_indicator_active(request.user, ind, p.get("active") == "1", reason=p.get("reason", ""),
                                          balance_with=balance)
        messages.success(request, f"已{'启用' if ind.is_active else '停用'}:{ind.code} {ind.name}")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:plan", pk=plan.pk)


def _unit_targets_from(text: str) -> dict:
    """One unit per line: 单位名称|目标值 (an empty value removes the unit's own target)."""
    from luoshi.orgs.services import match_units

    pairs = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        name, sep, value = line.replace("|", "|").partition("|")
        if not sep:
            raise LuoshiError(f"line {n} needs unit|target", f"第{n}行应为“单位名称|目标值”", field="targets")
        pairs.append((n, name.strip(), value.strip()))
    if len(pairs) > 5000:
        raise LuoshiError("at most 5000 lines", "一次最多设置5000个单位", field="targets")
    found = match_units([name for _, name, _ in pairs])
    out = {}
    for n, name, value in pairs:
        if found.get(name) is None:
            raise LuoshiError(f"line {n}: unknown unit {name}", f"第{n}行的单位“{name}”不存在", field="targets")
        out[found[name]] = value or None
    return out


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    if (r := _office_only(request)) is not None:
        return r
    plan = get_object_or_404(Plan, pk=pk)
    p, user = request.POST, request.user
    try:
        if action == "run":
            run = svc.do_run_scores(user, plan, p.get("period") or None,
                                    _date(p["as_of"], "数据截止日") if p.get("as_of") else None)
            messages.success(request, f"已完成试算:{run.units_count}个单位")
            return redirect("assessment:run", pk=run.pk)
        if action == "expert":
            ind = get_object_or_404(Indicator, pk=p.get("indicator"), plan=plan)
            svc.do_record_expert_score(user, ind, picked_units(p, "unit", plan_members(plan), label="被评单位")[0],
                                       p.get("rater", ""),
                                       p.get("score", ""), p.get("note", ""))
            messages.success(request, "评分已录入")
        elif action == "adjust":
            ind = get_object_or_404(Indicator, pk=p.get("indicator"), plan=plan)
            svc.do_add_adjustment(user, ind, picked_units(p, "unit", plan_members(plan))[0],
                                  reason=p.get("reason", ""),
                                  on=_date(p.get("on"), "日期"), amount=p.get("amount") or 1)
            messages.success(request, "已登记")
        elif action == "survey":
            ind = get_object_or_404(Indicator, pk=p.get("indicator"), plan=plan)
            questions = [{"text": t.strip()} for t in p.get("questions", "").splitlines() if t.strip()]
            svc.do_create_survey(user, ind, title=p.get("title", ""), questions=questions,
                                 opens_on=_date(p.get("opens_on"), "开始日期"),
                                 closes_on=_date(p.get("closes_on"), "截止日期"), mode=p.get("mode") or "open",
                                 codes_per_unit=int(p.get("codes") or 0) if (p.get("codes") or "0").isdigit() else 0)
            messages.success(request, "问卷已创建")
        elif action == "sheet":
            from luoshi.accounts.models import User

            rater = User.objects.filter(pk=p.get("rater") or 0, role="expert").first()
            units = picked_units(p, "units", plan_members(plan), multiple=True, label="被评单位", required=False)
            sheet = svc.do_assign_sheet(user, plan, rater, units, rater_name=p.get("rater_name", ""))
            messages.success(request, f"已分配{sheet.rater_name}的评分表")
        elif action == "targets":
            ind = get_object_or_404(Indicator, pk=p.get("indicator"), plan=plan)
            svc.do_set_unit_targets(user, ind, _unit_targets_from(p.get("targets", "")))
            messages.success(request, "单位目标值已保存")
        elif action == "move":
            svc.do_move_unit_group(user, picked_units(p, "unit", plan_members(plan))[0], p.get("group", ""),
                                   _date(p.get("since"), "起始日期"))
            messages.success(request, "已调整考核分组")
        else:
            raise Http404
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:plan", pk=plan.pk)


@login_required
def survey_links(request, pk: int):
    """The public links (and unused one-time codes) of a survey, for the office to hand out."""
    if (r := _office_only(request)) is not None:
        return r
    survey = get_object_or_404(Survey, pk=pk)
    links = survey.links.select_related("unit").annotate(
        n=Count("responses", distinct=True), unused=Count("codes", filter=Q(codes__used_at__isnull=True), distinct=True))
    return render(request, "assessment/survey_links.html", {"survey": survey, "links": links})


# ---------------------------------------------------------------- reported data

@login_required
def report(request):
    """单位填报: the unit's reported indicators in active plans, with its figures and their review state."""
    user = request.user
    if not (user.is_liaison and user.unit_id):
        return forbidden(request, "只有单位联络员可以填报本单位数据。")
    rows = []
    for plan in Plan.objects.exclude(state=Plan.State.CLOSED).order_by("-period", "code"):
        per = svc.parse_period(plan.period)
        if user.unit_id not in {u.id for u in scoring.group_members(plan.group, min(per.end, timezone.localdate()))}:
            continue
        for ind in svc.reported_indicators(plan):
            figs = list(ReportedFigure.objects.filter(indicator=ind, unit_id=user.unit_id).order_by("-id")[:5])
            rows.append({"plan": plan, "ind": ind, "figures": figs, "current": figs[0] if figs else None,
                         "target": svc.unit_target(ind, user.unit_id)})
    return render(request, "assessment/report.html", {"rows": rows})


@login_required
@require_POST
def report_submit(request, ind_pk: int):
    ind = get_object_or_404(Indicator, pk=ind_pk)
    try:
        svc.do_submit_figure(request.user, ind, request.POST.get("value", ""), note=request.POST.get("note", ""),
                             evidence=request.FILES.get("evidence"))
        messages.success(request, f"已提交“{ind.name}”的填报数据,待考核办审核")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:report")


@login_required
def review(request):
    if (r := _office_only(request)) is not None:
        return r
    figs = (ReportedFigure.objects.filter(state="submitted", superseded=False)
            .select_related("indicator__plan", "unit", "submitted_by").order_by("submitted_at", "id"))
    return render(request, "assessment/review.html", {"figures": figs})


@login_required
@require_POST
def review_figure(request, pk: int):
    if (r := _office_only(request)) is not None:
        return r
    fig = get_object_or_404(ReportedFigure, pk=pk)
    try:
        svc.do_review_figure(request.user, fig, accept=request.POST.get("decision") == "accept",
                             note=request.POST.get("note", ""))
        messages.success(request, "审核意见已保存")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:review")


@login_required
def figure(request, pk: int):
    """A reported figure's evidence file (scoped like the figure)."""
    fig = svc.visible_figures(request.user).filter(pk=pk).first()
    if fig is None or not fig.evidence:
        raise Http404
    resp = FileResponse(fig.evidence.open("rb"))
    resp["Content-Disposition"] = content_disposition_header(True, fig.evidence.name.rsplit("/", 1)[-1])
    return resp


# ---------------------------------------------------------------- results

def _visible_run(request, pk):
    run = svc.visible_runs(request.user).select_related("plan").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@login_required
def run_detail(request, pk: int):
    run = _visible_run(request, pk)
    urs = list(run.units.order_by("position"))
    chart = {"units": [u.unit_name for u in urs], "totals": [float(u.total) for u in urs],
             "grades": [u.grade for u in urs]}
    user = request.user
    return render(request, "assessment/run.html", {
        "run": run, "results": urs, "chart": chart, "can_publish": user.sees_everything and run.state == "draft",
        "cards": {u.unit_id for u in urs if svc.can_see_card(user, run, u.unit_id)},
        "appeals": svc.visible_appeals(user).filter(run=run).select_related("item__indicator", "unit"),
    })


@login_required
@require_POST
def run_publish(request, pk: int):
    if (r := _office_only(request)) is not None:
        return r
    run = get_object_or_404(ScoreRun, pk=pk)
    try:
        svc.do_publish_run(request.user, run)
        messages.success(request, "考核结果已发布,申诉期已开始")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:run", pk=run.pk)


@login_required
def card(request, pk: int, unit_id: int):
    run = _visible_run(request, pk)
    if not svc.can_see_card(request.user, run, unit_id):
        raise Http404
    ur = get_object_or_404(UnitResult, run=run, unit_id=unit_id)
    items = list(ur.items.select_related("indicator").order_by("id"))
    pending = set(Appeal.objects.filter(item__in=items, state="pending").values_list("item_id", flat=True))
    user = request.user
    can_appeal = (user.is_liaison and user.unit_id == unit_id and run.state == ScoreRun.State.PUBLISHED
                  and run.appeal_until and timezone.localdate() <= run.appeal_until)
    return render(request, "assessment/card.html", {
        "run": run, "ur": ur, "items": items, "pending": pending, "can_appeal": can_appeal,
        "group_size": run.units.count(),
        "appeals": Appeal.objects.filter(run=run, unit_id=unit_id).select_related("item__indicator"),
    })


@login_required
def item_rows(request, pk: int, item_pk: int):
    run = _visible_run(request, pk)
    item = get_object_or_404(ItemResult.objects.select_related("result", "indicator"), pk=item_pk, result__run=run)
    if not svc.can_see_card(request.user, run, item.result.unit_id):
        raise Http404
    return render(request, "assessment/rows.html", {"run": run, "item": item, "rows": svc.card_rows(item, run)})


@login_required
def bulletin(request, pk: int, fmt: str):
    if fmt not in ("docx", "pdf"):
        raise Http404
    run = _visible_run(request, pk)
    data = documents.bulletin_data(run)
    name = f"考核结果通报_{run.plan.code}_{run.period}"
    if fmt == "docx":
        return _attachment(documents.bulletin_docx(data),
                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name + ".docx")
    return _attachment(documents.bulletin_pdf(data), "application/pdf", name + ".pdf")


# ---------------------------------------------------------------- appeals

@login_required
@require_POST
def appeal_submit(request, item_pk: int):
    item = get_object_or_404(ItemResult.objects.select_related("result__run"), pk=item_pk)
    run = item.result.run
    if not svc.can_see_card(request.user, run, item.result.unit_id):
        raise Http404
    try:
        svc.do_submit_appeal(request.user, item, request.POST.get("reason", ""), request.FILES.get("evidence"))
        messages.success(request, "申诉已提交,请等待考核办处理")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:card", pk=run.pk, unit_id=item.result.unit_id)


@login_required
def appeals(request):
    qs = svc.visible_appeals(request.user).select_related("run__plan", "unit", "item__indicator", "submitted_by")
    return render(request, "assessment/appeals.html", {"appeals": qs.order_by("state", "-submitted_at")[:300]})


@login_required
@require_POST
def appeal_decide(request, pk: int):
    if (r := _office_only(request)) is not None:
        return r
    appeal = get_object_or_404(Appeal, pk=pk)
    try:
        svc.do_decide_appeal(request.user, appeal, uphold=request.POST.get("decision") == "uphold",
                             note=request.POST.get("note", ""), new_points=request.POST.get("new_points"))
        messages.success(request, "申诉已处理,排名已重新计算")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:appeals")


@login_required
def appeal_evidence(request, pk: int):
    appeal = svc.visible_appeals(request.user).filter(pk=pk).first()
    if appeal is None or not appeal.evidence:
        raise Http404
    resp = FileResponse(appeal.evidence.open("rb"))
    resp["Content-Disposition"] = content_disposition_header(True, appeal.evidence.name.rsplit("/", 1)[-1])
    return resp


# ---------------------------------------------------------------- 群众评议 (public, no login)

def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def survey_public(request, token: str):
    link = get_object_or_404(SurveyLink.objects.select_related("survey", "unit"), token=token)
    s = link.survey
    today = timezone.localdate()
    ctx = {"link": link, "survey": s, "open": s.opens_on <= today <= s.closes_on, "done": False, "error": None}
    if request.method == "POST" and ctx["open"]:
        answers = [request.POST.get(f"q{i}") for i in range(len(s.questions))]
        try:
            svc.do_answer_survey(link, answers, address=_client_address(request), code=request.POST.get("code", ""),
                                 comment=request.POST.get("comment", ""))
            ctx["done"] = True
        except LuoshiError as e:
            ctx["error"] = e.message_zh
            return render(request, "assessment/survey_public.html", ctx, status=400 if e.field != "rate" else 429)
    return render(request, "assessment/survey_public.html", ctx)


# ---------------------------------------------------------------- 目标责任状

@login_required
def letters(request):
    from . import letters as lt

    qs = lt.visible_letters(request.user).select_related("unit").order_by("-year", "unit__sort_order", "unit_id")
    return render(request, "assessment/letters.html", {
        "letters": qs[:500], "units": _active_units() if request.user.sees_everything else None,
        "year": timezone.localdate().year})


def _letter_targets_from(text: str) -> list[dict]:
    """One target per line: 名称|不低于/不高于|目标值|计量单位|权重."""
    out = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("|", "|").split("|")]
        if len(parts) != 5:
            raise LuoshiError(f"target line {n} needs 5 fields", f"第{n}行目标应为“名称|不低于/不高于|目标值|计量单位|权重”",
                              field="targets")
        out.append({"name": parts[0], "op": {"不低于": "ge", "不高于": "le"}.get(parts[1], parts[1]),
                    "target": parts[2], "measure_unit": parts[3], "weight": parts[4]})
    return out


@login_required
@require_POST
def letter_new(request):
    if (r := _office_only(request)) is not None:
        return r
    from . import letters as lt

    p = request.POST
    try:
        signs = [{"role": "发包方", "name": p.get("sign_a", "")}, {"role": "承包方", "name": p.get("sign_b", "")}]
        letter = lt.do_save_letter(request.user, picked_units(p, "unit", _active_units())[0],
                                   year=int(p.get("year") or 0) if (p.get("year") or "").isdigit() else 0,
                                   title=p.get("title", ""), signatories=signs,
                                   targets=_letter_targets_from(p.get("targets", "")))
    except LuoshiError as e:
        messages.error(request, e.message_zh)
        return redirect("assessment:letters")
    messages.success(request, "目标责任状已拟定")
    return redirect("assessment:letter", pk=letter.pk)


@login_required
def letter_detail(request, pk: int):
    from . import letters as lt

    letter = lt.visible_letters(request.user).select_related("unit").filter(pk=pk).first()
    if letter is None:
        raise Http404
    targets = []
    for t in letter.targets.all():
        figs = list(t.figures.filter(superseded=False).order_by("period_end", "id"))
        last = figs[-1] if figs else None
        targets.append({"t": t, "figures": figs, "achievement": lt.achievement(t.op, t.target, last.value if last else None)})
    user = request.user
    return render(request, "assessment/letter.html", {
        "letter": letter, "targets": targets, "can_sign": user.sees_everything and letter.state == "draft",
        "can_report": letter.state == "signed" and (user.sees_everything or (user.is_liaison and user.unit_id == letter.unit_id)),
    })


@login_required
@require_POST
def letter_action(request, pk: int, action: str):
    from . import letters as lt

    letter = lt.visible_letters(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    p = request.POST
    try:
        if action == "sign":
            lt.do_sign_letter(request.user, letter, _date(p.get("signed_on"), "签订日期"))
            messages.success(request, "目标责任状已签订")
        elif action == "figure":
            target = get_object_or_404(letter.targets, pk=p.get("target") or 0)
            lt.do_report_target_figure(request.user, target, p.get("period", ""), p.get("value", ""), p.get("note", ""))
            messages.success(request, "完成情况已报送")
        else:
            raise Http404
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:letter", pk=letter.pk)


# ---------------------------------------------------------------- 政务服务 and 电子监察

@login_required
def govservice(request):
    """Window metrics per centre and window, and open 电子监察 cards; the office sees every centre, a unit
    its own (a leader the centres in scope)."""
    from luoshi.core.scope import unit_scope

    from . import govservice as gs
    from .models import ServiceCard, WindowRecord

    today = timezone.localdate()
    start = get_date(request.GET, "start", "开始日期", dt.date(today.year, 1, 1))
    end = get_date(request.GET, "end", "结束日期", today)
    scope = unit_scope(request.user, "assessment")
    centre_ids = list(WindowRecord.objects.values_list("centre_id", flat=True).distinct())
    if scope is not None:
        centre_ids = [c for c in centre_ids if c in scope]
    end_excl = end + dt.timedelta(days=1)
    cards = (ServiceCard.objects.filter(record__centre_id__in=centre_ids, record__finished_at__isnull=True)
             .select_related("record__centre").order_by("-on", "-id")[:200])
    return render(request, "assessment/govservice.html", {
        "centres": gs.metrics(centre_ids, start, end_excl), "windows": gs.metrics(centre_ids, start, end_excl, True),
        "cards": cards, "start": start, "end": end,
        "units": _active_units() if request.user.sees_everything else None})


@login_required
@require_POST
def govservice_import(request):
    if (r := _office_only(request)) is not None:
        return r
    from . import govservice as gs

    f = request.FILES.get("file")
    try:
        if f is None:
            raise LuoshiError("choose a file", "请选择要导入的文件", field="file")
        if f.size > gs.MAX_BYTES:
            raise LuoshiError("the file is larger than 20 MB", "文件不能超过20 MB", field="file")
        centre = picked_units(request.POST, "centre", _active_units(), label="政务服务中心")[0]
        res = gs.do_import_window_records(request.user, centre, f.name, f.read())
        messages.success(request, f"已导入{res['rows']}行,新增{res['created']}条,重复{res['unchanged']}条")
    except LuoshiError as e:  # the page again, with the reason, as a 400 (nothing was written)
        messages.error(request, e.message_zh)
        response = govservice(request)
        response.status_code = 400
        return response
    return redirect("assessment:govservice")


# ---------------------------------------------------------------- 专家评分表 (expert score sheets)

@login_required
def sheets(request):
    """A 考核专家's own score sheets (the office: every sheet); nobody else has any."""
    qs = svc.visible_sheets(request.user).select_related("plan").annotate(n_units=Count("units", distinct=True),
                                                                          n_scores=Count("scores", distinct=True))
    rows = [(sh, sh.n_units * len(svc.expert_indicators(sh.plan))) for sh in qs.order_by("-plan__period", "plan__code")]
    return render(request, "assessment/sheets.html", {"rows": rows})


def _visible_sheet(request, pk):
    sheet = svc.visible_sheets(request.user).select_related("plan", "rater").filter(pk=pk).first()
    if sheet is None:
        raise Http404
    return sheet


@login_required
def sheet(request, pk: int):
    sh = _visible_sheet(request, pk)
    inds, units, scores = svc.sheet_grid(sh)
    grid = [(u, [(i, scores.get((i.pk, u.pk))) for i in inds]) for u in units]
    can_edit = request.user.pk == sh.rater_id and sh.state == "open" and sh.plan.state != Plan.State.CLOSED
    return render(request, "assessment/sheet.html", {
        "sheet": sh, "inds": inds, "grid": grid, "can_edit": can_edit,
        "can_reopen": request.user.sees_everything and sh.state == "submitted",
        "filled": len(scores), "cells": len(inds) * len(units)})


@login_required
@require_POST
def sheet_save(request, pk: int):
    sh = _visible_sheet(request, pk)
    inds, units, _ = svc.sheet_grid(sh)
    p = request.POST
    entries = [{"indicator": i.pk, "unit": u.pk, "score": p.get(f"s_{i.pk}_{u.pk}", ""),
                "note": p.get(f"n_{i.pk}_{u.pk}", "")} for i in inds for u in units]
    try:
        sh = svc.do_save_sheet(request.user, sh, entries, submit=p.get("submit") == "1")
        messages.success(request, "评分表已提交,评分计入考核" if sh.state == "submitted" else "评分已保存(提交后计入考核)")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:sheet", pk=sh.pk)


@login_required
@require_POST
def sheet_reopen(request, pk: int):
    if (r := _office_only(request)) is not None:
        return r
    sh = _visible_sheet(request, pk)
    try:
        svc.do_reopen_sheet(request.user, sh, request.POST.get("reason", ""))
        messages.success(request, "评分表已退回评分人修改")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("assessment:sheet", pk=sh.pk)
