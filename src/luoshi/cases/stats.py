"""Case statistics per responsible unit or category over a period (created in [start, end)):

按期处置率 on-time rate = replied by the deadline / (replied + open past the deadline)
结案率 closing rate    = closed / cases
满意率 satisfaction    = (满意 + 基本满意) / rated
退单率 return rate     = cases the unit returned (from the timeline) / (cases it holds + those it returned)
返工率 rework rate     = cases reworked at least once / cases replied
Rates are percentages with one decimal, None when the denominator is 0.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from luoshi.core.errors import LuoshiError

from . import permissions as perm
from .models import UNIT_STATUSES, Case, CaseEvent, Rating, Status


def parse_period(value: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """'YYYY' | 'YYYY-MM' | '' → aware [start, end)."""
    if not value:
        return None, None
    try:
        if len(value) == 4:
            s, e = dt.date(int(value), 1, 1), dt.date(int(value) + 1, 1, 1)
        else:
            y, m = (int(x) for x in value.split("-"))
            s = dt.date(y, m, 1)
            e = dt.date(y + (m == 12), m % 12 + 1, 1)
    except (ValueError, TypeError):
        raise LuoshiError("period must be YYYY or YYYY-MM", "统计周期格式应为 YYYY 或 YYYY-MM", field="period") from None
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(s, dt.time(0), tzinfo=tz), dt.datetime.combine(e, dt.time(0), tzinfo=tz))


def _pct(a, b):
    return round(100.0 * a / b, 1) if b else None


def case_stats(user, start=None, end=None, by: str = "unit") -> list[dict]:
    """Rows per unit/category of the cases `user` may read (user None: every case — the daily 通报)."""
    qs = perm.visible_cases(user) if user is not None else Case.objects.all()
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lt=end)
    key = {"unit": "responsible_unit__name", "category": "category__name"}.get(by)
    if key is None:
        raise LuoshiError("by must be unit or category", "分组方式应为 unit 或 category", field="by")
    now = timezone.now()
    fields = [key, "responsible_unit"] if by == "unit" else [key]
    rows = (qs.exclude(**{f"{key}__isnull": True}).values(*fields).annotate(
        total=Count("id"),
        dispatched=Count("id", filter=Q(dispatched_at__isnull=False)),
        on_time=Count("id", filter=Q(replied_at__isnull=False, replied_at__lte=F("deadline"))),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        overdue_open=Count("id", filter=Q(status__in=UNIT_STATUSES, deadline__lt=now)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        returned=Count("id", filter=Q(return_count__gt=0)),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    ).order_by(key))
    # A 退单 clears the case's unit, so returns are counted from the timeline (the returning unit).
    returns = {}
    if by == "unit":
        ev = CaseEvent.objects.filter(kind="return", unit__isnull=False)
        if start:
            ev = ev.filter(case__created_at__gte=start)
        if end:
            ev = ev.filter(case__created_at__lt=end)
        returns = dict(ev.values("unit__name").annotate(n=Count("case_id", distinct=True)).values_list("unit__name", "n"))
    out = []
    for r in rows:
        if by == "unit":
            r["returned"] = returns.get(r[key], 0)
        out.append({"name": r[key], **({"unit_id": r["responsible_unit"]} if by == "unit" else {}),
                    "total": r["total"], "dispatched": r["dispatched"],
                    "overdue_open": r["overdue_open"],
                    "on_time_rate": _pct(r["on_time"], r["replied"] + r["overdue_open"]),
                    "closing_rate": _pct(r["closed"], r["total"]),
                    "satisfaction_rate": _pct(r["satisfied"], r["rated"]),
                    "return_rate": _pct(r["returned"], r["dispatched"] + r["returned"]),
                    "rework_rate": _pct(r["reworked"], r["replied"])})
    return out


RATE_COLUMNS = [("on_time_rate", "按期处置率"), ("closing_rate", "结案率"), ("satisfaction_rate", "满意率"),
                ("return_rate", "退单率"), ("rework_rate", "返工率")]


def supervision_rates(user, start: dt.date, end: dt.date) -> dict:
    """The 通报/dashboard rates (supervision.kinds `rates`): case_stats by responsible unit for the cases
    created on the dates [start, end], as `user` may read them (visible_cases; None = every case)."""
    tz = timezone.get_current_timezone()
    s = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    e = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    rows = [{"unit_id": r["unit_id"], "unit": r["name"], "total": r["total"], **{k: r[k] for k, _ in RATE_COLUMNS}}
            for r in case_stats(user, s, e, by="unit")]
    rows.sort(key=lambda r: (-r["total"], r["unit"]))
    return {"title": "诉求案件办理情况", "columns": RATE_COLUMNS, "rows": rows}
