"""The 积案 list pages on ids first, then loads only the page's rows (fast at 200,000 petitions)."""
import datetime as dt

import pytest
from django.test import Client

from luoshi.petitions import services as svc
from luoshi.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_backlog_pages_in_order_with_masked_names_and_few_queries(register, users, units,
                                                                  django_assert_max_num_queries):
    ps = []
    for i in range(33):
        p = register(id_number="", name=f"积案人{i:02d}", title=f"积案事项{i:02d}", content=f"内容{i:02d}",
                     received_on=dt.date(2026, 1, 5))
        svc.do_assign_petition(users["supervisor"], p, units["fgw"] if i % 3 else units["edu"])
        ps.append(p)
    # listed on different days (the sweep lists all overdue ones on its day; here the order is what matters)
    for i, p in enumerate(ps):
        Petition.objects.filter(pk=p.pk).update(backlog=True, backlog_since=dt.date(2026, 2, 1) +
                                                dt.timedelta(days=(i * 7) % 33), backlog_reason="超过办理期限未办结")
    Petition.objects.filter(pk=ps[0].pk).update(resolved_on=dt.date(2026, 3, 1))  # 已化解: not listed
    expected = list(Petition.objects.filter(backlog=True, resolved_on__isnull=True)
                    .order_by("backlog_since", "id").values_list("number", flat=True))
    c = Client()
    c.force_login(users["supervisor"])
    with django_assert_max_num_queries(8):
        first = c.get("/petitions/backlog/").content.decode()
    second = c.get("/petitions/backlog/?page=2").content.decode()
    body1 = first.split('id="backlog-list"')[1]
    body2 = second.split('id="backlog-list"')[1]
    shown = [n for n in expected if n in body1]
    assert shown == expected[:30] and [n for n in expected if n in body2] == expected[30:]
    assert [body1.index(n) for n in shown] == sorted(body1.index(n) for n in shown)   # in listing order
    assert ps[0].number not in body1 + body2 and "积案人05" in body1                    # office: full names
    # the handling unit's liaison: its own backlog only, names masked
    c.force_login(users["fgw"])
    html = c.get("/petitions/backlog/").content.decode().split('id="backlog-list"')[1]
    mine = set(Petition.objects.filter(handling_unit=units["fgw"], backlog=True, resolved_on__isnull=True)
               .values_list("number", flat=True))
    assert {n for n in expected if n in html} == mine and "积案人0" not in html and "积*" in html
