"""The UI speaks Chinese everywhere: every page reachable by each role, the admin and the API's
refusals are checked for framework text left in English."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

# Fragments of English that Django, DRF or our own code would print when something was not
# translated; none of them is legitimate text on a luoshi page.
UNTRANSLATED = [
    re.compile(p) for p in (
        r"\b[A-Z]\w+ object \(\d+\)",           # a model without __str__
        r"matches the given query",             # Django's 404 text
        r"You do not have permission",          # DRF refusal
        r"This field is required",              # form errors
        r"Enter a valid",
        r"Select a valid choice",
        r"Spring Festival|National Day|New Year's Day|Mid-autumn|Tomb-sweeping|Dragon Boat|Labour Day",
        r"\b\w+ss\b(?=</a>|</th>|</caption>)",  # "Light totalss" in the admin
        r"Task Results|Audit heads|Light totals|Unit lights|Notice counters",
        r">\s*(escalation|notice|task|report|rectification|extension|case|review)\.[a-z_]+\s*<",  # raw audit codes
    )
]
SKIP = re.compile(r"/(logout|admin/logout|api/|media/|static/)|\.(xlsx|pdf|docx|csv|png|jpg)$|/export|/pdf/?$")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def crawl(client, start, limit=120):
    seen, queue, pages = set(), list(start), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlparse(url).path + (("?" + urlparse(url).query) if urlparse(url).query else "")
        if path in seen or SKIP.search(urlparse(url).path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            absolute = urljoin(path, href)
            parsed = urlparse(absolute)
            if parsed.scheme in ("", "http") and parsed.netloc in ("", "testserver") and "page=" not in parsed.query:
                queue.append(parsed.path + (("?" + parsed.query) if parsed.query else ""))
    return pages


@pytest.fixture
def busy_ledger(users, make_task):
    from luoshi.ledger import services as ledger
    from luoshi.supervision.notices import do_issue_notice

    task = make_task(title="推进政务服务一网通办", lead=("fgw",), co=("edu",), deadline=dt.date.today() + dt.timedelta(days=20))
    ledger.do_sign_task(users["fgw"], task)
    ledger.do_report_progress(users["fgw"], task, text="已完成方案起草", percent=30)
    ledger.do_add_instruction(users["leader"], task, text="请加快进度")
    do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后", required_action="加快推进")
    return task


@pytest.mark.parametrize("role", ["supervisor", "fgw", "leader", "jia_leader", "admin", "operator", "discipline"])
def test_every_page_speaks_chinese(role, client_for, busy_ledger):
    client = client_for(role)
    start = ["/", "/ledger/", "/workspace/", "/supervision/", "/calendar/?year=2026", "/calendar/?year=2027",
             "/audit/", f"/tasks/{busy_ledger.pk}/"]
    if role == "admin":
        start.append("/admin/")
    pages = crawl(client, start)
    assert len(pages) >= 2
    problems = []
    for path, html in pages.items():
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
        for pattern in UNTRANSLATED:
            m = pattern.search(text)
            if m:
                problems.append(f"{path}: {m.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_admin_names_every_model_in_chinese(client_for):
    from django.contrib import admin

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for model in admin.site._registry:
        meta = model._meta
        assert cjk.search(str(meta.verbose_name_plural)), f"{meta.label}: {meta.verbose_name_plural}"
    html = client_for("admin").get("/admin/").content.decode()
    assert "Task Results" not in html and "Audit heads" not in html
    # the index's column headings for screen readers (Django's zh_Hans catalogue lacks them)
    assert "Model name" not in html and "Change or view list link" not in html
    assert "模型名称" in html and "修改或查看列表链接" in html


def test_api_refusals_carry_chinese(client_for, busy_ledger, users):
    client = client_for("edu")  # 市教育局: a co-unit, may read but not edit
    missing = client.get("/api/tasks/987654321/")
    assert missing.status_code == 404
    body = missing.json()
    assert body["detail_zh"] == "未找到该记录,或您无权查看" and "matches the given query" not in body["detail"]
    anonymous = pytest.importorskip("django.test").Client().get("/api/tasks/")
    assert anonymous.status_code in (401, 403) and anonymous.json()["detail_zh"]
    refused = client.post(f"/api/tasks/{busy_ledger.pk}/approve/", {}, content_type="application/json")
    assert refused.status_code in (403, 404) and refused.json()["detail_zh"]
    wrong_method = client_for("supervisor").delete(f"/api/tasks/{busy_ledger.pk}/")
    assert wrong_method.status_code in (403, 405) and "detail_zh" in wrong_method.json()


def test_audit_page_shows_actions_and_objects_in_chinese(client_for, busy_ledger):
    from luoshi.audit.labels import action_label, object_text

    assert action_label("escalation.step") == "升级督办·执行一步"
    assert action_label("something.unheard") == "其他操作"
    assert object_text("ledger.instruction", 3, "Instruction object (3)") == "领导批示 #3"
    html = client_for("supervisor").get("/audit/").content.decode()
    assert "签发督办单" in html or "督办单·签发" in html


def test_login_protection_admin_lists_speak_chinese_with_rows(client_for):
    """django-axes' own admin lists, with a row in each (column headers and filters come from its fields)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    common = {"user_agent": "Mozilla/5.0", "ip_address": "10.0.0.9", "username": "fgw", "http_accept": "*/*",
              "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=3)
    AccessLog.objects.create(**common, attempt_time=timezone.now())
    AccessFailureLog.objects.create(**common, locked_out=True)
    client = client_for("admin")
    for model in ("accessattempt", "accesslog", "accessfailurelog"):
        r = client.get(f"/admin/axes/{model}/")
        assert r.status_code == 200, model
        html = r.content.decode()
        assert "10.0.0.9" in html and "IP地址" in html, model
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
        for pattern in UNTRANSLATED + [re.compile(r"IP Address|Attempt Time|User Agent|Failed Logins")]:
            assert not pattern.search(text), (model, pattern.search(text).group(0))


@pytest.mark.parametrize("path", ["/tasks/{pk}/do/sign/", "/supervision/inbox/read/", "/assessment/plans/new/"])
def test_an_action_address_opened_directly_explains_itself_in_chinese(client_for, busy_ledger, path):
    # A POST-only address typed in or bookmarked answered 405 with an empty body: a blank page
    resp = client_for("supervisor").get(path.format(pk=busy_ledger.pk))
    assert resp.status_code == 405 and "POST" in resp["Allow"]
    text = resp.content.decode()
    assert "405 请从页面操作" in text and "不能直接打开" in text
    # the API keeps its JSON refusal
    api = client_for("supervisor").get(f"/api/tasks/{busy_ledger.pk}/approve/")
    assert api.status_code == 405 and api.json()["detail_zh"] == "不支持该请求方法"


@pytest.mark.parametrize("path", ["/api/tasks/{pk}/report/", "/api/no-such-thing/", "/api/tasks/{pk}/do/sign/"])
def test_an_unknown_api_address_answers_json_with_chinese(client_for, busy_ledger, path):
    # an address under /api/ that no route matches answered the HTML 404 page
    resp = client_for("fgw").get(path.format(pk=busy_ledger.pk))
    assert resp.status_code == 404 and resp["Content-Type"].startswith("application/json")
    assert resp.json() == {"detail": "Not found.", "detail_zh": "未找到该记录,或您无权查看", "field": None}
    page = client_for("fgw").get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()
