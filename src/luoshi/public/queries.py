"""What the citizen portal may show — the only reads of the public app. Each function returns plain
dicts of the published fields, never model instances, so a template or serializer cannot reach an
internal field by accident.

Published: 挂牌督办 tasks (title, lead units, deadline, progress, listing date, the public note when the
office wrote one); tasks marked public (民生实事/公开承诺) with the same fields plus status; published
assessment runs; 12345 case statistics. (Published 典型问题通报 are served by luoshi.accountability's
public_urls under /public/bulletins/ — public and accountability are sibling layers.) Nothing else: no requirement text, reports, lights' reasons, leaders,
people, case contents or ids of anything not public.
"""
from __future__ import annotations

from django.db.models import Prefetch

from luoshi.ledger.models import PublicKind, Status, Task
from luoshi.orgs.models import Unit

PUBLIC_STATUS = {Status.ASSIGNED: "推进中", Status.SIGNED: "推进中", Status.IN_PROGRESS: "推进中",
                 Status.COMPLETION_REQUESTED: "推进中", Status.UNDER_REVIEW: "推进中", Status.CLOSED: "已完成",
                 Status.SUSPENDED: "已终止"}
VISIBLE_STATUSES = tuple(PUBLIC_STATUS)


def _units(task) -> str:
    return "、".join(u.name for u in task.lead_units.all())


def _lead_units():
    return Prefetch("lead_units", queryset=Unit.objects.order_by("sort_order", "id").only("id", "name"))


def _task_dict(task: Task) -> dict:
    public = bool(task.public_kind) and task.status in VISIBLE_STATUSES
    return {
        "id": task.pk if public else None,
        "title": task.title,
        "units": _units(task),
        "deadline": task.deadline,
        "progress": task.progress,
        "status": PUBLIC_STATUS.get(task.status, "推进中"),
        "kind": PublicKind(task.public_kind).label if public else "",
        "note": task.public_note if public else "",
        "updated_on": task.public_updated_on if public else None,
        "public_url": f"/public/tasks/{task.pk}/" if public else "",
    }


def listed_items():
    """挂牌督办 items, oldest listing first: [{title, units, deadline, progress, listed_on, note, id, public_url…}]."""
    from luoshi.supervision.models import SupervisionState

    states = (SupervisionState.objects.filter(listed=True, task__status__in=VISIBLE_STATUSES)
              .select_related("task").prefetch_related(Prefetch("task__lead_units", queryset=Unit.objects
                                                                .order_by("sort_order", "id").only("id", "name")))
              .order_by("listed_on", "task_id"))
    out = []
    for s in states:
        d = _task_dict(s.task)
        d["listed_on"] = s.listed_on
        out.append(d)
    return out


def public_tasks(kind: str | None = None):
    qs = Task.objects.exclude(public_kind="").filter(status__in=VISIBLE_STATUSES)
    if kind:
        qs = qs.filter(public_kind=kind)
    return [_task_dict(t) for t in qs.prefetch_related(_lead_units()).order_by("public_kind", "deadline", "id")]


def public_task(pk: int) -> dict | None:
    t = (Task.objects.exclude(public_kind="").filter(status__in=VISIBLE_STATUSES, pk=pk)
         .prefetch_related(_lead_units()).first())
    return _task_dict(t) if t else None


def published_runs():
    """Published assessment runs (考核结果), newest first: [{id, plan, period, group, published_on, units}]."""
    from django.apps import apps

    if not apps.is_installed("luoshi.assessment"):
        return []
    from luoshi.assessment.models import ScoreRun

    return [{"id": r.pk, "plan": r.plan.name, "period": r.period, "group": r.plan.get_group_display(),
             "published_on": r.published_at.date() if r.published_at else None, "units": r.units_count}
            for r in ScoreRun.objects.filter(state=ScoreRun.State.PUBLISHED).select_related("plan")
            .order_by("-published_at", "-id")]


def published_run(pk: int) -> dict | None:
    """One published run with its ranking: rank, unit name, total, grade (and 一票否决 when it applied)."""
    from django.apps import apps

    if not apps.is_installed("luoshi.assessment"):
        return None
    from luoshi.assessment.models import ScoreRun

    r = ScoreRun.objects.filter(pk=pk, state=ScoreRun.State.PUBLISHED).select_related("plan").first()
    if r is None:
        return None
    rows = [{"rank": u.rank, "unit": u.unit_name, "total": u.total, "grade": u.grade, "vetoed": u.vetoed}
            for u in r.units.order_by("position")]
    return {"id": r.pk, "plan": r.plan.name, "period": r.period, "group": r.plan.get_group_display(),
            "published_on": r.published_at.date() if r.published_at else None, "rows": rows}


def _pct(a, b):
    return round(100.0 * a / b, 1) if b else None


def case_statistics(year: int, month: int | None = None) -> dict | None:
    """12345 case statistics for the public (cases' definitions, luoshi.cases.stats): per responsible unit
    and per month of the year — 受理件数, 按期处置率 (replied by the deadline / (replied + open past the
    deadline)), 满意率 ((满意 + 基本满意) / rated). Void and merged cases are not counted. Aggregates only:
    no case text, reporter, address or number."""
    from django.apps import apps

    if not apps.is_installed("luoshi.cases"):
        return None
    import datetime as dt

    from django.db.models import Count, F, Q
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from luoshi.cases.models import Case, Rating, Status, UNIT_STATUSES

    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month or 1, 1, tzinfo=tz)
    end = (dt.datetime(year + (month == 12), (month % 12) + 1, 1, tzinfo=tz) if month
           else dt.datetime(year + 1, 1, 1, tzinfo=tz))
    now = timezone.now()
    qs = (Case.objects.filter(created_at__gte=start, created_at__lt=end)
          .exclude(status__in=(Status.VOID, Status.MERGED)))
    metrics = dict(
        total=Count("id"),
        on_time=Count("id", filter=Q(replied_at__isnull=False, replied_at__lte=F("deadline"))),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        overdue_open=Count("id", filter=Q(status__in=UNIT_STATUSES, deadline__lt=now)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])))

    def row(label, r):
        return {"label": label, "total": r["total"],
                "on_time_rate": _pct(r["on_time"], r["replied"] + r["overdue_open"]),
                "satisfaction_rate": _pct(r["satisfied"], r["rated"])}

    by_unit = [row(r["responsible_unit__name"], r) for r in
               qs.exclude(responsible_unit__isnull=True).values("responsible_unit__name").annotate(**metrics)
               .order_by("-total", "responsible_unit__name")]
    by_month = [row(r["m"].strftime("%Y-%m") if hasattr(r["m"], "strftime") else str(r["m"])[:7], r) for r in
                qs.annotate(m=TruncMonth("created_at")).values("m").annotate(**metrics).order_by("m")]
    return {"year": year, "month": month, "by_unit": by_unit, "by_month": by_month}
