"""The daily sweep over open cases (超期/临期).

`case_lights(now)` classifies every case whose clock runs on a unit (已派遣/已签收/处置中):
red 超期 (past the deadline), yellow 临期 (less than a fifth of its time limit left), green otherwise,
and returns the counts per responsible unit: {unit_id: {"red": n, "yellow": n, "green": n}}, streaming
three columns per open case (no model instances). `overdue_cases(now)` lists the red ones."""
from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from .models import UNIT_STATUSES, Case


def case_lights(now=None) -> dict[int, dict[str, int]]:
    now = now or timezone.now()
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"red": 0, "yellow": 0, "green": 0})
    rows = (Case.objects.filter(status__in=UNIT_STATUSES, deadline__isnull=False)
            .values_list("responsible_unit_id", "deadline", "dispatched_at").iterator(chunk_size=20000))
    for unit_id, deadline, dispatched in rows:
        if deadline < now:
            out[unit_id]["red"] += 1
        elif dispatched and (deadline - now) * 5 < (deadline - dispatched):
            out[unit_id]["yellow"] += 1
        else:
            out[unit_id]["green"] += 1
    return dict(out)


def overdue_cases(now=None):
    """Open cases past their deadline (超期), oldest deadline first."""
    now = now or timezone.now()
    return Case.objects.filter(status__in=UNIT_STATUSES, deadline__lt=now).order_by("deadline")
