"""The daily sweep over open cases (超期/临期).

`case_lights(now)` classifies every case whose clock runs on a unit (已派遣/已签收/处置中):
red 超期 (past the deadline), yellow 临期 (less than a fifth of its time limit left), green otherwise,
and returns the counts per responsible unit: {unit_id: {"red": n, "yellow": n, "green": n}}, streaming
three columns per open case (no model instances). `overdue_cases(now)` lists the red ones."""
from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from .models import UNIT_STATUSES, Case, CaseEvent, Kind


def case_lights(now=None) -> dict[int, dict[str, int]]:
    now = now or timezone.now()
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"red": 0, "yellow": 0, "green": 0})
    rows = (Case.objects.filter(status__in=UNIT_STATUSES, deadline__isnull=False)
            .values_list("responsible_unit_id", "deadline", "dispatched_at").iterator(chunk_size=20000))
    for unit_id, deadline, dispatched in rows:
        if deadline < now:
            out[unit_id]["red"] += 1
        elif dispatched and (deadline - now) * 5 < (deadline - dispatched):
            out[unit_id]["yellow"] += 1
        else:
            out[unit_id]["green"] += 1
    return dict(out)


def case_lights_in(now=None, units=None) -> dict[int, dict[str, int]]:
    """`case_lights` counted in the database (one GROUP BY, nothing streamed) for the responsible units
    `units` (None = every unit): what the supervision overview and dashboard show a reader, scoped.
    Same rule: red deadline < now; yellow when 5 × (deadline − now) < deadline − dispatched_at; else green."""
    from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Value

    now = now or timezone.now()
    qs = Case.objects.filter(status__in=UNIT_STATUSES, deadline__isnull=False, responsible_unit__isnull=False)
    if units is not None:
        qs = qs.filter(responsible_unit_id__in=units)
    qs = qs.annotate(left5=ExpressionWrapper((F("deadline") - Value(now)) * 5, output_field=DurationField()),
                     span=ExpressionWrapper(F("deadline") - F("dispatched_at"), output_field=DurationField()))
    rows = (qs.order_by().values("responsible_unit_id")
            .annotate(n=Count("id"), red=Count("id", filter=Q(deadline__lt=now)),
                      yellow=Count("id", filter=Q(deadline__gte=now, dispatched_at__isnull=False,
                                                  left5__lt=F("span")))))
    return {r["responsible_unit_id"]: {"red": r["red"], "yellow": r["yellow"], "green": r["n"] - r["red"] - r["yellow"]}
            for r in rows}


def overdue_cases(now=None):
    """Open cases past their deadline (超期), oldest deadline first."""
    now = now or timezone.now()
    return Case.objects.filter(status__in=UNIT_STATUSES, deadline__lt=now).order_by("deadline")


def overdue_items(now=None):
    """The overdue cases as supervision.kinds.OverdueItem, oldest deadline first (what the supervision
    engine issues 督办单 and escalates on). The label is "number category" only: the unit, the 通报 and
    the audit page never see the reporter through it. Streams four columns per case (no join)."""
    from luoshi.supervision.kinds import OverdueItem

    from .models import Category

    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    names = dict(Category.objects.values_list("id", "name"))
    rows = (Case.objects.filter(status__in=UNIT_STATUSES, deadline__lt=now, responsible_unit__isnull=False)
            .order_by("deadline", "id")
            .values_list("id", "number", "kind", "category_id", "responsible_unit_id", "deadline")
            .iterator(chunk_size=20000))
    for pk, number, kind, cat, unit_id, deadline in rows:
        label = f"{number} {'效能投诉·' if kind == Kind.COMPLAINT else ''}{names.get(cat, '')}"
        yield OverdueItem(source_id=pk, number=number or str(pk), label=label[:200], unit_id=unit_id,
                          deadline=deadline, since=deadline.astimezone(tz).date(), url=f"/cases/{pk}/")


def supervision_event(case_id: int, kind: str, text: str, actor=None) -> None:
    """A supervision step on a case (督办单 issued/answered, escalation): on its timeline (not public)."""
    row = Case.objects.filter(pk=case_id).values_list("status", flat=True).first()
    if row is None:
        return
    CaseEvent.objects.create(case_id=case_id, kind=f"supervision.{kind}", from_status=row, to_status=row,
                             actor=actor if getattr(actor, "pk", None) else None,
                             unit=getattr(actor, "unit", None) if getattr(actor, "pk", None) else None,
                             note=text[:2000], public=False)
