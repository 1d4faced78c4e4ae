"""Where accountability plugs into the lower layers' hooks and registries.

A proposal arises from
* supervision: an escalation step of kind ``interview`` (约谈/问责建议, the end of the ladder) —
  `supervision.hooks.interview_step`, in the transaction that takes the step;
* assessment: a unit 一票否决 in a published run — the `assessment.signals.run_published` signal (inside the
  publishing transaction); once per unit, plan and period; `sync_vetoes()` is the catch-up;
* cases: a 效能投诉 found 属实/部分属实 — the `cases.signals.complaint_found` signal (sent after commit);
  the proposal names the complaint's number, finding, investigation and opinion, never the complainant;
* inspections: a finding marked 提出问责建议 when its plan is published — the
  `inspections.signals.finding_referred` signal (kind "accountability", inside the publishing transaction:
  a failure here aborts the publication). The proposal is against the finding's unit; a person the finding
  names (`Finding.staff_name`) becomes a pending 问责对象 (直接责任, post 待核实) — a personal record, never
  copied into the cause or facts that 督查员 read. `sync_findings()` is the catch-up.
Decided measures feed assessment through its source registry (`assessment.sources.register`):
``accountability.deductions`` (扣分: the deduction points of the unit's decided measures in the period,
for a 扣分项) and ``accountability.honours`` (the number of measures that cancel the year's 评优评先, for
a 一票否决 or 扣分项).
`sync_escalations()` is the catch-up for interview steps taken while the hook was not connected.
"""
from __future__ import annotations

import logging

from .models import CauseType

log = logging.getLogger(__name__)


def on_interview_step(escalation) -> None:
    """An escalation step 约谈/问责建议 was taken on a task: raise the proposal (idempotent)."""
    from .services import propose_from_cause

    task = escalation.task
    if task is None:  # an item of another supervised kind (e.g. an overdue case): its label, never a complainant
        if escalation.unit is None:
            return
        propose_from_cause(CauseType.ESCALATION, escalation, unit=escalation.unit, on=escalation.on,
                           cause_label=f"{escalation.source_label[:120]}经{escalation.level}级升级督办仍未有效整改"
                                       f"({escalation.label})")
        return
    unit = escalation.unit or task.lead_units.order_by("sort_order", "id").first()
    if unit is None:
        return
    propose_from_cause(CauseType.ESCALATION, escalation, unit=unit, task=task, on=escalation.on,
                       cause_label=f"{task.number}“{task.title[:80]}”经{escalation.level}级升级督办仍未有效整改"
                                   f"({escalation.label})")


def sync_escalations() -> int:
    """Raise the proposals of interview steps that have none yet; returns how many were raised."""
    from django.contrib.contenttypes.models import ContentType

    from luoshi.supervision.models import Escalation

    from .models import Proposal

    ct = ContentType.objects.get_for_model(Escalation)
    done = set(Proposal.objects.filter(cause_ct=ct).values_list("cause_id", flat=True))
    n = 0
    for esc in Escalation.objects.filter(kind="interview").select_related("task", "unit").order_by("id"):
        if str(esc.pk) not in done:
            on_interview_step(esc)
            n += 1
    return n


def on_veto(ur) -> bool:
    """A unit 一票否决 in a published run → a proposal (cause 考核一票否决) against it; once per unit, plan
    and period (a republished run for the same period raises no second one). Returns True if raised."""
    from django.contrib.contenttypes.models import ContentType

    from luoshi.assessment.models import UnitResult

    from .models import Proposal
    from .services import propose_from_cause

    ct = ContentType.objects.get_for_model(UnitResult)
    same = UnitResult.objects.filter(run__plan_id=ur.run.plan_id, run__period=ur.run.period, unit_id=ur.unit_id)
    if Proposal.objects.filter(cause_ct=ct, cause_id__in=[str(pk) for pk in same.values_list("pk", flat=True)]
                               ).exists():
        return False
    propose_from_cause(CauseType.VETO, ur, unit=ur.unit,
                       cause_label=f"{ur.run.plan.name}({ur.run.period})被一票否决",
                       on=ur.run.published_at.date() if ur.run.published_at else None)
    return True


def on_run_published(sender=None, run=None, actor=None, **kwargs) -> None:
    """assessment.signals.run_published: raise the proposals of the run's vetoed units."""
    for ur in run.units.filter(vetoed=True).select_related("run__plan", "unit").order_by("id"):
        on_veto(ur)


def sync_vetoes() -> int:
    """Raise a proposal (cause 考核一票否决) for every vetoed unit of a published assessment run that has
    none yet (runs published while the hook was not connected); returns how many were raised."""
    from django.apps import apps

    if not apps.is_installed("luoshi.assessment"):
        return 0
    from luoshi.assessment.models import ScoreRun, UnitResult

    n = 0
    for ur in (UnitResult.objects.filter(vetoed=True, run__state=ScoreRun.State.PUBLISHED)
               .select_related("run__plan", "unit").order_by("id")):
        n += on_veto(ur)
    return n


def _effects(unit_ids, period):
    from .models import AssessmentEffect

    return AssessmentEffect.objects.filter(unit_id__in=unit_ids, is_active=True,
                                           person__decided_on__gte=period.start, person__decided_on__lt=period.as_of)


def _effect_rows(only_honours: bool):
    def rows(unit_id, period, indicator, limit):
        qs = _effects([unit_id], period).select_related("person__proposal", "measure").order_by("person__decided_on", "id")
        if only_honours:
            qs = qs.filter(cancels_honours=True)
        # No names: the score card is read by the unit and the office.
        return [{"label": f"{e.person.decided_on} {e.person.proposal.number}", "detail": e.measure.name,
                 "url": f"/accountability/{e.person.proposal_id}/"} for e in qs[:limit]]

    return rows


def _register_assessment_sources() -> None:
    from decimal import Decimal

    from django.db.models import Count, Sum

    from luoshi.assessment.sources import SOURCES, Measure, register

    if "accountability.deductions" in SOURCES:
        return

    @register("accountability.deductions", "问责扣分(已决定的问责措施)", rows=_effect_rows(False))
    def deductions(unit_ids, period, indicator=None):
        return {r["unit_id"]: Measure(Decimal(r["s"]), r["n"]) for r in
                _effects(unit_ids, period).values("unit_id").annotate(s=Sum("deduction"), n=Count("id"))}

    @register("accountability.honours", "取消评优评先资格(问责)", rows=_effect_rows(True))
    def honours(unit_ids, period, indicator=None):
        return {r["unit_id"]: Measure(Decimal(r["n"]), r["n"]) for r in
                _effects(unit_ids, period).filter(cancels_honours=True).values("unit_id").annotate(n=Count("id"))}


def on_complaint_found(sender=None, case=None, finding=None, actor=None, **kwargs) -> None:
    """cases.signals.complaint_found: a 效能投诉 was found 属实/部分属实 → a proposal against the unit
    complained about (the complainant's identity is not copied)."""
    from .services import propose_from_cause

    unit = case.subject_unit or case.responsible_unit
    if unit is None:
        log.warning("complaint %s found %s without a unit: no proposal", case.pk, finding)
        return
    label = {"true": "属实", "partly": "部分属实"}.get(str(finding), str(finding))
    facts = "\n".join(x for x in (f"调查情况:{case.investigation}" if case.investigation else "",
                                  f"处理意见:{case.opinion}" if case.opinion else "") if x)
    propose_from_cause(CauseType.COMPLAINT, case, unit=unit, facts=facts[:5000],
                       cause_label=f"效能投诉{case.number or case.pk}经调查认定{label}")


def _finding_text(finding) -> tuple[str, str]:
    """(cause label, facts) of an inspection finding: plan, 检查项, severity, description — no names."""
    plan = finding.plan
    item = finding.item.title if finding.item_id else "检查发现问题"
    when = plan.published_on or plan.end_on
    label = f"{plan.get_mode_display()}“{plan.title}”发现问题:{item}({finding.get_severity_display()})"
    facts = (f"{when.year}年{when.month}月{when.day}日通报的{plan.get_mode_display()}“{plan.title}”发现{finding.unit.name}存在问题"
             f"(检查项:{item};严重程度:{finding.get_severity_display()}):{finding.description}")
    return label[:300], facts[:5000]


def on_finding_referred(sender=None, finding=None, kind=None, actor=None, **kwargs) -> None:
    """inspections.signals.finding_referred with kind "accountability": a proposal (cause 督查检查发现问题)
    against the finding's unit, and the person the finding names as a pending 问责对象. Idempotent (one
    proposal per finding; the person is added only when the proposal is new)."""
    if kind != "accountability" or finding is None:
        return
    from .models import Proposal
    from .services import add_person_from_cause, propose_from_cause

    label, facts = _finding_text(finding)
    existed = Proposal.objects.filter(cause_ct__model="finding", cause_ct__app_label="inspections",
                                      cause_id=str(finding.pk)).exists()
    p = propose_from_cause(CauseType.INSPECTION, finding, unit=finding.unit, facts=facts, cause_label=label,
                           on=finding.plan.published_on)
    if not existed and finding.staff_name.strip():
        add_person_from_cause(p, name=finding.staff_name.strip(), unit=finding.unit)


def sync_findings() -> int:
    """Raise the proposals of published inspection findings marked 提出问责建议 that have none yet (published
    while this hook was not connected); returns how many were raised."""
    from django.apps import apps

    if not apps.is_installed("luoshi.inspections"):
        return 0
    from django.contrib.contenttypes.models import ContentType

    from luoshi.inspections.models import Finding

    from .models import Proposal

    ct = ContentType.objects.get_for_model(Finding)
    done = set(Proposal.objects.filter(cause_ct=ct).values_list("cause_id", flat=True))
    n = 0
    for f in (Finding.objects.filter(refer_accountability=True, plan__published=True)
              .select_related("plan", "unit", "item").order_by("id")):
        if str(f.pk) not in done:
            on_finding_referred(finding=f, kind="accountability")
            n += 1
    return n


def _connect() -> None:
    from django.apps import apps

    from luoshi.supervision import hooks as supervision_hooks

    supervision_hooks.connect_interview_step(on_interview_step)
    if apps.is_installed("luoshi.assessment"):
        _register_assessment_sources()
        from luoshi.assessment.signals import run_published

        run_published.connect(on_run_published, dispatch_uid="accountability.run_published")
    if apps.is_installed("luoshi.cases"):
        from luoshi.cases.signals import complaint_found

        complaint_found.connect(on_complaint_found, dispatch_uid="accountability.complaint_found")
    if apps.is_installed("luoshi.inspections"):
        from luoshi.inspections.signals import finding_referred

        finding_referred.connect(on_finding_referred, dispatch_uid="accountability.finding_referred")


_connect()
