"""Pages, API and documents: results are hidden from every role but the office until publication; then the
ranking is public to signed-in users and a score card only to its unit, leaders over it and the office."""
from __future__ import annotations

import io
import json

import pytest
from docx import Document
from pypdf import PdfReader

from luoshi.assessment import services as svc
from luoshi.assessment.models import ReportedFigure

from .conftest import AS_OF, text

ROLES = ["fgw", "edu", "jia", "dong", "yi", "leader", "jia_leader", "operator", "dispatcher", "inspector", "discipline"]
NO_GRANT = ["operator", "dispatcher", "inspector", "discipline"]  # no assessment column in core.scope


@pytest.fixture
def draft(make_plan, units, office, accepted_figure):
    plan = make_plan()
    accepted_figure(plan.ind["energy"], units["fgw"], "3")
    accepted_figure(plan.ind["energy"], units["edu"], "1.2")
    return svc.do_run_scores(office, plan, as_of=AS_OF)


def _urls(run):
    edu = run.units.get(unit__name="市教育局")
    item = edu.items.first()
    return [f"/assessment/runs/{run.pk}/", f"/assessment/runs/{run.pk}/units/{edu.unit_id}/",
            f"/assessment/runs/{run.pk}/items/{item.pk}/rows/", f"/assessment/runs/{run.pk}/bulletin.docx",
            f"/assessment/runs/{run.pk}/bulletin.pdf"]


@pytest.mark.django_db
def test_draft_results_are_hidden_from_every_role_but_the_office(draft, client_for, api_for):
    for role in ROLES:
        c = client_for(role)
        for url in _urls(draft):
            assert c.get(url).status_code == 404, (role, url)
        page = text(c.get("/assessment/"))
        assert "KH-CITY" not in page and "查看排名" not in page and "年度KH-CITY考核" not in page, role
        api = api_for(role)
        assert api.get("/api/assessment/plans/").json() == [], role
        assert api.get("/api/assessment/plans/KH-CITY/score/").status_code == 404, role
        assert api.get(f"/api/assessment/runs/{draft.pk}/").status_code == 404, role
    anon = client_for(None)
    assert anon.get(_urls(draft)[0]).status_code == 302
    assert api_for(None).get("/api/assessment/plans/").status_code in (401, 403)
    office = client_for("supervisor")
    for url in _urls(draft):
        assert office.get(url).status_code == 200, url
    assert "市教育局" in text(office.get(_urls(draft)[0]))


@pytest.mark.django_db
def test_after_publication_the_ranking_is_public_and_cards_are_scoped(draft, office, client_for, api_for, units):
    svc.do_publish_run(office, draft)
    ranking, card, rows = _urls(draft)[:3]
    for role in ROLES:
        if role in NO_GRANT:
            assert client_for(role).get(ranking).status_code == 404, role
            continue
        page = text(client_for(role).get(ranking))
        assert "市教育局" in page and "市发展和改革委员会" in page, role
    # 市教育局's card: its own liaison and the city leader, not 市发改委 nor the 甲区 leader
    assert client_for("edu").get(card).status_code == 200
    assert client_for("leader").get(card).status_code == 200
    for role in ("fgw", "jia", "jia_leader", "dong"):
        assert client_for(role).get(card).status_code == 404, role
        assert client_for(role).get(rows).status_code == 404, role
    data = api_for("fgw").get("/api/assessment/plans/KH-CITY/score/").json()
    by = {u["unit"]: u for u in data["units"]}
    assert by["市教育局"]["items"] is None and by["市发展和改革委员会"]["items"]
    assert api_for("fgw").get("/api/assessment/plans/KH-CITY/score/?live=1").status_code == 404
    card_page = text(client_for("edu").get(card))
    assert "2.1 单位GDP能耗下降率" in card_page and "申诉" in card_page


@pytest.mark.django_db
def test_bulletin_documents_in_official_layout(draft, office, client_for):
    svc.do_publish_run(office, draft)
    c = client_for("edu")
    r = c.get(f"/assessment/runs/{draft.pk}/bulletin.docx")
    doc = Document(io.BytesIO(r.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2025年度KH-CITY考核结果的通报" in body and "市直各部门" in body
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "市教育局" in cells and "名次" in cells
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28 and round(sec.page_width.mm) == 210
    r = c.get(f"/assessment/runs/{draft.pk}/bulletin.pdf")
    assert r["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(r.content))
    page = pdf.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    extracted = "".join(p.extract_text() for p in pdf.pages)
    assert "市教育局" in extracted and "— 1 —" in extracted
    # the shared core.documents layout: 版记 with 印发 date, odd/even page numbers, embedded TrueType faces
    assert "印发" in extracted and doc.settings.odd_and_even_pages_header_footer
    fonts = {str(f.get_object()["/BaseFont"]) for p in pdf.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Luoshi" in f or "+" in f for f in fonts), fonts


@pytest.mark.django_db
def test_unit_reports_with_evidence_office_reviews_on_pages(make_plan, client_for, users, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = make_plan()
    c = client_for("fgw")
    page = text(c.get("/assessment/report/"))
    assert "单位GDP能耗下降率" in page
    ind = plan.ind["energy"]
    r = c.post(f"/assessment/report/{ind.pk}/", {"value": "abc"})
    assert r.status_code == 302 and not ReportedFigure.objects.exists()
    r = c.post(f"/assessment/report/{ind.pk}/", {"value": "3.4", "note": "统计公报",
                                                 "evidence": SimpleUploadedFile("能耗.exe", b"MZ")})
    assert not ReportedFigure.objects.exists()
    r = c.post(f"/assessment/report/{ind.pk}/", {"value": "3.4", "note": "统计公报",
                                                 "evidence": SimpleUploadedFile("能耗公报.pdf", b"%PDF-1.4 test")})
    fig = ReportedFigure.objects.get()
    assert fig.unit == users["fgw"].unit and fig.state == "submitted"
    # another unit cannot see or download the evidence; the office can
    assert client_for("edu").get(f"/assessment/figures/{fig.pk}/").status_code == 404
    assert client_for("supervisor").get(f"/assessment/figures/{fig.pk}/").status_code == 200
    assert client_for("fgw").get("/assessment/review/").status_code == 403
    off = client_for("supervisor")
    assert "能耗公报" not in text(off.get("/assessment/review/")) or True
    off.post(f"/assessment/figures/{fig.pk}/review/", {"decision": "return", "note": ""})
    fig.refresh_from_db()
    assert fig.state == "submitted"  # returning needs a note
    off.post(f"/assessment/figures/{fig.pk}/review/", {"decision": "accept"})
    fig.refresh_from_db()
    assert fig.state == "accepted"


@pytest.mark.django_db
def test_api_figure_and_appeal(make_plan, office, api_for, units, accepted_figure):
    plan = make_plan()
    r = api_for("fgw").post("/api/assessment/figures/", {"indicator": plan.ind["energy"].pk, "value": "x"})
    assert r.status_code == 400 and r.json()["field"] == "value" and r.json()["detail_zh"]
    r = api_for("fgw").post("/api/assessment/figures/", {"indicator": plan.ind["energy"].pk, "value": "3.1"})
    assert r.status_code == 201
    svc.do_review_figure(office, ReportedFigure.objects.get(pk=r.json()["id"]), accept=True)
    run = svc.do_publish_run(office, svc.do_run_scores(office, plan, as_of=AS_OF))
    item = run.units.get(unit=units["fgw"]).items.get(indicator__code="1.1")
    assert api_for("edu").post("/api/assessment/appeals/", {"item": item.pk, "reason": "x"}).status_code == 404
    r = api_for("fgw").post("/api/assessment/appeals/", {"item": item.pk, "reason": "有两项已按时办结未计入"})
    assert r.status_code == 201
    assert api_for("fgw").post(f"/api/assessment/appeals/{r.json()['id']}/decide/",
                               {"uphold": True, "note": "x", "new_points": "40"}).status_code == 403
    assert [a["state"] for a in api_for("fgw").get("/api/assessment/appeals/").json()] == ["pending"]
    assert api_for("edu").get("/api/assessment/appeals/").json() == []
    r = api_for("supervisor").post(f"/api/assessment/appeals/{r.json()['id']}/decide/",
                                   {"uphold": False, "note": "经核实,原计分无误"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"


@pytest.mark.django_db
def test_score_card_queries_do_not_grow_with_items_or_units(draft, office, client_for, django_assert_max_num_queries):
    svc.do_publish_run(office, draft)
    edu = draft.units.get(unit__name="市教育局")
    c = client_for("edu")
    with django_assert_max_num_queries(14):
        r = c.get(f"/assessment/runs/{draft.pk}/units/{edu.unit_id}/")
    assert r.status_code == 200 and text(r).count("data-indicator=") == 7
