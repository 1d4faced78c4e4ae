"""Who may read which inspection plans, findings and evidence.

The secrecy rule: an unannounced plan (暗访) that is not yet published is seen only by the office
(督查员/管理员) and the plan's own inspectors. Everyone else — the inspected units' liaisons and leaders,
other units, any other role — sees it only once published: not in lists, detail pages, the API,
exports, documents, notifications or counts. Open plans (明查) are visible to the units they cover
(and to leaders whose units they cover) from the start.

Findings and their evidence reach the inspected unit only after the plan is published (the 通报); the
office and the plan's inspectors see them as they are recorded.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Evidence, Finding, Mode, Plan


def _unit_scope(user):
    from luoshi.core.scope import unit_scope

    return unit_scope(user, "inspections")


def is_office(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.sees_everything)


def is_inspector(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and
                getattr(user, "role", "") == "inspector")


def _own_plans(user):
    return Plan.objects.filter(inspectors=user).values("id")


def visible_plans(user, qs: QuerySet | None = None) -> QuerySet:
    """Plans `user` may read: core.scope's "inspections" domain (which units), then the secrecy rule."""
    qs = Plan.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_office(user):
        return qs
    scope = _unit_scope(user)
    announced = Q(mode=Mode.OPEN) | Q(published=True)
    mine = Q(id__in=_own_plans(user)) if is_inspector(user) else Q(pk__in=[])
    if scope is None:
        return qs.filter(announced | mine)
    if not scope:
        return qs.filter(mine)
    return qs.filter((announced & Q(id__in=Plan.objects.filter(units__in=scope).values("id"))) | mine)


def works_on(user, plan: Plan) -> bool:
    """Office or one of the plan's inspectors: may record and see unpublished findings."""
    return is_office(user) or (is_inspector(user) and plan.inspectors.filter(pk=user.pk).exists())


def plan_unit_ids(user, raw) -> set[int]:
    """GET /api/units/search/?inspection_plan=<plan>: the units of a plan the user works on (the 现场检查
    page's chooser). A plan the user may not record on is answered as one that does not exist (an
    unannounced plan stays invisible)."""
    from luoshi.core.errors import LuoshiError
    from luoshi.core.params import parse_id

    pk = parse_id(raw, "inspection_plan", "检查计划")
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None or not works_on(user, plan):
        raise LuoshiError(f"inspection_plan: no inspection plan {pk}", "检查计划不存在", field="inspection_plan")
    return set(plan.units.values_list("id", flat=True))


def visible_findings(user, qs: QuerySet | None = None) -> QuerySet:
    """Findings: the office all; a plan's inspectors those of their plans; everyone else only findings of
    published plans about units in their scope."""
    qs = Finding.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_office(user):
        return qs
    scope = _unit_scope(user)
    mine = Q(plan__in=_own_plans(user)) if is_inspector(user) else Q(pk__in=[])
    if scope is None:
        return qs.filter(Q(plan__published=True) | mine)
    if not scope:
        return qs.filter(mine)
    return qs.filter(Q(plan__published=True, unit_id__in=scope) | mine)


def visible_evidence(user, qs: QuerySet | None = None) -> QuerySet:
    """Evidence of records the user may see in full (office/inspectors) or attached to visible findings."""
    qs = Evidence.objects.all() if qs is None else qs
    if is_office(user):
        return qs
    mine = Q(record__plan__in=_own_plans(user)) if is_inspector(user) else Q(pk__in=[])
    return qs.filter(mine | Q(findings__in=visible_findings(user).values("id"))).distinct()
