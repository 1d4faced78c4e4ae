"""Statistics per unit: 按期处置率, 结案率, 满意率, 退单率, 返工率 (API and page with its chart data)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from luoshi.cases import services as svc
from tests.conftest import PASSWORD


def dong_mix(new_case, office, users, units):
    """东街道's three cases behind the rate figures: one closed on time and rated 满意, one overdue and open, one
    returned (退单) to the dispatcher. Shared with the 通报/dashboard rate tests."""
    disp, dong = office["dispatcher"], users["dong"]
    a, _ = new_case()
    svc.do_dispatch_case(disp, a, unit=units["dong"])
    svc.do_sign_case(dong, a)
    svc.do_reply_case(dong, a, "已处理")                               # on time
    svc.do_verify_case(disp, a, ok=True)
    svc.do_visit_case(disp, a, "satisfied")
    svc.do_close_case(disp, a)
    b, _ = new_case()
    svc.do_dispatch_case(disp, b, unit=units["dong"], at=timezone.now() - dt.timedelta(days=10))   # overdue, open
    c, _ = new_case()
    svc.do_dispatch_case(disp, c, unit=units["dong"])
    svc.do_return_case(dong, c, "不属于本单位")
    return a, b, c


def test_rates_per_unit(new_case, office, users, units, client):
    disp = office["dispatcher"]
    dong_mix(new_case, office, users, units)
    api = APIClient()
    api.force_authenticate(disp)
    rows = {r["name"]: r for r in api.get("/api/cases/stats/").json()["results"]}
    r = rows[units["dong"].name]
    assert r["total"] == 2 and r["overdue_open"] == 1           # the returned case left the unit
    assert r["on_time_rate"] == 50.0 and r["closing_rate"] == 50.0 and r["satisfaction_rate"] == 100.0
    assert r["return_rate"] == 33.3                               # 1 returned of 2 held + 1 returned
    assert api.get("/api/cases/stats/?period=2026-13").status_code == 400
    assert client.login(username="paiqian", password=PASSWORD)
    page = client.get("/cases/stats/").content.decode()
    assert units["dong"].name in page and "按期处置率" in page and "case-chart-data" in page


def test_a_rate_without_cases_to_count_reads_as_a_dash_not_dash_percent(new_case, office, units, client):
    # A unit with a just-dispatched case has nothing replied or rated yet: its 按期处置率 and 满意率 have no
    # denominator and read "—", not "—%".
    a, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], a, unit=units["dong"])
    assert client.login(username="paiqian", password=PASSWORD)
    page = client.get("/cases/stats/").content.decode()
    row = page[page.index(f"<td>{units['dong'].name}</td>"):]
    row = row[:row.index("</tr>")]
    assert "<td>—</td>" in row and "—%" not in page
