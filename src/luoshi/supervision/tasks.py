"""Background work of the supervision engine, through the tasks API (django-tasks).

With the default ImmediateBackend, `sweep_task.enqueue()` runs at once in-process.
With LUOSHI_TASKS_BACKEND=database, tasks are stored and run by a worker:

    luoshi manage db_worker            # processes the queue (run under systemd/supervisor)

Schedule the daily sweep with cron or a systemd timer, e.g. `15 6 * * * luoshi sweep`
(which runs the same service in-process) or enqueue it for the worker from any code:
`sweep_task.enqueue()`.
"""
from __future__ import annotations

import datetime as dt

from django_tasks import task

# Moved to luoshi.notifications.tasks; this name keeps webhook jobs queued before the move runnable.
from luoshi.notifications.tasks import deliver_webhook  # noqa: F401

from .sweep import run_sweep


@task()
def sweep_task(at_iso: str | None = None) -> dict:
    """Run the supervision sweep for date `at_iso` (YYYY-MM-DD; default today); returns the summary."""
    on = dt.date.fromisoformat(at_iso) if at_iso else None
    return run_sweep(on).as_dict()

