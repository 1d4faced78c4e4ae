"""Petition lights on the supervision overview (/supervision/) and dashboard (/supervision/dashboard/):
counted per handling unit by the supervised-kind registry, scoped by luoshi.core.scope in the
"petitions" domain (office: all; a unit's liaison: its own; a leader: their subtree; roles without
petitions: not shown), never naming the petitioner."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from luoshi.petitions import services as svc
from luoshi.supervision.kinds import scoped_kind_lights
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NAME, PHONE = "张三丰", "13812341234"


def _c(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def petitions(register, users, units):
    """Two long overdue petitions at 市发改委, one at 甲区发改局 and a fresh one at 市教育局."""
    today = timezone.localdate()
    out = {}
    for key, unit, on in (("fgw1", "fgw", dt.date(2026, 3, 5)), ("fgw2", "fgw", dt.date(2026, 3, 9)),
                          ("jia", "jia_fg", dt.date(2026, 3, 5)), ("edu", "edu", today)):
        p = register(title=f"信访事项{key}")
        svc.do_assign_petition(users["supervisor"], p, units[unit])
        svc.do_accept_petition(users["supervisor"], p, on=on)
        out[key] = p
    return out


def _section(html: str, kind: str) -> str:
    m = re.search(rf'<div class="kind-lights" id="kind-{kind}">(.*?)</div>', html, re.S)
    return m.group(1) if m else ""


def _totals(section: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"<b>(\d+)</b>", section)[:3])


def test_office_sees_every_unit(petitions, users):
    for url in ("/supervision/", "/supervision/dashboard/"):
        html = _c(users["supervisor"]).get(url).content.decode()
        sec = _section(html, "petitions")
        assert "信访事项" in sec and _totals(sec) == (3, 0, 1)
        for name in ("市发展和改革委员会", "甲区发展和改革局", "市教育局"):
            assert name in sec
        assert NAME not in html and PHONE not in html
    assert 'href="/petitions/?light=red"' in _section(_c(users["supervisor"]).get("/supervision/").content.decode(),
                                                       "petitions")


def test_unit_liaison_sees_only_its_own(petitions, users):
    html = _c(users["fgw"]).get("/supervision/").content.decode()
    sec = _section(html, "petitions")
    assert _totals(sec) == (2, 0, 0)
    assert "市发展和改革委员会" in sec and "甲区发展和改革局" not in sec and "市教育局" not in sec
    assert NAME not in html and PHONE not in html
    assert _totals(_section(_c(users["edu"]).get("/supervision/").content.decode(), "petitions")) == (0, 0, 1)
    # a liaison of a unit with no petitions sees the kind with nothing in it, never another unit's
    yi = _section(_c(users["yi"]).get("/supervision/").content.decode(), "petitions")
    assert _totals(yi) == (0, 0, 0) and "没有在办事项" in yi
    assert _c(users["fgw"]).get("/supervision/dashboard/").status_code == 403


def test_leader_sees_their_scope(petitions, users):
    jia = _c(users["jia_leader"])  # 甲区: its subtree only
    for url in ("/supervision/", "/supervision/dashboard/"):
        sec = _section(jia.get(url).content.decode(), "petitions")
        assert _totals(sec) == (1, 0, 0) and "甲区发展和改革局" in sec and "市发展和改革委员会" not in sec
    city = _section(_c(users["leader"]).get("/supervision/dashboard/").content.decode(), "petitions")
    assert _totals(city) == (3, 0, 1)


def test_roles_without_petitions_do_not_get_them(petitions, users):
    # 话务员: cases in scope, petitions not; 检查员: neither
    html = _c(users["operator"]).get("/supervision/").content.decode()
    assert 'id="kind-petitions"' not in html and 'id="kind-cases"' in html
    html = _c(users["inspector"]).get("/supervision/").content.decode()
    assert 'id="ov-kinds"' not in html
    assert [k["name"] for k in scoped_kind_lights(users["inspector"])] == []
    assert scoped_kind_lights(users["discipline"]) == []  # 纪检: neither petitions nor cases


def test_counts_follow_the_registry_and_the_scope_rule(petitions, users, units):
    from luoshi.petitions.sweep import petition_lights

    everything = petition_lights()
    assert everything[units["fgw"].pk] == {"red": 2, "yellow": 0, "green": 0}
    assert petition_lights(units={units["jia_fg"].pk}) == {units["jia_fg"].pk: {"red": 1, "yellow": 0, "green": 0}}
    (k,) = [k for k in scoped_kind_lights(users["jia_leader"]) if k["name"] == "petitions"]
    assert k["totals"] == {"red": 1, "yellow": 0, "green": 0} and k["unit_count"] == 1
    # a petition leaving the unit's clock (答复) leaves its lights
    svc.do_answer_petition(users["fgw"], petitions["fgw1"], "经核查,已按规定发放补贴。")
    (k,) = [k for k in scoped_kind_lights(users["fgw"]) if k["name"] == "petitions"]
    assert k["totals"]["red"] == 1


def test_overview_names_a_petitions_notice_by_its_number_and_matter(petitions, users):
    """A 督办单 on an overdue petition (no task) awaits the unit's answer on the overview: shown with the
    petition's number and 信访事由 (it used to read “红色督办单:” and nothing)."""
    from luoshi.petitions.sweep import supervise

    assert supervise(timezone.localdate())["notices"] == 3
    html = _c(users["fgw"]).get("/supervision/").content.decode()
    box = re.search(r'<section class="card" id="ov-awaiting">(.*?)</section>', html, re.S).group(1)
    for p in (petitions["fgw1"], petitions["fgw2"]):
        assert f"红色督办单:{p.number} {p.title}" in box
    assert petitions["jia"].number not in box and NAME not in html
