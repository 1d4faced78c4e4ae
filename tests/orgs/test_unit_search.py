"""Type-ahead unit search (issue 9, "Finding things"): GET /api/units/search/ over full names, short
names and aliases, best match first, within the caller's scope; bad input is a 400 in Chinese."""
from __future__ import annotations

import time

import pytest

from luoshi.orgs.models import Unit, UnitKind
from luoshi.orgs.services import forget_search_index, search_units, subtree_ids

pytestmark = pytest.mark.django_db


def names(rows):
    return [r["name"] for r in rows]


def test_names_short_names_and_aliases(units):
    assert names(search_units("市发改委")) == ["市发展和改革委员会"]          # alias
    assert search_units("市发改委")[0]["matched"] == "市发改委"
    assert names(search_units("发展改革委")) == ["市发展和改革委员会"]        # part of a short name
    assert names(search_units("东街道")) == ["甲区东街道办事处"]              # short name
    assert search_units("甲区东街道办事处")[0]["matched"] == ""              # the full name
    assert names(search_units("督考办")) == ["市人民政府督查室"]
    assert names(search_units("市 发改委")) == ["市发展和改革委员会"]         # spaces ignored
    assert search_units("不存在") == []


def test_best_match_first_and_limit(units):
    # "甲区" is the whole short name of 甲区人民政府 (exact), then units whose names start with it
    got = names(search_units("甲区"))
    assert got[0] == "甲区人民政府" and set(got) == {"甲区人民政府", "甲区发展和改革局", "甲区东街道办事处",
                                                  "甲区西镇人民政府"}
    assert len(search_units("人民政府", limit=2)) == 2
    assert len(search_units("", limit=500)) == Unit.objects.count()  # capped at 50, here 10 units


def test_inactive_units_and_within(units, users):
    from luoshi.orgs.services import do_save_unit

    do_save_unit(users["admin"], Unit.objects.get(pk=units["edu"].pk), is_active=False)  # drops the index too
    assert search_units("教育") == []
    within = subtree_ids(units["yi"].pk)
    assert names(search_units("", within=within)) == ["乙县人民政府", "乙县南乡人民政府"]


def test_api_under_and_errors(units, client_for):
    c = client_for("supervisor")
    r = c.get("/api/units/search/", {"q": "发改", "under": str(units["jia"].pk)})
    assert r.status_code == 200 and names(r.json()["results"]) == ["甲区发展和改革局"]
    for params, field in (({"under": "abc"}, "under"), ({"domain": "nope"}, "domain"), ({"limit": "x"}, "limit")):
        r = c.get("/api/units/search/", params)
        assert r.status_code == 400 and r.json()["field"] == field and r.json()["detail_zh"]
    from django.test import Client

    assert Client().get("/api/units/search/").status_code in (401, 403)


def test_5000_units_answer_fast(units):
    Unit.objects.bulk_create([Unit(name=f"第{i}号测试单位", kind=UnitKind.TOWN, parent=units["jia"],
                                   short_names=[f"测{i}"], aliases=[f"别名{i}号"], sort_order=1000 + i)
                              for i in range(5000)])
    forget_search_index()  # bulk_create bypasses do_save_unit (an import goes through it)
    search_units("x")      # the first call after a change reads the table
    best = min(_timed(lambda: search_units("别名4999号")) for _ in range(3))
    assert names(search_units("别名4999号")) == ["第4999号测试单位"]
    assert best < 0.5, best  # see README for the measured figures


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0
