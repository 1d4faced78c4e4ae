"""Permission matrix on CONTENTS: every page, export, generated document, chart and API read of
ledger/supervision/notifications/audit/review/workcal/core, review drafts (/review/<pk>/) and the
uploaded-file downloads of every app (ledger, review, cases, inspections, assessment), for every role
of the `users` fixture.

The one scope rule (luoshi.core.scope via ledger.permissions.visible_tasks) says which tasks a user
reads; the title and number of every OTHER task must appear nowhere in what the user gets — pages,
.xlsx, .docx, .pdf, JSON. Stats/dashboards of a scoped user name no unit outside the scope.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
import zipfile

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.core.scope import unit_scope
from luoshi.ledger.models import ProgressReport, Task
from luoshi.ledger.permissions import visible_tasks
from luoshi.ledger.services import do_create_source, do_create_task, do_report_progress, do_sign_task
from luoshi.orgs.models import Unit
from luoshi.supervision.notices import do_issue_notice
from luoshi.supervision.rectification import do_create_rectification, do_record_finding
from luoshi.supervision.sweep import run_sweep

ROLES = ["supervisor", "fgw", "edu", "jia", "dong", "yi", "leader", "jia_leader", "admin", "operator",
         "dispatcher", "inspector", "discipline", "expert"]


def _text(resp) -> str:
    """Everything a reader gets: HTML/JSON as text, .xlsx/.docx XML parts, PDF text."""
    body = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
    ctype = resp.get("Content-Type", "")
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if body[:4] == b"%PDF" or "pdf" in ctype:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(body)
            f.flush()
            out = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True, check=True)
        return out.stdout.decode("utf-8", "replace").replace("\n", "").replace(" ", "")
    return body.decode("utf-8", "replace")


@pytest.fixture
def with_expert(users):
    """The shared users plus a 考核专家 (expert rater) login, who has no unit and reads no ledger."""
    from luoshi.accounts.models import Role
    from tests.conftest import make_user

    users.setdefault("expert", make_user("expert_rater", Role.EXPERT, None, display_name="刘评委"))
    return users


@pytest.fixture
def world(with_expert, units):
    users = with_expert
    sup = users["supervisor"]
    today = dt.date.today()
    deadline = today + dt.timedelta(days=60)

    def mk(key, lead, co=(), parent=None, actor=sup):
        return do_create_task(actor, title=f"保密事项{key}专属标题", lead_units=[units[u] for u in lead],
                              co_units=[units[u] for u in co], deadline=deadline, assign=True, parent=parent)

    t = {"fgw": mk("FGW", ["fgw"], co=["edu"]), "edu": mk("EDU", ["edu"]), "jia": mk("JIA", ["jia"]),
         "jia_fg": mk("JIAFG", ["jia_fg"]), "nan": mk("NAN", ["nan"]), "yi": mk("YI", ["yi"])}
    t["dong_sub"] = mk("DONGSUB", ["dong"], parent=t["jia"], actor=users["jia"])
    # all overdue: the 通报 lists overdue tasks by title (dates set behind the app's back on purpose)
    Task.objects.filter(pk__in=[x.pk for x in t.values()]).update(
        assigned_on=today - dt.timedelta(days=90), deadline=today - dt.timedelta(days=20))
    for x in t.values():
        x.refresh_from_db()
    run_sweep(today)
    do_issue_notice(sup, t["edu"], light="red", reason="保密事项EDU督办理由")
    do_issue_notice(sup, t["nan"], light="red", reason="保密事项NAN督办理由")
    # a 整改 item of the fgw task addressed to fgw: edu (co-unit) must not see it
    finding = do_record_finding(sup, t["fgw"], "保密事项FGW整改问题")
    do_create_rectification(sup, finding, requirement="保密事项FGW整改要求", due=today + dt.timedelta(days=10),
                            unit=units["fgw"])
    return t


def _urls(world, users):
    urls = ["/", "/ledger/", "/ledger/?due=overdue", "/ledger/export.xlsx", "/workspace/", "/sources/",
            "/supervision/", "/supervision/lights/?light=red", "/supervision/notices/", "/supervision/lights/", "/supervision/listed/", "/supervision/workspace/",
            "/supervision/dashboard/", "/supervision/dashboard/?format=json", "/supervision/statistics/",
            "/supervision/statistics/?format=docx", "/supervision/statistics/?format=pdf",
            "/supervision/inbox/", "/audit/", "/review/", "/calendar/",
            "/api/tasks/", "/api/notices/", "/api/lights/", "/api/rectifications/", "/api/stats/units/",
            "/api/ledger.xlsx", "/api/inbox/", "/api/audit/", "/api/extensions/", "/api/listed-items/"]
    for task in world.values():
        urls += [f"/tasks/{task.pk}/", f"/api/tasks/{task.pk}/", f"/supervision/tasks/{task.pk}/notice/"]
    from luoshi.supervision.models import SupervisionNotice
    for n in SupervisionNotice.objects.all():
        urls += [f"/supervision/notices/{n.pk}/", f"/supervision/notices/{n.pk}/pdf/",
                 f"/supervision/notices/{n.pk}/docx/", f"/api/notices/{n.pk}/"]
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_no_foreign_task_in_any_read(role, world, users, client_for):
    user = users[role]
    readable = set(visible_tasks(user).values_list("pk", flat=True))
    foreign = [t for t in world.values() if t.pk not in readable]
    scope = unit_scope(user, "ledger")
    outside_units = [] if scope is None else list(Unit.objects.exclude(pk__in=scope).exclude(
        pk__in=Task.objects.filter(pk__in=readable).values("lead_units")).exclude(
        pk__in=Task.objects.filter(pk__in=readable).values("co_units")).exclude(pk=user.unit_id))
    c = client_for(role)
    checked = 0
    for url in _urls(world, users):
        r = c.get(url)
        assert r.status_code < 500, (role, url, r.status_code)
        if r.status_code >= 300:
            continue
        text = _text(r)
        checked += 1
        for t in foreign:
            assert t.title not in text, (role, url, t.title)
            assert t.number not in text, (role, url, t.number)
        if "保密事项FGW整改" in text and ("workspace" in url or "rectification" in url):
            # 整改 items are read by the unit they are addressed to (and those whose scope holds it)
            assert scope is None or world["fgw"].lead_units.get().pk in scope, (role, url)
        if any(k in url for k in ("statistics", "dashboard", "api/stats")):
            for u in outside_units:
                assert u.name not in text, (role, url, u.name)
    assert checked >= 5


def test_matrix_world_is_what_we_think(world, users):
    """The matrix is only meaningful if the roles really differ."""
    vis = {r: set(visible_tasks(users[r]).values_list("pk", flat=True)) for r in ROLES}
    assert vis["supervisor"] == vis["admin"] == vis["discipline"] == {t.pk for t in world.values()}
    assert vis["operator"] == vis["dispatcher"] == vis["inspector"] == vis["expert"] == set()
    assert vis["jia_leader"] == {world[k].pk for k in ("jia", "jia_fg", "dong_sub")}
    assert vis["edu"] == {world["fgw"].pk, world["edu"].pk}
    assert world["jia"].pk not in vis["dong"] and world["dong_sub"].pk in vis["dong"]


def test_district_leader_statistics_and_bulletin_are_scoped(world, users, client_for, units):
    c = client_for("jia_leader")
    text = _text(c.get("/supervision/statistics/"))
    assert units["jia_fg"].name in text and units["edu"].name not in text
    for fmt in ("docx", "pdf"):
        text = _text(c.get("/supervision/statistics/", {"format": fmt}))
        assert world["jia_fg"].number in text and world["edu"].number not in text, fmt
    data = c.get("/supervision/dashboard/", {"format": "json"}).json()
    assert set(data["units"]) <= {units[k].name for k in ("jia", "jia_fg", "dong", "xi")}
    assert data["units"]
    from luoshi.supervision.models import SupervisionNotice
    district = {units[k].pk for k in ("jia", "jia_fg", "dong", "xi")}
    assert sum(data["trend"]["series"]["red"]) == SupervisionNotice.objects.filter(
        light="red", lead_unit__in=district).count()
    # the city's leader and the supervisor still see the whole city
    data = client_for("leader").get("/supervision/dashboard/", {"format": "json"}).json()
    assert units["edu"].name in data["units"]
    assert sum(data["trend"]["series"]["red"]) == SupervisionNotice.objects.filter(light="red").count() > \
        SupervisionNotice.objects.filter(light="red", lead_unit__in=district).count()


def test_subtask_page_hides_parent_number(world, users, client_for):
    text = _text(client_for("dong").get(f"/tasks/{world['dong_sub'].pk}/"))
    assert world["dong_sub"].number in text and world["jia"].number not in text
    text = _text(client_for("jia").get(f"/tasks/{world['dong_sub'].pk}/"))
    assert world["jia"].number in text


def test_co_unit_liaison_does_not_see_other_units_rectification(world, client_for):
    assert "保密事项FGW整改要求" in _text(client_for("fgw").get("/supervision/workspace/"))
    assert "保密事项FGW整改要求" not in _text(client_for("edu").get("/supervision/workspace/"))
    assert "保密事项FGW整改要求" not in _text(client_for("edu").get("/api/rectifications/"))


# ---- cases (诉求案件): pages, exports, 督办单 on overdue cases, 通报, API, inbox, audit --------------------

CASE_SECRETS = {"name": "严保密申诉人", "phone": "13911112222", "email": "yan.baomi@example.cn",
                "address": "保密小区3栋"}


@pytest.fixture
def case_world(with_expert, units):
    """Four overdue cases (so each gets a red 督办单 and shows in the 通报): problems handled by dong, xi and
    nan, and a complaint against fgw handled by yi — all with the same reporter."""
    from django.utils import timezone

    from luoshi.cases import services as csvc
    from luoshi.cases.models import Category, Kind, LimitUnit

    users = with_expert

    prob = Category.objects.create(code="PM-ROAD", name="道路破损", kind=Kind.PROBLEM, limit_value=24,
                                   limit_unit=LimitUnit.HOURS)
    slow = Category.objects.create(code="PM-SLOW", name="慢作为", kind=Kind.COMPLAINT, limit_value=5,
                                   limit_unit=LimitUnit.WORKING_DAYS)
    op, disp = users["operator"], users["dispatcher"]
    past = timezone.now() - dt.timedelta(days=20)
    reporter = {f"reporter_{k}": v for k, v in CASE_SECRETS.items()}
    out = {}
    for key, unit in (("dong", "dong"), ("xi", "xi"), ("nan", "nan")):
        c, _ = csvc.do_create_case(op, category=prob, description=f"案件{key}路面塌陷", address="人民路1号",
                                   **reporter)
        out[key] = csvc.do_dispatch_case(disp, c, unit=units[unit], at=past)
    c, _ = csvc.do_create_case(op, kind=Kind.COMPLAINT, category=slow, description="窗口推诿", address="市民中心",
                               subject_unit=units["fgw"], **reporter)
    out["complaint"] = csvc.do_dispatch_case(disp, c, unit=units["yi"], at=past)
    run_sweep(dt.date.today())
    return out


def _case_urls(case_world):
    from luoshi.supervision.models import SupervisionNotice

    urls = ["/cases/", "/cases/export.xlsx", "/cases/export.csv", "/cases/stats/", "/api/cases/",
            "/supervision/notices/", "/supervision/statistics/?format=pdf", "/supervision/statistics/?format=docx",
            "/supervision/inbox/", "/api/inbox/", "/api/notices/", "/audit/", "/api/audit/",
            "/supervision/listed/", "/api/listed-items/"]
    for c in case_world.values():
        urls += [f"/cases/{c.pk}/", f"/api/cases/{c.pk}/"]
    for n in SupervisionNotice.objects.filter(source_type="cases"):
        urls += [f"/supervision/notices/{n.pk}/", f"/supervision/notices/{n.pk}/pdf/",
                 f"/supervision/notices/{n.pk}/docx/", f"/api/notices/{n.pk}/"]
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_cases_reads_per_role(role, case_world, users, client_for):
    from luoshi.cases.models import Case
    from luoshi.cases.permissions import can_see_reporter, visible_cases
    from luoshi.supervision.models import SupervisionNotice

    user = users[role]
    readable = set(visible_cases(user).values_list("pk", flat=True))
    foreign = [c for c in case_world.values() if c.pk not in readable]
    sees_reporter = any(can_see_reporter(user, c) for c in Case.objects.filter(pk__in=readable))
    notices = {n.source_id: n for n in SupervisionNotice.objects.filter(source_type="cases")}
    assert len(notices) == 4
    c = client_for(role)
    got = {}
    for url in _case_urls(case_world):
        r = c.get(url)
        assert r.status_code < 500, (role, url, r.status_code)
        if r.status_code >= 300:
            continue
        text = _text(r)
        got[url] = text
        for f in foreign:
            assert f.number not in text, (role, url, f.number)
        if not sees_reporter:
            for v in CASE_SECRETS.values():
                assert v not in text, (role, url, v)
    # contents, not only absences: each readable case is in the role's export and list
    for pk in readable:
        number = Case.objects.get(pk=pk).number
        assert number in got["/cases/export.csv"] and number in got["/cases/"], (role, number)
    if readable:
        assert "/cases/export.xlsx" in got
    # a unit reads the 督办单 of the cases it handles, not of those it is only complained about
    for case in case_world.values():
        n = notices[case.pk]
        addressed = user.unit_id == case.responsible_unit_id
        if addressed:
            assert n.number in got["/supervision/notices/"] and case.number in got[f"/supervision/notices/{n.pk}/pdf/"]
        if role == "fgw":
            assert f"/supervision/notices/{n.pk}/" not in got
    if role == "fgw":
        assert case_world["complaint"].number in got["/cases/export.csv"]
        assert not any(v in t for t in got.values() for v in CASE_SECRETS.values())
    if role in ("supervisor", "admin"):
        assert all(case.number in got["/supervision/statistics/?format=pdf"] for case in case_world.values())


# ---------------------------------------------------------------- assessment: score sheets and the plan editor

@pytest.fixture
def sheets_world(with_expert, units):
    """An expert-scored plan with two raters' sheets: `expert` (市发改委, 市教育局) and a second expert (督查室)."""
    from luoshi.accounts.models import Role
    from luoshi.assessment import services as asvc
    from tests.conftest import make_user

    users = with_expert
    sup = users["supervisor"]
    second = make_user("expert_rater2", Role.EXPERT, None, display_name="保密评委乙")
    plan = asvc.do_save_plan(sup, code="KH-SHEET", name="保密专家评议方案", period="2025", group="city_dept")
    ind = asvc.do_save_indicator(sup, plan, code="1", name="保密专家指标", weight=100, method="expert")
    mine = asvc.do_assign_sheet(sup, plan, users["expert"], [units["fgw"], units["edu"]])
    asvc.do_save_sheet(users["expert"], mine, [{"indicator": ind.pk, "unit": units["fgw"].pk, "score": "81",
                                                "note": "保密评语甲"}])
    theirs = asvc.do_assign_sheet(sup, plan, second, [units["duchashi"]])
    asvc.do_save_sheet(second, theirs, [{"indicator": ind.pk, "unit": units["duchashi"].pk, "score": "77",
                                         "note": "保密评语乙"}])
    return {"plan": plan, "mine": mine, "theirs": theirs, "ind": ind}


@pytest.mark.parametrize("role", ROLES)
def test_score_sheets_and_plan_editor_per_role(role, sheets_world, client_for):
    plan, mine, theirs = sheets_world["plan"], sheets_world["mine"], sheets_world["theirs"]
    c = client_for(role)
    office = role in ("supervisor", "admin")
    listing = _text(c.get("/assessment/sheets/"))
    own = {"expert": mine}.get(role)
    for sheet, secret in ((mine, "保密评语甲"), (theirs, "保密评语乙")):
        r = c.get(f"/assessment/sheets/{sheet.pk}/")
        if office or sheet == own:
            assert r.status_code == 200, (role, sheet.rater_name)
            body = _text(r)
            assert secret in body and sheet.rater_name in body and "保密专家指标" in body
            assert (theirs.rater_name not in body) if sheet == mine else True
            assert sheet.rater_name in listing
        else:
            assert r.status_code == 404, (role, sheet.rater_name)
            assert sheet.rater_name not in listing and secret not in listing, role
        r = c.post(f"/assessment/sheets/{sheet.pk}/save/", {})
        assert r.status_code in ((302,) if office or sheet == own else (404,)), (role, r.status_code)
    # the plan editor (indicator tree, move/deactivate, sheet assignment) is the office's only
    r = c.get(f"/assessment/plans/{plan.pk}/")
    if office:
        body = _text(r)
        assert r.status_code == 200 and "移动指标" in body and "停用 / 启用指标" in body and "保密评委乙" in body
    else:
        assert r.status_code == 403, role
        assert "保密专家指标" not in _text(r) and "保密评委乙" not in _text(r)
    for action in ("indicators/move/", "indicators/active/", "do/sheet/"):
        r = c.post(f"/assessment/plans/{plan.pk}/{action}", {"indicator": sheets_world["ind"].pk, "reason": "x"})
        assert r.status_code == (302 if office else 403), (role, action, r.status_code)
    # the expert reads no results, no plan, no other assessment page's records
    if role == "expert":
        for url in ("/assessment/", "/assessment/appeals/", "/assessment/letters/", "/assessment/govservice/",
                    "/api/assessment/plans/"):
            body = _text(c.get(url))
            assert "KH-SHEET" not in body and "保密专家评议方案" not in body, url


# ---- petitions in the supervision engine (督办单 of overdue petitions) and the hotline transfer page ----

PETITIONER = "保密信访人甲乙"
PETITION_TITLE = "保密信访事由FGW专属"
HOTLINE_ROLES = {"supervisor", "admin", "operator"}


@pytest.fixture
def petition_world(users, units):
    """An overdue petition handled by 市发改委 that climbed the ladder up to a red 督办单."""
    from luoshi.petitions import services as psvc
    from luoshi.petitions.sweep import run_petition_sweep

    p = psvc.do_register_petition(users["supervisor"], channel="visit", name=PETITIONER, phone="13700001111",
                                  title=PETITION_TITLE, content="保密信访内容", received_on=dt.date(2026, 3, 2))
    psvc.do_assign_petition(users["supervisor"], p, units["fgw"])
    psvc.do_accept_petition(users["fgw"], p, on=dt.date(2026, 3, 5))
    for day in (7, 12, 15):
        run_petition_sweep(dt.date(2026, 5, day))
    from luoshi.supervision.models import SupervisionNotice

    notice = SupervisionNotice.objects.filter(source_type="petitions").order_by("id").first()
    p.refresh_from_db()
    return p, notice


@pytest.mark.parametrize("role", ROLES)
def test_petition_notice_and_hotline_page_per_role(role, petition_world, with_expert, users, client_for, units):
    from luoshi.petitions.scope import visible_petitions

    p, notice = petition_world
    c = client_for(role)
    may_read = visible_petitions(users[role]).filter(pk=p.pk).exists()
    urls = ["/", "/supervision/notices/", "/supervision/workspace/", "/supervision/dashboard/?format=json",
            "/supervision/inbox/", "/api/notices/", "/api/inbox/", f"/supervision/notices/{notice.pk}/",
            f"/supervision/notices/{notice.pk}/pdf/", f"/api/notices/{notice.pk}/", "/audit/", "/api/audit/",
            "/petitions/hotline/"]
    seen = False
    for url in urls:
        r = c.get(url)
        assert r.status_code < 500, (role, url, r.status_code)
        if r.status_code >= 300:
            continue
        text = _text(r)
        assert PETITIONER not in text, (role, url)                  # the petitioner: never, for anyone
        if not may_read:
            assert p.number not in text and PETITION_TITLE not in text, (role, url)
        seen = seen or notice.number in text
    assert seen == may_read, (role, may_read)
    assert may_read == (role in {"supervisor", "admin", "fgw", "leader"})
    hotline = c.get("/petitions/hotline/")
    assert hotline.status_code == (200 if role in HOTLINE_ROLES else 403), role


# ---- issue 9: the /supervision/ overview and the 领导's red/yellow list, per role, on contents ----------------

LIGHT_LIST = {"supervisor", "admin", "leader", "jia_leader"}  # /supervision/lights/ and /api/lights/


@pytest.mark.parametrize("role", ROLES)
def test_overview_and_red_list_per_role(role, world, users, client_for):
    user = users[role]
    readable = {t.pk for t in visible_tasks(user)}
    mine = [t for t in world.values() if t.pk in readable]
    c = client_for(role)
    r = c.get("/supervision/")
    assert r.status_code == 200
    html = _text(r)
    assert "督办总览" in html and "本月按时办结率" in html
    # every task of the world is red: the overview counts exactly the reader's, and lists them by number
    from luoshi.supervision.models import SupervisionState

    reds = SupervisionState.objects.filter(task__in=readable, light="red").count()
    assert f'<span class="tile-n">{reds}</span><span class="tile-l">红灯(逾期)' in html
    for t in mine[:10]:
        assert t.number in html, (role, t.number)
    # 督办单 awaiting an answer: the ones the reader may see, none other
    from luoshi.supervision.notices import visible_notices

    assert f"共{visible_notices(user).exclude(state='accepted').count()}份" in html
    r = c.get("/supervision/lights/")
    api = c.get("/api/lights/")
    if role in LIGHT_LIST:
        assert r.status_code == 200 and api.status_code == 200
        listed = {row["task"]["id"] for row in api.json()["results"]}
        assert listed == {t.pk for t in mine}
        page = _text(r)
        for t in mine:
            assert t.number in page and "已逾期" in page
        assert ("签发督办单" in page) == user.sees_everything
    else:
        assert r.status_code == 403 and api.status_code == 403


# ---- issue 9: the type-ahead unit search offers exactly the units a role may choose -----------------------------

@pytest.mark.parametrize("role", ROLES)
def test_unit_search_per_role(role, world, users, units, client_for):
    from luoshi.orgs.services import subtree_ids

    user = users[role]
    c = client_for(role)
    everyone = set(Unit.objects.filter(is_active=True).values_list("pk", flat=True))
    expect = {
        "supervisor": everyone, "admin": everyone, "discipline": everyone, "leader": everyone,
        "jia_leader": subtree_ids(units["jia"].pk),
        "fgw": {units["fgw"].pk}, "edu": {units["edu"].pk}, "jia": subtree_ids(units["jia"].pk),
        "dong": {units["dong"].pk}, "yi": subtree_ids(units["yi"].pk),
    }.get(role)
    r = c.get("/api/units/search/", {"q": "", "limit": 50})
    if expect is None:  # 话务员, 派遣员, 检查员 read no ledger units
        assert r.status_code == 403 and r.json()["detail_zh"]
    else:
        assert r.status_code == 200
        assert {u["id"] for u in r.json()["results"]} == expect
        # a search never reaches past the scope, whatever the text
        got = {u["id"] for u in c.get("/api/units/search/", {"q": "人民政府"}).json()["results"]}
        assert got <= expect
    # each domain has its own reach: 派遣员 choose any unit for a case, 检查员 for an inspection
    cases = c.get("/api/units/search/", {"q": "", "domain": "cases", "limit": 50})
    assert cases.status_code == (200 if role in ("supervisor", "admin", "operator", "dispatcher", "leader",
                                                   "jia_leader", "fgw", "edu", "jia", "dong", "yi") else 403)


# ---- uploaded files and review drafts --------------------------------------------------------------
# One object with a file in every app that serves files: ledger (任务来源 attachment, 进展反馈 attachment),
# review (讲话稿 draft page and its original file), cases (complaint photo: original with EXIF, and the
# public re-encoded copy), inspections (暗访 evidence, before and after the plan is published) and assessment
# (佐证材料 of a reported figure). Petitions and accountability keep no uploaded files (nothing to serve).
# A reader entitled by the app's one rule gets 200 and exactly the stored bytes; anyone else 403/404 (or
# the login redirect) and not one byte of the file, nor the draft's text. The rules are pinned by hand
# where it matters most (the inspected unit before publication, a co-unit, the unit a complaint is about).

SECRET_DRAFT = "保密讲话稿专属句子"


def _jpeg(color, gps=True) -> bytes:
    im = Image.new("RGB", (40, 30), color)
    ex = Image.Exif()
    if gps:
        ex.get_ifd(0x8825).update({1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 30.0)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=ex)
    return buf.getvalue()


def _body(resp) -> bytes:
    return b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content


@pytest.fixture
def files(with_expert, units):
    """{name: (url, stored bytes, who may read it: set of role names)} and the objects behind them."""
    users = with_expert
    from luoshi.assessment import services as asvc
    from luoshi.cases.models import CasePhoto, Category, Kind, LimitUnit, RoutingRule
    from luoshi.cases.services import do_create_case
    from luoshi.inspections import services as isvc
    from luoshi.inspections.models import Evidence
    from luoshi.review.services import do_create_draft

    sup = users["supervisor"]
    out = {}
    # ledger: a source with an attachment and a progress report with one, on a task of fgw (co-unit edu)
    src_bytes = b"%PDF-1.4 source attachment \xe6\x9d\xa5\xe6\xba\x90 SECRET-SOURCE"
    source = do_create_source(sup, title="保密来源", attachment=SimpleUploadedFile("laiyuan.pdf", src_bytes))
    task = do_create_task(sup, title="保密附件任务", lead_units=[units["fgw"]], co_units=[units["edu"]],
                          deadline=dt.date.today() + dt.timedelta(days=60), assign=True, source=source)
    task = do_sign_task(users["fgw"], task)
    rep_bytes = b"progress attachment SECRET-REPORT \x00\x01"
    do_report_progress(users["fgw"], task, text="已完成一半", percent=50,
                       attachment=SimpleUploadedFile("jinzhan.txt", rep_bytes))
    report = ProgressReport.objects.get(task=task)
    readers = {r for r in ROLES if visible_tasks(users[r]).filter(pk=task.pk).exists()}
    assert {"supervisor", "admin", "fgw", "edu"} <= readers and "yi" not in readers and "operator" not in readers
    out["ledger-source"] = (f"/sources/{source.pk}/attachment/", src_bytes, readers | {"supervisor", "admin"})
    out["ledger-report"] = (f"/reports/{report.pk}/attachment/", rep_bytes, readers)

    # review: a draft made from an uploaded file (kept as the original)
    speech = (f"{dt.date.today().year + 1}年工作要点\n一、主要任务\n{SECRET_DRAFT},市发改委牵头,6月底前完成。\n").encode()
    draft = do_create_draft(sup, data=speech, filename="jianghua.txt")
    reviewers = {r for r in ROLES if users[r].sees_everything}
    assert reviewers >= {"supervisor", "admin"} and "leader" not in reviewers
    out["review-draft"] = (f"/review/{draft.pk}/", SECRET_DRAFT.encode(), reviewers)
    out["review-file"] = (f"/review/{draft.pk}/file/", speech, reviewers)

    # cases: a 效能投诉 about fgw with a photo (original keeps EXIF/GPS, the public copy does not)
    slow = Category.objects.create(code="XN-SLOW", name="慢作为", kind=Kind.COMPLAINT, limit_value=5,
                                   limit_unit=LimitUnit.WORKING_DAYS)
    RoutingRule.objects.create(category=slow, area=None, unit=units["duchashi"])
    photo_bytes = _jpeg((10, 200, 10))
    case, _code = do_create_case(users["operator"], kind="complaint", category="XN-SLOW",
                                 description="窗口人员推诿,多次往返", subject_unit="市发改委", address="市民中心",
                                 reporter_name="陈秘密", reporter_phone="13912345678",
                                 photos=[SimpleUploadedFile("p.jpg", photo_bytes, content_type="image/jpeg")])
    photo = CasePhoto.objects.get(case=case)
    from luoshi.cases import permissions as cperm

    can_read = {r for r in ROLES if cperm.can_read(users[r], case)}
    can_see = {r for r in ROLES if cperm.can_see_reporter(users[r], case)}
    assert "fgw" not in can_see  # the unit complained about never gets the original (GPS, EXIF)
    out["case-photo-original"] = (f"/cases/photos/{photo.pk}/original/", photo_bytes, can_read & can_see)
    out["case-photo-public"] = (f"/cases/photos/{photo.pk}/public/", photo.public.open("rb").read(), can_read)

    # inspections: an unannounced visit of fgw with a photo; invisible to fgw until published
    inspector = users["inspector"]
    checklist = isvc.do_save_checklist(sup, name="窗口作风检查表", items=isvc.DEFAULT_ITEMS)
    plan = isvc.do_create_plan(sup, title="保密暗访", mode="unannounced", checklist=checklist,
                               units=[units["fgw"]], inspectors=[inspector], start_on=dt.date(2026, 3, 2),
                               end_on=dt.date(2026, 3, 6), places="市民中心")
    items = list(plan.checklist.items.all())
    ev_bytes = _jpeg((200, 10, 10))
    answers = {i.pk: ("ok", "") for i in items}
    answers[items[0].pk] = ("problem", "窗口工作人员离岗20分钟")  # a finding: its photo is the evidence
    isvc.do_record_visit(inspector, plan, unit=units["fgw"], answers=answers, files=[("a.jpg", ev_bytes)],
                         severities={items[0].pk: "serious"})
    evidence = Evidence.objects.get()
    from luoshi.inspections.scope import visible_evidence

    ev_readers = {r for r in ROLES if visible_evidence(users[r]).filter(pk=evidence.pk).exists()}
    assert "fgw" not in ev_readers and "inspector" in ev_readers
    out["inspection-evidence"] = (f"/inspections/evidence/{evidence.pk}/", evidence.file.open("rb").read(),
                                  ev_readers)

    # assessment: a reported figure of fgw with its evidence file
    plan = asvc.do_save_plan(sup, code="KH-DL", name="考核", period=str(dt.date.today().year), group="city_dept",
                             missing_policy="zero")
    ind = asvc.do_save_indicator(sup, plan, parent=None, code="1", name="能耗下降率", weight=100,
                                 method="reported", kind="scored", params={"rule": "target", "target": 3}, cap=None)
    fig_bytes = b"evidence of the figure SECRET-FIGURE"
    fig = asvc.do_submit_figure(users["fgw"], ind, 3.5, note="统计局核定", unit=units["fgw"],
                                evidence=SimpleUploadedFile("zuozheng.txt", fig_bytes))
    fig_readers = {r for r in ROLES if asvc.visible_figures(users[r]).filter(pk=fig.pk).exists()}
    assert "fgw" in fig_readers and "edu" not in fig_readers
    out["assessment-figure"] = (f"/assessment/figures/{fig.pk}/", fig_bytes, fig_readers)
    # assessment: fgw appeals its published score with an evidence file (申诉材料)
    asvc.do_review_figure(sup, fig, accept=True)
    run = asvc.do_publish_run(sup, asvc.do_run_scores(sup, plan))
    item = run.units.get(unit=units["fgw"]).items.get(indicator__code="1")
    appeal_bytes = b"appeal evidence SECRET-APPEAL \x00\x02"
    appeal = asvc.do_submit_appeal(users["fgw"], item, "能耗数据已经统计局核定,请复核",
                                   evidence=SimpleUploadedFile("shensu.txt", appeal_bytes))
    appeal_readers = {r for r in ROLES if asvc.visible_appeals(users[r]).filter(pk=appeal.pk).exists()}
    assert {"fgw", "supervisor", "admin"} <= appeal_readers and "edu" not in appeal_readers
    assert "expert" not in appeal_readers and "operator" not in appeal_readers
    out["assessment-appeal"] = (f"/assessment/appeals/{appeal.pk}/evidence/", appeal_bytes, appeal_readers)
    out["_objects"] = {"plan": plan, "inspection_plan": evidence.record.plan, "evidence": evidence}
    return out


@pytest.mark.parametrize("role", ROLES)
def test_every_download_and_draft_is_served_to_its_readers_only(role, files, users, client_for):
    from django.test import Client

    c = Client()
    c.force_login(users[role])
    for name, value in files.items():
        if name.startswith("_"):
            continue
        url, stored, readers = value
        r = c.get(url)
        body = _body(r)
        assert r.status_code < 500, (role, name, r.status_code)
        if role in readers:
            assert r.status_code == 200, (role, name, r.status_code)
            if name == "review-draft":
                assert stored.decode() in body.decode()
            else:
                assert body == stored, (role, name, "served bytes differ from the stored file")
        else:
            assert r.status_code in (302, 403, 404), (role, name, r.status_code)
            assert stored[:64] not in body, (role, name, "file bytes leaked")
            if name.startswith("review"):
                assert SECRET_DRAFT.encode() not in body, (role, name)


def test_inspected_unit_gets_the_evidence_only_after_publication(files, users):
    from django.test import Client

    from luoshi.inspections.services import do_publish_plan

    url, stored, _ = files["inspection-evidence"]
    fgw, edu = Client(), Client()
    fgw.force_login(users["fgw"])
    edu.force_login(users["edu"])
    assert fgw.get(url).status_code == 404
    do_publish_plan(users["supervisor"], files["_objects"]["inspection_plan"])
    r = fgw.get(url)
    assert r.status_code == 200 and _body(r) == stored
    assert edu.get(url).status_code == 404  # another unit: still nothing


def test_anonymous_gets_no_file(files):
    from django.test import Client

    for name, value in files.items():
        if name.startswith("_"):
            continue
        r = Client().get(value[0])
        assert r.status_code in (302, 403, 404), (name, r.status_code)
        assert value[1][:64] not in _body(r)
