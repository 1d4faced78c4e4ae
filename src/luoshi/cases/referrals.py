"""Inspection findings referred to the case engine (明查暗访发现问题转效能投诉).

`on_finding_referred` is connected (CasesConfig.ready) to `luoshi.supervision.hooks.finding_referred`,
which luoshi.inspections sends, inside its publishing transaction, for each finding marked 转效能投诉
when the plan is published (the moment the inspected unit may learn of it). kind "case" only.

The finding becomes a 效能投诉 case against the finding's unit (被投诉单位), channel 明查暗访移送, category
``MCAF`` 明查暗访发现问题 (created on first use: 10 working days), registered (立案) at once by the
publishing 督查员 so it waits for 调查/认定 like any complaint. The case links back to the finding
(`source_type` "inspections.finding", `source_id`, `source_label` = plan and 检查项); a finding already
referred links to its case instead of making another. The reporter is the inspection itself: no person
is named (the inspector is as protected as any complainant; the 涉及人员 stays in the inspection and the
accountability records). Everything goes through the audited do_ services. Returns {"kind": "case",
"ref": number, "label", "url"} for the finding's `referrals`.
"""
from __future__ import annotations

from .models import Case, Category, Kind, LimitUnit

SOURCE_TYPE = "inspections.finding"
CATEGORY = {"code": "MCAF", "name": "明查暗访发现问题", "kind": Kind.COMPLAINT, "limit_value": 10,
            "limit_unit": LimitUnit.WORKING_DAYS, "group": "效能投诉",
            "description": "明查暗访检查发现、通报后移送的效能问题"}


def _category() -> Category:
    cat = Category.objects.filter(code=CATEGORY["code"]).first()
    if cat is None:
        cat = Category.objects.create(sort_order=900, **CATEGORY)
    return cat


def _answer(case: Case) -> dict:
    return {"kind": "case", "ref": case.number or str(case.pk), "label": f"效能投诉{case.number}",
            "url": f"/cases/{case.pk}/"}


def on_finding_referred(sender=None, finding=None, kind=None, actor=None, **kwargs):
    if kind != "case" or finding is None:
        return None
    existing = Case.objects.filter(source_type=SOURCE_TYPE, source_id=finding.pk).first()
    if existing is not None:
        return _answer(existing)
    from luoshi.audit.services import record

    from . import services as svc
    from .models import Channel

    plan = finding.plan
    item = finding.item.title if getattr(finding, "item_id", None) else "检查发现问题"
    mode = plan.get_mode_display()
    label = f"{mode}“{plan.title}”:{item}"[:200]
    description = (f"{mode}“{plan.title}”({plan.start_on:%Y-%m-%d}至{plan.end_on:%Y-%m-%d})发现"
                   f"{finding.unit.name}存在问题(检查项:{item};严重程度:{finding.get_severity_display()}):"
                   f"{finding.description}")[:4000]
    case, _code = svc.do_create_case(
        actor, kind=Kind.COMPLAINT, category=_category(), description=description,
        address=(plan.places or finding.unit.name)[:300], anonymous=True, subject_unit=finding.unit,
        channel=Channel.INSPECTION)
    Case.objects.filter(pk=case.pk).update(source_type=SOURCE_TYPE, source_id=finding.pk, source_label=label)
    case.source_type, case.source_id, case.source_label = SOURCE_TYPE, finding.pk, label
    record(actor, "case.referred", case, summary=f"明查暗访发现问题转效能投诉 {case.number}",
           after={"source": f"{SOURCE_TYPE}:{finding.pk}", "source_label": label, "subject_unit": finding.unit.name})
    if getattr(actor, "pk", None):
        svc.do_register_case(actor, case, note=f"明查暗访移送:{label}")
    return _answer(case)
