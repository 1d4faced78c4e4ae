"""Demo data of the ledger: task sources (讲话, 实施方案, 会议纪要, 批示) and a few dozen tasks
in every state, played through the ledger's do_ services (see luoshi.core.demo).

Needs from lower layers: ctx.unit (orgs), ctx.supervisor, ctx.leader, ctx.liaison_of (accounts).
Leaves for higher layers: ctx.sources (key -> Source), ctx.tasks (every Task created)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from luoshi.core.errors import LuoshiError

SOURCES = {
    "xiaoneng": dict(kind="speech", title="在全市“效能革命”工作会上的讲话", days_ago=75, issuer="临江市人民政府",
                     speaker="王明远"),
    "xuexi": dict(kind="speech", title="在全市创建学习型城市工作座谈会上的讲话", days_ago=60,
                  issuer="临江市人民政府", speaker="分管副市长"),
    "xianshi": dict(kind="work_plan", title="关于深化政务服务“限时办结”制度的实施方案", days_ago=50,
                    issuer="临江市人民政府办公室", doc_number="临政办发〔{year}〕12号"),
    "changwu": dict(kind="meeting", title="市政府第十八次常务会议纪要", days_ago=30, issuer="临江市人民政府办公室",
                    doc_number="临政纪〔{year}〕18号"),
    "pishi": dict(kind="instruction", title="王明远市长关于整治“中梗阻”问题的批示", days_ago=25, speaker="王明远"),
}

T = lambda metric, op, value, unit="", text="": {"metric": metric, "op": op, "value": value, "unit": unit,  # noqa: E731
                                                  "text": text}

# Each task: fields for do_create_task plus a scenario (list of steps). `deadline` is days from today
# (negative = already past), `wd` a number of working days counted from assignment, `assign` how many
# days ago it was assigned (交办). Steps are played through the services in order.
TASKS = [
    dict(src="xiaoneng", title="建立机关效能投诉“受理—转办—反馈”闭环机制", lead=["市效能办"], co=["市纪委监委"],
         requirement="健全效能投诉受理平台,投诉件当日登记转办,5个工作日内反馈办理结果。", deadline=-15, assign=70,
         targets=[T("投诉件按期办结率", ">=", 100, "%", "投诉件按期办结率达到100%")], priority=3,
         steps=["sign", ("report", 60), ("co_report", "市纪委监委", 100), ("report", 100), "request", "review",
                ("approve", 18)]),
    dict(src="xiaoneng", title="开展“庸懒散慢”作风问题专项整治,每季度通报一次", lead=["市效能办"], co=["市委组织部"],
         deadline=150, assign=70, recurrence="quarterly", tags=["效能建设", "作风建设"],
         steps=["sign", ("report", 20), ("report", 45)]),
    dict(src="xianshi", title="全面推行首问负责制、限时办结制和责任追究制“三项制度”", lead=["市政务服务中心"],
         co=["市效能办"], deadline=20, assign=48, priority=3, tags=["限时办结", "政务服务"],
         targets=[T("即办件现场办结率", ">=", 90, "%", "即办件现场办结率达到90%以上")],
         steps=["sign", ("report", 50), ("report", 100), "request", "review"]),
    dict(key="yingjin", src="xianshi", title="市县两级政务服务中心行政审批事项“应进必进”", lead=["市政务服务中心"],
         deadline=40, assign=45, priority=3, tags=["政务服务"],
         requirement="各区县政务服务中心对照市级目录清理审批事项,做到应进必进、进必授权。",
         steps=["sign", ("report", 30), ("split_districts",)]),
    dict(src="xianshi", title="政务服务“一网通办”:市级事项网上可办率达到95%以上", lead=["市数据局"],
         co=["市政务服务中心"], wd=30, assign=40, due_soon=True, tags=["政务服务", "数字政府"],
         targets=[T("市级事项网上可办率", ">=", 95, "%", "网上可办率达到95%以上")],
         steps=["sign", ("report", 55), ("co_report", "市政务服务中心", 60), ("report", 80)]),
    dict(src="changwu", title="企业开办全流程压缩至1个工作日以内", lead=["市市场监管局"], co=["市税务局", "市公安局"],
         deadline=-5, assign=29, tags=["营商环境"],
         targets=[T("企业开办时间", "<=", 1, "个工作日", "压缩至1个工作日以内")],
         steps=["sign", ("report", 70), ("co_report", "市税务局", 100), ("report", 100), "request", ("approve", 6)]),
    dict(src="changwu", title="工程建设项目审批全流程时间压减至80个工作日以内", lead=["市住建局"],
         co=["市自然资源规划局", "市发改委"], deadline=-6, assign=29, priority=3, tags=["营商环境"],
         targets=[T("工程建设项目审批时间", "<=", 80, "个工作日")],
         steps=["sign", ("report", 40), ("report", 65)]),  # overdue, still in progress
    dict(src="xiaoneng", title="清理规范行政审批中介服务事项,公布保留事项目录", lead=["市发改委"], co=["市司法局"],
         deadline=-3, assign=60, steps=["sign", ("report", 50), ("extend", 25, "涉及省级事项调整,需待省里目录公布后同步公布", True),
                                        ("report", 70)]),
    dict(src="changwu", title="制定《临江市优化营商环境三年行动方案》", lead=["市发改委"], co=["市司法局", "市工信局"],
         deadline=12, assign=28, tags=["营商环境"],
         steps=["sign", ("report", 60), ("report", 100), "request"]),
    dict(src="changwu", title="推行重点项目“并联审批”和全程代办制", lead=["市发改委"], co=["市政务服务中心"],
         deadline=35, assign=28, steps=["sign", ("report", 100), "request", "review",
                                        ("return", "代办员队伍尚未组建到位,请补充代办制度文件和首批代办项目清单后再申请办结"),
                                        ("report", 85)]),
    dict(src="xiaoneng", title="建设覆盖全市的网上审批和电子监察系统", lead=["市数据局"], co=["市效能办"],
         deadline=90, assign=8, steps=["sign"]),
    dict(src="xianshi", title="12345政务服务便民热线工单按期办结率达到98%以上", lead=["市政务服务中心"],
         deadline=200, assign=50, recurrence="monthly:25", tags=["政务服务"],
         targets=[T("工单按期办结率", ">=", 98, "%"), T("群众满意率", ">=", 95, "%")],
         steps=["sign", ("report", 30), ("report", 40)]),
    dict(src="xuexi", title="制定学习型机关、学习型企业、学习型社区创建评价标准", lead=["市创建办"], co=["市教育局"],
         deadline=-10, assign=58, tags=["学习型城市"],
         steps=["sign", ("report", 50), ("report", 100), "request", "review", ("approve", 12)]),
    dict(src="xuexi", title="每个街道建成1所社区学校,社区教育覆盖率达到90%以上", lead=["市教育局"], co=["市民政局"],
         wd=40, assign=55, due_soon=True, tags=["学习型城市"],
         targets=[T("社区教育覆盖率", ">=", 90, "%")], steps=["sign", ("report", 60), ("report", 75)]),
    dict(src="xuexi", title="开展“全民读书月”活动,评选学习型家庭100户", lead=["市文广旅体局"], co=["市妇联"],
         deadline=60, assign=3, steps=[]),
    dict(src="xuexi", title="全年培训科级以上干部不少于2000人次", lead=["市委组织部"], co=["市委党校"],
         deadline=180, assign=55, recurrence="half-yearly", targets=[T("干部培训", ">=", 2000, "人次")],
         steps=["sign", ("report", 35)]),
    dict(src="xuexi", title="建设市民终身学习网络平台", lead=["市教育局"], co=["市数据局"], deadline=150, steps=None),
    dict(src="xiaoneng", title="开展机关作风明察暗访,每月通报典型问题", lead=["市纪委监委"], co=["市效能办"],
         deadline=210, assign=5, recurrence="monthly:5", tags=["作风建设"], steps=["sign"]),
    dict(src="xianshi", title="落实“一次性告知”制度,杜绝群众办事“多次跑”", lead=["市政务服务中心"],
         deadline=-2, assign=20, steps=[]),  # overdue and never signed
    dict(src="changwu", title="完成年度节能减排目标,单位GDP能耗下降3.2%", lead=["市发改委"], co=["市生态环境局"],
         deadline=170, assign=28, targets=[T("单位GDP能耗下降", ">=", 3.2, "%")],
         steps=["sign", ("report", 25)]),
    dict(src="xiaoneng", title="完善机关效能考评办法,纳入年度目标考核", lead=["市效能办"], co=["市委组织部"],
         deadline=25, assign=65, steps=["sign", ("report", 80), ("report", 100), "request"]),
    dict(src="xiaoneng", title="编制市级部门权责清单并向社会公布", lead=["市委编办"], co=["市司法局"],
         deadline=-20, assign=72, steps=["sign", ("report", 100), "request", "review", ("approve", 21)]),
    dict(src="xiaoneng", title="推行行政执法公示制度", lead=["市司法局"], deadline=60, assign=70,
         steps=["sign", ("report", 20), ("suspend", "该项工作已纳入省统一部署的“行政执法三项制度”,不再单独督办")]),
    dict(src="xianshi", title="筹建市行政服务分中心", lead=["市政务服务中心"], deadline=90, assign=45,
         steps=[("suspend", "机构改革后不再单设分中心,相关职能由市政务服务中心承担")]),
    dict(src="changwu", title="建立企业诉求“直通车”制度,企业反映问题5个工作日内答复", lead=["市工信局"],
         co=["市投资促进局"], wd=20, assign=26, due_soon=True, tags=["营商环境"],
         steps=["sign", ("report", 70)]),
    dict(key="jiangcheng", src="changwu", title="江城区老旧小区改造和社区便民服务中心建设", lead=["江城区"],
         co=["市住建局"], deadline=100, assign=27,
         steps=["sign", ("report", 20), ("split_streets",)]),
    dict(src="xianshi", title="青石县乡镇便民服务中心标准化建设", lead=["青石县"], deadline=-8, assign=45,
         steps=["sign", ("report", 50)]),  # overdue
    dict(src="pishi", title="开展窗口单位服务态度专项整治,治理“门难进、脸难看、事难办”", lead=["市效能办"],
         co=["市公安局", "市人社局"], deadline=45, assign=24, priority=4, tags=["效能建设"],
         steps=["sign", ("report", 30), ("instruct", "请市效能办加大明察暗访力度,对典型问题公开曝光,月底前报整治情况。"),
                ("co_report", "市公安局", 0)]),
    dict(src="changwu", title="社会保障卡“一卡通”应用覆盖率达到90%", lead=["市人社局"], deadline=4, assign=29,
         targets=[T("社保卡应用覆盖率", ">=", 90, "%")],
         steps=["sign", ("report", 60), ("extend", 30, "需与省平台完成数据对接,申请延期一个月", None)]),
    dict(src="changwu", title="户籍业务“跨省通办”和“就近办”", lead=["市公安局"], deadline=30, assign=28,
         steps=["sign", ("report", 100), "request", "review"]),
    dict(src="xianshi", title="清理规范各类证明事项,公布保留证明事项清单", lead=["市司法局"], deadline=80, steps=None),
    dict(src="changwu", title="制定年度督查检查考核计划", lead=["市政府办公室"], deadline=30, steps=None),
    dict(src="xianshi", title="公文办理时限压缩至5个工作日", lead=["市政府办公室"], wd=10, assign=50,
         steps=["sign", ("report", 100), "request", ("approve", 30)]),
    dict(src="xiaoneng", title="推进机关事务“一站式”服务", lead=["市机关事务局"], wd=18, assign=24, due_soon=True,
         steps=[]),
    dict(src="pishi", title="整治“中梗阻”:对推诿扯皮、吃拿卡要问题“零容忍”", lead=["市纪委监委"], co=["市效能办"],
         deadline=10, assign=24, priority=4,
         steps=["sign", ("report", 40), ("extend", 60, "案件线索较多,需延长核查时间", False),
                ("instruct", "不同意延期。请按原定时限完成第一批问题线索核查并报结果。")]),
    dict(src="xuexi", title="滨江街道社区“15分钟便民服务圈”建设", lead=["滨江街道"], deadline=75, assign=20,
         steps=["sign", ("report", 35)]),
]

REPORT_TEXTS = [
    "已召开专题会议研究部署,制定工作方案,明确责任分工和时间节点。",
    "按照工作方案有序推进,已完成阶段性任务,正在组织开展自查。",
    "主体工作已基本完成,正在完善配套制度并收集佐证材料。",
    "已对照目标逐项梳理,完成情况良好,近期将组织验收。",
    "已完成调研摸底,形成问题清单和整改台账,正在逐项销号。",
]
PROBLEMS = ["部分单位配合不够及时", "涉及系统对接,技术方案尚在论证", "基层人员力量不足", ""]
NEXT_STEPS = ["加强统筹调度,每周通报进度", "对照时间节点倒排工期", "会同配合单位逐项推进", ""]


def build(ctx) -> None:
    _make_sources(ctx)
    _make_tasks(ctx)


def _make_sources(ctx):
    from luoshi.ledger.services import do_create_source

    ctx.sources = {}
    for key, spec in SOURCES.items():
        spec = dict(spec)
        date = ctx.today - dt.timedelta(days=spec.pop("days_ago"))
        if "doc_number" in spec:
            spec["doc_number"] = spec["doc_number"].format(year=date.year)
        ctx.sources[key] = do_create_source(ctx.supervisor, date=date, **spec)


def _achieved(target, rng) -> Decimal:
    """A realistic 目标完成值 for a task asking to close: the target met, a little better than asked."""
    v = target.value
    miss = False
    if target.op in (">=", ">"):
        factor = Decimal("0.96") if miss else Decimal(str(round(1 + rng.random() * 0.04, 3)))
    elif target.op in ("<=", "<"):
        factor = Decimal("1.05") if miss else Decimal(str(round(1 - rng.random() * 0.05, 3)))
    else:
        factor = Decimal(1)
    value = (v * factor).quantize(Decimal("0.01"))
    if target.unit.strip() in ("%", "％"):  # a rate: never over 100 % (96 × 1.04 is not 99.84 → 100.1)
        value = min(value, Decimal(100))
    return value


def _lead_liaison(ctx, task):
    for u in task.lead_units.all():
        if u.pk in ctx.liaison_of:
            return ctx.liaison_of[u.pk]
    raise LuoshiError(f"demo: no liaison for the lead unit of {task.title}", "演示数据:牵头单位没有联络员")


def _make_tasks(ctx):
    ctx.tasks = []
    for spec in TASKS:
        _make_task(ctx, dict(spec), actor=ctx.supervisor)
    from luoshi.ledger.models import Status, Task

    counts = {s.label: Task.objects.filter(status=s).count() for s in Status}
    ctx.log(f"tasks: {Task.objects.count()} (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")


def _make_task(ctx, spec, actor, parent=None):
    from luoshi.ledger.services import do_assign_task, do_create_task, do_update_task
    from luoshi.workcal.services import current_calendar

    steps = spec.pop("steps", None)
    assign_ago = spec.pop("assign", None)
    offset = spec.pop("deadline", None)
    wd = spec.pop("wd", None)
    spec.pop("key", None)
    due_soon = spec.pop("due_soon", False)
    src = spec.pop("src", None)
    assign_on = ctx.today - dt.timedelta(days=assign_ago) if assign_ago is not None else None
    if due_soon:
        # 临期: pick the working-day count so that the deadline lands 2 working days from today
        cal = current_calendar()
        wd = max(1, cal.working_days_between(assign_on, ctx.today) + 2)
    deadline = ctx.today + dt.timedelta(days=offset) if offset is not None else None
    kwargs = dict(title=spec.pop("title"), lead_units=[ctx.unit(n) for n in spec.pop("lead")],
                  co_units=[ctx.unit(n) for n in spec.pop("co", [])], source=ctx.sources.get(src),
                  parent=parent, deadline_working_days=wd, **spec)
    if kwargs["source"] is not None and not kwargs.get("responsible_leader"):
        kwargs["responsible_leader"] = ctx.rng.choice(["王明远", "分管副市长 刘卫东", "分管副市长 郑红",
                                                        "秘书长 何平"])
    if deadline is None and wd is None and assign_on is not None:
        kwargs["deadline_working_days"] = 30  # 交办 needs a deadline
    past = deadline is not None and deadline < ctx.today
    task = do_create_task(actor, deadline=None if past else deadline, **kwargs)
    if past:
        # A deadline already past can be given only to an unassigned task being back-dated:
        # set it in 立项 (draft), then assign on a date before it.
        task = do_update_task(actor, task, deadline=deadline)
    if assign_on is not None:
        task = do_assign_task(actor, task, on=assign_on)
    ctx.tasks.append(task)
    for step in steps or []:
        task = _play(ctx, task, step)
    return task


def _play(ctx, task, step):
    from luoshi.ledger.services import (do_add_instruction, do_approve_completion, do_decide_extension,
                                        do_report_progress, do_request_completion, do_request_extension,
                                        do_return_task, do_sign_task, do_start_review, do_suspend_task)

    rng = ctx.rng
    name, *args = (step,) if isinstance(step, str) else step
    supervisor = _supervisor_of(ctx, task)
    task.refresh_from_db()
    if name == "sign":
        return do_sign_task(_lead_liaison(ctx, task), task)
    if name == "report":
        pct = args[0]
        text = "已全部完成,相关佐证材料已整理归档。" if pct == 100 else rng.choice(REPORT_TEXTS)
        back = "经督查室审核退回,所缺材料尚未补齐,据实下调完成进度。" if pct < task.progress else ""
        do_report_progress(_lead_liaison(ctx, task), task, text=text, percent=pct,
                           problems="" if pct == 100 else rng.choice(PROBLEMS),
                           next_steps="" if pct == 100 else rng.choice(NEXT_STEPS), regress_reason=back)
    elif name == "co_report":
        user = ctx.liaison_of[ctx.unit(args[0]).pk]
        do_report_progress(user, task, text=f"{user.unit.display_name}积极配合,已按分工报送相关材料。",
                           percent=args[1])
    elif name == "request":
        do_request_completion(_lead_liaison(ctx, task), task, note="已按要求完成,申请办结。",
                              achieved={tg.pk: _achieved(tg, rng) for tg in task.targets.all()})
    elif name == "review":
        do_start_review(supervisor, task)
    elif name == "approve":
        do_approve_completion(supervisor, task, note="经核查,达到办结要求,同意销号。",
                              on=ctx.today - dt.timedelta(days=args[0]))
    elif name == "return":
        do_return_task(supervisor, task, reason=args[0])
    elif name == "suspend":
        do_suspend_task(supervisor, task, reason=args[0])
    elif name == "instruct":
        do_add_instruction(ctx.leader, task, text=args[0])
    elif name == "extend":
        days, reason, approve = args
        req = do_request_extension(_lead_liaison(ctx, task), task,
                                   new_deadline=ctx.today + dt.timedelta(days=days), reason=reason)
        if approve is not None:
            do_decide_extension(supervisor, req, approve=approve,
                                note="同意延期,请抓紧推进。" if approve else "理由不充分,请按原时限完成。")
    elif name == "split_districts":
        _split_to_districts(ctx, task)
    elif name == "split_streets":
        _split_to_streets(ctx, task)
    else:  # pragma: no cover - a typo in TASKS
        raise LuoshiError(f"demo: unknown step {name!r}", "演示数据:未知步骤")
    task.refresh_from_db()
    return task


def _supervisor_of(ctx, task):
    """The parent's lead liaison supervises a sub-task it created; the 督查员 everything else."""
    if task.parent_id and task.created_by_id and task.created_by_id != ctx.supervisor.pk:
        return task.created_by
    return ctx.supervisor


def _split_to_districts(ctx, parent):
    """The 督查员 splits a city task into one sub-task per 区县, in assorted states."""
    from luoshi.orgs.models import UnitKind

    counties = list(parent.lead_units.first().parent.children.filter(kind=UnitKind.COUNTY).order_by("sort_order"))
    plans = {"江城区": ["sign", ("report", 100), "request", ("approve", 3)],
             "青石县": ["sign", ("report", 60)]}
    for county in counties:
        steps = plans.get(county.display_name, [])
        _make_task(ctx, dict(title=f"{county.display_name}政务服务中心审批事项“应进必进”清理", lead=[county.name],
                            deadline=(parent.deadline - ctx.today).days, assign=40, steps=steps),
                       actor=ctx.supervisor, parent=parent)


def _split_to_streets(ctx, parent):
    """The 区县 liaison breaks its task down to two of its 街道."""
    liaison = _lead_liaison(ctx, parent)
    _make_task(ctx, dict(title="滨江街道老旧小区改造(一期)", lead=["滨江街道"], deadline=80, assign=20,
                        steps=["sign", ("report", 40)]), actor=liaison, parent=parent)
    _make_task(ctx, dict(title="解放街道社区便民服务中心建设", lead=["解放街道"], deadline=80, assign=20,
                        steps=["sign", ("report", 100), "request", ("approve", 2)]), actor=liaison, parent=parent)
