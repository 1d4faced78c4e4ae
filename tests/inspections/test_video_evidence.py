"""Video evidence: the duration is read from the container (no decoding) and bounded.

The clips in data/ are real 3-second encoder outputs (H.264 in MP4 with the movie header after the media,
H.264 in QuickTime MOV, VP9 in WebM), 64×48 px, a few KB each."""
import io
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.core.errors import LuoshiError
from luoshi.inspections import services as svc
from luoshi.inspections.evidence import check_upload, video_duration
from luoshi.inspections.models import Evidence

DATA = pathlib.Path(__file__).parent / "data"
CLIPS = {"clip3s.mp4": "video/mp4", "clip3s.mov": "video/quicktime", "clip3s.webm": "video/webm"}


@pytest.mark.parametrize("name", sorted(CLIPS))
def test_real_clips_measure_three_seconds(name):
    data = (DATA / name).read_bytes()
    assert video_duration(data) == pytest.approx(3.0, abs=0.05)
    info = check_upload(name, data)
    assert info.kind == "video" and info.content_type == CLIPS[name] and info.duration == pytest.approx(3.0, abs=0.05)


def _mp4(timescale: int, duration: int, version: int = 0, with_moov=True) -> bytes:
    """A minimal ISO BMFF file: ftyp, mdat, moov/mvhd (the layout a phone camera writes)."""
    def box(kind, payload):
        return (8 + len(payload)).to_bytes(4, "big") + kind + payload
    if version == 1:
        mvhd = bytes([1, 0, 0, 0]) + bytes(16) + timescale.to_bytes(4, "big") + duration.to_bytes(8, "big") + bytes(80)
    else:
        mvhd = bytes(4) + bytes(8) + timescale.to_bytes(4, "big") + duration.to_bytes(4, "big") + bytes(80)
    out = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"mdat", bytes(64))
    return out + (box(b"moov", box(b"mvhd", mvhd)) if with_moov else b"")


def test_header_arithmetic_and_versions():
    assert video_duration(_mp4(600, 600 * 95)) == 95
    assert video_duration(_mp4(90000, 90000 * 7, version=1)) == 7
    assert video_duration(_mp4(600, 0xFFFFFFFF)) is None        # "unknown" duration
    assert video_duration(_mp4(600, 6000, with_moov=False)) is None
    assert video_duration((DATA / "clip3s.webm").read_bytes()[:40]) is None  # cut before Info


def test_over_long_unreadable_and_over_size_refused(settings):
    with pytest.raises(LuoshiError) as e:
        check_upload("long.mp4", _mp4(600, 600 * 121))
    assert "视频时长不能超过120秒" in e.value.message_zh and "121" in e.value.message_zh and e.value.field == "files"
    settings.LUOSHI_EVIDENCE_MAX_VIDEO_SECONDS = 2
    with pytest.raises(LuoshiError) as e:
        check_upload("clip.webm", (DATA / "clip3s.webm").read_bytes())
    assert "不能超过2秒" in e.value.message_zh
    with pytest.raises(LuoshiError) as e:
        check_upload("broken.mp4", _mp4(600, 600, with_moov=False))
    assert "无法从文件中读取视频时长" in e.value.message_zh
    settings.LUOSHI_EVIDENCE_MAX_VIDEO = 1000
    with pytest.raises(LuoshiError) as e:
        check_upload("clip.mp4", (DATA / "clip3s.mp4").read_bytes())
    assert "视频不能超过" in e.value.message_zh


@pytest.mark.django_db
def test_video_kept_with_duration_and_long_one_refused_on_the_phone_page(secret_plan, inspector, units, settings):
    c = Client()
    c.force_login(inspector)
    items = list(secret_plan.checklist.items.all())
    data = {"unit": units["fgw"].pk, "place": "市民中心3号窗口"}
    for i in items:
        data[f"r{i.pk}"] = "ok"
    clip = (DATA / "clip3s.mp4").read_bytes()
    data["files"] = [SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")]
    r = c.post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    assert r.status_code == 302, r.content.decode()[:500]
    e = Evidence.objects.get()
    assert e.kind == "video" and e.duration == pytest.approx(3.0, abs=0.05) and e.file.read() == clip
    settings.LUOSHI_EVIDENCE_MAX_VIDEO_SECONDS = 2
    data["files"] = [SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")]
    r = c.post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    assert r.status_code == 400 and "视频时长不能超过2秒" in r.content.decode()
    assert Evidence.objects.count() == 1 and secret_plan.records.count() == 1


@pytest.mark.parametrize("name, data", [
    ("clip.mp4", b"\x00\x01not a video at all" * 100),
    ("IMG_0001.MOV", b"GIF89a" + bytes(200)),
    ("v.webm", bytes(16 * 1024 * 1024 + 10)),  # larger than a photo may be: still told it is no video
])
def test_a_file_named_as_a_video_that_is_none_is_told_so(name, data):
    with pytest.raises(LuoshiError) as e:
        check_upload(name, data)
    assert "不是有效的视频" in e.value.message_zh and "图片" not in e.value.message_zh
    assert "照片" not in e.value.message_zh
