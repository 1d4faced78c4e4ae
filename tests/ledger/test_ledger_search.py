"""Issue 9 «Finding things»: ledger search finds a task by its number (DB2026-00017, 00017, 17) and
by any name of its lead or co-units (full, short, alias), on the page and in the API."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def found(client, q):
    html = client.get("/ledger/", {"q": q}).content.decode()
    api = client.get("/api/tasks/", {"q": q}).json()
    rows = api["results"] if isinstance(api, dict) else api
    return html, {r["number"] for r in rows}


def test_search_by_number_and_unit_names(make_task, client_for):
    a = make_task(title="推进数字政府建设", lead=("fgw",))
    b = make_task(title="学校食堂专项整治", lead=("edu",), co=("jia",))
    sup = client_for("supervisor")
    seq = a.number.split("-")[1]
    for q in (a.number, a.number.lower(), seq, str(int(seq)), a.number[2:]):
        html, numbers = found(sup, q)
        assert a.number in html and b.number not in html, q
        assert a.number in numbers and b.number not in numbers, q
    for q in ("市发展和改革委员会", "市发展改革委", "市发改委", "发改"):
        html, numbers = found(sup, q)
        assert a.number in html and b.number not in html, q
        assert numbers == {a.number}, q
    html, numbers = found(sup, "甲区")  # a co-unit's name finds the task too
    assert b.number in html and a.number not in html


def test_search_stays_within_scope(make_task, client_for):
    a = make_task(title="推进数字政府建设", lead=("fgw",))
    html, numbers = found(client_for("edu"), a.number)
    assert "推进数字政府建设" not in html and not numbers
