"""信访 statistics by handling unit and period [start, end] (dates inclusive), evaluated on `on`.

Per unit (petitions received in the period unless said otherwise):

* received          petitions received (登记)
* accept_due        those whose acceptance decision was made or whose 受理告知 limit has passed by `on`
* accepted_on_time  decided (受理 or 不予受理) on or before accept_by        → 及时受理率 = accepted_on_time / accept_due
* handle_due        accepted ones that were answered, or whose 办理期限 has passed by `on`
* handled_on_time   answered on or before their 办理期限 (incl. an approved extension)
                                                               → 按期办结率 = handled_on_time / handle_due
* rated / satisfied rated by the petitioner / rated 满意 or 基本满意   → 群众满意率 = satisfied / rated
* repeats           petitions that are 重复信访 (linked to an earlier one) → 重复信访率 = repeats / received
* backlog           积案 listed on or before `end` and not resolved before `start`
* resolved          积案 resolved within the period          → 积案化解率 = resolved / backlog

Rates are fractions 0..1 rounded to 4 places (0 when the denominator is 0). `monthly_resolution(year)`
gives the 积案化解率 of each month (backlog open at the month's start or listed during it).
Every figure is limited to the petitions the reader may see (scope.visible_petitions).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import Petition, Satisfaction


def _rate(n: int, d: int) -> float | None:
    """n/d to 4 places; None when nothing was due (nobody rated, no 积案): shown “—”, not a 0 % the unit never earned."""
    return round(n / d, 4) if d else None


def unit_stats(qs, start: dt.date, end: dt.date, on: dt.date | None = None) -> list[dict]:
    """Rows per handling unit (sorted by received desc) for the petitions in `qs` (already scoped)."""
    on = on or timezone.localdate()
    period = Q(received_on__gte=start, received_on__lte=end)
    agg = (qs.order_by().filter(handling_unit__isnull=False)
           .values("handling_unit", "handling_unit__name")
           .annotate(
               n_received=Count("id", filter=period),
               n_accept_due=Count("id", filter=period & (Q(accepted_on__isnull=False) | Q(accept_by__lt=on))),
               n_accepted_on_time=Count("id", filter=period & Q(accepted_on__isnull=False,
                                                              accepted_on__lte=F("accept_by"))),
               n_handle_due=Count("id", filter=period & Q(due__isnull=False) &
                                (Q(answered_on__isnull=False) | Q(due__lt=on))),
               n_handled_on_time=Count("id", filter=period & Q(answered_on__isnull=False, due__isnull=False,
                                                             answered_on__lte=F("due"))),
               n_rated=Count("id", filter=period & ~Q(satisfaction="")),
               n_satisfied=Count("id", filter=period & Q(satisfaction__in=(Satisfaction.SATISFIED,
                                                                         Satisfaction.BASIC))),
               n_repeats=Count("id", filter=period & Q(repeat_of__isnull=False)),
               n_backlog=Count("id", filter=Q(backlog=True, backlog_since__lte=end) &
                             (Q(resolved_on__isnull=True) | Q(resolved_on__gte=start))),
               n_resolved=Count("id", filter=Q(backlog=True, resolved_on__gte=start, resolved_on__lte=end)),
           ))
    rows = []
    for r in agg:
        r = {k[2:] if k.startswith("n_") else k: v for k, v in r.items()}
        if not (r["received"] or r["backlog"]):
            continue
        rows.append({
            "unit_id": r["handling_unit"], "unit": r["handling_unit__name"],
            **{k: r[k] for k in ("received", "accept_due", "accepted_on_time", "handle_due", "handled_on_time",
                                 "rated", "satisfied", "repeats", "backlog", "resolved")},
            "timely_acceptance_rate": _rate(r["accepted_on_time"], r["accept_due"]),
            "on_time_rate": _rate(r["handled_on_time"], r["handle_due"]),
            "satisfaction_rate": _rate(r["satisfied"], r["rated"]),
            "repeat_rate": _rate(r["repeats"], r["received"]),
            "backlog_resolution_rate": _rate(r["resolved"], r["backlog"]),
        })
    rows.sort(key=lambda r: (-r["received"], r["unit"]))
    return rows


def totals(rows: list[dict]) -> dict:
    keys = ("received", "accept_due", "accepted_on_time", "handle_due", "handled_on_time", "rated", "satisfied",
            "repeats", "backlog", "resolved")
    t = {k: sum(r[k] for r in rows) for k in keys}
    t.update(timely_acceptance_rate=_rate(t["accepted_on_time"], t["accept_due"]),
             on_time_rate=_rate(t["handled_on_time"], t["handle_due"]),
             satisfaction_rate=_rate(t["satisfied"], t["rated"]),
             repeat_rate=_rate(t["repeats"], t["received"]),
             backlog_resolution_rate=_rate(t["resolved"], t["backlog"]))
    return t


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def check_period(start: dt.date, end: dt.date) -> None:
    """A statistics period must run forwards and lie within 1900–2999 (the year 9999 made the monthly 积案化解率
    build the date 10000-01-01: a 500). LuoshiError (400) otherwise."""
    from luoshi.core.errors import LuoshiError

    if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
        raise LuoshiError("the period must lie between 1900-01-01 and 2999-12-31",
                          "统计区间应在1900-01-01至2999-12-31之间", field="start")
    if start > end:
        raise LuoshiError("start must not be after end", "开始日期不能晚于结束日期", field="start")


def monthly_resolution(qs, year: int) -> list[dict]:
    """积案化解率 per month of `year`: resolved in the month / (open at its start or listed in it)."""
    out = []
    for m in range(1, 13):
        start = dt.date(year, m, 1)
        end = (dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
        base = qs.filter(backlog=True, backlog_since__lte=end).filter(Q(resolved_on__isnull=True) |
                                                                      Q(resolved_on__gte=start))
        n = base.count()
        r = base.filter(resolved_on__lte=end).count()
        out.append({"month": f"{year}-{m:02d}", "backlog": n, "resolved": r, "rate": _rate(r, n)})
    return out


RATE_COLUMNS = [("timely_acceptance_rate", "及时受理率"), ("on_time_rate", "按期办结率"),
                ("satisfaction_rate", "群众满意率"), ("repeat_rate", "重复信访率"),
                ("backlog_resolution_rate", "积案化解率")]


def supervision_rates(user, start: dt.date, end: dt.date) -> dict:
    """The 通报/dashboard rates (supervision.kinds `rates`): unit_stats for the dates [start, end] as `user`
    may read them (scope.visible_petitions; None = every petition), in percent with one decimal."""
    from .scope import visible_petitions

    qs = visible_petitions(user) if user is not None else Petition.objects.all()
    rows = [{"unit_id": r["unit_id"], "unit": r["unit"], "total": r["received"],
             **{k: None if r[k] is None else round(r[k] * 100, 1) for k, _ in RATE_COLUMNS}}
            for r in unit_stats(qs, start, end)]
    return {"title": "信访事项办理情况", "columns": RATE_COLUMNS, "rows": rows}
