"""Supervision API permission matrix: for each role and each endpoint, an object the role may
reach and one it may not, with the exact status code.

Two open tasks, each with a yellow notice (issued through the service) and a 限期整改 item:
    A  lead 市发改委 (fgw), co-unit 甲区 (jia)     notice A copied to 甲区
    B  lead 市教育局 (edu)

Who sees what (written out, not computed):
    notices          supervisor, admin, leader (市政府): A B; fgw: A; jia (co-unit): A; edu: B;
                     jia_leader (甲区, in scope through the copy): A (B → 404)
    rectifications   addressed to the lead unit only: supervisor, admin, leader: A B; fgw: A; edu: B;
                     jia and jia_leader: neither
Seen-but-not-allowed is 403; unseen is 404.
"""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from luoshi.supervision.notices import do_answer_notice, do_issue_notice
from luoshi.supervision.rectification import do_create_rectification, do_record_finding, do_submit_rectification
from luoshi.notifications.models import Notification
from luoshi.supervision.models import RectificationItem, SupervisionNotice

pytestmark = pytest.mark.django_db

ROLES = ["supervisor", "admin", "fgw", "jia", "edu", "leader", "jia_leader"]
LEAD_OF = {"A": "fgw", "B": "edu"}

NOTICE_VISIBLE = {"supervisor": "AB", "admin": "AB", "leader": "AB", "fgw": "A", "jia": "A", "edu": "B",
                  "jia_leader": "A"}
RECT_VISIBLE = {"supervisor": "AB", "admin": "AB", "leader": "AB", "fgw": "A", "jia": "", "edu": "B",
                "jia_leader": ""}
EVERYONE = {(r, k) for r in ROLES for k in "AB"}
SUPERVISE = {(r, k) for r in ("supervisor", "admin") for k in "AB"}
LEAD = {("fgw", "A"), ("edu", "B")}


def client(user):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user=user)
    return c


@pytest.fixture
def world(users, units, make_task):
    sup = users["supervisor"]
    tasks = {"A": make_task("甲任务推进项目建设", lead=("fgw",), co=("jia",), deadline_working_days=20),
             "B": make_task("乙任务建设学校", lead=("edu",), deadline_working_days=20)}
    notices = {k: do_issue_notice(sup, t, light="yellow", reason=f"{k}进度滞后") for k, t in tasks.items()}
    rects = {}
    for k, t in tasks.items():
        finding = do_record_finding(sup, t, f"{k}台账资料不全")
        rects[k] = do_create_rectification(sup, finding, requirement=f"{k}补齐台账")
    return {"tasks": tasks, "notices": notices, "rects": rects}


def bring(world, users, kind, key, state):
    """Move notice/rectification `key` to `state` through the services, as the real actors would."""
    lead = users[LEAD_OF[key]]
    if kind == "notice":
        obj = world["notices"][key]
        if state == "answered":
            obj = do_answer_notice(lead, obj, "已制定赶进度措施")
        return obj
    obj = world["rects"][key]
    if state == "submitted":
        obj = do_submit_rectification(lead, obj, "已补齐台账")
    return obj


# name: kind, method, path, body, state, allowed (role, key) pairs, success code
ENDPOINTS = {
    "notice_retrieve": ("notice", "get", "/api/notices/{id}/", None, "issued", EVERYONE, 200),
    "notice_pdf": ("notice", "get", "/api/notices/{id}/pdf/", None, "issued", EVERYONE, 200),
    "notice_acknowledge": ("notice", "post", "/api/notices/{id}/acknowledge/", None, "issued", LEAD, 200),
    "notice_answer": ("notice", "post", "/api/notices/{id}/answer/", {"text": "已整改"}, "issued", LEAD, 200),
    "notice_review": ("notice", "post", "/api/notices/{id}/review/", {"accept": True}, "answered", SUPERVISE, 200),
    "notice_delete": ("notice", "delete", "/api/notices/{id}/", None, "issued", set(), None),
    "rect_retrieve": ("rect", "get", "/api/rectifications/{id}/", None, "open", EVERYONE, 200),
    "rect_submit": ("rect", "post", "/api/rectifications/{id}/submit/", {"report": "已补齐"}, "open", LEAD, 200),
    "rect_verify": ("rect", "post", "/api/rectifications/{id}/verify/", {"accept": True}, "submitted",
                    SUPERVISE, 200),
}


def expected(kind, role, key, allowed, success):
    if success is None:
        return 405
    visible = NOTICE_VISIBLE if kind == "notice" else RECT_VISIBLE
    if key not in visible[role]:
        return 404
    return success if (role, key) in allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_matrix(world, users, role, endpoint):
    kind, method, path, body, state, allowed, success = ENDPOINTS[endpoint]
    objs = {k: bring(world, users, kind, k, state) for k in "AB"}
    model = SupervisionNotice if kind == "notice" else RectificationItem
    before = {k: model.objects.get(pk=o.pk).state for k, o in objs.items()}
    c = client(users[role])
    got = {k: getattr(c, method)(path.format(id=objs[k].pk), body or {}, format="json").status_code for k in "AB"}
    want = {k: expected(kind, role, k, allowed, success) for k in "AB"}
    assert got == want
    for k in "AB":
        changed = model.objects.get(pk=objs[k].pk).state != before[k]
        assert changed == (got[k] == 200 and method == "post"), (k, got[k])


WHOLE = {
    # name: method, path, body (callable of world), roles allowed, success code
    "notice_create": ("post", "/api/notices/", lambda w: {"task": w["tasks"]["A"].pk, "light": "red",
                                                          "reason": "逾期未办结"}, {"supervisor", "admin"}, 201),
    "notice_list": ("get", "/api/notices/", None, set(ROLES), 200),
    "lights": ("get", "/api/lights/", None, {"supervisor", "admin", "leader", "jia_leader"}, 200),
    "rect_list": ("get", "/api/rectifications/", None, set(ROLES), 200),
    "inbox_list": ("get", "/api/inbox/", None, set(ROLES), 200),
    "inbox_read_all": ("post", "/api/inbox/read-all/", None, set(ROLES), 200),
    "stats": ("get", "/api/stats/units/", None, {"supervisor", "admin", "leader", "jia_leader"}, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(WHOLE))
def test_matrix_without_object(world, users, role, endpoint):
    method, path, body, allowed, success = WHOLE[endpoint]
    count = SupervisionNotice.objects.count()
    response = getattr(client(users[role]), method)(path, body(world) if body else {}, format="json")
    assert response.status_code == (success if role in allowed else 403), response.content
    if endpoint == "notice_create":
        assert SupervisionNotice.objects.count() == count + (role in allowed)


ANONYMOUS = [("get", "/api/notices/"), ("post", "/api/notices/"), ("get", "/api/notices/{n}/"),
             ("post", "/api/notices/{n}/acknowledge/"), ("post", "/api/notices/{n}/answer/"),
             ("post", "/api/notices/{n}/review/"), ("get", "/api/notices/{n}/pdf/"), ("get", "/api/lights/"),
             ("get", "/api/inbox/"), ("post", "/api/inbox/read-all/"), ("post", "/api/inbox/1/read/"),
             ("get", "/api/rectifications/"), ("get", "/api/rectifications/{r}/"),
             ("post", "/api/rectifications/{r}/submit/"), ("post", "/api/rectifications/{r}/verify/"),
             ("get", "/api/stats/units/")]


@pytest.mark.parametrize("method,path", ANONYMOUS)
def test_anonymous_gets_401(world, method, path):
    n, r = world["notices"]["A"], world["rects"]["A"]
    response = getattr(client(None), method)(path.format(n=n.pk, r=r.pk), {}, format="json")
    assert response.status_code == 401
    assert SupervisionNotice.objects.get(pk=n.pk).state == "issued"
    assert RectificationItem.objects.get(pk=r.pk).state == "open"


@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_only_visible_objects(world, users, role):
    c = client(users[role])
    notices = {row["id"] for row in c.get("/api/notices/").json()["results"]}
    assert notices == {world["notices"][k].pk for k in NOTICE_VISIBLE[role]}
    rects = {row["id"] for row in c.get("/api/rectifications/").json()["results"]}
    assert rects == {world["rects"][k].pk for k in RECT_VISIBLE[role]}
    # Filtering by another unit's task does not widen the view.
    for k in "AB":
        rows = c.get(f"/api/notices/?task={world['tasks'][k].pk}").json()["results"]
        assert [r["id"] for r in rows] == ([world["notices"][k].pk] if k in NOTICE_VISIBLE[role] else [])
        rows = c.get(f"/api/rectifications/?task={world['tasks'][k].pk}").json()["results"]
        assert [r["id"] for r in rows] == ([world["rects"][k].pk] if k in RECT_VISIBLE[role] else [])


def test_inbox_is_own_messages_only(world, users):
    mine = Notification.objects.filter(user=users["fgw"]).order_by("id")
    theirs = Notification.objects.filter(user=users["edu"]).first()
    assert mine.exists() and theirs is not None
    c = client(users["fgw"])
    listed = {row["id"] for row in c.get("/api/inbox/").json()["results"]}
    assert listed == set(mine.values_list("id", flat=True))
    assert c.get(f"/api/inbox/{theirs.pk}/").status_code == 404
    assert c.post(f"/api/inbox/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    first = mine.first()
    body = c.post(f"/api/inbox/{first.pk}/read/").json()
    assert body["id"] == first.pk and body["read"] is True and body["read_at"]
    unread = {row["id"] for row in c.get("/api/inbox/?unread=1").json()["results"]}
    assert unread == set(mine.exclude(pk=first.pk).values_list("id", flat=True))
    assert c.post("/api/inbox/read-all/").json() == {"marked": len(unread)}
    assert c.get("/api/inbox/?unread=1").json()["results"] == []
    assert Notification.objects.get(pk=theirs.pk).read_at is None  # someone else's stay unread


def test_schema_lists_the_supervision_endpoints_paged(users):
    schema = client(users["fgw"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for p in ("/api/notices/", "/api/lights/", "/api/inbox/", "/api/rectifications/", "/api/stats/units/"):
        assert "Paginated" in str(paths[p]["get"]["responses"]["200"]), p
    assert "application/pdf" in paths["/api/notices/{id}/pdf/"]["get"]["responses"]["200"]["content"]
    for p in ("/api/notices/{id}/acknowledge/", "/api/notices/{id}/answer/", "/api/notices/{id}/review/",
              "/api/inbox/{id}/read/", "/api/inbox/read-all/", "/api/rectifications/{id}/submit/",
              "/api/rectifications/{id}/verify/"):
        assert set(paths[p]) == {"post"}, p
