"""The ledger page: columns, filters, search, sorting, paging, deadline marks."""
from __future__ import annotations

import datetime as dt
import re

from luoshi.ledger import services as svc
from luoshi.ledger.models import Status, Task
from luoshi.workcal.services import current_calendar

from tests.conftest import page_text


def numbers(body: str) -> list[str]:
    return re.findall(r'class="c-num"><a href="/tasks/\d+/">([^<]+)</a>', body)


def test_columns_and_marks(users, make_task, client_for):
    cal = current_calendar()
    today = svc.today()
    ok = make_task(title="正常任务", co=("edu",), deadline=cal.add_working_days(today, 20))
    soon = make_task(title="临期任务", deadline=cal.add_working_days(today, 2))
    late = make_task(title="逾期任务", deadline=today + dt.timedelta(days=5))
    Task.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    body = page_text(client_for("supervisor").get("/ledger/"))
    for h in ("编号", "工作任务", "牵头单位", "配合单位", "完成时限", "进度", "状态"):
        assert f">{h}</th>" in body, h
    assert "市发展改革委" in body and "市教育局" in body
    row = lambda t: body[body.index(t.number):].split("</tr>")[0]  # noqa: E731
    assert "逾期" in row(late) and "临期" not in row(late)
    # the working-day count, the same as the 台账 export and the supervision engine (issue 9)
    late_days = cal.working_days_between(today - dt.timedelta(days=1), today)
    assert (f"逾期{late_days}个工作日" if late_days else "逾期<") in row(late)
    assert "临期" in row(soon)
    assert "逾期" not in row(ok) and "临期" not in row(ok)
    assert "共 3 项" in body


def test_filters(users, units, make_task, client_for):
    src = svc.do_create_source(users["supervisor"], title="政府工作报告")
    a = make_task(title="发改任务", lead=("fgw",), source=src, deadline_working_days=30)
    b = make_task(title="教育任务", lead=("edu",), co=("fgw",), deadline_working_days=30)
    c = make_task(title="甲区任务", lead=("jia",), deadline_working_days=30)
    svc.do_sign_task(users["jia"], c)
    Task.objects.filter(pk=b.pk).update(deadline=svc.today() - dt.timedelta(days=2))
    client = client_for("supervisor")
    get = lambda **p: set(numbers(page_text(client.get("/ledger/", p))))  # noqa: E731
    assert get(unit=units["fgw"].pk) == {a.number, b.number}  # lead or co
    assert get(unit=units["jia"].pk) == {c.number}
    assert get(status=Status.SIGNED) == {c.number}
    assert get(source=src.pk) == {a.number}
    assert get(due="overdue") == {b.number}
    assert get(q="教育") == {b.number}
    assert get(q=a.number) == {a.number}
    assert get(q="不存在的任务") == set()
    assert "没有符合条件的督办事项" in page_text(client.get("/ledger/", {"q": "不存在的任务"}))
    # unknown choice values and malformed ids are a clear 400 (luoshi.core.params)
    for key, bad, label in (("status", "bogus", "状态"), ("due", "zzz", "时限"), ("sort", "nope", "排序")):
        r = client.get("/ledger/", {key: bad})  # an unknown value is a 400 naming it, not every task
        assert r.status_code == 400 and f"{label}“{bad}”无效" in page_text(r)
    bad = client.get("/ledger/", {"unit": "x"})
    assert bad.status_code == 400 and "单位应为有效的数字编号" in page_text(bad)


def test_due_soon_filter_uses_working_days(users, make_task, client_for):
    cal = current_calendar()
    today = svc.today()
    within = make_task(title="三个工作日内", deadline=cal.add_working_days(today, 3))
    make_task(title="四个工作日后", deadline=cal.add_working_days(today, 4))
    body = page_text(client_for("supervisor").get("/ledger/", {"due": "due_soon"}))
    assert numbers(body) == [within.number]


def test_sorting(users, make_task, client_for):
    today = svc.today()
    t1 = make_task(title="甲", deadline=today + dt.timedelta(days=30))
    t2 = make_task(title="乙", deadline=today + dt.timedelta(days=10))
    t3 = make_task(title="丙", deadline=today + dt.timedelta(days=20))
    svc.do_sign_task(users["fgw"], t3)
    svc.do_report_progress(users["fgw"], t3, text="进展", percent=50)
    svc.do_sign_task(users["fgw"], t1)
    svc.do_report_progress(users["fgw"], t1, text="进展", percent=20)
    c = client_for("supervisor")
    order = lambda s: numbers(page_text(c.get("/ledger/", {"sort": s})))  # noqa: E731
    assert order("deadline") == [t2.number, t3.number, t1.number]
    assert order("-deadline") == [t1.number, t3.number, t2.number]
    assert order("number") == [t1.number, t2.number, t3.number]
    assert order("") == [t3.number, t2.number, t1.number]
    assert order("-progress") == [t3.number, t1.number, t2.number]
    assert order("status") == [t2.number, t1.number, t3.number]  # 交办 before 办理中; ties by id


def test_paging(users, make_task, client_for):
    tasks = [make_task(title=f"任务{i:02d}", deadline_working_days=10) for i in range(23)]
    c = client_for("supervisor")
    first = page_text(c.get("/ledger/", {"sort": "number"}))
    second = page_text(c.get("/ledger/", {"sort": "number", "page": 2}))
    assert numbers(first) == [t.number for t in tasks[:20]]
    assert numbers(second) == [t.number for t in tasks[20:]]
    assert "第 1 / 2 页" in first and "page=2" in first and "sort=number" in first
    # an out-of-range page is a 400 saying how many pages there are (luoshi.core.params.paginate)
    past = c.get("/ledger/", {"sort": "number", "page": 99})
    assert past.status_code == 400 and "页码超出范围(共2页)" in page_text(past)


def test_large_organisation_picks_units_by_name(users, units, make_task, client_for, monkeypatch):
    """Thousands of units: no drop-down of every unit on every page; the unit is typed by name instead."""
    from luoshi.ledger import views

    a = make_task(title="发改任务", lead=("fgw",), deadline_working_days=30)
    b = make_task(title="教育任务", lead=("edu",), co=("fgw",), deadline_working_days=30)
    c = make_task(title="甲区任务", lead=("jia",), deadline_working_days=30)
    client = client_for("supervisor")
    small = page_text(client.get("/ledger/"))
    assert f'<option value="{units["edu"].pk}">' in small and 'name="unit_name"' not in small
    monkeypatch.setattr(views, "UNIT_SELECT_MAX", 1)
    body = page_text(client.get("/ledger/"))
    assert f'<option value="{units["edu"].pk}"' not in body and 'name="unit_name"' in body
    picked = page_text(client.get("/ledger/", {"unit": units["jia"].pk}))
    assert f'<option value="{units["jia"].pk}" selected>' in picked  # the chosen unit stays shown
    assert f'<option value="{units["edu"].pk}"' not in picked
    get = lambda **p: set(numbers(page_text(client.get("/ledger/", p))))  # noqa: E731
    assert get(unit=units["jia"].pk) == {c.number}
    assert get(unit_name=units["fgw"].name) == {a.number, b.number}  # lead or co
    assert get(unit_name="发改委") == {a.number, b.number}           # an alias, in part
    assert get(unit_name="没有这个单位") == set()
