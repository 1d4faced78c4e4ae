"""明查暗访 pages. Thin: read through scope.visible_*, write through the `do_…` services.
A plan the user may not see is a 404 (never a 403 that would betray its existence)."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from luoshi.core.params import paginate
from luoshi.accounts.models import User
from luoshi.core.errors import LuoshiError
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import TEXT_SUFFIX, picked_units

from . import services as svc
from .bulletin import bulletin_file, mask_person
from .exports import findings_xlsx
from .models import Answer, Checklist, ChecklistItem, Evidence, Mode, Plan, Severity
from .scope import is_office, visible_evidence, visible_findings, visible_plans, works_on


def _forbidden(request, message="您无权访问此页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def _plan(request, pk):
    plan = visible_plans(request.user).filter(pk=pk).select_related("checklist").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def index(request):
    qs = visible_plans(request.user).select_related("checklist").prefetch_related("units").order_by("-start_on", "-id")
    page = paginate(qs, 30, request.GET.get("page"))
    return render(request, "inspections/index.html", {"page": page, "office": is_office(request.user)})


@login_required
def findings(request):
    qs = (visible_findings(request.user).select_related("plan", "unit", "item", "rectification")
          .order_by("-plan__start_on", "-id"))
    page = paginate(qs, 50, request.GET.get("page"))
    return render(request, "inspections/findings.html", {"page": page})


@login_required
def export(request):
    qs = visible_findings(request.user).select_related("plan", "unit", "item", "rectification")[:20000]
    resp = HttpResponse(findings_xlsx(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = content_disposition_header(True, "明查暗访问题.xlsx")
    return resp


@login_required
def plan_new(request):
    if not is_office(request.user):
        return _forbidden(request, "只有督查员可以制定检查计划。")
    ctx = {"checklists": Checklist.objects.filter(is_active=True), "modes": Mode.choices,
           "units": Unit.objects.filter(is_active=True).order_by("sort_order", "id"),
           "inspectors": User.objects.filter(is_active=True, role__in=("inspector", "supervisor")).order_by("id"),
           "d": request.POST, "chosen_units": request.POST.getlist("units"),
           "units_text": request.POST.get("units" + TEXT_SUFFIX, "")}
    if request.method == "POST":
        d = request.POST
        try:
            plan = svc.do_create_plan(
                request.user, title=d.get("title", ""), mode=d.get("mode", ""),
                checklist=Checklist.objects.filter(pk=d.get("checklist") or 0).first(),
                units=picked_units(d, "units", ctx["units"], multiple=True, label="被检查单位", required=False),
                inspectors=User.objects.filter(pk__in=[x for x in d.getlist("inspectors") if x.isdigit()]),
                start_on=d.get("start_on"), end_on=d.get("end_on"), places=d.get("places", ""))
        except LuoshiError as e:
            messages.error(request, e.message_zh)
            return render(request, "inspections/plan_form.html", ctx, status=400)
        return redirect("inspections:plan", pk=plan.pk)
    return render(request, "inspections/plan_form.html", ctx)


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    insider = works_on(request.user, plan)
    fs = list(visible_findings(request.user).filter(plan=plan).select_related("unit", "item", "rectification")
              .prefetch_related("evidence"))
    for f in fs:
        f.staff_masked = mask_person(f.staff_name)  # the name in full only on the accountability record
    return render(request, "inspections/plan.html", {
        "plan": plan, "units": plan.units.order_by("sort_order", "id"), "inspectors": plan.inspectors.all(),
        "insider": insider, "office": is_office(request.user), "findings": fs,
        "records": plan.records.select_related("unit", "inspector").prefetch_related("evidence") if insider else [],
        "items": plan.checklist.items.all(), "severities": Severity.choices,
        "can_bulletin": plan.published or is_office(request.user)})


@login_required
def record_visit(request, pk: int):
    """The phone page (现场检查): checklist answers, notes, photos/videos, position."""
    plan = _plan(request, pk)
    if not works_on(request.user, plan):
        return _forbidden(request, "只有本计划的检查人员可以登记现场检查。")
    items = list(plan.checklist.items.all())
    ctx = {"plan": plan, "items": items, "units": plan.units.order_by("sort_order", "id"),
           "severities": Severity.choices, "results": Answer.Result.choices}

    def rows(d):  # each item with what was typed (kept when the form comes back with an error)
        return [{"item": i, "r": d.get(f"r{i.pk}") or "ok", "n": d.get(f"n{i.pk}", ""),
                 "s": d.get(f"s{i.pk}") or Severity.MINOR, "c": bool(d.get(f"c{i.pk}")),
                 "a": bool(d.get(f"a{i.pk}")), "p": d.get(f"p{i.pk}", "")} for i in items]
    if request.method == "POST":
        d = request.POST
        answers = {i.pk: (d.get(f"r{i.pk}", ""), d.get(f"n{i.pk}", "")) for i in items}
        severities = {i.pk: d.get(f"s{i.pk}") or Severity.MINOR for i in items}
        referrals = {i.pk: {"refer_case": bool(d.get(f"c{i.pk}")), "refer_accountability": bool(d.get(f"a{i.pk}")),
                            "staff_name": d.get(f"p{i.pk}", "")} for i in items}
        try:
            files = []
            for f in request.FILES.getlist("files"):
                if f.size > 80 * 1024 * 1024:
                    raise LuoshiError("file too large", "文件过大", field="files")
                files.append((f.name, f.read()))
            rec = svc.do_record_visit(
                request.user, plan, unit=picked_units(d, "unit", ctx["units"], label="被检查单位")[0], answers=answers,
                notes=d.get("notes", ""), place=d.get("place", ""), latitude=d.get("latitude") or None,
                longitude=d.get("longitude") or None, files=files, severities=severities, referrals=referrals)
        except LuoshiError as e:
            messages.error(request, e.message_zh + ("(请重新选择照片/视频)" if request.FILES else ""))
            return render(request, "inspections/record.html", {**ctx, "d": d, "rows": rows(d)}, status=400)
        fs = list(rec.findings.all())
        sent = "、".join(x for x, n in (("转效能投诉", sum(f.refer_case for f in fs)),
                                       ("提出问责建议", sum(f.refer_accountability for f in fs))) if n)
        messages.success(request, f"已保存检查记录,发现问题{len(fs)}个。" +
                         (f"其中{sent}的问题将在通报发布时移送。" if sent else ""))
        return redirect("inspections:plan", pk=plan.pk)
    return render(request, "inspections/record.html", {**ctx, "d": {}, "rows": rows({})})


@login_required
@require_POST
def publish(request, pk: int):
    plan = _plan(request, pk)
    try:
        svc.do_publish_plan(request.user, plan, summary=request.POST.get("summary", ""))
        messages.success(request, "已发布检查通报。")
    except LuoshiError as e:
        messages.error(request, e.message_zh)
    return redirect("inspections:plan", pk=plan.pk)


@login_required
def bulletin(request, pk: int, fmt: str):
    plan = _plan(request, pk)
    if not (plan.published or is_office(request.user)):
        raise Http404
    fs = (visible_findings(request.user).filter(plan=plan).select_related("unit", "item", "rectification")
          .prefetch_related("evidence").order_by("unit__sort_order", "unit_id", "id"))
    try:
        data, ctype, name = bulletin_file(plan, fs, fmt)
    except LuoshiError:
        raise Http404
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = content_disposition_header(True, name)
    return resp


@login_required
def evidence_file(request, pk: int):
    e = visible_evidence(request.user).filter(pk=pk).first()
    if e is None:
        raise Http404
    resp = FileResponse(e.file.open("rb"), content_type=e.content_type)
    resp["Content-Disposition"] = content_disposition_header(False, e.original_name)
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def checklists(request):
    if not is_office(request.user):
        return _forbidden(request)
    if request.method == "POST":
        d = request.POST
        try:
            items = [(line.split("|", 1) + [""])[:2] for line in d.get("items", "").splitlines() if line.strip()]
            svc.do_save_checklist(request.user, name=d.get("name", ""), items=items,
                                  description=d.get("description", ""))
            messages.success(request, "已保存检查表。")
        except LuoshiError as e:
            messages.error(request, e.message_zh)
        return redirect("inspections:checklists")
    return render(request, "inspections/checklists.html", {
        "checklists": Checklist.objects.prefetch_related("items").order_by("id"),
        "defaults": "\n".join(f"{t}|{g}" for t, g in svc.DEFAULT_ITEMS)})
