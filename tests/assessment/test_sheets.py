"""专家评分表: named raters log in as 考核专家 and fill only their own sheet (the units the office assigned them ×
the plan's expert indicators); submitted scores count, with the highest and lowest dropped when there are
enough raters; every write audited; nobody else reads a sheet."""
from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.accounts.models import Role, User
from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.assessment.models import ExpertScore, ScoreSheet
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.notifications.models import Notification

from .conftest import AS_OF, text

pytestmark = pytest.mark.django_db
RATERS = ["刘评委", "陈评委", "杨评委", "黄评委", "赵评委"]


@pytest.fixture
def experts(db):
    return [User.objects.create_user(username=f"expert{n}", password="x-pw-123456", role=Role.EXPERT,
                                     display_name=name) for n, name in enumerate(RATERS)]


@pytest.fixture
def eplan(office):
    plan = svc.do_save_plan(office, code="KH-EXP", name="2025年度专家评议", period="2025", group="city_dept")
    plan.a = svc.do_save_indicator(office, plan, code="1", name="工作实绩", weight=60, method="expert")
    plan.b = svc.do_save_indicator(office, plan, code="2", name="创新举措", weight=40, method="expert")
    return plan


def fill(sheet, actor, values, submit=False):
    inds, units, _ = svc.sheet_grid(sheet)
    return svc.do_save_sheet(actor, sheet, [{"indicator": i.pk, "unit": u.pk, "score": values.get((i.code, u.name), ""),
                                             "note": ""} for i in inds for u in units], submit=submit)


def test_five_raters_fill_their_sheets_high_and_low_dropped(eplan, experts, office, units):
    city = [units["duchashi"], units["fgw"], units["edu"]]
    sheets = [svc.do_assign_sheet(office, eplan, e, city) for e in experts]
    for sheet, score in zip(sheets, (60, 80, 85, 90, 100)):
        fill(sheet, sheet.rater, {(c, u.name): score for c in ("1", "2") for u in city}, submit=True)
    c = scoring.compute(eplan, as_of=AS_OF)
    fgw = next(s for s in c.units if s.unit == units["fgw"])
    # (80 + 85 + 90) / 3 = 85 → 60 × 0.85 = 51 and 40 × 0.85 = 34
    assert [(i.value, i.rows, i.points) for i in fgw.items] == [(Decimal("85.0000"), 5, Decimal("51.00")),
                                                                (Decimal("85.0000"), 5, Decimal("34.00"))]
    assert fgw.total == Decimal("85.00")
    assert all(s.state == "submitted" for s in ScoreSheet.objects.all())
    rows = svc.card_rows(svc.do_run_scores(office, eplan, as_of=AS_OF).units.get(unit=units["fgw"]).items.first(),
                         eplan.runs.get())
    assert [r["label"] for r in rows][:2] == ["刘评委:60分", "杨评委:85分"] and rows[0]["detail"] == "评分表提交"


def test_only_submitted_sheets_count_and_a_submitted_sheet_is_locked(eplan, experts, office, units):
    sheet = svc.do_assign_sheet(office, eplan, experts[0], [units["fgw"], units["edu"]])
    fill(sheet, experts[0], {("1", "市发展和改革委员会"): "70"})
    fgw = lambda: next(s for s in scoring.compute(eplan, as_of=AS_OF).units if s.unit == units["fgw"])  # noqa: E731
    assert fgw().items[0].value is None  # saved, not submitted: does not count (plan: missing → zero)
    with pytest.raises(LuoshiError) as e:  # every cell needs a score before submitting
        fill(sheet, experts[0], {}, submit=True)
    assert "还有3项未评分" in e.value.message_zh
    fill(sheet, experts[0], {(c, n): "75" for c in ("1", "2") for n in ("市发展和改革委员会", "市教育局")}, submit=True)
    assert fgw().items[0].value == Decimal("75.0000")
    with pytest.raises(LuoshiError) as e:
        fill(sheet, experts[0], {("1", "市教育局"): "99"})
    assert "已提交" in e.value.message_zh
    svc.do_reopen_sheet(office, sheet, "请复核创新举措评分")
    assert fgw().items[0].value is None  # reopened: out until submitted again
    assert Notification.objects.filter(user=experts[0], title__contains="已退回").exists()
    fill(sheet, experts[0], {("2", "市教育局"): "88"}, submit=True)
    assert ExpertScore.objects.get(sheet=sheet, indicator__code="2", unit=units["edu"]).score == 88
    actions = list(AuditEntry.objects.filter(action__startswith="assessment.sheet.").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["assessment.sheet.assign", "assessment.sheet.save", "assessment.sheet.submit",
                       "assessment.sheet.reopen", "assessment.sheet.submit"]
    last = AuditEntry.objects.filter(action="assessment.sheet.submit").order_by("-seq").first()
    assert last.after["scores"] == {"2 市教育局": {"from": "75.00", "to": "88"}}


def test_a_rater_writes_only_their_own_sheet(eplan, experts, office, users, units):
    mine = svc.do_assign_sheet(office, eplan, experts[0], [units["fgw"]])
    svc.do_assign_sheet(office, eplan, experts[1], [units["edu"]])
    for actor in (experts[1], office, users["fgw"], users["leader"]):
        with pytest.raises(NotAllowed):
            fill(mine, actor, {("1", "市发展和改革委员会"): "80"})
    with pytest.raises(LuoshiError):  # a unit not on the sheet
        svc.do_save_sheet(experts[0], mine, [{"indicator": eplan.a.pk, "unit": units["edu"].pk, "score": "80"}])
    with pytest.raises(LuoshiError):  # out of range: nothing written
        fill(mine, experts[0], {("1", "市发展和改革委员会"): "80", ("2", "市发展和改革委员会"): "101"})
    assert not ExpertScore.objects.exists()
    # the office cannot type a score in the name of a rater who has a sheet
    with pytest.raises(LuoshiError):
        svc.do_record_expert_score(office, eplan.a, units["fgw"], "刘评委", 90)
    with pytest.raises(NotAllowed):
        svc.do_assign_sheet(users["fgw"], eplan, experts[2], [units["fgw"]])
    with pytest.raises(LuoshiError):  # only expert logins get sheets
        svc.do_assign_sheet(office, eplan, users["edu"], [units["fgw"]])
    with pytest.raises(LuoshiError):  # units outside the plan's group
        svc.do_assign_sheet(office, eplan, experts[2], [units["jia"]])
    fill(mine, experts[0], {("1", "市发展和改革委员会"): "80"})
    with pytest.raises(LuoshiError):  # a scored unit cannot leave the sheet
        svc.do_assign_sheet(office, eplan, experts[0], [units["edu"]])


def test_sheet_pages_per_role(eplan, experts, office, units, users, client_for):
    from django.test import Client

    mine = svc.do_assign_sheet(office, eplan, experts[0], [units["fgw"], units["edu"]])
    theirs = svc.do_assign_sheet(office, eplan, experts[1], [units["duchashi"]])
    other_plan = svc.do_save_plan(office, code="KH-OTHER", name="另一方案专家评议", period="2025", group="city_dept")
    svc.do_save_indicator(office, other_plan, code="1", name="保密专家指标", weight=100, method="expert")
    other = svc.do_assign_sheet(office, other_plan, experts[1], [units["edu"]])
    c = Client()
    c.force_login(experts[0])
    assert c.get("/").url == "/assessment/sheets/"  # the expert's start page
    page = text(c.get("/assessment/sheets/"))
    assert "2025年度专家评议" in page and "另一方案专家评议" not in page and "陈评委" not in page
    page = text(c.get(f"/assessment/sheets/{mine.pk}/"))
    assert "市教育局" in page and f'name="s_{eplan.a.pk}_{units["edu"].pk}"' in page and "提交评分表" in page
    for sheet in (theirs, other):
        assert c.get(f"/assessment/sheets/{sheet.pk}/").status_code == 404
        assert c.post(f"/assessment/sheets/{sheet.pk}/save/", {}).status_code == 404
    assert c.post(f"/assessment/sheets/{mine.pk}/reopen/", {"reason": "x"}).status_code == 403
    # the expert reads nothing else of assessment: no plans, no results
    assert c.get(f"/assessment/plans/{eplan.pk}/").status_code == 403
    assert "KH-EXP" not in text(c.get("/assessment/"))
    # filling and submitting through the page
    data = {f"s_{i}_{u}": "88" for i in (eplan.a.pk, eplan.b.pk) for u in (units["fgw"].pk, units["edu"].pk)}
    r = c.post(f"/assessment/sheets/{mine.pk}/save/", {**data, f"s_{eplan.b.pk}_{units['edu'].pk}": "abc"},
               follow=True)
    assert "必须是数字" in text(r) and not ExpertScore.objects.exists()
    r = c.post(f"/assessment/sheets/{mine.pk}/save/", {**data, "submit": "1"}, follow=True)
    assert "已提交" in text(r) and ExpertScore.objects.filter(sheet=mine).count() == 4
    assert 'name="s_' not in text(c.get(f"/assessment/sheets/{mine.pk}/"))  # locked
    # other roles: no sheet at all
    for role in ("fgw", "edu", "leader", "jia_leader", "operator", "inspector", "discipline"):
        rc = client_for(role)
        assert "刘评委" not in text(rc.get("/assessment/sheets/")), role
        assert rc.get(f"/assessment/sheets/{mine.pk}/").status_code == 404, role
    # the office sees every sheet, reopens one
    oc = client_for("supervisor")
    page = text(oc.get("/assessment/sheets/"))
    assert "刘评委" in page and "陈评委" in page
    assert "退回评分人修改" in text(oc.get(f"/assessment/sheets/{mine.pk}/"))
    oc.post(f"/assessment/sheets/{mine.pk}/reopen/", {"reason": "请复核"})
    assert ScoreSheet.objects.get(pk=mine.pk).state == "open"
    # assigning through the plan page
    r = oc.post(f"/assessment/plans/{eplan.pk}/do/sheet/", {"rater": experts[2].pk, "units": [units["fgw"].pk]})
    assert ScoreSheet.objects.filter(plan=eplan, rater=experts[2]).exists()
    assert "杨评委" in text(oc.get(f"/assessment/plans/{eplan.pk}/"))


def test_expert_pages_and_audit_speak_chinese(eplan, experts, office, units, client_for):
    import re

    from django.test import Client

    from tests.core.test_chinese_everywhere import UNTRANSLATED, crawl

    sheet = svc.do_assign_sheet(office, eplan, experts[0], [units["fgw"]])
    fill(sheet, experts[0], {(c, "市发展和改革委员会"): "90" for c in ("1", "2")}, submit=True)
    c = Client()
    c.force_login(experts[0])
    pages = crawl(c, ["/", "/assessment/sheets/", f"/assessment/sheets/{sheet.pk}/"])
    assert f"/assessment/sheets/{sheet.pk}/" in pages and len(pages) >= 3
    for path, html in pages.items():
        body = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
        assert not [p.pattern for p in UNTRANSLATED if p.search(body)], path
    audit = text(client_for("supervisor").get("/audit/"))
    assert "分配专家评分表" in audit and "提交专家评分表" in audit and "刘评委的评分表" in audit


def test_sheet_api(eplan, experts, office, units, api_for):
    from rest_framework.test import APIClient

    mine = svc.do_assign_sheet(office, eplan, experts[0], [units["fgw"]])
    theirs = svc.do_assign_sheet(office, eplan, experts[1], [units["edu"]])
    api = APIClient()
    api.force_authenticate(user=experts[0])
    assert [s["id"] for s in api.get("/api/assessment/sheets/").json()] == [mine.pk]
    assert api.get(f"/api/assessment/sheets/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/assessment/sheets/{theirs.pk}/", {"scores": []}, format="json").status_code == 404
    got = api.get(f"/api/assessment/sheets/{mine.pk}/").json()
    assert [i["code"] for i in got["indicators"]] == ["1", "2"] and got["units"] == [{"id": units["fgw"].pk,
                                                                                       "name": "市发展和改革委员会"}]
    cells = [{"indicator": i["id"], "unit": units["fgw"].pk, "score": "92", "note": "亮点突出"} for i in got["indicators"]]
    bad = api.post(f"/api/assessment/sheets/{mine.pk}/", {"scores": [{**cells[0], "score": "120"}]}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "score" and bad.json()["detail_zh"]
    r = api.post(f"/api/assessment/sheets/{mine.pk}/", {"scores": cells, "submit": True}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "submitted" and len(r.json()["scores"]) == 2
    # the office reads every sheet but cannot write one; other roles see none
    assert len(api_for("supervisor").get("/api/assessment/sheets/").json()) == 2
    assert api_for("supervisor").post(f"/api/assessment/sheets/{theirs.pk}/", {"scores": []},
                                      format="json").status_code == 403
    for role in ("fgw", "leader", "operator"):
        assert api_for(role).get("/api/assessment/sheets/").json() == [], role
        assert api_for(role).get(f"/api/assessment/sheets/{mine.pk}/").status_code == 404, role


def test_an_expert_login_from_the_users_command(eplan, office, units):
    from django.core.management import call_command

    call_command("users", "add", "zhou_expert", "--role", "expert", "--name", "周评委", "--password",
                 "pw-for-zhou-2026")
    zhou = User.objects.get(username="zhou_expert")
    assert zhou.is_expert and zhou.unit is None and zhou.get_role_display() == "考核专家"
    sheet = svc.do_assign_sheet(office, eplan, zhou, [units["edu"]])
    assert sheet.rater_name == "周评委"
