"""Citizen pages: /public/report/ (no login, captcha, photos checked, rate-limited per address)
and /public/case/ (number + query code → status, replies, rating)."""
from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.cases import services as svc
from luoshi.cases.models import Case, CasePhoto

from .conftest import COMPLAINANT, jpeg_bytes


@pytest.fixture(autouse=True)
def _cache(db):
    cache.clear()


def solved_captcha() -> dict:
    """A real captcha challenge answered as a person reading the image would."""
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _form(**kw):
    data = {"kind": "problem", "category": "CG-ROAD", "description": "小区门口路面塌陷,车辆通行困难",
            "address": "甲区人民路12号", "reporter_name": "王五", "reporter_phone": "13600000000",
            **solved_captcha()}
    data.update(kw)
    return data


def test_form_page_is_public_and_chinese(client, cats):
    r = client.get("/public/report/")
    body = r.content.decode()
    assert r.status_code == 200 and "我要反映" in body and 'name="viewport"' in body and "验证码" in body
    assert "<script>" not in body                                     # no inline script (CSP)


def test_report_with_photo_then_lookup_and_rate(client, cats, routing, office, users):
    photo = SimpleUploadedFile("road.jpg", jpeg_bytes(), content_type="image/jpeg")
    r = client.post("/public/report/", _form(photos=[photo]))
    assert r.status_code == 200, r.content.decode()[:2000]
    body = r.content.decode()
    number = re.search(r'id="case-number">(\d+)<', body).group(1)
    code = re.search(r'id="query-code">(\w+)<', body).group(1)
    case = Case.objects.get(number=number)
    assert case.channel == "web" and case.reporter_name == "王五" and case.photos.count() == 1
    p = case.photos.get()
    assert p.exif["GPS"] and b"PhoneMaker" in p.original.read() and b"PhoneMaker" not in p.public.read()
    r = client.post("/public/case/", {"number": number, "code": "WRONG12345"})
    assert r.status_code == 404 and "不正确" in r.content.decode()
    r = client.post("/public/case/", {"number": number, "code": code.lower()})
    assert r.status_code == 200 and "受理" in r.content.decode() and "评价" not in r.content.decode().split("办理进度")[1]
    svc.do_dispatch_case(office["dispatcher"], case)
    svc.do_sign_case(users["dong"], case)
    svc.do_reply_case(users["dong"], case, "路面已修复")
    r = client.post("/public/case/", {"number": number, "code": code})
    body = r.content.decode()
    assert "路面已修复" in body and 'name="rating"' in body and "王五" not in body
    r = client.post("/public/case/", {"number": number, "code": code, "rating": "unsatisfied", "comment": "还有坑"})
    assert "重新进入核查" in r.content.decode() or "感谢" in r.content.decode()
    case.refresh_from_db()
    assert case.status == "replied" and case.reopened and case.rating == "unsatisfied"


@pytest.mark.parametrize("name,content,msg", [
    ("fake.jpg", b"MZ\x90\x00 this is an exe renamed", "不是有效的图片"),
    ("doc.jpg", b"%PDF-1.4 not an image", "不是有效的图片"),
])
def test_non_images_refused(client, cats, routing, name, content, msg):
    r = client.post("/public/report/", _form(photos=[SimpleUploadedFile(name, content, content_type="image/jpeg")]))
    assert r.status_code == 400 and msg in r.content.decode()
    assert Case.objects.count() == 0 and CasePhoto.objects.count() == 0


def test_decompression_bomb_and_too_many_photos(client, cats, routing):
    big = Image.new("1", (12000, 12000))                               # 144 MP, a few KB as PNG
    buf = io.BytesIO()
    big.save(buf, "PNG")
    assert len(buf.getvalue()) < 100_000
    r = client.post("/public/report/", _form(photos=[SimpleUploadedFile("bomb.png", buf.getvalue())]))
    assert r.status_code == 400 and "像素过大" in r.content.decode()
    six = [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(gps=False)) for i in range(6)]
    r = client.post("/public/report/", _form(photos=six))
    assert r.status_code == 400 and "最多上传5张" in r.content.decode()
    assert Case.objects.count() == 0


def test_captcha_required_and_markup_refused(client, cats, routing):
    r = client.post("/public/report/", _form(captcha_1="WRONG"))
    assert r.status_code == 400 and "验证码" in r.content.decode() and Case.objects.count() == 0
    r = client.post("/public/report/", {k: v for k, v in _form().items() if not k.startswith("captcha")})
    assert r.status_code == 400 and Case.objects.count() == 0
    r = client.post("/public/report/", _form(description="<img src=x onerror=alert(1)>"))
    assert r.status_code == 400 and "HTML" in r.content.decode() and Case.objects.count() == 0


def test_rate_limited_per_address(client, cats, routing, settings):
    settings.LUOSHI_PUBLIC_REPORT_RATE = "3/h"
    codes = [client.post("/public/report/", _form(), REMOTE_ADDR="10.1.1.1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.post("/public/report/", _form(), REMOTE_ADDR="10.1.1.2").status_code == 200
    assert Case.objects.count() == 4


def test_anonymous_complaint_via_form(client, cats, routing, units):
    r = client.post("/public/report/", _form(kind="complaint", category="XN-SLOW", subject_unit="市发改委",
                                             anonymous="on", description="办事窗口工作人员态度恶劣,推诿扯皮"))
    assert r.status_code == 200
    case = Case.objects.get()
    assert case.anonymous and case.reporter_name == "" and case.reporter_phone == ""
    assert case.subject_unit == units["fgw"]


def test_hotline_screen(client, cats, routing, office, users):
    from tests.conftest import PASSWORD

    assert client.login(username="rexian", password=PASSWORD)
    body = client.get("/cases/hotline/").content.decode()
    assert "12345 热线登记" in body and "hotline.js" in body and "<script>" not in body
    r = client.post("/cases/hotline/", {"reporter_phone": "13511112222", "kind": "problem", "category": "CG-ROAD",
                                        "address": "甲区人民路3号", "description": "路面塌陷"}, follow=True)
    assert "已受理" in r.content.decode() and Case.objects.get().channel == "hotline"
    client.logout()
    assert client.login(username=users["dong"].username, password=PASSWORD)
    assert client.get("/cases/hotline/").status_code == 403
