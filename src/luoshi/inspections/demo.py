"""Demo 明查暗访 data: the default checklist, an inspector (login `jianchayuan`), one open plan already
published (findings with photos → 限期整改: one closed after 验收, one submitted, one open; one referred
to a 效能投诉 case, one to 问责 naming the person) and one unannounced plan NOT yet published that covers
市发改委 (so `fgw` sees nothing of it; its finding is marked 提出问责建议 naming a person, raised only at
publication). Photos are small
JPEGs drawn with Pillow, with EXIF time and GPS.

`build(ctx)`: ctx has `users`, `unit(name)`, `today`, `out`; an `inspector` user is created if missing.
"""
from __future__ import annotations

import datetime as dt
import io


def photo(seed: int, when: dt.datetime, lat: float, lon: float) -> bytes:
    """A 640×480 JPEG: a service counter with an empty chair (seeded colours), EXIF time and GPS."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (640, 480), (225 - seed * 9 % 40, 228, 232))
    dr = ImageDraw.Draw(im)
    dr.rectangle([0, 300, 640, 480], fill=(150, 110, 80))            # counter
    for k in range(3):
        x = 60 + k * 200
        dr.rectangle([x, 120, x + 140, 290], outline=(90, 90, 90), width=4)   # window
        dr.rectangle([x + 40, 230, x + 100, 300], fill=(40 + 50 * ((seed + k) % 3), 60, 140))  # chair
    dr.ellipse([500, 30, 600, 90], fill=(200, 40, 40))                  # clock
    ex = Image.Exif()
    stamp = when.strftime("%Y:%m:%d %H:%M:%S")
    ex[0x010F], ex[0x0110], ex[0x0132] = "Demo", "Phone", stamp
    ex.get_ifd(0x8769)[36867] = stamp

    def dms(v):
        deg = int(v)
        minutes = int((v - deg) * 60)
        return (float(deg), float(minutes), round(((v - deg) * 60 - minutes) * 60, 2))

    ex.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80, exif=ex)
    return buf.getvalue()


def build(ctx) -> dict:
    from luoshi.supervision.rectification import do_submit_rectification, do_verify_rectification

    from . import services as svc

    u = ctx.users
    sup = u["duchayuan"]
    inspector = u.get("jianchayuan")
    if inspector is None:
        inspector = ctx.add_user("jianchayuan", "inspector", "市政府督查室", "郑文(检查员)")
    today = ctx.today
    checklist = svc.do_save_checklist(sup, name="机关作风和政务服务窗口检查表", items=svc.DEFAULT_ITEMS,
                                      description="明查暗访通用检查项")
    items = list(checklist.items.all())
    zw, jc, fgw_u, sw = ctx.unit("市政务服务中心"), ctx.unit("江城区"), ctx.unit("市发改委"), ctx.unit("市税务局")

    open_plan = svc.do_create_plan(sup, title="政务服务窗口作风明查(第一轮)", mode="open", checklist=checklist,
                                   units=[zw, jc], inspectors=[inspector, sup], start_on=today - dt.timedelta(days=30),
                                   end_on=today - dt.timedelta(days=25), places="市民中心一楼大厅;江城区便民服务中心")
    from django.utils import timezone

    def visit(plan, unit, problems, days, seed, lat, lon, referrals=None, place=None):
        when = timezone.localtime() - dt.timedelta(days=days, hours=2)
        answers = {i.pk: ("ok", "") for i in items}
        sev = {}
        for k, (note, s) in problems.items():
            answers[items[k].pk] = ("problem", note)
            sev[items[k].pk] = s
        files = [(f"IMG_{seed:04d}.jpg", photo(seed, when, lat, lon)), (f"IMG_{seed + 1:04d}.jpg",
                                                                       photo(seed + 1, when, lat, lon))]
        return svc.do_record_visit(inspector, plan, unit=unit, answers=answers, notes="上午10时到达,检查约40分钟。",
                                   place=place or plan.places.split(";")[0], latitude=lat, longitude=lon, files=files,
                                   severities=sev, visited_at=when,
                                   referrals={items[k].pk: v for k, v in (referrals or {}).items()})

    visit(open_plan, zw, {0: ("3号窗口工作人员离岗25分钟,无人值守", "serious"),
                          2: ("未提供一次性告知单,群众往返两次", "minor")}, 29, 1, 28.6712, 121.4203,
          referrals={2: {"refer_case": True}})  # 转效能投诉 on the phone page: a case at publication
    visit(open_plan, jc, {4: ("工作人员上班时间玩手机游戏", "serious")}, 27, 3, 28.6600, 121.4100,
          place="江城区便民服务中心")
    svc.do_record_finding(sup, open_plan, unit=jc, item=items[4], description="工作人员上班时间玩手机游戏,被群众拍照投诉",
                          severity="grave", staff_name="周立伟", refer_accountability=True)
    svc.do_publish_plan(sup, open_plan, summary="为持续深化“效能革命”,市督查室对政务服务窗口作风开展了明查。"
                                              "现将有关情况通报如下。", on=today - dt.timedelta(days=20))
    rects = [f.rectification for f in open_plan.findings.select_related("rectification", "unit").order_by("id")
             if f.rectification_id]
    liaison = {zw.pk: u.get("zwfw"), jc.pk: u.get("jiangcheng")}
    if rects and liaison.get(rects[0].unit_id):
        do_submit_rectification(liaison[rects[0].unit_id], rects[0], "已对当事人批评教育,实行AB岗和离岗登记制度。",
                                on=today - dt.timedelta(days=12))
        do_verify_rectification(sup, rects[0], accept=True, note="经回访核查,整改到位,同意销号。",
                                on=today - dt.timedelta(days=10))
    if len(rects) > 1 and liaison.get(rects[1].unit_id):
        do_submit_rectification(liaison[rects[1].unit_id], rects[1], "已印制一次性告知单并在各窗口摆放。",
                                on=today - dt.timedelta(days=5))

    secret = svc.do_create_plan(sup, title="机关作风暗访(市直部门)", mode="unannounced", checklist=checklist,
                                units=[fgw_u, sw], inspectors=[inspector], start_on=today - dt.timedelta(days=3),
                                end_on=today + dt.timedelta(days=4), places="市行政中心各办事窗口")
    # 提出问责建议 naming the person, ticked on the phone page: nothing leaves the plan before it is published
    visit(secret, fgw_u, {1: ("咨询项目备案时被告知“不归我管”,未指引到责任处室", "serious")}, 2, 7, 28.6650, 121.4300,
          referrals={1: {"refer_accountability": True, "staff_name": "孙浩然"}})
    ctx.out.write("inspections: 2 plans (明查 published with 限期整改; 暗访 covering 市发改委, unpublished), "
                  f"{open_plan.findings.count() + secret.findings.count()} findings with photos")
    return {"open": open_plan, "secret": secret}
