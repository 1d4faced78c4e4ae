"""Read-only ledger queries shared by the web pages (filters, sorting, due dates).

Callers always pass a queryset that already went through
permissions.visible_tasks(user); these functions only narrow it."""
from __future__ import annotations

import datetime as dt
import re

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .models import OPEN_STATUSES, Status, Task
from .services import today

WARN_DAYS = 3

# Order of the workflow, for sorting by status.
STATUS_ORDER = [Status.DRAFT, Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED,
                Status.UNDER_REVIEW, Status.CLOSED, Status.SUSPENDED]

SORTS = {
    "deadline": ("完成时限", [F("deadline").asc(nulls_last=True), "id"]),
    "-deadline": ("完成时限(倒序)", [F("deadline").desc(nulls_last=True), "-id"]),
    "number": ("编号", ["number", "id"]),
    "-number": ("编号(倒序)", ["-number", "-id"]),
    "status": ("状态", ["status_rank", "id"]),
    "progress": ("进度(低→高)", ["progress", "id"]),
    "-progress": ("进度(高→低)", ["-progress", "-id"]),
}
DEFAULT_SORT = "-number"

DUE_FILTERS = {"overdue": "逾期", "due_soon": "临期(3个工作日内)", "open": "未办结"}


def due_soon_cutoff(on: dt.date, calendar) -> dt.date:
    """First date that is NOT due soon: deadlines in [on, cutoff) are 临期.

    deadline_state says due_soon when working_days_between(on, deadline) <= WARN_DAYS,
    i.e. the deadline comes before the (WARN_DAYS+1)-th working day after `on`.
    """
    return calendar.add_working_days(on, WARN_DAYS + 1)


def overdue_q(on: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=on)


def due_soon_q(on: dt.date, calendar) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__gte=on, deadline__lt=due_soon_cutoff(on, calendar))


def unit_task_ids(unit) -> RawSQL:
    """Ids of the tasks led or co-handled by `unit` (an id or a list of ids), as ONE subquery: a UNION of
    two index lookups in the task↔unit tables. (An OR of two IN-subqueries cannot use an index on
    PostgreSQL: it filters every task through two hashed subplans, and counting a page walks them all.)"""
    ids = [int(u) for u in (unit if isinstance(unit, (list, tuple, set)) else [unit])] or [0]
    marks = ", ".join(["%s"] * len(ids))
    lead, co = Task.lead_units.through._meta.db_table, Task.co_units.through._meta.db_table
    return RawSQL(f"SELECT task_id FROM {lead} WHERE unit_id IN ({marks}) "
                  f"UNION SELECT task_id FROM {co} WHERE unit_id IN ({marks})", [*ids, *ids])


def filter_tasks(qs: QuerySet, *, unit=None, status=None, source=None, due=None, q=None, on=None,
                 calendar=None) -> QuerySet:
    """Narrow a visible-tasks queryset by the ledger page's filters."""
    on = on or today()
    if unit:
        qs = qs.filter(id__in=unit_task_ids(unit))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source_id=source)
    if due == "overdue":
        qs = qs.filter(overdue_q(on))
    elif due == "due_soon":
        if calendar is None:
            from luoshi.workcal.services import current_calendar
            calendar = current_calendar()
        qs = qs.filter(due_soon_q(on, calendar))
    elif due == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if q:
        qs = qs.filter(search_q(q))
    return qs


_NUMBER = re.compile(r"^(?:DB)?(?:(\d{4})-)?(\d{1,9})$", re.I)


def search_q(q: str) -> Q:
    """台账检索: the title, the task number (DB2026-00017, 2026-00017, 00017 or 17) and any name of a
    lead or co-unit (full name, short name, alias; a part of one is enough)."""
    q = (q or "").strip()[:100]
    cond = Q(title__icontains=q) | Q(number__iexact=q)
    m = _NUMBER.match(q)
    if m:
        year, seq = m.group(1), int(m.group(2))
        cond |= Q(number__iexact=f"DB{year}-{seq:05d}") if year else Q(number__endswith=f"-{seq:05d}")
    from luoshi.orgs.models import Unit

    names = Unit.objects.only("id", "name", "short_names", "aliases")
    hit = [u.pk for u in names if any(q in n for n in u.all_names())] if q else []
    if hit:
        cond |= Q(id__in=unit_task_ids_for(hit))
    return cond


def unit_task_ids_for(unit_ids) -> QuerySet:
    """Ids of the tasks led or co-handled by any of `unit_ids`."""
    return Task.objects.filter(Q(lead_units__in=unit_ids) | Q(co_units__in=unit_ids)).values("id")


def sort_tasks(qs: QuerySet, sort: str | None) -> QuerySet:
    key = sort if sort in SORTS else DEFAULT_SORT
    if key == "status":
        qs = qs.annotate(status_rank=Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                                          default=Value(99), output_field=IntegerField()))
    return qs.order_by(*SORTS[key][1])
