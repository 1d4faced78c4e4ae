"""Permission matrix of the API: for each role and each endpoint, an object the role
may reach and one it may not, with the exact status code.

Two tasks (both with a source):
    A  lead 市发改委, co-unit 甲区       B  lead 市教育局 (a city department)

Who sees what (written out here, not computed from ledger.permissions):
    supervisor, admin, city_leader (市政府)   A and B
    lead_liaison   (市发改委)                 A           (B → 404)
    other_liaison  (市教育局)                 B           (A → 404: another unit's task)
    co_liaison     (甲区)                     A           (B → 404)
    district_leader (甲区领导)                A (in scope) (B → 404: a city department's task)

The world is built once per module; every test runs in a savepoint that is rolled
back, and each (role, task) attempt in its own nested savepoint.
"""
from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from luoshi.accounts.models import Role, User
from luoshi.ledger import services
from luoshi.orgs.models import Unit, UnitKind

ROLES = ["supervisor", "admin", "lead_liaison", "other_liaison", "co_liaison", "city_leader", "district_leader"]

VISIBLE = {
    "supervisor": {"A", "B"}, "admin": {"A", "B"}, "city_leader": {"A", "B"},
    "lead_liaison": {"A"}, "other_liaison": {"B"}, "co_liaison": {"A"}, "district_leader": {"A"},
}
SUPERVISE = {("supervisor", "A"), ("supervisor", "B"), ("admin", "A"), ("admin", "B")}
LEAD = {("lead_liaison", "A"), ("other_liaison", "B")}
CO = {("co_liaison", "A")}
LEADER = {("city_leader", "A"), ("city_leader", "B"), ("district_leader", "A")}

TITLES = {"A": "甲任务发改委牵头推进项目", "B": "乙任务教育局牵头建设学校"}


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Units, one user per role, two sources and two draft tasks; rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seq = itertools.count(1)

            def unit(name, kind, parent=None):
                return Unit.objects.create(name=name, kind=kind, parent=parent, sort_order=next(seq))

            u = {"city": unit("矩阵市人民政府", UnitKind.CITY)}
            u["office"] = unit("矩阵市督查室", UnitKind.CITY_DEPT, u["city"])
            u["fgw"] = unit("矩阵市发改委", UnitKind.CITY_DEPT, u["city"])
            u["edu"] = unit("矩阵市教育局", UnitKind.CITY_DEPT, u["city"])
            u["jia"] = unit("矩阵甲区", UnitKind.COUNTY, u["city"])

            def user(name, role, unit_, **extra):
                x = User(username=f"m_{name}", role=role, unit=unit_, display_name=name, **extra)
                x.set_unusable_password()
                x.save()
                return x

            people = {
                "supervisor": user("supervisor", Role.SUPERVISOR, u["office"]),
                "admin": user("admin", Role.ADMIN, u["office"]),
                "lead_liaison": user("lead_liaison", Role.LIAISON, u["fgw"]),
                "other_liaison": user("other_liaison", Role.LIAISON, u["edu"]),
                "co_liaison": user("co_liaison", Role.LIAISON, u["jia"]),
                "city_leader": user("city_leader", Role.LEADER, u["city"]),
                "district_leader": user("district_leader", Role.LEADER, u["jia"]),
            }
            sup = people["supervisor"]
            sources = {k: services.do_create_source(sup, title=f"来源{k}") for k in "AB"}
            tasks = {
                "A": services.do_create_task(sup, title=TITLES["A"], lead_units=[u["fgw"]], co_units=[u["jia"]],
                                             deadline_working_days=10, source=sources["A"]),
                "B": services.do_create_task(sup, title=TITLES["B"], lead_units=[u["edu"]],
                                             deadline_working_days=10, source=sources["B"]),
            }
            yield {"units": u, "users": people, "sources": sources, "tasks": tasks}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def api():
    """One client for the module: building the request handler (middleware) is the slow part."""
    return APIClient()


@pytest.fixture
def client_as(api):
    def _as(user):
        api.force_authenticate(user)
        return api

    yield _as
    api.force_authenticate(None)


def bring(world, key, state):
    """Move task `key` to `state` through the services (as the real actors would)."""
    task = world["tasks"][key]
    sup = world["users"]["supervisor"]
    lead = world["users"]["lead_liaison" if key == "A" else "other_liaison"]
    if state == "draft":
        return task
    task = services.do_assign_task(sup, task)
    if state == "assigned":
        return task
    task = services.do_sign_task(lead, task)
    if state == "signed":
        return task
    if state == "extension_pending":
        return services.do_request_extension(lead, task, new_deadline=task.deadline + dt.timedelta(days=60),
                                             reason="需要更多时间")
    task = services.do_request_completion(lead, task, note="已完成")
    assert state == "completion_requested"
    return task


# Each endpoint: method, path (with {id}), body (callable of world and task key), state the tasks need,
# the (role, task) pairs allowed, the success code. Seen-but-not-allowed is 403; unseen is 404.
def _sub_body(world, key):
    return {"title": "分解任务", "lead_units": [world["units"]["fgw" if key == "A" else "edu"].pk]}


FAR = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
EVERYONE = {(r, k) for r in ROLES for k in "AB"}

ENDPOINTS = {
    "retrieve": ("get", "/api/tasks/{id}/", None, "assigned", EVERYONE, 200),
    "reports_list": ("get", "/api/tasks/{id}/reports/", None, "signed", EVERYONE, 200),
    "timeline": ("get", "/api/tasks/{id}/timeline/", None, "assigned", EVERYONE, 200),
    "instructions_list": ("get", "/api/tasks/{id}/instructions/", None, "assigned", EVERYONE, 200),
    "extensions_list": ("get", "/api/tasks/{id}/extensions/", None, "assigned", EVERYONE, 200),
    "subtasks_list": ("get", "/api/tasks/{id}/subtasks/", None, "assigned", EVERYONE, 200),
    "source": ("get", "/api/sources/{source}/", None, "assigned", EVERYONE, 200),
    "patch": ("patch", "/api/tasks/{id}/", lambda w, k: {"title": "改过的标题"}, "assigned", SUPERVISE, 200),
    "delete": ("delete", "/api/tasks/{id}/", None, "assigned", set(), None),
    "assign": ("post", "/api/tasks/{id}/assign/", None, "draft", SUPERVISE, 200),
    "sign": ("post", "/api/tasks/{id}/sign/", None, "assigned", LEAD, 200),
    "report": ("post", "/api/tasks/{id}/reports/", lambda w, k: {"text": "已完成方案", "percent": 30}, "signed",
               LEAD | CO, 201),
    "request_completion": ("post", "/api/tasks/{id}/request-completion/", lambda w, k: {"note": "已完成"}, "signed",
                           LEAD, 200),
    "start_review": ("post", "/api/tasks/{id}/start-review/", None, "completion_requested", SUPERVISE, 200),
    "approve": ("post", "/api/tasks/{id}/approve/", None, "completion_requested", SUPERVISE, 200),
    "return": ("post", "/api/tasks/{id}/return/", lambda w, k: {"reason": "材料不全"}, "completion_requested",
               SUPERVISE, 200),
    "suspend": ("post", "/api/tasks/{id}/suspend/", lambda w, k: {"reason": "不再适用"}, "assigned", SUPERVISE, 200),
    "extension_request": ("post", "/api/tasks/{id}/extensions/",
                          lambda w, k: {"new_deadline": FAR, "reason": "工程量大"}, "signed", LEAD, 201),
    "extension_decide": ("post", "/api/extensions/{ext}/decide/", lambda w, k: {"approve": True},
                         "extension_pending", SUPERVISE, 200),
    "instruction": ("post", "/api/tasks/{id}/instructions/", lambda w, k: {"text": "请抓紧办理"}, "assigned",
                    SUPERVISE | LEADER, 201),
    "subtask": ("post", "/api/tasks/{id}/subtasks/", _sub_body, "assigned", SUPERVISE | LEAD, 201),
}


def expected(role, key, allowed, success):
    if success is None:
        return 405  # no such method, for any id: says nothing about the task
    if key not in VISIBLE[role]:
        return 404
    return success if (role, key) in allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_matrix(world, db, client_as, role, endpoint):
    method, path, body, state, allowed, success = ENDPOINTS[endpoint]
    client = client_as(world["users"][role])
    got, want = {}, {}
    for key in "AB":
        try:
            with transaction.atomic():
                obj = bring(world, key, state)
                url = path.format(id=world["tasks"][key].pk, source=world["sources"][key].pk,
                                  ext=getattr(obj, "pk", None))
                data = body(world, key) if body else {}
                response = getattr(client, method)(url, data, format="json")
                got[key] = response.status_code
                want[key] = expected(role, key, allowed, success)
                if method == "delete" and got[key] == 405:
                    assert world["tasks"][key].__class__.objects.filter(pk=world["tasks"][key].pk).exists()
                raise _Rollback
        except _Rollback:
            pass
    assert got == want


def _list_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_lists_search_and_export_hold_only_visible_tasks(world, db, client_as, role):
    for key in "AB":
        bring(world, key, "signed")
    services.do_report_progress(world["users"]["lead_liaison"], world["tasks"]["A"], text="甲进展", percent=20)
    services.do_report_progress(world["users"]["other_liaison"], world["tasks"]["B"], text="乙进展", percent=20)
    client = client_as(world["users"][role])
    want = {TITLES[k] for k in VISIBLE[role]}
    assert _list_titles(client, "/api/tasks/") == want
    assert _list_titles(client, "/api/tasks/?status=signed,in_progress") == want
    # Search for each task by its own words: another unit's task never comes back.
    for key in "AB":
        found = _list_titles(client, "/api/tasks/?q=" + TITLES[key][:3])
        assert found == ({TITLES[key]} if key in VISIBLE[role] else set())
        by_number = _list_titles(client, "/api/tasks/?q=" + world["tasks"][key].number)
        assert by_number == ({TITLES[key]} if key in VISIBLE[role] else set())
    # Filtering by another unit does not widen the view.
    assert _list_titles(client, f"/api/tasks/?unit={world['units']['edu'].pk}") == want & {TITLES["B"]}
    # Export.
    response = client.get("/api/ledger.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert {r[1] for r in rows} == want
    assert all(("甲进展" in r[5]) == (r[1] == TITLES["A"]) for r in rows)
    # Sources and extensions lists follow the tasks.
    sources = {row["title"] for row in client.get("/api/sources/").json()["results"]}
    assert sources == {f"来源{k}" for k in VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_extension_list_and_retrieve_follow_visibility(world, db, client_as, role):
    exts = {k: bring(world, k, "extension_pending") for k in "AB"}
    client = client_as(world["users"][role])
    listed = {row["id"] for row in client.get("/api/extensions/").json()["results"]}
    assert listed == {exts[k].pk for k in VISIBLE[role]}
    for key in "AB":
        assert client.get(f"/api/extensions/{exts[key].pk}/").status_code == (200 if key in VISIBLE[role] else 404)


WHOLE_ENDPOINTS = {
    # name: method, path, body, roles allowed, success code
    "audit_list": ("get", "/api/audit/", None, {"supervisor", "admin"}, 200),
    "task_create": ("post", "/api/tasks/", lambda w: {"title": "新任务", "lead_units": [w["units"]["fgw"].pk]},
                    {"supervisor", "admin"}, 201),
    "source_create": ("post", "/api/sources/", lambda w: {"title": "新来源", "kind": "meeting"},
                      {"supervisor", "admin"}, 201),
    "unit_create": ("post", "/api/units/", lambda w: {"name": "矩阵新单位", "parent": w["units"]["city"].pk},
                    {"supervisor", "admin"}, 201),
    "unit_update": ("patch", "/api/units/{fgw}/", lambda w: {"code": "FGW"}, {"supervisor", "admin"}, 200),
    "unit_list": ("get", "/api/units/", None, set(ROLES), 200),
    "unit_delete": ("delete", "/api/units/{fgw}/", None, set(), None),
    "me": ("get", "/api/users/me/", None, set(ROLES), 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(WHOLE_ENDPOINTS))
def test_matrix_without_task(world, db, client_as, role, endpoint):
    method, path, body, allowed, success = WHOLE_ENDPOINTS[endpoint]
    client = client_as(world["users"][role])
    url = path.format(fgw=world["units"]["fgw"].pk)
    response = getattr(client, method)(url, body(world) if body else {}, format="json")
    if success is None:
        want = 405 if role in {"supervisor", "admin"} else 403
    else:
        want = success if role in allowed else 403
    assert response.status_code == want, response.content
