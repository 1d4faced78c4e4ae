"""Demo data of accountability (问责) and the public portal (公示), through the do_… services: the
accountability officer `jijian` (纪检/组织), a decided proposal about a 市发改委 task (two people,
通报批评 and 诫勉教育, document 临纪〔year〕N号) that feeds assessment, a pending proposal from an
escalation or by hand (and, through the inspections hook, one from the 明查 finding naming 周立伟), a 申诉
waiting for a decision, a published 典型问题通报 (names masked on the portal), and tasks
published on the portal as 民生实事 / 公开承诺 with public notes."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

DEMO_PASSWORD = "luoshi-demo-2024"


def _user(username, role, unit, display, password):
    from luoshi.accounts.models import User
    from luoshi.audit.services import record

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, password=make_password(password), role=role, unit=unit,
                                   display_name=display)
        record("演示数据", "user.create", user, after={"username": username, "role": role, "unit": unit.name})
    return user


def build(ctx=None, out=None):
    """Create the demo. `ctx`: the demo composer's context when there is one (its password and logins);
    `out`: a stream for the summary lines."""
    from luoshi.ledger.models import Status, Task
    from luoshi.ledger.services import do_set_task_public
    from luoshi.orgs.models import Unit

    from .hooks import sync_escalations, sync_findings, sync_vetoes
    from .models import Proposal
    from .services import (do_add_person, do_create_bulletin, do_decide, do_propose, do_publish_bulletin,
                           do_submit_appeal)

    from luoshi.accounts.models import User

    write = (lambda s: out.write(s)) if out is not None else (ctx.log if ctx is not None else (lambda s: None))
    office = User.objects.filter(username="duchayuan").first()
    fgw = Unit.objects.filter(name="临江市发展和改革委员会").first() or Unit.objects.filter(
        short_names__contains=["市发改委"]).first() or Unit.objects.filter(aliases__contains=["市发改委"]).first()
    if office is None or fgw is None:
        write("accountability demo skipped: no 督查员 duchayuan or no 市发改委 in the demo city")
        return
    city = office.unit.parent or office.unit
    officer = User.objects.filter(username="jijian").first()
    if officer is None and ctx is not None and hasattr(ctx, "add_user"):
        officer = ctx.add_user("jijian", "discipline", city.name, "郑纪检(市纪委监委派驻纪检组)")
    elif officer is None:
        officer = _user("jijian", "discipline", city, "郑纪检(市纪委监委派驻纪检组)",
                        getattr(ctx, "password", DEMO_PASSWORD))
    today = timezone.localdate()
    raised = sync_escalations() + sync_vetoes() + sync_findings()

    tasks = list(Task.objects.filter(lead_units=fgw).exclude(status=Status.DRAFT).order_by("id"))
    if not tasks:
        write("accountability demo skipped: no 市发改委 task")
        return
    task = next((t for t in tasks if "并联审批" in t.title), tasks[0])
    decided_on = today - dt.timedelta(days=12)
    p = do_propose(office, cause_type="manual", unit=fgw, task=task, on=today - dt.timedelta(days=20),
                   cause_label=f"{task.number}“{task.title[:40]}”推进不力",
                   facts="该事项经提醒、催办、红色督办单和挂牌督办后仍未按期完成,项目科未按要求组织并联审批,"
                         "分管负责同志督促不力。")
    a = do_add_person(officer, p, name="刘建国", post="项目审批科科长", unit=fgw, responsibility="direct",
                      measure="criticism", on=decided_on)
    b = do_add_person(officer, p, name="孙立新", post="副主任", unit=fgw, responsibility="important_leader",
                      measure="admonition", on=decided_on)
    do_decide(officer, p, decision_number=f"临纪〔{decided_on.year}〕12号", on=decided_on,
              measures={a.pk: "criticism", b.pk: "admonition"},
              note="责令市发改委向市政府作出书面检查,一个月内完成整改。")
    do_submit_appeal(officer, b, "本人分管工作较多,已多次召开调度会,请求从轻处理。(书面申诉材料已收到)",
                     on=today - dt.timedelta(days=5))
    other = next((t for t in Task.objects.exclude(lead_units=fgw).filter(status__in=(Status.IN_PROGRESS, Status.SIGNED))
                  .order_by("id")), None)
    if other is not None:
        unit = other.lead_units.order_by("sort_order", "id").first()
        pending = do_propose(office, cause_type="manual", unit=unit, task=other,
                             facts="该事项连续两个月未按时报送进展,经督办单督办后仍未回复。")
        do_add_person(officer, pending, name="吴志强", post="办公室主任", unit=unit, responsibility="direct")
    bulletin = do_create_bulletin(officer, title="关于几起作风效能典型问题的通报", proposals=[p],
                                  intro="为进一步严明工作纪律,推动各项决策部署落地见效,现将近期查处的典型问题通报如下。",
                                  closing="各地各部门要引以为戒,举一反三,坚决防止类似问题发生。", on=decided_on)
    do_publish_bulletin(officer, bulletin, on=decided_on)
    published = 0
    for t, kind, note in _public_tasks():
        found = Task.objects.filter(title__contains=t).exclude(status=Status.DRAFT).first()
        if found is not None:
            do_set_task_public(office, found, kind=kind, note=note)
            published += 1
    from .models import CauseType

    found = Proposal.objects.filter(cause_type=CauseType.INSPECTION).count()
    write(f"accountability: {Proposal.objects.count()} proposals ({raised} caught up from escalations/vetoes/findings, "
          f"{found} from inspection findings), "
          f"1 published 典型问题通报; public portal: {published} tasks published; "
          f"login jijian (纪检/组织, password as the others)")


def _public_tasks():
    return [
        ("节能减排", "commitment", "已完成年度目标的七成,重点用能单位在线监测全覆盖。"),
        ("并联审批", "commitment", "并联审批平台已上线试运行,全程代办员队伍组建完成。"),
        ("营商环境", "commitment", "行动方案已完成征求意见,正在按程序报审。"),
        ("老旧小区", "livelihood", "年度改造计划已开工,完工后将组织居民验收。"),
        ("社区学校", "livelihood", "已建成社区学校8所,其余正在选址装修。"),
        ("社会保障卡", "livelihood", "“一卡通”已在医保结算、公交出行等12个场景应用。"),
    ]
