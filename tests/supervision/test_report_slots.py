"""Recurring reports (定期报送): due slots, holiday shifting, missing slot → finding + yellow light."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.services import do_report_progress, do_sign_task
from luoshi.supervision.models import Finding, ReportSlot, SupervisionState
from luoshi.supervision.lights import report_dues
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.calendar import WorkCalendar

from .conftest import set_report_date

D = dt.date
pytestmark = pytest.mark.django_db


def test_due_dates_shift_past_holidays():
    cal = WorkCalendar()
    # monthly:5 — 2025-10-05 is in the National Day holiday → due 10-09; 2025-11-05 is a Wednesday.
    assert report_dues("monthly:5", D(2025, 9, 1), D(2025, 11, 30), cal) == [
        D(2025, 9, 5), D(2025, 10, 9), D(2025, 11, 5)]
    # monthly:31 in February → month end (2025-02-28, a Friday).
    assert D(2025, 2, 28) in report_dues("monthly:31", D(2025, 1, 15), D(2025, 3, 3), cal)
    # quarterly: quarter ends; 2025-06-30 Monday, 2025-09-30 Tuesday, 2025-12-31 Wednesday.
    assert report_dues("quarterly", D(2025, 4, 1), D(2025, 12, 31), cal) == [
        D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)]
    # weekly:5 — Fridays; 2025-10-03 is a holiday → next working day 10-09; then Friday 10-10.
    assert report_dues("weekly:5", D(2025, 9, 29), D(2025, 10, 12), cal) == [D(2025, 10, 9), D(2025, 10, 10)]


def test_missing_report_turns_yellow_and_is_a_finding(placed_task, users):
    t = placed_task(D(2025, 9, 1), D(2025, 12, 31), recurrence="monthly:5")
    do_sign_task(users["fgw"], t)
    r = do_report_progress(users["fgw"], t, text="完成方案起草", percent=50)
    set_report_date(r, D(2025, 9, 4))

    res = run_sweep(D(2025, 10, 9))  # the October slot is due today: not missing yet
    assert list(ReportSlot.objects.filter(task=t).values_list("due", "fulfilled_on")) == [
        (D(2025, 9, 5), D(2025, 9, 4)), (D(2025, 10, 9), None)]
    assert SupervisionState.objects.get(task=t).light == "green"
    assert res.findings == 0

    res = run_sweep(D(2025, 10, 10))
    state = SupervisionState.objects.get(task=t)
    assert (state.light, state.missing_reports) == ("yellow", 1)
    assert "缺报1次" in state.reason
    assert res.findings == 1
    f = Finding.objects.get(task=t)
    assert f.kind == "missing_report" and "2025-10-09" in f.detail
    assert run_sweep(D(2025, 10, 10)).findings == 0  # recorded once

    late = do_report_progress(users["fgw"], t, text="补报十月进展", percent=60)
    set_report_date(late, D(2025, 10, 13))
    run_sweep(D(2025, 10, 13))
    slot = ReportSlot.objects.get(task=t, due=D(2025, 10, 9))
    assert slot.fulfilled_on == D(2025, 10, 13) and slot.late
    assert SupervisionState.objects.get(task=t).light == "green"
    assert Finding.objects.filter(task=t).count() == 1  # the finding stays on record
