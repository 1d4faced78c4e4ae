"""Red/yellow list for the 督查员, 挂牌督办 list, unit workspace, inbox, dashboard and statistics pages."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.notifications.models import Notification
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(placed_task, users):
    red = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, title="逾期的任务", lead=("fgw",))
    green = placed_task(D(2025, 3, 3), D(2025, 12, 31), progress=90, title="正常的任务", lead=("edu",))
    run_sweep(D(2025, 3, 18))
    return red, green


def test_lights_page_for_supervisors_only(client, users, swept):
    red, green = swept
    client.force_login(users["fgw"])
    assert client.get("/supervision/lights/").status_code == 403
    client.force_login(users["supervisor"])
    html = client.get("/supervision/lights/").content.decode()
    assert red.number in html and green.number not in html and "红灯 1" in html


def test_inbox_and_mark_read(client, users, swept):
    client.force_login(users["fgw"])
    html = client.get("/supervision/inbox/").content.decode()
    assert "红色督办单" in html and "未读 2" in html   # the 交办 and the notice (the ladder's 督办单 rung)
    assert "【新交办】" in html
    client.post("/supervision/inbox/read/")
    assert not Notification.objects.filter(user=users["fgw"], read_at__isnull=True).exists()
    # 市教育局 hears only of its own task's 交办, nothing of 市发改委's red light
    assert list(Notification.objects.filter(user=users["edu"]).values_list("kind", flat=True)) == ["task.assigned"]


def test_workspace_shows_escalation_steps(client, users, swept):
    red, green = swept
    client.force_login(users["fgw"])
    html = client.get("/supervision/workspace/").content.decode()
    assert "第1级 督办单" in html and red.number in html
    client.force_login(users["edu"])
    html = client.get("/supervision/workspace/").content.decode()
    assert red.number not in html


def test_dashboard_and_statistics(client, users, swept):
    client.force_login(users["fgw"])
    assert client.get("/supervision/dashboard/").status_code == 403
    client.force_login(users["supervisor"])
    html = client.get("/supervision/dashboard/").content.decode()
    assert "supervision/echarts.min.js" in html and "cdn" not in html.lower()
    data = client.get("/supervision/dashboard/?format=json&on=2025-03-18").json()
    i = data["units"].index("市发展和改革委员会")
    assert data["lights"]["red"][i] == 1
    assert data["trend"]["series"]["red"][-1] == 1
    assert client.get("/static/supervision/echarts.min.js").status_code == 200
    resp = client.get("/supervision/statistics/?start=2025-03-01&end=2025-03-31")
    assert "市发展和改革委员会" in resp.content.decode()
    resp = client.get("/supervision/statistics/?start=2025-03-01&end=2025-03-31&format=docx")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    resp = client.get("/supervision/statistics/?start=2025-03-01&end=2025-03-31&format=pdf")
    assert resp.content.startswith(b"%PDF")


def test_listed_page(client, users, placed_task):
    t = placed_task(D(2025, 2, 3), D(2025, 9, 19), progress=60, title="挂牌的任务")
    for day in [D(2025, 9, 22) + dt.timedelta(days=i) for i in range(25)]:
        run_sweep(day)
    client.force_login(users["edu"])   # any user sees the public listing
    assert "挂牌的任务" in client.get("/supervision/listed/").content.decode()


@pytest.mark.parametrize("fmt", ["", "pdf", "docx"])
def test_bulletin_with_end_before_start_is_refused_in_every_format(client, users, fmt):
    # a 通报 "关于2026年12月01日至2026年01月01日…" must never be produced: the page, the PDF and the
    # .docx all answer 400 with the Chinese reason, and no document is sent
    client.force_login(users["supervisor"])
    resp = client.get(f"/supervision/statistics/?start=2026-12-01&end=2026-01-01&format={fmt}")
    assert resp.status_code == 400
    assert resp["Content-Type"].startswith("text/html")
    assert "结束日期不能早于开始日期" in resp.content.decode()
