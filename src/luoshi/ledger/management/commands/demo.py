"""luoshi demo: a fresh database with the 临江市 sample units, one user per role and
a few dozen tasks in every state, all written through the do_ services."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.utils import timezone

from luoshi.web.management.base import LuoshiCommand

DEMO_PASSWORD = "luoshi-demo-2024"
SEED = 20240615

# username, role, unit (any name), display name, extra
USERS = [
    ("duchayuan", "supervisor", "市政府督查室", "张建国(督查员)", {}),
    ("admin", "admin", "市政府督查室", "系统管理员", {"is_staff": True, "is_superuser": True}),
    ("shizhang", "leader", "市政府", "王明远(市长)", {}),
    ("jiangcheng_quzhang", "leader", "江城区", "陈立新(江城区区长)", {}),
    ("fgw", "liaison", "市发改委", "李晓峰(市发改委)", {}),
    ("zwfw", "liaison", "市政务服务中心", "刘婷(市政务服务中心)", {}),
    ("xiaoneng", "liaison", "市效能办", "周海(市效能办)", {}),
    ("jiwei", "liaison", "市纪委监委", "吴敏(市纪委监委)", {}),
    ("shuju", "liaison", "市数据局", "郑宇(市数据局)", {}),
    ("scjg", "liaison", "市市场监管局", "孙丽(市市场监管局)", {}),
    ("shuiwu", "liaison", "市税务局", "钱坤(市税务局)", {}),
    ("zhujian", "liaison", "市住建局", "冯刚(市住建局)", {}),
    ("chuangjian", "liaison", "市创建办", "何静(市创建办)", {}),
    ("jiaoyu", "liaison", "市教育局", "韩雪(市教育局)", {}),
    ("zuzhi", "liaison", "市委组织部", "杨帆(市委组织部)", {}),
    ("bianban", "liaison", "市委编办", "朱琳(市委编办)", {}),
    ("sifa", "liaison", "市司法局", "秦朗(市司法局)", {}),
    ("gongxin", "liaison", "市工信局", "许诺(市工信局)", {}),
    ("renshe", "liaison", "市人社局", "吕方(市人社局)", {}),
    ("gongan", "liaison", "市公安局", "施勇(市公安局)", {}),
    ("zhengfuban", "liaison", "市政府办公室", "张蕾(市政府办公室)", {}),
    ("jiangcheng", "liaison", "江城区", "赵磊(江城区)", {}),
    ("qingshi", "liaison", "青石县", "黄河(青石县)", {}),
    ("binjiang", "liaison", "滨江街道", "林芳(滨江街道)", {}),
    ("jiefang", "liaison", "解放街道", "马骏(解放街道)", {}),
]

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
         steps=["sign", ("report", 60), ("co_report", "市纪委监委", 0), ("report", 100), "request", "review",
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
         steps=["sign", ("report", 55), ("co_report", "市政务服务中心", 0), ("report", 80)]),
    dict(src="changwu", title="企业开办全流程压缩至1个工作日以内", lead=["市市场监管局"], co=["市税务局", "市公安局"],
         deadline=-5, assign=29, tags=["营商环境"],
         targets=[T("企业开办时间", "<=", 1, "个工作日", "压缩至1个工作日以内")],
         steps=["sign", ("report", 70), ("co_report", "市税务局", 0), ("report", 100), "request", ("approve", 6)]),
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


class Command(LuoshiCommand):
    help = ("Create a FRESH demo database in LUOSHI_DATA_DIR (the SQLite file is deleted first) with the "
            "临江市 sample units, one user per role and tasks in every state; prints the logins.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="also wipe a non-SQLite (e.g. PostgreSQL) database: every row is deleted")
        parser.add_argument("--password", default=DEMO_PASSWORD, help=f"password of every demo user "
                                                                       f"(default {DEMO_PASSWORD})")
        parser.add_argument("--seed", type=int, default=SEED, help="random seed (same seed, same demo)")

    def handle(self, *args, force=False, password=DEMO_PASSWORD, seed=SEED, **options):
        if len(password) < 8:
            raise CommandError("the password must have at least 8 characters")
        db = settings.DATABASES["default"]
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            name = str(db["NAME"])
            connections.close_all()
            if name and name != ":memory:" and "mode=memory" not in name:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(name + suffix).unlink(missing_ok=True)
            call_command("migrate", interactive=False, verbosity=0)
            where = f"SQLite {name}"
        else:
            if not force:
                raise CommandError(f"refusing to wipe the {engine} database {db.get('NAME')!r}: "
                                   f"`luoshi demo --force` deletes every row in it")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            where = f"{engine} database {db.get('NAME')}"
        self.stdout.write(f"fresh demo database: {where}")
        from luoshi.audit.anchor import set_aside_checkpoints

        if aside := set_aside_checkpoints("demo"):  # they anchor the wiped chain
            self.stderr.write(f"audit checkpoints of the old database moved to {aside}")
        builder = DemoBuilder(random.Random(seed), password, self.stdout)
        builder.build()
        # A first supervision sweep, so the lights, 督办单 and inboxes have something to show.
        from luoshi.supervision.services import run_sweep

        result = run_sweep()
        lights = ", ".join(f"{k} {v}" for k, v in result.lights.items())
        self.stdout.write(f"supervision sweep: {lights}; {result.notices_issued} notices issued")
        from luoshi.assessment.demo import build as assessment_demo

        assessment_demo(None, self.stdout)
        self.print_logins(builder, password)

    def print_logins(self, builder, password):
        from luoshi.accounts.models import Role

        self.stdout.write("")
        self.stdout.write("Demo logins (every password: %s)" % password)
        rows = [("username", "password", "role", "unit", "name")]
        for username, role, unit, display, _ in USERS:
            rows.append((username, password, f"{Role(role).label} {role}", unit, display))
        widths = [max(_width(r[i]) for r in rows) for i in range(5)]
        for i, r in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(c, widths[j]) for j, c in enumerate(r)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write("Start the web server with `luoshi serve` and log in at http://127.0.0.1:8000/")


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


class DemoBuilder:
    """Plays the scenario through the services. Only users (no service exists for them yet) and the
    timeline's timestamps are written directly; dates of assignment and closure are back-dated
    with the services' own `on=` arguments."""

    def __init__(self, rng: random.Random, password: str, out):
        self.rng, self.password, self.out = rng, password, out
        self.today = timezone.localdate()

    def unit(self, name):
        from luoshi.orgs.services import match_units

        found = match_units([name])[name]
        if found is None:
            raise CommandError(f"demo data refers to an unknown unit {name!r}")
        return found

    def build(self):
        from luoshi.orgs.importexport import load_sample_units

        with transaction.atomic():
            result = load_sample_units(actor="演示数据")
            self.out.write(f"units: {result.created} (fictional 临江市: 市直部门, 垂直管理单位, 10 区县, 乡镇/街道)")
            self.make_users()
            self.make_sources()
            self.make_tasks()

    def make_users(self):
        from luoshi.accounts.models import User
        from luoshi.audit.services import record

        from django.contrib.auth.hashers import make_password

        self.users = {}
        self.liaison_of = {}
        # One hash shared by every demo user (they share the password anyway): hashing 25 times
        # would cost ~10 s of PBKDF2.
        hashed = make_password(self.password)
        for username, role, unit, display, extra in USERS:
            # No do_ service for users exists yet: create directly and audit the creation.
            u = self.unit(unit)
            user = User.objects.create(username=username, password=hashed, role=role, unit=u,
                                       display_name=display, **extra)
            record("演示数据", "user.create", user, after={"username": username, "role": role, "unit": u.name})
            self.users[username] = user
            if role == "liaison":
                self.liaison_of[u.pk] = user
        self.supervisor = self.users["duchayuan"]
        self.leader = self.users["shizhang"]
        self.out.write(f"users: {len(self.users)}")

    def make_sources(self):
        from luoshi.ledger.services import do_create_source

        self.sources = {}
        for key, spec in SOURCES.items():
            spec = dict(spec)
            date = self.today - dt.timedelta(days=spec.pop("days_ago"))
            if "doc_number" in spec:
                spec["doc_number"] = spec["doc_number"].format(year=date.year)
            self.sources[key] = do_create_source(self.supervisor, date=date, **spec)

    def lead_liaison(self, task):
        for u in task.lead_units.all():
            if u.pk in self.liaison_of:
                return self.liaison_of[u.pk]
        raise CommandError(f"demo: no liaison for the lead unit of {task.title}")

    def make_tasks(self):
        self.tasks = []
        for spec in TASKS:
            self.make_task(dict(spec), actor=self.supervisor)
        from luoshi.ledger.models import Status, Task

        counts = {s.label: Task.objects.filter(status=s).count() for s in Status}
        self.out.write(f"tasks: {Task.objects.count()} (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")

    def make_task(self, spec, actor, parent=None):
        from luoshi.ledger.services import do_assign_task, do_create_task, do_update_task
        from luoshi.workcal.services import current_calendar

        steps = spec.pop("steps", None)
        assign_ago = spec.pop("assign", None)
        offset = spec.pop("deadline", None)
        wd = spec.pop("wd", None)
        spec.pop("key", None)
        due_soon = spec.pop("due_soon", False)
        src = spec.pop("src", None)
        assign_on = self.today - dt.timedelta(days=assign_ago) if assign_ago is not None else None
        if due_soon:
            # 临期: pick the working-day count so that the deadline lands 2 working days from today
            cal = current_calendar()
            wd = max(1, cal.working_days_between(assign_on, self.today) + 2)
        deadline = self.today + dt.timedelta(days=offset) if offset is not None else None
        kwargs = dict(title=spec.pop("title"), lead_units=[self.unit(n) for n in spec.pop("lead")],
                      co_units=[self.unit(n) for n in spec.pop("co", [])], source=self.sources.get(src),
                      parent=parent, deadline_working_days=wd, **spec)
        if kwargs["source"] is not None and not kwargs.get("responsible_leader"):
            kwargs["responsible_leader"] = self.rng.choice(["王明远", "分管副市长 刘卫东", "分管副市长 郑红",
                                                            "秘书长 何平"])
        past = deadline is not None and deadline < self.today
        task = do_create_task(actor, deadline=None if past else deadline, **kwargs)
        if past:
            # A deadline already past can be given only to an unassigned task being back-dated:
            # set it in 立项 (draft), then assign on a date before it.
            task = do_update_task(actor, task, deadline=deadline)
        if assign_on is not None:
            task = do_assign_task(actor, task, on=assign_on)
        self.tasks.append(task)
        for step in steps or []:
            task = self.play(task, step)
        return task

    def play(self, task, step):
        from luoshi.ledger.models import ExtensionRequest
        from luoshi.ledger.services import (do_add_instruction, do_approve_completion, do_decide_extension,
                                            do_report_progress, do_request_completion, do_request_extension,
                                            do_return_task, do_sign_task, do_start_review, do_suspend_task)

        rng = self.rng
        name, *args = (step,) if isinstance(step, str) else step
        supervisor = self.supervisor_of(task)
        task.refresh_from_db()
        if name == "sign":
            return do_sign_task(self.lead_liaison(task), task)
        if name == "report":
            pct = args[0]
            text = "已全部完成,相关佐证材料已整理归档。" if pct == 100 else rng.choice(REPORT_TEXTS)
            do_report_progress(self.lead_liaison(task), task, text=text, percent=pct,
                               problems="" if pct == 100 else rng.choice(PROBLEMS),
                               next_steps="" if pct == 100 else rng.choice(NEXT_STEPS))
        elif name == "co_report":
            user = self.liaison_of[self.unit(args[0]).pk]
            do_report_progress(user, task, text=f"{user.unit.display_name}积极配合,已按分工报送相关材料。",
                               percent=args[1])
        elif name == "request":
            do_request_completion(self.lead_liaison(task), task, note="已按要求完成,申请办结。")
        elif name == "review":
            do_start_review(supervisor, task)
        elif name == "approve":
            do_approve_completion(supervisor, task, note="经核查,达到办结要求,同意销号。",
                                  on=self.today - dt.timedelta(days=args[0]))
        elif name == "return":
            do_return_task(supervisor, task, reason=args[0])
        elif name == "suspend":
            do_suspend_task(supervisor, task, reason=args[0])
        elif name == "instruct":
            do_add_instruction(self.leader, task, text=args[0])
        elif name == "extend":
            days, reason, approve = args
            req = do_request_extension(self.lead_liaison(task), task,
                                       new_deadline=self.today + dt.timedelta(days=days), reason=reason)
            if approve is not None:
                do_decide_extension(supervisor, req, approve=approve,
                                    note="同意延期,请抓紧推进。" if approve else "理由不充分,请按原时限完成。")
        elif name == "split_districts":
            self.split_to_districts(task)
        elif name == "split_streets":
            self.split_to_streets(task)
        else:  # pragma: no cover - a typo in TASKS
            raise CommandError(f"demo: unknown step {name!r}")
        task.refresh_from_db()
        return task

    def supervisor_of(self, task):
        """The parent's lead liaison supervises a sub-task it created; the 督查员 everything else."""
        if task.parent_id and task.created_by_id and task.created_by_id != self.supervisor.pk:
            return task.created_by
        return self.supervisor

    def split_to_districts(self, parent):
        """The 督查员 splits a city task into one sub-task per 区县, in assorted states."""
        from luoshi.orgs.models import UnitKind

        counties = list(parent.lead_units.first().parent.children.filter(kind=UnitKind.COUNTY).order_by("sort_order"))
        plans = {"江城区": ["sign", ("report", 100), "request", ("approve", 3)],
                 "青石县": ["sign", ("report", 60)]}
        for county in counties:
            steps = plans.get(county.display_name, [])
            self.make_task(dict(title=f"{county.display_name}政务服务中心审批事项“应进必进”清理", lead=[county.name],
                                deadline=(parent.deadline - self.today).days, assign=40, steps=steps),
                           actor=self.supervisor, parent=parent)

    def split_to_streets(self, parent):
        """The 区县 liaison breaks its task down to two of its 街道."""
        liaison = self.lead_liaison(parent)
        self.make_task(dict(title="滨江街道老旧小区改造(一期)", lead=["滨江街道"], deadline=80, assign=20,
                            steps=["sign", ("report", 40)]), actor=liaison, parent=parent)
        self.make_task(dict(title="解放街道社区便民服务中心建设", lead=["解放街道"], deadline=80, assign=20,
                            steps=["sign", ("report", 100), "request", ("approve", 2)]), actor=liaison, parent=parent)
