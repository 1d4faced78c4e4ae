"""Demo data for cases (12345 诉求, 城管问题, 效能投诉) in the demo city 临江市: categories with time
limits, areas (江城区 with a boundary) and routing rules, the logins rexian (话务员), paiqian (派遣员)
and xiaonengban (效能办督查员), about 300 cases in every kind and state, a complaint against 市发改委,
and one Open311 key (printed). Everything goes through the do_… services."""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from luoshi.orgs.models import Unit

from . import services as svc
from .models import Area, Category, Kind, LimitUnit, RoutingRule
from .open311 import do_add_key

SEED = 12345
USERS = [("rexian", "operator", "市政务服务中心", "孙晓燕(12345话务员)"),
         ("paiqian", "dispatcher", "市政务服务中心", "钱伟(12345派遣员)"),
         ("xiaonengban", "supervisor", "市效能办", "郑洁(效能办督查员)")]
CATEGORIES = [
    ("CG-01", "道路破损", Kind.PROBLEM, 24, LimitUnit.HOURS, "市政设施"),
    ("CG-02", "井盖缺失", Kind.PROBLEM, 2, LimitUnit.HOURS, "紧急"),
    ("CG-03", "占道经营", Kind.PROBLEM, 24, LimitUnit.HOURS, "市容秩序"),
    ("CG-04", "垃圾清运不及时", Kind.PROBLEM, 24, LimitUnit.HOURS, "环境卫生"),
    ("CG-05", "违章搭建", Kind.PROBLEM, 5, LimitUnit.WORKING_DAYS, "规划建设"),
    ("CG-06", "噪音扰民", Kind.PROBLEM, 24, LimitUnit.HOURS, "环境保护"),
    ("CG-07", "路灯故障", Kind.PROBLEM, 24, LimitUnit.HOURS, "市政设施"),
    ("RX-01", "政策咨询与求助", Kind.PROBLEM, 5, LimitUnit.WORKING_DAYS, "12345"),
    ("XN-01", "慢作为", Kind.COMPLAINT, 5, LimitUnit.WORKING_DAYS, "效能投诉"),
    ("XN-02", "不作为", Kind.COMPLAINT, 5, LimitUnit.WORKING_DAYS, "效能投诉"),
    ("XN-03", "乱作为", Kind.COMPLAINT, 5, LimitUnit.WORKING_DAYS, "效能投诉"),
    ("XN-04", "吃拿卡要", Kind.COMPLAINT, 5, LimitUnit.WORKING_DAYS, "效能投诉"),
    ("XN-05", "推诿扯皮", Kind.COMPLAINT, 5, LimitUnit.WORKING_DAYS, "效能投诉"),
]
PLACES = ["人民路", "解放路", "滨江大道", "建设路", "中山路", "文化路", "新华街", "胜利路", "江城大道", "青年路"]
PROBLEMS = {"CG-01": "路面出现坑洼,雨天积水,车辆通行困难", "CG-02": "井盖缺失,夜间行人有跌落危险",
            "CG-03": "流动摊贩长期占用人行道经营", "CG-04": "垃圾桶满溢两天无人清运,气味很大",
            "CG-05": "小区楼顶有人私自加盖彩钢棚", "CG-06": "工地夜间施工噪音扰民,影响休息",
            "CG-07": "一排路灯连续多日不亮", "RX-01": "咨询灵活就业人员社保缴费办理流程"}
COMPLAINTS = {"XN-01": "办理营业执照变更,材料齐全却拖了二十多天没有结果", "XN-02": "多次反映小区供暖问题,相关部门一直不答复",
              "XN-03": "执法人员未出示证件即对商户罚款", "XN-04": "办事时工作人员暗示要请吃饭才能加快审批",
              "XN-05": "项目审批在两个科室之间来回推诿,要求反复提交材料"}
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
# 江城区 in fictional coordinates (a box around the demo centre 30.60N 114.30E)
JIANGCHENG = {"type": "Polygon", "coordinates": [[[114.25, 30.55], [114.35, 30.55], [114.35, 30.65],
                                                  [114.25, 30.65], [114.25, 30.55]]]}


def build(ctx) -> str | None:
    """Create the cases demo through the services (see luoshi.core.demo). Needs ctx.unit, ctx.add_user and
    ctx.liaison_of from lower layers; leaves ctx.cases_open311_key. Returns the Open311 key."""
    rng = random.Random(SEED)
    if Category.objects.exists():
        return None
    users = {u: ctx.add_user(u, role, unit, display) for u, role, unit, display in USERS}
    op, disp = users["rexian"], users["paiqian"]
    cats = {code: Category.objects.create(code=code, name=name, kind=kind, limit_value=v, limit_unit=u, group=g,
                                          sort_order=i)
            for i, (code, name, kind, v, u, g) in enumerate(CATEGORIES)}
    counties = list(Unit.objects.filter(kind="county", is_active=True))
    areas = [Area.objects.create(name=c.display_name, unit=c,
                                 boundary=JIANGCHENG if c.display_name == "江城区" else None) for c in counties]
    cg, xiaoneng = ctx.unit("市城管局"), ctx.unit("市效能办")
    for code, cat in cats.items():
        if cat.kind == Kind.COMPLAINT:
            RoutingRule.objects.create(category=cat, unit=xiaoneng, priority=10)
        elif code == "RX-01":
            RoutingRule.objects.create(category=cat, unit=ctx.unit("市人社局"), priority=10)
    RoutingRule.objects.create(category=None, area=None, unit=cg, priority=1000)   # catch-all: 市城管局
    for a in areas:
        RoutingRule.objects.create(category=None, area=a, unit=a.unit, priority=100)   # 属地: the county
    liaisons = dict(getattr(ctx, "liaison_of", {}))
    targets = [u for u in Unit.objects.filter(kind__in=["city_dept", "county"], is_active=True) if u.pk != xiaoneng.pk]
    now = timezone.now()
    made = {"problem": 0, "complaint": 0}
    finals = ["received", "registered", "dispatched", "accepted", "handling", "replied", "verified", "visited",
              "closed", "returned", "void", "merged"]
    # The complaint of the browser test and the README: against 市发改委; the complainant is known to the office only.
    case, _ = svc.do_create_case(op, kind=Kind.COMPLAINT, category="XN-05", description=COMPLAINTS["XN-05"],
                                 address="临江市民中心三楼发改窗口", reporter_name="陈春华",
                                 reporter_phone="13907310001", reporter_address="江城区人民路18号",
                                 subject_unit=ctx.unit("市发改委"), channel="hotline", at=now - dt.timedelta(days=3))
    svc.do_dispatch_case(disp, case, at=now - dt.timedelta(days=3))
    parents = []
    for i in range(300):
        complaint = i % 5 == 4
        code = rng.choice([c for c, cat in cats.items() if (cat.kind == Kind.COMPLAINT) == complaint])
        county = rng.choice(counties)
        place = f"{county.display_name}{rng.choice(PLACES)}{rng.randint(1, 300)}号"
        at = now - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        anonymous = rng.random() < 0.15
        kw = {} if anonymous else dict(
            reporter_name=f"{rng.choice(SURNAMES)}{rng.choice(['先生', '女士'])}",
            reporter_phone=f"139{rng.randint(10000000, 99999999)}")
        if complaint:
            kw["subject_unit"] = rng.choice(targets)
        lat = long = None
        if county.display_name == "江城区":
            lat, long = 30.55 + rng.random() * 0.1, 114.25 + rng.random() * 0.1
        case, _ = svc.do_create_case(op, kind=Kind.COMPLAINT if complaint else Kind.PROBLEM, category=code,
                                     description=(COMPLAINTS if complaint else PROBLEMS)[code], address=place,
                                     lat=lat, long=long, anonymous=anonymous,
                                     channel=rng.choice(["web", "hotline", "hotline", "open311"]), at=at, **kw)
        made[case.kind] += 1
        _play(case, finals[i % len(finals)], op, disp, liaisons, rng, at, parents)
    _supervise(ctx)
    key = do_add_key("演示数据", "数字城管系统(演示)")[1]
    ctx.cases_open311_key = key
    ctx.log(f"cases: {made['problem']} problems, {made['complaint']} 效能投诉 + 1 complaint against 市发改委")
    ctx.log("Open311 key (数字城管系统, stored hashed; shown only now):")
    ctx.log(key)
    return key


def _play(case, final, op, disp, liaisons, rng, at, parents):
    """Move a fresh case to `final` through the services."""
    from luoshi.core.errors import LuoshiError

    if final == "received":
        return
    if final == "merged" and parents:
        svc.do_merge_case(op, case, rng.choice(parents))
        return
    if final == "void":
        svc.do_void_case(disp, case, "重复反映,已有案件在办")
        return
    svc.do_register_case(disp, case)
    if final == "registered":
        parents.append(case)
        return
    try:
        case = svc.do_dispatch_case(disp, case, at=at + dt.timedelta(hours=1))
    except LuoshiError:
        return
    handler = liaisons.get(case.responsible_unit_id) or disp
    if final == "returned":
        svc.do_return_case(handler, case, "该事项不属于本单位职责范围")
        return
    if final == "dispatched":
        return
    svc.do_sign_case(handler, case)
    if final == "accepted":
        return
    if case.kind == Kind.COMPLAINT:
        svc.do_investigate_case(handler, case, "调阅办件记录并约谈窗口工作人员")
        svc.do_find_case(handler, case, rng.choice(["true", "partly", "false"]), "责成被投诉单位书面说明并限期整改")
    else:
        svc.do_handle_case(handler, case, "已安排人员到现场处置")
    if final == "handling":
        return
    late = rng.random() < 0.2
    deadline = case.deadline
    svc.do_reply_case(handler, case, "经现场核实,问题已处理完毕", at=(deadline + dt.timedelta(hours=5)) if late
                      else min(deadline, at + dt.timedelta(hours=3)))
    if final == "replied":
        return
    svc.do_verify_case(disp, case, ok=True, note="现场核查属实")
    if final == "verified":
        return
    svc.do_visit_case(disp, case, rng.choice(["satisfied", "satisfied", "basic", "unsatisfied"]))
    case.refresh_from_db()
    if final == "closed" and case.status == "visited":
        svc.do_close_case(disp, case)


def _supervise(ctx):
    """The overdue demo cases get their 督办单 and first escalation step now (the next sweep would)."""
    from luoshi.supervision.common import config
    from luoshi.supervision.items import run_kind
    from luoshi.supervision.kinds import get_kind
    from luoshi.supervision.lights import WorkdayIndex
    from luoshi.workcal.services import current_calendar

    cal = current_calendar()
    stats = run_kind(get_kind("cases"), ctx.today, cal, WorkdayIndex(cal), config())
    ctx.log(f"cases: {stats['overdue']} overdue, {stats['notices']} 督办单 and {stats['escalations']} escalation steps")
