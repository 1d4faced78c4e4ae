"""Who sees and does what in the ledger. Every view, API endpoint and export
goes through these functions; menus only mirror them.

Which units a user reads is decided by the one scope rule,
luoshi.core.scope.unit_scope(user, "ledger"); this module adds the task-specific
rules on top (co-units, sub-tasks of a lead unit's tasks, who supervises)."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from luoshi.core.scope import unit_scope

from .models import Task


def visible_tasks(user, qs: QuerySet | None = None) -> QuerySet:
    """Tasks `user` may read.

    督查员/管理员: everything. 单位联络员: tasks where their unit is a lead or
    co-unit, and the sub-tasks of tasks their unit leads. 领导: tasks touching
    any unit in their unit's subtree (everything when they have no unit).
    """
    qs = Task.objects.all() if qs is None else qs
    scope = unit_scope(user, "ledger")
    if scope is None:
        return qs
    if not scope:
        return qs.none()
    if user.is_leader:
        return qs.filter(Q(lead_units__in=scope) | Q(co_units__in=scope)).distinct()
    u = user.unit_id
    ids = Task.objects.filter(Q(lead_units=u) | Q(co_units=u) | Q(parent__lead_units=u)).values("id")
    return qs.filter(id__in=ids)


def can_read(user, task: Task) -> bool:
    return visible_tasks(user, Task.objects.filter(pk=task.pk)).exists()


def is_lead_liaison(user, task: Task) -> bool:
    return bool(user.is_liaison and user.unit_id and task.lead_units.filter(pk=user.unit_id).exists())


def is_co_liaison(user, task: Task) -> bool:
    return bool(user.is_liaison and user.unit_id and task.co_units.filter(pk=user.unit_id).exists())


def can_supervise(user, task: Task) -> bool:
    """督查员/管理员 supervise every task; the lead unit of a parent task supervises its sub-tasks."""
    if user.sees_everything:
        return True
    return bool(task.parent_id and user.is_liaison and user.unit_id
                and task.parent.lead_units.filter(pk=user.unit_id).exists())
