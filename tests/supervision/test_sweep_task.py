"""The sweep runs through the tasks API: sweep_task (ImmediateBackend by default) and `sweep --enqueue`."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from luoshi.supervision.models import SupervisionState
from luoshi.supervision.tasks import sweep_task

D = dt.date
pytestmark = pytest.mark.django_db


def test_sweep_task_returns_summary(placed_task):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    result = sweep_task.enqueue("2025-03-18")
    assert result.return_value["lights"]["red"] == 1
    assert result.return_value["notices_issued"] == 1
    assert SupervisionState.objects.get(task=t).light == "red"


def test_sweep_command_enqueue(placed_task):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    out = io.StringIO()
    call_command("sweep", "--at", "2025-03-18", "--force", "--enqueue", stdout=out)
    assert "enqueued sweep" in out.getvalue()
    assert SupervisionState.objects.get(task=t).light == "red"


def test_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("sweep", "--at", "2025-13-01")
