"""Unknown filter values, bad integers, yes/no switches, dates and pages on the list pages and list APIs of
every app are a 400 naming the parameter (Chinese page / {"detail", "detail_zh", "field"} on the API),
never an empty 200, the whole unfiltered list, a 404 or a quiet default; good values still work."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from luoshi.core import params

# (who, url, parameter, bad value, a word the Chinese message must contain, a good value)
PAGES = [
    ("supervisor", "/ledger/", "status", "bogus", "状态", "assigned"),
    ("supervisor", "/ledger/", "due", "someday", "时限", "overdue"),
    ("supervisor", "/ledger/", "sort", "size", "排序", "-deadline"),
    ("supervisor", "/ledger/", "page", "abc", "页码", "1"),
    ("supervisor", "/ledger/", "page", "99", "页码", "1"),
    ("supervisor", "/sources/", "page", "0", "页码", "1"),
    ("supervisor", "/supervision/notices/", "state", "bogus", "办理状态", "issued"),
    ("supervisor", "/supervision/notices/", "light", "purple", "灯色", "red"),
    ("supervisor", "/supervision/lights/", "light", "blue", "灯色", "yellow"),
    ("supervisor", "/supervision/inbox/", "unread", "maybe", "未读", "1"),
    ("supervisor", "/supervision/inbox/", "page", "x", "页码", "1"),
    ("supervisor", "/calendar/", "year", "abc", "年份", "2026"),
    ("supervisor", "/calendar/", "year", "1999", "年份", "2030"),
    ("supervisor", "/cases/", "status", "bogus", "办理状态", ""),
    ("supervisor", "/cases/", "kind", "bogus", "类别", ""),
    ("supervisor", "/cases/stats/", "by", "street", "分组方式", "category"),
    ("supervisor", "/petitions/", "status", "bogus", "状态", ""),
    ("supervisor", "/petitions/", "backlog", "maybe", "积案", "1"),
    ("supervisor", "/petitions/", "unit", "abc", "责任单位", ""),
    ("supervisor", "/petitions/backlog/", "page", "-1", "页码", "1"),
    ("supervisor", "/inspections/", "page", "abc", "页码", "1"),
    ("discipline", "/accountability/", "state", "bogus", "办理状态", ""),
    ("discipline", "/accountability/statistics/", "start", "2026-02-30", "开始日期", "2026-01-01"),
    ("supervisor", "/assessment/govservice/", "end", "yesterday", "结束日期", "2026-01-31"),
    ("supervisor", "/audit/", "page", "abc", "页码", "1"),
    (None, "/public/tasks/", "kind", "bogus", "类别", "livelihood"),
    (None, "/public/cases/", "year", "abc", "年份", ""),
    (None, "/public/cases/", "month", "13", "月份", "3"),
]

APIS = [
    ("supervisor", "/api/tasks/", "status", "bogus", "assigned"),
    ("supervisor", "/api/tasks/", "status", "assigned,bogus", "assigned,draft"),
    ("supervisor", "/api/tasks/", "overdue", "maybe", "1"),
    ("supervisor", "/api/tasks/", "page", "abc", "1"),
    ("supervisor", "/api/tasks/", "page", "0", "1"),
    ("supervisor", "/api/tasks/", "page", "9", "1"),
    ("supervisor", "/api/ledger.xlsx", "status", "bogus", "assigned"),
    ("supervisor", "/api/extensions/", "decision", "maybe", "pending"),
    ("supervisor", "/api/inbox/", "unread", "maybe", "true"),
    ("supervisor", "/api/notices/", "page", "abc", "1"),
    ("supervisor", "/api/petitions/", "backlog", "perhaps", "0"),
    ("supervisor", "/api/petitions/", "owner", "you", "me"),
    ("discipline", "/api/accountability/proposals/", "state", "bogus", ""),
    ("discipline", "/api/accountability/proposals/", "unit", "x", ""),
    ("supervisor", "/api/audit/", "actor", "abc", ""),
    ("supervisor", "/api/cases/stats/", "by", "street", "category"),
    ("supervisor", "/api/units/", "active", "maybe", "1"),
    (None, "/api/public/tasks/", "page", "abc", "1"),
    (None, "/api/public/bulletins/", "page", "2", "1"),
]


def _page_client(client_for, who):
    from django.test import Client

    return client_for(who) if who else Client()


@pytest.mark.parametrize("who,url,name,bad,word,good", PAGES, ids=[f"{p[1]}?{p[2]}={p[3]}" for p in PAGES])
def test_list_page_refuses_bad_parameter(who, url, name, bad, word, good, users, client_for, make_task):
    make_task()
    c = _page_client(client_for, who)
    r = c.get(url, {name: bad})
    assert r.status_code == 400, (r.status_code, r.content[:300])
    text = r.content.decode()
    assert word in text, text[:2000]
    if good:
        ok = c.get(url, {name: good})
        assert ok.status_code == 200, (ok.status_code, ok.content[:300])


@pytest.mark.parametrize("who,url,name,bad,good", APIS, ids=[f"{a[1]}?{a[2]}={a[3]}" for a in APIS])
def test_list_api_refuses_bad_parameter(who, url, name, bad, good, users, make_task):
    make_task()
    c = APIClient()
    if who:
        c.force_authenticate(users[who])
    r = c.get(url, {name: bad})
    assert r.status_code == 400, (r.status_code, r.content[:300])
    body = r.json()
    assert body["field"] == name, body
    assert body["detail"].isascii() and name in body["detail"], body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail_zh"]), body
    if good:
        ok = c.get(url, {name: good})
        assert ok.status_code == 200, (ok.status_code, ok.content[:300])


def test_api_status_filter_still_filters(users, make_task):
    draft = make_task(title="草稿任务", assign=False)
    assigned = make_task(title="已交办任务")
    c = APIClient()
    c.force_authenticate(users["supervisor"])
    ids = {t["id"] for t in c.get("/api/tasks/", {"status": "draft"}).json()["results"]}
    assert ids == {draft.pk}
    ids = {t["id"] for t in c.get("/api/tasks/", {"status": "draft,assigned"}).json()["results"]}
    assert ids == {draft.pk, assigned.pk}


def test_ledger_page_unknown_status_is_not_every_task(users, client_for, make_task):
    make_task(title="唯一的任务")
    r = client_for("supervisor").get("/ledger/", {"status": "bogus"})
    assert r.status_code == 400 and "唯一的任务" not in r.content.decode()
    assert "bogus" in r.content.decode()


def test_helpers():
    assert params.get_choice({"s": "a"}, "s", ["a", "b"], "状态") == "a"
    assert params.get_choice({}, "s", ["a"], "状态", "a") == "a"
    assert params.get_choice({"s": "a, b"}, "s", ["a", "b"], "状态", many=True) == ["a", "b"]
    with pytest.raises(params.BadParameter) as exc:
        params.get_choice({"s": "c"}, "s", [("a", "甲")], "状态")
    assert exc.value.field == "s" and "状态" in exc.value.message_zh and "c" in exc.value.message_zh
    for word, value in (("1", True), ("TRUE", True), ("yes", True), ("0", False), ("off", False), ("", False)):
        assert params.get_bool({"b": word}, "b", "仅看未读") is value
    with pytest.raises(params.BadParameter):
        params.get_bool({"b": "maybe"}, "b", "仅看未读")
    assert params.get_int({"n": "-3"}, "n", "数", lo=-5) == -3
    for bad in ("abc", "1.5", "²", "-", "9" * 13):
        with pytest.raises(params.BadParameter):
            params.get_int({"n": bad}, "n", "数")
    with pytest.raises(params.BadParameter) as exc:
        params.get_year({"year": "2101"})
    assert "年份" in exc.value.message_zh and "2100" in exc.value.message_zh
