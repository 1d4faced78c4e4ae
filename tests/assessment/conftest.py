"""Fixtures for assessment: a plan builder over the shared unit tree (tests/conftest.py).

The 市直部门 group of that tree: 市政府督查室, 市发改委, 市教育局; 区县: 甲区, 乙县; 乡镇/街道: 东街道, 西镇, 南乡.
"""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.assessment import services as svc

YEAR = 2025
D = dt.date
AS_OF = D(YEAR + 1, 1, 1)


@pytest.fixture
def office(users):
    return users["supervisor"]


@pytest.fixture
def make_plan(office):
    """A plan with a full tree: 1 工作落实 60 (1.1 按时办结率 40, 1.2 逾期件数 20), 2 数据填报 30
    (2.1 能耗下降率 ≥ 3), 3 群众评议 10, 4 加分 (cap 3), 5 红色督办单扣分 (cap 5), 6 一票否决."""

    def _make(code="KH-CITY", group="city_dept", missing="zero", tree="full", period=str(YEAR), **kw):
        plan = svc.do_save_plan(office, code=code, name=f"{YEAR}年度{code}考核", period=period, group=group,
                                missing_policy=missing, **kw)
        ind = {}

        def add(key, code, name, weight=0, method="", parent=None, kind="scored", params=None, cap=None):
            ind[key] = svc.do_save_indicator(office, plan, parent=ind.get(parent), code=code, name=name,
                                             weight=weight, method=method, kind=kind, params=params or {},
                                             cap=cap)
            return ind[key]

        if tree == "full":
            add("work", "1", "工作落实", 60)
            add("ontime", "1.1", "按时办结率", 40, "ledger.on_time_rate", "work")
            add("overdue", "1.2", "逾期件数", 20, "ledger.overdue_count", "work", params={"rule": "count", "per": 5})
            add("data", "2", "数据填报", 30)
            add("energy", "2.1", "单位GDP能耗下降率", 30, "reported", "data",
                params={"rule": "target", "target": 3, "direction": "ge"})
            add("survey", "3", "群众评议", 10, "survey")
            add("bonus", "4", "争先创优加分", 0, "manual", kind="bonus", cap=3)
            add("red", "5", "红色督办单扣分", 0, "supervision.red_notices", kind="deduct", params={"per": 1}, cap=5)
            add("veto", "6", "安全生产一票否决", 0, "manual", kind="veto")
        elif tree == "flat":
            add("energy", "1", "能耗下降率", 100, "reported", params={"rule": "target", "target": 3})
        plan.ind = ind
        return plan

    return _make


@pytest.fixture
def accepted_figure(office, users):
    def _fig(indicator, unit, value, liaison=None):
        user = liaison or next((u for u in users.values() if u.unit_id == unit.id and u.role == "liaison"), office)
        fig = svc.do_submit_figure(user, indicator, value, note="统计局核定数", unit=unit)
        return svc.do_review_figure(office, fig, accept=True)

    return _fig


@pytest.fixture
def client_for(users):
    """client_for("fgw") → a django.test.Client logged in as that fixture user; None → anonymous."""
    from django.test import Client

    def _client(key):
        c = Client()
        if key is not None:
            c.force_login(users[key])
        return c

    return _client


@pytest.fixture
def api_for(users):
    from rest_framework.test import APIClient

    def _client(key):
        c = APIClient()
        if key is not None:
            c.force_authenticate(user=users[key])
        return c

    return _client


def text(response) -> str:
    return response.content.decode("utf-8")
