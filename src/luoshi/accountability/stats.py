"""Accountability statistics (问责统计) like the seed's "处理39人(撤(免)职9人、调离3人…)": people
held to account by measure, responsibility type, unit, month and cause, for a period of decision dates.

Counted: people whose measure stands (已决定, 已移送党纪政纪处分) with a decision date in the period;
withdrawn, not pursued and revoked-on-appeal records are not counted. Aggregates only — no names.
All groupings read the Person table alone (cause type and decision date are copied onto it); on
PostgreSQL in one scan of a covering index (state, decided_on) INCLUDE (the grouped columns).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncMonth

from luoshi.orgs.models import Unit

from .models import CauseType, MeasureType, Person, Proposal, Responsibility

COUNTED = (Person.State.DECIDED, Person.State.REFERRED)


def people(start: dt.date, end: dt.date, unit_ids=None):
    qs = Person.objects.filter(state__in=COUNTED, decided_on__gte=start, decided_on__lte=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs


def _grouped(qs, field):
    return list(qs.order_by().values(field).annotate(n=Count("id")).values_list(field, "n"))


GROUPS = ("measure_id", "responsibility", "cause_type", "unit_id", "month")


def _groups_pg(start, end, unit_ids) -> dict[str, list]:
    """All five groupings in ONE scan (GROUPING SETS) of the covering index acct_person_stats."""
    from django.db import connection

    table = connection.ops.quote_name(Person._meta.db_table)
    params = [list(COUNTED), start, end]
    unit_sql = ""
    if unit_ids is not None:
        unit_sql = " AND unit_id = ANY(%s)"
        params.append(list(unit_ids))
    sql = (f"SELECT GROUPING(measure_id), GROUPING(responsibility), GROUPING(cause_type), GROUPING(unit_id), "
           f"measure_id, responsibility, cause_type, unit_id, decided_on, COUNT(*) "
           f"FROM {table} WHERE state = ANY(%s) AND decided_on >= %s AND decided_on <= %s{unit_sql} "
           f"GROUP BY GROUPING SETS ((measure_id), (responsibility), (cause_type), (unit_id), "
           f"(decided_on))")
    out = {g: [] for g in GROUPS}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for gm, gr, gc, gu, m, r, c, u, month, n in cur.fetchall():
            if not gm:
                out["measure_id"].append((m, n))
            elif not gr:
                out["responsibility"].append((r, n))
            elif not gc:
                out["cause_type"].append((c, n))
            elif not gu:
                out["unit_id"].append((u, n))
            else:  # by day: months are summed here (no date function per row in SQL)
                out["month"].append((month.replace(day=1), n))
    return out


def _groups(start, end, unit_ids) -> dict[str, list]:
    from django.db import connection

    if connection.vendor == "postgresql":
        return _groups_pg(start, end, unit_ids)
    qs = people(start, end, unit_ids)
    out = {g: _grouped(qs, g) for g in GROUPS[:4]}
    out["month"] = list(qs.order_by().annotate(m=TruncMonth("decided_on")).values("m").annotate(n=Count("id"))
                        .values_list("m", "n"))
    return out


def statistics(start: dt.date, end: dt.date, unit_ids=None, top_units: int = 30) -> dict:
    """{"total", "proposals", "by_measure": [(name, category, n)], "by_responsibility": [(label, n)],
    "by_cause": [(label, n)], "by_month": [("YYYY-MM", n)], "by_unit": [(unit name, n)] (top `top_units`),
    "summary": the one-line 通报 text}. `proposals`: decided proposals (问题) in the period, by the
    responsible unit. PostgreSQL: one GROUPING SETS scan; elsewhere one query per grouping."""
    g = _groups(start, end, unit_ids)
    measures = {m.pk: m for m in MeasureType.objects.all()}
    by_measure = sorted(((measures[k], n) for k, n in g["measure_id"] if k in measures),
                        key=lambda x: (-x[0].rank, x[0].pk))
    total = sum(n for _, n in by_measure)
    resp = dict(g["responsibility"])
    cause = dict(g["cause_type"])
    per_month: dict[str, int] = {}
    for d, n in g["month"]:
        if d is not None:
            per_month[d.strftime("%Y-%m")] = per_month.get(d.strftime("%Y-%m"), 0) + n
    months = sorted(per_month.items())
    by_unit_raw = sorted(g["unit_id"], key=lambda x: (-x[1], x[0]))[:top_units]
    names = dict(Unit.objects.filter(pk__in=[u for u, _ in by_unit_raw]).values_list("pk", "name"))
    decided = Proposal.objects.filter(state=Proposal.State.DECIDED, decided_on__gte=start, decided_on__lte=end)
    if unit_ids is not None:
        decided = decided.filter(unit_id__in=unit_ids)
    proposals = decided.count()
    parts = "、".join(f"{m.name}{n}人" for m, n in by_measure)
    summary = f"共问责{total}人" + (f"(涉及{proposals}起问题),其中{parts}。" if total else "。")
    return {
        "start": start, "end": end, "total": total, "proposals": proposals,
        "by_measure": [(m.name, m.get_category_display(), n) for m, n in by_measure],
        "by_responsibility": [(label, resp.get(v, 0)) for v, label in Responsibility.choices],
        "by_cause": [(label, cause.get(v, 0)) for v, label in CauseType.choices],
        "by_month": months,
        "by_unit": [(names.get(u, str(u)), n) for u, n in by_unit_raw],
        "summary": summary,
    }
