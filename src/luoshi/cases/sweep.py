"""The daily sweep over open cases (超期/临期).

`case_lights(now)` classifies every case whose clock runs on a unit (已派遣/已签收/处置中):
red 超期 (past the deadline), yellow 临期 (less than a fifth of its time limit left), green otherwise,
and returns the counts per responsible unit: {unit_id: {"red": n, "yellow": n, "green": n}}, counted
by the database (one GROUP BY). `overdue_cases(now)` lists the red ones."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import UNIT_STATUSES, Case, CaseEvent, Kind


def case_lights(now=None) -> dict[int, dict[str, int]]:
    """{unit_id: {"red", "yellow", "green"}} over the open cases on a unit, counted by the database in one
    GROUP BY (no row leaves it; `case_lights_in` for every unit): red = deadline < now; yellow = at most a
    fifth of the time from dispatch to deadline left, i.e. 5·(deadline − now) < deadline − dispatched; green
    otherwise (`case_light` is the same rule for one case). `now` may be a day: its start, local time."""
    now = now or timezone.now()
    if not isinstance(now, dt.datetime):  # a day (kind_lights(on))
        now = timezone.make_aware(dt.datetime.combine(now, dt.time.min))
    return case_lights_in(now)


def case_light(deadline, dispatched, now) -> str:
    """The colour of one open case (the rule case_lights counts)."""
    if deadline < now:
        return "red"
    if dispatched and (deadline - now) * 5 < (deadline - dispatched):
        return "yellow"
    return "green"


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


def _overdue_rows(now):
    return Case.objects.filter(status__in=UNIT_STATUSES, deadline__lt=now, responsible_unit__isnull=False)


def _item(pk, number, kind, cat, unit_id, deadline, names, tz):
    from luoshi.supervision.kinds import OverdueItem

    label = f"{number} {'效能投诉·' if kind == Kind.COMPLAINT else ''}{names.get(cat, '')}"
    return OverdueItem(source_id=pk, number=number or str(pk), label=label[:200], unit_id=unit_id,
                       deadline=deadline, since=deadline.astimezone(tz).date(), url=f"/cases/{pk}/")


ITEM_COLUMNS = ("id", "number", "kind", "category_id", "responsible_unit_id", "deadline")


def overdue_items(now=None):
    """The overdue cases as supervision.kinds.OverdueItem, oldest deadline first (what the supervision
    engine issues 督办单 and escalates on). The label is "number category" only: the unit, the 通报 and
    the audit page never see the reporter through it. Streams six columns per case (no join)."""
    from .models import Category

    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    names = dict(Category.objects.values_list("id", "name"))
    rows = _overdue_rows(now).order_by("deadline", "id").values_list(*ITEM_COLUMNS).iterator(chunk_size=20000)
    for row in rows:
        yield _item(*row, names, tz)


def overdue_keys(now=None):
    """(case id, responsible unit id, local date it turned red) of the overdue cases, oldest deadline first:
    what the sweep decides on (three small columns, the date computed by the database)."""
    from django.db.models.functions import TruncDate

    now = now or timezone.now()
    return (_overdue_rows(now).annotate(since=TruncDate("deadline", tzinfo=timezone.get_current_timezone()))
            .order_by("deadline", "id").values_list("id", "responsible_unit_id", "since").iterator(chunk_size=20000))


def describe_items(ids, now=None) -> dict:
    """{case id: OverdueItem} for those of the given cases still overdue at `now` (default: now)."""
    from .models import Category

    tz = timezone.get_current_timezone()
    names = dict(Category.objects.values_list("id", "name"))
    return {row[0]: _item(*row, names, tz)
            for row in _overdue_rows(now or timezone.now()).filter(pk__in=list(ids)).values_list(*ITEM_COLUMNS)}


def supervision_events(events) -> None:
    """supervision_event for many: [(case id, kind, text)] by the system, in two statements."""
    status = dict(Case.objects.filter(pk__in={e[0] for e in events}).values_list("id", "status"))
    CaseEvent.objects.bulk_create([CaseEvent(case_id=cid, kind=f"supervision.{kind}", from_status=status[cid],
                                             to_status=status[cid], note=text[:2000], public=False)
                                   for cid, kind, text in events if cid in status], batch_size=2000)


def supervision_event(case_id: int, kind: str, text: str, actor=None) -> None:
    """A supervision step on a case (督办单 issued/answered, escalation): on its timeline (not public)."""
    row = Case.objects.filter(pk=case_id).values_list("status", flat=True).first()
    if row is None:
        return
    CaseEvent.objects.create(case_id=case_id, kind=f"supervision.{kind}", from_status=row, to_status=row,
                             actor=actor if getattr(actor, "pk", None) else None,
                             unit=getattr(actor, "unit", None) if getattr(actor, "pk", None) else None,
                             note=text[:2000], public=False)
