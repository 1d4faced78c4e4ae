"""Background work of the 信访 app, through the tasks API (django-tasks), like supervision.tasks.

`petition_sweep_task.enqueue()` runs at once with the default ImmediateBackend; with
LUOSHI_TASKS_BACKEND=database it is stored and run by `luoshi manage db_worker`. Schedule the daily
sweep with cron or a systemd timer, e.g. ``20 6 * * * luoshi petitions sweep`` (runs the same service
in-process) or ``luoshi petitions sweep --enqueue`` (hands it to the worker).
"""
from __future__ import annotations

import datetime as dt

from django_tasks import task

from .sweep import run_petition_sweep


@task()
def petition_sweep_task(at_iso: str | None = None) -> dict:
    """Run the petition sweep (信访超期扫描) for date `at_iso` (YYYY-MM-DD; default today).

    Returns the summary dict of `SweepResult.as_dict()`. Idempotent for a day (see run_petition_sweep)."""
    on = dt.date.fromisoformat(at_iso) if at_iso else None
    return run_petition_sweep(on).as_dict()
