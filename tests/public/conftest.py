"""A city with public and internal data side by side, for the portal tests. Every internal text is a
sentinel the crawl must never meet."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_user

D = dt.date
SECRETS = {
    "requirement": "内部要求XQ7731",
    "leader": "内部领导RL5512",
    "report": "内部进展报告RP8841",
    "problems": "内部存在问题PB2290",
    "hidden_title": "未公开事项HT4417",
    "facts": "未通报问题事实FX6620",
    "draft_bulletin": "未公开通报DB9935",
    "person1": "张三丰",
    "person2": "李四海",
    "person3": "王五一",
    "post": "未通报职务PS1188",
    "decision_number": "市纪〔2026〕98号",
    "draft_plan": "未发布考核方案DP5521",
    "case_text": "井盖缺失诉求内容CT7710",
    "case_address": "幸福小区9栋AD3381",
    "reporter": "陈秘密",
}


@pytest.fixture
def city(users, units, make_task):
    from luoshi.accountability.services import (do_add_person, do_create_bulletin, do_decide, do_propose,
                                                do_publish_bulletin)
    from luoshi.ledger.models import Task
    from luoshi.ledger.services import do_report_progress, do_set_task_public, do_sign_task
    from luoshi.supervision.escalation import do_save_policy
    from luoshi.supervision.sweep import run_sweep

    sup = users["supervisor"]
    officer = make_user("jijian", "discipline", units["city"], display_name="纪检员")
    # 民生实事, public, with internal fields filled in
    pub = make_task(title="新建城区公办幼儿园5所", lead=("edu",), requirement=SECRETS["requirement"],
                    responsible_leader=SECRETS["leader"])
    do_sign_task(users["edu"], pub)
    do_report_progress(users["edu"], pub, text=SECRETS["report"], percent=40, problems=SECRETS["problems"])
    do_set_task_public(sup, pub, kind="livelihood", note="已完成3所主体建设,其余2所正在施工。")
    commit = make_task(title="政务服务事项全部实现一网通办", lead=("fgw",))
    do_set_task_public(sup, commit, kind="commitment", note="已上线办理事项1200项。")
    # listed (挂牌督办) but not public: a red task whose ladder lists it the first day
    do_save_policy(sup, name="挂牌", tag="挂牌", steps=[{"kind": "listed", "after_days": 0}])
    listed = make_task(title="老旧小区改造年度任务", lead=("fgw",), tags=["挂牌"], requirement=SECRETS["requirement"],
                       assign=False, deadline_working_days=20)  # 交办 needs a deadline; the real one is set below
    from luoshi.ledger.services import do_assign_task

    do_assign_task(sup, listed, on=D(2025, 2, 3))
    Task.objects.filter(pk=listed.pk).update(deadline=D(2025, 3, 14), original_deadline=D(2025, 3, 14), progress=30)
    hidden = make_task(title=SECRETS["hidden_title"], lead=("fgw",))
    run_sweep(D(2025, 3, 17))
    # a decided proposal, a published bulletin (masked) and a draft one
    p = do_propose(sup, cause_type="manual", unit=units["fgw"], task=listed, facts="老旧小区改造滞后,张三丰未按期推进。")
    a = do_add_person(officer, p, name=SECRETS["person1"], post="项目科科长", unit=units["fgw"],
                      responsibility="direct")
    b = do_add_person(officer, p, name=SECRETS["person2"], post="副主任", unit=units["fgw"],
                      responsibility="main_leader")
    do_decide(officer, p, decision_number="市纪〔2026〕99号", on=dt.date.today(),
              measures={a.pk: "criticism", b.pk: "admonition"})
    # decided but never published in a bulletin
    q = do_propose(sup, cause_type="manual", unit=units["edu"], facts=SECRETS["facts"])
    c = do_add_person(officer, q, name=SECRETS["person3"], post=SECRETS["post"], unit=units["edu"],
                      responsibility="direct")
    do_decide(officer, q, decision_number=SECRETS["decision_number"], on=dt.date.today(), measures={c.pk: "removal"})
    published = do_create_bulletin(officer, title="关于几起作风效能典型问题的通报", proposals=[p])
    do_publish_bulletin(officer, published)
    do_create_bulletin(officer, title=SECRETS["draft_bulletin"], proposals=[p])
    # assessment: one published run, one plan with only a draft run
    from luoshi.assessment import services as asvc

    plan = asvc.do_save_plan(sup, code="KH-PUB", name="市直部门年度考核", period=str(dt.date.today().year),
                             group="city_dept")
    asvc.do_save_indicator(sup, plan, code="1", name="按时办结率", weight=100, method="ledger.on_time_rate")
    asvc.do_publish_run(sup, asvc.do_run_scores(sup, plan))
    draft = asvc.do_save_plan(sup, code="KH-DRAFT", name=SECRETS["draft_plan"], period=str(dt.date.today().year),
                              group="city_dept")
    asvc.do_save_indicator(sup, draft, code="1", name="按时办结率", weight=100, method="ledger.on_time_rate")
    asvc.do_run_scores(sup, draft)
    # a 12345 case and a 效能投诉 with a reporter (never on the portal but in the statistics)
    from luoshi.cases.models import Category, Kind, LimitUnit
    from luoshi.cases.services import do_create_case

    operator = make_user("rexian", "operator", units["duchashi"], display_name="刘话务")
    road = Category.objects.create(code="CG-ROAD", name="道路破损", kind=Kind.PROBLEM, limit_value=24,
                                   limit_unit=LimitUnit.HOURS)
    do_create_case(operator, category=road, description=SECRETS["case_text"], address=SECRETS["case_address"],
                   reporter_name=SECRETS["reporter"], reporter_phone="13912345678")
    return {"public": pub, "commit": commit, "listed": listed, "hidden": hidden, "proposal": p,
            "bulletin": published, "officer": officer}
