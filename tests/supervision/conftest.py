"""Fixtures for the supervision engine: tasks placed at simulated dates."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Task

D = dt.date


@pytest.fixture
def placed_task(make_task, users):
    """A task assigned on `assigned` with deadline `deadline` (dates in the simulated past are fine)."""

    def _make(assigned: dt.date, deadline: dt.date | None, *, progress: int = 0, status: str | None = None,
              sign: bool = False, **kw):
        from luoshi.ledger.services import do_assign_task

        if "deadline" not in kw and "deadline_working_days" not in kw:
            kw["deadline_working_days"] = 20  # 交办 needs a deadline; the real one is set below
        task = do_assign_task(users["supervisor"], make_task(assign=False, **kw), on=assigned)
        # The ledger refuses deadlines in the real past; the simulated clock needs them.
        changes = {"deadline": deadline, "original_deadline": deadline, "progress": progress}
        if status:
            changes["status"] = status
        Task.objects.filter(pk=task.pk).update(**changes)
        task.refresh_from_db()
        return task

    return _make


def set_report_date(report, day: dt.date) -> None:
    """Move a real progress report to a simulated date."""
    from django.utils import timezone

    from luoshi.ledger.models import ProgressReport

    at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))
    ProgressReport.objects.filter(pk=report.pk).update(created_at=at)
