"""The notice prints as a PDF in an official layout; the Chinese text extracts and the font is embedded."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from luoshi.core.documents import font
from luoshi.supervision.notices import do_issue_notice
from luoshi.supervision.pdf import notice_pdf

D = dt.date
pytestmark = pytest.mark.django_db


def test_notice_pdf_text_extracts(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), title="推进老旧小区改造", lead=("fgw",), co=("edu",),
                    responsible_leader="周市长")
    n = do_issue_notice(users["supervisor"], t, light="red", reason="已逾期未办结", required_action="立即整改",
                        on=D(2025, 3, 18))
    data = notice_pdf(n)
    assert data.startswith(b"%PDF")
    text = "".join(extract_text(io.BytesIO(data)).split())
    for needle in ("红色督办单", "督办〔2025〕第0001号", "市发展和改革委员会", "推进老旧小区改造", "已逾期未办结",
                   "立即整改", "抄送:市教育局、周市长同志", "2025年3月25日"):
        assert needle in text, needle


def test_font_is_embedded_when_a_truetype_cjk_font_exists(placed_task, users):
    if font("fangsong") == "STSong-Light":
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-zenhei); CID fallback in use")
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14))
    data = notice_pdf(do_issue_notice(users["supervisor"], t, light="blue", reason="临期", on=D(2025, 3, 10)))
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            for desc in [f.get("/FontDescriptor")] + [d.get_object().get("/FontDescriptor")
                                                      for d in f.get("/DescendantFonts", [])]:
                if desc is not None:
                    desc = desc.get_object()
                    fonts.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


def test_notice_downloads_as_a_docx_with_the_official_page_setup(placed_task, users, client_for):
    from docx import Document

    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), title="推进老旧小区改造", lead=("fgw",), co=("edu",))
    n = do_issue_notice(users["supervisor"], t, light="red", reason="已逾期未办结", required_action="立即整改",
                        on=D(2025, 3, 18))
    page = client_for("fgw").get(f"/supervision/notices/{n.pk}/").content.decode()
    assert f'href="/supervision/notices/{n.pk}/docx/"' in page
    resp = client_for("fgw").get(f"/supervision/notices/{n.pk}/docx/")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert resp["Content-Type"].endswith("wordprocessingml.document") and ".docx" in resp["Content-Disposition"]
    d = Document(io.BytesIO(resp.content))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)  # A4, not US Letter
    texts = [p.text for p in d.paragraphs]
    assert "红色督办单" in texts and "督办〔2025〕第0001号" in texts and "已逾期未办结" in texts
    # as for the PDF: a unit that may not see the notice gets 404
    assert client_for("jia").get(f"/supervision/notices/{n.pk}/docx/").status_code == 404
