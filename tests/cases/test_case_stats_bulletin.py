"""Issue 10/11: the case rates (按期处置率, 结案率, 满意率, 退单率, 返工率) and the 信访 rates (及时受理率, 按期办结率,
群众满意率, 重复信访率, 积案化解率) per unit and period in the supervision 通报 (page, PDF, .docx) and on the dashboard
(chart + JSON), through the supervised-kinds registry (supervision imports neither app). The office sees every
unit, a district leader the district's units only, a liaison their unit only; no complainant or petitioner anywhere."""
from __future__ import annotations

import datetime as dt
import io
import os

import docx
import pytest
from django.test import Client
from django.utils import timezone

from luoshi.cases import services as svc
from luoshi.petitions import services as psvc
from luoshi.supervision.kinds import scoped_kind_rates
from tests.petitions.conftest import ID2, register  # noqa: F401 - the petitions' registration fixture

from .conftest import COMPLAINANT
from .test_case_stats import dong_mix
from .test_case_supervision import pdf_text

SECRETS = [COMPLAINANT["reporter_name"], COMPLAINANT["reporter_phone"], "张三丰", "13812341234"]


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "".join([p.text for p in d.paragraphs] + cells).replace(" ", "")


def _data(new_case, office, units, users, register):  # noqa: F811
    disp = office["dispatcher"]
    dong_mix(new_case, office, users, units)
    d, _ = new_case(kind="complaint")                                  # a complaint, outside the district
    svc.do_dispatch_case(disp, d, unit=units["edu"])
    today = timezone.localdate()
    sup = users["supervisor"]
    p = register(received_on=today)
    psvc.do_assign_petition(sup, p, units["xi"])
    r = register(title="电梯补贴仍未发放", received_on=today)            # a 重复信访 of p
    assert r.repeat_of_id == p.pk
    psvc.do_assign_petition(sup, r, units["xi"])
    q = register(id_number=ID2, title="噪声扰民", content="夜间施工噪声", received_on=today)
    psvc.do_assign_petition(sup, q, units["fgw"])
    return today


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_office_sees_every_units_rates_in_the_bulletin_page_pdf_and_docx(new_case, office, units, users,
                                                                         register):  # noqa: F811
    today = _data(new_case, office, units, users, register)
    start = today.replace(day=1)
    c = _client(users["supervisor"])
    q = f"?start={start}&end={today}"
    html = c.get("/supervision/statistics/" + q).content.decode()
    pdf = c.get("/supervision/statistics/" + q + "&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ptext = pdf_text(pdf.content)
    dtext = docx_text(c.get("/supervision/statistics/" + q + "&format=docx").content)
    period = f"{start:%Y年%m月%d日}至{today:%Y年%m月%d日}"
    for text in (html, ptext, dtext):
        # (the PDF's narrow rate columns wrap their headings: 按期处置|率, so the extracted text is checked
        # on the first four characters)
        for s in ("诉求案件办理情况", "信访事项办理情况", "按期处置", "退单率", "返工率", "及时受理", "重复信访",
                  "积案化解", period):
            assert s in text, s
        for u in ("dong", "edu", "xi", "fgw"):
            assert units[u].name in text, u
        for s in SECRETS:
            assert s not in text
    # known figures: 东街道 按期处置率 50.0% (1 on time of 1 replied + 1 overdue open), 退单率 33.3%;
    # 西镇 重复信访率 50.0% (1 of 2 received)
    html_dong = html.split("rates-cases", 1)[1].split(f"<td>{units['dong'].name}</td>", 1)[1].split("</tr>", 1)[0]
    assert html_dong == "<td>2</td><td>50.0%</td><td>50.0%</td><td>100.0%</td><td>33.3%</td><td>0.0%</td>"
    html_xi = html.split("rates-petitions", 1)[1].split(f"<td>{units['xi'].name}</td>", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in html_xi and "<td>50.0%</td>" in html_xi
    assert f"{units['dong'].name}250.0%50.0%100.0%33.3%0.0%" in dtext
    assert f"{units['dong'].name}250.0%50.0%100.0%33.3%0.0%" in ptext


def test_district_leader_and_liaison_see_their_scope_only(new_case, office, units, users, register):  # noqa: F811
    today = _data(new_case, office, units, users, register)
    start = today.replace(day=1)
    q = f"?start={start}&end={today}"
    c = _client(users["jia_leader"])
    html = c.get("/supervision/statistics/" + q).content.decode()
    ptext = pdf_text(c.get("/supervision/statistics/" + q + "&format=pdf").content)
    dtext = docx_text(c.get("/supervision/statistics/" + q + "&format=docx").content)
    for text in (html, ptext, dtext):
        assert units["dong"].name in text and units["xi"].name in text
        assert units["edu"].name not in text and units["fgw"].name not in text
        for s in SECRETS:
            assert s not in text
    data = c.get("/supervision/dashboard/?format=json").json()
    got = {k["name"]: {r["unit"]: r for r in k["rows"]} for k in data["rates"]}
    assert set(got["cases"]) == {units["dong"].name} and set(got["petitions"]) == {units["xi"].name}
    assert got["cases"][units["dong"].name]["return_rate"] == 33.3
    assert got["petitions"][units["xi"].name]["repeat_rate"] == 50.0
    # a liaison: the registry gives their unit only (and the 通报/dashboard pages stay closed to them)
    rates = {k["name"]: k["rows"] for k in scoped_kind_rates(users["dong"], start, today)}
    assert [r["unit"] for r in rates["cases"]] == [units["dong"].name]
    assert "petitions" not in rates or all(r["unit_id"] == units["dong"].pk for r in rates["petitions"])
    assert _client(users["dong"]).get("/supervision/statistics/" + q).status_code == 403


def test_dashboard_shows_a_rates_chart_per_kind(new_case, office, units, users, register):  # noqa: F811
    _data(new_case, office, units, users, register)
    c = _client(users["supervisor"])
    html = c.get("/supervision/dashboard/").content.decode()
    assert 'id="rates-chart-cases"' in html and 'id="rates-chart-petitions"' in html
    assert "诉求案件办理情况" in html and "信访事项办理情况" in html and "满意率" in html
    for s in SECRETS:
        assert s not in html
    data = c.get("/supervision/dashboard/?format=json").json()
    cases = next(k for k in data["rates"] if k["name"] == "cases")
    assert [col["label"] for col in cases["columns"]] == ["按期处置率", "结案率", "满意率", "退单率", "返工率"]
    row = next(r for r in cases["rows"] if r["unit"] == units["dong"].name)
    assert row["on_time_rate"] == 50.0 and row["closing_rate"] == 50.0 and row["total"] == 2
    assert {r["unit"] for r in cases["rows"]} == {units["dong"].name, units["edu"].name}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_rates_charts_draw_in_chromium(browser, live_server, new_case, office, units, users,
                                                  register):  # noqa: F811
    _data(new_case, office, units, users, register)
    c = Client()
    c.force_login(users["supervisor"])
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/supervision/dashboard/", wait_until="networkidle")
    page.wait_for_selector("#rates-chart-cases canvas")
    page.wait_for_selector("#rates-chart-petitions canvas")
    series = page.evaluate("window.luoshiCharts.rates_cases.getOption().series.map(s => [s.name, s.data])")
    by_name = dict((n, d) for n, d in series)
    assert list(by_name) == ["按期处置率", "结案率", "满意率", "退单率", "返工率"]
    units_axis = page.evaluate("window.luoshiCharts.rates_cases.getOption().yAxis[0].data")
    assert by_name["退单率"][units_axis.index(units["dong"].name)] == 33.3
    if os.environ.get("LUOSHI_SHOT"):
        page.locator("#dash-rates-cases").screenshot(path=os.environ["LUOSHI_SHOT"])
    assert errors == []
    ctx.close()


def test_the_citywide_bulletin_without_a_reader_has_every_unit(new_case, office, units, users, register):  # noqa: F811
    from luoshi.supervision.bulletins import bulletin_data

    today = _data(new_case, office, units, users, register)
    got = {k["name"]: {r["unit"]: r for r in k["rows"]} for k in bulletin_data(today.replace(day=1), today)["rates"]}
    assert set(got["cases"]) == {units["dong"].name, units["edu"].name}
    assert set(got["petitions"]) == {units["xi"].name, units["fgw"].name}
    assert got["cases"][units["dong"].name]["cells"] == ["50.0%", "50.0%", "100.0%", "33.3%", "0.0%"]
