"""The task page's timeline names the supervision steps (notice, escalation, answer) in Chinese."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision.models import SupervisionNotice
from luoshi.supervision.notices import do_answer_notice
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


def test_timeline_labels_supervision_events(client, placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    run_sweep(D(2025, 3, 18))
    do_answer_notice(users["fgw"], SupervisionNotice.objects.get(task=t), "已安排专人推进。", on=D(2025, 3, 19))
    client.force_login(users["supervisor"])
    html = client.get(f"/tasks/{t.pk}/").content.decode()
    for label in ("签发督办单", "升级督办", "回复督办单"):
        assert label in html
    for raw in (">notice<", ">escalation<", ">notice_answer<"):
        assert raw not in html
