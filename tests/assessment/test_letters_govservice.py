"""目标责任状 (targets → tracked figures → letter.completion) and 政务服务 window records (import, rates per
centre and window, scoring methods, 电子监察 cards)."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from luoshi.assessment import govservice as gs
from luoshi.assessment import letters as lt
from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.assessment.models import ServiceCard, WindowRecord
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.notifications.models import Notification

from .conftest import AS_OF, YEAR, text

TARGETS = [{"name": "单位GDP能耗下降率", "op": "ge", "target": "3.2", "measure_unit": "%", "weight": "60"},
           {"name": "安全生产事故起数", "op": "le", "target": "2", "measure_unit": "起", "weight": "40"}]
SIGNS = [{"role": "发包方", "name": "市长 周市长"}, {"role": "承包方", "name": "区长 吴区长"}]


@pytest.mark.django_db
def test_target_letter_tracks_figures_into_a_score(office, users, units, make_plan, client_for):
    with pytest.raises(LuoshiError, match="not 100"):
        lt.do_save_letter(office, units["jia"], year=YEAR, title="甲区目标责任状", signatories=SIGNS,
                          targets=[{**TARGETS[0], "weight": "50"}, TARGETS[1]])
    with pytest.raises(LuoshiError):
        lt.do_save_letter(office, units["jia"], year=YEAR, title="x", signatories=SIGNS[:1], targets=TARGETS)
    letter = lt.do_save_letter(office, units["jia"], year=YEAR, title=f"甲区{YEAR}年度目标责任状",
                               signatories=SIGNS, targets=TARGETS)
    energy, safety = letter.targets.order_by("seq")
    with pytest.raises(LuoshiError, match="not signed"):
        lt.do_report_target_figure(users["jia"], energy, f"{YEAR}-03", "1")
    lt.do_sign_letter(office, letter, dt.date(YEAR, 2, 1))
    with pytest.raises(LuoshiError):
        lt.do_save_letter(office, units["jia"], year=YEAR, title="改", signatories=SIGNS, targets=TARGETS, letter=letter)
    with pytest.raises(NotAllowed):
        lt.do_report_target_figure(users["yi"], energy, f"{YEAR}-03", "1")
    lt.do_report_target_figure(users["jia"], energy, f"{YEAR}-Q1", "0.8")
    lt.do_report_target_figure(users["jia"], energy, f"{YEAR}-Q3", "2.4")
    lt.do_report_target_figure(users["jia"], safety, f"{YEAR}-06", "3")
    with pytest.raises(LuoshiError):
        lt.do_report_target_figure(users["jia"], safety, f"{YEAR + 1}-01", "0")
    plan = make_plan(code="KH-COUNTY", group="county", tree="none")
    svc.do_save_indicator(office, plan, code="1", name="目标责任状完成度", weight=100, method="letter.completion")
    c = {s.unit.name: s for s in scoring.compute(plan, as_of=AS_OF).units}
    jia = c["甲区人民政府"].items[0]
    # 60 × 2.4/3.2 + 40 × 2/3 = 45 + 26.6667
    assert jia.value == Decimal("71.6667") and jia.rows == 2 and jia.points == Decimal("71.67")
    assert c["乙县人民政府"].items[0].note == "缺报,按零分计"  # no letter: the plan's missing-data rule
    # read at the end of Q2 only the Q1 figure and the June figure count
    h1 = {s.unit.name: s for s in scoring.compute(plan, period=f"{YEAR}-H1", as_of=AS_OF).units}
    assert h1["甲区人民政府"].items[0].value == Decimal("41.6667")  # 60 × 0.25 + 40 × 2/3
    page = text(client_for("jia").get(f"/assessment/letters/{letter.pk}/"))
    assert "单位GDP能耗下降率" in page and "2.4" in page and "75%" in page
    assert client_for("yi").get(f"/assessment/letters/{letter.pk}/").status_code == 404


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["窗口", "事项", "受理时间", "办结时间", "承诺时限", "是否现场办结", "评价"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_window_records_import_rates_cards_and_scoring(office, users, units, make_plan, client_for):
    centre = units["fgw"]  # stands in for 市政务服务中心 in the test tree
    tz = timezone.get_current_timezone()
    rows = [
        ["综合窗口1", "企业设立登记", dt.datetime(YEAR, 3, 3, 9, 0), dt.datetime(YEAR, 3, 3, 9, 40), "即办", "是", "满意"],
        ["综合窗口1", "食品经营许可", dt.datetime(YEAR, 3, 3, 10, 0), dt.datetime(YEAR, 3, 6, 16, 0), "3", "否", "基本满意"],
        ["综合窗口2", "建设工程施工许可", dt.datetime(YEAR, 3, 4, 9, 0), dt.datetime(YEAR, 3, 20, 9, 0), "5个工作日", "否", "不满意"],
        ["综合窗口2", "排水许可", dt.datetime(YEAR, 12, 1, 9, 0), None, "2", "否", ""],
    ]
    bad = rows + [["综合窗口2", "", "昨天", None, "x", "也许", "很好"]]
    with pytest.raises(LuoshiError) as e:
        gs.do_import_window_records(office, centre, "办件.xlsx", _xlsx(bad))
    assert "第6行" in e.value.message_zh and not WindowRecord.objects.exists()
    with pytest.raises(NotAllowed):
        gs.do_import_window_records(users["fgw"], centre, "办件.xlsx", _xlsx(rows))
    res = gs.do_import_window_records(office, centre, "办件.xlsx", _xlsx(rows))
    assert res == {"rows": 4, "created": 4, "unchanged": 0}
    csv_text = "窗口,事项,受理时间,办结时间,承诺时限,是否现场办结,评价\n综合窗口1,企业设立登记,2025-03-03 09:00,2025-03-03 09:40,0,是,满意\n"
    assert gs.do_import_window_records(office, centre, "办件.csv", csv_text.encode("gb18030"))["created"] == 0
    m = {r["window"]: r for r in gs.metrics([centre.id], dt.date(YEAR, 1, 1), AS_OF, by_window=True)}
    assert m["综合窗口1"]["onsite_rate"] == Decimal("0.5000") and m["综合窗口1"]["on_time_rate"] == 1
    assert m["综合窗口2"]["on_time_rate"] == 0 and m["综合窗口2"]["satisfaction"] == 0
    total = gs.metrics([centre.id], dt.date(YEAR, 1, 1), AS_OF)[0]
    assert (total["records"], total["on_time_rate"], total["satisfaction"]) == (4, Decimal("0.5000"), Decimal("0.6667"))
    # 电子监察: 排水许可 promised 2 working days from Mon 1 Dec → due Wed 3 Dec
    r = WindowRecord.objects.get(item="排水许可")
    assert r.due_at.astimezone(tz).date() == dt.date(YEAR, 12, 3)
    assert gs.run_service_cards(dt.datetime(YEAR, 12, 3, 12, tzinfo=tz)) == {"yellow": 0, "red": 0}
    assert gs.run_service_cards(dt.datetime(YEAR, 12, 4, 12, tzinfo=tz)) == {"yellow": 1, "red": 0}
    assert gs.run_service_cards(dt.datetime(YEAR, 12, 5, 12, tzinfo=tz)) == {"yellow": 0, "red": 0}  # once
    assert gs.run_service_cards(dt.datetime(YEAR, 12, 10, 12, tzinfo=tz)) == {"yellow": 0, "red": 1}
    assert ServiceCard.objects.count() == 2
    assert Notification.objects.filter(user=users["fgw"], kind="assessment.service_card").count() == 2
    page = text(client_for("fgw").get(f"/assessment/govservice/?start={YEAR}-01-01&end={YEAR}-12-31"))
    assert "排水许可" in page and "红牌" in page and "综合窗口1" in page
    assert "排水许可" not in text(client_for("edu").get("/assessment/govservice/"))
    # scoring methods per centre
    plan = make_plan(tree="none")
    svc.do_save_indicator(office, plan, code="1", name="现场办结率", weight=30, method="govservice.onsite_rate")
    svc.do_save_indicator(office, plan, code="2", name="按时办结率", weight=40, method="govservice.on_time_rate")
    svc.do_save_indicator(office, plan, code="3", name="满意率", weight=30, method="govservice.satisfaction")
    fgw = next(s for s in scoring.compute(plan, as_of=AS_OF).units if s.unit == centre)
    assert [i.value for i in fgw.items] == [Decimal("0.2500"), Decimal("0.5000"), Decimal("0.6667")]
    assert [i.points for i in fgw.items] == [Decimal("0"), Decimal("0"), Decimal("5.72")]  # 30 × (0.6667 - 0.6)/0.35


@pytest.mark.django_db
def test_cli_imports_windows_and_raises_cards(office, units, tmp_path, users):
    f = tmp_path / "办件.csv"
    f.write_text("事项,受理时间,办结时间,承诺时限,是否现场办结,评价\n不动产登记,2025-01-06 09:00,,1,否,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("assess", "import-windows", str(f), "--centre", "市发改委", "--user", "duchayuan", stdout=out)
    assert "1 new" in out.getvalue()
    out = io.StringIO()
    call_command("assess", "cards", "--json", stdout=out)
    assert '"red": 1' in out.getvalue()
