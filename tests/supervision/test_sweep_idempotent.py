"""`luoshi sweep` is idempotent: the second run for the same date issues nothing."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from luoshi.ledger.models import TaskEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation, SupervisionNotice, SupervisionState

D = dt.date
pytestmark = pytest.mark.django_db


def sweep(at: str) -> dict:
    out = io.StringIO()
    call_command("sweep", "--at", at, "--force", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_sweep_twice_issues_nothing_twice(placed_task, users):
    placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=100, title="按期任务")         # green
    placed_task(D(2025, 3, 3), D(2025, 3, 20), progress=95, title="临期任务")          # blue on 03-18
    placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=0, title="滞后任务")           # yellow
    red = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, title="逾期任务")     # red
    first = sweep("2025-03-18")
    assert first["lights"] == {"green": 1, "blue": 1, "yellow": 1, "red": 1}
    assert first["notices_issued"] == 3
    assert first["escalations"] == 2  # 提醒 for the yellow and red task (step 1 after 0 days)
    counts = (SupervisionNotice.objects.count(), Escalation.objects.count(), Notification.objects.count(),
              TaskEvent.objects.count())
    second = sweep("2025-03-18")
    assert second["lights"] == first["lights"]
    assert (second["notices_issued"], second["escalations"], second["changed"]) == (0, 0, 0)
    assert counts == (SupervisionNotice.objects.count(), Escalation.objects.count(),
                      Notification.objects.count(), TaskEvent.objects.count())
    n = SupervisionNotice.objects.get(task=red)
    assert n.number == "督办〔2025〕第0003号" or n.number.startswith("督办〔2025〕第")
    assert sorted(SupervisionNotice.objects.values_list("number", flat=True)) == [
        "督办〔2025〕第0001号", "督办〔2025〕第0002号", "督办〔2025〕第0003号"]
    assert SupervisionState.objects.get(task=red).since == D(2025, 3, 18)


def test_human_output_lists_changes(placed_task):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    out = io.StringIO()
    call_command("sweep", "--at", "2025-03-18", "--force", stdout=out)
    text = out.getvalue()
    assert f"{t.number}: none -> red" in text
    assert "notices issued 1" in text


def test_a_sweep_for_another_day_writes_nothing_without_force(placed_task):
    from django.core.management.base import CommandError

    placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    audit_before = _audit_count()
    with pytest.raises(CommandError, match="is not today .* Nothing was written; add --force"):
        call_command("sweep", "--at", "2025-03-18", stdout=io.StringIO())
    assert not SupervisionState.objects.exists() and not SupervisionNotice.objects.exists()
    assert _audit_count() == audit_before


def test_dry_run_shows_the_sweep_and_writes_nothing(placed_task, tmp_path, settings):
    red = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    before = (SupervisionNotice.objects.count(), Notification.objects.count(), TaskEvent.objects.count(),
              _audit_count())
    out = io.StringIO()
    call_command("sweep", "--at", "2025-03-18", "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.startswith("DRY RUN: nothing was written")
    assert f"{red.number}: none -> red" in text and "notices issued 1" in text
    assert before == (SupervisionNotice.objects.count(), Notification.objects.count(), TaskEvent.objects.count(),
                      _audit_count())
    assert not SupervisionState.objects.exists()
    # the same sweep, really run, does what the dry run announced
    assert sweep("2025-03-18")["notices_issued"] == 1


def _audit_count() -> int:
    from luoshi.audit.models import AuditEntry

    return AuditEntry.objects.count()
