"""Upload a file or paste text → the extractor runs → a persisted ImportDraft; bad input → Chinese message."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.review.models import DraftStatus, ImportDraft

from .conftest import docx_bytes, row_of

pytestmark = pytest.mark.django_db


def _upload(client, name, data, ctype="application/octet-stream"):
    return client.post(reverse("review:upload"), {"file": SimpleUploadedFile(name, data, content_type=ctype)})


def _only_draft():
    assert ImportDraft.objects.count() == 1
    return ImportDraft.objects.get()


def test_utf8_txt_creates_draft_and_redirects_to_review(sup_client, users, speech):
    resp = _upload(sup_client, "方案.txt", speech.encode("utf-8"), "text/plain")
    draft = _only_draft()
    assert resp.status_code == 302 and resp["Location"] == reverse("review:draft", args=[draft.pk])
    assert draft.uploaded_by == users["supervisor"]
    assert draft.status == DraftStatus.DRAFT
    assert draft.original_name == "方案.txt"
    assert draft.source_file.read() == speech.encode("utf-8")
    assert draft.extraction["schema"] == "luoshi.extract/1"
    i, row = row_of(draft, "网上可办率")
    assert row["include"] is True
    assert AuditEntry.objects.filter(action="review.upload", object_id=str(draft.pk)).exists()
    # the reviewer can come back to it from the list
    page = sup_client.get(reverse("review:index")).content.decode()
    assert reverse("review:draft", args=[draft.pk]) in page and "继续审核" in page


def test_gbk_txt_is_decoded(sup_client, speech):
    resp = _upload(sup_client, "gbk.txt", speech.encode("gbk"), "text/plain")
    assert resp.status_code == 302
    draft = _only_draft()
    assert "网上可办率达到95%以上" in draft.document()["text"]
    row_of(draft, "每月28日前报送整治进展")


def test_docx_made_with_python_docx(sup_client, speech):
    data = docx_bytes(speech.splitlines())
    resp = _upload(sup_client, "plan.docx", data)
    assert resp.status_code == 302
    draft = _only_draft()
    _i, row = row_of(draft, "6月底前完成全市政务服务事项梳理")
    assert row["deadline_date"].endswith("-06-30")


def test_html_page(sup_client, speech):
    body = "".join(f"<p>{line}</p>" for line in speech.splitlines())
    html = f"<html><head><title>x</title></head><body><div class='nav'>首页</div>{body}</body></html>"
    resp = _upload(sup_client, "page.html", html.encode("utf-8"), "text/html")
    assert resp.status_code == 302
    row_of(_only_draft(), "重点项目审批流程再造")


def test_pdf_made_with_reportlab(sup_client, speech):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 10)
    for n, line in enumerate(speech.splitlines()):
        c.drawString(30, 800 - 16 * n, line)
    c.save()
    resp = _upload(sup_client, "plan.pdf", buf.getvalue(), "application/pdf")
    assert resp.status_code == 302
    row_of(_only_draft(), "每月28日前报送整治进展")


def test_pasted_text(sup_client, speech):
    resp = sup_client.post(reverse("review:upload"), {"text": speech})
    assert resp.status_code == 302
    draft = _only_draft()
    assert not draft.source_file and draft.original_name == ""
    row_of(draft, "网上可办率")


def _refused(resp, message):
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert ImportDraft.objects.count() == 0
    assert not AuditEntry.objects.filter(action="review.upload").exists()


def test_corrupt_docx_shows_message_and_saves_nothing(sup_client):
    _refused(_upload(sup_client, "坏文件.docx", b"PK\x03\x04 this is not really a zip archive"), "文件已损坏")


def test_corrupt_pdf(sup_client):
    _refused(_upload(sup_client, "坏文件.pdf", b"%PDF-1.4\n garbage garbage"), "PDF")


def test_unknown_encoding(sup_client):
    _refused(_upload(sup_client, "乱码.txt", bytes(range(128, 256)) * 20, "text/plain"), "编码")


def test_too_big(sup_client, settings, speech):
    settings.LUOSHI_MAX_UPLOAD_BYTES = 1000
    _refused(_upload(sup_client, "big.txt", speech.encode("utf-8") * 5, "text/plain"), "文件过大")


def test_zip_bomb_docx(sup_client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (300 * 1024 * 1024) + b"</w:document>")
    _refused(_upload(sup_client, "bomb.docx", buf.getvalue()), "压缩")


def test_unsupported_type_and_no_tasks(sup_client):
    _refused(_upload(sup_client, "table.xlsx", b"PK\x03\x04..."), "仅支持")
    _refused(sup_client.post(reverse("review:upload"), {"text": "今天天气很好。"}), "未能从中识别出任何工作任务")
    _refused(sup_client.post(reverse("review:upload"), {"text": "   "}), "请选择文件或粘贴讲话稿全文")
