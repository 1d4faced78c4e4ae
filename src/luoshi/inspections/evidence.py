"""Evidence files (photos, short videos) from on-site inspections.

`check_upload(name, data)` → EvidenceInfo or LuoshiError (400):

* photos: JPEG, PNG or WebP, at most LUOSHI_EVIDENCE_MAX_PHOTO bytes (default 15 MB) and 40 megapixels;
  the file must really decode as an image (Pillow verify + load: a renamed non-image, a truncated file
  or a decompression bomb is refused);
* videos: MP4/MOV/3GP (ISO base media, `ftyp` box) or WebM/Matroska (EBML header), at most
  LUOSHI_EVIDENCE_MAX_VIDEO bytes (default 60 MB) and LUOSHI_EVIDENCE_MAX_VIDEO_SECONDS seconds
  (default 120: evidence is a short clip). The duration is read from the container itself, without
  decoding anything: the movie header box (`moov/mvhd`: duration ÷ timescale, ISO/IEC 14496-12 §8.2.2;
  `mvex/mehd` for fragmented files) or the Matroska Segment Info (`Duration` × `TimecodeScale` ns). A
  video whose duration cannot be read (no movie header, a live WebM without Duration) is refused, since
  its length could not be bounded.

The original bytes are kept unchanged (no re-encoding, so EXIF and any signature stay intact) under
MEDIA_ROOT/inspections/evidence/<sha256[:2]>/<sha256><ext>, SHA-256 recorded; from a photo's EXIF the
time taken (DateTimeOriginal) and GPS position (decimal degrees) are read into their own fields and
the readable EXIF tags kept as JSON. Files are served only through the scoped evidence view.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings

from luoshi.core.errors import LuoshiError

MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "WEBP": (".webp", "image/webp")}


def max_photo() -> int:
    return int(getattr(settings, "LUOSHI_EVIDENCE_MAX_PHOTO", 15 * 1024 * 1024))


def max_video() -> int:
    return int(getattr(settings, "LUOSHI_EVIDENCE_MAX_VIDEO", 60 * 1024 * 1024))


def max_video_seconds() -> int:
    return int(getattr(settings, "LUOSHI_EVIDENCE_MAX_VIDEO_SECONDS", 120))


@dataclass
class EvidenceInfo:
    kind: str
    ext: str
    content_type: str
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None
    taken_at: str = ""
    latitude: float | None = None
    longitude: float | None = None
    exif: dict = field(default_factory=dict)
    duration: float | None = None  # seconds, videos only


def _ratio(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = v
        return num / den if den else 0.0


def _gps(gps: dict) -> tuple[float | None, float | None]:
    try:
        lat = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[2]))
        lon = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None, None
    if gps.get(1) in ("S", b"S"):
        lat = -lat
    if gps.get(3) in ("W", b"W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, 6), round(lon, 6)


def _jsonable(v):
    if isinstance(v, bytes):
        return v.decode("ascii", "replace")[:200]
    if isinstance(v, (int, str)):
        return v if not isinstance(v, str) else v[:200]
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v][:20]
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)[:200]


def _photo(data: bytes, info: EvidenceInfo) -> EvidenceInfo:
    from PIL import ExifTags, Image, UnidentifiedImageError

    from luoshi.core.images import too_big_to_decode

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt = im.format
                if fmt not in PHOTO_FORMATS:
                    raise LuoshiError(f"photos must be JPEG, PNG or WebP (got {fmt})",
                                      "照片应为JPEG、PNG或WebP格式", field="files")
                w, h = im.size
                if w * h > MAX_PIXELS or too_big_to_decode(im):
                    raise LuoshiError("the photo has too many pixels", "照片像素过大(超过4000万像素)", field="files")
                im.verify()
            with Image.open(io.BytesIO(data)) as im:
                if fmt != "JPEG":  # a PNG/WebP may keep its EXIF after the pixels; a JPEG's is read at open
                    im.load()
                exif = im.getexif()
    except LuoshiError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as exc:
        raise LuoshiError(f"not a readable image ({type(exc).__name__})", "文件不是有效的图片", field="files")
    info.ext, info.content_type = PHOTO_FORMATS[fmt]
    info.width, info.height = w, h
    tags = {}
    for k, v in exif.items():
        tags[ExifTags.TAGS.get(k, str(k))] = _jsonable(v)
    sub = exif.get_ifd(0x8769)
    for k, v in sub.items():
        tags[ExifTags.TAGS.get(k, str(k))] = _jsonable(v)
    taken = sub.get(36867) or exif.get(306) or ""
    info.taken_at = str(taken)[:32]
    gps = exif.get_ifd(0x8825)
    if gps:
        info.latitude, info.longitude = _gps(dict(gps))
        tags["GPS"] = {ExifTags.GPSTAGS.get(k, str(k)): _jsonable(v) for k, v in gps.items()}
    tags.pop("MakerNote", None)
    info.exif = tags
    return info


def _video_kind(data: bytes) -> tuple[str, str] | None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand == b"qt  ":
            return ".mov", "video/quicktime"
        if brand.startswith(b"3g"):
            return ".3gp", "video/3gpp"
        return ".mp4", "video/mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return ".webm", "video/webm"
    return None


# ---- video duration from the container (no decoding) -----------------------------------------------

def _boxes(data: bytes, start: int, end: int):
    """(type, payload start, payload end) of the ISO BMFF boxes in data[start:end]; stops at a malformed one."""
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        head = 8
        if size == 1:
            if pos + 16 > end:
                return
            size, head = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            return
        yield kind, pos + head, pos + size
        pos += size


def _iso_duration(data: bytes) -> float | None:
    """Seconds from moov/mvhd (or moov/mvex/mehd when mvhd says 0 or unknown), None when absent."""
    for kind, a, b in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        timescale, duration = 0, 0
        for k2, a2, b2 in _boxes(data, a, b):
            if k2 == b"mvhd" and b2 - a2 >= 20:
                if data[a2] == 1 and b2 - a2 >= 32:   # version 1: 64-bit times
                    timescale = int.from_bytes(data[a2 + 20:a2 + 24], "big")
                    duration = int.from_bytes(data[a2 + 24:a2 + 32], "big")
                    unknown = 0xFFFFFFFFFFFFFFFF
                else:
                    timescale = int.from_bytes(data[a2 + 12:a2 + 16], "big")
                    duration = int.from_bytes(data[a2 + 16:a2 + 20], "big")
                    unknown = 0xFFFFFFFF
                if duration == unknown:
                    duration = 0
            elif k2 == b"mvex":
                for k3, a3, b3 in _boxes(data, a2, b2):
                    if k3 == b"mehd" and b3 - a3 >= 8 and not duration:
                        duration = int.from_bytes(data[a3 + 4:a3 + (12 if data[a3] == 1 else 8)], "big")
        if timescale and duration:
            return duration / timescale
        return None
    return None


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at pos: (value, next position, all value bits set)."""
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise ValueError("bad EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for b in data[pos + 1:pos + length]:
        value = (value << 8) | b
    all_ones = not keep_marker and value == (1 << (7 * length)) - 1
    return value, pos + length, all_ones


_SEGMENT, _INFO, _CLUSTER = 0x18538067, 0x1549A966, 0x1F43B675
_TIMECODE_SCALE, _DURATION = 0x2AD7B1, 0x4489


def _ebml_duration(data: bytes) -> float | None:
    """Seconds from Segment/Info/Duration × TimecodeScale (Matroska, WebM), None when absent."""
    import struct

    try:
        pos, end = 0, len(data)
        while pos < end:                                 # top level: EBML header, then Segment
            eid, pos, _ = _vint(data, pos, True)
            size, pos, unknown = _vint(data, pos, False)
            if eid == _SEGMENT:
                seg_end = end if unknown else min(end, pos + size)
                while pos < seg_end:
                    cid, pos, _ = _vint(data, pos, True)
                    csize, pos, cunknown = _vint(data, pos, False)
                    if cid == _CLUSTER or cunknown:
                        return None                      # media before any Info: no duration given
                    if cid == _INFO:
                        scale, duration, p, info_end = 1_000_000, None, pos, min(seg_end, pos + csize)
                        while p < info_end:
                            iid, p, _ = _vint(data, p, True)
                            isize, p, _ = _vint(data, p, False)
                            raw = data[p:p + isize]
                            if iid == _TIMECODE_SCALE and 1 <= isize <= 8:
                                scale = int.from_bytes(raw, "big") or 1_000_000
                            elif iid == _DURATION and isize in (4, 8):
                                duration = struct.unpack(">f" if isize == 4 else ">d", raw)[0]
                            p += isize
                        if duration is None or not duration > 0:
                            return None
                        return duration * scale / 1e9
                    pos += csize
                return None
            if unknown:
                return None
            pos += size
    except (ValueError, IndexError, struct.error):
        return None
    return None


def video_duration(data: bytes) -> float | None:
    """The duration in seconds of an MP4/MOV/3GP or WebM/Matroska file, read from its container
    headers (see the module docstring); None when the file does not state it."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return _iso_duration(data)
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return _ebml_duration(data)
    return None


VIDEO_EXTENSIONS = frozenset({"mp4", "m4v", "mov", "qt", "3gp", "3g2", "webm", "mkv", "avi", "wmv", "flv"})


def check_upload(name: str, data: bytes) -> EvidenceInfo:
    """Validate one uploaded file; see the module docstring. Raises LuoshiError(field="files")."""
    if not data:
        raise LuoshiError("the file is empty", "文件为空", field="files")
    sha = hashlib.sha256(data).hexdigest()
    video = _video_kind(data)
    if video:
        if len(data) > max_video():
            raise LuoshiError(f"videos are limited to {max_video() // 1024 // 1024} MB",
                              f"视频不能超过{max_video() // 1024 // 1024}MB", field="files")
        seconds = video_duration(data)
        if seconds is None:
            raise LuoshiError("the video's duration cannot be read from the file (no movie header); "
                              "record an MP4/MOV clip with the phone's camera",
                              "无法从文件中读取视频时长(文件缺少时长信息或已损坏),请用手机相机重新录制MP4/MOV视频",
                              field="files")
        if seconds > max_video_seconds():
            raise LuoshiError(f"videos are limited to {max_video_seconds()} seconds (this one lasts {seconds:.0f} s)",
                              f"视频时长不能超过{max_video_seconds()}秒(该视频约{seconds:.0f}秒),请剪短后再上传",
                              field="files")
        info = EvidenceInfo("video", video[0], video[1], sha, len(data))
        info.duration = round(seconds, 3)
        return info
    if (name or "").lower().rsplit(".", 1)[-1] in VIDEO_EXTENSIONS:
        # Named as a video but no container we read: say so, rather than "not a valid image" (or "photos are
        # limited to 15 MB" for a large one), which left the inspector wondering why a clip was taken for a photo.
        raise LuoshiError("the file is named as a video but is not an MP4, MOV, 3GP or WebM clip",
                          "文件不是有效的视频(支持手机拍摄的MP4、MOV、3GP、WebM视频),请重新录制或选择", field="files")
    if len(data) > max_photo():
        raise LuoshiError(f"photos are limited to {max_photo() // 1024 // 1024} MB",
                          f"照片不能超过{max_photo() // 1024 // 1024}MB", field="files")
    return _photo(data, EvidenceInfo("photo", "", "", sha, len(data)))


def thumbnail_jpeg(data: bytes, box: int = 1000) -> bytes:
    """A JPEG at most `box` px on its longer side (for documents; the original is untouched)."""
    from PIL import Image

    from luoshi.core.images import reduced_upright

    with Image.open(io.BytesIO(data)) as im:
        im = reduced_upright(im, box).convert("RGB")
        out = io.BytesIO()
        im.save(out, "JPEG", quality=80)
        return out.getvalue()
