"""Crawl every /public/ page and the public API as an anonymous visitor and fail on any internal
field, unpublished item, personal data, or link into the staff site."""
from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from pdfminer.high_level import extract_text

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

START = ["/public/", "/api/public/listed/", "/api/public/tasks/", "/api/public/bulletins/", "/api/public/assessment/",
         "/api/public/cases/"]
ALLOWED_PREFIXES = ("/public/", "/static/", "/api/public/")
# every key the public API may return
PUBLIC_KEYS = {"count", "next", "previous", "results", "id", "title", "units", "deadline", "progress", "status",
               "kind", "note", "updated_on", "listed_on", "number", "intro", "closing", "published_on", "cases",
               "heading", "text", "plan", "period", "group", "rows", "rank", "unit", "total", "grade", "vetoed",
               "year", "month", "by_unit", "by_month", "label", "on_time_rate", "satisfaction_rate"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.imgs_without_alt = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src", "action"):
            if a.get(key):
                self.links.append(a[key])
        if tag == "img" and "alt" not in a:
            self.imgs_without_alt += 1


def keys_of(value, out=None):
    out = set() if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            keys_of(v, out)
    elif isinstance(value, list):
        for v in value:
            keys_of(v, out)
    return out


def crawl(client) -> dict[str, str]:
    seen, queue, texts = set(), list(START), {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        ctype = resp.get("Content-Type", "")
        if "pdf" in ctype:
            texts[url] = "".join(extract_text(io.BytesIO(resp.content)).split())
            continue
        if url.startswith("/static/") or ctype.startswith(("image/", "audio/")):  # captcha images, sounds
            continue
        body = resp.content.decode("utf-8")
        texts[url] = body
        links = []
        if "json" in ctype:
            data = json.loads(body)
            extra = keys_of(data) - PUBLIC_KEYS
            assert not extra, (url, extra)
            links = [data[k] for k in ("next", "previous") if isinstance(data, dict) and data.get(k)]
        else:
            p = Links()
            p.feed(body)
            assert p.imgs_without_alt == 0, url
            links = p.links
        for link in links:
            u = urlparse(urljoin("http://testserver" + url, link))
            if u.netloc not in ("", "testserver"):
                continue  # no external links exist; keep the crawl local
            path = u.path + (f"?{u.query}" if u.query else "")
            assert u.path.startswith(ALLOWED_PREFIXES), f"{url} links into the staff site: {link}"
            if u.path.startswith("/static/"):
                continue
            queue.append(path)
    return texts


def test_crawl_shows_only_what_is_public(city, users):
    from luoshi.supervision.models import SupervisionState

    texts = crawl(Client())
    assert len(texts) >= 10
    everything = "\n".join(texts.values())
    # what must be there
    for needle in ("新建城区公办幼儿园5所", "已完成3所主体建设", "政务服务事项全部实现一网通办", "老旧小区改造年度任务",
                   "关于几起作风效能典型问题的通报", "张某某", "李某某", "通报批评", "市直部门年度考核", "考核排名",
                   "12345政务服务便民热线案件统计"):
        assert needle in everything, needle
    # what must never be there
    for name, secret in SECRETS.items():
        for url, text in texts.items():
            assert secret not in text, (name, url)
    internal = [t.number for t in (city["public"], city["commit"], city["listed"], city["hidden"])]
    internal += [u.get_full_name() for u in users.values()] + [city["officer"].get_full_name()]
    internal += [SupervisionState.objects.get(task=city["listed"]).reason]
    for secret in internal:
        for url, text in texts.items():
            assert secret not in text, (secret, url)
    # no mobile numbers (a captcha key is hex: look for numbers standing alone)
    m = re.search(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])", everything)
    assert m is None, everything[max(0, m.start() - 80):m.end() + 20]
    # ids: only public objects appear in /public/tasks/<id>/ links and API ids
    public_ids = {city["public"].pk, city["commit"].pk}
    for url in texts:
        m = re.match(r"/public/tasks/(\d+)/", url) or re.match(r"/api/public/tasks/(\d+)/", url)
        if m:
            assert int(m.group(1)) in public_ids, url
    listed = json.loads(texts["/api/public/listed/"])["results"]
    assert [(x["title"], x["id"]) for x in listed] == [("老旧小区改造年度任务", None)]
    tasks = json.loads(texts["/api/public/tasks/"])["results"]
    assert {x["id"] for x in tasks} == public_ids


def test_non_public_objects_are_404(city):
    c = Client()
    for t in ("hidden", "listed"):
        pk = city[t].pk
        assert c.get(f"/public/tasks/{pk}/").status_code == 404
        assert c.get(f"/api/public/tasks/{pk}/").status_code == 404
    from luoshi.accountability.models import Bulletin

    draft = Bulletin.objects.get(is_published=False)
    assert c.get(f"/public/bulletins/{draft.pk}/").status_code == 404
    assert c.get(f"/public/bulletins/{draft.pk}/document.pdf").status_code == 404
    from luoshi.assessment.models import ScoreRun

    run = ScoreRun.objects.get(state="draft")
    assert c.get(f"/public/assessment/{run.pk}/").status_code == 404
    bad = c.get("/api/public/tasks/?kind=secret")
    assert bad.status_code == 400 and bad.json()["detail_zh"]


def test_withdrawn_publication_disappears(city, users):
    from luoshi.ledger.services import do_set_task_public

    do_set_task_public(users["supervisor"], city["public"], kind="")
    c = Client()
    assert c.get(f"/public/tasks/{city['public'].pk}/").status_code == 404
    assert "新建城区公办幼儿园5所" not in c.get("/public/tasks/").content.decode()


def test_only_the_office_publishes(city, users):
    from luoshi.core.errors import NotAllowed
    from luoshi.ledger.services import do_set_task_public

    for role in ("fgw", "leader", "edu"):
        with pytest.raises(NotAllowed):
            do_set_task_public(users[role], city["hidden"], kind="commitment", note="x")


def test_office_publishes_from_the_task_page(city, users):
    from tests.conftest import PASSWORD

    task = city["hidden"]
    c = Client()
    assert c.login(username=users["fgw"].username, password=PASSWORD)
    page = c.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="publish"' not in page  # liaisons do not publish
    assert c.post(f"/tasks/{task.pk}/do/publish/", {"public_kind": "commitment"}).status_code in (302, 403)
    assert Client().get(f"/public/tasks/{task.pk}/").status_code == 404
    c = Client()
    assert c.login(username=users["supervisor"].username, password=PASSWORD)
    assert 'id="publish"' in c.get(f"/tasks/{task.pk}/").content.decode()
    resp = c.post(f"/tasks/{task.pk}/do/publish/", {"public_kind": "commitment", "public_note": "年底前完成。"})
    assert resp.status_code == 302
    page = Client().get(f"/public/tasks/{task.pk}/").content.decode()
    assert "年底前完成。" in page and "公开承诺" in page
    # and withdraws it from the same form
    assert c.post(f"/tasks/{task.pk}/do/publish/", {"public_kind": "", "public_note": "x"}).status_code == 302
    assert Client().get(f"/public/tasks/{task.pk}/").status_code == 404
    task.refresh_from_db()
    assert (task.public_kind, task.public_note) == ("", "")
    bad = c.post(f"/tasks/{task.pk}/do/publish/", {"public_kind": "secret"})
    task.refresh_from_db()
    assert bad.status_code in (302, 400) and task.public_kind == ""


def test_withdrawn_bulletin_disappears(city, users):
    from luoshi.accountability.services import do_withdraw_bulletin
    from luoshi.audit.models import AuditEntry
    from luoshi.core.errors import LuoshiError, NotAllowed
    from tests.conftest import PASSWORD

    b = city["bulletin"]
    for who in (users["supervisor"], users["leader"]):
        with pytest.raises(NotAllowed):
            do_withdraw_bulletin(who, b, "误发")
    with pytest.raises(LuoshiError):
        do_withdraw_bulletin(city["officer"], b, "")
    c = Client()
    assert c.login(username=city["officer"].username, password=PASSWORD)
    assert c.post(f"/accountability/bulletins/{b.pk}/withdraw/", {"reason": "案例经申诉变更,撤回重发"}).status_code == 302
    anon = Client()
    assert anon.get(f"/public/bulletins/{b.pk}/").status_code == 404
    assert anon.get(f"/public/bulletins/{b.pk}/document.pdf").status_code == 404
    assert "关于几起作风效能典型问题的通报" not in anon.get("/public/bulletins/").content.decode()
    assert anon.get("/api/public/bulletins/").json()["count"] == 0
    entry = AuditEntry.objects.get(action="accountability.bulletin.withdraw")
    assert entry.after["reason"] == "案例经申诉变更,撤回重发"
    b.refresh_from_db()
    assert not b.is_published and b.published_on is None  # kept, a draft again
    with pytest.raises(LuoshiError):
        do_withdraw_bulletin(city["officer"], b, "再次撤回")
