"""Photos stay under the 300 MB bound of issue 8 §3 (照片上传内存上限): the largest accepted photo of each
shape goes through the real checks (case intake, inspection evidence, the document thumbnail) in a fresh
process that reports its own peak memory; a PNG too big to decode within the bound is refused."""
from __future__ import annotations

import io
import json
import sys

import pytest
from PIL import Image

from tests.core.test_upload_bounds import PEAK_LIMIT_MB, _child_env, _measured

_CHECK = """
import io, json, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from luoshi.core.errors import LuoshiError
from luoshi.cases.photos import check_photo
from luoshi.inspections.evidence import check_upload, thumbnail_jpeg
path, entry = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
try:
    if entry == "case":
        got = check_photo(SimpleUploadedFile("xianchang.png", data))
        pub = Image.open(io.BytesIO(got["public"]))
        out = {"refused": False, "size": [got["width"], got["height"]], "public": list(pub.size),
               "public_exif": len(pub.getexif())}
    else:
        info = check_upload("zhengju.png", data)
        thumb = Image.open(io.BytesIO(thumbnail_jpeg(data)))
        out = {"refused": False, "size": [info.width, info.height], "public": list(thumb.size)}
except LuoshiError as e:
    out = {"refused": True, "zh": e.message_zh, "en": str(e)}
print(json.dumps(out, ensure_ascii=False))
"""


def _photo(path, mode, size, fmt):
    img = Image.new(mode, size, (40, 160, 90, 200)[:len(mode)])
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: the upright picture is portrait
    exif[0x010F] = "SECRET-CAMERA-MAKER"
    img.save(path, fmt, exif=exif.tobytes(), **({"quality": 60} if fmt == "JPEG" else {}))
    return path


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    d = tmp_path_factory.mktemp("photos")
    return {
        "jpeg-40MP": _photo(d / "a.jpg", "RGB", (8000, 5000), "JPEG"),
        "png-rgba-32MP": _photo(d / "b.png", "RGBA", (6500, 5000), "PNG"),
        "png-rgba-40MP": _photo(d / "c.png", "RGBA", (8000, 5000), "PNG"),
    }


@pytest.mark.parametrize("entry", ["case", "inspection"])
@pytest.mark.parametrize("name", ["jpeg-40MP", "png-rgba-32MP"])
def test_largest_accepted_photo_stays_under_the_bound(name, entry, photos, tmp_path):
    rc, out, err, peak = _measured([sys.executable, "-c", _CHECK, str(photos[name]), entry], _child_env(tmp_path))
    assert rc == 0, err[-2000:]
    got = json.loads(out.strip().splitlines()[-1])
    assert not got["refused"], got
    w, h = Image.open(photos[name]).size
    assert got["size"] == [w, h]                       # the original's own size is recorded
    pw, ph = got["public"]
    assert max(pw, ph) <= 2560 and ph > pw, got        # reduced, and turned upright (portrait)
    if entry == "case":
        assert got["public_exif"] == 0                 # the public copy carries no metadata
    assert peak < PEAK_LIMIT_MB, (name, entry, f"peak {peak:.0f} MB")


def test_png_too_big_to_decode_is_refused_before_decoding(photos, tmp_path):
    for entry in ("case", "inspection"):
        rc, out, err, peak = _measured([sys.executable, "-c", _CHECK, str(photos["png-rgba-40MP"]), entry],
                                       _child_env(tmp_path))
        assert rc == 0, err[-2000:]
        got = json.loads(out.strip().splitlines()[-1])
        assert got["refused"] and "像素过大" in got["zh"], got
        assert peak < 150, (entry, f"peak {peak:.0f} MB: it was decoded")


def test_small_photo_keeps_its_size_and_turns_upright():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.cases.photos import check_photo

    buf = io.BytesIO()
    img = Image.new("RGB", (300, 200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 8
    img.save(buf, "JPEG", exif=exif.tobytes())
    got = check_photo(SimpleUploadedFile("x.jpg", buf.getvalue()))
    assert Image.open(io.BytesIO(got["public"])).size == (200, 300)
    assert (got["width"], got["height"]) == (300, 200)
