"""§3: bad parameters and bad values get a clear 400 (never a 500 or a stall), one place: luoshi.core.params."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from luoshi.core import params
from luoshi.ledger.models import Target, Task
from luoshi.ledger.services import do_create_task
from luoshi.supervision.sweep import run_sweep

BAD_IDS = ["²", "1234567890123456789012345", "9223372036854775808", "0", "-1", "1.5", "١٢"]
BAD_DATES = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "2025-02-30", "2025-1-1", "x"]


def test_parse_rules():
    assert params.parse_id("42", "unit") == 42
    assert params.parse_id(str(2**63 - 1), "unit") == 2**63 - 1
    for bad in BAD_IDS:
        with pytest.raises(params.BadParameter):
            params.parse_id(bad, "unit")
    assert params.parse_date("2026-03-01", "on") == dt.date(2026, 3, 1)
    for bad in BAD_DATES:
        with pytest.raises(params.BadParameter) as exc:
            params.parse_date(bad, "on", "统计日期")
        assert exc.value.field == "on" and "统计日期" in exc.value.message_zh
    assert params.parse_number("95.5", "v") == params.parse_number(95.5, "v")
    for bad in ["1e30", "nan", "inf", "-inf", "abc", float("inf"), "1e12"]:
        with pytest.raises(params.BadParameter):
            params.parse_number(bad, "v")
    params.check_deadline(dt.date(2036, 1, 1), dt.date(2026, 1, 2))
    for bad in (dt.date(9999, 12, 31), dt.date(1999, 12, 31), dt.date(2036, 1, 3)):
        with pytest.raises(params.BadParameter):
            params.check_deadline(bad, dt.date(2026, 1, 2))


def _api(users, who):
    c = APIClient()
    c.force_authenticate(users[who])
    return c


def _assert_api_400(r, field=None):
    assert r.status_code == 400, (r.status_code, r.content[:300])
    body = r.json()
    assert body["detail"] and body["detail_zh"] and "field" in body
    if field:
        assert body["field"] == field, body


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_400(bad, users, client_for):
    ui = client_for("supervisor")
    for url, key in (("/ledger/", "unit"), ("/ledger/", "source"), ("/ledger/export.xlsx", "unit")):
        r = ui.get(url, {key: bad})
        assert r.status_code == 400 and "编号" in r.content.decode(), (url, key, r.status_code)
    api = _api(users, "supervisor")
    for url, key in (("/api/tasks/", "unit"), ("/api/tasks/", "source"), ("/api/units/", "parent"),
                     ("/api/notices/", "task"), ("/api/ledger.xlsx", "unit")):
        _assert_api_400(api.get(url, {key: bad}), key)


@pytest.mark.parametrize("bad", BAD_DATES)
def test_bad_dates_are_400(bad, users, client_for):
    ui = client_for("supervisor")
    for url, key in (("/audit/", "since"), ("/audit/", "until"), ("/supervision/dashboard/", "on"),
                     ("/supervision/statistics/", "start"), ("/supervision/statistics/", "end")):
        r = ui.get(url, {key: bad})
        assert r.status_code == 400, (url, key, r.status_code)
        assert "日期" in r.content.decode()
    r = ui.get("/supervision/statistics/", {"end": bad, "format": "pdf"})
    assert r.status_code == 400
    api = _api(users, "supervisor")
    _assert_api_400(api.get("/api/stats/units/", {"start": bad}), "start")
    _assert_api_400(api.get("/api/stats/units/", {"end": bad}), "end")


def test_good_parameters_still_work(users, client_for, units):
    ui = client_for("supervisor")
    assert ui.get("/ledger/", {"unit": units["fgw"].pk}).status_code == 200
    assert ui.get("/audit/", {"since": "2020-01-01", "until": "2030-12-31"}).status_code == 200
    assert ui.get("/supervision/dashboard/", {"on": "2026-03-02", "format": "json"}).status_code == 200
    assert _api(users, "supervisor").get("/api/tasks/", {"unit": units["fgw"].pk}).status_code == 200


def test_target_value_1e30_is_400_and_writes_nothing(users, units):
    api = _api(users, "supervisor")
    for bad in ("1e30", "NaN", "Infinity", "1000000000000"):
        r = api.post("/api/tasks/", {"title": "目标值测试", "lead_units": [units["fgw"].pk],
                                     "targets": [{"metric": "完成率", "op": ">=", "value": bad}]}, format="json")
        _assert_api_400(r, "targets")
    assert Task.objects.count() == 0 and Target.objects.count() == 0
    r = api.post("/api/tasks/", {"title": "目标值测试", "lead_units": [units["fgw"].pk],
                                 "targets": [{"metric": "完成率", "op": ">=", "value": "999999999999.5"}]},
                 format="json")
    assert r.status_code == 201


@pytest.mark.parametrize("deadline", ["9999-12-31", "2099-01-01", "1999-12-31"])
def test_far_deadlines_are_refused_everywhere(deadline, users, units, make_task):
    sup, jia = _api(users, "supervisor"), _api(users, "jia")
    r = sup.post("/api/tasks/", {"title": "远期任务", "lead_units": [units["fgw"].pk], "deadline": deadline},
                 format="json")
    _assert_api_400(r, "deadline")
    parent = make_task(lead=("jia",), deadline=dt.date.today() + dt.timedelta(days=30))
    r = jia.post(f"/api/tasks/{parent.pk}/subtasks/", {"title": "远期子任务", "lead_units": [units["dong"].pk],
                                                       "deadline": deadline}, format="json")
    _assert_api_400(r, "deadline")
    draft = make_task(lead=("fgw",), assign=False)
    _assert_api_400(sup.patch(f"/api/tasks/{draft.pk}/", {"deadline": deadline}, format="json"), "deadline")
    r = _api(users, "fgw").post(f"/api/tasks/{make_task(lead=('fgw',)).pk}/extensions/",
                                {"new_deadline": deadline, "reason": "需要更多时间"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "new_deadline"
    assert not Task.objects.filter(title__startswith="远期").exists()
    assert not Task.objects.filter(deadline__gt=dt.date(2040, 1, 1)).exists()
    # the web form says it in Chinese
    c = Client()
    c.force_login(users["supervisor"])
    r = c.post("/tasks/new/", {"title": "远期任务", "lead_units": [units["fgw"].pk], "deadline": deadline,
                               "priority": 2})
    assert not Task.objects.filter(title="远期任务").exists()
    assert r.status_code in (200, 400) and ("完成时限" in r.content.decode())


def test_one_bad_row_never_stops_the_sweep(users, units, make_task, capsys):
    good = make_task(title="正常任务", lead=("fgw",), deadline=dt.date.today() + dt.timedelta(days=30))
    bad = make_task(title="坏数据任务", lead=("edu",), deadline=dt.date.today() + dt.timedelta(days=30))
    overdue = make_task(title="逾期任务", lead=("yi",), deadline=dt.date.today() + dt.timedelta(days=30))
    with connection.cursor() as cur:  # behind the app's back, as a broken import or a hand edit would
        cur.execute(f"UPDATE {Task._meta.db_table} SET deadline = %s WHERE id = %s", ["9999-12-31", bad.pk])
        cur.execute(f"UPDATE {Task._meta.db_table} SET deadline = %s, assigned_on = %s WHERE id = %s",
                    [dt.date.today() - dt.timedelta(days=5), dt.date.today() - dt.timedelta(days=40), overdue.pk])
    result = run_sweep()
    assert [s["task_id"] for s in result.skipped] == [bad.pk]
    assert "9999-12-31" in result.skipped[0]["deadline"]
    from luoshi.supervision.models import SupervisionState
    assert SupervisionState.objects.get(task=good).light == "green"
    assert SupervisionState.objects.get(task=overdue).light == "red"
    call_command("sweep", "--json")
    out = json.loads(capsys.readouterr().out)
    assert [s["task_id"] for s in out["skipped"]] == [bad.pk]
    call_command("sweep")
    assert f"SKIPPED task id {bad.pk}" in capsys.readouterr().err
    # pages with the bad row stay fast and whole
    c = Client()
    c.force_login(users["supervisor"])
    for url in ("/ledger/", "/ledger/export.xlsx", f"/tasks/{bad.pk}/", "/supervision/statistics/?format=pdf",
                "/supervision/dashboard/?format=json", "/supervision/lights/"):
        assert c.get(url).status_code == 200, url


def test_patch_gets_the_same_unit_check_as_creation(users, units, make_task):
    parent = make_task(lead=("jia",))
    jia = _api(users, "jia")
    r = jia.post(f"/api/tasks/{parent.pk}/subtasks/", {"title": "分解任务", "lead_units": [units["dong"].pk]},
                 format="json")
    assert r.status_code == 201, r.content
    sub = r.json()["id"]
    for field in ("lead_units", "co_units"):
        r = jia.patch(f"/api/tasks/{sub}/", {field: [units["edu"].pk]}, format="json")
        assert r.status_code == 400 and "edu" not in r.json()["detail_zh"], r.content
        assert "市教育局" in r.json()["detail_zh"]
    assert list(Task.objects.get(pk=sub).lead_units.values_list("pk", flat=True)) == [units["dong"].pk]
    r = jia.patch(f"/api/tasks/{sub}/", {"lead_units": [units["xi"].pk]}, format="json")
    assert r.status_code == 200
    # a supervisor may give it to anyone
    assert _api(users, "supervisor").patch(f"/api/tasks/{sub}/", {"lead_units": [units["edu"].pk]},
                                           format="json").status_code == 200


def test_api_body_over_the_limit_is_413_json(users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api = _api(users, "supervisor")
    r = api.post("/api/tasks/", {"title": "大" * 20_000, "lead_units": [1]}, format="json")
    assert r.status_code == 413 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["detail"] and "过大" in body["detail_zh"] and "field" in body


def test_pasted_text_is_capped_with_a_clear_message(users, client_for, settings):
    import tracemalloc

    from luoshi.review.models import ImportDraft

    c = client_for("supervisor")
    big = "一、加快推进数字政府建设,市发展改革委牵头,6月底前完成。\n" * 120_000  # ≈ 8 MB of UTF-8
    tracemalloc.start()
    r = c.post("/review/upload/", {"text": big})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r.status_code == 400
    body = r.content.decode()
    assert "粘贴的文字过多" in body and len(body) < 200_000  # the text is not echoed back
    assert ImportDraft.objects.count() == 0
    print(f"pasted 8 MB text refused: tracemalloc peak {peak / 2**20:.1f} MiB")
    assert peak < 300 * 1024 * 1024, peak
