"""明查暗访 services: every write is one audited `do_…` function.

Flow: a checklist (检查表) → a plan (明查/暗访, units, inspectors, dates) → on-site records from a phone
(answers, notes, photos/videos, position) → findings (问题) → publication (通报): the plan becomes visible
to the inspected if it was 暗访, each finding marked for 限期整改 becomes a supervision rectification
item for its unit (tracked to 验收 there), referrals go out through `signals.finding_referred`.

Audit entries and notifications about a secret plan never name the inspected units in a place they can
read before publication: audit entries of inspections are only on the office's audit page, and no
notification goes to the inspected before publication.
Errors: LuoshiError (400), NotAllowed (403); nothing is written when raised.
"""
from __future__ import annotations

import datetime as dt
import decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny

from . import evidence as ev
from .models import Answer, Checklist, ChecklistItem, Evidence, Finding, Mode, Plan, Record, Severity
from .scope import is_office, works_on
from .signals import finding_published, finding_referred

MAX_FILES = 10
DEFAULT_ITEMS = [
    ("窗口在岗", "工作时间窗口人员在岗在位,无脱岗、串岗、空岗"),
    ("首问负责", "首问人员热情接待、主动引导,不推诿"),
    ("一次性告知", "一次性告知办事所需材料和流程,有告知单"),
    ("限时办结", "承诺时限内办结,无超时、无体外循环"),
    ("工作纪律", "无玩手机、吃零食、着装不规范、态度生硬等"),
]


def today() -> dt.date:
    return timezone.localdate()


def _audit(actor, action: str, obj, after: dict, summary: str) -> None:
    record(actor, action, obj, summary=summary, after=after)


# ---- checklists & plans ---------------------------------------------------------------

@transaction.atomic
def do_save_checklist(actor, *, name: str, items, description: str = "") -> Checklist:
    """A reusable checklist; `items` is [(title, guidance), …] (at least one, at most 50)."""
    if not is_office(actor):
        deny("edit checklists", "编辑检查表")
    name = check_plain_text(name, "检查表名称", "name", max_length=100, required=True)
    description = check_plain_text(description, "说明", "description", max_length=2000)
    clean = []
    for title, guidance in items or []:
        clean.append((check_plain_text(title, "检查项", "items", max_length=100, required=True),
                      check_plain_text(guidance, "检查要点", "items", max_length=500)))
    if not 1 <= len(clean) <= 50:
        raise LuoshiError("a checklist has 1 to 50 items", "检查表应有1至50个检查项", field="items")
    if Checklist.objects.filter(name=name).exists():
        raise LuoshiError("a checklist with this name exists", "已有同名检查表", field="name")
    cl = Checklist.objects.create(name=name, description=description)
    ChecklistItem.objects.bulk_create([ChecklistItem(checklist=cl, title=t, guidance=g, sort_order=i)
                                       for i, (t, g) in enumerate(clean, 1)])
    _audit(actor, "inspection.checklist", cl, {"name": name, "items": [t for t, _ in clean]}, f"检查表 {name}")
    return cl


@transaction.atomic
def do_create_plan(actor, *, title: str, mode: str, checklist: Checklist, units, inspectors, start_on, end_on,
                   places: str = "") -> Plan:
    """检查计划. `units`: Units to inspect; `inspectors`: users with role inspector (or office staff)."""
    if not is_office(actor):
        deny("create inspection plans", "制定检查计划")
    title = check_plain_text(title, "计划名称", "title", max_length=200, required=True)
    places = check_plain_text(places, "检查地点", "places", max_length=2000)
    if mode not in Mode.values:
        raise LuoshiError("mode must be open or unannounced", "检查方式应为明查或暗访", field="mode")
    if checklist is None or not checklist.is_active:
        raise LuoshiError("choose an active checklist", "请选择检查表", field="checklist")
    units, inspectors = list(units or []), list(inspectors or [])
    if not units:
        raise LuoshiError("choose at least one unit", "请选择被检查单位", field="units")
    if not inspectors:
        raise LuoshiError("choose at least one inspector", "请选择检查人员", field="inspectors")
    for u in inspectors:
        if not (u.is_active and (getattr(u, "role", "") == "inspector" or u.sees_everything)):
            raise LuoshiError("inspectors must be active inspectors or supervisors", "检查人员应为检查员或督查员",
                              field="inspectors")
    inspected = {u.pk for u in units}
    for u in inspectors:
        if u.unit_id in inspected:
            raise LuoshiError("an inspector may not inspect their own unit", "检查人员不能检查本单位", field="inspectors")
    start_on, end_on = _day(start_on, "开始日期", "start_on"), _day(end_on, "结束日期", "end_on")
    if end_on < start_on:
        raise LuoshiError("the plan ends before it starts", "结束日期早于开始日期", field="end_on")
    plan = Plan.objects.create(title=title, mode=mode, checklist=checklist, places=places, start_on=start_on,
                               end_on=end_on, created_by=actor)
    plan.units.set(units)
    plan.inspectors.set(inspectors)
    _audit(actor, "inspection.plan", plan, {"title": title, "mode": mode, "units": [u.name for u in units],
                                            "inspectors": [u.get_full_name() for u in inspectors],
                                            "start_on": start_on, "end_on": end_on}, f"检查计划 {title}")
    from luoshi.notifications.services import notify

    notify([u for u in inspectors if u.pk != actor.pk], kind="inspection.plan",
             title=f"【检查任务】{title}({plan.get_mode_display()})", url=f"/inspections/plans/{plan.pk}/")
    return plan


def _day(value, label_zh, field):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise LuoshiError(f"{field} must be a date (YYYY-MM-DD)", f"{label_zh}格式应为年-月-日", field=field)


def _coord(value, lo, hi, field, label):
    if value in (None, ""):
        return None
    try:
        v = decimal.Decimal(str(value))
        if not v.is_finite():  # "NaN" parses, and then comparing it raises (it was a 500)
            raise decimal.InvalidOperation
        v = v.quantize(decimal.Decimal("0.000001"))
    except (decimal.InvalidOperation, ValueError):
        raise LuoshiError(f"{field} must be a number", f"{label}应为数字", field=field)
    if not lo <= v <= hi:
        raise LuoshiError(f"{field} must be between {lo} and {hi}", f"{label}超出范围", field=field)
    return v


# ---- on-site records, evidence, findings ---------------------------------------------------

def _store(actor, rec: Record, name: str, data: bytes) -> Evidence:
    info = ev.check_upload(name, data)
    e = Evidence(record=rec, kind=info.kind, original_name=(name or "file")[:200], content_type=info.content_type,
                 size=info.size, sha256=info.sha256, width=info.width, height=info.height, taken_at=info.taken_at,
                 latitude=info.latitude, longitude=info.longitude, exif=info.exif, duration=info.duration,
                 uploaded_by=actor)
    e.file.save(f"{info.sha256[:2]}/{info.sha256}{info.ext}", ContentFile(data), save=False)
    e.save()
    return e


@transaction.atomic
def do_record_visit(actor, plan: Plan, *, unit, answers: dict, notes: str = "", place: str = "",
                    latitude=None, longitude=None, files=(), severities: dict | None = None,
                    referrals: dict | None = None, visited_at=None) -> Record:
    """现场检查记录 from the phone page.

    answers: {item_id: (result "ok"|"problem"|"na", note)} — every item of the plan's checklist must be
    answered; files: [(name, bytes)] photos/videos (≤ 10; checked by evidence.check_upload);
    each "problem" answer becomes a Finding (severity from `severities[item_id]`, default 一般) carrying
    the record's evidence. Returns the Record.

    referrals: {item_id: {"refer_case": bool, "refer_accountability": bool, "staff_name": str}} for
    "problem" answers only — 转效能投诉 (a 效能投诉 case against the unit) and 提出问责建议 (a proposal
    naming `staff_name`, ≤ 64 characters, as a pending 问责对象), both carried out when the plan is
    published (never before: a 暗访 stays secret) through signals.finding_referred. The name is kept on
    the Finding only: never in the audit entry, masked (王*) wherever the finding is shown.
    LuoshiError (field "referrals") for a referral on an item not answered 存在问题, an unknown item, or a
    name that is too long / not plain text.
    """
    if not works_on(actor, plan):
        deny("record visits for this plan", "登记此计划的检查记录")
    if plan.published:
        raise LuoshiError("this plan has been published", "该计划已通报,不能再登记检查记录")
    if unit is None or not plan.units.filter(pk=unit.pk).exists():
        raise LuoshiError("the unit is not in this plan", "该单位不在本次检查范围内", field="unit")
    items = {i.pk: i for i in plan.checklist.items.all()}
    clean = {}
    for key, value in (answers or {}).items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise LuoshiError("unknown checklist item", "检查项不存在", field="answers")
        if item_id not in items:
            raise LuoshiError("unknown checklist item", "检查项不存在", field="answers")
        result, note = value
        if result not in Answer.Result.values:
            raise LuoshiError("each answer is ok, problem or na", "检查结果应为符合/存在问题/不适用", field="answers")
        note = check_plain_text(note, "说明", "answers", max_length=1000, required=result == Answer.Result.PROBLEM)
        clean[item_id] = (result, note)
    missing = [items[i].title for i in items if i not in clean]
    if missing:
        raise LuoshiError("every checklist item needs an answer", f"请填写检查项:{'、'.join(missing)}",
                          field="answers")
    refer = _clean_referrals(referrals, items, clean)
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise LuoshiError(f"at most {MAX_FILES} files", f"每次最多上传{MAX_FILES}个文件", field="files")
    rec = Record.objects.create(
        plan=plan, unit=unit, inspector=actor, visited_at=visited_at or timezone.now(),
        place=check_plain_text(place, "检查地点", "place", max_length=200),
        latitude=_coord(latitude, -90, 90, "latitude", "纬度"),
        longitude=_coord(longitude, -180, 180, "longitude", "经度"),
        notes=check_plain_text(notes, "检查情况", "notes", max_length=10000))
    Answer.objects.bulk_create([Answer(record=rec, item_id=i, result=r, note=n) for i, (r, n) in clean.items()])
    stored = [_store(actor, rec, name, data) for name, data in files]
    findings = []
    for item_id, (result, note) in clean.items():
        if result == Answer.Result.PROBLEM:
            sev = (severities or {}).get(item_id) or (severities or {}).get(str(item_id)) or Severity.MINOR
            if sev not in Severity.values:
                raise LuoshiError("unknown severity", "严重程度不正确", field="severity")
            f = Finding.objects.create(plan=plan, record=rec, unit=unit, item_id=item_id, description=note,
                                       severity=sev, created_by=actor, **refer.get(item_id, {}))
            f.evidence.set(stored)
            findings.append(f)
    _audit(actor, "inspection.record", rec, {
        "plan": plan.pk, "unit": unit.name, "problems": len(findings), "files": [e.sha256 for e in stored],
        "refer_case": sum(f.refer_case for f in findings),
        "refer_accountability": sum(f.refer_accountability for f in findings),
        "position": [str(rec.latitude), str(rec.longitude)] if rec.latitude is not None else None},
        f"现场检查记录 计划{plan.pk}")
    return rec


def _clean_referrals(referrals, items: dict, answers: dict) -> dict[int, dict]:
    """do_record_visit's `referrals`, checked: {item_id: {refer_case, refer_accountability, staff_name}}."""
    out = {}
    for key, value in (referrals or {}).items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise LuoshiError("unknown checklist item", "检查项不存在", field="referrals")
        if item_id not in items:
            raise LuoshiError("unknown checklist item", "检查项不存在", field="referrals")
        value = value or {}
        if not isinstance(value, dict):
            raise LuoshiError("referrals are {refer_case, refer_accountability, staff_name}", "移送选项格式不正确",
                              field="referrals")
        case, acc = bool(value.get("refer_case")), bool(value.get("refer_accountability"))
        name = check_plain_text(value.get("staff_name") or "", "涉及人员", "referrals", max_length=64)
        if not (case or acc or name):
            continue
        if answers[item_id][0] != Answer.Result.PROBLEM:
            raise LuoshiError("referrals and a named person need the answer 'problem'",
                              f"“{items[item_id].title}”未选“存在问题”,不能转效能投诉、提出问责建议或填写涉及人员",
                              field="referrals")
        out[item_id] = {"refer_case": case, "refer_accountability": acc, "staff_name": name}
    return out


@transaction.atomic
def do_record_finding(actor, plan: Plan, *, unit, description: str, item=None, severity: str = Severity.MINOR,
                      staff_name: str = "", evidence=(), rectify: bool = True, rectify_days: int = 10,
                      refer_case: bool = False, refer_accountability: bool = False, record_obj=None) -> Finding:
    """A finding entered directly (not from a checklist answer)."""
    if not works_on(actor, plan):
        deny("record findings for this plan", "登记此计划的问题")
    if plan.published:
        raise LuoshiError("this plan has been published", "该计划已通报,不能再登记问题")
    if unit is None or not plan.units.filter(pk=unit.pk).exists():
        raise LuoshiError("the unit is not in this plan", "该单位不在本次检查范围内", field="unit")
    if item is not None and item.checklist_id != plan.checklist_id:
        raise LuoshiError("the item is not on this plan's checklist", "检查项不属于本计划的检查表", field="item")
    if severity not in Severity.values:
        raise LuoshiError("unknown severity", "严重程度不正确", field="severity")
    try:
        rectify_days = int(rectify_days)
    except (TypeError, ValueError):
        raise LuoshiError("rectify_days must be a number", "整改时限应为数字", field="rectify_days")
    if not 1 <= rectify_days <= 180:
        raise LuoshiError("rectify_days is 1 to 180", "整改时限应为1至180个工作日", field="rectify_days")
    evidence = list(evidence or [])
    if any(e.record.plan_id != plan.pk for e in evidence):
        raise LuoshiError("evidence must come from this plan", "证据不属于本计划", field="evidence")
    f = Finding.objects.create(
        plan=plan, record=record_obj, unit=unit, item=item,
        description=check_plain_text(description, "问题描述", "description", max_length=5000, required=True),
        severity=severity, staff_name=check_plain_text(staff_name, "涉及人员", "staff_name", max_length=64),
        rectify=bool(rectify), rectify_days=rectify_days, refer_case=bool(refer_case),
        refer_accountability=bool(refer_accountability), created_by=actor)
    f.evidence.set(evidence)
    _audit(actor, "inspection.finding", f, {"plan": plan.pk, "unit": unit.name, "severity": severity,
                                            "rectify": f.rectify, "refer_case": f.refer_case,
                                            "refer_accountability": f.refer_accountability},
           f"检查发现问题 计划{plan.pk}")
    return f


# ---- publication -----------------------------------------------------------------------

@transaction.atomic
def do_publish_plan(actor, plan: Plan, *, summary: str = "", on=None) -> Plan:
    """通报: the plan becomes visible to the inspected (if 暗访); each finding marked 限期整改 becomes a
    supervision rectification item for its unit (due after `rectify_days` working days); referrals
    are sent through signals.finding_referred; the inspected units' liaisons are notified."""
    if not is_office(actor):
        deny("publish inspections", "发布检查通报")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.published:
        raise LuoshiError("this plan is already published", "该计划已通报")
    on = on or today()
    plan.published, plan.published_on, plan.published_by = True, on, actor
    plan.bulletin_summary = check_plain_text(summary, "通报综述", "summary", max_length=10000)
    plan.save()
    from luoshi.supervision.rectification import do_order_rectification

    findings = list(plan.findings.select_related("unit", "item").order_by("id"))
    for f in findings:
        if f.rectify and f.rectification_id is None:
            from luoshi.workcal.services import current_calendar

            due = current_calendar().add_working_days(on, f.rectify_days)
            label = f"{plan.title}:{f.item.title if f.item_id else '检查发现问题'}"
            f.rectification = do_order_rectification(
                actor, unit=f.unit, due=due, on=on, source_type="inspections.finding", source_id=f.pk,
                source_label=label[:200],
                requirement=f"{plan.get_mode_display()}发现:{f.description}。请于{due:%Y-%m-%d}前整改到位并报送整改情况。")
            f.save(update_fields=["rectification"])
        finding_published.send(sender=Finding, finding=f, actor=actor)
        made = []
        for kind, flag in (("case", f.refer_case), ("accountability", f.refer_accountability)):
            if flag:
                for _receiver, answer in finding_referred.send(sender=Finding, finding=f, kind=kind, actor=actor):
                    if isinstance(answer, dict) and answer.get("ref"):
                        made.append({k: str(answer.get(k, ""))[:200] for k in ("kind", "ref", "label", "url")})
        if made:
            f.referrals = made
            f.save(update_fields=["referrals"])
    _audit(actor, "inspection.publish", plan, {"on": on, "findings": len(findings),
                                               "units": sorted({f.unit.name for f in findings})},
           f"发布检查通报 {plan.title}")
    from luoshi.notifications.services import notify_units

    notify_units(list(plan.units.all()), kind="inspection.published", title=f"【检查通报】{plan.title}",
                 url=f"/inspections/plans/{plan.pk}/")
    return plan
