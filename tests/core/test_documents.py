"""Official documents follow GB/T 9704-2012: A4, the standard margins, red 版头, embedded faces,
page numbers "— N —" alternating sides; the .docx has the same page setup."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from luoshi.core.documents import MM, OfficialDocument, Table, render_docx, render_pdf


def _doc(rows=40, **kw):
    body = [("h1", "一、总体情况"), "截至本月底,全市督办事项办理总体平稳。" * 6, ("h2", "(一)排名"),
            Table(["名次", "单位", "按时办结率"], [[i, f"第{i}单位", f"{100 - i}%"] for i in range(1, rows)], [1, 4, 2]),
            ("h1", "二、工作要求"), "各单位要对照问题逐项整改。<script>alert(1)</script>=SUM(A1)"]
    fields = dict(title="关于重点工作落实情况的通报", number="测督办〔2026〕7号", addressee="各区县人民政府",
                  body=body, date=dt.date(2026, 11, 30), copies=["市委办公室", "市政协办公室"],
                  issuer="测试市人民政府督查室")
    fields.update(kw)
    return OfficialDocument(**fields)


def test_pdf_is_a4_with_embedded_fonts_and_alternating_page_numbers():
    reader = PdfReader(io.BytesIO(render_pdf(_doc())))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 210 * MM) < 1 and abs(h - 297 * MM) < 1
    fonts = [ref.get_object() for ref in reader.pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if f["/BaseFont"] != "/Helvetica"]  # reportlab's unused initial font
    assert len(cjk) >= 3  # 小标宋-, 仿宋- and 黑体-style faces at least
    for f in cjk:
        assert "/FontFile2" in f["/FontDescriptor"].get_object()  # TrueType outlines embedded
    positions = {}
    for number, page in enumerate(reader.pages[:2], start=1):
        found = []

        def visit(text, cm, tm, font_dict, size, found=found):
            if text.strip().startswith("—"):
                found.append((tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        assert found, f"no page number on page {number}"
        positions[number] = found[0]
        assert f"— {number} —" in page.extract_text()
    # odd page: number at the right; even page: at the left; both below the 版心 (35 mm bottom margin)
    assert positions[1][0] > 105 * MM > positions[2][0]
    assert positions[1][1] < 35 * MM and positions[2][1] < 35 * MM
    text = reader.pages[0].extract_text()
    for piece in ("测试市人民政府督查室", "测督办〔2026〕7号", "关于重点工作落实情况的通报", "各区县人民政府:"):
        assert piece in text
    last = reader.pages[-1].extract_text()
    assert "2026年11月30日" in last and "抄送:市委办公室、市政协办公室。" in last and "印发" in last
    assert "<script>alert(1)</script>=SUM(A1)" in "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def test_text_stays_inside_the_type_area():
    reader = PdfReader(io.BytesIO(render_pdf(_doc(rows=5))))
    xs = []
    reader.pages[0].extract_text(visitor_text=lambda t, cm, tm, f, s: t.strip() and xs.append(tm[4] * cm[0] + cm[4]))
    assert xs and min(xs) >= 28 * MM - 1  # 订口 28 mm


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_rendered_first_page_has_a_red_masthead_and_rule(tmp_path):
    from PIL import Image

    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(render_pdf(_doc(rows=3)))
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    w, h = image.size
    red_rows = [y for y in range(h) if sum(1 for x in range(0, w, 2)
                                           if (lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))) > 3]
    assert red_rows, "no red on the first page"
    # the masthead starts about 37 + 35 mm from the top of the page, the red rule follows it
    top_mm = red_rows[0] / h * 297
    assert 55 < top_mm < 90
    assert red_rows[-1] / h * 297 < 120  # nothing red below the 版头


def test_docx_has_the_same_page_setup():
    from docx import Document

    d = Document(io.BytesIO(render_docx(_doc(rows=3))))
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.right_margin.mm),
            round(section.bottom_margin.mm)) == (37, 28, 26, 35)
    assert d.settings.odd_and_even_pages_header_footer
    xml = section.footer._element.xml + section.even_page_footer._element.xml
    assert "PAGE" in xml and "—" in xml
    texts = [p.text for p in d.paragraphs]
    assert "测试市人民政府督查室" in texts and "关于重点工作落实情况的通报" in texts
    assert "Heading" not in {p.style.name.split()[0] for p in d.paragraphs}  # no blue Word headings
    masthead = next(p for p in d.paragraphs if p.text == "测试市人民政府督查室")
    assert str(masthead.runs[0].font.color.rgb) == "CC0000"
    title = next(p for p in d.paragraphs if p.text == "关于重点工作落实情况的通报")
    assert title.runs[0].font.name == "方正小标宋简体"


@pytest.mark.parametrize("title, lines", [
    ("信访事项答复意见书", ["信访事项答复意见书"]),
    ("关于政务服务窗口作风明查(第一轮)情况的通报", ["关于政务服务窗口作风明查(第一轮)", "情况的通报"]),
    ("关于印发《临江市2026年优化营商环境重点任务清单》的通知",
     ["关于印发《临江市2026年优化营", "商环境重点任务清单》的通知"]),
])
def test_long_titles_break_into_balanced_lines_without_an_orphan(title, lines):
    """GB/T 9704-2012 7.3.3: a title that needs two lines is broken at a natural point, the longer line
    first, never inside a number or leaving a character alone (plain wrapping gave “…情况的通\\n报”)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from luoshi.core.documents import TEXT_W, TITLE_PT, font, title_lines

    got = title_lines(title).split("\n")
    assert got == lines
    assert all(stringWidth(x, font("song"), TITLE_PT) <= TEXT_W and len(x) >= 3 for x in got)
    assert "".join(got) == title


def test_the_pdf_title_is_set_on_the_balanced_lines():
    doc = OfficialDocument(title="关于政务服务窗口作风明查(第一轮)情况的通报", number="督查通报〔2026〕1号",
                           addressee="各有关单位", body=["正文。"], date=__import__("datetime").date(2026, 11, 10))
    lines = [x.strip() for x in PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text().splitlines()]
    i = lines.index("关于政务服务窗口作风明查(第一轮)")
    assert lines[i + 1] == "情况的通报"
    from docx import Document

    paras = [p.text for p in Document(io.BytesIO(render_docx(doc))).paragraphs]
    assert "关于政务服务窗口作风明查(第一轮)\n情况的通报" in paras


def test_signature_and_date_stay_together_with_body_text_on_their_page():
    # Whatever the body's length, the 署名 and 成文日期 land on one page, and that page also holds
    # body text: never a page starting with a lone date (seen on a two-page 督办单)
    checked = 0
    for n in range(8, 26):
        body = [f"第{i}段:请各单位按照要求认真组织落实,按时报送进展情况。" for i in range(n)]
        reader = PdfReader(io.BytesIO(render_pdf(_doc(body=body, signature="签署机关甲", copies=[]))))
        pages = [p.extract_text().replace("\n", "") for p in reader.pages]
        sig = [i for i, t in enumerate(pages) if "签署机关甲" in t]
        assert len(sig) == 1, (n, sig)
        page = pages[sig[0]]
        assert "2026年11月30日" in page.split("签署机关甲", 1)[1], n
        assert f"第{n - 1}段" in page, n
        checked += len(reader.pages) > 1
    assert checked  # some of these bodies really did run onto a second page


def test_docx_keeps_the_last_paragraph_signature_and_date_on_one_page():
    from docx import Document

    body = ["请各单位按照要求认真组织落实。", "最后一段正文。"]
    d = Document(io.BytesIO(render_docx(_doc(body=body, signature="签署机关甲", copies=[]))))
    texts = [p.text for p in d.paragraphs]
    i = texts.index("最后一段正文。")
    j = texts.index("签署机关甲")
    assert texts[j + 1] == "2026年11月30日"
    # Word moves the last body paragraph, the blank line and the 署名 with the 成文日期
    assert all(d.paragraphs[k].paragraph_format.keep_with_next for k in range(i, j + 1))
    assert not d.paragraphs[i - 1].paragraph_format.keep_with_next
