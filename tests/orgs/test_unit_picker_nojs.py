"""Issue 9, "Finding things": unit choosers without JavaScript in a large organisation (more than 300 units).

The page carries only the chosen units as <option>s plus a text box; the server resolves a typed full name,
short name or alias; a name that fits several units or none brings the form back with a Chinese message
naming the ranked candidates (also offered as options). Plus the plan editor's restriction
(GET /api/units/search/?members_of=<plan>) and the checks of every hand-written chooser."""
from __future__ import annotations

import re

import pytest

from luoshi.ledger.models import Task
from luoshi.orgs.models import Unit, UnitKind
from luoshi.orgs.services import resolve_unit_text
from luoshi.orgs.widgets import MANY

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(units):
    """320 more towns under 乙县: 330 active units in all."""
    Unit.objects.bulk_create([Unit(name=f"乙县第{i:03d}村民委员会", kind=UnitKind.TOWN, parent=units["yi"],
                                   short_names=[f"第{i:03d}村"], sort_order=1000 + i) for i in range(320)])
    assert Unit.objects.filter(is_active=True).count() > MANY
    return units


def n_options(html: str, name: str) -> int:
    m = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert m, name
    return m.group(1).count("<option")


def test_resolve_names(big):
    assert resolve_unit_text("市发改委") == big["fgw"]                       # alias
    assert resolve_unit_text("东街道") == big["dong"]                        # short name
    assert resolve_unit_text("甲区") == big["jia"]                           # exact short name beats the rest
    assert resolve_unit_text("第007村") == Unit.objects.get(name="乙县第007村民委员会")
    with pytest.raises(Exception) as exc:
        resolve_unit_text("发展和改革")                                     # two units contain it
    assert "对应2个单位" in exc.value.message_zh and exc.value.suggestions[0][1] == "市发展和改革委员会"
    with pytest.raises(Exception) as exc:
        resolve_unit_text("市发改局")                                       # no name contains it: fuzzy guesses
    assert "没有名称、简称或别名为“市发改局”的可选单位" in exc.value.message_zh
    assert "市发展和改革委员会" in exc.value.message_zh
    with pytest.raises(Exception) as exc:
        resolve_unit_text("东街道", within={big["fgw"].pk})                 # outside the allowed set
    assert "没有名称" in exc.value.message_zh


def test_task_form_without_javascript(big, client_for):
    c = client_for("supervisor")
    html = c.get("/tasks/new/").content.decode()
    assert n_options(html, "lead_units") == 0 and n_options(html, "co_units") == 0
    assert 'name="lead_units__name"' in html and 'name="co_units__name"' in html
    form = {"title": "优化营商环境", "deadline_mode": "none", "priority": "2", "recurrence_mode": "none",
            "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"}
    # two units fit: the form comes back with the message, the candidates as options and the text kept
    r = c.post("/tasks/new/", {**form, "lead_units__name": "发展和改革"})
    assert r.status_code in (200, 400)
    page = r.content.decode()
    assert "“发展和改革”对应2个牵头单位" in page and "请输入完整名称、简称或别名" in page
    assert n_options(page, "lead_units") == 2 and "市发展和改革委员会(候选)" in page
    assert 'value="发展和改革"' in page
    assert not Task.objects.filter(title="优化营商环境").exists()
    # nothing fits
    r = c.post("/tasks/new/", {**form, "lead_units__name": "不存在的局"})
    assert "没有名称、简称或别名为“不存在的局”的可选牵头单位" in r.content.decode()
    # an alias and a short name (、 between them), a co-unit by its full name, and a candidate picked
    r = c.post("/tasks/new/", {**form, "lead_units__name": "市发改委、东街道", "co_units__name": "乙县第011村民委员会",
                               "lead_units": [str(big["edu"].pk)]})
    assert r.status_code == 302, r.content.decode()[:3000]
    task = Task.objects.get(title="优化营商环境")
    assert set(task.lead_units.all()) == {big["fgw"], big["dong"], big["edu"]}
    assert [u.name for u in task.co_units.all()] == ["乙县第011村民委员会"]
    # the edit page carries just the chosen units
    html = c.get(f"/tasks/{task.pk}/edit/").content.decode()
    assert n_options(html, "lead_units") == 3 and n_options(html, "co_units") == 1


def test_small_organisation_keeps_the_full_select(units, client_for):
    html = client_for("supervisor").get("/tasks/new/").content.decode()
    assert n_options(html, "lead_units") == Unit.objects.filter(is_active=True).count()
    assert "lead_units__name" not in html


def test_members_of_restricts_the_search(big, client_for):
    from luoshi.assessment.models import Plan

    plan = Plan.objects.create(name="2026年度区县考核", period="2026", group="county")
    c = client_for("supervisor")
    r = c.get("/api/units/search/", {"members_of": str(plan.pk), "q": "", "limit": "50"})
    assert r.status_code == 200
    assert {x["name"] for x in r.json()["results"]} == {"甲区人民政府", "乙县人民政府"}   # the 区县 group only
    r = c.get("/api/units/search/", {"members_of": str(plan.pk), "q": "发改"})
    assert r.json()["results"] == []
    for bad in ("abc", "999999"):
        r = c.get("/api/units/search/", {"members_of": bad})
        assert r.status_code == 400 and r.json()["field"] == "members_of" and r.json()["detail_zh"], r.json()
    r = client_for("fgw").get("/api/units/search/", {"members_of": str(plan.pk)})
    assert r.status_code == 403 and r.json()["detail_zh"]


def test_plan_editor_choosers_take_members_only(big, client_for):
    from luoshi.assessment.models import GroupMembership, Plan

    plan = Plan.objects.create(name="2026年度区县考核", period="2026", group="county")
    c = client_for("supervisor")
    html = c.get(f"/assessment/plans/{plan.pk}/").content.decode()
    assert f'data-members-of="{plan.pk}"' in html
    assert n_options(html, "unit") == 3   # 请选择 and the two members, not 330 units
    # 调整考核分组 by a typed name, restricted to the members
    r = c.post(f"/assessment/plans/{plan.pk}/do/move/", {"unit__name": "市教育局", "group": "county",
                                                      "since": "2026-01-01"}, follow=True)
    assert "没有名称、简称或别名为“市教育局”的可选单位" in r.content.decode()
    r = c.post(f"/assessment/plans/{plan.pk}/do/move/", {"unit": str(big["edu"].pk), "group": "county",
                                                      "since": "2026-01-01"}, follow=True)
    assert "所选单位不存在或不可选" in r.content.decode()
    assert not GroupMembership.objects.filter(unit=big["edu"]).exists()


def test_hand_written_choosers_at_330_units(big, client_for, users):
    """Every hand-written chooser carries the chosen units only, and resolves a typed name."""
    c = client_for("supervisor")
    html = c.get("/assessment/letters/").content.decode()
    assert n_options(html, "unit") <= 1 and 'name="unit__name"' in html
    html = c.get("/inspections/plans/new/").content.decode()
    assert n_options(html, "units") == 0 and 'name="units__name"' in html
    r = c.post("/inspections/plans/new/", {"title": "暗访", "mode": "unannounced", "units__name": "发展和改革",
                                          "start_on": "2026-05-01", "end_on": "2026-05-02"})
    page = r.content.decode()
    assert r.status_code == 400 and "对应2个被检查单位" in page and 'value="发展和改革"' in page


def test_petition_and_accountability_by_typed_name(big, client_for):
    import datetime as dt

    from luoshi.accountability.models import Proposal
    from luoshi.petitions import services as psvc

    c = client_for("supervisor")
    pet = psvc.do_register_petition(_user("duchayuan"), channel="visit", name="张三丰",
                                    title="小区加装电梯补贴未发放", content="补贴至今未发放。",
                                    received_on=dt.date(2026, 3, 2))
    html = c.get(f"/petitions/{pet.pk}/").content.decode()
    assert n_options(html, "unit") == 1 and 'name="unit__name"' in html        # the empty choice only
    r = c.post(f"/petitions/{pet.pk}/do/assign/", {"unit__name": "发展和改革", "mode": "assign"}, follow=True)
    assert "“发展和改革”对应2个承办单位" in r.content.decode()
    pet.refresh_from_db()
    assert pet.handling_unit_id is None
    c.post(f"/petitions/{pet.pk}/do/assign/", {"unit__name": "市发改委", "mode": "assign"})
    pet.refresh_from_db()
    assert pet.handling_unit_id == big["fgw"].pk
    # 问责建议: the unit by its short name; a bad id is refused in Chinese
    r = c.post("/accountability/new/", {"unit__name": "东街道", "facts": "未按期完成整改", "cause_label": "整改不力"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Proposal.objects.get().unit_id == big["dong"].pk
    r = c.post("/accountability/new/", {"unit": "99999", "facts": "x", "cause_label": "y"})
    assert r.status_code == 400 and "所选责任单位不存在或不可选" in r.content.decode()
    r = c.post("/accountability/new/", {"unit__name": "不存在的局", "facts": "x", "cause_label": "y"})
    assert r.status_code == 400 and 'value="不存在的局"' in r.content.decode()


def _user(username):
    from luoshi.accounts.models import User

    return User.objects.get(username=username)


def test_inspection_plan_unit_set(units, users, client_for):
    import datetime as dt

    from luoshi.inspections import services as isvc
    from tests.conftest import make_user

    inspector = make_user("jianchayuan", "inspector", units["duchashi"])
    other = make_user("jianchayuan2", "inspector", units["duchashi"])
    cl = isvc.do_save_checklist(users["supervisor"], name="窗口检查表", items=isvc.DEFAULT_ITEMS)
    plan = isvc.do_create_plan(users["supervisor"], title="窗口暗访", mode="unannounced", checklist=cl,
                               units=[units["fgw"], units["edu"]], inspectors=[inspector],
                               start_on=dt.date(2026, 3, 2), end_on=dt.date(2026, 3, 6))
    c = client_for("supervisor")
    c.force_login(inspector)
    r = c.get("/api/units/search/", {"inspection_plan": str(plan.pk), "domain": "inspections"})
    assert r.status_code == 200 and {x["name"] for x in r.json()["results"]} == {"市发展和改革委员会", "市教育局"}
    c.force_login(other)   # not on the plan: answered as if the plan did not exist (unannounced)
    r = c.get("/api/units/search/", {"inspection_plan": str(plan.pk), "domain": "inspections"})
    assert r.status_code == 400 and r.json()["detail_zh"] == "检查计划不存在"
    c.force_login(users["fgw"])   # the inspected unit learns nothing either
    r = c.get("/api/units/search/", {"inspection_plan": str(plan.pk), "domain": "inspections"})
    assert r.status_code in (400, 403) and "暗访" not in r.content.decode()


def test_review_unmatched_name_offers_candidates_not_every_unit(big):
    from luoshi.review.views import unit_options_html

    fgw = big["fgw"]
    html = unit_options_html([(fgw, 91.0)])
    assert html.count("<option") == 3 and "市发展和改革委员会" in html and "忽略此名称" in html
    assert "从相近单位中选择" in html


def test_review_small_organisation_lists_every_unit(units):
    from luoshi.review.views import unit_options_html

    assert unit_options_html().count("<option") == 2 + Unit.objects.filter(is_active=True).count()


def test_admin_unit_fields_are_autocompletes(big, client_for):
    """The admin's unit fields search by name, short name and alias instead of listing 330 units."""
    from django.contrib import admin
    from django.core import checks

    from luoshi.cases.models import RoutingRule

    c = client_for("admin")
    html = c.get("/admin/cases/routingrule/add/").content.decode()
    assert "乙县第001村民委员会" not in html and "admin-autocomplete" in html
    r = c.get("/admin/autocomplete/", {"term": "发改委", "app_label": "cases", "model_name": "routingrule",
                                       "field_name": "unit"})
    assert r.status_code == 200 and [x["text"] for x in r.json()["results"]] == ["市发展改革委"]
    errors = [e for e in checks.run_checks() if e.level >= checks.ERROR]
    assert not errors, errors
    assert "unit" in admin.site._registry[RoutingRule].autocomplete_fields
