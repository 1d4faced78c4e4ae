"""The five rates by unit and period, on petitions driven through the services."""
import datetime as dt

import pytest

from luoshi.petitions import services as svc, stats
from luoshi.petitions.models import Petition
from luoshi.petitions.scope import visible_petitions

from .conftest import ID2

pytestmark = pytest.mark.django_db


def test_rates(register, users, units):
    sup, fgw = users["supervisor"], users["fgw"]
    a = register(received_on=dt.date(2026, 3, 2))                      # accepted in time, answered in time
    b = register(id_number=ID2, title="噪声", content="夜间噪声", received_on=dt.date(2026, 3, 2))  # accepted late
    c = register(id_number="", title="道路", content="道路破损", received_on=dt.date(2026, 3, 3))   # never accepted
    for p in (a, b, c):
        svc.do_assign_petition(sup, p, units["fgw"], on=dt.date(2026, 3, 3))
    svc.do_accept_petition(fgw, a, on=dt.date(2026, 3, 5))
    svc.do_accept_petition(fgw, b, on=dt.date(2026, 3, 25))            # accept_by was 3-17
    svc.do_answer_petition(fgw, a, "已办结", on=dt.date(2026, 4, 1))
    svc.do_rate_petition(sup, a, "basic")
    r = register(title="电梯补贴仍未发放", received_on=dt.date(2026, 3, 20))  # repeat of a
    assert r.repeat_of_id == a.pk
    svc.do_assign_petition(sup, r, units["fgw"])
    rows = stats.unit_stats(visible_petitions(sup), dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 6, 1))
    (row,) = rows
    assert row["received"] == 4 and row["repeats"] == 1 and row["repeat_rate"] == 0.25
    assert row["accept_due"] == 4 and row["accepted_on_time"] == 1 and row["timely_acceptance_rate"] == 0.25
    # a answered on time; b's limit (5-24 + roll) passed unanswered on 6-01
    assert row["handle_due"] == 2 and row["handled_on_time"] == 1 and row["on_time_rate"] == 0.5
    assert row["rated"] == 1 and row["satisfaction_rate"] == 1.0
    # scope: another unit's liaison counts nothing
    assert stats.unit_stats(visible_petitions(users["edu"]), dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == []


def test_monthly_backlog_resolution(register, users, units):
    p = register(received_on=dt.date(2026, 1, 5))
    Petition.objects.filter(pk=p.pk).update(backlog=True, backlog_since=dt.date(2026, 2, 10))
    q = register(id_number="", title="另一事项", content="内容", received_on=dt.date(2026, 1, 6))
    Petition.objects.filter(pk=q.pk).update(backlog=True, backlog_since=dt.date(2026, 2, 1))
    svc.do_resolve_backlog(users["supervisor"], Petition.objects.get(pk=q.pk), on=dt.date(2026, 3, 15))
    months = {m["month"]: m for m in stats.monthly_resolution(Petition.objects.all(), 2026)}
    assert months["2026-01"]["backlog"] == 0
    assert months["2026-02"] == {"month": "2026-02", "backlog": 2, "resolved": 0, "rate": 0.0}
    assert months["2026-03"] == {"month": "2026-03", "backlog": 2, "resolved": 1, "rate": 0.5}
    assert months["2026-04"]["backlog"] == 1


def test_a_rate_with_nothing_due_is_none_and_shown_as_a_dash(register, users, units):
    """A unit whose petitions nobody has rated has no 群众满意率: null in the API and “—” on the page, not the
    0 % it used to show (the demo's 江城区人民政府 read 群众满意率 0% with no petition rated)."""
    from django.test import Client

    p = register(received_on=dt.date.today() - dt.timedelta(days=3))
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    c = Client()
    c.force_login(users["supervisor"])
    row = next(r for r in c.get("/api/petitions/statistics/").json()["units"] if r["unit_id"] == units["fgw"].pk)
    assert row["rated"] == 0 and row["satisfaction_rate"] is None
    assert row["backlog"] == 0 and row["backlog_resolution_rate"] is None
    html = c.get("/petitions/statistics/").content.decode()
    cells = html.split(units["fgw"].name, 1)[1].split("</tr>", 1)[0]
    # received 1; 及时受理率/按期办结率/群众满意率: nothing due yet; 重复信访率 a real 0%; 积案 0 → 化解率 —
    assert cells == "</td><td>1</td><td>—</td><td>—</td><td>—</td><td>0%</td><td>0</td><td>—</td>"
