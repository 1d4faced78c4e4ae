"""Demo data for assessment (考核) in the demo city: a published plan for 市直部门 and one for 区县 this
year, reported figures (one with an evidence file, one returned) against each district's own 节能目标, expert scores (two 考核专家 logins fill their
own score sheets, three raters entered by the office), a 群众评议 survey with answers, bonus/deduction
entries and an appeal. Everything goes through the do_… services.

Uses the demo composer's context (luoshi.core.demo): ctx.rng, ctx.today, ctx.unit(name), ctx.supervisor,
ctx.liaison_of, ctx.users, ctx.add_user (the expert logins) and ctx.log."""
from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from . import scoring
from . import services as svc

# 考核专家 logins (password: the demo password), with the raters the office enters for people without one
EXPERTS = [("zhuanjia", "刘评委(考核专家)", "刘评委"), ("zhuanjia2", "陈评委(考核专家)", "陈评委")]
OFFICE_RATERS = ["杨评委", "黄评委", "赵评委"]


def _tree(office, plan, *, county: bool):
    add = lambda parent, **kw: svc.do_save_indicator(office, plan, parent=parent, **kw)  # noqa: E731
    work = add(None, code="1", name="重点工作落实", weight=50)
    add(work, code="1.1", name="督办事项按时办结率", weight=25, method="ledger.on_time_rate")
    add(work, code="1.2", name="逾期未办结事项", weight=15, method="ledger.overdue_count", params={"rule": "count", "per": 3})
    add(work, code="1.3", name="收到黄/红色督办单", weight=10, method="supervision.notices",
        params={"rule": "count", "per": 2})
    goals = add(None, code="2", name="目标任务完成", weight=30)
    energy = add(goals, code="2.1", name="单位GDP能耗下降率(%)" if county else "节能目标完成率(%)", weight=15,
                 method="reported", params={"rule": "target", "target": 3.2 if county else 100, "direction": "ge"},
                 description="以统计部门核定数为准,附佐证材料")
    add(goals, code="2.2", name="限期整改按时销号率", weight=15, method="supervision.rectification_on_time")
    expert = add(None, code="3", name="领导和专家评议", weight=10, method="expert")
    survey = add(None, code="4", name="群众满意度评议", weight=10, method="survey")
    bonus = add(None, code="5", name="争先创优加分", kind="bonus", method="manual", cap=3, params={"per": 1})
    deduct = add(None, code="6", name="明查暗访问题扣分", kind="deduct", method="manual", cap=5, params={"per": 1})
    add(None, code="7", name="红色督办单扣分", kind="deduct", method="supervision.red_notices", cap=3,
        params={"per": 0.5})
    veto = add(None, code="8", name="安全生产一票否决", kind="veto", method="manual")
    return {"energy": energy, "expert": expert, "survey": survey, "bonus": bonus, "deduct": deduct, "veto": veto}


def _letter(ctx, office, rng, today) -> int:
    """江城区's signed 目标责任状 for this year, with quarterly figures so far."""
    from . import letters as lt

    unit = ctx.unit("江城区")
    letter = lt.do_save_letter(
        office, unit, year=today.year, title=f"江城区{today.year}年度目标管理责任书",
        signatories=[{"role": "发包方", "name": "市长 王明远"}, {"role": "承包方", "name": "江城区区长 陈立新"}],
        targets=[{"name": "地区生产总值增速", "op": "ge", "target": "6.5", "measure_unit": "%", "weight": "30"},
                 {"name": "单位GDP能耗下降率", "op": "ge", "target": "3.2", "measure_unit": "%", "weight": "30"},
                 {"name": "生产安全事故起数", "op": "le", "target": "2", "measure_unit": "起", "weight": "20"},
                 {"name": "12345工单按期办结率", "op": "ge", "target": "95", "measure_unit": "%", "weight": "20"}])
    lt.do_sign_letter(office, letter, dt.date(today.year, 1, 15))
    actor = ctx.liaison_of.get(unit.pk) or office
    done = [q for q in (1, 2, 3, 4) if dt.date(today.year, 3 * q, 28) < today]
    for q in done:
        for t, value in zip(letter.targets.order_by("seq"), (rng.uniform(5.8, 7.0), rng.uniform(0.6, 1.0) * q,
                                                               rng.choice([0, 1, 1, 2, 3]), rng.uniform(90, 99))):
            lt.do_report_target_figure(actor, t, f"{today.year}-Q{q}", round(value, 2), "统计部门季度数据")
    return len(done)


def _windows(ctx, office, rng, today) -> dict:
    """Two months of 政务服务 window records for 市政务服务中心 (a few unfinished past their time) and the
    电子监察 cards they raise."""
    from . import govservice as gs

    centre = ctx.unit("市政务服务中心")
    items = [("企业开办", 0), ("食品经营许可", 5), ("建设工程施工许可", 10), ("不动产登记", 3), ("社保关系转移", 5),
             ("公积金提取", 0)]
    lines = ["窗口,事项,受理时间,办结时间,承诺时限,是否现场办结,评价"]
    for i in range(240):
        item, days = rng.choice(items)
        accepted = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 60)), dt.time(9)) + dt.timedelta(
            minutes=rng.randint(0, 420))
        window = f"综合窗口{rng.randint(1, 4)}"
        if days == 0:
            finished, onsite = accepted + dt.timedelta(minutes=rng.randint(10, 60)), "是"
        else:
            onsite = "否"
            late = rng.random() < 0.08
            span = dt.timedelta(days=days * 1.4 + (rng.randint(3, 10) if late else 0), hours=rng.randint(0, 6))
            finished = accepted + span if rng.random() > 0.05 else None
            if finished and finished.date() >= today:
                finished = None
        rating = rng.choice(["满意", "满意", "满意", "基本满意", "不满意", ""]) if finished else ""
        lines.append(f"{window},{item},{accepted:%Y-%m-%d %H:%M},{finished:%Y-%m-%d %H:%M}" if finished else
                     f"{window},{item},{accepted:%Y-%m-%d %H:%M},")
        if finished:
            lines[-1] += f",{days},{onsite},{rating}"
        else:
            lines[-1] += f",{days},{onsite},"
    gs.do_import_window_records(office, centre, "政务服务办件.csv", "\n".join(lines).encode("utf-8"))
    return gs.run_service_cards()


def build(ctx) -> None:
    """Create the assessment demo from the composer's context `ctx` (see the module docstring)."""
    rng, today, office = ctx.rng, ctx.today, ctx.supervisor
    year = today.year
    experts = [(ctx.add_user(username, "expert", None, display), name) for username, display, name in EXPERTS]
    plans = []
    for code, name, group, county in ((f"KH{year}-SZ", f"{year}年度市直部门绩效考核", "city_dept", False),
                                      (f"KH{year}-QX", f"{year}年度区县高质量发展综合考核", "county", True)):
        plan = svc.do_save_plan(office, code=code, name=name, period=str(year), group=group, missing_policy="zero",
                                excellent_quota=20, appeal_days=15)
        plan.state = plan.State.ACTIVE
        plan.save(update_fields=["state"])
        ind = _tree(office, plan, county=county)
        members = scoring.group_members(group, today)
        if county:  # each district's own 节能目标 (the province assigns them; the plan's 3.2 % is the default)
            svc.do_set_unit_targets(office, ind["energy"], {u: round(rng.uniform(2.8, 3.8), 1) for u in members})
        for u in members:
            liaison = ctx.liaison_of.get(u.pk)
            if rng.random() < 0.15:
                continue  # a few units never report: the plan scores them zero
            value = round(rng.uniform(2.0, 4.2) if county else rng.uniform(80, 110), 2)
            fig = svc.do_submit_figure(liaison or office, ind["energy"], value, unit=u, note="统计部门核定数",
                                       evidence=ContentFile(f"{u.name} {year}年能耗统计核定表".encode(),
                                                            name="能耗统计核定表.txt") if liaison else None)
            if rng.random() < 0.1:
                svc.do_review_figure(office, fig, accept=False, note="佐证材料缺少统计部门盖章,请补充后重新报送")
            else:
                svc.do_review_figure(office, fig, accept=True)
        # expert scores: the two 考核专家 fill their own sheets (刘评委 submits on both plans; 陈评委 submits the
        # 市直部门 sheet and leaves the 区县 one open, to fill after logging in), three raters are entered
        for n, (user, rater) in enumerate(experts):
            sheet = svc.do_assign_sheet(office, plan, user, members, rater_name=rater)
            inds, units, _ = svc.sheet_grid(sheet)
            filled = units if (n == 0 or not county) else units[: len(units) // 2]
            svc.do_save_sheet(user, sheet, [{"indicator": i.pk, "unit": u.pk, "score": rng.randint(70, 98),
                                             "note": ""} for i in inds for u in filled],
                              submit=n == 0 or not county)
        for u in members:
            for rater in OFFICE_RATERS:
                svc.do_record_expert_score(office, ind["expert"], u, rater, rng.randint(70, 98))
        survey = svc.do_create_survey(office, ind["survey"], title=f"{year}年度{name[5:9]}群众满意度评议",
                                      questions=[{"text": "办事效率"}, {"text": "服务态度"}, {"text": "政务公开"}],
                                      opens_on=today - dt.timedelta(days=20), closes_on=today + dt.timedelta(days=10),
                                      units=members)
        now = timezone.now()
        for link in survey.links.all():
            for i in range(rng.randint(6, 14)):
                answers = [rng.choices([0, 1, 2], weights=[6, 3, 1])[0] for _ in range(3)]
                svc.do_answer_survey(link, answers, address=f"198.51.100.{i}", now=now)
        if members:
            svc.do_add_adjustment(office, ind["bonus"], members[0], reason="获评省级优化营商环境先进单位",
                                  on=today - dt.timedelta(days=40), amount=2)
            svc.do_add_adjustment(office, ind["deduct"], members[-1], reason="明查暗访发现窗口人员脱岗",
                                  on=today - dt.timedelta(days=25), amount=1)
        run = svc.do_run_scores(office, plan, as_of=today)
        run = svc.do_publish_run(office, run, on=today)
        plans.append((plan, run))
    # an appeal by 市发改委 on its reported-data item
    fgw_user = ctx.users.get("fgw")
    if fgw_user and plans:
        ur = plans[0][1].units.filter(unit_id=fgw_user.unit_id).first()
        if ur:
            item = ur.items.get(code="2.1")
            svc.do_submit_appeal(fgw_user, item, "节能目标完成率应以省统计局最终核定数(105%)为准,已上传核定文件。")
    quarters = _letter(ctx, office, rng, today)
    cards = _windows(ctx, office, rng, today)
    ctx.log(f"assessment: {len(plans)} published plans "
            + ", ".join(f"{p.code} ({r.units_count} units)" for p, r in plans) + ", 1 appeal pending; "
            f"expert score sheets for {', '.join(u.username for u, _ in experts)} (one left open); "
            f"江城区 target letter with {quarters} quarters reported; 政务服务 window records with "
            f"{cards.get('yellow', 0)} yellow / {cards.get('red', 0)} red cards")
