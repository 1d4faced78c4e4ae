"""Plans, on-site records with evidence, findings → 限期整改 → 验收, and the secrecy of 暗访 plans."""
import datetime as dt
import hashlib
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.inspections import services as svc
from luoshi.inspections.models import Evidence, Finding, Plan
from luoshi.supervision.models import RectificationItem

from .conftest import jpeg

pytestmark = pytest.mark.django_db
TITLE = "政务服务窗口暗访"


def _c(user):
    c = Client()
    c.force_login(user)
    return c


def test_record_keeps_original_and_exif(visited):
    e = Evidence.objects.get()
    data = e.file.open("rb").read()
    assert data == jpeg() and e.sha256 == hashlib.sha256(data).hexdigest()
    assert e.taken_at == "2026:03:02 10:00:00" and float(e.latitude) == 30.25 and float(e.longitude) == 120.175
    assert float(visited.latitude) == 30.25
    f = Finding.objects.get()
    assert f.severity == "serious" and list(f.evidence.all()) == [e] and f.unit.name == "市发展和改革委员会"


@pytest.mark.parametrize("name,data,msg", [
    ("fake.jpg", b"this is not an image at all" * 10, "不是有效的图片"),
    ("empty.jpg", b"", "文件为空"),
    ("trunc.jpg", jpeg()[:200], "不是有效的图片"),
])
def test_bad_evidence_refused_nothing_written(secret_plan, inspector, units, name, data, msg):
    items = {i.pk: ("ok", "") for i in secret_plan.checklist.items.all()}
    with pytest.raises(LuoshiError) as e:
        svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=items, files=[(name, data)])
    assert msg in e.value.message_zh
    assert not secret_plan.records.exists() and not Evidence.objects.exists()


def test_decompression_bomb_and_size_refused(secret_plan, inspector, units, settings):
    from PIL import Image
    buf = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buf, "PNG")  # 144 Mpx, tiny file
    items = {i.pk: ("ok", "") for i in secret_plan.checklist.items.all()}
    with pytest.raises(LuoshiError):
        svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=items, files=[("bomb.png", buf.getvalue())])
    settings.LUOSHI_EVIDENCE_MAX_PHOTO = 100
    with pytest.raises(LuoshiError) as e:
        svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=items, files=[("a.jpg", jpeg())])
    assert "不能超过" in e.value.message_zh


def test_only_plan_inspectors_record(secret_plan, users, units):
    items = {i.pk: ("ok", "") for i in secret_plan.checklist.items.all()}
    for who in ("fgw", "leader", "jia"):
        with pytest.raises(NotAllowed):
            svc.do_record_visit(users[who], secret_plan, unit=units["fgw"], answers=items)
    with pytest.raises(LuoshiError):
        svc.do_record_visit(users["supervisor"], secret_plan, unit=units["edu"], answers=items)


# roles: who sees the secret plan before publication
INSIDERS = {"supervisor", "admin", "inspector"}
INSPECTED = {"fgw", "leader", "jia", "jia_leader"}   # fgw liaison, city leader, 甲区 (parent of 甲区发改局)
OTHERS = {"edu", "dong", "yi"}


def _user(role, users, inspector):
    return inspector if role == "inspector" else users[role]


def _everything(c, plan):
    pages = [c.get("/inspections/"), c.get(f"/inspections/plans/{plan.pk}/"), c.get("/inspections/findings/"),
             c.get("/supervision/workspace/"), c.get("/supervision/inbox/")]
    api = [c.get("/api/inspections/plans/"), c.get(f"/api/inspections/plans/{plan.pk}/"),
           c.get("/api/inspections/findings/"), c.get("/api/rectifications/")]
    export = c.get("/inspections/findings.xlsx")
    doc = c.get(f"/inspections/plans/{plan.pk}/bulletin.docx")
    audit = c.get("/audit/")
    api_audit = c.get("/api/audit/")
    texts = [p.content.decode() for p in pages if p.status_code == 200]
    texts += [a.content.decode() for a in api if a.status_code == 200]
    texts += [" ".join(str(v) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
                       for v in row)]
    if audit.status_code == 200:
        texts.append(audit.content.decode())
    if api_audit.status_code == 200:
        texts.append(api_audit.content.decode())
    return pages, api, doc, texts


@pytest.mark.parametrize("role", sorted(INSIDERS | INSPECTED | OTHERS))
def test_secret_plan_invisible_until_published(role, visited, secret_plan, users, inspector):
    c = _c(_user(role, users, inspector))
    pages, api, doc, texts = _everything(c, secret_plan)
    blob = "\n".join(texts)
    if role in INSIDERS:
        assert TITLE in blob and pages[1].status_code == 200 and "离岗" in blob
        return
    assert TITLE not in blob and "离岗" not in blob and "市民中心" not in blob
    assert pages[1].status_code == 404 and api[1].status_code == 404 and doc.status_code == 404
    assert api[0].json()["count"] == 0 and api[2].json()["count"] == 0
    assert not RectificationItem.objects.exists()


@pytest.mark.parametrize("role", sorted(INSPECTED | OTHERS))
def test_after_publication_inspected_see_it_others_do_not(role, visited, secret_plan, users, inspector):
    svc.do_publish_plan(users["supervisor"], secret_plan, summary="通报如下")
    c = _c(_user(role, users, inspector))
    pages, api, doc, texts = _everything(c, secret_plan)
    blob = "\n".join(texts)
    if role in OTHERS or role == "jia":  # a liaison's scope is their own unit, not its subtree
        assert TITLE not in blob and pages[1].status_code == 404
        return
    assert pages[1].status_code == 200 and TITLE in blob and doc.status_code == 200
    if role in ("fgw", "leader"):
        assert "离岗" in blob  # the finding is about 市发改委
    else:  # 甲区's leader sees the plan (it covers 甲区发改局) but not 市发改委's finding
        assert "离岗" not in blob


def test_publication_orders_rectification_submit_and_verify(visited, secret_plan, users):
    from luoshi.supervision.rectification import do_submit_rectification, do_verify_rectification
    received = []
    from luoshi.inspections.signals import finding_referred

    f = Finding.objects.get()
    Finding.objects.filter(pk=f.pk).update(refer_case=True)
    handler = lambda sender, finding, kind, actor, **kw: received.append((finding.pk, kind))  # noqa: E731
    finding_referred.connect(handler)
    try:
        plan = svc.do_publish_plan(users["supervisor"], secret_plan)
    finally:
        finding_referred.disconnect(handler)
    assert received == [(f.pk, "case")]
    item = RectificationItem.objects.get()
    assert item.task_id is None and item.unit.name == "市发展和改革委员会" and item.source_type == "inspections.finding"
    assert plan.published and users["fgw"].notifications.filter(kind="rectification").exists()
    c = _c(users["fgw"])
    assert "窗口工作人员离岗" in c.get("/supervision/workspace/").content.decode()
    r = c.post(f"/supervision/rectifications/{item.pk}/do/submit/", {"report": "已批评教育,建立AB岗"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == "submitted"
    with pytest.raises(NotAllowed):
        do_verify_rectification(users["fgw"], item, accept=True)
    do_verify_rectification(users["supervisor"], item, accept=True, note="整改到位")
    item.refresh_from_db()
    assert item.state == "closed"
    with pytest.raises(LuoshiError):
        svc.do_publish_plan(users["supervisor"], plan)


def test_bulletin_documents(visited, secret_plan, users):
    from docx import Document
    from pypdf import PdfReader

    from luoshi.inspections.services import do_record_finding
    do_record_finding(users["supervisor"], secret_plan, unit=Plan.objects.get().units.get(name="市发展和改革委员会"),
                      description="未一次性告知所需材料", staff_name="王小明")
    svc.do_publish_plan(users["supervisor"], secret_plan)
    c = _c(users["fgw"])
    d = c.get(f"/inspections/plans/{secret_plan.pk}/bulletin.docx")
    doc = Document(io.BytesIO(d.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "市发展和改革委员会" in text and "王**" in text and "王小明" not in text
    assert len(doc.inline_shapes) == 1  # the photo of the checklist finding (the other has no evidence)
    pdf = c.get(f"/inspections/plans/{secret_plan.pk}/bulletin.pdf")
    ptext = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "通报" in ptext and "王小明" not in ptext
    assert "未一次性告知所需材料,问题程度一般。涉及工作人员王**。" in text


def test_evidence_served_only_in_scope(visited, secret_plan, users, inspector):
    e = Evidence.objects.get()
    assert _c(inspector).get(f"/inspections/evidence/{e.pk}/").status_code == 200
    assert _c(users["fgw"]).get(f"/inspections/evidence/{e.pk}/").status_code == 404
    svc.do_publish_plan(users["supervisor"], secret_plan)
    r = _c(users["fgw"]).get(f"/inspections/evidence/{e.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == jpeg()
    assert _c(users["edu"]).get(f"/inspections/evidence/{e.pk}/").status_code == 404


def test_phone_page_records_with_photo(secret_plan, inspector, units):
    c = _c(inspector)
    items = list(secret_plan.checklist.items.all())
    data = {"unit": units["fgw"].pk, "place": "市民中心3号窗口", "latitude": "30.1", "longitude": "120.2"}
    for i in items:
        data[f"r{i.pk}"] = "ok"
    data[f"r{items[1].pk}"] = "problem"
    data[f"n{items[1].pk}"] = "首问推诿"
    from django.core.files.uploadedfile import SimpleUploadedFile
    data["files"] = [SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")]
    r = c.post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    assert r.status_code == 302, r.content.decode()[:500]
    assert Finding.objects.get().description == "首问推诿"
    bad = dict(data, **{f"n{items[1].pk}": ""})
    bad["files"] = []
    assert c.post(f"/inspections/plans/{secret_plan.pk}/record/", bad).status_code == 400


def test_bulletin_numbers_each_photo_as_its_own_figure(secret_plan, inspector, users, units):
    """Two problems with two photos each: 图1–图4, each caption naming its problem (before, both photos of a
    problem were captioned 图N alike)."""
    from docx import Document

    from tests.inspections.conftest import jpeg

    items = list(secret_plan.checklist.items.all())
    answers = {i.pk: ("ok", "") for i in items}
    answers[items[0].pk] = ("problem", "窗口无人")
    answers[items[1].pk] = ("problem", "首问推诿")
    svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=answers,
                        files=[("a.jpg", jpeg((200, 0, 0))), ("b.jpg", jpeg((0, 200, 0)))])
    svc.do_publish_plan(users["supervisor"], secret_plan)
    d = _c(users["fgw"]).get(f"/inspections/plans/{secret_plan.pk}/bulletin.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(d.content)).paragraphs)
    captions = [line.strip() for line in text.splitlines() if line.strip().startswith("图")]
    assert captions == ["图1 市发展和改革委员会现场照片(问题1)", "图2 市发展和改革委员会现场照片(问题1)",
                        "图3 市发展和改革委员会现场照片(问题2)", "图4 市发展和改革委员会现场照片(问题2)"]
