"""The unit workspace: counts and lists of 待签收, 办理中, 临期, 逾期, 待审核."""
from __future__ import annotations

import datetime as dt
import re

from luoshi.ledger import services as svc
from luoshi.ledger.models import Status, Task
from luoshi.workcal.services import current_calendar

from tests.conftest import page_text


def section(body, key):
    start = body.index(f'id="g-{key}"')
    return body[start:body.index("</section>", start)]


def tile(body, key) -> int:
    return int(re.search(rf'tile-{key}" href="#g-{key}"><span class="tile-n">(\d+)</span>', body).group(1))


def test_workspace_groups(users, make_task, client_for):
    cal = current_calendar()
    today = svc.today()
    new = make_task(title="待签收任务", deadline=cal.add_working_days(today, 30))
    doing = make_task(title="办理中任务", deadline=cal.add_working_days(today, 30))
    svc.do_sign_task(users["fgw"], doing)
    soon = make_task(title="临期任务", deadline=cal.add_working_days(today, 2))
    svc.do_sign_task(users["fgw"], soon)
    late = make_task(title="逾期任务", deadline=cal.add_working_days(today, 30))
    svc.do_sign_task(users["fgw"], late)
    Task.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=3))
    review = make_task(title="待审核任务", deadline=cal.add_working_days(today, 30))
    svc.do_sign_task(users["fgw"], review)
    svc.do_request_completion(users["fgw"], review, note="已完成")
    closed = make_task(title="已办结任务")
    svc.do_sign_task(users["fgw"], closed)
    svc.do_request_completion(users["fgw"], closed, note="已完成")
    svc.do_approve_completion(users["supervisor"], closed)
    make_task(title="别的单位任务", lead=("edu",))

    body = page_text(client_for("fgw").get("/workspace/"))
    assert "市发展和改革委员会" in body
    assert "已办结任务" not in body and "别的单位任务" not in body
    assert "待签收任务" in section(body, "to_sign") and tile(body, "to_sign") == 1
    assert f"/tasks/{new.pk}/do/sign/" in section(body, "to_sign")
    ip = section(body, "in_progress")
    assert all(t in ip for t in ("办理中任务", "临期任务", "逾期任务")) and tile(body, "in_progress") == 3
    assert "临期任务" in section(body, "due_soon") and tile(body, "due_soon") == 1
    assert "逾期任务" in section(body, "overdue") and tile(body, "overdue") == 1
    assert "待审核任务" in section(body, "review") and tile(body, "review") == 1


def test_quick_sign_from_workspace(users, make_task, client_for):
    task = make_task(title="快速签收")
    c = client_for("fgw")
    r = c.post(f"/tasks/{task.pk}/do/sign/", follow=True)
    assert "签收成功" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.SIGNED
    body = page_text(c.get("/workspace/"))
    assert tile(body, "to_sign") == 0 and "快速签收" in section(body, "in_progress")


def test_co_unit_task_listed_without_sign_button(users, make_task, client_for):
    task = make_task(title="配合事项", lead=("edu",), co=("fgw",))
    body = page_text(client_for("fgw").get("/workspace/"))
    assert tile(body, "to_sign") == 0
    assert f"/tasks/{task.pk}/do/sign/" not in body


def test_non_liaison_goes_to_ledger(users, client_for):
    r = client_for("supervisor").get("/workspace/")
    assert r.status_code == 302 and r["Location"] == "/ledger/"
