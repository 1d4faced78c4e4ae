"""The citizen portal (公示, /public/): no login, Chinese, reads only through `queries`."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from luoshi.core.params import get_choice, get_int, get_month, paginate
from luoshi.ledger.models import PublicKind

from . import queries


def _ctx(request, section: str, **kw) -> dict:
    return {"section": section, **kw}


@cache_control(public=True, max_age=60)
def index(request):
    counts = {"listed": len(queries.listed_items()), "tasks": len(queries.public_tasks()),
              "assessment": len(queries.published_runs())}
    return render(request, "public/index.html", _ctx(request, "index", counts=counts))


@cache_control(public=True, max_age=60)
def listed(request):
    page = paginate(queries.listed_items(), 20, request.GET.get("page"))
    return render(request, "public/listed.html", _ctx(request, "listed", page=page))


@cache_control(public=True, max_age=60)
def tasks(request):
    kind = get_choice(request.GET, "kind", (PublicKind.LIVELIHOOD, PublicKind.COMMITMENT), "类别")
    page = paginate(queries.public_tasks(kind or None), 20, request.GET.get("page"))
    return render(request, "public/tasks.html", _ctx(request, "tasks", page=page, kind=kind,
                                                     kinds=[c for c in PublicKind.choices if c[0]]))


@cache_control(public=True, max_age=60)
def task(request, pk: int):
    t = queries.public_task(pk)
    if t is None:
        raise Http404
    return render(request, "public/task.html", _ctx(request, "tasks", t=t))


@cache_control(public=True, max_age=60)
def assessment(request):
    return render(request, "public/assessment.html", _ctx(request, "assessment", runs=queries.published_runs()))


@cache_control(public=True, max_age=60)
def assessment_run(request, pk: int):
    run = queries.published_run(pk)
    if run is None:
        raise Http404
    return render(request, "public/assessment_run.html", _ctx(request, "assessment", run=run))


@cache_control(public=True, max_age=60)
def cases(request):
    """12345 案件统计: ?year=YYYY (default this year) and optionally &month=1-12 for the unit table."""
    import datetime as dt

    today = dt.date.today()
    year = get_int(request.GET, "year", "年份", today.year, lo=2000, hi=today.year + 1)
    month = get_month(request.GET)
    data = queries.case_statistics(year, month)
    if data is None:
        raise Http404
    return render(request, "public/cases.html", _ctx(request, "cases", s=data, years=range(today.year, today.year - 5, -1),
                                                     months=range(1, 13)))
