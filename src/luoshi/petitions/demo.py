"""Demo 信访 data: petitions in every state (incl. 积案 with a 化解 plan and 终结 with a later repeat),
several handled by 市发改委 (login `fgw`), one owned by the mayor (领导包案). Everything goes through the
`do_…` services, back-dated with their `on=` arguments.

`build(ctx)`: ctx has `users` (username → User), `unit(name)` → Unit, `today` (date) and `out` (a writer).
"""
from __future__ import annotations

import datetime as dt

PEOPLE = [  # name, phone, ID number (fictional, valid check digits)
    ("张桂兰", "13805710001", "330102196503121224"),
    ("李建华", "13905710002", "33010219700815351X"),
    ("王秀英", "13605710003", "330103195811203025"),
    ("刘志强", "13705710004", "330104198002284917"),
    ("陈国平", "15805710005", "330105197206066430"),
    ("杨丽娟", "18605710006", "330106198512302620"),
    ("赵德明", "13505710007", "330108196909095818"),
    ("黄永红", "13305710008", "330109197711117622"),
]


def _valid_id(base17: str) -> str:
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base17 + "10X98765432"[sum(int(c) * k for c, k in zip(base17, w)) % 11]


def build(ctx) -> dict:
    from . import services as svc
    from .sweep import run_petition_sweep

    u = ctx.users
    sup, mayor, fgw = u["duchayuan"], u["shizhang"], u["fgw"]
    qz = u.get("jiangcheng_quzhang")
    today = ctx.today
    fgw_unit, jc_unit = ctx.unit("市发改委"), ctx.unit("江城区")
    zj_unit = ctx.unit("市住建局")
    liaison = {fgw_unit.pk: fgw, jc_unit.pk: u.get("jiangcheng"), zj_unit.pk: u.get("zhujian")}
    people = [(n, p, _valid_id(i[:17])) for n, p, i in PEOPLE]

    def d(days):
        return today - dt.timedelta(days=days)

    def reg(k, days, title, content, channel="letter", **kw):
        n, p, i = people[k]
        return svc.do_register_petition(sup, channel=channel, name=n, phone=p, id_number=i, title=title,
                                        content=content, received_on=d(days), address=f"临江市江城区幸福路{k + 1}号",
                                        **kw)

    def handle(p, unit, days_assign, days_accept):
        svc.do_assign_petition(sup, p, unit, on=d(days_assign))
        svc.do_accept_petition(liaison[unit.pk], p, on=d(days_accept))
        return p

    made = {}
    made["registered"] = reg(0, 2, "小区垃圾清运不及时", "幸福路小区垃圾连续三天未清运,异味严重。")
    p = reg(1, 5, "企业技改补助申报结果未公布", "去年申报的技改补助至今没有结果,多次电话询问无人答复。", channel="visit")
    svc.do_assign_petition(sup, p, fgw_unit, on=d(4))
    made["assigned"] = p
    p = reg(2, 12, "要求解决其子女工作问题", "要求政府为其子女安排事业编制工作。")
    svc.do_assign_petition(sup, p, zj_unit, on=d(11))
    svc.do_refuse_petition(u.get("zhujian") or sup, p, "所提诉求不属于信访事项受理范围,已告知通过公开招考途径解决。",
                           on=d(8))
    made["not_accepted"] = p
    p = reg(3, 50, "项目用地补偿标准不一致", "同一片区征地补偿标准前后不一致,要求说明依据。", channel="visit",
            people=6, batch=f"{d(50):%Y%m%d}-03")
    handle(p, fgw_unit, 49, 47)
    svc.do_set_owner_leader(sup, p, mayor)
    svc.do_record_meeting(sup, p, held_on=d(30), attendees="市发改委、市自然资源局、江城区政府",
                          notes="三部门核对补偿标准的历次文件依据。", decisions="由市发改委牵头于月底前书面答复。")
    made["handling_owned"] = p
    p = reg(4, 90, "老旧小区改造施工扰民", "改造工程夜间施工,噪声扰民,投诉多次未解决。", channel="online")
    handle(p, jc_unit, 89, 88)
    if qz:
        svc.do_set_owner_leader(sup, p, qz)
    made["overdue"] = p
    p = reg(5, 70, "价格举报处理结果不满意", "举报某药店哄抬价格,处理结果未告知。", channel="hotline",
            hotline_ref="12345-2026-008812")
    handle(p, fgw_unit, 69, 66)
    svc.do_answer_petition(fgw, p, "经调查,该药店存在未明码标价问题,已责令改正并处罚款。处理结果已电话告知。", on=d(40))
    svc.do_rate_petition(sup, p, "satisfied")
    made["answered"] = p
    p = reg(6, 80, "拖欠工程款", "某安置房项目拖欠农民工工程款。", channel="visit")
    handle(p, zj_unit, 79, 77)
    svc.do_answer_petition(u.get("zhujian") or sup, p, "经核查,工程款已纳入本月支付计划。", on=d(50))
    svc.do_rate_petition(sup, p, "unsatisfied")
    svc.do_request_review(sup, p, on=d(40))
    made["review"] = p
    p = reg(7, 120, "宅基地确权争议", "对宅基地确权面积有异议。", channel="letter")
    handle(p, jc_unit, 119, 117)
    svc.do_answer_petition(u.get("jiangcheng") or sup, p, "确权面积依据1998年档案核定,符合规定。", on=d(90))
    svc.do_request_review(sup, p, on=d(80))
    svc.do_decide_review(sup, p, "经复查,原答复意见事实清楚,予以维持。", on=d(60))
    made["reviewed"] = p
    n, ph, i = people[2]
    p = svc.do_register_petition(sup, channel="visit", name=n, phone=ph, id_number=i, title="企业用电价格执行有误",
                                 content="企业被按大工业电价收费,认为应执行一般工商业电价。", received_on=d(150))
    handle(p, fgw_unit, 149, 147)
    svc.do_answer_petition(fgw, p, "经核实,企业变压器容量超过315千伏安,执行大工业电价符合规定。", on=d(120))
    svc.do_request_review(sup, p, on=d(110))
    svc.do_decide_review(sup, p, "维持原答复意见。", on=d(90))
    svc.do_request_review(sup, p, stage="recheck", on=d(80))
    made["recheck"] = p
    p = reg(1, 200, "要求撤销电价处罚决定", "认为电价处罚决定依据不足,要求撤销。", channel="visit")
    handle(p, fgw_unit, 199, 197)
    svc.do_answer_petition(fgw, p, "处罚决定事实清楚、依据充分,不予撤销。", on=d(170))
    svc.do_request_review(sup, p, on=d(160))
    svc.do_decide_review(sup, p, "维持原答复意见。", on=d(140))
    svc.do_request_review(sup, p, stage="recheck", on=d(120))
    svc.do_decide_review(sup, p, "维持复查意见。本复核意见为终结意见。", stage="recheck", on=d(100))
    svc.do_terminate_petition(sup, p, on=d(95), note="经复核,依法终结")
    made["terminated"] = p
    p = reg(3, 180, "拆迁过渡费发放标准", "要求按新标准补发拆迁过渡费。", channel="letter")
    handle(p, jc_unit, 179, 178)
    svc.do_answer_petition(u.get("jiangcheng") or sup, p, "过渡费已按协议约定标准足额发放。", on=d(150))
    svc.do_request_review(sup, p, on=d(140))
    svc.do_decide_review(sup, p, "维持原答复意见。", on=d(120))
    svc.do_request_review(sup, p, stage="recheck", on=d(100))
    svc.do_decide_review(sup, p, "维持复查意见。", stage="recheck", on=d(75))
    made["rechecked"] = p
    made["repeat_after_end"] = reg(1, 20, "再次要求撤销电价处罚决定", "仍认为电价处罚决定依据不足,要求撤销处罚。",
                                   channel="visit")
    # a matter repeated until it is a 积案, with a 化解 plan, partly done
    base = reg(6, 150, "安置房产权证办理遥遥无期", "安置房交付三年仍未办理产权证。", channel="visit")
    handle(base, zj_unit, 149, 148)
    for k, days in enumerate((120, 100, 60)):
        again = reg(6, days, "安置房产权证至今没办", f"第{k + 2}次反映:安置房交付多年仍无产权证。", channel="visit")
        # the office tells the petitioner the matter is already being handled (it is not a new 积案 itself)
        svc.do_refuse_petition(sup, again, f"同一事项已作为{base.number}受理,正在办理中,不再重复受理,已告知信访人。",
                               on=d(days - 3))
    plan = svc.do_save_resolution_plan(sup, base, summary="市住建局牵头,会同自然资源局逐户核查,分批办证。",
                                       target_on=today + dt.timedelta(days=30),
                                       steps=[("逐户核查产权资料", d(20)), ("补缴土地出让金方案报批", d(5)),
                                              ("分批发放产权证", today + dt.timedelta(days=25))])
    svc.do_complete_step(sup, plan.steps.order_by("due").first(), note="已核查312户", on=d(18))
    made["backlog"] = base
    # an old 积案 already resolved this month
    old = reg(5, 200, "养老保险待遇核定错误", "养老金核定少算工龄三年。", channel="letter")
    handle(old, jc_unit, 199, 198)
    made["resolved"] = old
    res = run_petition_sweep(today)
    old.refresh_from_db()
    if old.backlog and not old.resolved_on:
        svc.do_resolve_backlog(sup, old, on=today, note="补录工龄,补发待遇。")
    ctx.out.write(f"petitions: {len(made) + 3} (every state; 积案 {res.new_backlog} listed by the sweep)")
    return made
