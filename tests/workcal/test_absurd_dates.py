"""Dates written behind the app's back (0001-01-01, 9999-12-31) never make working-day arithmetic walk day
by day, overflow or answer 500: in the calendar itself (the kind) and on every page, export, document and
API that computes with a task's deadline. Time-bounded."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from luoshi.ledger.models import Task
from luoshi.ledger.services import deadline_state
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.calendar import WorkCalendar

FAR = [dt.date(1, 1, 1), dt.date(9999, 12, 31)]


def _timed(fn, *args):
    t = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - t


def _walk(cal, start, end):
    """The obvious day-by-day count, for checking the fast one on short spans."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += cal.is_workday(day)
    return n


def test_calendar_counts_any_span_fast_and_exactly():
    cal = WorkCalendar(local={dt.date(2025, 6, 16): (False, "本地假日"), dt.date(2025, 6, 14): (True, "补班")})
    today = dt.date(2026, 11, 30)
    for far in FAR:
        n, secs = _timed(cal.working_days_between, today, far)
        assert secs < 1.0, secs
        assert (n > 2_000_000) if far.year == 9999 else (n < -500_000)
        assert cal.working_days_between(far, today) == -n
    # 0001-01-01 .. 9999-12-31 is 3,652,058 days: about 5/7 of them are Mondays-Fridays.
    whole, secs = _timed(cal.working_days_between, FAR[0], FAR[1])
    assert secs < 1.0 and abs(whole - 3_652_058 * 5 / 7) < 500 * 7
    # exact where it matters: the same answer as walking, holidays, 调休 and local days included
    for start, end in [(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2025, 6, 13), dt.date(2025, 6, 17)),
                       (dt.date(2024, 9, 20), dt.date(2024, 10, 15)), (dt.date(2029, 1, 20), dt.date(2029, 3, 1))]:
        assert cal.working_days_between(start, end) == _walk(cal, start, end)
    assert cal.add_working_days(dt.date(2024, 9, 30), 1) == dt.date(2024, 10, 8)  # 国庆 + 调休
    # adding never overflows past 9999-12-31 and never walks
    (day, secs) = _timed(cal.add_working_days, dt.date(9999, 12, 28), 10)
    assert day == dt.date.max and secs < 1.0
    (day, secs) = _timed(cal.add_working_days, dt.date(2025, 1, 1), 10**6)
    assert secs < 1.0 and cal.working_days_between(dt.date(2025, 1, 1), day) == 10**6


@pytest.mark.parametrize("far", FAR, ids=str)
def test_a_task_with_an_absurd_deadline_costs_nothing_anywhere(far, users, units, make_task, client_for):
    today = dt.date.today()
    good = make_task(title="正常任务", lead=("fgw",), deadline=today + dt.timedelta(days=30))
    bad = make_task(title="荒谬时限任务", lead=("fgw",), deadline=today + dt.timedelta(days=30))
    with connection.cursor() as cur:  # a broken import or a hand edit
        cur.execute(f"UPDATE {Task._meta.db_table} SET deadline = %s WHERE id = %s", [far.isoformat(), bad.pk])
    bad.refresh_from_db()
    assert bad.deadline == far
    state, secs = _timed(deadline_state, bad)
    assert state == ("overdue" if far < today else "ok") and secs < 1.0
    t0 = time.perf_counter()
    result = run_sweep()
    assert time.perf_counter() - t0 < 30
    assert [s["task_id"] for s in result.skipped] == [bad.pk]  # reported and skipped, never the whole sweep
    year = today.year
    pages = ["/ledger/", "/ledger/export.xlsx", f"/tasks/{bad.pk}/", f"/tasks/{good.pk}/",
             "/supervision/dashboard/", "/supervision/dashboard/?format=json", "/supervision/lights/",
             "/supervision/statistics/", f"/supervision/statistics/?start={year - 1}-01-01&end={year + 1}-12-31",
             "/supervision/statistics/?format=docx", "/supervision/statistics/?format=pdf", "/workspace/",
             "/supervision/workspace/", "/api/ledger.xlsx", "/api/stats/units/", "/api/lights/"]
    for who in ("supervisor", "fgw", "leader"):
        c = client_for(who)
        for url in pages:
            t = time.perf_counter()
            r = c.get(url)
            secs = time.perf_counter() - t
            assert r.status_code in ((200, 302) if who == "supervisor" else (200, 302, 403)), (who, url, r.status_code)
            assert secs < 10, (who, url, secs)
    api = APIClient()
    api.force_authenticate(users["fgw"])
    for url in ("/api/tasks/", f"/api/tasks/{bad.pk}/"):
        t = time.perf_counter()
        r = api.get(url)
        assert r.status_code == 200 and time.perf_counter() - t < 10, (url, r.status_code)
